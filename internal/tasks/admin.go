package tasks

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// The admin task listing (POST /admin/queue) shows every user's tasks as
// database rows. FromAdmin turns a row into what the task's owner would see
// in the owner's own listing, so that both answers feed the same code.

// FromAdmin is the owner's view of a row of the admin listing: the task's
// hashid as its id, the duration in milliseconds, errors with signatures
// masked (the owner's listing masks them, the admin listing does not), and
// node as the owner's listing names it (nil: it names none). The row's
// node cannot be converted here: owners see it under a hashid the admin
// listing does not give.
func FromAdmin(row *cloudreveapi.AdminTask, node *cloudreveapi.Node) *cloudreveapi.TaskResponse {
	t := &cloudreveapi.TaskResponse{
		Id: row.TaskHashId, Type: row.Type, Status: row.Status,
		CreatedAt: row.CreatedAt, UpdatedAt: row.UpdatedAt, Summary: row.Summary, Node: node,
	}
	ps := row.PublicState
	if ps == nil {
		return t
	}
	// The owner's listing leaves zero values out.
	if ps.Error != nil && *ps.Error != "" {
		masked := MaskSignatures(*ps.Error)
		t.Error = &masked
	}
	if ps.ErrorHistory != nil && len(*ps.ErrorHistory) > 0 {
		history := make([]string, len(*ps.ErrorHistory))
		for i, e := range *ps.ErrorHistory {
			history[i] = MaskSignatures(e)
		}
		t.ErrorHistory = &history
	}
	if ps.ExecutedDuration != nil {
		if ms := time.Duration(*ps.ExecutedDuration).Milliseconds(); ms != 0 {
			t.Duration = &ms
		}
	}
	if ps.ResumeTime != nil && *ps.ResumeTime != 0 {
		t.ResumeTime = ps.ResumeTime
	}
	if ps.RetryCount != nil && *ps.RetryCount != 0 {
		t.RetryCount = ps.RetryCount
	}
	return t
}

var urlInText = regexp.MustCompile(`https?://[^\s]+`)

// MaskSignatures rewrites every http(s) URL in an error message as the
// server does for a task's owner: parsed and written again, with the value
// of a `sign` query parameter replaced by REDACTED.
func MaskSignatures(msg string) string {
	for _, raw := range urlInText.FindAllString(msg, -1) {
		u, err := url.Parse(raw)
		if err != nil {
			continue
		}
		if q := u.Query(); q.Has("sign") {
			q.Set("sign", "REDACTED")
			u.RawQuery = q.Encode()
		}
		msg = strings.ReplaceAll(msg, raw, u.String())
	}
	return msg
}

// WalkAdmin reads the admin task listing filtered by cond, in ascending
// task order (tasks created meanwhile land on later pages, so none is
// skipped for them), handing each page to visit until visit returns false,
// the last page, or maxPages pages. It reports whether it read the listing
// to its end or visit stopped it. Errors are upstream's: a service account
// that is not an administrator gets code 403.
func WalkAdmin(ctx context.Context, client cloudreveapi.ClientInterface, cond cloudreveapi.AdminTaskConditions,
	pageSize, maxPages int, visit func(rows []cloudreveapi.AdminTask) bool) (bool, error) {
	asc := cloudreveapi.AdminListServiceOrderDirectionAsc
	body := cloudreveapi.AdminListService{PageSize: pageSize, OrderDirection: &asc, Conditions: &cond}
	for page := 1; page <= maxPages; page++ {
		body.Page = page
		data, err := upstream.Op[cloudreveapi.AdminTaskListResponse]("listAdminTasks").Decode(client.ListAdminTasks(ctx, body))
		if err != nil {
			return false, err
		}
		if data == nil || !visit(data.Tasks) {
			return true, nil
		}
		// pagination.page_size is the size the server used (it caps it).
		size := data.Pagination.PageSize
		if len(data.Tasks) < size || size <= 0 {
			return true, nil
		}
		if total := data.Pagination.TotalItems; total != nil && page*size >= *total {
			return true, nil
		}
	}
	return false, nil
}

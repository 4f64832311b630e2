package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/values"
)

// createDownloads queues n slow remote downloads of a user and returns
// their hashids.
func createDownloads(t *testing.T, c *cloudreveapi.ClientWithResponses, n int) []string {
	t.Helper()
	var src []string
	for i := range n {
		src = append(src, fmt.Sprintf("%s/%d", DownloaderSlowPrefix, i))
	}
	r := must(c.CreateRemoteDownloadWithResponse(bg, cloudreveapi.CreateRemoteDownloadJSONRequestBody{Src: &src, Dst: "cloudreve://my/"}))
	code(t, "create downloads", r.JSON200.Code, 0, r.JSON200.Msg)
	var ids []string
	for _, task := range *r.JSON200.Data {
		ids = append(ids, task.Id)
	}
	return ids
}

func adminList(t *testing.T, c *cloudreveapi.ClientWithResponses, body cloudreveapi.AdminListService) *cloudreveapi.ListAdminTasksResponse {
	t.Helper()
	return must(c.ListAdminTasksWithResponse(bg, body))
}

// Administrators page through every user's tasks by numeric id; the owner's
// fields match the owner's own listing.
func TestAdminTaskListing(t *testing.T) {
	e := newEnv(t, Options{Paused: true, UserPermissions: []userv1.GroupPermission{userv1.GroupPermission_GROUP_PERMISSION_REMOTE_DOWNLOAD}})
	_, admin := e.user("root@example.com") // the first account is an administrator
	annID, ann := e.user("ann@example.com")
	_, bob := e.user("bob@example.com")
	annTasks := createDownloads(t, ann, 3)
	bobTasks := createDownloads(t, bob, 2)

	r := adminList(t, admin, cloudreveapi.AdminListService{Page: 1, PageSize: 2})
	code(t, "page 1", r.JSON200.Code, 0, r.JSON200.Msg)
	d := r.JSON200.Data
	if d.Pagination.Page != 0 || d.Pagination.PageSize != 2 || values.Deref(d.Pagination.TotalItems) != 5 || len(d.Tasks) != 2 {
		t.Fatalf("page 1: %+v, %d tasks", d.Pagination, len(d.Tasks))
	}
	var seen []string
	var last int64
	for page := 1; page <= 3; page++ {
		r := adminList(t, admin, cloudreveapi.AdminListService{Page: page, PageSize: 2})
		if got := r.JSON200.Data.Pagination.Page; got != page-1 {
			t.Errorf("page %d answered as page %d, want %d", page, got, page-1)
		}
		for _, row := range r.JSON200.Data.Tasks {
			if row.Id <= last {
				t.Errorf("ids not ascending: %d after %d", row.Id, last)
			}
			last = row.Id
			seen = append(seen, row.TaskHashId)
		}
	}
	if want := strings.Join(append(append([]string{}, annTasks...), bobTasks...), ","); strings.Join(seen, ",") != want {
		t.Errorf("pages show %v, want %v", seen, want)
	}

	// Filters, and the owner on each row.
	desc := cloudreveapi.AdminListServiceOrderDirectionDesc
	annNumeric := values.Deref(d.Tasks[0].UserTasks) // ann's first task comes first
	r = adminList(t, admin, cloudreveapi.AdminListService{Page: 1, PageSize: 10, OrderDirection: &desc,
		Conditions: &cloudreveapi.AdminTaskConditions{TaskUserId: values.Ptr(fmt.Sprint(annNumeric)),
			TaskStatus: values.Ptr(cloudreveapi.TaskStatusQueued), TaskType: values.Ptr(cloudreveapi.TaskTypeRemoteDownload)}})
	rows := r.JSON200.Data.Tasks
	if len(rows) != 3 || rows[0].TaskHashId != annTasks[2] {
		t.Fatalf("ann's queued downloads, newest first: %d rows", len(rows))
	}
	own := findTask(t, ann, cloudreveapi.ListTaskCategoryDownloading, annTasks[2])
	row := rows[0]
	if values.Deref(row.UserHashId) != annID || row.Edges.User == nil || values.Deref(row.Edges.User.Email) != "ann@example.com" ||
		row.Status != own.Status || row.Type != own.Type || !row.CreatedAt.Equal(own.CreatedAt) ||
		row.Node == nil || own.Node == nil || row.Node.Name != own.Node.Name || row.Summary == nil {
		t.Errorf("row %+v does not match the owner's view %+v", row, own)
	}
	if r := adminList(t, admin, cloudreveapi.AdminListService{Page: 1, PageSize: 10,
		Conditions: &cloudreveapi.AdminTaskConditions{TaskStatus: values.Ptr(cloudreveapi.TaskStatusProcessing)}}); len(r.JSON200.Data.Tasks) != 0 ||
		r.JSON200.Data.Pagination.TotalItems != nil {
		t.Errorf("processing while the queue is paused: %+v", r.JSON200.Data)
	}
	// Past the end: an empty page, still numbered.
	if r := adminList(t, admin, cloudreveapi.AdminListService{Page: 9, PageSize: 2}); len(r.JSON200.Data.Tasks) != 0 || r.JSON200.Data.Pagination.Page != 8 {
		t.Errorf("page 9: %+v", r.JSON200.Data)
	}
}

// What the real servers answered to bad requests and to non-administrators.
func TestAdminTaskListingRefusals(t *testing.T) {
	e := newEnv(t, Options{})
	_, admin := e.user("root@example.com")
	_, bob := e.user("bob@example.com")
	for _, tc := range []struct {
		name string
		c    *cloudreveapi.ClientWithResponses
		body cloudreveapi.AdminListService
		code int
		msg  string
	}{
		{"page 0", admin, cloudreveapi.AdminListService{Page: 0, PageSize: 3}, 40001, "Page too short"},
		{"no page size", admin, cloudreveapi.AdminListService{Page: 1}, 40001, "PageSize too short"},
		{"user id", admin, cloudreveapi.AdminListService{Page: 1, PageSize: 3,
			Conditions: &cloudreveapi.AdminTaskConditions{TaskUserId: values.Ptr("x")}}, 40001, "Invalid task user ID"},
		{"not an administrator", bob, cloudreveapi.AdminListService{Page: 1, PageSize: 3}, 403, ""},
		{"guest", e.client(""), cloudreveapi.AdminListService{Page: 1, PageSize: 3}, 401, "Login required"},
	} {
		r := adminList(t, tc.c, tc.body)
		if r.JSON200.Code != tc.code || r.JSON200.Msg != tc.msg {
			t.Errorf("%s: code %d %q, want %d %q", tc.name, r.JSON200.Code, r.JSON200.Msg, tc.code, tc.msg)
		}
		if tc.code == 403 && r.JSON200.CorrelationId == nil {
			t.Errorf("%s: no correlation id", tc.name)
		}
	}
	// The administrators' check comes before the body is read.
	resp := must(bob.ListAdminTasksWithBody(bg, "application/json", strings.NewReader("not json")))
	defer resp.Body.Close()
	var env cloudreveapi.Envelope
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&env) != nil || env.Code != 403 {
		t.Errorf("non-administrator with a bad body: HTTP %d code %d, want 403", resp.StatusCode, env.Code)
	}
}

package sandbox

import (
	"context"
	"strconv"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// The administrators' operations the facade uses. Every route under /admin
// passes the real server's LoginRequired and IsAdmin middlewares before its
// body is read: a guest gets 401, anyone else outside the administrators'
// group 403 (buildHandler applies adminOnly to the spec's admin routes).

func adminOnly(u *user) *apiError {
	if u == nil {
		return errLoginRequired()
	}
	if !u.admin {
		return fail(upstream.CodeNoPermission, "")
	}
	return nil
}

// maxAdminPageSize is the real server's cap on a page: the SQLite parameter
// limit less one.
const maxAdminPageSize = 32765

// ListAdminTasks is POST /admin/queue: every user's tasks by numeric id,
// offset-paged from page 1 (answered as page 0), filtered by one type,
// status, owner or correlation id.
func (s *cloudreve) ListAdminTasks(ctx context.Context, req cloudreveapi.ListAdminTasksRequestObject) (cloudreveapi.ListAdminTasksResponseObject, error) {
	b := req.Body
	switch {
	case b.Page < 1:
		return nil, bindErr("Page too short")
	case b.PageSize < 1:
		return nil, bindErr("PageSize too short")
	}
	match, aerr := adminTaskFilter(b.Conditions)
	if aerr != nil {
		return nil, aerr
	}
	desc := b.OrderDirection != nil && *b.OrderDirection == cloudreveapi.AdminListServiceOrderDirectionDesc
	list := s.store.taskViews(match, desc)
	size := min(b.PageSize, maxAdminPageSize)
	out := cloudreveapi.AdminTaskListResponse{
		Tasks:      []cloudreveapi.AdminTask{},
		Pagination: cloudreveapi.PaginationResults{Page: b.Page - 1, PageSize: size},
	}
	if len(list) > 0 { // the server leaves a zero total out
		out.Pagination.TotalItems = values.Ptr(len(list))
	}
	// The offset counts requested pages, the limit the capped size, as the
	// real server's do.
	if offset := int64(b.Page-1) * int64(b.PageSize); offset < int64(len(list)) {
		list = list[offset:]
		if len(list) > size {
			list = list[:size]
		}
		for _, t := range list {
			out.Tasks = append(out.Tasks, s.adminTaskJSON(t))
		}
	}
	return cloudreveapi.ListAdminTasks200JSONResponse{Data: &out}, nil
}

// adminTaskFilter reads the listing's conditions; empty ones filter nothing.
func adminTaskFilter(c *cloudreveapi.AdminTaskConditions) (func(*task) bool, *apiError) {
	if c == nil {
		return func(*task) bool { return true }, nil
	}
	typ, status := values.Deref(c.TaskType), values.Deref(c.TaskStatus)
	var owner int64
	if v := values.Deref(c.TaskUserId); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fail(upstream.CodeParamError, "Invalid task user ID")
		}
		owner = int64(n)
	}
	corr := values.Deref(c.TaskCorrelationId)
	if corr != "" && !isUUID(corr) {
		return nil, fail(upstream.CodeParamError, "Invalid task correlation ID")
	}
	return func(t *task) bool {
		return (typ == "" || t.typ == typ) && (status == "" || t.status == status) &&
			(owner == 0 || t.owner.id == owner) && (corr == "" || t.corr == corr)
	}, nil
}

// adminTaskJSON renders a task as the admin listing does: the owner's view
// (taskJSON) as a database row, with the owner and the node.
func (s *cloudreve) adminTaskJSON(t taskView) cloudreveapi.AdminTask {
	v := s.taskJSON(t, true)
	row := cloudreveapi.AdminTask{
		Id: t.id, CreatedAt: t.created, UpdatedAt: t.updated, Type: t.typ, Status: t.status,
		CorrelationId: t.corr, TaskHashId: t.hid, Summary: v.Summary,
		UserTasks: values.Ptr(t.owner.id), UserHashId: values.Ptr(t.owner.hid),
		Edges: cloudreveapi.AdminTaskEdges{User: s.adminUserJSON(t.owner)},
		PublicState: &cloudreveapi.AdminTaskPublicState{
			Error: v.Error, ErrorHistory: v.ErrorHistory, ResumeTime: v.ResumeTime, RetryCount: v.RetryCount,
		},
	}
	if v.Duration != nil { // nanoseconds here, milliseconds for the owner
		row.PublicState.ExecutedDuration = values.Ptr(*v.Duration * 1_000_000)
	}
	if v.Node != nil {
		row.Node = &cloudreveapi.AdminNode{
			Id: masterNodeID, Name: masterNodeName, Type: cloudreveapi.Master, Capabilities: values.Ptr(v.Node.Capabilities),
			Status: values.Ptr("active"), CreatedAt: values.Ptr(s.started), UpdatedAt: values.Ptr(s.started),
			Edges: &map[string]any{},
		}
	}
	return row
}

// adminUserJSON is an account's database row.
func (s *cloudreve) adminUserJSON(u *user) *cloudreveapi.AdminUser {
	return &cloudreveapi.AdminUser{
		Id: u.id, CreatedAt: values.Ptr(u.created), UpdatedAt: values.Ptr(u.created),
		Email: values.Ptr(u.email), Nick: values.Ptr(u.nickname), Status: values.Ptr("active"),
		GroupUsers: values.Ptr(int(u.group().id)), Settings: &map[string]any{}, Edges: &map[string]any{},
	}
}

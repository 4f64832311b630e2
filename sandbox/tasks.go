package sandbox

import (
	"context"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/boolset"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// The one node every task runs on.
const (
	masterNodeID   = 1
	masterNodeName = "Master (Local machine)"
)

// taskJSON renders a task; lists also show the node it runs on.
func (s *cloudreve) taskJSON(t taskView, withNode bool) cloudreveapi.TaskResponse {
	out := cloudreveapi.TaskResponse{
		Id: t.hid, Type: t.typ, Status: t.status, CreatedAt: t.created, UpdatedAt: t.updated,
	}
	sum := &cloudreveapi.TaskSummary{Props: values.Ptr(t.props)}
	if t.phase != "" {
		sum.Phase = values.Ptr(t.phase)
	}
	if t.download != nil {
		sum.Props.Download = t.download
	}
	out.Summary = sum
	if t.errMsg != "" {
		out.Error = values.Ptr(t.errMsg)
	}
	if len(t.errHistory) > 0 {
		out.ErrorHistory = values.Ptr(append([]string(nil), t.errHistory...))
	}
	switch {
	case t.finished():
		out.Duration = values.Ptr(t.execMs)
	case !t.started.IsZero():
		out.Duration = values.Ptr(time.Since(t.started).Milliseconds())
	}
	if t.status == cloudreveapi.TaskStatusSuspending && !t.resume.IsZero() {
		out.ResumeTime = values.Ptr(t.resume.Unix())
	}
	if withNode {
		out.Node = &cloudreveapi.Node{Id: s.ids.encode(kindNode, masterNodeID), Name: masterNodeName,
			Type: cloudreveapi.Master, Capabilities: boolset.Encode(1, 2, 3)}
	}
	return out
}

// taskCursor is the opaque next_page_token of a task list.
type taskCursor struct {
	Before int64 `json:"before"`
}

var taskCategories = map[cloudreveapi.ListTaskCategory]func(t *task) bool{
	cloudreveapi.ListTaskCategoryGeneral: func(t *task) bool {
		switch t.typ {
		case cloudreveapi.TaskTypeCreateArchive, cloudreveapi.TaskTypeExtractArchive,
			cloudreveapi.TaskTypeRelocate, cloudreveapi.TaskTypeImport:
			return true
		}
		return false
	},
	cloudreveapi.ListTaskCategoryDownloading: func(t *task) bool {
		return t.typ == cloudreveapi.TaskTypeRemoteDownload && !t.finished()
	},
	cloudreveapi.ListTaskCategoryDownloaded: func(t *task) bool {
		return t.typ == cloudreveapi.TaskTypeRemoteDownload && t.finished()
	},
}

// ListTasks is GET /workflow: the caller's tasks, newest first.
func (s *cloudreve) ListTasks(ctx context.Context, req cloudreveapi.ListTasksRequestObject) (cloudreveapi.ListTasksResponseObject, error) {
	q := req.Params
	switch {
	case q.PageSize < 10:
		return nil, bindErr("PageSize too short")
	case q.PageSize > 100:
		return nil, bindErr("PageSize too long")
	}
	match, ok := taskCategories[q.Category]
	if !ok {
		return nil, bindErr("")
	}
	var before int64
	if q.NextPageToken != nil && *q.NextPageToken != "" {
		var c taskCursor
		if !decodeCursor(*q.NextPageToken, &c) || c.Before <= 0 {
			return nil, fail(upstream.CodeParamError, "Invalid next page token")
		}
		before = c.Before
	}
	list := s.store.tasksOf(caller(ctx), match, before)
	out := cloudreveapi.TaskListResponse{
		Tasks:      []cloudreveapi.TaskResponse{},
		Pagination: cloudreveapi.PaginationResults{PageSize: q.PageSize, IsCursor: values.Ptr(true)},
	}
	if q.Category != cloudreveapi.ListTaskCategoryDownloading && len(list) > q.PageSize {
		list = list[:q.PageSize]
		out.Pagination.NextToken = values.Ptr(encodeCursor(taskCursor{Before: list[len(list)-1].id}))
	}
	for _, t := range list {
		out.Tasks = append(out.Tasks, s.taskJSON(t, true))
	}
	return cloudreveapi.ListTasks200JSONResponse{Data: &out}, nil
}

// GetTaskProgress is GET /workflow/progress/{id}: counters while the task is
// processing, {} in every other case (never an error).
func (s *cloudreve) GetTaskProgress(ctx context.Context, req cloudreveapi.GetTaskProgressRequestObject) (cloudreveapi.GetTaskProgressResponseObject, error) {
	out := s.store.taskProgress(caller(ctx), req.Id)
	if out == nil {
		out = map[string]cloudreveapi.Progress{}
	}
	return cloudreveapi.GetTaskProgress200JSONResponse{Data: &out}, nil
}

// CancelTask is DELETE /workflow/download/{id}.
func (s *cloudreve) CancelTask(ctx context.Context, req cloudreveapi.CancelTaskRequestObject) (cloudreveapi.CancelTaskResponseObject, error) {
	if aerr := s.store.cancelTask(caller(ctx), req.Id); aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.CancelTask200JSONResponse{}, nil
}

// SelectFilesToDownload is PATCH /workflow/download/{id}.
func (s *cloudreve) SelectFilesToDownload(ctx context.Context, req cloudreveapi.SelectFilesToDownloadRequestObject) (cloudreveapi.SelectFilesToDownloadResponseObject, error) {
	sel := make([]dlSelection, len(req.Body.Files))
	for i, f := range req.Body.Files {
		sel[i] = dlSelection{index: f.Index, download: f.Download != nil && *f.Download}
	}
	if aerr := s.store.selectDownloadFiles(caller(ctx), req.Id, sel); aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.SelectFilesToDownload200JSONResponse{}, nil
}

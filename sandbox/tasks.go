package sandbox

import (
	"context"
	"sort"
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
func (s *cloudreve) taskJSON(t *task, withNode bool) cloudreveapi.TaskResponse {
	out := cloudreveapi.TaskResponse{
		Id: t.hid, Type: t.typ, Status: t.status, CreatedAt: t.created, UpdatedAt: t.updated,
	}
	sum := &cloudreveapi.TaskSummary{Props: values.Ptr(t.props)}
	if t.phase != "" {
		sum.Phase = values.Ptr(t.phase)
	}
	if t.dl != nil {
		sum.Props.Download = values.Ptr(t.dl.status())
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
	u := caller(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []*task
	for _, t := range s.tasks {
		if t.owner == u && match(t) && (before == 0 || t.id < before) {
			list = append(list, t)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].id > list[j].id })
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
	out := map[string]cloudreveapi.Progress{}
	u := caller(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, ok := s.ids.decode(kindTask, req.Id); ok {
		if t := s.tasks[id]; t != nil && (t.owner == u || (u != nil && u.admin)) && t.status == cloudreveapi.TaskStatusProcessing {
			for k, v := range t.progress {
				out[k] = v
			}
		}
	}
	return cloudreveapi.GetTaskProgress200JSONResponse{Data: &out}, nil
}

// CancelTask is DELETE /workflow/download/{id}.
func (s *cloudreve) CancelTask(ctx context.Context, req cloudreveapi.CancelTaskRequestObject) (cloudreveapi.CancelTaskResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, aerr := s.runningTask(caller(ctx), req.Id)
	if aerr != nil {
		return nil, aerr
	}
	if t.typ == cloudreveapi.TaskTypeRemoteDownload {
		s.finish(t, cloudreveapi.TaskStatusCanceled)
		close(t.cancel)
	}
	return cloudreveapi.CancelTask200JSONResponse{}, nil
}

// SelectFilesToDownload is PATCH /workflow/download/{id}.
func (s *cloudreve) SelectFilesToDownload(ctx context.Context, req cloudreveapi.SelectFilesToDownloadRequestObject) (cloudreveapi.SelectFilesToDownloadResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, aerr := s.runningTask(caller(ctx), req.Id)
	if aerr != nil {
		return nil, aerr
	}
	if t.status != cloudreveapi.TaskStatusProcessing && t.status != cloudreveapi.TaskStatusSuspending {
		return nil, fail(upstream.CodeNotFound, "Task not in processing state")
	}
	if t.phase != phaseMonitor || t.dl == nil {
		return nil, fail(upstream.CodeNotFound, "Task not in monitoring loop")
	}
	for _, f := range req.Body.Files {
		if f.Index < 0 || f.Index >= len(t.dl.files) {
			return nil, fail(upstream.CodeInternalSetting, "Failed to select files: index %d out of range", f.Index)
		}
	}
	for _, f := range req.Body.Files {
		t.dl.files[f.Index].selected = f.Download != nil && *f.Download
	}
	t.updated = time.Now()
	return cloudreveapi.SelectFilesToDownload200JSONResponse{}, nil
}

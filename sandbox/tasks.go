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

// task is a background task of one user. Guarded by cloudreve.mu; its timeline
// runs on a goroutine (see runner).
type task struct {
	id         int64
	hid        string
	owner      *user
	corr       string // correlation id of the request that created it
	typ        cloudreveapi.TaskType
	status     cloudreveapi.TaskStatus
	phase      string
	props      cloudreveapi.TaskSummaryProps
	progress   map[string]cloudreveapi.Progress
	errMsg     string
	errHistory []string
	created    time.Time
	updated    time.Time
	started    time.Time // first picked up by the queue
	execMs     int64     // fixed when the task finishes
	resume     time.Time // while suspending
	cancel     chan struct{}
	dl         *download // remote downloads only
}

func (t *task) finished() bool {
	switch t.status {
	case cloudreveapi.TaskStatusCompleted, cloudreveapi.TaskStatusError, cloudreveapi.TaskStatusCanceled:
		return true
	}
	return false
}

// newTask registers a queued task of the caller. Callers hold mu.
func (s *cloudreve) newTask(u *user, typ cloudreveapi.TaskType, props cloudreveapi.TaskSummaryProps) *task {
	id, hid := s.nextID(kindTask)
	now := time.Now()
	t := &task{id: id, hid: hid, owner: u, corr: newUUID(), typ: typ, status: cloudreveapi.TaskStatusQueued, props: props,
		created: now, updated: now, cancel: make(chan struct{})}
	s.tasks[id] = t
	return t
}

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

// runner drives one task's timeline on its own goroutine; the queue counts
// it as busy except while it waits (queue.go).
type runner struct {
	s    *cloudreve
	t    *task
	tick chan struct{} // the queue poll after the last state change
}

// startTask launches fn for t unless the server is closed. Callers hold mu.
func (s *cloudreve) startTask(t *task, fn func(r *runner)) {
	if s.closed {
		return
	}
	r := &runner{s: s, t: t, tick: s.queue.tickCh}
	s.queue.busy++
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer func() {
			s.mu.Lock()
			s.idleLocked()
			s.mu.Unlock()
		}()
		fn(r)
	}()
}

// waitTick waits for the queue's first poll after the task's last state
// change (so a phase that began at a poll lasts one tick); false if the task
// ended meanwhile or the server closed.
func (r *runner) waitTick() bool {
	s := r.s
	s.mu.Lock()
	if r.tick == s.queue.tickCh { // no poll since the last change
		s.queue.waiting[r] = struct{}{}
		s.idleLocked()
		ch := r.tick
		s.mu.Unlock()
		polled := false
		select {
		case <-ch:
			polled = true
		case <-r.t.cancel:
		case <-s.done:
		}
		s.mu.Lock()
		if _, still := s.queue.waiting[r]; still { // woken by cancel or close, not by the poll
			delete(s.queue.waiting, r)
			s.queue.busy++
		}
		if !polled {
			s.mu.Unlock()
			return false
		}
	}
	r.tick = s.queue.tickCh
	s.mu.Unlock()
	return r.alive()
}

// sleep is a timed phase: the queue does not wait for the runner meanwhile.
func (r *runner) sleep(d time.Duration) bool {
	s := r.s
	s.mu.Lock()
	s.idleLocked()
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.queue.busy++
		s.mu.Unlock()
	}()
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return r.alive()
	case <-r.t.cancel:
	case <-s.done:
	}
	return false
}

func (r *runner) alive() bool {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return !r.t.finished()
}

// set changes the task under mu unless it already finished (e.g. canceled).
func (r *runner) set(fn func(t *task)) bool {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	if r.t.finished() {
		return false
	}
	if r.t.started.IsZero() {
		r.t.started = time.Now()
	}
	fn(r.t)
	r.t.updated = time.Now()
	r.tick = r.s.queue.tickCh
	return true
}

// to moves the task to a status and phase; suspending tasks resume at the
// next poll.
func (r *runner) to(status cloudreveapi.TaskStatus, phase string) bool {
	return r.set(func(t *task) {
		t.status, t.phase = status, phase
		t.progress = nil
		t.resume = time.Time{}
		if status == cloudreveapi.TaskStatusSuspending {
			t.resume = time.Now().Add(r.s.opts.Tick)
		}
	})
}

func (r *runner) fail(msg string) {
	r.set(func(t *task) {
		t.errMsg = msg
		t.errHistory = append(t.errHistory, msg)
		r.s.finish(t, cloudreveapi.TaskStatusError)
	})
}

func (r *runner) complete() {
	r.set(func(t *task) { r.s.finish(t, cloudreveapi.TaskStatusCompleted) })
}

// finish ends a task. Callers hold mu.
func (s *cloudreve) finish(t *task, status cloudreveapi.TaskStatus) {
	t.status = status
	t.progress = nil
	t.resume = time.Time{}
	if !t.started.IsZero() {
		t.execMs = time.Since(t.started).Milliseconds()
	}
	t.updated = time.Now()
}

// setProgress records one progress counter. Callers hold mu.
func (t *task) setProgress(key string, total, current int64) {
	if t.progress == nil {
		t.progress = map[string]cloudreveapi.Progress{}
	}
	t.progress[key] = cloudreveapi.Progress{Total: total, Current: current}
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

// runningTask finds a task of the caller still in the queue's registry.
// Callers hold mu.
func (s *cloudreve) runningTask(u *user, hid string) (*task, *apiError) {
	id, ok := s.ids.decode(kindTask, hid)
	if !ok {
		return nil, fail(upstream.CodeParamError, "Failed to parse object ID")
	}
	t := s.tasks[id]
	if t == nil || t.owner != u || t.finished() {
		return nil, fail(upstream.CodeNotFound, "Task not found")
	}
	return t, nil
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

// runningTaskCount is the number of tasks not yet finished.
func (s *store) runningTaskCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, t := range s.tasks {
		if !t.finished() {
			n++
		}
	}
	return n
}

package sandbox

import (
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Tasks and their timelines: every task runs on a runner goroutine that
// moves it through its phases as the queue polls (store_queue.go); the
// timelines of each task type are in store_runners.go and
// store_downloads.go.

// task is a background task of one user. Guarded by store.mu; its timeline
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
func (st *store) newTask(u *user, typ cloudreveapi.TaskType, props cloudreveapi.TaskSummaryProps) *task {
	id, hid := st.nextID(kindTask)
	now := time.Now()
	t := &task{id: id, hid: hid, owner: u, corr: newUUID(), typ: typ, status: cloudreveapi.TaskStatusQueued, props: props,
		created: now, updated: now, cancel: make(chan struct{})}
	st.tasks[id] = t
	return t
}

// runner drives one task's timeline on its own goroutine; the queue counts
// it as busy except while it waits (store_queue.go).
type runner struct {
	st   *store
	t    *task
	tick chan struct{} // the queue poll after the last state change
}

// startTask launches fn for t unless the server is closed. Callers hold mu.
func (st *store) startTask(t *task, fn func(r *runner)) {
	if st.closed {
		return
	}
	r := &runner{st: st, t: t, tick: st.queue.tickCh}
	st.queue.busy++
	st.wg.Add(1)
	go func() {
		defer st.wg.Done()
		defer func() {
			st.mu.Lock()
			st.idleLocked()
			st.mu.Unlock()
		}()
		fn(r)
	}()
}

// waitTick waits for the queue's first poll after the task's last state
// change (so a phase that began at a poll lasts one tick); false if the task
// ended meanwhile or the server closed.
func (r *runner) waitTick() bool {
	st := r.st
	st.mu.Lock()
	if r.tick == st.queue.tickCh { // no poll since the last change
		st.queue.waiting[r] = struct{}{}
		st.idleLocked()
		ch := r.tick
		st.mu.Unlock()
		polled := false
		select {
		case <-ch:
			polled = true
		case <-r.t.cancel:
		case <-st.done:
		}
		st.mu.Lock()
		if _, still := st.queue.waiting[r]; still { // woken by cancel or close, not by the poll
			delete(st.queue.waiting, r)
			st.queue.busy++
		}
		if !polled {
			st.mu.Unlock()
			return false
		}
	}
	r.tick = st.queue.tickCh
	st.mu.Unlock()
	return r.alive()
}

// sleep is a timed phase: the queue does not wait for the runner meanwhile.
func (r *runner) sleep(d time.Duration) bool {
	st := r.st
	st.mu.Lock()
	st.idleLocked()
	st.mu.Unlock()
	defer func() {
		st.mu.Lock()
		st.queue.busy++
		st.mu.Unlock()
	}()
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return r.alive()
	case <-r.t.cancel:
	case <-st.done:
	}
	return false
}

func (r *runner) alive() bool {
	r.st.mu.Lock()
	defer r.st.mu.Unlock()
	return !r.t.finished()
}

// set changes the task under mu unless it already finished (e.g. canceled).
func (r *runner) set(fn func(t *task)) bool {
	r.st.mu.Lock()
	defer r.st.mu.Unlock()
	if r.t.finished() {
		return false
	}
	if r.t.started.IsZero() {
		r.t.started = time.Now()
	}
	fn(r.t)
	r.t.updated = time.Now()
	r.tick = r.st.queue.tickCh
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
			t.resume = time.Now().Add(r.st.opts.Tick)
		}
	})
}

func (r *runner) fail(msg string) {
	r.set(func(t *task) {
		t.errMsg = msg
		t.errHistory = append(t.errHistory, msg)
		r.st.finish(t, cloudreveapi.TaskStatusError)
	})
}

func (r *runner) complete() {
	r.set(func(t *task) { r.st.finish(t, cloudreveapi.TaskStatusCompleted) })
}

// finish ends a task. Callers hold mu.
func (st *store) finish(t *task, status cloudreveapi.TaskStatus) {
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

// runningTask finds a task of the caller still in the queue's registry.
// Callers hold mu.
func (st *store) runningTask(u *user, hid string) (*task, *apiError) {
	id, ok := st.ids.decode(kindTask, hid)
	if !ok {
		return nil, fail(upstream.CodeParamError, "Failed to parse object ID")
	}
	t := st.tasks[id]
	if t == nil || t.owner != u || t.finished() {
		return nil, fail(upstream.CodeNotFound, "Task not found")
	}
	return t, nil
}

// runningTaskCount is the number of tasks not yet finished.
func (st *store) runningTaskCount() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	n := 0
	for _, t := range st.tasks {
		if !t.finished() {
			n++
		}
	}
	return n
}

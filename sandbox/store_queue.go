package sandbox

import (
	"context"
	"errors"
	"sync"
	"time"
)

// The task queue. Like the real one it polls every Tick; a test can also
// pause it and poll by hand (Server.Step), so a task's phases can be
// observed one at a time.
//
// Every task runs on a runner goroutine (store_tasks.go) that is, at any moment,
// busy (changing state under mu), waiting for the next poll, or in a timed
// phase (runner.sleep). queueState counts the busy ones so that a manual
// poll can return once every task has reacted to it.

// queueState is guarded by store.mu.
type queueState struct {
	tickCh  chan struct{}        // closed and replaced on every poll
	paused  bool                 // the ticker's polls are skipped
	busy    int                  // runners neither waiting for a poll nor in a timed phase
	waiting map[*runner]struct{} // runners waiting for the next poll
	settled *sync.Cond           // signalled when busy drops to 0 and on close
}

func (q *queueState) init(mu *sync.Mutex, paused bool) {
	q.tickCh = make(chan struct{})
	q.paused = paused
	q.waiting = map[*runner]struct{}{}
	q.settled = sync.NewCond(mu)
}

// pollLocked is one poll of the queue: every runner waiting for it becomes
// busy before it wakes, so a manual poll cannot return before they react.
// Callers hold mu.
func (st *store) pollLocked() {
	q := &st.queue
	close(q.tickCh)
	q.tickCh = make(chan struct{})
	for r := range q.waiting {
		delete(q.waiting, r)
		q.busy++
	}
}

// idleLocked marks the calling runner as no longer busy. Callers hold mu.
func (st *store) idleLocked() {
	st.queue.busy--
	if st.queue.busy == 0 {
		st.queue.settled.Broadcast()
	}
}

// runQueue is the queue's poller: every Tick, unless paused, it wakes the
// tasks that wait for the queue (queued or suspended ones).
func (st *store) runQueue() {
	defer st.wg.Done()
	t := time.NewTicker(st.opts.Tick)
	defer t.Stop()
	for {
		select {
		case <-st.done:
			return
		case <-t.C:
			st.mu.Lock()
			if !st.queue.paused {
				st.pollLocked()
			}
			st.mu.Unlock()
		}
	}
}

func (st *store) setPaused(p bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.queue.paused = p
}

// step polls once and waits until no runner is busy.
func (st *store) step() {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed {
		return
	}
	st.pollLocked()
	for st.queue.busy > 0 && !st.closed {
		st.queue.settled.Wait()
	}
}

// drain polls until every task has finished. Between polls it leaves timed
// phases a quarter of a tick to progress.
func (st *store) drain(ctx context.Context) error {
	for {
		st.step()
		if st.isClosed() {
			return errors.New("sandbox: closed")
		}
		if st.runningTaskCount() == 0 {
			return nil
		}
		t := time.NewTimer(st.opts.Tick / 4)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (st *store) isClosed() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.closed
}

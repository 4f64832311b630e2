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
// Every task runs on a runner goroutine (tasks.go) that is, at any moment,
// busy (changing state under mu), waiting for the next poll, or in a timed
// phase (runner.sleep). queueState counts the busy ones so that a manual
// poll can return once every task has reacted to it.

// queueState is guarded by cloudreve.mu.
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
func (s *cloudreve) pollLocked() {
	q := &s.queue
	close(q.tickCh)
	q.tickCh = make(chan struct{})
	for r := range q.waiting {
		delete(q.waiting, r)
		q.busy++
	}
}

// idleLocked marks the calling runner as no longer busy. Callers hold mu.
func (s *cloudreve) idleLocked() {
	s.queue.busy--
	if s.queue.busy == 0 {
		s.queue.settled.Broadcast()
	}
}

// runQueue is the queue's poller: every Tick, unless paused, it wakes the
// tasks that wait for the queue (queued or suspended ones).
func (s *cloudreve) runQueue() {
	defer s.wg.Done()
	t := time.NewTicker(s.opts.Tick)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			s.mu.Lock()
			if !s.queue.paused {
				s.pollLocked()
			}
			s.mu.Unlock()
		}
	}
}

func (s *cloudreve) setPaused(p bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue.paused = p
}

// step polls once and waits until no runner is busy.
func (s *cloudreve) step() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.pollLocked()
	for s.queue.busy > 0 && !s.closed {
		s.queue.settled.Wait()
	}
}

// drain polls until every task has finished. Between polls it leaves timed
// phases a quarter of a tick to progress.
func (s *cloudreve) drain(ctx context.Context) error {
	for {
		s.step()
		if s.isClosed() {
			return errors.New("sandbox: closed")
		}
		if s.runningTaskCount() == 0 {
			return nil
		}
		t := time.NewTimer(s.opts.Tick / 4)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (s *cloudreve) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

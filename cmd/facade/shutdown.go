package main

import (
	"context"
	"sync"
	"time"

	"connectrpc.com/connect/v2"
)

// streamCloser ends server streams when the facade shuts down, so that
// http.Server.Shutdown does not wait for streams that would never end,
// while unary calls in flight are left to finish.
type streamCloser struct {
	done   <-chan struct{}
	active *sync.WaitGroup
}

func newStreamCloser(done <-chan struct{}) streamCloser {
	return streamCloser{done: done, active: &sync.WaitGroup{}}
}

// wait blocks until every stream handler returned (and so wrote its final
// status), or the timeout passed.
func (s streamCloser) wait(timeout time.Duration) bool {
	finished := make(chan struct{})
	go func() { s.active.Wait(); close(finished) }()
	select {
	case <-finished:
		return true
	case <-time.After(timeout):
		return false
	}
}

// intercept is the interceptor of every RPC; only streams are watched.
func (s streamCloser) intercept(next connect.ServerFunc) connect.ServerFunc {
	return func(ctx context.Context, spec connect.Spec, stream connect.ServerStream) error {
		if spec.StreamType == connect.StreamTypeUnary {
			return next(ctx, spec, stream)
		}
		s.active.Add(1)
		defer s.active.Done()
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go func() {
			select {
			case <-s.done:
				cancel()
			case <-ctx.Done():
			}
		}()
		return next(ctx, spec, stream)
	}
}

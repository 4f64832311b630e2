package main

import (
	"context"
	"sync"
	"time"

	"connectrpc.com/connect"
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

func (s streamCloser) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc { return next }

func (s streamCloser) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (s streamCloser) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
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
		return next(ctx, conn)
	}
}

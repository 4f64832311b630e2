package main

import (
	"context"

	"connectrpc.com/connect"
)

// streamCloser ends server streams when the facade shuts down, so that
// http.Server.Shutdown does not wait for streams that would never end,
// while unary calls in flight are left to finish.
type streamCloser struct{ done <-chan struct{} }

func (s streamCloser) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc { return next }

func (s streamCloser) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (s streamCloser) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
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

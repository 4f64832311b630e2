package main

import (
	"context"
	"fmt"
	"sync/atomic"

	"connectrpc.com/connect"
)

// streamLimiter caps the streaming RPCs open at once across all callers:
// each WatchTask or WatchTasks holds a NATS consumer, so an unbounded number
// of them would exhaust the facade. Calls over the cap are refused at once
// with ResourceExhausted, which clients retry later.
type streamLimiter struct {
	max  int64
	open atomic.Int64
}

func newStreamLimiter(max int) *streamLimiter { return &streamLimiter{max: int64(max)} }

// Open counts the streams open now.
func (l *streamLimiter) Open() int64 { return l.open.Load() }

func (l *streamLimiter) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc { return next }

func (l *streamLimiter) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (l *streamLimiter) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		if l.max > 0 {
			if n := l.open.Add(1); n > l.max {
				l.open.Add(-1)
				return connect.NewError(connect.CodeResourceExhausted,
					fmt.Errorf("the facade already serves %d streams (--max-streams); try again later", l.max))
			}
		} else {
			l.open.Add(1)
		}
		defer l.open.Add(-1)
		return next(ctx, conn)
	}
}

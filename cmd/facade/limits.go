package main

import (
	"context"
	"sync/atomic"

	"connectrpc.com/connect/v2"
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

// intercept is the interceptor of every RPC; only streams count.
func (l *streamLimiter) intercept(next connect.ServerFunc) connect.ServerFunc {
	return func(ctx context.Context, spec connect.Spec, stream connect.ServerStream) error {
		if spec.StreamType == connect.StreamTypeUnary {
			return next(ctx, spec, stream)
		}
		if l.max > 0 {
			if n := l.open.Add(1); n > l.max {
				l.open.Add(-1)
				return connect.Errorf(connect.CodeResourceExhausted,
					"the facade already serves %d streams (--max-streams); try again later", l.max)
			}
		} else {
			l.open.Add(1)
		}
		defer l.open.Add(-1)
		return next(ctx, spec, stream)
	}
}

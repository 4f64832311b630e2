// Package jetsetup bounds the creation of the facade's JetStream streams and
// buckets. Without a deadline of its own, a JetStream request waits the
// client's default of 5 s; creating or updating a stream replicated three
// times (a new Raft group on every node) can take longer on a busy cluster,
// and a facade that gave up would not start.
package jetsetup

import (
	"context"
	"time"
)

// Timeout is how long one stream or bucket may take to be created or
// updated.
const Timeout = 30 * time.Second

// Context bounds one creation by Timeout, unless ctx already has a deadline.
func Context(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, Timeout)
}

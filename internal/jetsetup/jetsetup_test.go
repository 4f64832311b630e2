package jetsetup

import (
	"context"
	"testing"
	"time"
)

func TestContextBoundsOnlyUnboundedCreations(t *testing.T) {
	ctx, cancel := Context(context.Background())
	defer cancel()
	deadline, ok := ctx.Deadline()
	if left := time.Until(deadline); !ok || left <= 5*time.Second || left > Timeout {
		t.Fatalf("an unbounded creation got %v left (deadline %v), want up to %s", left, ok, Timeout)
	}
	caller, stop := context.WithTimeout(context.Background(), time.Second)
	defer stop()
	ctx, cancel = Context(caller)
	defer cancel()
	if d, _ := ctx.Deadline(); d != func() time.Time { d, _ := caller.Deadline(); return d }() {
		t.Fatalf("the caller's deadline was replaced: %v", d)
	}
}

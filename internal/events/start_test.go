package events

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
)

// The start positions of a subscription: every retained event from the
// first one the stream still holds (older ones already dropped), or those
// stored since a time; either way the live events follow without a gap.
func TestStartPositions(t *testing.T) {
	bus := openBus(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	publish := func(task string, seq uint64) uint64 {
		t.Helper()
		p, err := bus.Publish(ctx, event("u1", task, seq, taskv1.TaskStatus_TASK_STATUS_PROCESSING))
		if err != nil {
			t.Fatal(err)
		}
		return p.StreamSequence
	}
	publish("a", 1)
	publish("a", 2)
	firstKept := publish("b", 1)
	time.Sleep(20 * time.Millisecond) // store times are what ByStartTime compares
	since := time.Now()
	publish("b", 2)
	// Retention dropped the oldest events.
	if err := bus.stream.Purge(ctx, jetstream.WithPurgeSequence(firstKept)); err != nil {
		t.Fatal(err)
	}

	collect := func(f Filter, n int, live func()) []string {
		t.Helper()
		var got []string
		f.Ready = func() error {
			if live != nil {
				go live()
			}
			return nil
		}
		err := bus.Subscribe(ctx, f, func(d Delivered) (bool, error) {
			got = append(got, d.Event.GetId())
			return len(got) < n, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	got := collect(Filter{UserID: "u1", DeliverAll: true}, 3, func() { publish("c", 1) })
	if len(got) != 3 || got[0] != "b.1" || got[1] != "b.2" || got[2] != "c.1" {
		t.Errorf("all retained, then live: %v", got)
	}
	got = collect(Filter{UserID: "u1", ByStartTime: since}, 3, func() { publish("d", 1) })
	if len(got) != 3 || got[0] != "b.2" || got[1] != "c.1" || got[2] != "d.1" {
		t.Errorf("since a time, then live: %v", got)
	}
	err := bus.Subscribe(ctx, Filter{UserID: "u1", DeliverAll: true, AfterSequence: 2}, func(Delivered) (bool, error) { return false, nil })
	if !errors.Is(err, ErrBadFilter) {
		t.Errorf("two start positions: %v", err)
	}
}

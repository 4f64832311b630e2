package watcher

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	"github.com/cloudreve-connect/facade/internal/events"
	"github.com/cloudreve-connect/facade/internal/natsembed/natstest"
	"github.com/cloudreve-connect/facade/internal/secretbox"
)

func newTestWatcher(t *testing.T) (*Watcher, *events.Bus, *time.Time) {
	t.Helper()
	nc := natstest.Conn(t)
	ctx := context.Background()
	bus, err := events.Open(ctx, nc, events.Config{})
	if err != nil {
		t.Fatal(err)
	}
	box, _ := secretbox.New(make([]byte, secretbox.KeySize))
	w, err := New(ctx, Config{ProgressInterval: time.Second}, nil, bus, box, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1700000000, 0)
	w.now = func() time.Time { return now }
	return w, bus, &now
}

func snapshot(status taskv1.TaskStatus, phase string, current int64) *taskv1.Task {
	t := &taskv1.Task{Id: "t1", Type: taskv1.TaskType_TASK_TYPE_CREATE_ARCHIVE, Status: status, Phase: phase}
	if current > 0 {
		t.Progress = map[string]*taskv1.Progress{"upload": {Total: 100, Current: current}}
	}
	return t
}

// Progress-only changes are throttled per task, but the newest progress is
// published before a status change, and status/phase changes always are.
func TestObserveThrottlesProgressOnly(t *testing.T) {
	w, bus, now := newTestWatcher(t)
	ctx := context.Background()
	wt := &watch{rec: record{UserID: "u1", TaskID: "t1", Type: "create_archive"}}
	step := func(d time.Duration, task *taskv1.Task) {
		*now = now.Add(d)
		if err := w.observe(ctx, wt, task); err != nil {
			t.Fatal(err)
		}
	}
	P, S, C := taskv1.TaskStatus_TASK_STATUS_PROCESSING, taskv1.TaskStatus_TASK_STATUS_SUSPENDING, taskv1.TaskStatus_TASK_STATUS_COMPLETED
	step(0, snapshot(taskv1.TaskStatus_TASK_STATUS_QUEUED, "", 0)) // 1 first seen
	step(100*time.Millisecond, snapshot(S, "compress_files", 0))   // 2 status+phase
	step(100*time.Millisecond, snapshot(S, "compress_files", 0))   // nothing changed
	step(100*time.Millisecond, snapshot(P, "upload_archive", 10))  // 3 status+phase+progress
	step(100*time.Millisecond, snapshot(P, "upload_archive", 20))  // held back
	step(100*time.Millisecond, snapshot(P, "upload_archive", 30))  // held back
	step(1500*time.Millisecond, snapshot(P, "upload_archive", 40)) // 4 progress (interval passed)
	step(100*time.Millisecond, snapshot(P, "upload_archive", 90))  // held back
	step(100*time.Millisecond, snapshot(C, "upload_archive", 0))   // 5 the held progress 90, 6 completed

	var got []string
	for _, ev := range allEvents(t, bus) {
		var kinds []string
		for _, c := range ev.GetChanges() {
			kinds = append(kinds, strings.TrimPrefix(c.String(), "CHANGE_"))
		}
		cur := ev.GetTask().GetProgress()["upload"].GetCurrent()
		got = append(got, fmt.Sprintf("%s:%s:%d", strings.Join(kinds, "+"), strings.TrimPrefix(ev.GetTask().GetStatus().String(), "TASK_STATUS_"), cur))
	}
	want := []string{
		"FIRST_SEEN:QUEUED:0",
		"STATUS+PHASE:SUSPENDING:0",
		"STATUS+PHASE+PROGRESS:PROCESSING:10",
		"PROGRESS:PROCESSING:40",
		"PROGRESS:PROCESSING:90",
		"STATUS+PROGRESS+FINISHED:COMPLETED:0",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("events:\n got %v\nwant %v", got, want)
	}
	if w.Active() != 0 {
		t.Errorf("watch not ended after the final event")
	}
}

func allEvents(t *testing.T, bus *events.Bus) []*eventsv1.TaskEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cons, err := bus.JetStream().OrderedConsumer(ctx, events.Stream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var out []*eventsv1.TaskEvent
	for {
		msg, err := cons.Next(jetstream.FetchMaxWait(300 * time.Millisecond))
		if err != nil {
			return out
		}
		ev := &eventsv1.TaskEvent{}
		if err := proto.Unmarshal(msg.Data(), ev); err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
}

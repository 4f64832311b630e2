package events

import (
	"context"
	"errors"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	"github.com/cloudreve-connect/facade/internal/natsembed/natstest"
)

func openBus(t *testing.T) *Bus {
	t.Helper()
	return openBusWith(t, Config{Source: "test"})
}

func openBusWith(t *testing.T, cfg Config) *Bus {
	t.Helper()
	nc := natstest.Conn(t)
	bus, err := Open(context.Background(), nc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(bus.Close)
	return bus
}

func event(user, task string, seq uint64, status taskv1.TaskStatus, changes ...eventsv1.Change) *eventsv1.TaskEvent {
	return &eventsv1.TaskEvent{
		Id: EventID(task, seq), UserId: user, Sequence: seq, Changes: changes,
		Task:       &taskv1.Task{Id: task, Type: taskv1.TaskType_TASK_TYPE_CREATE_ARCHIVE, Status: status},
		ObservedAt: timestamppb.New(time.Unix(1700000000, 0)),
	}
}

// Two publishers that both believe they follow a task cannot both append
// its next event: the second one is told the task moved on.
func TestPublishAfterFencesConcurrentPublishers(t *testing.T) {
	bus := openBus(t)
	ctx := context.Background()
	first, err := bus.PublishAfter(ctx, event("u1", "t1", 1, taskv1.TaskStatus_TASK_STATUS_QUEUED, eventsv1.Change_CHANGE_FIRST_SEEN), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bus.PublishAfter(ctx, event("u1", "t1", 1, taskv1.TaskStatus_TASK_STATUS_PROCESSING, eventsv1.Change_CHANGE_FIRST_SEEN), 0); !errors.Is(err, ErrNotNext) {
		t.Fatalf("a second first event: %v, want ErrNotNext", err)
	}
	a := event("u1", "t1", 2, taskv1.TaskStatus_TASK_STATUS_PROCESSING, eventsv1.Change_CHANGE_STATUS)
	if _, err := bus.PublishAfter(ctx, a, first.StreamSequence); err != nil {
		t.Fatal(err)
	}
	b := event("u1", "t1", 3, taskv1.TaskStatus_TASK_STATUS_COMPLETED, eventsv1.Change_CHANGE_STATUS, eventsv1.Change_CHANGE_FINISHED)
	if _, err := bus.PublishAfter(ctx, b, first.StreamSequence); !errors.Is(err, ErrNotNext) {
		t.Fatalf("publishing after a stale sequence: %v, want ErrNotNext", err)
	}
	last, _, err := bus.Last(ctx, "u1", "create_archive", "t1")
	if err != nil || last.GetSequence() != 2 {
		t.Fatalf("last: %v %v", last, err)
	}
}

func TestRepublishingIsDropped(t *testing.T) {
	bus := openBus(t)
	ctx := context.Background()
	ev := event("u1", "t1", 1, taskv1.TaskStatus_TASK_STATUS_QUEUED, eventsv1.Change_CHANGE_FIRST_SEEN)
	first, err := bus.Publish(ctx, ev)
	if err != nil || first.Duplicate {
		t.Fatalf("first publish: %v %v", first, err)
	}
	again, err := bus.Publish(ctx, ev)
	if err != nil || !again.Duplicate || again.StreamSequence != first.StreamSequence {
		t.Fatalf("republish: %+v %v", again, err)
	}
	next, err := bus.Publish(ctx, event("u1", "t1", 2, taskv1.TaskStatus_TASK_STATUS_COMPLETED, eventsv1.Change_CHANGE_STATUS, eventsv1.Change_CHANGE_FINISHED))
	if err != nil || next.Duplicate || next.StreamSequence != first.StreamSequence+1 {
		t.Fatalf("next: %+v %v", next, err)
	}
	last, seq, err := bus.Last(ctx, "u1", "create_archive", "t1")
	if err != nil || seq != next.StreamSequence || last.GetSequence() != 2 {
		t.Fatalf("last: %v %d %v", last, seq, err)
	}
	if any, err := bus.LastOfTask(ctx, "u1", "t1"); err != nil || any.GetSequence() != 2 {
		t.Fatalf("last of task: %v %v", any, err)
	}
	if none, err := bus.LastOfTask(ctx, "u2", "t1"); err != nil || none != nil {
		t.Fatalf("another user's view: %v %v", none, err)
	}
}

func TestSubscribeFilters(t *testing.T) {
	bus := openBus(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i, ev := range []*eventsv1.TaskEvent{
		event("u1", "a", 1, taskv1.TaskStatus_TASK_STATUS_QUEUED),
		event("u2", "b", 1, taskv1.TaskStatus_TASK_STATUS_QUEUED),
		event("u1", "a", 2, taskv1.TaskStatus_TASK_STATUS_PROCESSING),
		event("u1", "c", 1, taskv1.TaskStatus_TASK_STATUS_QUEUED),
	} {
		if i == 3 {
			ev.Task.Type = taskv1.TaskType_TASK_TYPE_REMOTE_DOWNLOAD
		}
		if _, err := bus.Publish(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	collect := func(f Filter, n int) []string {
		var got []string
		err := bus.Subscribe(ctx, f, func(d Delivered) (bool, error) {
			got = append(got, d.Event.GetId())
			return len(got) < n, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := collect(Filter{UserID: "u1", ID: "a", LastPerSubject: true}, 1); got[0] != "a.2" {
		t.Errorf("snapshot of a: %v", got)
	}
	if got := collect(Filter{UserID: "u1", AfterSequence: 1}, 2); got[0] != "a.2" || got[1] != "c.1" {
		t.Errorf("u1 after 1: %v", got)
	}
	if got := collect(Filter{UserID: "u1", Types: []string{"remote_download"}, AfterSequence: 0, LastPerSubject: true}, 1); got[0] != "c.1" {
		t.Errorf("u1 downloads: %v", got)
	}
}

func TestCloudEventType(t *testing.T) {
	cases := map[string][]eventsv1.Change{
		"cloudreve.task.v1.finished":   {eventsv1.Change_CHANGE_STATUS, eventsv1.Change_CHANGE_FINISHED},
		"cloudreve.task.v1.first_seen": {eventsv1.Change_CHANGE_FIRST_SEEN},
		"cloudreve.task.v1.progress":   {eventsv1.Change_CHANGE_PROGRESS},
		"cloudreve.task.v1.watch_lost": {eventsv1.Change_CHANGE_WATCH_LOST},
	}
	for want, changes := range cases {
		if got := CloudEventType(&eventsv1.TaskEvent{Changes: changes}); got != want {
			t.Errorf("%v → %s, want %s", changes, got, want)
		}
	}
}

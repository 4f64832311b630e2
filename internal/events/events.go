// Package events publishes the facade's events on NATS JetStream and reads
// them back for streaming subscribers: task events (this file) and file
// events (files.go), each a stream whose subjects, headers and ids are
// defined here once, on one generic core (feed.go).
package events

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	"github.com/cloudreve-connect/facade/internal/tasks"
)

const (
	// Stream captures every task event.
	Stream = "CLOUDREVE_TASKS"
	// SubjectPrefix is followed by <user_id>.<task_type>.<task_id>.
	SubjectPrefix = "cloudreve.v1.tasks"
	// EventSchema names the payload message.
	EventSchema = "cloudreve.events.v1.TaskEvent"
)

// Bus publishes and reads task events.
type Bus struct {
	*Feed[*eventsv1.TaskEvent]
}

// Delivered is a task event read from the stream.
type Delivered = Delivery[*eventsv1.TaskEvent]

var taskSpec = Spec[*eventsv1.TaskEvent]{
	Stream: Stream, Prefix: SubjectPrefix, IDs: true,
	Description: "Cloudreve task events published by the facade",
	New:         func() *eventsv1.TaskEvent { return &eventsv1.TaskEvent{} },
}

// Open creates or updates the task stream.
func Open(ctx context.Context, nc *nats.Conn, cfg Config) (*Bus, error) {
	f, err := openFeed(ctx, nc, cfg, taskSpec)
	if err != nil {
		return nil, err
	}
	return &Bus{f}, nil
}

// Subject of one task's events.
func Subject(userID, taskType, taskID string) string {
	return strings.Join([]string{SubjectPrefix, userID, taskType, taskID}, ".")
}

// SubjectOf an event.
func SubjectOf(ev *eventsv1.TaskEvent) string {
	return Subject(ev.GetUserId(), tasks.TypeName(ev.GetTask().GetType()), ev.GetTask().GetId())
}

// EventID is the id of a task's n-th event; also its Nats-Msg-Id.
func EventID(taskID string, seq uint64) string { return fmt.Sprintf("%s.%d", taskID, seq) }

// ErrNotNext: the task's subject moved on since the stream sequence the
// publisher expected (another replica published meanwhile).
var ErrNotNext = errors.New("events: the task has a newer event than expected")

// Publish stores one event. Republishing the same event (same id) within
// the duplicate window is acknowledged but dropped.
func (b *Bus) Publish(ctx context.Context, ev *eventsv1.TaskEvent) (Published, error) {
	return b.publishTask(ctx, ev)
}

// PublishAfter stores an event only if the task's newest event is still the
// one at stream sequence prev (0: the task has none): JetStream checks it
// (Nats-Expected-Last-Subject-Sequence), so two replicas that both think they
// follow a task cannot fork its sequence. A conflict is ErrNotNext.
func (b *Bus) PublishAfter(ctx context.Context, ev *eventsv1.TaskEvent, prev uint64) (Published, error) {
	pub, err := b.publishTask(ctx, ev, jetstream.WithExpectLastSequencePerSubject(prev))
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) && (apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
		apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant) {
		return Published{}, fmt.Errorf("%w: %s", ErrNotNext, ev.GetId())
	}
	return pub, err
}

func (b *Bus) publishTask(ctx context.Context, ev *eventsv1.TaskEvent, opts ...jetstream.PublishOpt) (Published, error) {
	return b.publish(ctx, SubjectOf(ev), ev, cloudEvent{
		id: ev.GetId(), typ: CloudEventType(ev), subject: "tasks/" + ev.GetTask().GetId(),
		schema: EventSchema, time: ev.GetObservedAt().AsTime(),
	}, opts...)
}

// CloudEventType names the most significant change of an event, e.g.
// "cloudreve.task.v1.finished".
func CloudEventType(ev *eventsv1.TaskEvent) string {
	kind := "changed"
	for _, c := range []eventsv1.Change{
		eventsv1.Change_CHANGE_WATCH_LOST, eventsv1.Change_CHANGE_FINISHED, eventsv1.Change_CHANGE_FIRST_SEEN,
		eventsv1.Change_CHANGE_STATUS, eventsv1.Change_CHANGE_PHASE, eventsv1.Change_CHANGE_PROGRESS,
	} {
		if has(ev.GetChanges(), c) {
			kind = strings.ToLower(strings.TrimPrefix(c.String(), "CHANGE_"))
			break
		}
	}
	return "cloudreve.task.v1." + kind
}

func has(changes []eventsv1.Change, c eventsv1.Change) bool {
	for _, x := range changes {
		if x == c {
			return true
		}
	}
	return false
}

// Last returns the newest event of a task, or nil if it has none.
func (b *Bus) Last(ctx context.Context, userID, taskType, taskID string) (*eventsv1.TaskEvent, uint64, error) {
	raw, err := b.stream.GetLastMsgForSubject(ctx, Subject(userID, taskType, taskID))
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	d, err := b.decode(raw.Subject, raw.Data, raw.Sequence)
	if err != nil {
		return nil, 0, err
	}
	return d.Event, raw.Sequence, nil
}

// LastOfTask returns the newest event of a user's task of any type, or nil.
func (b *Bus) LastOfTask(ctx context.Context, userID, taskID string) (*eventsv1.TaskEvent, error) {
	ev, _, err := b.Last(ctx, userID, "*", taskID)
	return ev, err
}

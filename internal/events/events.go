// Package events publishes task events on NATS JetStream and reads them back
// for streaming subscribers. Subjects, stream, headers and ids are defined
// here once.
package events

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	"github.com/cloudreve-connect/facade/internal/tasks"
)

const (
	// Stream captures every task event.
	Stream = "CLOUDREVE_TASKS"
	// SubjectPrefix is followed by <user_id>.<task_type>.<task_id>.
	SubjectPrefix = "cloudreve.v1.tasks"
	// ContentType of the payload: a binary protobuf TaskEvent.
	ContentType = "application/protobuf"
	// EventSchema names the payload message.
	EventSchema = "cloudreve.events.v1.TaskEvent"
)

// Config of the stream. Zero values take the defaults.
type Config struct {
	// MaxAge bounds how long events are kept. Default 7 days.
	MaxAge time.Duration
	// DuplicateWindow is how long JetStream remembers message ids to drop
	// republished events. Default 10 minutes.
	DuplicateWindow time.Duration
	// Source is the CloudEvents source of published events.
	Source string
	// Replicas of the stream in a cluster. Default 1.
	Replicas int
	// SubscriberBuffer is how many live events may wait for a subscriber
	// (besides the batch it is delivering) before it is ended with
	// ErrLagged; it resumes after the last event it was given. Default 1024.
	SubscriberBuffer int
}

// Bus publishes and reads task events.
type Bus struct {
	js         jetstream.JetStream
	stream     jetstream.Stream
	source     string
	bufferSize int
	open       atomic.Int64 // subscriptions

	hubMu  sync.Mutex
	hub    *hub // the live feed, started by the first subscription
	closed bool
}

// Open creates or updates the stream.
func Open(ctx context.Context, nc *nats.Conn, cfg Config) (*Bus, error) {
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = 7 * 24 * time.Hour
	}
	if cfg.DuplicateWindow <= 0 {
		cfg.DuplicateWindow = 10 * time.Minute
	}
	if cfg.Replicas <= 0 {
		cfg.Replicas = 1
	}
	if cfg.Source == "" {
		cfg.Source = "cloudreve-facade"
	}
	if cfg.SubscriberBuffer <= 0 {
		cfg.SubscriberBuffer = 1024
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	stream, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        Stream,
		Description: "Cloudreve task events published by the facade",
		Subjects:    []string{SubjectPrefix + ".>"},
		Storage:     jetstream.FileStorage,
		MaxAge:      cfg.MaxAge,
		Duplicates:  cfg.DuplicateWindow,
		Replicas:    cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("events: stream %s: %w", Stream, err)
	}
	return &Bus{js: js, stream: stream, source: cfg.Source, bufferSize: cfg.SubscriberBuffer}, nil
}

// JetStream exposes the context for other JetStream users (the watch store).
func (b *Bus) JetStream() jetstream.JetStream { return b.js }

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

// Published says where an event landed.
type Published struct {
	StreamSequence uint64
	// Duplicate is true when JetStream already had an event with this id.
	Duplicate bool
}

// ErrNotNext: the task's subject moved on since the stream sequence the
// publisher expected (another replica published meanwhile).
var ErrNotNext = errors.New("events: the task has a newer event than expected")

// Publish stores one event. Republishing the same event (same id) within
// the duplicate window is acknowledged but dropped.
func (b *Bus) Publish(ctx context.Context, ev *eventsv1.TaskEvent) (Published, error) {
	return b.publish(ctx, ev)
}

// PublishAfter stores an event only if the task's newest event is still the
// one at stream sequence prev (0: the task has none): JetStream checks it
// (Nats-Expected-Last-Subject-Sequence), so two replicas that both think they
// follow a task cannot fork its sequence. A conflict is ErrNotNext.
func (b *Bus) PublishAfter(ctx context.Context, ev *eventsv1.TaskEvent, prev uint64) (Published, error) {
	pub, err := b.publish(ctx, ev, jetstream.WithExpectLastSequencePerSubject(prev))
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) && (apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
		apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant) {
		return Published{}, fmt.Errorf("%w: %s", ErrNotNext, ev.GetId())
	}
	return pub, err
}

func (b *Bus) publish(ctx context.Context, ev *eventsv1.TaskEvent, opts ...jetstream.PublishOpt) (Published, error) {
	data, err := proto.Marshal(ev)
	if err != nil {
		return Published{}, err
	}
	msg := nats.NewMsg(SubjectOf(ev))
	msg.Data = data
	msg.Header.Set(nats.MsgIdHdr, ev.GetId())
	msg.Header.Set("Content-Type", ContentType)
	// CloudEvents 1.0, binary content mode.
	msg.Header.Set("ce-specversion", "1.0")
	msg.Header.Set("ce-type", CloudEventType(ev))
	msg.Header.Set("ce-source", b.source)
	msg.Header.Set("ce-id", ev.GetId())
	msg.Header.Set("ce-time", ev.GetObservedAt().AsTime().UTC().Format(time.RFC3339Nano))
	msg.Header.Set("ce-subject", "tasks/"+ev.GetTask().GetId())
	msg.Header.Set("ce-dataschema", EventSchema)
	ack, err := b.js.PublishMsg(ctx, msg, opts...)
	if err != nil {
		return Published{}, fmt.Errorf("events: publish %s: %w", ev.GetId(), err)
	}
	return Published{StreamSequence: ack.Sequence, Duplicate: ack.Duplicate}, nil
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
	ev := &eventsv1.TaskEvent{}
	if err := proto.Unmarshal(raw.Data, ev); err != nil {
		return nil, 0, fmt.Errorf("events: decode %s: %w", raw.Subject, err)
	}
	return ev, raw.Sequence, nil
}

// LastOfTask returns the newest event of a user's task of any type, or nil.
func (b *Bus) LastOfTask(ctx context.Context, userID, taskID string) (*eventsv1.TaskEvent, error) {
	ev, _, err := b.Last(ctx, userID, "*", taskID)
	return ev, err
}

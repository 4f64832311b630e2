package events

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	"github.com/cloudreve-connect/facade/internal/jetsetup"
)

// ContentType of every payload: a binary protobuf message.
const ContentType = "application/protobuf"

// Config of a stream. Zero values take the defaults.
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

func (c *Config) defaults() {
	if c.MaxAge <= 0 {
		c.MaxAge = 7 * 24 * time.Hour
	}
	if c.DuplicateWindow <= 0 {
		c.DuplicateWindow = 10 * time.Minute
	}
	if c.Replicas <= 0 {
		c.Replicas = 1
	}
	if c.Source == "" {
		c.Source = "cloudreve-facade"
	}
	if c.SubscriberBuffer <= 0 {
		c.SubscriberBuffer = 1024
	}
}

// Spec describes one stream of events of message type E. Subjects are
// <Prefix>.<user_id>.<type>, followed by .<id> when IDs is set.
type Spec[E proto.Message] struct {
	Stream      string
	Prefix      string
	Description string
	IDs         bool
	// New returns an empty message to decode into.
	New func() E
}

// Feed publishes events of one stream and reads them back for any number
// of subscribers through one shared live feed (hub.go).
type Feed[E proto.Message] struct {
	spec       Spec[E]
	js         jetstream.JetStream
	stream     jetstream.Stream
	source     string
	bufferSize int
	open       atomic.Int64 // subscriptions

	hubMu  sync.Mutex
	hub    *hub[E] // the live feed, started by the first subscription
	closed bool
}

// openFeed creates or updates the stream of spec.
func openFeed[E proto.Message](ctx context.Context, nc *nats.Conn, cfg Config, spec Spec[E]) (*Feed[E], error) {
	cfg.defaults()
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	stream, err := jetsetup.Stream(ctx, js, jetstream.StreamConfig{
		Name:        spec.Stream,
		Description: spec.Description,
		Subjects:    []string{spec.Prefix + ".>"},
		Storage:     jetstream.FileStorage,
		MaxAge:      cfg.MaxAge,
		Duplicates:  cfg.DuplicateWindow,
		Replicas:    cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("events: stream %s: %w", spec.Stream, err)
	}
	return &Feed[E]{spec: spec, js: js, stream: stream, source: cfg.Source, bufferSize: cfg.SubscriberBuffer}, nil
}

// JetStream exposes the context for other JetStream users (the watch stores).
func (f *Feed[E]) JetStream() jetstream.JetStream { return f.js }

// subject joins the subject of one event: the user, the type and, on a
// stream with ids, the id.
func (f *Feed[E]) subject(userID, typ, id string) string {
	parts := []string{f.spec.Prefix, userID, typ}
	if f.spec.IDs {
		parts = append(parts, id)
	}
	return strings.Join(parts, ".")
}

// parseSubject splits <prefix>.<user>.<type>[.<id>].
func (f *Feed[E]) parseSubject(subject string) (user, typ, id string, ok bool) {
	rest, found := strings.CutPrefix(subject, f.spec.Prefix+".")
	if !found {
		return "", "", "", false
	}
	parts := strings.Split(rest, ".")
	switch {
	case f.spec.IDs && len(parts) == 3:
		return parts[0], parts[1], parts[2], true
	case !f.spec.IDs && len(parts) == 2:
		return parts[0], parts[1], "", true
	}
	return "", "", "", false
}

// Published says where an event landed.
type Published struct {
	StreamSequence uint64
	// Duplicate is true when JetStream already had an event with this id.
	Duplicate bool
}

// cloudEvent are the CloudEvents 1.0 attributes of a message (binary
// content mode, in headers).
type cloudEvent struct {
	id, typ, subject, schema string
	time                     time.Time
}

// publish stores one event under its id (Nats-Msg-Id): republishing the
// same id within the duplicate window is acknowledged but dropped.
func (f *Feed[E]) publish(ctx context.Context, subject string, ev E, ce cloudEvent, opts ...jetstream.PublishOpt) (Published, error) {
	data, err := proto.Marshal(ev)
	if err != nil {
		return Published{}, err
	}
	msg := nats.NewMsg(subject)
	msg.Data = data
	msg.Header.Set(nats.MsgIdHdr, ce.id)
	msg.Header.Set("Content-Type", ContentType)
	msg.Header.Set("ce-specversion", "1.0")
	msg.Header.Set("ce-type", ce.typ)
	msg.Header.Set("ce-source", f.source)
	msg.Header.Set("ce-id", ce.id)
	msg.Header.Set("ce-time", ce.time.UTC().Format(time.RFC3339Nano))
	msg.Header.Set("ce-subject", ce.subject)
	msg.Header.Set("ce-dataschema", ce.schema)
	ack, err := f.js.PublishMsg(ctx, msg, opts...)
	if err != nil {
		return Published{}, fmt.Errorf("events: publish %s: %w", ce.id, err)
	}
	return Published{StreamSequence: ack.Sequence, Duplicate: ack.Duplicate}, nil
}

func (f *Feed[E]) decode(subject string, data []byte, seq uint64) (Delivery[E], error) {
	ev := f.spec.New()
	if err := proto.Unmarshal(data, ev); err != nil {
		return Delivery[E]{}, fmt.Errorf("events: decode %s: %w", subject, err)
	}
	return Delivery[E]{Event: ev, StreamSequence: seq}, nil
}

// Close ends the live feed and deletes its consumer; open subscriptions end
// with ErrFeedLost. Publishing still works.
func (f *Feed[E]) Close() {
	f.hubMu.Lock()
	defer f.hubMu.Unlock()
	f.closed = true
	if f.hub != nil {
		f.hub.stop()
		f.hub = nil
	}
}

// Subscribers is the number of open subscriptions, for a gauge.
func (f *Feed[E]) Subscribers() int64 { return f.open.Load() }

package events

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
)

// Delivered is an event read from the stream.
type Delivered struct {
	Event          *eventsv1.TaskEvent
	StreamSequence uint64
}

// Filter selects the events of a subscription.
type Filter struct {
	UserID string
	// TaskID, when set, selects one task (any type).
	TaskID string
	// TaskTypes, when set, selects tasks of these upstream type names.
	TaskTypes []string
	// LastPerTask starts with the newest event of each matching task
	// (a snapshot), then follows new ones. Otherwise the subscription
	// starts after AfterSequence, or at new events when that is 0.
	LastPerTask   bool
	AfterSequence uint64
	// Ready, when set, is called once the subscription is live, before the
	// first event: nothing published after it returns is missed.
	Ready func() error
}

func (f Filter) subjects() []string {
	task := "*"
	if f.TaskID != "" {
		task = f.TaskID
	}
	if len(f.TaskTypes) == 0 {
		return []string{Subject(f.UserID, "*", task)}
	}
	out := make([]string, 0, len(f.TaskTypes))
	for _, t := range f.TaskTypes {
		out = append(out, Subject(f.UserID, t, task))
	}
	return out
}

// Subscribe delivers matching events to fn, in stream order, until ctx ends
// or fn returns false or an error. It uses an ordered, ephemeral consumer,
// so nothing is left behind on the server.
func (b *Bus) Subscribe(ctx context.Context, f Filter, fn func(Delivered) (bool, error)) error {
	cfg := jetstream.OrderedConsumerConfig{FilterSubjects: f.subjects()}
	switch {
	case f.LastPerTask:
		cfg.DeliverPolicy = jetstream.DeliverLastPerSubjectPolicy
	case f.AfterSequence > 0:
		cfg.DeliverPolicy = jetstream.DeliverByStartSequencePolicy
		cfg.OptStartSeq = f.AfterSequence + 1
	default:
		cfg.DeliverPolicy = jetstream.DeliverNewPolicy
	}
	cons, err := b.js.OrderedConsumer(ctx, Stream, cfg)
	if err != nil {
		return fmt.Errorf("events: subscribe: %w", err)
	}
	it, err := cons.Messages()
	if err != nil {
		return fmt.Errorf("events: subscribe: %w", err)
	}
	if f.Ready != nil {
		if err := f.Ready(); err != nil {
			it.Stop()
			return err
		}
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			it.Stop()
		case <-done:
			it.Stop()
		}
	}()
	for {
		msg, err := it.Next()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("events: subscription ended: %w", err)
		}
		meta, err := msg.Metadata()
		if err != nil {
			return err
		}
		ev := &eventsv1.TaskEvent{}
		if err := proto.Unmarshal(msg.Data(), ev); err != nil {
			return fmt.Errorf("events: decode %s: %w", msg.Subject(), err)
		}
		more, err := fn(Delivered{Event: ev, StreamSequence: meta.Sequence.Stream})
		if err != nil || !more {
			return err
		}
	}
}

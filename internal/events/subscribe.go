package events

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
)

// Delivered is an event read from the stream. Event may be shared with other
// subscribers: read it, do not modify it.
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
	// Where the subscription starts, at most one of them: LastPerTask with
	// the newest event of each matching task (a snapshot), DeliverAll with
	// the first retained event, AfterSequence after that stream sequence,
	// ByStartTime with the first event stored at or after that time. With
	// none, it starts at new events. Each then follows new ones.
	LastPerTask   bool
	DeliverAll    bool
	AfterSequence uint64
	ByStartTime   time.Time
	// Ready, when set, is called once the subscription is live, before the
	// first event: nothing published after it returns is missed.
	Ready func() error
}

var (
	// ErrClosed is returned by Subscribe once the bus is closed.
	ErrClosed = errors.New("events: the bus is closed")
	// ErrBadFilter is returned for a filter that is not one subject token
	// per field: a wildcard or separator would widen it to other tasks.
	ErrBadFilter = errors.New("events: invalid filter")
)

func (f Filter) validate() error {
	starts := 0
	for _, set := range []bool{f.LastPerTask, f.DeliverAll, f.AfterSequence > 0, !f.ByStartTime.IsZero()} {
		if set {
			starts++
		}
	}
	if starts > 1 {
		return fmt.Errorf("%w: more than one start position", ErrBadFilter)
	}
	if !validToken(f.UserID) {
		return fmt.Errorf("%w: user id %q", ErrBadFilter, f.UserID)
	}
	if f.TaskID != "" && !validToken(f.TaskID) {
		return fmt.Errorf("%w: task id %q", ErrBadFilter, f.TaskID)
	}
	for _, t := range f.TaskTypes {
		if !validToken(t) {
			return fmt.Errorf("%w: task type %q", ErrBadFilter, t)
		}
	}
	return nil
}

func validToken(s string) bool {
	return s != "" && !strings.ContainsAny(s, ".*> \t\r\n")
}

func (f Filter) matches(taskType, taskID string) bool {
	return (f.TaskID == "" || f.TaskID == taskID) && (len(f.TaskTypes) == 0 || slices.Contains(f.TaskTypes, taskType))
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
// or fn returns false or an error. When the bus stops serving it (it fell
// behind: ErrLagged; the live feed broke: ErrFeedLost) the error is a
// *ResumeError naming the last sequence delivered.
//
// It registers with the shared live feed first, so events published from
// then on are buffered; then it reads what came before (the newest event of
// each task, or the events from the start the filter names) without a
// lasting consumer;
// then it continues from the buffer, skipping what history delivered. No
// consumer is left on the server when it returns.
func (b *Bus) Subscribe(ctx context.Context, f Filter, fn func(Delivered) (bool, error)) error {
	if err := f.validate(); err != nil {
		return err
	}
	b.open.Add(1)
	defer b.open.Add(-1)
	sub := newSubscriber(f, b.bufferSize)
	h, pos, err := b.register(ctx, sub)
	if err != nil {
		return fmt.Errorf("events: subscribe: %w", err)
	}
	defer h.remove(sub)
	// cursor: the sequence delivered last, or where delivery starts after.
	cursor := pos
	switch {
	case f.LastPerTask, f.DeliverAll, !f.ByStartTime.IsZero():
		cursor = 0
	case f.AfterSequence > 0:
		cursor = f.AfterSequence
	}
	if f.Ready != nil {
		if err := f.Ready(); err != nil {
			return err
		}
	}
	cursor, more, err := b.history(ctx, f, cursor, fn)
	if err != nil || !more {
		return err
	}
	return sub.follow(ctx, cursor, fn)
}

// register adds sub to the live feed, starting the feed if there is none
// (first use, or the last one broke).
func (b *Bus) register(ctx context.Context, sub *subscriber) (*hub, uint64, error) {
	for range 3 {
		h, err := b.liveHub(ctx)
		if err != nil {
			return nil, 0, err
		}
		if pos, ok := h.register(sub); ok {
			return h, pos, nil
		}
		// The feed ended between the two calls: the next one starts another.
	}
	return nil, 0, ErrFeedLost
}

func (b *Bus) liveHub(ctx context.Context) (*hub, error) {
	b.hubMu.Lock()
	defer b.hubMu.Unlock()
	if b.closed {
		return nil, ErrClosed
	}
	if b.hub != nil && b.hub.alive() {
		return b.hub, nil
	}
	if b.hub != nil {
		b.hub.stop() // already ended: this removes its consumer
		b.hub = nil
	}
	h, err := startHub(ctx, b.js, b.stream)
	if err != nil {
		return nil, err
	}
	b.hub = h
	return h, nil
}

// Close ends the live feed and deletes its consumer; open subscriptions end
// with ErrFeedLost. Publishing still works.
func (b *Bus) Close() {
	b.hubMu.Lock()
	defer b.hubMu.Unlock()
	b.closed = true
	if b.hub != nil {
		b.hub.stop()
		b.hub = nil
	}
}

// Subscribers is the number of open subscriptions, for a gauge.
func (b *Bus) Subscribers() int64 { return b.open.Load() }

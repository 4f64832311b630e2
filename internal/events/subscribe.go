package events

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Delivery is an event read from the stream. Event may be shared with other
// subscribers: read it, do not modify it.
type Delivery[E proto.Message] struct {
	Event          E
	StreamSequence uint64
}

// Filter selects the events of a subscription.
type Filter struct {
	UserID string
	// ID, when set, selects one object (a task, of any type) on a stream
	// whose subjects end in ids.
	ID string
	// Types, when set, selects events of these types (task types, file
	// event kinds: the subject token after the user id).
	Types []string
	// Where the subscription starts, at most one of them: LastPerSubject with
	// the newest event of each matching subject (a task's snapshot), DeliverAll with
	// the first retained event, AfterSequence after that stream sequence,
	// ByStartTime with the first event stored at or after that time. With
	// none, it starts at new events. Each then follows new ones.
	LastPerSubject bool
	DeliverAll     bool
	AfterSequence  uint64
	ByStartTime    time.Time
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
	for _, set := range []bool{f.LastPerSubject, f.DeliverAll, f.AfterSequence > 0, !f.ByStartTime.IsZero()} {
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
	if f.ID != "" && !validToken(f.ID) {
		return fmt.Errorf("%w: id %q", ErrBadFilter, f.ID)
	}
	for _, t := range f.Types {
		if !validToken(t) {
			return fmt.Errorf("%w: type %q", ErrBadFilter, t)
		}
	}
	return nil
}

func validToken(s string) bool {
	return s != "" && !strings.ContainsAny(s, ".*> \t\r\n")
}

func (f Filter) matches(typ, id string) bool {
	return (f.ID == "" || f.ID == id) && (len(f.Types) == 0 || slices.Contains(f.Types, typ))
}

// subjects are the filter's subjects on feed's stream.
func (f Filter) subjects(subject func(user, typ, id string) string) []string {
	id := "*"
	if f.ID != "" {
		id = f.ID
	}
	if len(f.Types) == 0 {
		return []string{subject(f.UserID, "*", id)}
	}
	out := make([]string, 0, len(f.Types))
	for _, t := range f.Types {
		out = append(out, subject(f.UserID, t, id))
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
func (b *Feed[E]) Subscribe(ctx context.Context, f Filter, fn func(Delivery[E]) (bool, error)) error {
	if err := f.validate(); err != nil {
		return err
	}
	if f.ID != "" && !b.spec.IDs {
		return fmt.Errorf("%w: the stream %s has no ids in its subjects", ErrBadFilter, b.spec.Stream)
	}
	b.open.Add(1)
	defer b.open.Add(-1)
	sub := newSubscriber[E](f, b.bufferSize)
	h, pos, err := b.register(ctx, sub)
	if err != nil {
		return fmt.Errorf("events: subscribe: %w", err)
	}
	defer h.remove(sub)
	// cursor: the sequence delivered last, or where delivery starts after.
	cursor := pos
	switch {
	case f.LastPerSubject, f.DeliverAll, !f.ByStartTime.IsZero():
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
func (b *Feed[E]) register(ctx context.Context, sub *subscriber[E]) (*hub[E], uint64, error) {
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

func (b *Feed[E]) liveHub(ctx context.Context) (*hub[E], error) {
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
	h, err := startHub(ctx, b)
	if err != nil {
		return nil, err
	}
	b.hub = h
	return h, nil
}

// Start is a request's explicit start position (WatchTasks,
// WatchFileEvents): every retained event, after a stream sequence, since a
// time, or, with none set, new events only.
type Start interface {
	GetAllRetained() bool
	GetAfterSequence() uint64
	GetSinceTime() *timestamppb.Timestamp
}

// StartFilter is the filter of a caller's stream of events from start on;
// ready sends the stream's headers once the subscription is live (the
// caller's call returns then, and no event published afterwards is missed).
func StartFilter(userID string, start Start, ready func() error) Filter {
	f := Filter{UserID: userID, DeliverAll: start.GetAllRetained(), AfterSequence: start.GetAfterSequence(), Ready: ready}
	if t := start.GetSinceTime(); t != nil {
		f.ByStartTime = t.AsTime()
	}
	return f
}

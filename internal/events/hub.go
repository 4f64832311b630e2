package events

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"
)

// The hub is the process's one live feed: a single ordered consumer on the
// whole stream, fanned out in memory to the subscribers whose filter matches.
// Watch streams used to open a consumer each, which the server kept for its
// inactivity threshold after the stream ended (1,000 closed WatchTask calls
// left 1,000 consumers, and new ones then hit the consumer limit). Through
// the hub, any number of subscribers costs the server one consumer.

const (
	// hubInactiveThreshold is the server's backstop for a hub consumer whose
	// process died without deleting it. While the process lives, its pull
	// requests keep the consumer active; should the server drop it anyway,
	// the ordered consumer recreates it from the last delivered sequence.
	hubInactiveThreshold = 30 * time.Second
	// deleteTimeout bounds the explicit deletion of a consumer we are done with.
	deleteTimeout = 5 * time.Second
)

var (
	// ErrLagged ends a subscriber that fell more than its buffer behind the
	// live feed; it resumes after the last sequence it was given.
	ErrLagged = errors.New("events: the subscriber fell behind the live feed")
	// ErrFeedLost ends the subscribers of a live feed that broke (the NATS
	// connection closed, the bus closed, or the stream went away).
	ErrFeedLost = errors.New("events: the live feed ended")
)

// ResumeError ends a subscription the bus stopped serving: everything up to
// and including After was delivered, nothing after it was.
type ResumeError struct {
	After uint64
	Err   error
}

func (e *ResumeError) Error() string {
	return fmt.Sprintf("%v (resume after stream sequence %d)", e.Err, e.After)
}

func (e *ResumeError) Unwrap() error { return e.Err }

type hub[E proto.Message] struct {
	feed *Feed[E]
	cons jetstream.Consumer
	it   jetstream.MessagesContext
	done chan struct{} // closed when the feed's reader returned

	mu sync.Mutex
	// pos is the stream sequence of the last message dispatched: a subscriber
	// registered now is handed every message after it.
	pos    uint64
	byUser map[string]map[*subscriber[E]]struct{}
	ended  error // why the feed ended; nil while it runs
}

// startHub opens the live feed at the stream's next sequence. It names that
// sequence rather than asking for DeliverNew: the ordered consumer reuses
// its start position when it is recreated before delivering anything (after
// a reconnect), and "new" at that later time would skip what came between.
func startHub[E proto.Message](ctx context.Context, feed *Feed[E]) (*hub[E], error) {
	info, err := feed.stream.Info(ctx)
	if err != nil {
		return nil, err
	}
	next := info.State.LastSeq + 1
	cons, err := feed.stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		DeliverPolicy:     jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:       next,
		InactiveThreshold: hubInactiveThreshold,
	})
	if err != nil {
		return nil, err
	}
	h := &hub[E]{feed: feed, cons: cons, done: make(chan struct{}), pos: next - 1, byUser: map[string]map[*subscriber[E]]struct{}{}}
	h.it, err = cons.Messages()
	if err != nil {
		h.deleteConsumer()
		return nil, err
	}
	go h.run()
	return h, nil
}

// run reads the feed until it ends. The ordered consumer rides out
// reconnects itself, resuming after the last sequence it delivered, so an
// error here means the feed cannot go on; its subscribers are ended with
// ErrFeedLost and their resume point rather than left waiting.
func (h *hub[E]) run() {
	defer close(h.done)
	for {
		msg, err := h.it.Next()
		if err != nil {
			h.end(fmt.Errorf("%w: %w", ErrFeedLost, err))
			return
		}
		h.dispatch(msg)
	}
}

// dispatch hands a message to the matching subscribers without waiting for
// any of them: a full subscriber is ended (ErrLagged), the others go on.
func (h *hub[E]) dispatch(msg jetstream.Msg) {
	meta, err := msg.Metadata()
	if err != nil {
		return // not a JetStream message; the ordered consumer never yields one
	}
	user, typ, id, ok := h.feed.parseSubject(msg.Subject())
	h.mu.Lock()
	defer h.mu.Unlock()
	h.pos = meta.Sequence.Stream
	subs := h.byUser[user]
	if !ok || len(subs) == 0 {
		return
	}
	var d Delivery[E]
	decoded := false
	var decodeErr error
	for s := range subs {
		if !s.filter.matches(typ, id) {
			continue
		}
		if !decoded {
			// Decoded once for all subscribers; they only read it.
			d, decodeErr = h.feed.decode(msg.Subject(), msg.Data(), meta.Sequence.Stream)
			decoded = true
		}
		if decodeErr != nil {
			s.end(decodeErr)
		} else if s.push(d) {
			continue
		}
		h.removeLocked(s)
	}
}

// register adds a subscriber and returns the position it starts after, or
// false when the feed already ended.
func (h *hub[E]) register(s *subscriber[E]) (uint64, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ended != nil {
		return 0, false
	}
	subs := h.byUser[s.filter.UserID]
	if subs == nil {
		subs = map[*subscriber[E]]struct{}{}
		h.byUser[s.filter.UserID] = subs
	}
	subs[s] = struct{}{}
	return h.pos, true
}

func (h *hub[E]) remove(s *subscriber[E]) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.removeLocked(s)
}

func (h *hub[E]) removeLocked(s *subscriber[E]) {
	subs := h.byUser[s.filter.UserID]
	delete(subs, s)
	if len(subs) == 0 {
		delete(h.byUser, s.filter.UserID)
	}
}

// end stops serving: every subscriber learns why.
func (h *hub[E]) end(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ended != nil {
		return
	}
	h.ended = err
	for _, subs := range h.byUser {
		for s := range subs {
			s.end(err)
		}
	}
	clear(h.byUser)
}

func (h *hub[E]) alive() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.ended == nil
}

// stop ends the feed and deletes its consumer from the server at once
// (stopping an ordered consumer leaves it there for its inactivity threshold).
func (h *hub[E]) stop() {
	h.it.Stop()
	<-h.done
	h.deleteConsumer()
}

func (h *hub[E]) deleteConsumer() {
	info := h.cons.CachedInfo()
	if info == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), deleteTimeout)
	defer cancel()
	// A consumer already gone (the server dropped it) is what we want.
	_ = h.feed.js.DeleteConsumer(ctx, h.feed.spec.Stream, info.Name)
}

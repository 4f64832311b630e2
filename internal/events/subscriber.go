package events

import (
	"context"
	"sync"

	"google.golang.org/protobuf/proto"
)

// subscriber is one subscription's bounded buffer between the hub, which
// must never wait for it, and the caller's goroutine, which delivers at the
// pace of its consumer (a network stream).
type subscriber[E proto.Message] struct {
	filter Filter
	limit  int
	wake   chan struct{} // 1-buffered: something was queued or the end was set

	mu    sync.Mutex
	queue []Delivery[E]
	err   error // set once by the hub: why it stopped feeding this subscriber
}

func newSubscriber[E proto.Message](f Filter, limit int) *subscriber[E] {
	return &subscriber[E]{filter: f, limit: max(limit, 1), wake: make(chan struct{}, 1)}
}

// push queues an event; false when the buffer is full: the subscriber is
// ended with ErrLagged and must be removed from the hub.
func (s *subscriber[E]) push(d Delivery[E]) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return false
	}
	if len(s.queue) >= s.limit {
		s.err = ErrLagged
		s.signal()
		return false
	}
	s.queue = append(s.queue, d)
	s.signal()
	return true
}

func (s *subscriber[E]) end(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = err
	}
	s.signal()
}

func (s *subscriber[E]) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// take returns the queued events, reusing spare for the next ones, or the
// error that ended the subscriber. An ended subscriber stops at once rather
// than draining its queue: the resume point names what it was given.
func (s *subscriber[E]) take(spare []Delivery[E]) ([]Delivery[E], error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	q := s.queue
	s.queue = spare[:0]
	return q, nil
}

// follow delivers queued events after cursor until ctx ends, fn stops, or the
// hub ends the subscriber. Events at or before cursor were delivered from
// history already (the seam between history and the live feed).
func (s *subscriber[E]) follow(ctx context.Context, cursor uint64, fn func(Delivery[E]) (bool, error)) error {
	var spare []Delivery[E]
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch, err := s.take(spare)
		if err != nil {
			return &ResumeError{After: cursor, Err: err}
		}
		for i, d := range batch {
			batch[i] = Delivery[E]{} // let the buffer not pin delivered events
			if d.StreamSequence <= cursor {
				continue
			}
			more, err := fn(d)
			cursor = d.StreamSequence
			if err != nil || !more {
				return err
			}
		}
		spare = batch
		if len(batch) > 0 {
			continue // more may have arrived meanwhile
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.wake:
		}
	}
}

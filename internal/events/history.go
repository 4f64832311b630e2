package events

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

const (
	// replayInactiveThreshold is the server's backstop for a replay consumer
	// this process could not delete; it is deleted explicitly when done.
	replayInactiveThreshold = 5 * time.Second
	// replayBatch is how many events one replay request fetches.
	replayBatch = 256
	// replayAttempts bounds the replay consumers recreated in a row without
	// progress (one vanishes when fn keeps it idle past the threshold).
	replayAttempts = 3
)

// history delivers the events a subscription wants from before it went
// live, each after cursor, and returns the last one delivered. The live
// buffer already holds whatever history does not reach: it was registered
// before, and any event stored after history's read is dispatched after.
func (b *Feed[E]) history(ctx context.Context, f Filter, cursor uint64, fn func(Delivery[E]) (bool, error)) (uint64, bool, error) {
	switch {
	case f.LastPerSubject && f.ID != "":
		return b.newestOfID(ctx, f, cursor, fn)
	case f.LastPerSubject || f.DeliverAll || f.AfterSequence > 0 || !f.ByStartTime.IsZero():
		return b.replay(ctx, f, cursor, fn)
	default:
		return cursor, true, nil
	}
}

// newestOfID reads one object's newest event with a direct get: no
// consumer at all (the path of every WatchTask and WaitTask).
func (b *Feed[E]) newestOfID(ctx context.Context, f Filter, cursor uint64, fn func(Delivery[E]) (bool, error)) (uint64, bool, error) {
	var found []*jetstream.RawStreamMsg
	for _, subject := range f.subjects(b.subject) {
		raw, err := b.stream.GetLastMsgForSubject(ctx, subject)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			return cursor, false, &ResumeError{After: cursor, Err: fmt.Errorf("events: newest event of %s: %w", subject, err)}
		}
		found = append(found, raw)
	}
	slices.SortFunc(found, func(a, b *jetstream.RawStreamMsg) int { return cmp.Compare(a.Sequence, b.Sequence) })
	for _, raw := range found {
		if raw.Sequence <= cursor {
			continue
		}
		d, err := b.decode(raw.Subject, raw.Data, raw.Sequence)
		if err != nil {
			return cursor, false, err
		}
		more, err := fn(d)
		cursor = raw.Sequence
		if err != nil || !more {
			return cursor, false, err
		}
	}
	return cursor, true, nil
}

// replay reads history with a short-lived consumer, deleted as soon as it
// has caught up; should the server drop it while fn is slow, another one
// goes on after cursor.
func (b *Feed[E]) replay(ctx context.Context, f Filter, cursor uint64, fn func(Delivery[E]) (bool, error)) (uint64, bool, error) {
	failures := 0
	for {
		start := cursor
		var more, caughtUp bool
		var err error
		cursor, more, caughtUp, err = b.replayOnce(ctx, f, cursor, fn)
		if err != nil || !more || caughtUp {
			return cursor, more, err
		}
		if cursor == start {
			failures++
		} else {
			failures = 0
		}
		if failures >= replayAttempts {
			return cursor, false, &ResumeError{After: cursor, Err: errors.New("events: replay consumer keeps vanishing")}
		}
	}
}

// replayOnce runs one replay consumer until it caught up, fn stops, or the
// consumer went away (caughtUp false, no error: try another).
func (b *Feed[E]) replayOnce(ctx context.Context, f Filter, cursor uint64, fn func(Delivery[E]) (bool, error)) (_ uint64, more, caughtUp bool, _ error) {
	cons, err := b.stream.CreateConsumer(ctx, replayConfig(f, f.subjects(b.subject), cursor))
	if err != nil {
		if ctx.Err() != nil {
			return cursor, false, false, ctx.Err()
		}
		return cursor, false, false, &ResumeError{After: cursor, Err: fmt.Errorf("events: replay: %w", err)}
	}
	defer b.deleteConsumer(cons.CachedInfo().Name)
	if cons.CachedInfo().NumPending == 0 {
		return cursor, true, true, nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return cursor, false, false, err
		}
		batch, err := cons.FetchNoWait(replayBatch)
		if err != nil {
			return cursor, true, false, nil
		}
		got, lastPending := 0, uint64(1)
		for msg := range batch.Messages() {
			got++
			meta, err := msg.Metadata()
			if err != nil {
				return cursor, false, false, err
			}
			lastPending = meta.NumPending
			if meta.Sequence.Stream <= cursor {
				continue
			}
			d, err := b.decode(msg.Subject(), msg.Data(), meta.Sequence.Stream)
			if err != nil {
				return cursor, false, false, err
			}
			more, err := fn(d)
			cursor = d.StreamSequence
			if err != nil || !more {
				return cursor, false, false, err
			}
		}
		if err := batch.Error(); err != nil {
			return cursor, true, false, nil // the consumer went away: go on with another
		}
		// Nothing left that matches, as of the last message (or of this
		// empty request): the live buffer holds everything newer.
		if got == 0 || lastPending == 0 {
			return cursor, true, true, nil
		}
	}
}

func replayConfig(f Filter, subjects []string, cursor uint64) jetstream.ConsumerConfig {
	cfg := jetstream.ConsumerConfig{
		AckPolicy:         jetstream.AckNonePolicy,
		InactiveThreshold: replayInactiveThreshold,
		MemoryStorage:     true,
		Replicas:          1,
	}
	if len(subjects) == 1 {
		cfg.FilterSubject = subjects[0]
	} else {
		cfg.FilterSubjects = subjects
	}
	switch {
	case f.LastPerSubject:
		// Again on a new consumer: the snapshot as of now, in sequence
		// order; what was delivered already is skipped by cursor.
		cfg.DeliverPolicy = jetstream.DeliverLastPerSubjectPolicy
	case cursor == 0 && f.DeliverAll:
		cfg.DeliverPolicy = jetstream.DeliverAllPolicy
	case cursor == 0 && !f.ByStartTime.IsZero():
		cfg.DeliverPolicy = jetstream.DeliverByStartTimePolicy
		t := f.ByStartTime
		cfg.OptStartTime = &t
	default:
		// A later consumer of the same replay goes on after cursor.
		cfg.DeliverPolicy = jetstream.DeliverByStartSequencePolicy
		cfg.OptStartSeq = cursor + 1
	}
	return cfg
}

// deleteConsumer removes a consumer at once, even when the caller's context
// ended (that is when most are done).
func (b *Feed[E]) deleteConsumer(name string) {
	ctx, cancel := context.WithTimeout(context.Background(), deleteTimeout)
	defer cancel()
	_ = b.stream.DeleteConsumer(ctx, name)
}

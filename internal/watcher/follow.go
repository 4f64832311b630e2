package watcher

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// follow keeps the in-memory watches in step with the watch bucket, so
// that a replica learns about watches other replicas added or ended. What
// it misses while the feed is broken is read again after the next gain of
// shards (round's reload) or when the feed restarts.
func (w *Watcher) follow(ctx context.Context) {
	for ctx.Err() == nil {
		w.followOnce(ctx)
		select {
		case <-ctx.Done():
		case <-time.After(w.cfg.LeaseTTL / 3): // NATS away: try again soon
		}
	}
}

func (w *Watcher) followOnce(ctx context.Context) {
	kw, err := w.store.watches.WatchAll(ctx, jetstream.UpdatesOnly())
	if err != nil {
		w.cfg.Logger.Warn("following the watch bucket failed", "error", err)
		return
	}
	defer kw.Stop()
	// Updates only: what was stored before is read once, after the feed
	// started, so nothing falls between the two.
	if err := w.resume(ctx); err != nil {
		w.cfg.Logger.Warn("reading the watch records failed", "error", err)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case entry, ok := <-kw.Updates():
			if !ok {
				return
			}
			if entry != nil {
				w.apply(entry)
			}
		}
	}
}

// apply takes one change of the watch bucket.
func (w *Watcher) apply(entry jetstream.KeyValueEntry) {
	switch entry.Operation() {
	case jetstream.KeyValuePut:
		var rec record
		if err := json.Unmarshal(entry.Value(), &rec); err != nil {
			w.cfg.Logger.Warn("unreadable watch record", "key", entry.Key(), "error", err)
			return
		}
		w.know(rec)
		w.poke()
	default: // deleted or purged: the watch ended
		if _, taskID, ok := strings.Cut(entry.Key(), "."); ok {
			w.forget(taskID)
		}
	}
}

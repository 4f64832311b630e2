package watcher

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/cloudreve-connect/facade/internal/kvfollow"
)

// follow keeps the in-memory watches in step with the watch bucket, so
// that a replica learns about watches other replicas added or ended. What
// it misses while the feed is broken is read again after the next gain of
// shards (round's reload) or when the feed restarts.
func (w *Watcher) follow(ctx context.Context) {
	kvfollow.Follow(ctx, w.store.watches, kvfollow.Reader{Load: w.resume, Apply: func(_ context.Context, e jetstream.KeyValueEntry) { w.apply(e) }}, w.cfg.LeaseTTL/3, w.cfg.Logger, WatchBucket)
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

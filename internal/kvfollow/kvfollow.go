// Package kvfollow keeps a replica's view of a KV bucket in step with it:
// the watches other replicas add or end reach every replica.
package kvfollow

import (
	"context"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Reader is what follows a bucket.
type Reader struct {
	// Load reads everything the bucket holds.
	Load func(ctx context.Context) error
	// Apply takes one change (a put, a delete or a purge); ctx is Follow's.
	Apply func(ctx context.Context, entry jetstream.KeyValueEntry)
}

// Follow starts a feed of the bucket's updates, then loads what was stored
// before it (so nothing falls between the two), then applies every update,
// until ctx ends. When the feed breaks (NATS away) it starts over after
// retry. what names the bucket in logs.
func Follow(ctx context.Context, kv jetstream.KeyValue, r Reader, retry time.Duration, log *slog.Logger, what string) {
	for ctx.Err() == nil {
		once(ctx, kv, r, log, what)
		select {
		case <-ctx.Done():
		case <-time.After(retry):
		}
	}
}

func once(ctx context.Context, kv jetstream.KeyValue, r Reader, log *slog.Logger, what string) {
	kw, err := kv.WatchAll(ctx, jetstream.UpdatesOnly())
	if err != nil {
		log.Warn("following the bucket failed", "bucket", what, "error", err)
		return
	}
	defer kw.Stop()
	if err := r.Load(ctx); err != nil {
		log.Warn("reading the bucket failed", "bucket", what, "error", err)
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
				r.Apply(ctx, entry)
			}
		}
	}
}

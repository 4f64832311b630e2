// Package lease shares work among facade replicas through leases in a
// JetStream KV bucket: the work is split into shards (by a hash of an id),
// each replica takes up to its fair share of them (shards / live
// replicas, counted from heartbeats in the same bucket) and acts only on
// the shards it holds, and singleton leases go to one replica at a time.
// The task watcher and the folder watches each keep their own bucket.
package lease

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/cloudreve-connect/facade/internal/jetsetup"
)

const (
	shardPrefix   = "shard."
	replicaPrefix = "replica."
	// forgetReplicaAfter is how many TTLs a silent replica's heartbeat key
	// stays before a live replica removes it.
	forgetReplicaAfter = 10
)

// ShardKey is the lease key of shard n.
func ShardKey(n int) string { return fmt.Sprintf("%s%d", shardPrefix, n) }

// ShardOf is the shard of an id among shards.
func ShardOf(id string, shards int) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(shards))
}

// leaseValue is what a lease key holds. Expires is on the holder's clock and
// only informs people reading the bucket: contenders never compare clocks,
// they wait a TTL on their own clock after the key last changed.
type leaseValue struct {
	Owner   string    `json:"owner"` // "" once released
	Expires time.Time `json:"expires"`
}

// held is a lease this replica holds: the revision it wrote and when, on its
// own clock, it must stop acting on it (TTL minus a margin after the
// renewal began, so it stops before anyone may take over).
type held struct {
	rev      uint64
	deadline time.Time
}

// observed is another replica's lease or heartbeat: its newest revision and
// when this replica first saw that revision.
type observed struct {
	rev   uint64
	owner string
	since time.Time
}

// Stats are counters of a keeper, for metrics.
type Stats struct {
	OwnedShards  int
	LiveReplicas int
	// Singletons are the singleton leases held.
	Singletons    []string
	Takeovers     int64 // leases taken from a replica that stopped renewing
	RenewFailures int64 // renewals that failed (lease lost or NATS unavailable)
}

// Config of a keeper. Every replica sharing a bucket must agree on Shards
// and Singletons.
type Config struct {
	// Bucket and Description of the KV bucket the leases live in.
	Bucket, Description string
	Replicas            int // of the bucket, in a NATS cluster
	// ReplicaID names this replica; unique per process.
	ReplicaID string
	// TTL is how long a lease lasts unless renewed; renewals come every
	// third of it.
	TTL    time.Duration
	Shards int
	// Singletons are leases besides the shards, each held by one replica.
	Singletons []string
	Now        func() time.Time // default time.Now
	Logger     *slog.Logger
}

// Keeper keeps this replica's share of the leases of one bucket.
type Keeper struct {
	kv         jetstream.KeyValue
	id         string
	ttl        time.Duration
	margin     time.Duration
	shards     int
	singletons map[string]bool
	now        func() time.Time
	log        *slog.Logger

	mu    sync.Mutex
	held  map[string]held
	seen  map[string]observed
	stats Stats
}

// Open creates (or opens) the bucket of cfg.
func Open(ctx context.Context, js jetstream.JetStream, cfg Config) (*Keeper, error) {
	kv, err := jetsetup.KeyValue(ctx, js, jetstream.KeyValueConfig{
		Bucket: cfg.Bucket, Description: cfg.Description,
		Storage: jetstream.FileStorage, Replicas: max(cfg.Replicas, 1),
	})
	if err != nil {
		return nil, fmt.Errorf("lease: bucket %s: %w", cfg.Bucket, err)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	singletons := map[string]bool{}
	for _, s := range cfg.Singletons {
		singletons[s] = true
	}
	return &Keeper{
		kv: kv, id: cfg.ReplicaID, ttl: cfg.TTL, margin: cfg.TTL / 5, shards: cfg.Shards, singletons: singletons,
		now: cfg.Now, log: cfg.Logger, held: map[string]held{}, seen: map[string]observed{},
	}, nil
}

// Owns reports whether this replica may act on a lease now.
func (l *Keeper) Owns(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	h, ok := l.held[key]
	return ok && l.now().Before(h.deadline)
}

// OwnsShardOf reports whether this replica may act on the shard of id now.
func (l *Keeper) OwnsShardOf(id string) bool { return l.Owns(ShardKey(ShardOf(id, l.shards))) }

// Snapshot returns the counters.
func (l *Keeper) Snapshot() Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.stats
	now := l.now()
	s.OwnedShards, s.Singletons = 0, nil
	for key, h := range l.held {
		if !now.Before(h.deadline) {
			continue
		}
		if l.singletons[key] {
			s.Singletons = append(s.Singletons, key)
		} else {
			s.OwnedShards++
		}
	}
	sort.Strings(s.Singletons)
	return s
}

// Run renews, takes and releases leases every third of the TTL until ctx
// ends, then releases what it holds so that others take over at once.
// done is told after each round whether it gained shards.
func (l *Keeper) Run(ctx context.Context, done func(gained bool)) {
	ticker := time.NewTicker(l.ttl / 3)
	defer ticker.Stop()
	for {
		done(l.Round(ctx))
		select {
		case <-ctx.Done():
			releaseCtx, cancel := context.WithTimeout(context.Background(), l.ttl)
			l.releaseAll(releaseCtx)
			cancel()
			return
		case <-ticker.C:
		}
	}
}

// Round is one pass over the bucket; it reports whether shards were gained.
func (l *Keeper) Round(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, l.ttl/3)
	defer cancel()
	start := l.now()
	live := l.heartbeat(ctx, start)
	share := (l.shards + live - 1) / live

	var free []string // keys nobody holds, with takeovers marked in takeover
	takeover := map[string]bool{}
	revs := map[string]uint64{}
	for _, key := range l.Keys() {
		entry, err := l.kv.Get(ctx, key)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			l.lose(key, "the lease key is gone")
			free = append(free, key)
			continue
		}
		if err != nil {
			if l.holds(key) && !shuttingDown(ctx) {
				l.renewFailed(key, err)
			}
			continue
		}
		var v leaseValue
		_ = json.Unmarshal(entry.Value(), &v) // a garbled lease counts as free
		revs[key] = entry.Revision()
		switch {
		case v.Owner == l.id:
			l.renew(ctx, key, entry.Revision(), start)
		case v.Owner == "":
			l.lose(key, "the lease was released")
			free = append(free, key)
		default:
			l.lose(key, "another replica holds the lease")
			if l.expired(key, entry.Revision(), v.Owner, start) {
				free = append(free, key)
				takeover[key] = true
			}
		}
	}

	gained := false
	for _, key := range free {
		if !l.singletons[key] && l.ownedShards() >= share {
			continue
		}
		if l.take(ctx, key, revs[key], start) {
			gained = gained || !l.singletons[key]
			if takeover[key] {
				l.mu.Lock()
				l.stats.Takeovers++
				l.mu.Unlock()
				l.log.Info("took over a lease of a replica that stopped renewing", "lease", key)
			}
		}
	}
	l.releaseExcess(ctx, share)
	l.mu.Lock()
	l.stats.LiveReplicas = live
	l.mu.Unlock()
	return gained
}

// Keys are the shard keys, starting at a replica-specific offset so that
// replicas starting together contend for different shards first, then the
// singletons.
func (l *Keeper) Keys() []string {
	offset := ShardOf(l.id, l.shards)
	keys := make([]string, 0, l.shards+len(l.singletons))
	for i := 0; i < l.shards; i++ {
		keys = append(keys, ShardKey((offset+i)%l.shards))
	}
	var singles []string
	for key := range l.singletons {
		singles = append(singles, key)
	}
	sort.Strings(singles)
	return append(keys, singles...)
}

// heartbeat announces this replica and counts the live ones (itself
// included): those whose heartbeat changed within a TTL on this clock.
func (l *Keeper) heartbeat(ctx context.Context, now time.Time) int {
	raw, _ := json.Marshal(leaseValue{Owner: l.id, Expires: now.Add(l.ttl)})
	if _, err := l.kv.Put(ctx, replicaPrefix+l.id, raw); err != nil {
		l.log.Warn("announcing the replica failed", "error", err)
	}
	lister, err := l.kv.ListKeysFiltered(ctx, replicaPrefix+">")
	if err != nil {
		return l.lastLive()
	}
	live := 1
	for key := range lister.Keys() {
		if key == replicaPrefix+l.id {
			continue
		}
		entry, err := l.kv.Get(ctx, key)
		if err != nil {
			continue
		}
		o := l.observe(key, entry.Revision(), strings.TrimPrefix(key, replicaPrefix), now)
		switch age := now.Sub(o.since); {
		case age < l.ttl:
			live++
		case age > forgetReplicaAfter*l.ttl:
			// A replica killed long ago: its key only costs reads.
			_ = l.kv.Delete(ctx, key, jetstream.LastRevision(entry.Revision()))
		}
	}
	return live
}

func (l *Keeper) lastLive() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return max(l.stats.LiveReplicas, 1)
}

// observe records another replica's key revision and returns since when it
// has been unchanged.
func (l *Keeper) observe(key string, rev uint64, owner string, now time.Time) observed {
	l.mu.Lock()
	defer l.mu.Unlock()
	o, ok := l.seen[key]
	if !ok || o.rev != rev || o.owner != owner {
		o = observed{rev: rev, owner: owner, since: now}
		l.seen[key] = o
	}
	return o
}

// expired: the holder has not renewed for a whole TTL as this replica saw
// it, so it stopped acting on the lease a margin ago.
func (l *Keeper) expired(key string, rev uint64, owner string, now time.Time) bool {
	return now.Sub(l.observe(key, rev, owner, now).since) >= l.ttl
}

func (l *Keeper) holds(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.held[key]
	return ok
}

func (l *Keeper) ownedShards() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for key := range l.held {
		if !l.singletons[key] {
			n++
		}
	}
	return n
}

func (l *Keeper) value(now time.Time) []byte {
	raw, _ := json.Marshal(leaseValue{Owner: l.id, Expires: now.Add(l.ttl)})
	return raw
}

// renew extends a held lease. Its deadline counts from start, before the
// bucket was read, so it never outlives what others will wait for.
func (l *Keeper) renew(ctx context.Context, key string, rev uint64, start time.Time) {
	newRev, err := l.kv.Update(ctx, key, l.value(start), rev)
	if err != nil {
		if errors.Is(err, jetstream.ErrKeyExists) {
			l.lose(key, "the lease changed under this replica")
		}
		if !shuttingDown(ctx) {
			l.renewFailed(key, err)
		}
		return
	}
	l.mu.Lock()
	l.held[key] = held{rev: newRev, deadline: start.Add(l.ttl - l.margin)}
	l.mu.Unlock()
}

// shuttingDown: the replica is stopping (its leases are released next), as
// opposed to a round that ran out of time, which is a failure to report.
func shuttingDown(ctx context.Context) bool { return errors.Is(ctx.Err(), context.Canceled) }

func (l *Keeper) renewFailed(key string, err error) {
	l.mu.Lock()
	l.stats.RenewFailures++
	l.mu.Unlock()
	l.log.Warn("renewing a lease failed", "lease", key, "error", err)
}

// take claims a free lease: create it, or update the revision read.
func (l *Keeper) take(ctx context.Context, key string, rev uint64, start time.Time) bool {
	var newRev uint64
	var err error
	if rev == 0 {
		newRev, err = l.kv.Create(ctx, key, l.value(start))
	} else {
		newRev, err = l.kv.Update(ctx, key, l.value(start), rev)
	}
	if err != nil {
		return false // another replica was quicker, or NATS is away
	}
	l.mu.Lock()
	l.held[key] = held{rev: newRev, deadline: start.Add(l.ttl - l.margin)}
	l.mu.Unlock()
	return true
}

// lose forgets a lease this replica no longer holds.
func (l *Keeper) lose(key, why string) {
	l.mu.Lock()
	_, ok := l.held[key]
	delete(l.held, key)
	l.mu.Unlock()
	if ok {
		l.log.Warn("lost a lease", "lease", key, "reason", why)
	}
}

// releaseExcess gives back shards beyond the fair share, so that a replica
// that joined gets its part without waiting for anyone to fail.
func (l *Keeper) releaseExcess(ctx context.Context, share int) {
	l.mu.Lock()
	var mine []string
	for key := range l.held {
		if !l.singletons[key] {
			mine = append(mine, key)
		}
	}
	l.mu.Unlock()
	if len(mine) <= share {
		return
	}
	sort.Strings(mine)
	for _, key := range mine[share:] {
		l.release(ctx, key)
	}
}

func (l *Keeper) releaseAll(ctx context.Context) {
	l.mu.Lock()
	keys := make([]string, 0, len(l.held))
	for key := range l.held {
		keys = append(keys, key)
	}
	l.mu.Unlock()
	for _, key := range keys {
		l.release(ctx, key)
	}
	_ = l.kv.Delete(ctx, replicaPrefix+l.id)
}

// release stops acting on a lease first, then marks it free.
func (l *Keeper) release(ctx context.Context, key string) {
	l.mu.Lock()
	h, ok := l.held[key]
	delete(l.held, key)
	l.mu.Unlock()
	if !ok {
		return
	}
	raw, _ := json.Marshal(leaseValue{})
	if _, err := l.kv.Update(ctx, key, raw, h.rev); err != nil {
		l.log.Debug("releasing a lease failed; it expires instead", "lease", key, "error", err)
	}
}

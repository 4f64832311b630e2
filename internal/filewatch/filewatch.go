// Package filewatch keeps the durable folder watches: for each watched
// (user, folder) one subscription to Cloudreve's file event channel, held
// by exactly one replica (the shard of its watch id, internal/lease), that
// publishes every change as a FileEvent on JetStream (internal/events).
// The subscriber id is derived from the user and folder, so a restarted
// facade, or the replica that takes a dead one's shard over, resumes the
// subscription, and Cloudreve hands over what it kept meanwhile. Watches
// live in KV (store.go), with the tokens their users lent (internal/lent).
package filewatch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/events"
	"github.com/cloudreve-connect/facade/internal/fileevents"
	"github.com/cloudreve-connect/facade/internal/kvfollow"
	"github.com/cloudreve-connect/facade/internal/lease"
	"github.com/cloudreve-connect/facade/internal/lent"
	"github.com/cloudreve-connect/facade/internal/secretbox"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// LeaseBucket holds which replica holds which shard of the folder watches.
const LeaseBucket = "CLOUDREVE_FILE_WATCH_LEASES"

// credentialPrefix keys the folder watches' tokens in the credential bucket.
const credentialPrefix = "files."

// Config tunes the manager. Zero values take the defaults.
type Config struct {
	// APIBase is the upstream API root (…/api/v4).
	APIBase string
	// Doer opens the event channel; it adds the credentials of the request's
	// context, or the service account's (auth.Doer, without a deadline).
	Doer fileevents.Doer
	// API calls the upstream (token renewal, restored files' places).
	API      cloudreveapi.ClientInterface
	Versions *upstream.VersionTracker
	// Folders are the service account's watches of the configuration
	// (--watch-folders), canonical URIs.
	Folders   []string
	Replicas  int
	ReplicaID string
	// LeaseTTL: see internal/lease. Default 6s.
	LeaseTTL time.Duration
	// Shards the watches are spread over (by watch id). Default 64.
	Shards int
	// IdleTimeout takes a channel that sent nothing (not even its 30 s
	// keep-alive) for this long for dead, and connects again. Default 75s.
	IdleTimeout time.Duration
	// RetryMin and RetryMax bound the wait before connecting again after a
	// failure (doubling in between). Defaults 500ms and 30s.
	RetryMin, RetryMax time.Duration
	// Settle is how long a holder waits before each connection with a
	// watch's subscriber id (the first too: the id's last connection may be
	// Create's, or another replica's). Cloudreve marks a subscriber offline
	// when it notices one of its connections ended, even if a newer
	// connection with the same id is reading by then: that one would get
	// keep-alives and nothing else. Waiting lets Cloudreve notice first;
	// meanwhile it keeps the folder's changes for the subscriber. Default 2s.
	Settle time.Duration
	Logger *slog.Logger
}

func (c *Config) defaults() {
	if c.LeaseTTL <= 0 {
		c.LeaseTTL = 6 * time.Second
	}
	if c.Shards <= 0 {
		c.Shards = 64
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 75 * time.Second
	}
	if c.RetryMin <= 0 {
		c.RetryMin = 500 * time.Millisecond
	}
	if c.RetryMax <= 0 {
		c.RetryMax = 30 * time.Second
	}
	if c.Settle <= 0 {
		c.Settle = 2 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// Manager keeps the folder watches. Create it with New, start Run.
type Manager struct {
	cfg     Config
	files   *events.Files
	store   *store
	creds   *lent.Store
	leases  *lease.Keeper
	account *auth.ServiceAccount
	now     func() time.Time

	mu      sync.Mutex
	known   map[string]Record  // by watch id, of every replica's shards
	running map[string]*holder // the subscriptions this replica holds
	ready   chan struct{}      // closed after the first lease round
	stats   Stats
}

// Stats are counters for metrics.
type Stats struct {
	Held, Connected      int   // subscriptions held, and connected now
	Published, Failed    int64 // events published, publish attempts that failed
	Duplicates, Lost     int64 // events JetStream already had; watches lost
	Connects, Reconnects int64
}

// New prepares a manager; account may be nil.
func New(ctx context.Context, cfg Config, files *events.Files, box *secretbox.Box, account *auth.ServiceAccount) (*Manager, error) {
	cfg.defaults()
	js := files.JetStream()
	st, err := openStore(ctx, js, cfg.Replicas)
	if err != nil {
		return nil, err
	}
	creds, err := lent.Open(ctx, js, box, cfg.Replicas, credentialPrefix)
	if err != nil {
		return nil, err
	}
	ls, err := lease.Open(ctx, js, lease.Config{
		Bucket: LeaseBucket, Description: "which facade replica holds which shard of the folder watches", Replicas: cfg.Replicas,
		ReplicaID: cfg.ReplicaID, TTL: cfg.LeaseTTL, Shards: cfg.Shards, Logger: cfg.Logger.With("replica", cfg.ReplicaID),
	})
	if err != nil {
		return nil, err
	}
	return &Manager{
		cfg: cfg, files: files, store: st, creds: creds, leases: ls, account: account, now: time.Now,
		known: map[string]Record{}, running: map[string]*holder{}, ready: make(chan struct{}),
	}, nil
}

// Ready is closed once the replica took its first leases.
func (m *Manager) Ready() <-chan struct{} { return m.ready }

// Snapshot returns a copy of the counters.
func (m *Manager) Snapshot() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.stats
	s.Held = len(m.running)
	return s
}

func (m *Manager) count(f func(*Stats)) {
	m.mu.Lock()
	f(&m.stats)
	m.mu.Unlock()
}

// Watch of a user's folder, as the caller asks for it.
type Watch struct {
	UserID string
	// Folder is canonical (fileevents.CanonicalFolder).
	Folder string
	// Tokens are the caller's, nil for the service account.
	Tokens *lent.Tokens
}

// WatchID is the id of a user's watch of a folder (canonical), also its
// subscriber id upstream.
func WatchID(userID, folder string) string {
	return fileevents.ClientID("folder-watch", userID, folder)
}

// Create starts a durable watch, or returns the existing one. It first
// connects to the channel with the watch's subscriber id, which proves
// the folder and the channel and makes Cloudreve keep the folder's changes
// from now on, until the replica that holds the watch connects. Failures
// of that connection are returned as they are (fileevents.RPCError maps
// them).
func (m *Manager) Create(ctx context.Context, w Watch, configured bool) (Record, error) {
	id := WatchID(w.UserID, w.Folder)
	ctx = m.userContext(ctx, w.Tokens)
	ch, err := fileevents.Open(ctx, m.cfg.Doer, m.cfg.APIBase, w.Folder, id, m.cfg.IdleTimeout)
	if err != nil {
		return Record{}, err
	}
	ch.Close()
	if w.Tokens != nil {
		if err := m.creds.Put(ctx, w.UserID, *w.Tokens); err != nil {
			return Record{}, err
		}
	}
	rec, err := m.store.create(ctx, Record{
		UserID: w.UserID, WatchID: id, URI: w.Folder, Account: w.Tokens == nil, Configured: configured, Created: m.now().UTC(),
	})
	if err != nil {
		return Record{}, err
	}
	if w.Tokens != nil {
		// Again after the record: a replica ending the user's last other
		// watch may have deleted them since (lent.Store.Release).
		if err := m.creds.Put(ctx, w.UserID, *w.Tokens); err != nil {
			return Record{}, err
		}
	}
	m.know(rec)
	return rec, nil
}

// ErrNotFound: no such watch of the user.
var ErrNotFound = errors.New("filewatch: no such folder watch")

// ErrConfigured: a watch of the configuration cannot be deleted by a call.
var ErrConfigured = errors.New("filewatch: the watch is declared by the facade's configuration (--watch-folders)")

// Delete ends a user's watch.
func (m *Manager) Delete(ctx context.Context, userID, watchID string) error {
	rec, _, ok, err := m.store.get(ctx, userID, watchID)
	switch {
	case err != nil:
		return err
	case !ok:
		return ErrNotFound
	case rec.Configured:
		return ErrConfigured
	}
	return m.end(ctx, rec)
}

// end deletes a watch's record and, with its user's last watch, the user's
// tokens. Every replica's holder stops when the bucket feed reports the
// deletion (follow), the holder that ends its own watch too.
func (m *Manager) end(ctx context.Context, rec Record) error {
	if err := m.store.delete(ctx, rec.UserID, rec.WatchID); err != nil {
		return err
	}
	if rec.Account {
		return nil
	}
	return m.creds.Release(ctx, rec.UserID, func(ctx context.Context) (bool, error) {
		return m.store.userHasWatches(ctx, rec.UserID)
	})
}

// List returns a user's watches, by id.
func (m *Manager) List(ctx context.Context, userID string) ([]Record, error) {
	return m.store.ofUser(ctx, userID)
}

// userContext carries the tokens a watch reads the channel with.
func (m *Manager) userContext(ctx context.Context, t *lent.Tokens) context.Context {
	if t == nil {
		return ctx // the doer uses the service account
	}
	return auth.WithBearer(ctx, t.AccessToken)
}

// Run loads the watches, follows the changes other replicas make to them,
// keeps this replica's leases and holds the subscriptions of its shards
// until ctx ends; then it lets them go (Cloudreve keeps their changes for
// whoever takes them over).
func (m *Manager) Run(ctx context.Context) error {
	if err := m.declareConfigured(ctx); err != nil {
		m.cfg.Logger.Warn("declaring the configured folder watches failed", "error", err)
	}
	var bg sync.WaitGroup
	defer bg.Wait()
	defer m.stopAll()
	bg.Add(1)
	go func() { defer bg.Done(); m.follow(ctx) }()
	first := true
	m.leases.Run(ctx, func(bool) {
		m.reconcile(ctx)
		if first {
			first = false
			close(m.ready)
		}
	})
	return nil
}

// declareConfigured stores the configuration's watches of the service
// account and ends the configured ones it no longer lists.
func (m *Manager) declareConfigured(ctx context.Context) error {
	if m.account == nil {
		if len(m.cfg.Folders) > 0 {
			return errors.New("--watch-folders needs a service account (--account-email or --account-refresh-token)")
		}
		return nil
	}
	userID, err := m.account.UserID(ctx)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	var errs []error
	for _, folder := range m.cfg.Folders {
		want[WatchID(userID, folder)] = true
		if _, err := m.Create(ctx, Watch{UserID: userID, Folder: folder}, true); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", folder, err))
		}
	}
	recs, err := m.store.ofUser(ctx, userID)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	for _, rec := range recs {
		if rec.Configured && !want[rec.WatchID] {
			m.cfg.Logger.Info("ending a folder watch no longer configured", "uri", rec.URI)
			errs = append(errs, m.end(ctx, rec))
		}
	}
	return errors.Join(errs...)
}

// follow keeps the known watches in step with the bucket.
func (m *Manager) follow(ctx context.Context) {
	kvfollow.Follow(ctx, m.store.kv, kvfollow.Reader{Load: m.load, Apply: m.apply}, m.cfg.LeaseTTL/3, m.cfg.Logger, WatchBucket)
}

// load reads every watch of the bucket.
func (m *Manager) load(ctx context.Context) error {
	recs, err := m.store.list(ctx, ">")
	for _, rec := range recs {
		m.know(rec)
	}
	m.reconcile(ctx)
	return err
}

// apply takes one change of the bucket.
func (m *Manager) apply(ctx context.Context, entry jetstream.KeyValueEntry) {
	if entry.Operation() == jetstream.KeyValuePut {
		if rec, err := decodeRecord(entry); err == nil {
			m.know(rec)
		}
	} else if _, watchID, ok := watchOfKey(entry.Key()); ok {
		m.forget(watchID)
	}
	m.reconcile(ctx)
}

func (m *Manager) know(rec Record) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.known[rec.WatchID] = rec
}

// forget drops an ended watch, stopping its subscription here.
func (m *Manager) forget(watchID string) {
	m.mu.Lock()
	delete(m.known, watchID)
	h := m.running[watchID]
	delete(m.running, watchID)
	m.mu.Unlock()
	if h != nil {
		h.stop()
	}
}

// reconcile starts the subscriptions of the watches in this replica's
// shards and stops those no longer in them.
func (m *Manager) reconcile(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	m.mu.Lock()
	var stopped []*holder
	for id, h := range m.running {
		if _, ok := m.known[id]; !ok || !m.leases.OwnsShardOf(id) {
			stopped = append(stopped, h)
			delete(m.running, id)
		}
	}
	for id, rec := range m.known {
		if _, ok := m.running[id]; ok || !m.leases.OwnsShardOf(id) {
			continue
		}
		m.running[id] = m.startHolder(ctx, rec)
	}
	m.mu.Unlock()
	for _, h := range stopped {
		h.stop()
	}
}

func (m *Manager) stopAll() {
	m.mu.Lock()
	hs := make([]*holder, 0, len(m.running))
	for id, h := range m.running {
		hs = append(hs, h)
		delete(m.running, id)
	}
	m.mu.Unlock()
	for _, h := range hs {
		h.stop()
	}
}

// Package watcher follows Cloudreve tasks and publishes each change as a
// TaskEvent. It polls adaptively (every ActiveInterval while it watches
// something, every IdleInterval otherwise), reads tasks in pages of
// ListTasks rather than one by one (or, when the service account is an
// administrator, every user's at once with the admin listing: admin.go),
// asks for progress only of processing tasks, and keeps its watches in
// JetStream KV so that a restarted facade finishes them. Several replicas share the work through leases in
// JetStream KV (lease.go): each polls only the shards of users it holds.
package watcher

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"os"
	"slices"
	"sync"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/events"
	"github.com/cloudreve-connect/facade/internal/lease"
	"github.com/cloudreve-connect/facade/internal/secretbox"
	"github.com/cloudreve-connect/facade/internal/tasks"
)

// Config tunes the watcher. Zero values take the defaults.
type Config struct {
	// ActiveInterval between polls while tasks are watched. Default 1s.
	ActiveInterval time.Duration
	// IdleInterval between discovery polls of the service account's tasks
	// when nothing is watched. Default 15s.
	IdleInterval time.Duration
	// ProgressInterval is the least time between two progress-only events
	// of one task. Default 1s.
	ProgressInterval time.Duration
	// MaxPages bounds how many ListTasks pages one poll reads per category.
	// Default 10 (1000 tasks).
	MaxPages int
	// Concurrency is how many users are polled at once. Default 4.
	Concurrency int
	Logger      *slog.Logger
	// OnPoll, when set, is told the duration of each poll round (metrics).
	OnPoll func(time.Duration)
	// Replicas of the KV buckets in a NATS cluster. Default 1.
	Replicas int
	// ReplicaID names this facade in the lease bucket. Default: host name
	// and a random suffix (a restarted process is a new replica).
	ReplicaID string
	// LeaseTTL is how long a shard lease lasts unless renewed; renewals
	// come every third of it. Default 6s.
	LeaseTTL time.Duration
	// Shards the watches are spread over (by user id). Default 64. All
	// replicas must agree on it.
	Shards int
	// ProgressCallsPerRound bounds the GetTaskProgress calls of one round
	// (see progress.go). Default: 32, or a hundredth of the processing
	// tasks when that is more.
	ProgressCallsPerRound int
	// DisableAdminListing keeps to one listing per user even when the
	// service account is an administrator (see admin.go).
	DisableAdminListing bool
	// AdminPageSize is the page size of the admin task listing. Default
	// 1000.
	AdminPageSize int
}

func (c *Config) defaults() {
	if c.ActiveInterval <= 0 {
		c.ActiveInterval = time.Second
	}
	if c.IdleInterval <= 0 {
		c.IdleInterval = 15 * time.Second
	}
	if c.ProgressInterval <= 0 {
		c.ProgressInterval = time.Second
	}
	if c.MaxPages <= 0 {
		c.MaxPages = 10
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 4
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Replicas <= 0 {
		c.Replicas = 1
	}
	if c.ReplicaID == "" {
		c.ReplicaID = NewReplicaID()
	}
	if c.LeaseTTL <= 0 {
		c.LeaseTTL = 6 * time.Second
	}
	if c.Shards <= 0 {
		c.Shards = 64
	}
	if c.AdminPageSize <= 0 {
		c.AdminPageSize = 1000
	}
}

// NewReplicaID is unique per process: a replica restarted under the same
// name could otherwise act on leases its previous life still held.
func NewReplicaID() string {
	host, _ := os.Hostname()
	if host == "" {
		host = "facade"
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return host + "-" + hex.EncodeToString(b)
}

// Watcher follows tasks. Create it with New, start Run in a goroutine.
type Watcher struct {
	cfg     Config
	client  cloudreveapi.ClientInterface
	bus     *events.Bus
	store   *store
	leases  *lease.Keeper
	account *auth.ServiceAccount
	now     func() time.Time

	mu      sync.Mutex
	watches map[string]*watch // by task id, of every replica's shards
	wake    chan struct{}
	// reload asks the next round to read every watch record again: after
	// gaining shards, in case the KV feed missed a change.
	reload bool
	ready  chan struct{} // closed after the first round of leases
	// seen caches the discovered tasks already considered; since is when
	// discovery began, per user (also kept in KV).
	seen  map[string]bool
	since map[string]time.Time

	admin adminState // whether rounds read the admin listing (admin.go)
	stats Stats
}

// LeaseBucket holds which replica polls which shard of the watches. Every
// watched task belongs to the shard of its user (all of a user's tasks are
// read with one listing), and a shard is polled only by the replica holding
// its lease (internal/lease).
const LeaseBucket = "CLOUDREVE_WATCH_LEASES"

// discoveryLease names the lease whose holder discovers the service
// account's tasks.
const discoveryLease = "discovery"

// LeaseStats are counters of the lease keeper, for metrics.
type LeaseStats struct {
	OwnedShards   int
	LiveReplicas  int
	Discovery     bool  // holds the discovery lease
	Takeovers     int64 // leases taken from a replica that stopped renewing
	RenewFailures int64 // renewals that failed (lease lost or NATS unavailable)
}

func (w *Watcher) leaseStats() LeaseStats {
	s := w.leases.Snapshot()
	return LeaseStats{OwnedShards: s.OwnedShards, LiveReplicas: s.LiveReplicas, Discovery: slices.Contains(s.Singletons, discoveryLease),
		Takeovers: s.Takeovers, RenewFailures: s.RenewFailures}
}

// Stats are counters for metrics.
type Stats struct {
	mu                                      sync.Mutex
	PollRounds, Published, Duplicates, Lost int64
	PublishFailures                         int64
	LastPollDuration                        time.Duration
	// Conflicts: events not appended because another replica had moved
	// the task on (the watch read the stream again).
	Conflicts int64
	Leases    LeaseStats
	// AdminListing: rounds read the admin task listing rather than one
	// listing per user (the service account is an administrator).
	AdminListing bool
}

type watch struct {
	mu      sync.Mutex // serialises observations of one task
	rec     record
	last    *eventsv1.TaskEvent // newest published event
	lastSeq uint64              // its stream sequence (0: none)
	// synced: last is the stream's newest event. It is not after the
	// watch came from KV, or while another replica held its shard.
	synced         bool
	lastProgressAt time.Time
	pending        *taskv1.Task // a progress observation held back by the throttle
	// progressDue: this round reads the task's progress (planProgress);
	// progressReadAt: when it was last read.
	progressDue    bool
	progressReadAt time.Time
	// noCredentials counts polls in a row that found no credentials; one
	// may fall between a release and a new watch storing them again.
	noCredentials int
}

// New prepares a watcher; account may be nil.
func New(ctx context.Context, cfg Config, client cloudreveapi.ClientInterface, bus *events.Bus, box *secretbox.Box, account *auth.ServiceAccount) (*Watcher, error) {
	cfg.defaults()
	st, err := openStore(ctx, bus.JetStream(), box, cfg.Replicas)
	if err != nil {
		return nil, err
	}
	ls, err := lease.Open(ctx, bus.JetStream(), lease.Config{
		Bucket: LeaseBucket, Description: "which facade replica polls which shard of the task watches", Replicas: cfg.Replicas,
		ReplicaID: cfg.ReplicaID, TTL: cfg.LeaseTTL, Shards: cfg.Shards, Singletons: []string{discoveryLease},
		Logger: cfg.Logger.With("replica", cfg.ReplicaID),
	})
	if err != nil {
		return nil, err
	}
	return &Watcher{
		cfg: cfg, client: client, bus: bus, store: st, leases: ls, account: account, now: time.Now,
		watches: map[string]*watch{}, wake: make(chan struct{}, 1), ready: make(chan struct{}),
		seen: map[string]bool{}, since: map[string]time.Time{},
	}, nil
}

// Owner reports which user a watched task belongs to.
func (w *Watcher) Owner(taskID string) (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if wt, ok := w.watches[taskID]; ok {
		return wt.rec.UserID, true
	}
	return "", false
}

// Active counts the watched tasks this replica polls (of its shards).
func (w *Watcher) Active() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, wt := range w.watches {
		if w.leases.OwnsShardOf(wt.rec.UserID) {
			n++
		}
	}
	return n
}

// Ready is closed once the replica took its first leases: serving before
// would leave new watches unpolled until then.
func (w *Watcher) Ready() <-chan struct{} { return w.ready }

// ReplicaID names this replica in the lease bucket.
func (w *Watcher) ReplicaID() string { return w.cfg.ReplicaID }

// Snapshot returns a copy of the counters.
func (w *Watcher) Snapshot() Stats {
	w.stats.mu.Lock()
	defer w.stats.mu.Unlock()
	return Stats{PollRounds: w.stats.PollRounds, Published: w.stats.Published, Duplicates: w.stats.Duplicates,
		Lost: w.stats.Lost, PublishFailures: w.stats.PublishFailures, LastPollDuration: w.stats.LastPollDuration,
		Conflicts: w.stats.Conflicts, Leases: w.leaseStats(), AdminListing: w.usesAdminListing()}
}

// Watch starts following a task of userID, as the upstream just described
// it. With creds nil the service account's session polls it; otherwise the
// (sealed) credentials are stored for the polls. It publishes the task's
// first event at once unless the task is already watched, and returns the
// task's newest event.
func (w *Watcher) Watch(ctx context.Context, userID string, t *cloudreveapi.TaskResponse, creds *Credentials) (*eventsv1.TaskEvent, error) {
	task := tasks.FromResponse(t, nil)
	if creds != nil {
		if err := w.store.putCredentials(ctx, userID, *creds); err != nil {
			return nil, err
		}
	}
	w.mu.Lock()
	wt, ok := w.watches[t.Id]
	w.mu.Unlock()
	if ok {
		return wt.lastEvent(), nil
	}

	// A task may have events from an earlier life of the facade, or from
	// another replica.
	last, lastSeq, err := w.bus.Last(ctx, userID, tasks.TypeName(task.GetType()), t.Id)
	if err != nil {
		return nil, err
	}
	if last != nil && finished(last) {
		return last, nil
	}
	rec := record{UserID: userID, TaskID: t.Id, Type: tasks.TypeName(task.GetType()), Account: creds == nil}
	wt = &watch{rec: rec, last: last, lastSeq: lastSeq, synced: true}
	// Known before it is stored: the bucket feed (follow) must find this
	// watch rather than add an empty one that would miss the first event.
	w.mu.Lock()
	if existing, ok := w.watches[t.Id]; ok { // lost a race with another Watch
		w.mu.Unlock()
		if ev := existing.lastEvent(); ev != nil {
			return ev, nil
		}
		return last, nil
	}
	w.watches[t.Id] = wt
	w.mu.Unlock()
	if !tasks.Terminal(task.GetStatus()) {
		if err := w.store.putWatch(ctx, rec); err != nil {
			w.forget(t.Id)
			return nil, err
		}
		if creds != nil {
			// Again after the record: a replica ending the user's last
			// other watch may have deleted them since (releaseCredentials).
			if err := w.store.putCredentials(ctx, userID, *creds); err != nil {
				return nil, err
			}
		}
	}
	if last == nil {
		// Published here even when another replica polls the task: the
		// caller gets its first event at once, and PublishAfter keeps the
		// two from forking the sequence.
		if err := w.observe(ctx, wt, task); err != nil && !errors.Is(err, errResynced) {
			return nil, err
		}
	}
	w.poke()
	return wt.lastEvent(), nil
}

func (wt *watch) lastEvent() *eventsv1.TaskEvent {
	wt.mu.Lock()
	defer wt.mu.Unlock()
	return wt.last
}

func (w *Watcher) poke() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run loads the stored watches, follows the changes other replicas make to
// them, keeps this replica's leases and polls its shards until ctx ends;
// then it gives its leases back.
func (w *Watcher) Run(ctx context.Context) error {
	if err := w.resume(ctx); err != nil {
		return err
	}
	var bg sync.WaitGroup
	defer bg.Wait()
	bg.Add(2)
	go func() {
		defer bg.Done()
		first := true
		w.leases.Run(ctx, func(gained bool) {
			if gained {
				w.mu.Lock()
				w.reload = true
				w.mu.Unlock()
				w.poke()
			}
			if first {
				first = false
				close(w.ready)
			}
		})
	}()
	go func() { defer bg.Done(); w.follow(ctx) }()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-w.wake:
		case <-timer.C:
		}
		start := w.now()
		w.round(ctx)
		w.stats.mu.Lock()
		w.stats.PollRounds++
		took := w.now().Sub(start)
		w.stats.LastPollDuration = took
		w.stats.mu.Unlock()
		if w.cfg.OnPoll != nil {
			w.cfg.OnPoll(took)
		}
		interval := w.cfg.IdleInterval
		if w.Active() > 0 {
			interval = w.cfg.ActiveInterval
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(interval)
	}
}

// resume loads the stored watches, of every shard. Their newest events
// are read when this replica first polls them (sync).
func (w *Watcher) resume(ctx context.Context) error {
	recs, err := w.store.listWatches(ctx)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		w.know(rec)
	}
	return nil
}

// know adds a stored watch unless it is known already.
func (w *Watcher) know(rec record) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.watches[rec.TaskID]; !ok {
		w.watches[rec.TaskID] = &watch{rec: rec}
	}
}

// forget drops a watch another replica ended.
func (w *Watcher) forget(taskID string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.watches, taskID)
}

// sync reads a watch's newest event from the stream, where the replica that
// polled it before left it. It reports false when the task is done.
func (w *Watcher) sync(ctx context.Context, wt *watch) (bool, error) {
	wt.mu.Lock()
	defer wt.mu.Unlock()
	return w.syncLocked(ctx, wt)
}

// syncLocked is sync with wt.mu held.
func (w *Watcher) syncLocked(ctx context.Context, wt *watch) (bool, error) {
	if wt.synced {
		return true, nil
	}
	last, seq, err := w.bus.Last(ctx, wt.rec.UserID, wt.rec.Type, wt.rec.TaskID)
	if err != nil {
		return false, err
	}
	wt.last, wt.lastSeq, wt.pending, wt.synced = last, seq, nil, true
	if last != nil && finished(last) {
		// The final event went out already (before a restart, or from the
		// replica that held the shard).
		w.forget(wt.rec.TaskID)
		_ = w.store.deleteWatch(ctx, wt.rec.UserID, wt.rec.TaskID)
		return false, nil
	}
	return true, nil
}

// round polls every user with watches in this replica's shards, and the
// service account when this replica holds the discovery lease: from the
// admin listing when the account may read it, else each user's listing.
func (w *Watcher) round(ctx context.Context) {
	w.mu.Lock()
	reload := w.reload
	w.reload = false
	w.mu.Unlock()
	if reload {
		if err := w.resume(ctx); err != nil {
			w.cfg.Logger.Warn("reading the watch records failed", "error", err)
		}
	}
	byUser := map[string][]*watch{}
	var all []*watch
	w.mu.Lock()
	for _, wt := range w.watches {
		all = append(all, wt)
	}
	w.mu.Unlock()
	for _, wt := range all {
		if !w.leases.OwnsShardOf(wt.rec.UserID) {
			// Another replica may move it on meanwhile.
			wt.mu.Lock()
			wt.synced = false
			wt.mu.Unlock()
			continue
		}
		if ok, err := w.sync(ctx, wt); err != nil {
			w.cfg.Logger.Warn("reading a task's newest event failed", "task_id", wt.rec.TaskID, "error", err)
			continue
		} else if !ok {
			continue
		}
		byUser[wt.rec.UserID] = append(byUser[wt.rec.UserID], wt)
	}
	accountUser, discovering := "", false
	if w.account != nil {
		if id, err := w.account.UserID(ctx); err == nil {
			accountUser = id
			discovering = w.leases.Owns(discoveryLease)
			if _, ok := byUser[id]; !ok && discovering {
				byUser[id] = nil
			}
		} else {
			w.cfg.Logger.Warn("service account unavailable", "error", err)
		}
	}
	var polled []*watch
	for _, ws := range byUser {
		polled = append(polled, ws...)
	}
	w.planProgress(polled)
	shown := w.adminListing(ctx, byUser, accountUser)
	sem := make(chan struct{}, w.cfg.Concurrency)
	var wg sync.WaitGroup
	for userID, ws := range byUser {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			w.pollUser(ctx, userID, ws, shown, userID == accountUser, discovering && userID == accountUser)
		}()
	}
	wg.Wait()
}

func finished(ev *eventsv1.TaskEvent) bool {
	for _, c := range ev.GetChanges() {
		if c == eventsv1.Change_CHANGE_FINISHED || c == eventsv1.Change_CHANGE_WATCH_LOST {
			return true
		}
	}
	return false
}

// publish sends the next event of a watch and records it as the newest.
func (w *Watcher) publish(ctx context.Context, wt *watch, task *taskv1.Task, changes []eventsv1.Change, lost *eventsv1.WatchLost) error {
	var seq uint64 = 1
	prevStatus, prevPhase := taskv1.TaskStatus_TASK_STATUS_UNSPECIFIED, ""
	if wt.last != nil {
		seq = wt.last.GetSequence() + 1
		prevStatus, prevPhase = wt.last.GetTask().GetStatus(), wt.last.GetTask().GetPhase()
	}
	ev := &eventsv1.TaskEvent{
		Id:             events.EventID(task.GetId(), seq),
		UserId:         wt.rec.UserID,
		Task:           task,
		Changes:        changes,
		Sequence:       seq,
		ObservedAt:     timestamppb.New(w.now()),
		PreviousStatus: prevStatus,
		PreviousPhase:  prevPhase,
		WatchLost:      lost,
	}
	pub, err := w.bus.PublishAfter(ctx, ev, wt.lastSeq)
	conflict := errors.Is(err, events.ErrNotNext)
	w.stats.mu.Lock()
	switch {
	case conflict:
		w.stats.Conflicts++
	case err != nil:
		w.stats.PublishFailures++
	case pub.Duplicate:
		w.stats.Duplicates++
	default:
		w.stats.Published++
	}
	w.stats.mu.Unlock()
	if conflict || (err == nil && pub.Duplicate) {
		// Another replica published this task's next event (a duplicate
		// id may hide different content): start again from the stream.
		wt.synced = false
		if _, serr := w.syncLocked(ctx, wt); serr != nil {
			return serr
		}
		return errResynced
	}
	if err != nil {
		w.cfg.Logger.Warn("publishing task event failed", "event_id", ev.Id, "error", err)
		return err
	}
	wt.last, wt.lastSeq = ev, pub.StreamSequence
	return nil
}

// errResynced: the observation was dropped because the task had moved on in
// the stream; the next poll compares against the newest event.
var errResynced = errors.New("watcher: the task moved on in the stream; observed again next round")

// end removes a watch after its final event.
func (w *Watcher) end(ctx context.Context, wt *watch) {
	w.forget(wt.rec.TaskID)
	if err := w.store.deleteWatch(ctx, wt.rec.UserID, wt.rec.TaskID); err != nil {
		w.cfg.Logger.Warn("deleting watch record failed", "task_id", wt.rec.TaskID, "error", err)
		return
	}
	if !wt.rec.Account {
		if err := w.store.releaseCredentials(ctx, wt.rec.UserID); err != nil {
			w.cfg.Logger.Warn("releasing a user's credentials failed", "user_id", wt.rec.UserID, "error", err)
		}
	}
}

// lose publishes a final "watch lost" event and ends the watch.
func (w *Watcher) lose(ctx context.Context, wt *watch, reason eventsv1.WatchLostReason, detail string) {
	wt.mu.Lock()
	defer wt.mu.Unlock()
	if wt.last != nil && finished(wt.last) {
		return // ended by a concurrent observation
	}
	task := wt.last.GetTask()
	if task == nil {
		task = &taskv1.Task{Id: wt.rec.TaskID}
	}
	if err := w.publish(ctx, wt, task, []eventsv1.Change{eventsv1.Change_CHANGE_WATCH_LOST}, &eventsv1.WatchLost{Reason: reason, Detail: detail}); err != nil {
		return // retried next round
	}
	w.stats.mu.Lock()
	w.stats.Lost++
	w.stats.mu.Unlock()
	w.cfg.Logger.Info("task watch lost", "task_id", wt.rec.TaskID, "user_id", wt.rec.UserID, "reason", reason.String())
	w.end(ctx, wt)
}

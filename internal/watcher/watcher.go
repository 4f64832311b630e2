// Package watcher follows Cloudreve tasks and publishes each change as a
// TaskEvent. It polls adaptively (every ActiveInterval while it watches
// something, every IdleInterval otherwise), reads tasks in pages of
// ListTasks rather than one by one, asks for progress only of processing
// tasks, and keeps its watches in JetStream KV so that a restarted facade
// finishes them.
package watcher

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/events"
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
}

// Watcher follows tasks. Create it with New, start Run in a goroutine.
type Watcher struct {
	cfg     Config
	client  cloudreveapi.ClientInterface
	bus     *events.Bus
	store   *store
	account *auth.ServiceAccount
	now     func() time.Time

	mu      sync.Mutex
	watches map[string]*watch // by task id
	wake    chan struct{}
	// seen caches the discovered tasks already considered; since is when
	// discovery began, per user (also kept in KV).
	seen  map[string]bool
	since map[string]time.Time

	stats Stats
}

// Stats are counters for metrics.
type Stats struct {
	mu                                      sync.Mutex
	PollRounds, Published, Duplicates, Lost int64
	PublishFailures                         int64
	LastPollDuration                        time.Duration
}

type watch struct {
	mu             sync.Mutex // serialises observations of one task
	rec            record
	last           *eventsv1.TaskEvent // newest published event
	lastProgressAt time.Time
	pending        *taskv1.Task // a progress observation held back by the throttle
}

// New prepares a watcher; account may be nil.
func New(ctx context.Context, cfg Config, client cloudreveapi.ClientInterface, bus *events.Bus, box *secretbox.Box, account *auth.ServiceAccount) (*Watcher, error) {
	cfg.defaults()
	st, err := openStore(ctx, bus.JetStream(), box)
	if err != nil {
		return nil, err
	}
	return &Watcher{
		cfg: cfg, client: client, bus: bus, store: st, account: account, now: time.Now,
		watches: map[string]*watch{}, wake: make(chan struct{}, 1),
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

// Active counts the tasks being watched.
func (w *Watcher) Active() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.watches)
}

// Snapshot returns a copy of the counters.
func (w *Watcher) Snapshot() Stats {
	w.stats.mu.Lock()
	defer w.stats.mu.Unlock()
	return Stats{PollRounds: w.stats.PollRounds, Published: w.stats.Published, Duplicates: w.stats.Duplicates,
		Lost: w.stats.Lost, PublishFailures: w.stats.PublishFailures, LastPollDuration: w.stats.LastPollDuration}
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

	// A task may have events from an earlier life of the facade.
	last, _, err := w.bus.Last(ctx, userID, tasks.TypeName(task.GetType()), t.Id)
	if err != nil {
		return nil, err
	}
	if last != nil && finished(last) {
		return last, nil
	}
	rec := record{UserID: userID, TaskID: t.Id, Type: tasks.TypeName(task.GetType()), Account: creds == nil}
	wt = &watch{rec: rec, last: last}
	if !tasks.Terminal(task.GetStatus()) {
		if err := w.store.putWatch(ctx, rec); err != nil {
			return nil, err
		}
	}
	w.mu.Lock()
	if existing, ok := w.watches[t.Id]; ok { // lost a race with another Watch
		w.mu.Unlock()
		return existing.lastEvent(), nil
	}
	w.watches[t.Id] = wt
	w.mu.Unlock()
	if last == nil {
		if err := w.observe(ctx, wt, task); err != nil {
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

// Run resumes the stored watches and polls until ctx ends.
func (w *Watcher) Run(ctx context.Context) error {
	if err := w.resume(ctx); err != nil {
		return err
	}
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

// resume loads the watches a previous run left, with their newest events.
func (w *Watcher) resume(ctx context.Context) error {
	recs, err := w.store.listWatches(ctx)
	if err != nil {
		return err
	}
	for _, rec := range recs {
		last, _, err := w.bus.Last(ctx, rec.UserID, rec.Type, rec.TaskID)
		if err != nil {
			return err
		}
		if last != nil && finished(last) {
			// The final event went out before the restart: nothing to do.
			_ = w.store.deleteWatch(ctx, rec.UserID, rec.TaskID)
			continue
		}
		w.mu.Lock()
		w.watches[rec.TaskID] = &watch{rec: rec, last: last}
		w.mu.Unlock()
		w.cfg.Logger.Info("resumed task watch", "task_id", rec.TaskID, "user_id", rec.UserID)
	}
	return nil
}

// round polls every user with watches (and the service account).
func (w *Watcher) round(ctx context.Context) {
	byUser := map[string][]*watch{}
	w.mu.Lock()
	for _, wt := range w.watches {
		byUser[wt.rec.UserID] = append(byUser[wt.rec.UserID], wt)
	}
	w.mu.Unlock()
	accountUser := ""
	if w.account != nil {
		if id, err := w.account.UserID(ctx); err == nil {
			accountUser = id
			if _, ok := byUser[id]; !ok {
				byUser[id] = nil
			}
		} else {
			w.cfg.Logger.Warn("service account unavailable", "error", err)
		}
	}
	sem := make(chan struct{}, w.cfg.Concurrency)
	var wg sync.WaitGroup
	for userID, ws := range byUser {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			w.pollUser(ctx, userID, ws, userID == accountUser)
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
	pub, err := w.bus.Publish(ctx, ev)
	w.stats.mu.Lock()
	switch {
	case err != nil:
		w.stats.PublishFailures++
	case pub.Duplicate:
		w.stats.Duplicates++
	default:
		w.stats.Published++
	}
	w.stats.mu.Unlock()
	if err != nil {
		w.cfg.Logger.Warn("publishing task event failed", "event_id", ev.Id, "error", err)
		return err
	}
	wt.last = ev
	return nil
}

// end removes a watch after its final event.
func (w *Watcher) end(ctx context.Context, wt *watch) {
	w.mu.Lock()
	delete(w.watches, wt.rec.TaskID)
	others := false
	for _, o := range w.watches {
		if o.rec.UserID == wt.rec.UserID && !o.rec.Account {
			others = true
		}
	}
	w.mu.Unlock()
	if err := w.store.deleteWatch(ctx, wt.rec.UserID, wt.rec.TaskID); err != nil {
		w.cfg.Logger.Warn("deleting watch record failed", "task_id", wt.rec.TaskID, "error", err)
	}
	if !others && !wt.rec.Account {
		_ = w.store.deleteCredentials(ctx, wt.rec.UserID)
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

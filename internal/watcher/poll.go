package watcher

import (
	"context"
	"errors"
	"fmt"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/tasks"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

const listPageSize = 100

// pollUser reads the tasks of one user and publishes what changed.
// isAccount: the service account's session reads them; discover: this
// replica holds the discovery lease and looks for the account's new tasks.
// shown holds the owner's view of the tasks the admin listing showed this
// round (nil when it was not read): those watches are observed from it,
// the others from the user's own listing.
func (w *Watcher) pollUser(ctx context.Context, userID string, ws []*watch, shown map[string]*cloudreveapi.TaskResponse, isAccount, discover bool) {
	callCtx, ok := w.pollContext(ctx, userID, ws, isAccount)
	if !ok {
		return
	}
	var listed, unseen []*watch
	for _, wt := range ws {
		if shown[wt.rec.TaskID] != nil {
			listed = append(listed, wt)
		} else {
			unseen = append(unseen, wt)
		}
	}
	refreshed := false
	w.dispatch(ctx, callCtx, userID, listed, shown, false, &refreshed)
	if len(unseen) == 0 && !discover {
		return
	}
	found, first, complete, err := w.listUser(callCtx, unseen, discover)
	if err != nil {
		w.pollFailed(ctx, userID, unseen, err)
		return
	}
	w.dispatch(ctx, callCtx, userID, unseen, found, complete, &refreshed)
	if discover {
		w.discover(ctx, userID, first)
	}
}

// pollContext carries the credentials to poll a user's tasks with; false
// when there are none (twice in a row: the watches are lost) or they
// cannot be read now.
func (w *Watcher) pollContext(ctx context.Context, userID string, ws []*watch, isAccount bool) (context.Context, bool) {
	callCtx, err := w.userContext(ctx, userID, isAccount)
	if errors.Is(err, errNoCredentials) {
		for _, wt := range ws {
			wt.mu.Lock()
			wt.noCredentials++
			again := wt.noCredentials >= 2
			wt.mu.Unlock()
			if again { // not a release racing with a new watch: really gone
				w.lose(ctx, wt, eventsv1.WatchLostReason_WATCH_LOST_REASON_CREDENTIALS_UNAVAILABLE, err.Error())
			}
		}
		return nil, false
	}
	for _, wt := range ws {
		wt.mu.Lock()
		wt.noCredentials = 0
		wt.mu.Unlock()
	}
	if err != nil {
		w.cfg.Logger.Warn("reading stored credentials failed", "user_id", userID, "error", err)
		return nil, false // NATS trouble: try again next round
	}
	return callCtx, true
}

// listUser reads the user's own task listing, the categories of ws (all
// three when discovering), until every watch is found. It returns the
// tasks found by id, every task of the categories' first pages (for
// discovery), and whether the listings were read to their ends (so that a
// task missing from them is gone).
func (w *Watcher) listUser(callCtx context.Context, ws []*watch, discover bool) (map[string]*cloudreveapi.TaskResponse, []*cloudreveapi.TaskResponse, bool, error) {
	categories := map[cloudreveapi.ListTaskCategory]bool{}
	for _, wt := range ws {
		for _, c := range categoriesOf(wt.rec.Type) {
			categories[c] = true
		}
	}
	if discover {
		// Discovery of tasks created elsewhere looks at every category.
		for _, c := range []cloudreveapi.ListTaskCategory{cloudreveapi.ListTaskCategoryGeneral, cloudreveapi.ListTaskCategoryDownloading, cloudreveapi.ListTaskCategoryDownloaded} {
			categories[c] = true
		}
	}
	found := map[string]*cloudreveapi.TaskResponse{}
	var listed []*cloudreveapi.TaskResponse
	complete := true
	// "downloading" before "downloaded": a download that finishes between
	// the two listings is then in the second, never in neither (which
	// would read as gone).
	for _, cat := range []cloudreveapi.ListTaskCategory{cloudreveapi.ListTaskCategoryGeneral, cloudreveapi.ListTaskCategoryDownloading, cloudreveapi.ListTaskCategoryDownloaded} {
		if !categories[cat] {
			continue
		}
		want := map[string]bool{}
		for _, wt := range ws {
			for _, c := range categoriesOf(wt.rec.Type) {
				if c == cat && found[wt.rec.TaskID] == nil {
					want[wt.rec.TaskID] = true
				}
			}
		}
		if len(want) == 0 && !discover {
			// Every download was still downloading: the "downloaded"
			// listing has nothing to tell (one listing per user a round).
			continue
		}
		all, err := w.walk(callCtx, cat, want, found, &listed)
		if err != nil {
			return nil, nil, false, err
		}
		complete = complete && all
	}
	return found, listed, complete, nil
}

// dispatch observes each watch's task in found; a watch missing from found
// is lost when the listings were complete. refreshed: the user's token was
// renewed this round already.
func (w *Watcher) dispatch(ctx, callCtx context.Context, userID string, ws []*watch, found map[string]*cloudreveapi.TaskResponse, complete bool, refreshed *bool) {
	for _, wt := range ws {
		if !w.leases.OwnsShardOf(userID) {
			return // the lease ran out while the listing was read
		}
		t, ok := found[wt.rec.TaskID]
		if !ok {
			if complete {
				w.lose(ctx, wt, eventsv1.WatchLostReason_WATCH_LOST_REASON_TASK_GONE, "the upstream no longer lists the task")
			}
			continue
		}
		task := w.snapshot(ctx, callCtx, userID, wt, t, refreshed)
		if err := w.observe(ctx, wt, task); errors.Is(err, errResynced) {
			w.cfg.Logger.Debug("another replica moved the task on", "task_id", t.Id)
		} else if err != nil {
			w.cfg.Logger.Warn("observing task failed", "task_id", t.Id, "error", err)
		}
	}
}

// snapshot converts a listed task, with its progress read now when this
// round's budget gives it a turn, else the progress already published.
func (w *Watcher) snapshot(ctx, callCtx context.Context, userID string, wt *watch, t *cloudreveapi.TaskResponse, refreshed *bool) *taskv1.Task {
	var progress map[string]cloudreveapi.Progress
	read := t.Status == "processing" && wt.takeProgressTurn(time.Now())
	if read {
		p, err := upstream.Op[map[string]cloudreveapi.Progress]("getTaskProgress").Decode(w.client.GetTaskProgress(callCtx, t.Id))
		switch {
		case err == nil && p != nil:
			progress = *p
		case err != nil:
			// A failed read tells nothing new: keep what was published.
			// With the admin listing nothing else renews the user's token,
			// so a refused one is renewed here, once a round.
			read = false
			if credentialsRefused(err) && !*refreshed {
				*refreshed = true
				w.refresh(ctx, userID)
			}
		}
	}
	task := tasks.FromResponse(t, progress)
	if t.Status == "processing" && !read {
		task.Progress = wt.knownProgress()
	}
	return task
}

// walk reads the pages of one category until every wanted task was found.
// It reports whether the listing was read to its end (so that a missing
// task is really gone). The first page is also collected for discovery.
func (w *Watcher) walk(ctx context.Context, cat cloudreveapi.ListTaskCategory, want map[string]bool, found map[string]*cloudreveapi.TaskResponse, listed *[]*cloudreveapi.TaskResponse) (bool, error) {
	return tasks.Walk(ctx, w.client, cat, listPageSize, w.cfg.MaxPages, func(page int, listedTasks []cloudreveapi.TaskResponse) bool {
		for i := range listedTasks {
			t := &listedTasks[i]
			if want[t.Id] {
				found[t.Id] = t
			}
			if page == 0 {
				*listed = append(*listed, t)
			}
		}
		for id := range want {
			if found[id] == nil {
				return true // keep reading
			}
		}
		return false
	})
}

func categoriesOf(taskType string) []cloudreveapi.ListTaskCategory {
	if taskType == "remote_download" {
		return []cloudreveapi.ListTaskCategory{cloudreveapi.ListTaskCategoryDownloading, cloudreveapi.ListTaskCategoryDownloaded}
	}
	return []cloudreveapi.ListTaskCategory{cloudreveapi.ListTaskCategoryGeneral}
}

// userContext carries the credentials to poll a user's tasks with.
func (w *Watcher) userContext(ctx context.Context, userID string, isAccount bool) (context.Context, error) {
	if isAccount {
		return ctx, nil // the doer uses the service account
	}
	creds, err := w.store.credentials(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("the facade holds no usable credentials for the user: %w", err)
	}
	return auth.WithBearer(ctx, creds.AccessToken), nil
}

// pollFailed decides whether a failed listing ends the user's watches.
func (w *Watcher) pollFailed(ctx context.Context, userID string, ws []*watch, err error) {
	var ue *upstream.Error
	if errors.As(err, &ue) {
		switch {
		case credentialsRefused(err):
			if w.refresh(ctx, userID) {
				return // try again with the new token next round
			}
			for _, wt := range ws {
				w.lose(ctx, wt, eventsv1.WatchLostReason_WATCH_LOST_REASON_CREDENTIALS_EXPIRED,
					"the upstream no longer accepts the credentials the facade holds for this user")
			}
			return
		case ue.Code == upstream.CodeNoPermission || ue.Code == upstream.CodeGroupNotAllowed || ue.Code == upstream.CodeScopeInsufficient:
			for _, wt := range ws {
				w.lose(ctx, wt, eventsv1.WatchLostReason_WATCH_LOST_REASON_PERMISSION_DENIED, ue.Error())
			}
			return
		}
	}
	// Anything else (upstream down, timeouts) is retried next round.
	w.cfg.Logger.Warn("polling tasks failed", "user_id", userID, "error", err)
}

// credentialsRefused: the upstream no longer accepts the token used.
func credentialsRefused(err error) bool {
	var ue *upstream.Error
	return errors.As(err, &ue) && (ue.Code == upstream.CodeLoginRequired || ue.Code == upstream.CodeCredentialInvalid)
}

// refresh renews a user's stored access token with the stored refresh token.
func (w *Watcher) refresh(ctx context.Context, userID string) bool {
	return w.store.creds.Renew(ctx, w.client, userID)
}

// observe compares a fresh view of a task with the newest event and
// publishes what changed.
func (w *Watcher) observe(ctx context.Context, wt *watch, task *taskv1.Task) error {
	wt.mu.Lock()
	defer wt.mu.Unlock()
	if wt.last != nil && finished(wt.last) {
		return nil // ended by a concurrent observation
	}
	if wt.last == nil {
		changes := []eventsv1.Change{eventsv1.Change_CHANGE_FIRST_SEEN}
		if tasks.Terminal(task.GetStatus()) {
			changes = append(changes, eventsv1.Change_CHANGE_FINISHED)
		}
		if err := w.publish(ctx, wt, task, changes, nil); err != nil {
			return err
		}
		wt.lastProgressAt = w.now()
		if tasks.Terminal(task.GetStatus()) {
			w.end(ctx, wt)
		}
		return nil
	}
	prev := wt.last.GetTask()
	var changes []eventsv1.Change
	statusChanged := task.GetStatus() != prev.GetStatus()
	phaseChanged := task.GetPhase() != prev.GetPhase()
	if statusChanged {
		changes = append(changes, eventsv1.Change_CHANGE_STATUS)
	}
	if phaseChanged {
		changes = append(changes, eventsv1.Change_CHANGE_PHASE)
	}
	if progressChanged(prev, task) {
		changes = append(changes, eventsv1.Change_CHANGE_PROGRESS)
	}
	if len(changes) == 0 {
		return nil
	}
	if !statusChanged && !phaseChanged {
		// Only progress moved: hold it back if the last one is too recent.
		if w.now().Sub(wt.lastProgressAt) < w.cfg.ProgressInterval {
			wt.pending = task
			return nil
		}
	} else if wt.pending != nil && progressChanged(prev, wt.pending) {
		// The last progress before a status change always goes out first.
		if err := w.publish(ctx, wt, wt.pending, []eventsv1.Change{eventsv1.Change_CHANGE_PROGRESS}, nil); err != nil {
			return err
		}
	}
	wt.pending = nil
	finished := statusChanged && tasks.Terminal(task.GetStatus())
	if finished {
		changes = append(changes, eventsv1.Change_CHANGE_FINISHED)
	}
	if err := w.publish(ctx, wt, task, changes, nil); err != nil {
		return err
	}
	wt.lastProgressAt = w.now()
	if finished {
		w.end(ctx, wt)
	}
	return nil
}

// progressChanged compares what a progress event reports: the counters and
// the downloader's state.
func progressChanged(a, b *taskv1.Task) bool {
	if len(a.GetProgress()) != len(b.GetProgress()) {
		return true
	}
	for k, p := range a.GetProgress() {
		if !proto.Equal(p, b.GetProgress()[k]) {
			return true
		}
	}
	return !proto.Equal(a.GetSummary().GetDownload(), b.GetSummary().GetDownload())
}

// discover starts watching the service account's tasks that the upstream
// created after discovery began. The start is kept in KV, so tasks created
// while no facade ran are still reported after a restart; tasks that already
// have events are not published again (Watch reads the stream).
func (w *Watcher) discover(ctx context.Context, userID string, listed []*cloudreveapi.TaskResponse) {
	since, err := w.discoveryStart(ctx, userID, listed)
	if err != nil {
		w.cfg.Logger.Warn("task discovery unavailable", "user_id", userID, "error", err)
		return
	}
	var fresh []*cloudreveapi.TaskResponse
	w.mu.Lock()
	for _, t := range listed {
		_, watched := w.watches[t.Id]
		if !w.seen[t.Id] && !watched && t.CreatedAt.After(since) {
			fresh = append(fresh, t)
		}
		w.seen[t.Id] = true
	}
	w.mu.Unlock()
	for _, t := range fresh {
		if _, err := w.Watch(ctx, userID, t, nil); err != nil {
			w.cfg.Logger.Warn("watching a discovered task failed", "task_id", t.Id, "error", err)
			w.mu.Lock()
			delete(w.seen, t.Id) // try again next round
			w.mu.Unlock()
		}
	}
}

// discoveryStart returns when discovery of the user's tasks began, marking
// it on the first discovery ever: the newest task the upstream lists then
// (by the upstream's own clock), or now when there is none.
func (w *Watcher) discoveryStart(ctx context.Context, userID string, listed []*cloudreveapi.TaskResponse) (time.Time, error) {
	w.mu.Lock()
	since, ok := w.since[userID]
	w.mu.Unlock()
	if ok {
		return since, nil
	}
	since, ok, err := w.store.discoverySince(ctx, userID)
	if err != nil {
		return time.Time{}, err
	}
	if !ok {
		since = w.now()
		if len(listed) > 0 {
			since = listed[0].CreatedAt
			for _, t := range listed {
				if t.CreatedAt.After(since) {
					since = t.CreatedAt
				}
			}
		}
		if err := w.store.putDiscoverySince(ctx, userID, since); err != nil {
			return time.Time{}, err
		}
	}
	w.mu.Lock()
	w.since[userID] = since
	w.mu.Unlock()
	return since, nil
}

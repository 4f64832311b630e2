package watcher

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/tasks"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// The admin listing. When the service account is a Cloudreve
// administrator, a round reads the watched tasks of all users at once with
// the admin task listing (POST /admin/queue): a few pages per unfinished
// status, instead of one listing per watched user. The owner's view of each
// row (tasks.FromAdmin) goes through the same pollUser, dispatch and
// observe as a user listing's. A watch the admin listing does not show (its
// task finished, or changed status between two of the listings) is read
// from its user's listing as before, and so are the account's own tasks
// for discovery. Every replica reads the listing and polls only its shards.
//
// Whether the account may read it is found out by reading it: the first
// round tries, a refusal (403) switches to per-user listings, logged once,
// and per-user mode tries again every adminRecheck, so that a promotion
// takes effect.

const adminRecheck = 10 * time.Minute

// adminMaxPages bounds the pages of one status's listing; watches beyond
// them are read from their users' listings.
const adminMaxPages = 100

// unfinished are the statuses listed, in this order: a task turning from
// queued or suspending to processing between two listings is in one of
// them either way.
var unfinished = []cloudreveapi.TaskStatus{cloudreveapi.TaskStatusQueued, cloudreveapi.TaskStatusSuspending, cloudreveapi.TaskStatusProcessing}

type listingMode int

const (
	modeUndecided listingMode = iota
	modeAdmin
	modePerUser
)

// adminState is what the watcher knows about the admin listing.
type adminState struct {
	mu      sync.Mutex
	mode    listingMode
	decided time.Time
	// nodes is the owner's view of each node the listing names by numeric
	// id; nil for a node owners are not shown (an inactive one).
	nodes map[int64]*cloudreveapi.Node
}

// adminListing reads the admin listing for the watches of this round and
// returns the owner's view of each watched task it shows, by task id; nil
// when this round polls per user.
func (w *Watcher) adminListing(ctx context.Context, byUser map[string][]*watch, accountUser string) map[string]*cloudreveapi.TaskResponse {
	if w.cfg.DisableAdminListing || accountUser == "" || !w.adminDue() {
		return nil
	}
	want := map[string]*watch{}
	for _, ws := range byUser {
		for _, wt := range ws {
			want[wt.rec.TaskID] = wt
		}
	}
	if len(want) == 0 {
		return nil // only discovery, from the account's own listing
	}
	rows := map[string]*cloudreveapi.AdminTask{}
	for _, status := range unfinished {
		if len(rows) == len(want) {
			break
		}
		_, err := tasks.WalkAdmin(ctx, w.client, cloudreveapi.AdminTaskConditions{TaskStatus: &status}, w.cfg.AdminPageSize, adminMaxPages,
			func(page []cloudreveapi.AdminTask) bool {
				for i := range page {
					if want[page[i].TaskHashId] != nil {
						rows[page[i].TaskHashId] = &page[i]
					}
				}
				return len(rows) < len(want)
			})
		if err != nil {
			if notAdministrator(err) {
				w.setListingMode(modePerUser, err)
			} else {
				w.cfg.Logger.Warn("reading the admin task listing failed; polling per user this round", "error", err)
			}
			return nil
		}
	}
	w.setListingMode(modeAdmin, nil)
	shown := make(map[string]*cloudreveapi.TaskResponse, len(rows))
	tried := map[int64]bool{}
	for id, row := range rows {
		if node, ok := w.nodeOf(ctx, row, want[id], accountUser, tried); ok {
			shown[id] = tasks.FromAdmin(row, node)
		}
	}
	return shown
}

// nodeOf is the owner's view of the node a row names. Owners know nodes
// by hashids the admin listing does not give, so the first row naming a
// node is also read from its owner's listing, once per node (tried: this
// round tried it already). false: not known yet, the watch is read from
// its user's listing this round.
func (w *Watcher) nodeOf(ctx context.Context, row *cloudreveapi.AdminTask, wt *watch, accountUser string, tried map[int64]bool) (*cloudreveapi.Node, bool) {
	if row.Node == nil {
		return nil, true
	}
	id := row.Node.Id
	w.admin.mu.Lock()
	node, known := w.admin.nodes[id]
	w.admin.mu.Unlock()
	if known || tried[id] {
		return node, known
	}
	tried[id] = true
	callCtx, err := w.userContext(ctx, wt.rec.UserID, wt.rec.UserID == accountUser)
	if err != nil {
		return nil, false
	}
	found, _, _, err := w.listUser(callCtx, []*watch{wt}, false)
	t := found[wt.rec.TaskID]
	if err != nil || t == nil {
		return nil, false
	}
	w.admin.mu.Lock()
	if w.admin.nodes == nil {
		w.admin.nodes = map[int64]*cloudreveapi.Node{}
	}
	w.admin.nodes[id] = t.Node
	w.admin.mu.Unlock()
	return t.Node, true
}

// adminDue: this round tries the admin listing.
func (w *Watcher) adminDue() bool {
	w.admin.mu.Lock()
	defer w.admin.mu.Unlock()
	return w.admin.mode != modePerUser || w.now().Sub(w.admin.decided) >= adminRecheck
}

// setListingMode records how rounds read the tasks, and logs a change.
func (w *Watcher) setListingMode(m listingMode, cause error) {
	w.admin.mu.Lock()
	prev := w.admin.mode
	w.admin.mode, w.admin.decided = m, w.now()
	w.admin.mu.Unlock()
	if prev == m {
		return
	}
	if m == modeAdmin {
		w.cfg.Logger.Info("the service account is an administrator: reading all watched users' tasks with the admin task listing", "listing", "admin")
		return
	}
	w.cfg.Logger.Info("the service account may not read the admin task listing: reading each watched user's tasks", "listing", "per_user", "cause", cause)
}

// usesAdminListing reports whether the last decision was the admin listing.
func (w *Watcher) usesAdminListing() bool {
	w.admin.mu.Lock()
	defer w.admin.mu.Unlock()
	return w.admin.mode == modeAdmin
}

// notAdministrator: the upstream refused the admin listing to the account.
func notAdministrator(err error) bool {
	var ue *upstream.Error
	if !errors.As(err, &ue) {
		return false
	}
	switch ue.Code {
	case upstream.CodeNoPermission, upstream.CodeAdminRequired, upstream.CodeScopeInsufficient:
		return true
	}
	return false
}

package watcher

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	"github.com/cloudreve-connect/facade/sandbox"
)

// With an administrator as the service account, a round reads the tasks of
// all users in a few admin listings; the events are those of one listing
// per user, published by the same code.
func TestAdminListingPollsAllUsersInAFewRequests(t *testing.T) {
	u := startUpstream(t)
	u.account(t, "root@example.com", true)
	const users, pageSize = 60, 25
	var accounts []*testAccount
	failing := 0
	for i := range users {
		a := u.account(t, fmt.Sprintf("user%d@example.com", i), false)
		a.archive(t, u)
		a.slowDownload(t)
		if i%6 == 0 {
			a.badExtract(t, u)
			failing++
		}
		accounts = append(accounts, a)
	}
	watched := 2*users + failing
	admin := u.watcher(t, "root@example.com", Config{AdminPageSize: pageSize})
	perUser := u.watcher(t, "root@example.com", Config{AdminPageSize: pageSize, DisableAdminListing: true})
	admin.watchAll(t, accounts)
	perUser.watchAll(t, accounts)

	type round struct {
		name            string
		admin, perUser  map[string]int
		adminListTasks  int // expected user listings of the admin-mode watcher
		adminListingMax int
	}
	// Each round the discovery lease holder reads the account's three
	// categories; the admin listing reads queued, suspending and
	// processing, page by page, until every watched task was seen.
	const discovery = 3
	pages := func(n int) int { return n/pageSize + 1 }
	rounds := []*round{
		{name: "all queued", adminListTasks: discovery + 1, adminListingMax: pages(watched)}, // + the node's hashid, learned once
		{name: "extracts failed", adminListTasks: discovery + failing, adminListingMax: 1 + pages(users) + pages(users)},
		{name: "archives uploading", adminListTasks: discovery, adminListingMax: 1 + pages(users) + pages(users)},
		{name: "archives processing", adminListTasks: discovery, adminListingMax: 1 + 1 + pages(2*users)},
		{name: "nothing moved", adminListTasks: discovery, adminListingMax: 1 + 1 + pages(2*users)},
		{name: "five downloads canceled", adminListTasks: discovery + 5*2, adminListingMax: 1 + 1 + pages(2*users)},
	}
	for i, r := range rounds {
		switch i {
		case 1, 2, 3:
			u.Step()
		case 5:
			for _, a := range accounts[:5] {
				a.cancel(t, a.created[1])
			}
		}
		r.admin, r.perUser = admin.pollRound(u), perUser.pollRound(u)
	}

	if !admin.Snapshot().AdminListing || perUser.Snapshot().AdminListing {
		t.Errorf("admin listing in use: %v with an administrator, %v when disabled", admin.Snapshot().AdminListing, perUser.Snapshot().AdminListing)
	}
	for _, r := range rounds {
		t.Logf("%-24s admin mode %v, per-user mode %v", r.name, r.admin, r.perUser)
		if got := r.admin["listTasks"]; got != r.adminListTasks {
			t.Errorf("%s: the admin-mode round read %d user listings, want %d", r.name, got, r.adminListTasks)
		}
		if got := r.admin["listAdminTasks"]; got < 1 || got > r.adminListingMax {
			t.Errorf("%s: %d admin listing pages, want 1 to %d", r.name, got, r.adminListingMax)
		}
		if got := r.perUser["listTasks"]; got < discovery+users || r.perUser["listAdminTasks"] != 0 {
			t.Errorf("%s: the per-user round read %d user listings and %d admin pages, want at least %d and none",
				r.name, got, r.perUser["listAdminTasks"], discovery+users)
		}
		// Progress is read as before. (When downloads end, which of the
		// tasks last seen processing get this round's 32 turns differs
		// between the two watchers: a turn of an ended one is not used.)
		if a, p := r.admin["getTaskProgress"], r.perUser["getTaskProgress"]; a != p && (r.name != "five downloads canceled" || a > minProgressCalls || p > minProgressCalls) {
			t.Errorf("%s: progress reads %d in admin mode, %d per user", r.name, a, p)
		}
		if r.admin["other"] > 1 { // the account's first sign-in
			t.Errorf("%s: %d other requests in admin mode", r.name, r.admin["other"])
		}
	}

	got, want := eventsByTask(t, admin), eventsByTask(t, perUser)
	if len(want) != watched {
		t.Fatalf("per-user mode published events of %d tasks, want %d", len(want), watched)
	}
	for id, evs := range want {
		if !sameEvents(got[id], evs) {
			t.Errorf("task %s: admin mode published\n%v\nper-user mode\n%v", id, describeEvents(got[id]), describeEvents(evs))
		}
	}
	// What the rounds saw, from the per-user watcher's events.
	last := map[string]string{}
	for _, a := range accounts {
		for _, task := range a.created {
			evs := want[task.Id]
			last[string(task.Type)+":"+evs[len(evs)-1].GetTask().GetStatus().String()] = ""
		}
	}
	for _, s := range []string{"create_archive:TASK_STATUS_PROCESSING", "remote_download:TASK_STATUS_PROCESSING",
		"remote_download:TASK_STATUS_CANCELED", "extract_archive:TASK_STATUS_ERROR"} {
		if _, ok := last[s]; !ok {
			t.Errorf("no task ended the rounds as %s (saw %v)", s, last)
		}
	}
}

// An account outside the administrators' group is refused the listing
// once; rounds then read each user's listing, and ask again only after
// adminRecheck.
func TestAdminListingFallsBackForOtherAccounts(t *testing.T) {
	u := startUpstream(t)
	u.account(t, "root@example.com", true)
	u.account(t, "svc@example.com", false)
	var accounts []*testAccount
	for i := range 5 {
		a := u.account(t, fmt.Sprintf("user%d@example.com", i), false)
		a.archive(t, u)
		accounts = append(accounts, a)
	}
	w := u.watcher(t, "svc@example.com", Config{})
	clock := advanceable(w.Watcher)
	w.watchAll(t, accounts)

	first := w.pollRound(u)
	u.Step()
	second := w.pollRound(u)
	if first["listAdminTasks"] != 1 || second["listAdminTasks"] != 0 {
		t.Errorf("admin listing pages: %d in the first round, %d in the second; want one refused, then none", first["listAdminTasks"], second["listAdminTasks"])
	}
	if second["listTasks"] != len(accounts)+3 || w.Snapshot().AdminListing {
		t.Errorf("second round: %v, admin listing %v; want one listing per user and the account's three", second, w.Snapshot().AdminListing)
	}
	for _, a := range accounts {
		if ev := lastEvent(t, w, a.created[0].Id); ev.GetTask().GetStatus() != taskv1.TaskStatus_TASK_STATUS_SUSPENDING {
			t.Errorf("task %s: newest event %v, want suspending", a.created[0].Id, ev.GetTask().GetStatus())
		}
	}
	clock.Add(int64(adminRecheck))
	if again := w.pollRound(u); again["listAdminTasks"] != 1 || w.Snapshot().AdminListing {
		t.Errorf("after %s: %d admin listing pages, admin listing %v; want one refused", adminRecheck, again["listAdminTasks"], w.Snapshot().AdminListing)
	}
	if n := strings.Count(w.logs.String(), "may not read the admin task listing"); n != 1 {
		t.Errorf("the fallback was logged %d times, want once:\n%s", n, w.logs.String())
	}
}

// An administrator refused later (403: demoted) falls back to per-user
// listings in the same round, and the admin listing is tried again later.
func TestAdminListingRefusedLater(t *testing.T) {
	u := startUpstream(t)
	u.account(t, "root@example.com", true)
	var accounts []*testAccount
	for i := range 3 {
		a := u.account(t, fmt.Sprintf("user%d@example.com", i), false)
		a.archive(t, u)
		accounts = append(accounts, a)
	}
	w := u.watcher(t, "root@example.com", Config{})
	clock := advanceable(w.Watcher)
	w.watchAll(t, accounts)
	if r := w.pollRound(u); r["listAdminTasks"] == 0 || !w.Snapshot().AdminListing {
		t.Fatalf("first round %v, admin listing %v", r, w.Snapshot().AdminListing)
	}
	if err := u.InjectFault("listAdminTasks", sandbox.Fault{Code: 403, Msg: " ", Times: 1}); err != nil {
		t.Fatal(err)
	}
	u.Step()
	r := w.pollRound(u)
	if r["listAdminTasks"] != 1 || r["listTasks"] != len(accounts)+3 || w.Snapshot().AdminListing {
		t.Errorf("refused round %v, admin listing %v; want the refusal, then one listing per user", r, w.Snapshot().AdminListing)
	}
	for _, a := range accounts {
		if ev := lastEvent(t, w, a.created[0].Id); ev.GetTask().GetStatus() != taskv1.TaskStatus_TASK_STATUS_SUSPENDING {
			t.Errorf("task %s: newest event %v, want suspending (seen the round of the refusal)", a.created[0].Id, ev.GetTask().GetStatus())
		}
	}
	if r := w.pollRound(u); r["listAdminTasks"] != 0 {
		t.Errorf("the round after the refusal read %d admin pages", r["listAdminTasks"])
	}
	clock.Add(int64(adminRecheck))
	if r := w.pollRound(u); r["listAdminTasks"] == 0 || r["listTasks"] != 3 || !w.Snapshot().AdminListing {
		t.Errorf("after %s: %v, admin listing %v; want the admin listing again", adminRecheck, r, w.Snapshot().AdminListing)
	}
	logs := w.logs.String()
	if strings.Count(logs, "may not read the admin task listing") != 1 || strings.Count(logs, "is an administrator") != 2 {
		t.Errorf("mode changes logged:\n%s", logs)
	}
}

// advanceable makes the watcher's clock the wall clock plus an offset the
// test moves.
func advanceable(w *Watcher) *atomic.Int64 {
	var offset atomic.Int64
	w.now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	return &offset
}

func eventsByTask(t *testing.T, tw *testWatcher) map[string][]*eventsv1.TaskEvent {
	t.Helper()
	out := map[string][]*eventsv1.TaskEvent{}
	for _, ev := range allEvents(t, tw.bus) {
		out[ev.GetTask().GetId()] = append(out[ev.GetTask().GetId()], ev)
	}
	return out
}

func lastEvent(t *testing.T, tw *testWatcher, taskID string) *eventsv1.TaskEvent {
	t.Helper()
	evs := eventsByTask(t, tw)[taskID]
	if len(evs) == 0 {
		t.Fatalf("no events of task %s", taskID)
	}
	return evs[len(evs)-1]
}

// sameEvents compares two watchers' events of a task but for when they
// were observed and the running time the upstream reported then.
func sameEvents(a, b []*eventsv1.TaskEvent) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := comparable(a[i]), comparable(b[i])
		if !proto.Equal(x, y) {
			return false
		}
	}
	return true
}

func comparable(ev *eventsv1.TaskEvent) *eventsv1.TaskEvent {
	c := proto.Clone(ev).(*eventsv1.TaskEvent)
	c.ObservedAt = nil
	c.Task.Duration = nil
	return c
}

func describeEvents(evs []*eventsv1.TaskEvent) string {
	var b strings.Builder
	for _, ev := range evs {
		fmt.Fprintf(&b, "\t%d %v %v/%s node=%s progress=%v\n", ev.GetSequence(), ev.GetChanges(), ev.GetTask().GetStatus(),
			ev.GetTask().GetPhase(), ev.GetTask().GetNode().GetId(), ev.GetTask().GetProgress())
	}
	return b.String()
}

package tests

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/sandbox"
)

// With a Cloudreve administrator as the service account, the replicas read
// all users' tasks with the admin task listing; a user's own listing is
// read only for a task that left it (it ended). Another account is refused
// the listing and the facade polls each user as before.

// listingLog counts, per replica, the admin listing's pages, and the
// listings read with the users' own tokens (the facade names itself in the
// User-Agent).
type listingLog struct {
	mu     sync.Mutex
	tokens map[string]bool
	admin  map[string]int
	users  int
}

func (l *listingLog) record(r *http.Request) {
	agent := r.Header.Get("User-Agent")
	start := strings.Index(agent, "(replica ")
	if start < 0 {
		return
	}
	replica := strings.TrimSuffix(agent[start+len("(replica "):], ")")
	path := strings.TrimPrefix(r.URL.Path, sandbox.APIPrefix)
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case r.Method == http.MethodPost && path == "/admin/queue":
		l.admin[replica]++
	case r.Method == http.MethodGet && path == "/workflow" && l.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]:
		l.users++
	}
}

func (l *listingLog) counts() (map[string]int, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	admin := map[string]int{}
	for k, v := range l.admin {
		admin[k] = v
	}
	return admin, l.users
}

func TestAdminServiceAccountReadsTheAdminListing(t *testing.T) {
	const users, perUser = 10, 5
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	up := startSandbox(t, sandbox.Options{Tick: 100 * time.Millisecond, UserPermissions: remoteDownloaders})
	if _, err := up.CreateAdmin("svc@example.com", "password-svc", "svc"); err != nil {
		t.Fatal(err)
	}
	rs := startReplicaSetOn(t, ctx, 2, up, "--account-email", "svc@example.com", "--account-password", "password-svc")
	accounts := rs.newUsers(t, users)
	listings := &listingLog{admin: map[string]int{}, tokens: map[string]bool{}}
	for _, a := range accounts {
		listings.tokens[a.Token] = true
	}
	record := func(r *http.Request) { rs.polls.record(r); listings.record(r) }
	up.seen.Store(&record)
	var ids []string
	for u, a := range accounts {
		for k := range perUser {
			ids = append(ids, rs.create(t, ctx, rs.ids[(u+k)%len(rs.ids)], a, fmt.Sprintf("https://example.com/%s/%d.bin", a.ID, k)))
		}
	}
	waitFor(t, 2*time.Minute, "a terminal event of every task", func() bool { return rs.audit.allEnded(t, ids) })
	rs.audit.assertContiguousOnce(t, ids)
	rs.audit.assertStatus(t, ids, taskv1.TaskStatus_TASK_STATUS_COMPLETED)

	admin, userListings := listings.counts()
	var rounds float64
	for _, id := range rs.ids {
		f := rs.fs[id]
		if v := facadeMetric(t, f, "facade_watcher_admin_listing"); v != 1 {
			t.Errorf("replica %s: facade_watcher_admin_listing %v, want 1", id, v)
		}
		if admin[id] == 0 {
			t.Errorf("replica %s never read the admin listing", id)
		}
		rounds += facadeMetric(t, f, "facade_watcher_poll_rounds_total")
		if n := strings.Count(f.logs.String(), "reading all watched users' tasks with the admin task listing"); n != 1 {
			t.Errorf("replica %s logged the admin listing %d times, want once", id, n)
		}
	}
	// Each download is read from its user's listing about once, when it
	// has ended (downloading, then downloaded), and each replica learns the
	// node's hashid from one listing.
	if limit := 2*len(ids) + len(rs.ids); userListings > limit {
		t.Errorf("%d user listings in %v rounds, want at most %d (admin listing pages %v)", userListings, rounds, limit, admin)
	}
	t.Logf("%v rounds: admin listing pages %v, user listings %d", rounds, admin, userListings)
}

func TestOtherServiceAccountPollsEachUser(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	up := startSandbox(t, sandbox.Options{Tick: 100 * time.Millisecond, UserPermissions: remoteDownloaders})
	if _, err := up.CreateAdmin("root@example.com", "password-root", "root"); err != nil {
		t.Fatal(err)
	}
	up.newAccount(t, "svc") // not an administrator
	ann := up.newAccount(t, "ann")
	_, natsURL := startNATS(t)
	f := startFacade(t, "--upstream", up.URL, "--nats-url", natsURL, "--account-email", "svc@example.com",
		"--account-password", "password-svc", "--poll-active", "50ms")
	res, err := workflowClient(f, withToken(ann.Token)).CreateRemoteDownload(ctx, &workflowv1.CreateRemoteDownloadRequest{Src: []string{"https://example.com/ann.bin"}, Dst: "cloudreve://my"})
	if err != nil {
		t.Fatal(err)
	}
	evs := taskEvents(t, ctx, natsURL, ann.ID, res.GetTasks()[0].GetId())
	if got := evs[len(evs)-1].GetTask().GetStatus(); got != taskv1.TaskStatus_TASK_STATUS_COMPLETED {
		t.Fatalf("events %v", statusesOf(evs))
	}
	if v := facadeMetric(t, f, "facade_watcher_admin_listing"); v != 0 {
		t.Errorf("facade_watcher_admin_listing %v, want 0", v)
	}
	if n := strings.Count(f.logs.String(), "may not read the admin task listing"); n != 1 {
		t.Errorf("the refusal was logged %d times, want once", n)
	}
}

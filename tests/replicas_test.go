package tests

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/sandbox"
)

// Several facades against one NATS cluster share the task watches through
// leases in JetStream KV: each user's tasks are polled by one replica, a
// replica that dies is replaced within its lease TTL, and losing a NATS
// node loses nothing. Every test audits the stream with a durable consumer:
// each task's events have contiguous sequences from 1 and one terminal
// event.

const (
	testShards   = 64
	testLeaseTTL = 1500 * time.Millisecond
)

// replicaSet is a NATS cluster, the sandbox and facades named r1, r2, …
type replicaSet struct {
	up      *upstreamStub
	cluster *natsCluster
	ids     []string
	fs      map[string]*facade
	leases  jetstream.KeyValue
	audit   *eventLog
	polls   *pollLog
}

// remoteDownloaders lets the sandbox's users start remote downloads (a
// fresh server's may not; an administrator allows it).
var remoteDownloaders = []userv1.GroupPermission{userv1.GroupPermission_GROUP_PERMISSION_REMOTE_DOWNLOAD}

// startReplicaSet starts the replicas over a sandbox whose users may start
// remote downloads (a fresh server's may not; an administrator allows it).
func startReplicaSet(t *testing.T, ctx context.Context, replicas int, opts sandbox.Options) *replicaSet {
	t.Helper()
	opts.UserPermissions = remoteDownloaders
	return startReplicaSetOn(t, ctx, replicas, startSandbox(t, opts))
}

// startReplicaSetOn starts the replicas against a sandbox the caller set
// up, with extra facade flags.
func startReplicaSetOn(t *testing.T, ctx context.Context, replicas int, up *upstreamStub, extra ...string) *replicaSet {
	t.Helper()
	rs := &replicaSet{up: up, cluster: startNATSCluster(t, 3), fs: map[string]*facade{}, polls: newPollLog()}
	record := rs.polls.record
	rs.up.seen.Store(&record)
	// Replicas share the key that seals the users' credentials in KV.
	key := base64.StdEncoding.EncodeToString([]byte("replicas-share-this-secret-key!!"))
	for i := 1; i <= replicas; i++ {
		id := fmt.Sprintf("r%d", i)
		rs.ids = append(rs.ids, id)
		rs.fs[id] = startFacade(t, append([]string{"--upstream", rs.up.URL, "--nats-url", rs.cluster.URL, "--nats-replicas", "3",
			"--secret-key", key, "--replica-id", id, "--lease-ttl", testLeaseTTL.String(), "--poll-active", "50ms", "--progress-interval", "200ms"}, extra...)...)
	}
	js, err := jetstream.New(natsConnect(t, rs.cluster.URL))
	if err != nil {
		t.Fatal(err)
	}
	if rs.leases, err = js.KeyValue(ctx, "CLOUDREVE_WATCH_LEASES"); err != nil {
		t.Fatal(err)
	}
	info, err := js.Stream(ctx, "CLOUDREVE_TASKS")
	if err != nil {
		t.Fatal(err)
	}
	if r := info.CachedInfo().Config.Replicas; r != 3 {
		t.Fatalf("event stream has %d replicas, want 3 (--nats-replicas)", r)
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, "CLOUDREVE_TASKS", jetstream.ConsumerConfig{Durable: "replica-audit", AckPolicy: jetstream.AckNonePolicy})
	if err != nil {
		t.Fatal(err)
	}
	rs.audit = &eventLog{cons: cons, byTask: map[string][]*eventsv1.TaskEvent{}}
	rs.waitSettled(t, ctx, rs.ids...)
	return rs
}

// waitSettled waits until the live replicas hold every shard, each its
// fair share, and the facades' metrics agree.
func (rs *replicaSet) waitSettled(t *testing.T, ctx context.Context, live ...string) {
	t.Helper()
	waitFor(t, 30*time.Second, "settled shard leases", func() bool {
		if !sharesSettled(leaseOwners(t, ctx, rs.leases), testShards, live...) {
			return false
		}
		total := 0.0
		for _, id := range live {
			total += facadeMetric(t, rs.fs[id], "facade_watcher_shards_owned")
		}
		return total == testShards
	})
}

// create starts a remote download of user a through replica id.
func (rs *replicaSet) create(t *testing.T, ctx context.Context, id string, a account, src string) string {
	t.Helper()
	res, err := workflowClient(rs.fs[id], withToken(a.Token)).CreateRemoteDownload(ctx, &workflowv1.CreateRemoteDownloadRequest{Src: []string{src}, Dst: "cloudreve://my"})
	if err != nil {
		t.Fatal(err)
	}
	return res.GetTasks()[0].GetId()
}

// newUsers creates n sandbox accounts and tells the poll log their tokens.
func (rs *replicaSet) newUsers(t *testing.T, n int) []account {
	users := make([]account, n)
	for i := range users {
		users[i] = rs.up.newAccount(t, fmt.Sprintf("user%02d", i))
		rs.polls.user(users[i])
	}
	return users
}

// TestReplicasShareTheWatches: 200 tasks of 20 users, created through three
// replicas in turn. Every user's tasks are polled by one replica only, more
// than one replica does the polling, and every task ends exactly once.
func TestReplicasShareTheWatches(t *testing.T) {
	const users, perUser = 20, 10
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rs := startReplicaSet(t, ctx, 3, sandbox.Options{Tick: 100 * time.Millisecond})
	accounts := rs.newUsers(t, users)

	var ids []string
	for u, a := range accounts {
		for k := 0; k < perUser; k++ {
			via := rs.ids[(u*perUser+k)%len(rs.ids)]
			ids = append(ids, rs.create(t, ctx, via, a, fmt.Sprintf("https://example.com/%s/%d.bin", a.ID, k)))
		}
	}
	waitFor(t, 2*time.Minute, "a terminal event of every task", func() bool { return rs.audit.allEnded(t, ids) })
	rs.audit.assertContiguousOnce(t, ids)
	rs.audit.assertStatus(t, ids, taskv1.TaskStatus_TASK_STATUS_COMPLETED)

	pollers := map[string]bool{}
	for _, a := range accounts {
		got := rs.polls.replicasOf(a.ID)
		if len(got) != 1 {
			t.Errorf("user %s polled by %v, want exactly one replica", a.ID, got)
		}
		for r := range got {
			pollers[r] = true
		}
	}
	if len(pollers) < 2 {
		t.Errorf("only %v polled: the work was not shared", pollers)
	}
}

// TestKilledReplicaIsReplacedWithinTTL: a replica killed with SIGKILL in the
// middle of its tasks. The others take its shards once its leases run out
// and finish its watches, going on with each task's sequence.
func TestKilledReplicaIsReplacedWithinTTL(t *testing.T) {
	const users = 16
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rs := startReplicaSet(t, ctx, 3, sandbox.Options{Tick: 100 * time.Millisecond})
	accounts := rs.newUsers(t, users)
	tasks := map[string]account{}
	for u, a := range accounts {
		for k := 0; k < 2; k++ {
			tasks[rs.create(t, ctx, rs.ids[(2*u+k)%3], a, fmt.Sprintf("%s/%s-%d.iso", sandbox.DownloaderSlowPrefix, a.ID, k))] = a
		}
	}
	ids := keys(tasks)
	// The sandbox runs a few downloads at a time; the others stay queued.
	waitFor(t, time.Minute, "a first event of every task and running downloads", func() bool {
		return rs.audit.allHave(t, ids, 1) && len(rs.audit.running(t, ids, 3)) > 0
	})

	// The victim polls some users; they must be polled again by another.
	var victims []string
	for _, a := range accounts {
		if rs.polls.replicasOf(a.ID)["r1"] {
			victims = append(victims, a.ID)
		}
	}
	if len(victims) == 0 {
		t.Fatal("r1 polls nobody: nothing to take over")
	}
	if err := rs.fs["r1"].cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-rs.fs["r1"].done
	killed := time.Now()
	waitFor(t, 30*time.Second, "another replica polling r1's users", func() bool {
		for _, u := range victims {
			if rs.polls.lastBy(u, "r1").After(rs.polls.lastByOthers(u, "r1")) {
				return false
			}
		}
		return true
	})
	// Taken over within a TTL after the victim's last renewal, plus a
	// lease round (TTL/3) and a poll; the rest is slack for a busy machine.
	took := time.Since(killed)
	t.Logf("r1's %d users polled by another replica %v after SIGKILL (lease TTL %v)", len(victims), took, testLeaseTTL)
	if took > testLeaseTTL+testLeaseTTL/3+time.Second {
		t.Errorf("r1's users were polled again after %v, want within about one lease TTL (%v)", took, testLeaseTTL)
	}
	rs.waitSettled(t, ctx, "r2", "r3")
	takeovers := 0.0
	for _, id := range []string{"r2", "r3"} {
		takeovers += facadeMetric(t, rs.fs[id], "facade_watcher_lease_takeovers_total")
	}
	if takeovers < 1 {
		t.Errorf("no takeover counted by r2 and r3")
	}

	rs.cancelAll(t, ctx, "r2", tasks)
	waitFor(t, time.Minute, "a terminal event of every task", func() bool { return rs.audit.allEnded(t, ids) })
	rs.audit.assertContiguousOnce(t, ids)
	rs.audit.assertStatus(t, ids, taskv1.TaskStatus_TASK_STATUS_CANCELED)
}

// TestNATSNodeLossLosesNothing: the node leading the event stream is shut
// down while tasks run. Both replicas go on publishing through the other
// two nodes, and no task misses an event or ends twice.
func TestNATSNodeLossLosesNothing(t *testing.T) {
	const users = 12
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rs := startReplicaSet(t, ctx, 2, sandbox.Options{Tick: 100 * time.Millisecond})
	accounts := rs.newUsers(t, users)
	tasks := map[string]account{}
	for u, a := range accounts {
		for k := 0; k < 2; k++ {
			tasks[rs.create(t, ctx, rs.ids[(2*u+k)%2], a, fmt.Sprintf("%s/%s-%d.iso", sandbox.DownloaderSlowPrefix, a.ID, k))] = a
		}
	}
	ids := keys(tasks)
	waitFor(t, time.Minute, "a first event of every task and running downloads", func() bool {
		return rs.audit.allHave(t, ids, 1) && len(rs.audit.running(t, ids, 3)) > 0
	})

	js, err := jetstream.New(natsConnect(t, rs.cluster.URL))
	if err != nil {
		t.Fatal(err)
	}
	info, err := js.Stream(ctx, "CLOUDREVE_TASKS")
	if err != nil {
		t.Fatal(err)
	}
	leader := info.CachedInfo().Cluster.Leader
	running := rs.audit.running(t, ids, 1)
	before := rs.audit.counts(t, running)
	for _, n := range rs.cluster.nodes {
		if n.Name() == leader {
			n.Shutdown()
		}
	}
	waitFor(t, time.Minute, "new progress of every running download after the node loss", func() bool {
		after := rs.audit.counts(t, running)
		for _, id := range running {
			if after[id] < before[id]+2 {
				return false
			}
		}
		return true
	})
	rs.cancelAll(t, ctx, "r1", tasks)
	waitFor(t, time.Minute, "a terminal event of every task", func() bool { return rs.audit.allEnded(t, ids) })
	rs.audit.assertContiguousOnce(t, ids)
	rs.audit.assertStatus(t, ids, taskv1.TaskStatus_TASK_STATUS_CANCELED)
}

func (rs *replicaSet) cancelAll(t *testing.T, ctx context.Context, via string, tasks map[string]account) {
	t.Helper()
	for id, a := range tasks {
		if _, err := workflowClient(rs.fs[via], withToken(a.Token)).CancelTask(ctx, &workflowv1.CancelTaskRequest{Id: id}); err != nil {
			t.Fatalf("cancel %s: %v", id, err)
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// facadeMetric reads one metric of a facade.
func facadeMetric(t *testing.T, f *facade, name string) float64 {
	t.Helper()
	v, _ := metric(scrape(t, f.URL+"/metrics"), name)
	return v
}

// eventLog is what a durable consumer of the event stream received.
type eventLog struct {
	mu     sync.Mutex
	cons   jetstream.Consumer
	byTask map[string][]*eventsv1.TaskEvent
}

// pull takes what the consumer has now; NATS trouble leaves it for later.
func (l *eventLog) pull(t *testing.T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		batch, err := l.cons.FetchNoWait(1000)
		if err != nil {
			return
		}
		n := 0
		for msg := range batch.Messages() {
			n++
			ev := &eventsv1.TaskEvent{}
			if err := proto.Unmarshal(msg.Data(), ev); err != nil {
				t.Errorf("undecodable event: %v", err)
				continue
			}
			l.byTask[ev.GetTask().GetId()] = append(l.byTask[ev.GetTask().GetId()], ev)
		}
		if n == 0 {
			return
		}
	}
}

func (l *eventLog) counts(t *testing.T, ids []string) map[string]int {
	l.pull(t)
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]int{}
	for _, id := range ids {
		out[id] = len(l.byTask[id])
	}
	return out
}

func (l *eventLog) allHave(t *testing.T, ids []string, n int) bool {
	for _, c := range l.counts(t, ids) {
		if c < n {
			return false
		}
	}
	return true
}

// running are the tasks processing now with at least n events.
func (l *eventLog) running(t *testing.T, ids []string, n int) []string {
	l.pull(t)
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, id := range ids {
		evs := l.byTask[id]
		if len(evs) >= n && evs[len(evs)-1].GetTask().GetStatus() == taskv1.TaskStatus_TASK_STATUS_PROCESSING {
			out = append(out, id)
		}
	}
	return out
}

func (l *eventLog) allEnded(t *testing.T, ids []string) bool {
	l.pull(t)
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		evs := l.byTask[id]
		if len(evs) == 0 || !ended(evs[len(evs)-1]) {
			return false
		}
	}
	return true
}

func ended(ev *eventsv1.TaskEvent) bool {
	return hasChange(ev, eventsv1.Change_CHANGE_FINISHED) || hasChange(ev, eventsv1.Change_CHANGE_WATCH_LOST)
}

// assertContiguousOnce: sequences 1, 2, 3, … in stream order, event ids
// <task>.<seq>, and exactly one terminal event, the last.
func (l *eventLog) assertContiguousOnce(t *testing.T, ids []string) {
	t.Helper()
	l.pull(t)
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		evs := l.byTask[id]
		terminal := 0
		for i, ev := range evs {
			if ev.GetSequence() != uint64(i+1) || ev.GetId() != fmt.Sprintf("%s.%d", id, i+1) {
				t.Errorf("task %s: event %d is %s (sequence %d): %v", id, i+1, ev.GetId(), ev.GetSequence(), statusesOf(evs))
				break
			}
			if ended(ev) {
				terminal++
			}
		}
		if terminal != 1 || !ended(evs[len(evs)-1]) {
			t.Errorf("task %s: %d terminal events: %v", id, terminal, statusesOf(evs))
		}
	}
}

func (l *eventLog) assertStatus(t *testing.T, ids []string, want taskv1.TaskStatus) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		evs := l.byTask[id]
		if got := evs[len(evs)-1].GetTask().GetStatus(); got != want {
			t.Errorf("task %s ended %v, want %v: %v", id, got, want, statusesOf(evs))
		}
	}
}

// pollLog records which replica read whose tasks: the facade names itself
// in the User-Agent of its upstream calls.
type pollLog struct {
	mu     sync.Mutex
	tokens map[string]string               // bearer token → user id
	last   map[string]map[string]time.Time // user id → replica → newest task read
}

func newPollLog() *pollLog {
	return &pollLog{tokens: map[string]string{}, last: map[string]map[string]time.Time{}}
}

func (p *pollLog) user(a account) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokens[a.Token] = a.ID
}

func (p *pollLog) record(r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/api/v4")
	if r.Method != http.MethodGet || !(path == "/workflow" || strings.HasPrefix(path, "/workflow/progress/")) {
		return
	}
	agent := r.Header.Get("User-Agent")
	start := strings.Index(agent, "(replica ")
	if start < 0 {
		return
	}
	replica := strings.TrimSuffix(agent[start+len("(replica "):], ")")
	p.mu.Lock()
	defer p.mu.Unlock()
	user, ok := p.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	if !ok {
		return
	}
	if p.last[user] == nil {
		p.last[user] = map[string]time.Time{}
	}
	p.last[user][replica] = time.Now()
}

func (p *pollLog) replicasOf(user string) map[string]bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]bool{}
	for r := range p.last[user] {
		out[r] = true
	}
	return out
}

func (p *pollLog) lastBy(user, replica string) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last[user][replica]
}

func (p *pollLog) lastByOthers(user, replica string) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	var newest time.Time
	for r, at := range p.last[user] {
		if r != replica && at.After(newest) {
			newest = at
		}
	}
	return newest
}

package filewatch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/events"
	"github.com/cloudreve-connect/facade/internal/fileevents"
	"github.com/cloudreve-connect/facade/internal/lease"
	"github.com/cloudreve-connect/facade/internal/lent"
	"github.com/cloudreve-connect/facade/internal/natsembed"
	"github.com/cloudreve-connect/facade/internal/secretbox"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/sandbox/sandboxtest"
)

const (
	testShards = 2
	testTTL    = 600 * time.Millisecond
)

type replica struct {
	m    *Manager
	nc   *nats.Conn
	stop context.CancelFunc
	done chan struct{}
}

// startReplica runs a manager on its own NATS connection; tune changes its
// configuration.
func startReplica(t *testing.T, ns *natsembed.Server, up *sandboxtest.Upstream, name string, tune ...func(*Config)) *replica {
	t.Helper()
	nc, err := ns.Connect(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	ctx := context.Background()
	files, err := events.OpenFiles(ctx, nc, events.Config{Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	box, _ := secretbox.New(make([]byte, 32))
	doer := &auth.Doer{Base: http.DefaultClient}
	api, _ := cloudreveapi.NewClient(up.APIURL, cloudreveapi.WithHTTPClient(doer))
	cfg := Config{
		APIBase: up.APIURL, Doer: doer, API: api, ReplicaID: name, LeaseTTL: testTTL, Shards: testShards,
		RetryMin: 20 * time.Millisecond, RetryMax: 200 * time.Millisecond, Settle: 50 * time.Millisecond,
	}
	for _, f := range tune {
		f(&cfg)
	}
	m, err := New(ctx, cfg, files, box, nil)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	r := &replica{m: m, nc: nc, stop: stop, done: make(chan struct{})}
	go func() { defer close(r.done); _ = m.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-r.done })
	<-m.Ready()
	return r
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// world is a sandbox with short debounce, a NATS server, and one user with
// tokens and a REST client of their own.
type world struct {
	up              *sandboxtest.Upstream
	ns              *natsembed.Server
	uid             string
	access, refresh string
	rest            *cloudreveapi.Client
}

func startWorld(t *testing.T) world {
	t.Helper()
	up := sandboxtest.Start(t, sandbox.Options{EventDebounce: 20 * time.Millisecond})
	ns, err := natsembed.Start(natsembed.Options{StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	uid, _ := up.CreateUser("ola@example.com", "password1", "Ola")
	access, refresh, _ := up.IssueTokens(uid)
	rest, _ := cloudreveapi.NewClient(up.APIURL, cloudreveapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+access)
		return nil
	}))
	return world{up: up, ns: ns, uid: uid, access: access, refresh: refresh, rest: rest}
}

// Each folder's subscription is held by exactly one of two replicas; when
// one dies (its NATS connection gone, its leases never released) the other
// takes its watches over, and what changed in between reaches the stream
// once, from Cloudreve's buffer of the resumed subscriber.
func TestTakeOverFromADeadReplica(t *testing.T) {
	w := startWorld(t)
	up, ns, uid, access, refresh, rest := w.up, w.ns, w.uid, w.access, w.refresh, w.rest

	a := startReplica(t, ns, up, "a")
	b := startReplica(t, ns, up, "b")
	// Folders whose watches fall into both shards.
	var folders []string
	perShard := map[int]int{}
	for i := 0; len(folders) < 6; i++ {
		f := fmt.Sprintf("cloudreve://my/f%d", i)
		s := lease.ShardOf(WatchID(uid, f), testShards)
		if perShard[s] < 3 {
			perShard[s]++
			folders = append(folders, f)
		}
	}
	ctx := context.Background()
	for _, f := range folders {
		if err := upstream.Action("createFile").Check(rest.CreateFile(ctx, cloudreveapi.CreateFileJSONRequestBody{Uri: f, Type: cloudreveapi.CreateFileServiceTypeFolder})); err != nil {
			t.Fatal(err)
		}
		if _, err := a.m.Create(ctx, Watch{UserID: uid, Folder: f, Tokens: &lent.Tokens{AccessToken: access, RefreshToken: refresh}}, false); err != nil {
			t.Fatal(err)
		}
	}
	connected := func(r *replica) int { return r.m.Snapshot().Connected }
	waitFor(t, "each replica holding one shard's watches, connected", func() bool { return connected(a) == 3 && connected(b) == 3 })

	app, err := ns.Connect("app")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	js, _ := jetstream.New(app)
	cons, err := js.CreateOrUpdateConsumer(ctx, events.FileStream, jetstream.ConsumerConfig{
		Durable: "app", FilterSubject: events.FileSubjectPrefix + "." + uid + ".>", AckPolicy: jetstream.AckNonePolicy,
	})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	read := func(n int) {
		t.Helper()
		for range n {
			msg, err := cons.Next(jetstream.FetchMaxWait(10 * time.Second))
			if err != nil {
				t.Fatalf("after %v: %v", seen, err)
			}
			ev := &eventsv1.FileEvent{}
			if err := proto.Unmarshal(msg.Data(), ev); err != nil {
				t.Fatal(err)
			}
			seen[strings.TrimPrefix(ev.GetUri(), "cloudreve://my/")]++
		}
	}
	write := func(name string) {
		t.Helper()
		for _, f := range folders {
			if err := upstream.Action("updateFileContent").Check(rest.UpdateFileContentWithBody(ctx, &cloudreveapi.UpdateFileContentParams{Uri: f + "/" + name}, "application/octet-stream", strings.NewReader("x"))); err != nil {
				t.Fatal(err)
			}
		}
	}
	write("before.txt")
	read(len(folders))

	// a dies: no more renewals, nothing released. It stops acting on its
	// shard before b may take it; changes made from then on wait in
	// Cloudreve for the subscriber to come back.
	a.nc.Close()
	waitFor(t, "a letting its watches go", func() bool { return connected(a) == 0 })
	write("during.txt")
	waitFor(t, "b holding every watch", func() bool { return connected(b) == len(folders) })
	write("after.txt")
	read(2 * len(folders))

	info, err := cons.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.NumPending != 0 {
		t.Fatalf("%d events more than changes (duplicates): %v", info.NumPending, seen)
	}
	for _, f := range folders {
		for _, name := range []string{"before.txt", "during.txt", "after.txt"} {
			if n := seen[strings.TrimPrefix(f, "cloudreve://my/")+"/"+name]; n != 1 {
				t.Errorf("%s/%s seen %d times", f, name, n)
			}
		}
	}
}

// lateClose is a client whose response bodies close their connection a
// while after Close returned, as when Cloudreve notices an ended
// connection late (a loaded server, a lost FIN).
type lateClose struct {
	base  fileevents.Doer
	delay time.Duration
}

func (l lateClose) Do(r *http.Request) (*http.Response, error) {
	resp, err := l.base.Do(r)
	if err == nil {
		resp.Body = &lateBody{ReadCloser: resp.Body, delay: l.delay}
	}
	return resp, err
}

type lateBody struct {
	io.ReadCloser
	delay time.Duration
}

func (b *lateBody) Close() error {
	time.AfterFunc(b.delay, func() { b.ReadCloser.Close() })
	return nil
}

// Cloudreve marks a subscriber offline when it notices that one of its
// connections ended, even after a newer connection with the same id took
// it over (which then gets nothing but keep-alives). The connection that
// proves a new watch ends just before its holder connects with the same id:
// the holder waits for Cloudreve to notice first, and gets the changes.
func TestHolderConnectsAfterTheProvingConnectionEnded(t *testing.T) {
	w := startWorld(t)
	up, ns, uid, access, refresh, rest := w.up, w.ns, w.uid, w.access, w.refresh, w.rest
	const noticed = 300 * time.Millisecond
	r := startReplica(t, ns, up, "a", func(c *Config) {
		c.Doer = lateClose{base: c.Doer, delay: noticed}
		c.Settle = 3 * noticed
	})
	app, err := ns.Connect("app")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	sub, err := app.SubscribeSync(events.FileSubjectPrefix + ".>")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const folder = "cloudreve://my/inbox"
	if err := upstream.Action("createFile").Check(rest.CreateFile(ctx, cloudreveapi.CreateFileJSONRequestBody{Uri: folder, Type: cloudreveapi.CreateFileServiceTypeFolder})); err != nil {
		t.Fatal(err)
	}
	if _, err := r.m.Create(ctx, Watch{UserID: uid, Folder: folder, Tokens: &lent.Tokens{AccessToken: access, RefreshToken: refresh}}, false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the holder connected", func() bool { return r.m.Snapshot().Connected == 1 })
	time.Sleep(2 * noticed) // the proving connection's end has been noticed by now either way
	if err := upstream.Action("updateFileContent").Check(rest.UpdateFileContentWithBody(ctx, &cloudreveapi.UpdateFileContentParams{Uri: folder + "/a.txt"}, "application/octet-stream", strings.NewReader("x"))); err != nil {
		t.Fatal(err)
	}
	msg, err := sub.NextMsg(5 * time.Second)
	if err != nil {
		t.Fatalf("no event for a change made after the watch was connected: %v", err)
	}
	ev := &eventsv1.FileEvent{}
	if err := proto.Unmarshal(msg.Data, ev); err != nil || ev.GetPath() != "/a.txt" || ev.GetKind() != eventsv1.FileEventKind_FILE_EVENT_KIND_CREATED {
		t.Fatalf("event %v (%v), want /a.txt created", ev, err)
	}
}

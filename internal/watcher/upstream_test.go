package watcher

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/events"
	"github.com/cloudreve-connect/facade/internal/natsembed/natstest"
	"github.com/cloudreve-connect/facade/internal/secretbox"
	"github.com/cloudreve-connect/facade/sandbox"
)

// A sandbox Cloudreve as the watcher's upstream, with its requests counted
// by operation, and watchers polling it round by round (w.round), each
// with its own NATS server.

type sandboxUpstream struct {
	*sandbox.Server
	apiURL string
	mu     sync.Mutex
	counts map[string]int
}

// startUpstream serves a sandbox whose queue moves only on Step, with a
// tick so long that timed phases stand still. Its users may make archives
// and remote downloads (a fresh server's may not).
func startUpstream(t *testing.T) *sandboxUpstream {
	t.Helper()
	sb, err := sandbox.New(sandbox.Options{Paused: true, Tick: time.Hour, UserPermissions: []userv1.GroupPermission{
		userv1.GroupPermission_GROUP_PERMISSION_ARCHIVE_TASK, userv1.GroupPermission_GROUP_PERMISSION_REMOTE_DOWNLOAD}})
	if err != nil {
		t.Fatal(err)
	}
	u := &sandboxUpstream{Server: sb, counts: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.mu.Lock()
		u.counts[operationOf(r)]++
		u.mu.Unlock()
		sb.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); sb.Close() })
	u.apiURL = srv.URL + sandbox.APIPrefix
	return u
}

func operationOf(r *http.Request) string {
	p := strings.TrimPrefix(r.URL.Path, sandbox.APIPrefix)
	switch {
	case r.Method == http.MethodPost && p == "/admin/queue":
		return "listAdminTasks"
	case r.Method == http.MethodGet && p == "/workflow":
		return "listTasks"
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/workflow/progress/"):
		return "getTaskProgress"
	}
	return "other"
}

func (u *sandboxUpstream) snapshot() map[string]int {
	u.mu.Lock()
	defer u.mu.Unlock()
	out := make(map[string]int, len(u.counts))
	for k, v := range u.counts {
		out[k] = v
	}
	return out
}

// testAccount is a sandbox user with tokens and a client of its own.
type testAccount struct {
	id      string
	creds   Credentials
	client  *cloudreveapi.ClientWithResponses
	created []*cloudreveapi.TaskResponse
}

func (u *sandboxUpstream) account(t *testing.T, email string, admin bool) *testAccount {
	t.Helper()
	create := u.CreateUser
	if admin {
		create = u.CreateAdmin
	}
	id, err := create(email, "password-"+email, "")
	if err != nil {
		t.Fatal(err)
	}
	access, refresh, err := u.IssueTokens(id)
	if err != nil {
		t.Fatal(err)
	}
	c, err := cloudreveapi.NewClientWithResponses(u.apiURL, cloudreveapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+access)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	return &testAccount{id: id, creds: Credentials{AccessToken: access, RefreshToken: refresh}, client: c}
}

func (a *testAccount) keep(t *testing.T, what string, code int, msg string, task *cloudreveapi.TaskResponse) {
	t.Helper()
	if code != 0 || task == nil {
		t.Fatalf("%s: code %d %s", what, code, msg)
	}
	a.created = append(a.created, task)
}

// archive packs a file of the account's.
func (a *testAccount) archive(t *testing.T, u *sandboxUpstream) {
	t.Helper()
	if err := u.WriteFile(a.id, "cloudreve://my/a.txt", []byte("alpha")); err != nil {
		t.Fatal(err)
	}
	r, err := a.client.CreateArchiveWithResponse(context.Background(), cloudreveapi.CreateArchiveJSONRequestBody{Src: []string{"cloudreve://my/a.txt"}, Dst: "cloudreve://my/a.zip"})
	if err != nil {
		t.Fatal(err)
	}
	a.keep(t, "archive", r.JSON200.Code, r.JSON200.Msg, r.JSON200.Data)
}

// badExtract extracts a file that is no zip: it fails at the first step.
func (a *testAccount) badExtract(t *testing.T, u *sandboxUpstream) {
	t.Helper()
	if err := u.WriteFile(a.id, "cloudreve://my/not.zip", []byte("no zip")); err != nil {
		t.Fatal(err)
	}
	r, err := a.client.ExtractArchiveWithResponse(context.Background(), cloudreveapi.ExtractArchiveJSONRequestBody{Src: []string{"cloudreve://my/not.zip"}, Dst: "cloudreve://my/out"})
	if err != nil {
		t.Fatal(err)
	}
	a.keep(t, "extract", r.JSON200.Code, r.JSON200.Msg, r.JSON200.Data)
}

// slowDownload starts a download that stays in its monitor phase.
func (a *testAccount) slowDownload(t *testing.T) {
	t.Helper()
	src := []string{fmt.Sprintf("%s/%s", sandbox.DownloaderSlowPrefix, a.id)}
	r, err := a.client.CreateRemoteDownloadWithResponse(context.Background(), cloudreveapi.CreateRemoteDownloadJSONRequestBody{Src: &src, Dst: "cloudreve://my/"})
	if err != nil {
		t.Fatal(err)
	}
	if r.JSON200.Code != 0 || len(*r.JSON200.Data) != 1 {
		t.Fatalf("download: code %d %s", r.JSON200.Code, r.JSON200.Msg)
	}
	a.created = append(a.created, &(*r.JSON200.Data)[0])
}

func (a *testAccount) cancel(t *testing.T, task *cloudreveapi.TaskResponse) {
	t.Helper()
	r, err := a.client.CancelTaskWithResponse(context.Background(), task.Id)
	if err != nil || r.JSON200.Code != 0 {
		t.Fatalf("cancel %s: %v %+v", task.Id, err, r.JSON200)
	}
}

// testWatcher is a watcher whose service account is svc, on a NATS server
// of its own, that owns every shard; its rounds run when the test says.
type testWatcher struct {
	*Watcher
	bus  *events.Bus
	logs *syncBuffer
}

func (u *sandboxUpstream) watcher(t *testing.T, svcEmail string, cfg Config) *testWatcher {
	t.Helper()
	ctx := context.Background()
	nc := natstest.Conn(t)
	bus, err := events.Open(ctx, nc, events.Config{})
	if err != nil {
		t.Fatal(err)
	}
	box, _ := secretbox.New(make([]byte, secretbox.KeySize))
	plain, err := cloudreveapi.NewClient(u.apiURL)
	if err != nil {
		t.Fatal(err)
	}
	account, err := auth.NewServiceAccount(auth.AccountConfig{Email: svcEmail, Password: "password-" + svcEmail}, plain)
	if err != nil {
		t.Fatal(err)
	}
	client, err := cloudreveapi.NewClient(u.apiURL, cloudreveapi.WithHTTPClient(&auth.Doer{Base: http.DefaultClient, Account: account}))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	cfg.LeaseTTL = time.Minute // rounds run by hand, leases taken once
	w, err := New(ctx, cfg, client, bus, box, account)
	if err != nil {
		t.Fatal(err)
	}
	w.leases.Round(ctx)
	if got := w.leases.Snapshot().OwnedShards; got != w.cfg.Shards {
		t.Fatalf("the watcher owns %d shards, want all %d", got, w.cfg.Shards)
	}
	return &testWatcher{Watcher: w, bus: bus, logs: logs}
}

// watchAll watches every task the accounts created, with their tokens.
func (tw *testWatcher) watchAll(t *testing.T, accounts []*testAccount) {
	t.Helper()
	for _, a := range accounts {
		for _, task := range a.created {
			creds := a.creds
			if _, err := tw.Watch(context.Background(), a.id, task, &creds); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// pollRound runs one round and returns the requests it made, by operation.
func (tw *testWatcher) pollRound(u *sandboxUpstream) map[string]int {
	before := u.snapshot()
	tw.round(context.Background())
	after := u.snapshot()
	for k, v := range before {
		after[k] -= v
	}
	return after
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

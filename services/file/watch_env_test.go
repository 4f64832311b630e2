package file

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/validate"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/events"
	"github.com/cloudreve-connect/facade/internal/filewatch"
	"github.com/cloudreve-connect/facade/internal/natsembed/natstest"
	"github.com/cloudreve-connect/facade/internal/secretbox"
	"github.com/cloudreve-connect/facade/internal/servicetest"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/sandbox/sandboxtest"
)

// watchEnv is FileService over a real h2c listener with the interceptors
// the facade runs (validation, bearer tokens), a sandbox upstream, an
// embedded NATS server and a running folder watch manager.
type watchEnv struct {
	up    *sandboxtest.Upstream
	srv   *servicetest.Server
	js    jetstream.JetStream
	files *events.Files
	mgr   *filewatch.Manager
}

// testDebounce is the sandbox's debounce delay in these tests.
const testDebounce = 30 * time.Millisecond

func newWatchEnv(t *testing.T, opts sandbox.Options) *watchEnv {
	t.Helper()
	if opts.EventDebounce == 0 {
		opts.EventDebounce = testDebounce
	}
	up := sandboxtest.Start(t, opts)
	nc := natstest.Conn(t)
	ctx := context.Background()
	files, err := events.OpenFiles(ctx, nc, events.Config{Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(files.Close)
	box, err := secretbox.New(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	doer := &auth.Doer{Base: http.DefaultClient}
	api, err := cloudreveapi.NewClient(up.APIURL, cloudreveapi.WithHTTPClient(doer))
	if err != nil {
		t.Fatal(err)
	}
	versions := up.Versions(t)
	mgr, err := filewatch.New(ctx, filewatch.Config{
		APIBase: up.APIURL, Doer: doer, API: api, Versions: versions, ReplicaID: "test", LeaseTTL: time.Second,
		RetryMin: 20 * time.Millisecond, RetryMax: 200 * time.Millisecond,
	}, files, box, nil)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = mgr.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-done })
	<-mgr.Ready()

	identity := auth.NewIdentifier(nil, func(ctx context.Context) error {
		err := upstream.Action("getStorageCapacity").Check(api.GetStorageCapacity(ctx))
		var ue *upstream.Error
		if errors.As(err, &ue) && ue.Code == upstream.CodeLoginRequired {
			return connect.NewError(connect.CodeUnauthenticated, err.Error())
		}
		return err
	})
	svc := New(Config{Client: api, APIBase: up.APIURL, Versions: versions, Identity: identity, Events: doer, Watches: mgr, FileEvents: files})
	server := connect.NewServer(validate.NewServerInterceptor(), auth.NewInterceptor(identity))
	filev1connect.RegisterFileServiceHandler(server, svc)
	return &watchEnv{up: up, srv: servicetest.Serve(t, server), js: files.JetStream(), files: files, mgr: mgr}
}

// user is an account with its token and the clients that call as it.
type user struct {
	id, token string
	rest      cloudreveapi.ClientInterface
}

func (e *watchEnv) user(t *testing.T, name string) user {
	t.Helper()
	id, err := e.up.CreateUser(name+"@example.com", "password-"+name, name)
	if err != nil {
		t.Fatal(err)
	}
	access, _, err := e.up.IssueTokens(id)
	if err != nil {
		t.Fatal(err)
	}
	return e.as(t, id, access)
}

// as is a user calling with another of its tokens.
func (e *watchEnv) as(t *testing.T, id, access string) user {
	t.Helper()
	rest, err := cloudreveapi.NewClient(e.up.APIURL, cloudreveapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+access)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	return user{id: id, token: access, rest: rest}
}

func (e *watchEnv) client(p servicetest.Protocol, token string) filev1connect.FileServiceClient {
	return servicetest.Client(e.srv, p, filev1connect.NewFileServiceClient, servicetest.WithBearer(token))
}

// ok fails the test on an upstream failure of a REST call.
func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// restDrive makes the changes of the scenarios through REST, as the user.
type restDrive struct {
	t *testing.T
	u user
}

func (d restDrive) put(uri, content string) string {
	d.t.Helper()
	f, err := upstream.Op[cloudreveapi.FileResponse]("updateFileContent").Need(d.u.rest.UpdateFileContentWithBody(context.Background(),
		&cloudreveapi.UpdateFileContentParams{Uri: uri}, "application/octet-stream", strings.NewReader(content)))
	if err != nil {
		d.t.Fatal(err)
	}
	return f.Id
}

func (d restDrive) mkdir(uri string) {
	d.t.Helper()
	ok(d.t, upstream.Action("createFile").Check(d.u.rest.CreateFile(context.Background(), cloudreveapi.CreateFileJSONRequestBody{Uri: uri, Type: cloudreveapi.CreateFileServiceTypeFolder})))
}

func (d restDrive) move(src, dst string) {
	d.t.Helper()
	ok(d.t, upstream.Action("moveFiles").Check(d.u.rest.MoveFiles(context.Background(), cloudreveapi.MoveFileService{Uris: []string{src}, Dst: dst})))
}

func (d restDrive) rename(uri, name string) {
	d.t.Helper()
	ok(d.t, upstream.Action("renameFile").Check(d.u.rest.RenameFile(context.Background(), cloudreveapi.RenameFileService{Uri: uri, NewName: name})))
}

func (d restDrive) trash(uri string) {
	d.t.Helper()
	ok(d.t, upstream.Action("deleteFiles").Check(d.u.rest.DeleteFiles(context.Background(), cloudreveapi.DeleteFilesJSONRequestBody{Uris: []string{uri}})))
}

func (d restDrive) restore(trashURI string) {
	d.t.Helper()
	ok(d.t, upstream.Action("restoreFiles").Check(d.u.rest.RestoreFiles(context.Background(), cloudreveapi.RestoreFileService{Uris: []string{trashURI}})))
}

// step is one change of the scenario and the event it must produce, as
// "kind path new_path" below the watched folder.
type step struct {
	what string
	do   func()
	want string
}

// scenario is create, overwrite, rename, move out and in, delete and
// restore below cloudreve://my/w (made by the caller), with what each
// looks like; the restored file is reported where it is, not by its trash
// name.
func scenario(d restDrive) []step {
	return []step{
		{"create", func() { d.put("cloudreve://my/w/a.txt", "1") }, "created /a.txt "},
		{"overwrite", func() { d.put("cloudreve://my/w/a.txt", "22") }, "modified /a.txt "},
		{"rename", func() { d.rename("cloudreve://my/w/a.txt", "b.txt") }, "renamed /a.txt /b.txt"},
		{"move out", func() { d.move("cloudreve://my/w/b.txt", "cloudreve://my/out") }, "deleted /b.txt "},
		{"move in", func() { d.move("cloudreve://my/out/b.txt", "cloudreve://my/w") }, "created /b.txt "},
		{"delete", func() { d.trash("cloudreve://my/w/b.txt") }, "deleted /b.txt "},
		{"restore", func() { d.restore("cloudreve://trash/b.txt") }, "created /b.txt "},
	}
}

func describe(ev *eventsv1.FileEvent) string {
	return events.KindName(ev.GetKind()) + " " + ev.GetPath() + " " + ev.GetNewPath()
}

// consumer is a durable JetStream consumer of a user's file events, as an
// application would make one.
func (e *watchEnv) consumer(t *testing.T, userID string) jetstream.Consumer {
	t.Helper()
	c, err := e.js.CreateOrUpdateConsumer(context.Background(), events.FileStream, jetstream.ConsumerConfig{
		Durable: "app-" + userID, FilterSubject: events.FileSubjectPrefix + "." + userID + ".>",
		AckPolicy: jetstream.AckExplicitPolicy, DeliverPolicy: jetstream.DeliverAllPolicy,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// next reads and acknowledges a consumer's next event.
func next(t *testing.T, c jetstream.Consumer) (*eventsv1.FileEvent, jetstream.Msg) {
	t.Helper()
	msg, err := c.Next(jetstream.FetchMaxWait(5 * time.Second))
	if err != nil {
		t.Fatalf("no file event on the consumer: %v", err)
	}
	if err := msg.DoubleAck(context.Background()); err != nil {
		t.Fatal(err)
	}
	d, err := decodeFileEvent(msg.Data())
	if err != nil {
		t.Fatal(err)
	}
	return d, msg
}

// none checks that a consumer has nothing more (a duplicate would show).
func none(t *testing.T, c jetstream.Consumer) {
	t.Helper()
	info, err := c.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.NumPending != 0 || info.NumAckPending != 0 {
		t.Fatalf("the consumer has %d more events", info.NumPending+uint64(info.NumAckPending))
	}
}

// waitFor polls cond until it holds, failing after a while.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// createWatch starts a durable watch and waits until this replica holds it
// connected (the sandbox counts its live subscribers).
func (e *watchEnv) createWatch(t *testing.T, c filev1connect.FileServiceClient, uri string) *filev1.FolderWatch {
	t.Helper()
	before := e.mgr.Snapshot().Connects
	res, err := c.CreateFolderWatch(context.Background(), &filev1.CreateFolderWatchRequest{Uri: uri})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the watch connected", func() bool { return e.mgr.Snapshot().Connects > before })
	return res.GetWatch()
}

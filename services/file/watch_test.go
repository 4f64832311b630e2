package file

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connectproto"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/servicetest"
	"github.com/cloudreve-connect/facade/sandbox"
)

func decodeFileEvent(b []byte) (*eventsv1.FileEvent, error) {
	ev := &eventsv1.FileEvent{}
	return ev, proto.Unmarshal(b, ev)
}

// watching is an open WatchFiles stream, read in the background.
type watching struct {
	msgs chan *filev1.WatchFilesResponse
	end  chan error
	stop context.CancelFunc
}

func watchFiles(t *testing.T, c filev1connect.FileServiceClient, req *filev1.WatchFilesRequest) *watching {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s, err := c.WatchFiles(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	w := &watching{msgs: make(chan *filev1.WatchFilesResponse, 64), end: make(chan error, 1), stop: cancel}
	go func() {
		for {
			msg, err := s.Receive()
			if err != nil {
				if errors.Is(err, io.EOF) {
					err = nil
				}
				w.end <- err
				return
			}
			w.msgs <- msg
		}
	}()
	return w
}

// next is the stream's next message, failing when it ended.
func (w *watching) next(t *testing.T) *filev1.WatchFilesResponse {
	t.Helper()
	select {
	case m := <-w.msgs:
		return m
	case err := <-w.end:
		t.Fatalf("the stream ended: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("no message on the stream")
	}
	return nil
}

// ended is how the stream ended.
func (w *watching) ended(t *testing.T) error {
	t.Helper()
	select {
	case m := <-w.msgs:
		t.Fatalf("a message instead of the end: %v", m)
	case err := <-w.end:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("the stream did not end")
	}
	return nil
}

func state(t *testing.T, w *watching) filev1.WatchFilesState {
	t.Helper()
	m := w.next(t)
	if m.GetState() == filev1.WatchFilesState_WATCH_FILES_STATE_UNSPECIFIED {
		t.Fatalf("the first message is not a state: %v", m)
	}
	return m.GetState()
}

// Each change below the folder is seen once, in order, on WatchFiles and on
// a durable JetStream consumer of the folder's durable watch, with its full
// URI; WatchFileEvents replays the same from the stream.
func TestWatchFilesScenario(t *testing.T) {
	t.Parallel()
	e := newWatchEnv(t, sandbox.Options{})
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			u := e.user(t, "sam-"+p.Name)
			d := restDrive{t, u}
			d.mkdir("cloudreve://my/w")
			d.mkdir("cloudreve://my/out")
			c := e.client(p, u.token)
			w := watchFiles(t, c, &filev1.WatchFilesRequest{Uri: "cloudreve://my/w"})
			if s := state(t, w); s != filev1.WatchFilesState_WATCH_FILES_STATE_SUBSCRIBED {
				t.Fatalf("first state %v", s)
			}
			watch := e.createWatch(t, c, "cloudreve://my/w/")
			if watch.GetUri() != "cloudreve://my/w" || watch.GetUserId() != u.id || watch.GetConfigured() {
				t.Fatalf("watch %v", watch)
			}
			cons := e.consumer(t, u.id)

			var fileID string
			for i, s := range scenario(d) {
				s.do()
				got := w.next(t).GetEvent()
				durable, msg := next(t, cons)
				if describe(got) != s.want || describe(durable) != s.want {
					t.Fatalf("%s: WatchFiles %q, JetStream %q, want %q", s.what, describe(got), describe(durable), s.want)
				}
				if i == 0 {
					fileID = got.GetFileId()
				}
				wantURI := "cloudreve://my/w" + strings.Fields(s.want)[len(strings.Fields(s.want))-1]
				if got.GetFileId() != fileID || durable.GetFileId() != fileID || got.GetUri() != wantURI || durable.GetUri() != wantURI {
					t.Fatalf("%s: ids %s %s (want %s), URIs %s %s (want %s)", s.what, got.GetFileId(), durable.GetFileId(), fileID, got.GetUri(), durable.GetUri(), wantURI)
				}
				if got.GetId() != "" || durable.GetWatchId() != watch.GetId() || !strings.HasPrefix(durable.GetId(), watch.GetId()+".") {
					t.Fatalf("%s: ids %q / %q of watch %q", s.what, got.GetId(), durable.GetId(), durable.GetWatchId())
				}
				h := msg.Headers()
				if h.Get("Nats-Msg-Id") != durable.GetId() || h.Get("ce-id") != durable.GetId() || h.Get("ce-type") != "cloudreve.file.v1."+strings.Fields(s.want)[0] ||
					msg.Subject() != "cloudreve.v1.files."+u.id+"."+strings.Fields(s.want)[0] {
					t.Fatalf("%s: subject %s, headers %v", s.what, msg.Subject(), h)
				}
			}
			if got := e.files.Subscribers(); got != 0 {
				t.Logf("%d subscribers", got)
			}
			none(t, cons)

			// The same events, replayed from the stream; then the next one live.
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			replay, err := c.WatchFileEvents(ctx, &filev1.WatchFileEventsRequest{Start: &filev1.WatchFileEventsRequest_AllRetained{AllRetained: true}, WatchId: watch.GetId()})
			if err != nil {
				t.Fatal(err)
			}
			var seqs []uint64
			for _, s := range scenario(d) {
				msg, err := replay.Receive()
				if err != nil {
					t.Fatalf("replay ended: %v", err)
				}
				if describe(msg.GetEvent()) != s.want {
					t.Fatalf("replayed %q, want %q", describe(msg.GetEvent()), s.want)
				}
				seqs = append(seqs, msg.GetStreamSequence())
			}
			d.trash("cloudreve://my/w/b.txt")
			if msg, err := replay.Receive(); err != nil || describe(msg.GetEvent()) != "deleted /b.txt " {
				t.Fatalf("live after the replay: %v %v", msg, err)
			}
			cancel()

			// after_sequence resumes after the first two.
			ctx, cancel = context.WithCancel(context.Background())
			defer cancel()
			after, err := c.WatchFileEvents(ctx, &filev1.WatchFileEventsRequest{Start: &filev1.WatchFileEventsRequest_AfterSequence{AfterSequence: seqs[1]},
				Kinds: []eventsv1.FileEventKind{eventsv1.FileEventKind_FILE_EVENT_KIND_RENAMED}})
			if err != nil {
				t.Fatal(err)
			}
			if msg, err := after.Receive(); err != nil || describe(msg.GetEvent()) != "renamed /a.txt /b.txt" {
				t.Fatalf("after_sequence and kinds: %v %v", msg, err)
			}
		})
	}
}

// Two users watching their own folders of the same name hear only their
// own changes, on WatchFiles, on the stream and on WatchFileEvents.
func TestWatchFilesOnlyOwnEvents(t *testing.T) {
	t.Parallel()
	e := newWatchEnv(t, sandbox.Options{})
	p := servicetest.Protocols[0]
	ann, bob := e.user(t, "ann"), e.user(t, "bob")
	for _, u := range []user{ann, bob} {
		restDrive{t, u}.mkdir("cloudreve://my/w")
	}
	annC, bobC := e.client(p, ann.token), e.client(p, bob.token)
	annW := watchFiles(t, annC, &filev1.WatchFilesRequest{Uri: "cloudreve://my/w"})
	bobW := watchFiles(t, bobC, &filev1.WatchFilesRequest{Uri: "cloudreve://my/w"})
	state(t, annW)
	state(t, bobW)
	e.createWatch(t, annC, "cloudreve://my/w")
	e.createWatch(t, bobC, "cloudreve://my/w")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	bobFeed, err := bobC.WatchFileEvents(ctx, &filev1.WatchFileEventsRequest{})
	if err != nil {
		t.Fatal(err)
	}

	restDrive{t, ann}.put("cloudreve://my/w/ann.txt", "a")
	if ev := annW.next(t).GetEvent(); ev.GetPath() != "/ann.txt" || ev.GetUserId() != ann.id {
		t.Fatalf("ann heard %v", ev)
	}
	restDrive{t, bob}.put("cloudreve://my/w/bob.txt", "b")
	if ev := bobW.next(t).GetEvent(); ev.GetPath() != "/bob.txt" {
		t.Fatalf("bob heard %v first", ev)
	}
	if msg, err := bobFeed.Receive(); err != nil || msg.GetEvent().GetPath() != "/bob.txt" || msg.GetEvent().GetUserId() != bob.id {
		t.Fatalf("bob's feed: %v %v", msg, err)
	}
	annCons, bobCons := e.consumer(t, ann.id), e.consumer(t, bob.id)
	if ev, _ := next(t, annCons); ev.GetPath() != "/ann.txt" {
		t.Fatalf("ann's subject: %v", ev)
	}
	if ev, _ := next(t, bobCons); ev.GetPath() != "/bob.txt" {
		t.Fatalf("bob's subject: %v", ev)
	}
	none(t, annCons)
	none(t, bobCons)

	// Bob cannot see or delete Ann's watch.
	list, err := bobC.ListFolderWatches(ctx, &filev1.ListFolderWatchesRequest{})
	if err != nil || len(list.GetWatches()) != 1 || list.GetWatches()[0].GetUserId() != bob.id {
		t.Fatalf("bob's watches: %v %v", list, err)
	}
	annList, err := annC.ListFolderWatches(ctx, &filev1.ListFolderWatchesRequest{})
	if err != nil || len(annList.GetWatches()) != 1 {
		t.Fatalf("ann's watches: %v %v", annList, err)
	}
	if _, err := bobC.DeleteFolderWatch(ctx, &filev1.DeleteFolderWatchRequest{Id: annList.GetWatches()[0].GetId()}); connect.CodeOf(err) != connect.CodeNotFound {
		t.Fatalf("bob deleting ann's watch: %v", err)
	}
}

// The stream lives as long as the caller's access token, then ends with
// Unauthenticated; a call with a fresh token and the same resume_key
// resumes and gets what changed in between.
func TestWatchFilesEndsWithTheToken(t *testing.T) {
	t.Parallel()
	e := newWatchEnv(t, sandbox.Options{AccessTTL: 2 * time.Second})
	u := e.user(t, "tia")
	d := restDrive{t, u}
	d.mkdir("cloudreve://my/w")
	p := servicetest.Protocols[1]
	req := &filev1.WatchFilesRequest{Uri: "cloudreve://my/w", ResumeKey: "indexer-1"}
	w := watchFiles(t, e.client(p, u.token), req)
	if s := state(t, w); s != filev1.WatchFilesState_WATCH_FILES_STATE_SUBSCRIBED {
		t.Fatalf("state %v", s)
	}
	err := w.ended(t)
	if connect.CodeOf(err) != connect.CodeUnauthenticated || !strings.Contains(err.Error(), "resume_key") {
		t.Fatalf("the stream ended with %v, want Unauthenticated", err)
	}
	fresh, _, err := e.up.IssueTokens(u.id)
	if err != nil {
		t.Fatal(err)
	}
	restDrive{t, e.as(t, u.id, fresh)}.put("cloudreve://my/w/meanwhile.txt", "x")
	again := watchFiles(t, e.client(p, fresh), req)
	if s := state(t, again); s != filev1.WatchFilesState_WATCH_FILES_STATE_RESUMED {
		t.Fatalf("state %v, want RESUMED", s)
	}
	if ev := again.next(t).GetEvent(); ev.GetPath() != "/meanwhile.txt" || ev.GetKind() != eventsv1.FileEventKind_FILE_EVENT_KIND_CREATED {
		t.Fatalf("resumed with %v", ev)
	}
}

// Without the channel (4.0.0) or with it switched off, the watch RPCs fail
// with FailedPrecondition naming the release (and the setting).
func TestWatchFilesNeedsTheChannel(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		opts   sandbox.Options
		reason string
		says   string
	}{
		{"4.0.0", sandbox.Options{Version: sandbox.Version40}, rpcerror.ReasonVersionTooOld, "4.11.0 or later"},
		{"switched off", sandbox.Options{NoFileEvents: true}, "FEATURE_DISABLED", "fs_event_push_enabled"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newWatchEnv(t, c.opts)
			u := e.user(t, "vic")
			restDrive{t, u}.mkdir("cloudreve://my/w")
			client := e.client(servicetest.Protocols[0], u.token)
			s, err := client.WatchFiles(context.Background(), &filev1.WatchFilesRequest{Uri: "cloudreve://my/w"})
			if err == nil {
				_, err = s.Receive()
			}
			wantPrecondition(t, err, c.reason, c.says)
			_, err = client.CreateFolderWatch(context.Background(), &filev1.CreateFolderWatchRequest{Uri: "cloudreve://my/w"})
			wantPrecondition(t, err, c.reason, c.says)
		})
	}
}

func wantPrecondition(t *testing.T, err error, reason, says string) {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) || ce.Code() != connect.CodeFailedPrecondition || !strings.Contains(ce.Message(), says) {
		t.Fatalf("want FailedPrecondition saying %q, got %v", says, err)
	}
	for _, d := range ce.Details() {
		if v, _ := connectproto.UnmarshalErrorDetail(d); v != nil {
			if info, ok := v.(*errdetails.ErrorInfo); ok && info.GetReason() == reason {
				return
			}
		}
	}
	t.Fatalf("no ErrorInfo with reason %s in %v", reason, err)
}

// Bad input is refused before the upstream hears of it, with the field
// named; a folder that is not there is NotFound; watches page by token.
func TestFolderWatchRequests(t *testing.T) {
	t.Parallel()
	e := newWatchEnv(t, sandbox.Options{})
	u := e.user(t, "wil")
	d := restDrive{t, u}
	c := e.client(servicetest.Protocols[1], u.token)
	ctx := context.Background()
	for _, uri := range []string{"https://example.com/w", "cloudreve://abc@share/w"} {
		_, err := c.CreateFolderWatch(ctx, &filev1.CreateFolderWatchRequest{Uri: uri})
		if connect.CodeOf(err) != connect.CodeInvalidArgument || !strings.Contains(err.Error(), "uri") {
			t.Errorf("%s: %v", uri, err)
		}
	}
	if _, err := c.CreateFolderWatch(ctx, &filev1.CreateFolderWatchRequest{Uri: "cloudreve://my/nope"}); connect.CodeOf(err) != connect.CodeNotFound {
		t.Errorf("a missing folder: %v", err)
	}
	if _, err := c.DeleteFolderWatch(ctx, &filev1.DeleteFolderWatchRequest{Id: "not-a-uuid"}); connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Errorf("a bad id: %v", err)
	}
	if _, err := c.WatchFiles(ctx, &filev1.WatchFilesRequest{Uri: "cloudreve://my", ResumeKey: "no spaces"}); err == nil {
		s, _ := c.WatchFiles(ctx, &filev1.WatchFilesRequest{Uri: "cloudreve://my", ResumeKey: "no spaces"})
		if _, err := s.Receive(); connect.CodeOf(err) != connect.CodeInvalidArgument {
			t.Errorf("a bad resume_key: %v", err)
		}
	}

	var ids []string
	for _, f := range []string{"a", "b", "c"} {
		d.mkdir("cloudreve://my/" + f)
		w := e.createWatch(t, c, "cloudreve://my/"+f)
		ids = append(ids, w.GetId())
		if again, err := c.CreateFolderWatch(ctx, &filev1.CreateFolderWatchRequest{Uri: "cloudreve://my/" + f + "/"}); err != nil || again.GetWatch().GetId() != w.GetId() {
			t.Fatalf("creating it again: %v %v", again, err)
		}
	}
	var listed []string
	token := ""
	for pages := 0; ; pages++ {
		res, err := c.ListFolderWatches(ctx, &filev1.ListFolderWatchesRequest{PageSize: 2, PageToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range res.GetWatches() {
			listed = append(listed, w.GetId())
		}
		if token = res.GetNextPageToken(); token == "" {
			if pages != 1 {
				t.Errorf("%d pages, want 2", pages+1)
			}
			break
		}
	}
	if len(listed) != 3 {
		t.Fatalf("listed %v, created %v", listed, ids)
	}
	if _, err := c.DeleteFolderWatch(ctx, &filev1.DeleteFolderWatchRequest{Id: ids[0]}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the deleted watch let go", func() bool { return e.mgr.Snapshot().Held == 2 })
	if _, err := c.DeleteFolderWatch(ctx, &filev1.DeleteFolderWatchRequest{Id: ids[0]}); connect.CodeOf(err) != connect.CodeNotFound {
		t.Fatalf("deleting it again: %v", err)
	}
}

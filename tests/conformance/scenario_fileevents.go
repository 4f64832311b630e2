package conformance

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	sitev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1"
	"github.com/cloudreve-connect/facade/internal/servicetest"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// wantEvent is one change a step must produce, as WatchFiles reports it.
type wantEvent struct {
	kind          eventsv1.FileEventKind
	path, newPath string
}

func (w wantEvent) String() string {
	return fmt.Sprintf("%s %s→%s", strings.TrimPrefix(w.kind.String(), "FILE_EVENT_KIND_"), w.path, w.newPath)
}

func eventOf(ev *eventsv1.FileEvent) wantEvent {
	return wantEvent{ev.GetKind(), ev.GetPath(), ev.GetNewPath()}
}

// Changes in a watched folder — create, overwrite, rename, a folder, moves
// within, out and back in, trash, restore — each reach WatchFiles once, in
// order, and a durable folder watch publishes the same on the event stream
// (read back with WatchFileEvents). On a release without the event channel
// both are refused with FailedPrecondition.
func fileChangesAreEvents(t *testing.T, c *caller) {
	dir := c.workspace(t)
	outside := c.workspaceNamed(t, c.name+"-outside")
	if !upstream.FeatureFileEvents.In(c.upstreamVersion(t)) {
		watch, err := c.a.files.WatchFiles(c.ctx, &filev1.WatchFilesRequest{Uri: dir})
		if err == nil {
			_, err = watch.Receive()
			watch.Close()
		}
		wantCode(t, "WatchFiles before 4.11.0", err, connect.CodeFailedPrecondition)
		_, err = c.lending().CreateFolderWatch(c.ctx, &filev1.CreateFolderWatchRequest{Uri: dir})
		wantCode(t, "CreateFolderWatch before 4.11.0", err, connect.CodeFailedPrecondition)
		return
	}

	// The durable watch first, proven to deliver (a first file's event came
	// through) before the changes under test: while its subscription is not
	// connected yet, Cloudreve keeps changes and merges them when it comes.
	durable := must[*filev1.CreateFolderWatchResponse](t, "CreateFolderWatch")(c.lending().CreateFolderWatch(c.ctx, &filev1.CreateFolderWatchRequest{Uri: dir})).GetWatch()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), c.timeouts.task)
		defer cancel()
		if _, err := c.a.files.DeleteFolderWatch(ctx, &filev1.DeleteFolderWatchRequest{Id: durable.GetId()}); err != nil {
			t.Errorf("DeleteFolderWatch: %v", err)
		}
	})
	published, err := c.a.files.WatchFileEvents(c.ctx, &filev1.WatchFileEventsRequest{WatchId: durable.GetId(), Start: &filev1.WatchFileEventsRequest_NewOnly{NewOnly: true}})
	if err != nil {
		t.Fatalf("WatchFileEvents: %v", err)
	}
	defer published.Close()
	durableEvents := make(chan *eventsv1.FileEvent, 64)
	go func() {
		defer close(durableEvents)
		for {
			msg, err := published.Receive()
			if err != nil {
				return
			}
			durableEvents <- msg.GetEvent()
		}
	}()
	c.put(t, dir+"/first.txt", []byte("first"))
	next := func(from <-chan *eventsv1.FileEvent, what string) *eventsv1.FileEvent {
		t.Helper()
		select {
		case ev, ok := <-from:
			if !ok {
				t.Fatalf("%s ended", what)
			}
			return ev
		case <-time.After(c.eventWait()):
			t.Fatalf("no event on %s within %s", what, c.eventWait())
		}
		return nil
	}
	if got := eventOf(next(durableEvents, "the durable watch")); got != (wantEvent{eventsv1.FileEventKind_FILE_EVENT_KIND_CREATED, "/first.txt", ""}) {
		t.Fatalf("the durable watch's first event: %s, want /first.txt created", got)
	}

	watch, err := c.a.files.WatchFiles(c.ctx, &filev1.WatchFilesRequest{Uri: dir})
	if err != nil {
		t.Fatalf("WatchFiles: %v", err)
	}
	defer watch.Close()
	first, err := watch.Receive()
	if err != nil {
		t.Fatalf("WatchFiles: %v", err)
	}
	if st := first.GetState(); st != filev1.WatchFilesState_WATCH_FILES_STATE_SUBSCRIBED {
		t.Fatalf("WatchFiles began with %v, want SUBSCRIBED", first)
	}
	events := make(chan *eventsv1.FileEvent, 64)
	go func() {
		defer close(events)
		for {
			msg, err := watch.Receive()
			if err != nil {
				return
			}
			if ev := msg.GetEvent(); ev != nil {
				events <- ev
			}
		}
	}()

	var trashed string
	steps := []struct {
		name string
		do   func()
		want []wantEvent
	}{
		{"upload", func() { c.put(t, dir+"/a.txt", []byte("one")) }, []wantEvent{{eventsv1.FileEventKind_FILE_EVENT_KIND_CREATED, "/a.txt", ""}}},
		{"overwrite", func() {
			must[*filev1.UpdateFileContentResponse](t, "UpdateFileContent")(c.a.files.UpdateFileContent(c.ctx, &filev1.UpdateFileContentRequest{Uri: dir + "/a.txt", Content: []byte("two")}))
		}, []wantEvent{{eventsv1.FileEventKind_FILE_EVENT_KIND_MODIFIED, "/a.txt", ""}}},
		{"rename", func() {
			must[*filev1.RenameFileResponse](t, "RenameFile")(c.a.files.RenameFile(c.ctx, &filev1.RenameFileRequest{Uri: dir + "/a.txt", NewName: "b c.txt"}))
		}, []wantEvent{{eventsv1.FileEventKind_FILE_EVENT_KIND_RENAMED, "/a.txt", "/b c.txt"}}},
		{"folder", func() {
			must[*filev1.CreateFileResponse](t, "CreateFile")(c.a.files.CreateFile(c.ctx, &filev1.CreateFileRequest{Uri: dir + "/sub", Type: filev1.FileType_FILE_TYPE_FOLDER}))
		}, []wantEvent{{eventsv1.FileEventKind_FILE_EVENT_KIND_CREATED, "/sub", ""}}},
		{"move within", func() {
			must[*filev1.MoveFilesResponse](t, "MoveFiles")(c.a.files.MoveFiles(c.ctx, &filev1.MoveFilesRequest{Uris: []string{dir + "/b%20c.txt"}, Dst: dir + "/sub"}))
		}, []wantEvent{{eventsv1.FileEventKind_FILE_EVENT_KIND_RENAMED, "/b c.txt", "/sub/b c.txt"}}},
		{"move out", func() {
			must[*filev1.MoveFilesResponse](t, "MoveFiles")(c.a.files.MoveFiles(c.ctx, &filev1.MoveFilesRequest{Uris: []string{dir + "/sub/b%20c.txt"}, Dst: outside}))
		}, []wantEvent{{eventsv1.FileEventKind_FILE_EVENT_KIND_DELETED, "/sub/b c.txt", ""}}},
		{"move in", func() {
			must[*filev1.MoveFilesResponse](t, "MoveFiles")(c.a.files.MoveFiles(c.ctx, &filev1.MoveFilesRequest{Uris: []string{outside + "/b%20c.txt"}, Dst: dir}))
		}, []wantEvent{{eventsv1.FileEventKind_FILE_EVENT_KIND_CREATED, "/b c.txt", ""}}},
		{"trash", func() {
			must[*filev1.DeleteFilesResponse](t, "DeleteFiles")(c.a.files.DeleteFiles(c.ctx, &filev1.DeleteFilesRequest{Uris: []string{dir + "/b%20c.txt"}}))
			trashed = c.findInTrash(t, dir+"/b%20c.txt")
		}, []wantEvent{{eventsv1.FileEventKind_FILE_EVENT_KIND_DELETED, "/b c.txt", ""}}},
		{"restore", func() {
			if trashed == "" {
				t.Fatalf("the trashed file is not in the trash")
			}
			must[*filev1.RestoreFilesResponse](t, "RestoreFiles")(c.a.files.RestoreFiles(c.ctx, &filev1.RestoreFilesRequest{Uris: []string{trashed}}))
		}, []wantEvent{{eventsv1.FileEventKind_FILE_EVENT_KIND_CREATED, "/b c.txt", ""}}},
	}
	var all []wantEvent
	for _, s := range steps {
		s.do()
		for _, want := range s.want {
			ev := next(events, "WatchFiles ("+s.name+")")
			if got := eventOf(ev); got != want || ev.GetFileId() == "" || ev.GetFolderUri() == "" {
				t.Fatalf("%s: WatchFiles sent %s (%v), want %s", s.name, got, ev, want)
			}
			all = append(all, want)
		}
	}
	select {
	case ev := <-events:
		t.Errorf("WatchFiles sent an event no step made: %v", ev)
	case <-time.After(c.eventWait() / 4):
	}

	// The durable watch published the same changes, once each, in order.
	for i, want := range all {
		ev := next(durableEvents, "the durable watch")
		if got := eventOf(ev); got != want || ev.GetWatchId() != durable.GetId() || ev.GetId() == "" {
			t.Fatalf("durable event %d: %s (%v), want %s", i+1, got, ev, want)
		}
	}
}

// lending is Main's FileService client that also lends its refresh token,
// as CreateFolderWatch wants.
func (c *caller) lending() filev1connect.FileServiceClient {
	client := connect.NewClient(connecthttp.NewTransport(c.tg.HTTP, c.tg.FacadeURL, c.proto.Opts...),
		servicetest.WithBearer(c.main.access), servicetest.WithRefreshToken(c.main.refresh))
	return filev1connect.NewFileServiceClient(client)
}

// eventWait is how long a change may take to reach a stream: the real
// server sends after 5 s of quiet.
func (c *caller) eventWait() time.Duration {
	if c.tg.Real {
		return 20 * time.Second
	}
	return 5 * time.Second
}

// upstreamVersion is the release of the Cloudreve behind the facade, as
// SiteService.Ping tells it.
func (c *caller) upstreamVersion(t *testing.T) upstream.Version {
	t.Helper()
	res := must[*sitev1.PingResponse](t, "Ping")(c.a.site.Ping(c.ctx, &sitev1.PingRequest{}))
	v, err := upstream.ParseVersion(res.GetVersion())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

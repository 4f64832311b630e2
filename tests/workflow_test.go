package tests

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connectproto"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"

	commonv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/common/v1"
	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
	"github.com/cloudreve-connect/facade/sandbox"
)

// env is a sandbox, a NATS server and a facade using both.
type env struct {
	up    *upstreamStub
	nats  string
	f     *facade
	alice account
}

func newEnv(t *testing.T, opts sandbox.Options, extra ...string) *env {
	t.Helper()
	up := startSandbox(t, opts)
	_, natsURL := startNATS(t)
	alice := up.newAccount(t, "alice")
	args := append([]string{"--upstream", up.URL, "--nats-url", natsURL, "--poll-active", "50ms", "--progress-interval", "10ms"}, extra...)
	return &env{up: up, nats: natsURL, f: startFacade(t, args...), alice: alice}
}

func statusesOf(evs []*eventsv1.TaskEvent) []string {
	var out []string
	for _, ev := range evs {
		s := strings.TrimPrefix(ev.GetTask().GetStatus().String(), "TASK_STATUS_")
		if p := ev.GetTask().GetPhase(); p != "" {
			s += "/" + p
		}
		out = append(out, s)
	}
	return out
}

func watchAll(t *testing.T, ctx context.Context, c workflowv1connect.WorkflowServiceClient, id string) []*eventsv1.TaskEvent {
	t.Helper()
	stream, err := c.WatchTask(ctx, &workflowv1.WatchTaskRequest{Id: id})
	if err != nil {
		t.Fatal(err)
	}
	var evs []*eventsv1.TaskEvent
	err = receiveAll(stream.Receive, func(m *workflowv1.WatchTaskResponse) bool { evs = append(evs, m.GetEvent()); return true })
	if err != nil {
		t.Fatalf("WatchTask ended with %v after %v", err, statusesOf(evs))
	}
	return evs
}

// An archive created through the facade is followed by WatchTask and by a
// plain JetStream consumer; both see the same ordered events, ending in
// completed.
func TestArchiveWatchedByStreamAndJetStream(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.up.putFile(t, e.alice, "cloudreve://my/a.txt", "hello")
	e.up.putFile(t, e.alice, "cloudreve://my/b.txt", "world")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	nc := natsConnect(t, e.nats)
	js, _ := jetstream.New(nc)
	cons, err := js.OrderedConsumer(ctx, "CLOUDREVE_TASKS", jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{"cloudreve.v1.tasks." + e.alice.ID + ".>"},
	})
	if err != nil {
		t.Fatal(err)
	}

	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			c := workflowClient(e.f, append(p.opts, withToken(e.alice.Token))...)
			dst := "cloudreve://my/out-" + p.name + ".zip"
			res, err := c.CreateArchive(ctx, &workflowv1.CreateArchiveRequest{Src: []string{"cloudreve://my/a.txt", "cloudreve://my/b.txt"}, Dst: dst})
			if err != nil {
				t.Fatal(err)
			}
			task := res.GetTask()
			if task.GetType() != taskv1.TaskType_TASK_TYPE_CREATE_ARCHIVE || task.GetStatus() != taskv1.TaskStatus_TASK_STATUS_QUEUED || task.GetSummary().GetDst() != dst {
				t.Fatalf("created %v", task)
			}
			streamed := watchAll(t, ctx, c, task.GetId())
			last := streamed[len(streamed)-1]
			if last.GetTask().GetStatus() != taskv1.TaskStatus_TASK_STATUS_COMPLETED || !hasChange(last, eventsv1.Change_CHANGE_FINISHED) {
				t.Fatalf("stream ended with %v", statusesOf(streamed))
			}
			// The whole history from the stream's first event on, as JetStream has it.
			var fromJS []*eventsv1.TaskEvent
			for len(fromJS) == 0 || !hasChange(fromJS[len(fromJS)-1], eventsv1.Change_CHANGE_FINISHED) {
				msg, err := cons.Next(jetstream.FetchMaxWait(20 * time.Second))
				if err != nil {
					t.Fatalf("JetStream after %v: %v", statusesOf(fromJS), err)
				}
				ev := &eventsv1.TaskEvent{}
				if err := proto.Unmarshal(msg.Data(), ev); err != nil {
					t.Fatal(err)
				}
				if ev.GetTask().GetId() != task.GetId() {
					continue
				}
				wantSubject := fmt.Sprintf("cloudreve.v1.tasks.%s.create_archive.%s", e.alice.ID, task.GetId())
				h := msg.Headers()
				if msg.Subject() != wantSubject || h.Get("Nats-Msg-Id") != ev.GetId() || h.Get("ce-id") != ev.GetId() ||
					h.Get("ce-specversion") != "1.0" || !strings.HasPrefix(h.Get("ce-type"), "cloudreve.task.v1.") ||
					h.Get("ce-source") == "" || h.Get("ce-time") == "" || h.Get("ce-subject") != "tasks/"+task.GetId() ||
					h.Get("Content-Type") != "application/protobuf" {
					t.Errorf("message %s headers %v", msg.Subject(), h)
				}
				if strings.Contains(string(msg.Data()), e.alice.Token) {
					t.Error("an event carries the caller's token")
				}
				fromJS = append(fromJS, ev)
			}
			// WatchTask starts at the newest event when it subscribes; from there on both agree.
			offset := len(fromJS) - len(streamed)
			if offset < 0 {
				t.Fatalf("stream %v longer than JetStream %v", statusesOf(streamed), statusesOf(fromJS))
			}
			for i, ev := range streamed {
				if !proto.Equal(ev, fromJS[offset+i]) {
					t.Errorf("event %d differs:\nstream    %v\njetstream %v", i, ev, fromJS[offset+i])
				}
			}
			// Sequence numbers count from 1 without gaps; the phases come in the real server's order.
			for i, ev := range fromJS {
				if ev.GetSequence() != uint64(i+1) || ev.GetUserId() != e.alice.ID {
					t.Errorf("event %d: sequence %d user %s", i, ev.GetSequence(), ev.GetUserId())
				}
			}
			if !hasChange(fromJS[0], eventsv1.Change_CHANGE_FIRST_SEEN) {
				t.Errorf("first event %v", fromJS[0].GetChanges())
			}
			assertOrder(t, statusesOf(fromJS), "QUEUED", "SUSPENDING/compress_files", "SUSPENDING/upload_archive", "COMPLETED/upload_archive")
		})
	}
}

// assertOrder checks that want appear in got in this order (others may come between).
func assertOrder(t *testing.T, got []string, want ...string) {
	t.Helper()
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	if i != len(want) {
		t.Errorf("statuses %v do not pass through %v in order", got, want)
	}
}

func hasChange(ev *eventsv1.TaskEvent, c eventsv1.Change) bool {
	for _, x := range ev.GetChanges() {
		if x == c {
			return true
		}
	}
	return false
}

func TestExtractFailureEndsInError(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.up.putFile(t, e.alice, "cloudreve://my/not-a-zip.zip", "this is text")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			c := workflowClient(e.f, append(p.opts, withToken(e.alice.Token))...)
			res, err := c.ExtractArchive(ctx, &workflowv1.ExtractArchiveRequest{Src: []string{"cloudreve://my/not-a-zip.zip"}, Dst: "cloudreve://my"})
			if err != nil {
				t.Fatal(err)
			}
			done, err := c.WaitTask(ctx, &workflowv1.WaitTaskRequest{Id: res.GetTask().GetId()})
			if err != nil {
				t.Fatal(err)
			}
			if !done.GetDone() || done.GetTask().GetStatus() != taskv1.TaskStatus_TASK_STATUS_ERROR || !strings.Contains(done.GetTask().GetError(), "zip") {
				t.Fatalf("extract ended %v", done)
			}
		})
	}
}

func TestCancelledDownloadEndsCanceled(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			c := workflowClient(e.f, append(p.opts, withToken(e.alice.Token))...)
			res, err := c.CreateRemoteDownload(ctx, &workflowv1.CreateRemoteDownloadRequest{Src: []string{"http://sandbox.invalid/slow/big.iso"}, Dst: "cloudreve://my"})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.GetTasks()) != 1 {
				t.Fatalf("tasks %v", res.GetTasks())
			}
			id := res.GetTasks()[0].GetId()
			stream, err := c.WatchTask(ctx, &workflowv1.WatchTaskRequest{Id: id})
			if err != nil {
				t.Fatal(err)
			}
			var seen []*eventsv1.TaskEvent
			cancelled := false
			err = receiveAll(stream.Receive, func(m *workflowv1.WatchTaskResponse) bool {
				ev := m.GetEvent()
				seen = append(seen, ev)
				if !cancelled && ev.GetTask().GetPhase() == "monitor" {
					if _, err := c.CancelTask(ctx, &workflowv1.CancelTaskRequest{Id: id}); err != nil {
						t.Fatal(err)
					}
					cancelled = true
				}
				return true
			})
			if err != nil {
				t.Fatal(err)
			}
			if last := seen[len(seen)-1]; !cancelled || last.GetTask().GetStatus() != taskv1.TaskStatus_TASK_STATUS_CANCELED {
				t.Fatalf("download went %v", statusesOf(seen))
			}
			// Listed among finished downloads.
			list, err := c.ListTasks(ctx, &workflowv1.ListTasksRequest{PageSize: 10, Category: workflowv1.TaskCategory_TASK_CATEGORY_DOWNLOADED})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, tk := range list.GetTasks() {
				found = found || tk.GetId() == id
			}
			if !found {
				t.Errorf("canceled download not listed as downloaded")
			}
		})
	}
}

func TestOtherUserCannotWatch(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	bob := e.up.newAccount(t, "bob")
	e.up.putFile(t, e.alice, "cloudreve://my/a.txt", "x")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			alice := workflowClient(e.f, append(p.opts, withToken(e.alice.Token))...)
			res, err := alice.CreateArchive(ctx, &workflowv1.CreateArchiveRequest{Src: []string{"cloudreve://my/a.txt"}, Dst: "cloudreve://my/x-" + p.name + ".zip"})
			if err != nil {
				t.Fatal(err)
			}
			bobC := workflowClient(e.f, append(p.opts, withToken(bob.Token))...)
			stream, err := bobC.WatchTask(ctx, &workflowv1.WatchTaskRequest{Id: res.GetTask().GetId()})
			if err == nil {
				err = receiveAll(stream.Receive, func(m *workflowv1.WatchTaskResponse) bool { t.Errorf("bob received %v", m); return true })
			}
			if connect.CodeOf(err) != connect.CodeNotFound {
				t.Errorf("bob watching alice's task: %v", err)
			}
			if _, err := bobC.WaitTask(ctx, &workflowv1.WaitTaskRequest{Id: res.GetTask().GetId()}); connect.CodeOf(err) != connect.CodeNotFound {
				t.Errorf("bob waiting on alice's task: %v", err)
			}
			// WatchTasks of bob sees none of alice's events.
			wctx, wcancel := context.WithTimeout(ctx, 1500*time.Millisecond)
			defer wcancel()
			all, err := bobC.WatchTasks(wctx, &workflowv1.WatchTasksRequest{})
			if err == nil {
				_ = receiveAll(all.Receive, func(m *workflowv1.WatchTasksResponse) bool {
					t.Errorf("bob's WatchTasks delivered %v", m.GetEvent().GetUserId())
					return true
				})
			}
			// A forged token is refused before anything is streamed.
			forged := workflowClient(e.f, append(p.opts, withToken(e.alice.Token+"x"))...)
			if _, err := forged.WaitTask(ctx, &workflowv1.WaitTaskRequest{Id: res.GetTask().GetId()}); connect.CodeOf(err) != connect.CodeUnauthenticated {
				t.Errorf("forged token: %v", err)
			}
		})
	}
}

// Invalid requests are refused with field violations before any upstream call.
func TestInvalidRequestsNeverReachUpstream(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	ctx := context.Background()
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			c := workflowClient(e.f, append(p.opts, withToken(e.alice.Token))...)
			before := e.up.requests.Load()
			bad := []func() error{
				func() error {
					_, err := c.CreateArchive(ctx, &workflowv1.CreateArchiveRequest{Src: []string{"/etc/passwd"}, Dst: "cloudreve://my/a.zip"})
					return err
				},
				func() error {
					_, err := c.CreateArchive(ctx, &workflowv1.CreateArchiveRequest{Dst: "cloudreve://my/a.zip"})
					return err
				},
				func() error {
					_, err := c.ListTasks(ctx, &workflowv1.ListTasksRequest{PageSize: 5, Category: workflowv1.TaskCategory_TASK_CATEGORY_GENERAL})
					return err
				},
				func() error {
					_, err := c.ListTasks(ctx, &workflowv1.ListTasksRequest{PageSize: 20})
					return err
				},
				func() error {
					_, err := c.CreateRemoteDownload(ctx, &workflowv1.CreateRemoteDownloadRequest{Dst: "cloudreve://my"})
					return err
				},
				func() error {
					_, err := c.CancelTask(ctx, &workflowv1.CancelTaskRequest{Id: "../x"})
					return err
				},
				func() error {
					_, err := c.WaitTask(ctx, &workflowv1.WaitTaskRequest{Id: "a.b.>"})
					return err
				},
			}
			for i, call := range bad {
				err := call()
				if connect.CodeOf(err) != connect.CodeInvalidArgument {
					t.Errorf("bad request %d: %v", i, err)
					continue
				}
				if !strings.Contains(err.Error(), "validation") && !strings.Contains(err.Error(), "must") {
					t.Errorf("bad request %d: message %q names no violation", i, err.Error())
				}
				var ce *connect.Error
				errors.As(err, &ce)
				if len(ce.Details()) == 0 {
					t.Errorf("bad request %d: no violation details", i)
				}
			}
			if n := e.up.requests.Load() - before; n != 0 {
				t.Errorf("%d upstream requests for invalid calls", n)
			}
		})
	}
}

// Upstream errors carry their code, message and correlation id; commercial
// operations against a community server are Unimplemented.
func TestUpstreamErrors(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.up.putFile(t, e.alice, "cloudreve://my/exists.zip", "x")
	ctx := context.Background()
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			c := workflowClient(e.f, append(p.opts, withToken(e.alice.Token))...)
			_, err := c.CreateArchive(ctx, &workflowv1.CreateArchiveRequest{Src: []string{"cloudreve://my/exists.zip"}, Dst: "cloudreve://my/exists.zip"})
			if connect.CodeOf(err) != connect.CodeAlreadyExists {
				t.Fatalf("archive onto an existing file: %v", err)
			}
			info, up := errorDetails(t, err)
			if up.GetCode() != 40004 || up.GetOperation() != "createArchive" || up.GetCorrelationId() == "" || info.GetReason() != "OBJECT_EXISTS" {
				t.Errorf("details %v %v", info, up)
			}
			_, err = c.RelocateStoragePolicy(ctx, &workflowv1.RelocateStoragePolicyRequest{Src: []string{"cloudreve://my/exists.zip"}, DstPolicyId: "p1"})
			if connect.CodeOf(err) != connect.CodeUnimplemented || !strings.Contains(err.Error(), "commercial") {
				t.Errorf("relocate on community: %v", err)
			}
			_, err = c.ImportExternalFiles(ctx, &workflowv1.ImportExternalFilesRequest{Src: "/data", Dst: "/", UserId: e.alice.ID, PolicyId: 1})
			if e.alice.ID != firstUser(e) && connect.CodeOf(err) != connect.CodePermissionDenied {
				t.Errorf("import by a non-admin: %v", err)
			}
			noToken := workflowClient(e.f, p.opts...)
			if _, err := noToken.ListTasks(ctx, &workflowv1.ListTasksRequest{PageSize: 10, Category: workflowv1.TaskCategory_TASK_CATEGORY_GENERAL}); connect.CodeOf(err) != connect.CodeUnauthenticated {
				t.Errorf("no token: %v", err)
			}
		})
	}
}

func firstUser(e *env) string { return e.alice.ID }

func errorDetails(t *testing.T, err error) (*errdetails.ErrorInfo, *commonv1.UpstreamError) {
	t.Helper()
	var ce *connect.Error
	if !errors.As(err, &ce) {
		t.Fatalf("%T", err)
	}
	var info *errdetails.ErrorInfo
	var up *commonv1.UpstreamError
	for _, d := range ce.Details() {
		v, err := connectproto.UnmarshalErrorDetail(d)
		if err != nil {
			t.Fatal(err)
		}
		switch m := v.(type) {
		case *errdetails.ErrorInfo:
			info = m
		case *commonv1.UpstreamError:
			up = m
		}
	}
	if info == nil || up == nil {
		t.Fatalf("missing details: %v %v", info, up)
	}
	return info, up
}

// Every RPC answers over both protocols.
func TestEveryRPC(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	admin := e.alice // the first account is the administrator
	e.up.putFile(t, admin, "cloudreve://my/f.txt", "data")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			c := workflowClient(e.f, append(p.opts, withToken(admin.Token))...)
			arch, err := c.CreateArchive(ctx, &workflowv1.CreateArchiveRequest{Src: []string{"cloudreve://my/f.txt"}, Dst: "cloudreve://my/f-" + p.name + ".zip"})
			if err != nil {
				t.Fatal(err)
			}
			done, err := c.WaitTask(ctx, &workflowv1.WaitTaskRequest{Id: arch.GetTask().GetId()})
			if err != nil || done.GetTask().GetStatus() != taskv1.TaskStatus_TASK_STATUS_COMPLETED {
				t.Fatalf("WaitTask: %v %v", done, err)
			}
			ext, err := c.ExtractArchive(ctx, &workflowv1.ExtractArchiveRequest{Src: []string{"cloudreve://my/f-" + p.name + ".zip"}, Dst: "cloudreve://my"})
			if err != nil {
				t.Fatal(err)
			}
			if done, err := c.WaitTask(ctx, &workflowv1.WaitTaskRequest{Id: ext.GetTask().GetId()}); err != nil || done.GetTask().GetStatus() != taskv1.TaskStatus_TASK_STATUS_COMPLETED {
				t.Fatalf("extract: %v %v", done, err)
			}
			dl, err := c.CreateRemoteDownload(ctx, &workflowv1.CreateRemoteDownloadRequest{Src: []string{"magnet:?xt=urn:btih:abc"}, Dst: "cloudreve://my"})
			if err != nil {
				t.Fatal(err)
			}
			dlID := dl.GetTasks()[0].GetId()
			// Wait until the downloader lists the torrent's files, then pick one.
			for {
				res, err := c.WaitTask(ctx, &workflowv1.WaitTaskRequest{Id: dlID, Timeout: durationpb.New(100 * time.Millisecond)})
				if err != nil {
					t.Fatal(err)
				}
				if res.GetTask().GetPhase() == "monitor" && len(res.GetTask().GetSummary().GetDownload().GetFiles()) > 0 {
					break
				}
				if res.GetDone() {
					t.Fatalf("download finished before files could be chosen: %v", res.GetTask())
				}
			}
			if _, err := c.SelectFilesToDownload(ctx, &workflowv1.SelectFilesToDownloadRequest{Id: dlID, Files: []*workflowv1.FileSelection{{Index: 0, Download: true}, {Index: 1, Download: false}}}); err != nil {
				t.Fatal(err)
			}
			prog, err := c.GetTaskProgress(ctx, &workflowv1.GetTaskProgressRequest{Id: dlID})
			if err != nil {
				t.Fatal(err)
			}
			_ = prog // the map is filled only while processing
			if _, err := c.CancelTask(ctx, &workflowv1.CancelTaskRequest{Id: dlID}); err != nil {
				t.Fatal(err)
			}
			list, err := c.ListTasks(ctx, &workflowv1.ListTasksRequest{PageSize: 10, Category: workflowv1.TaskCategory_TASK_CATEGORY_GENERAL})
			if err != nil || len(list.GetTasks()) == 0 {
				t.Fatalf("ListTasks: %v %v", list, err)
			}
			imp, err := c.ImportExternalFiles(ctx, &workflowv1.ImportExternalFilesRequest{Src: "/srv/import", Dst: "/", UserId: admin.ID, PolicyId: 1, Recursive: true})
			if err != nil {
				t.Fatal(err)
			}
			if imp.GetTask().GetType() != taskv1.TaskType_TASK_TYPE_IMPORT {
				t.Errorf("import task %v", imp.GetTask())
			}
			if _, err := c.RelocateStoragePolicy(ctx, &workflowv1.RelocateStoragePolicyRequest{Src: []string{"cloudreve://my/f.txt"}, DstPolicyId: "x"}); connect.CodeOf(err) != connect.CodeUnimplemented {
				t.Errorf("RelocateStoragePolicy: %v", err)
			}
			// WatchTasks delivers the caller's events from a sequence on, filtered by type.
			wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
			defer wcancel()
			all, err := c.WatchTasks(wctx, &workflowv1.WatchTasksRequest{Types: []taskv1.TaskType{taskv1.TaskType_TASK_TYPE_CREATE_ARCHIVE}, Start: &workflowv1.WatchTasksRequest_AfterSequence{AfterSequence: 1}})
			if err != nil {
				t.Fatal(err)
			}
			var got []*workflowv1.WatchTasksResponse
			err = receiveAll(all.Receive, func(m *workflowv1.WatchTasksResponse) bool {
				got = append(got, m)
				return m.GetEvent().GetTask().GetId() != arch.GetTask().GetId() || !hasChange(m.GetEvent(), eventsv1.Change_CHANGE_FINISHED)
			})
			if len(got) == 0 {
				t.Fatalf("WatchTasks delivered nothing: %v", err)
			}
			for i, m := range got {
				if m.GetEvent().GetTask().GetType() != taskv1.TaskType_TASK_TYPE_CREATE_ARCHIVE || m.GetEvent().GetUserId() != admin.ID {
					t.Errorf("WatchTasks delivered %v", m.GetEvent())
				}
				if i > 0 && m.GetStreamSequence() <= got[i-1].GetStreamSequence() {
					t.Errorf("stream sequence not increasing")
				}
			}
			// Resuming after a sequence skips what came before it.
			rctx, rcancel := context.WithTimeout(ctx, 5*time.Second)
			defer rcancel()
			resumed, err := c.WatchTasks(rctx, &workflowv1.WatchTasksRequest{Start: &workflowv1.WatchTasksRequest_AfterSequence{AfterSequence: got[0].GetStreamSequence()}})
			if err != nil {
				t.Fatal(err)
			}
			if m, err := resumed.Receive(); err != nil || m.GetStreamSequence() <= got[0].GetStreamSequence() {
				t.Errorf("resumed stream: %v %v", m, err)
			}
			rcancel()
		})
	}
}

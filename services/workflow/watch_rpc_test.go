package workflow

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"connectrpc.com/connect/v2"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/events"
	"github.com/cloudreve-connect/facade/internal/natsembed/natstest"
	"github.com/cloudreve-connect/facade/internal/secretbox"
	"github.com/cloudreve-connect/facade/internal/servicetest"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/watcher"
	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/sandbox/sandboxtest"
)

// watching is the workflow service with what its watch RPCs stand on: an
// embedded NATS with JetStream, the event bus, a running watcher and the
// bearer check, wired as cmd/facade wires them but without a service
// account (every caller brings its own token).
type watching struct {
	up  *sandboxtest.Upstream
	srv *servicetest.Server
}

func newWatching(t *testing.T) *watching {
	t.Helper()
	up := sandboxtest.Start(t, sandbox.Options{Tick: 20 * time.Millisecond})
	nc := natstest.Conn(t)
	ctx, cancel := context.WithCancel(context.Background())
	bus, err := events.Open(ctx, nc, events.Config{Source: up.APIURL})
	if err != nil {
		t.Fatal(err)
	}
	client, err := cloudreveapi.NewClient(up.APIURL, cloudreveapi.WithHTTPClient(&auth.Doer{Base: http.DefaultClient}))
	if err != nil {
		t.Fatal(err)
	}
	box, err := secretbox.New(make([]byte, secretbox.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	w, err := watcher.New(ctx, watcher.Config{ActiveInterval: 20 * time.Millisecond, ProgressInterval: 10 * time.Millisecond}, client, bus, box, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; bus.Close() })
	<-w.Ready()

	identity := auth.NewIdentifier(nil, func(ctx context.Context) error {
		if err := upstream.Action("getStorageCapacity").Check(client.GetStorageCapacity(ctx)); err != nil {
			return connect.NewError(connect.CodeUnauthenticated, err.Error())
		}
		return nil
	})
	svc := New(client, w, bus, identity, up.Versions(t), nil)
	server := connect.NewServer(auth.NewInterceptor(identity))
	workflowv1connect.RegisterWorkflowServiceHandler(server, svc)
	return &watching{up: up, srv: servicetest.Serve(t, server)}
}

// archiver is an account allowed to create archives, with a zip-worthy file.
func (w *watching) archiver(t *testing.T, name string) sandboxtest.Account {
	t.Helper()
	id, err := w.up.CreateAdmin(name+"@example.com", "password-"+name, name)
	if err != nil {
		t.Fatal(err)
	}
	access, _, err := w.up.IssueTokens(id)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.up.WriteFile(id, "cloudreve://my/notes.txt", []byte("to be zipped")); err != nil {
		t.Fatal(err)
	}
	return sandboxtest.Account{ID: id, Token: access}
}

func (w *watching) client(p servicetest.Protocol, a sandboxtest.Account) workflowv1connect.WorkflowServiceClient {
	return servicetest.Client(w.srv, p, workflowv1connect.NewWorkflowServiceClient, servicetest.WithBearer(a.Token))
}

func archive(t *testing.T, c workflowv1connect.WorkflowServiceClient, dst string) *taskv1.Task {
	t.Helper()
	res, err := c.CreateArchive(context.Background(), &workflowv1.CreateArchiveRequest{Src: []string{"cloudreve://my/notes.txt"}, Dst: dst})
	if err != nil {
		t.Fatal(err)
	}
	return res.GetTask()
}

func isFinished(ev *eventsv1.TaskEvent) bool {
	for _, c := range ev.GetChanges() {
		if c == eventsv1.Change_CHANGE_FINISHED {
			return true
		}
	}
	return false
}

// WatchTask follows an archive the caller created through the service from
// its first snapshot to completed, with contiguous sequence numbers, and
// WaitTask answers with the same final state.
func TestWatchTaskFollowsAnArchiveToCompletion(t *testing.T) {
	t.Parallel()
	w := newWatching(t)
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			a := w.archiver(t, "ann"+p.Name)
			c := w.client(p, a)
			task := archive(t, c, "cloudreve://my/notes.zip")
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			stream, err := c.WatchTask(ctx, &workflowv1.WatchTaskRequest{Id: task.GetId()})
			if err != nil {
				t.Fatal(err)
			}
			var seen []*eventsv1.TaskEvent
			for {
				msg, err := stream.Receive()
				if err != nil {
					if errors.Is(err, io.EOF) {
						break
					}
					t.Fatal(err)
				}
				seen = append(seen, msg.GetEvent())
			}

			if len(seen) == 0 {
				t.Fatal("no events")
			}
			last := seen[len(seen)-1]
			if !isFinished(last) || last.GetTask().GetStatus() != taskv1.TaskStatus_TASK_STATUS_COMPLETED {
				t.Fatalf("the stream ended on %v", last)
			}
			for i := 1; i < len(seen); i++ {
				if seen[i].GetSequence() != seen[i-1].GetSequence()+1 {
					t.Errorf("sequence %d after %d", seen[i].GetSequence(), seen[i-1].GetSequence())
				}
			}
			for _, ev := range seen {
				if ev.GetUserId() != a.ID || ev.GetTask().GetId() != task.GetId() {
					t.Errorf("event of another task or user: %v", ev)
				}
			}

			waited, err := c.WaitTask(ctx, &workflowv1.WaitTaskRequest{Id: task.GetId(), Timeout: durationpb.New(10 * time.Second)})
			if err != nil {
				t.Fatal(err)
			}
			if !waited.GetDone() || waited.GetTask().GetStatus() != taskv1.TaskStatus_TASK_STATUS_COMPLETED {
				t.Errorf("WaitTask after completion: %v", waited)
			}
		})
	}
}

// WatchTasks from the first retained event replays a user's finished tasks,
// and no other user's; another user's task is not found by WatchTask.
func TestWatchTasksReplaysOnlyTheCallersTasks(t *testing.T) {
	t.Parallel()
	w := newWatching(t)
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			mine, theirs := w.archiver(t, "mo"+p.Name), w.archiver(t, "ty"+p.Name)
			c, other := w.client(p, mine), w.client(p, theirs)
			want := map[string]bool{}
			for _, dst := range []string{"cloudreve://my/a.zip", "cloudreve://my/b.zip"} {
				task := archive(t, c, dst)
				want[task.GetId()] = true
				if _, err := c.WaitTask(ctx, &workflowv1.WaitTaskRequest{Id: task.GetId()}); err != nil {
					t.Fatal(err)
				}
			}
			foreign := archive(t, other, "cloudreve://my/theirs.zip")
			if _, err := other.WaitTask(ctx, &workflowv1.WaitTaskRequest{Id: foreign.GetId()}); err != nil {
				t.Fatal(err)
			}

			stream, err := c.WatchTasks(ctx, &workflowv1.WatchTasksRequest{Start: &workflowv1.WatchTasksRequest_AllRetained{AllRetained: true}})
			if err != nil {
				t.Fatal(err)
			}
			finished := map[string]bool{}
			var streamErr error
			for len(finished) < len(want) {
				msg, err := stream.Receive()
				if err != nil {
					streamErr = err
					break
				}
				ev := msg.GetEvent()
				if ev == nil {
					continue // the headers-only first message
				}
				if ev.GetUserId() != mine.ID || !want[ev.GetTask().GetId()] {
					t.Fatalf("replayed an event that is not the caller's: %v", ev)
				}
				if isFinished(ev) {
					finished[ev.GetTask().GetId()] = true
				}
			}
			if len(finished) != len(want) {
				t.Fatalf("finished %v of %v: %v", finished, want, streamErr)
			}
			_ = stream.Close()

			_, err = c.WatchTask(ctx, &workflowv1.WatchTaskRequest{Id: foreign.GetId()})
			if err == nil {
				s, _ := c.WatchTask(ctx, &workflowv1.WatchTaskRequest{Id: foreign.GetId()})
				var streamErr error
				for {
					_, err := s.Receive()
					if err != nil {
						streamErr = err
						break
					}
				}
				if errors.Is(streamErr, io.EOF) {
					streamErr = nil
				}
				err = streamErr
			}
			if connect.CodeOf(err) != connect.CodeNotFound {
				t.Errorf("another user's task: %v, want NotFound", err)
			}
		})
	}
}

// A watch RPC without a token, or with one the upstream refuses, is
// Unauthenticated before anything is subscribed.
func TestWatchWithoutAGoodTokenIsUnauthenticated(t *testing.T) {
	t.Parallel()
	w := newWatching(t)
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			for _, tok := range []string{"", "not-a-token"} {
				var opts []connect.ClientInterceptor
				if tok != "" {
					opts = append(opts, servicetest.WithBearer(tok))
				}
				c := servicetest.Client(w.srv, p, workflowv1connect.NewWorkflowServiceClient, opts...)
				s, err := c.WatchTasks(context.Background(), &workflowv1.WatchTasksRequest{})
				if err == nil {
					var streamErr error
					for {
						_, err := s.Receive()
						if err != nil {
							streamErr = err
							break
						}
					}
					if errors.Is(streamErr, io.EOF) {
						streamErr = nil
					}
					err = streamErr
				}
				var ce *connect.Error
				if !errors.As(err, &ce) || ce.Code() != connect.CodeUnauthenticated {
					t.Errorf("token %q: %v, want Unauthenticated", tok, err)
				}
			}
		})
	}
}

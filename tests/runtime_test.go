package tests

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	connectv1 "connectrpc.com/connect" // the health client's errors (grpchealth is on v1)
	"connectrpc.com/connect/v2"
	"connectrpc.com/grpchealth"
	"connectrpc.com/grpcreflect/v2"
	"github.com/nats-io/nats.go/jetstream"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
	"github.com/cloudreve-connect/facade/sandbox"
)

// SIGTERM ends open streams with Unavailable (so clients resume) and the
// process exits cleanly.
func TestGracefulShutdownEndsStreams(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, p := range protocols {
		stream, err := workflowClient(e.f, append(p.opts, withToken(e.alice.Token))...).WatchTasks(ctx, &workflowv1.WatchTasksRequest{})
		if err != nil {
			t.Fatal(err)
		}
		defer stream.Close()
		go func() { stream.Receive() }()
	}
	eventually(t, 10*time.Second, "every stream is open", func() bool { return streamsOpen(t, e.f) == float64(len(protocols)) })
	start := time.Now()
	e.f.stop(t)
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("shutdown took %v", took)
	}
	if code := e.f.cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("exit code %d", code)
	}
	if !strings.Contains(e.f.logs.String(), "shutting down") {
		t.Errorf("no shutdown in the log")
	}
}

func TestStreamsEndWithUnavailableOnShutdown(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stream, err := workflowClient(e.f, viaGRPC, withToken(e.alice.Token)).WatchTasks(ctx, &workflowv1.WatchTasksRequest{})
	if err != nil {
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	go func() {
		ended <- receiveAll(stream.Receive, nil)
	}()
	eventually(t, 10*time.Second, "the stream is open", func() bool { return streamsOpen(t, e.f) == 1 })
	go e.f.stop(t)
	select {
	case err := <-ended:
		if connect.CodeOf(err) != connect.CodeUnavailable {
			t.Errorf("stream ended with %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("stream still open after shutdown")
	}
}

func TestHealthAndReflection(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	ctx := context.Background()
	rc := grpcreflect.NewClient(connectClient(h2cClient(), e.f.URL))
	rs := rc.NewStream(ctx)
	defer rs.Close()
	names, err := rs.ListServices()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range names {
		got = append(got, string(n))
	}
	if !slices.Contains(got, workflowv1connect.WorkflowServiceName) || !slices.Contains(got, "grpc.health.v1.Health") {
		t.Errorf("reflection lists %v", got)
	}
	// Health follows the upstream: a facade whose upstream is down is not serving.
	dead := startFacadeNoWait(t, "--upstream", "http://127.0.0.1:1", "--nats-url", e.nats)
	health := healthClient(h2cClient(), dead.URL)
	var res *grpchealth.CheckResponse
	eventually(t, 20*time.Second, "a health answer", func() bool {
		var err error
		res, err = health.Check(ctx, &grpchealth.CheckRequest{})
		return err == nil
	})
	if res.Status != grpchealth.StatusNotServing {
		t.Errorf("health with the upstream down: %v", res.Status)
	}
	if _, err := health.Check(ctx, &grpchealth.CheckRequest{Service: "no.such.Service"}); connectv1.CodeOf(err) != connectv1.CodeNotFound {
		t.Errorf("unknown service: %v", err)
	}
}

// startFacadeNoWait starts a facade that is expected not to become healthy.
func startFacadeNoWait(t *testing.T, args ...string) *facade {
	t.Helper()
	listen := freePort(t)
	f := &facade{URL: "http://" + listen, logs: &logBuffer{}, done: make(chan struct{})}
	f.cmd = execFacade(append(args, "--listen", listen, "--state-dir", t.TempDir(), "--drain-grace", "50ms")...)
	f.cmd.Stdout, f.cmd.Stderr = f.logs, f.logs
	if err := f.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { f.cmd.Wait(); close(f.done) }()
	t.Cleanup(func() { f.stop(t) })
	return f
}

// Without --nats-url the facade runs its own NATS server, which other
// processes reach on --nats-listen, and keeps JetStream in --jetstream-dir.
func TestEmbeddedNATS(t *testing.T) {
	up := startSandbox(t, sandbox.Options{})
	alice := up.newAccount(t, "alice")
	up.putFile(t, alice, "cloudreve://my/a.txt", "hello")
	natsAddr := freePort(t)
	f := startFacade(t, "--upstream", up.URL, "--nats-listen", natsAddr, "--jetstream-dir", t.TempDir(), "--poll-active", "50ms")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := workflowClient(f, withToken(alice.Token)).CreateArchive(ctx, &workflowv1.CreateArchiveRequest{Src: []string{"cloudreve://my/a.txt"}, Dst: "cloudreve://my/a.zip"})
	if err != nil {
		t.Fatal(err)
	}
	evs := taskEvents(t, ctx, "nats://"+natsAddr, alice.ID, res.GetTask().GetId())
	if evs[len(evs)-1].GetTask().GetStatus() != taskv1.TaskStatus_TASK_STATUS_COMPLETED {
		t.Fatalf("events %v", statusesOf(evs))
	}
}

// With a service account the facade acts for callers without a token, and
// discovers tasks created elsewhere (here: directly on the REST API).
func TestServiceAccountDiscoversTasks(t *testing.T) {
	up := startSandbox(t, sandbox.Options{Tick: 200 * time.Millisecond})
	_, natsURL := startNATS(t)
	svc := up.newAccount(t, "svc")
	up.putFile(t, svc, "cloudreve://my/a.txt", "hello")
	f := startFacade(t, "--upstream", up.URL, "--nats-url", natsURL, "--account-email", "svc@example.com",
		"--account-password", "password-svc", "--poll-active", "50ms", "--poll-idle", "100ms")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := workflowClient(f) // no token: the service account acts
	list, err := c.ListTasks(ctx, &workflowv1.ListTasksRequest{PageSize: 10, Category: workflowv1.TaskCategory_TASK_CATEGORY_GENERAL})
	if err != nil || len(list.GetTasks()) != 0 {
		t.Fatalf("list as the service account: %v %v", list, err)
	}
	waitPollRounds(t, f, 1) // the first discovery poll takes stock
	js, _ := jetstream.New(natsConnect(t, natsURL))
	cons, err := js.OrderedConsumer(ctx, "CLOUDREVE_TASKS", jetstream.OrderedConsumerConfig{FilterSubjects: []string{"cloudreve.v1.tasks." + svc.ID + ".>"}})
	if err != nil {
		t.Fatal(err)
	}
	// Created behind the facade's back.
	req, _ := http.NewRequest(http.MethodPost, up.URL+"/api/v4/workflow/archive", strings.NewReader(`{"src":["cloudreve://my/a.txt"],"dst":"cloudreve://my/elsewhere.zip"}`))
	req.Header.Set("Authorization", "Bearer "+svc.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var seen []*eventsv1.TaskEvent
	for len(seen) == 0 || !hasChange(seen[len(seen)-1], eventsv1.Change_CHANGE_FINISHED) {
		msg, err := cons.Next(jetstream.FetchMaxWait(15 * time.Second))
		if err != nil {
			t.Fatalf("after %v: %v", statusesOf(seen), err)
		}
		ev := &eventsv1.TaskEvent{}
		if err := protoUnmarshal(msg.Data(), ev); err != nil {
			t.Fatal(err)
		}
		seen = append(seen, ev)
	}
	if seen[0].GetTask().GetSummary().GetDst() != "cloudreve://my/elsewhere.zip" || !hasChange(seen[0], eventsv1.Change_CHANGE_FIRST_SEEN) {
		t.Errorf("discovered %v", seen[0])
	}
	if strings.Contains(f.logs.String(), "password-svc") {
		t.Error("the service account's password is in the log")
	}
}

// A task created while no facade ran is still discovered after a restart,
// and tasks reported before the restart are not reported again.
func TestDiscoveryAcrossRestart(t *testing.T) {
	up := startSandbox(t, sandbox.Options{Tick: 100 * time.Millisecond})
	_, natsURL := startNATS(t)
	svc := up.newAccount(t, "svc")
	up.putFile(t, svc, "cloudreve://my/a.txt", "hello")
	args := []string{"--upstream", up.URL, "--nats-url", natsURL, "--state-dir", t.TempDir(),
		"--account-email", "svc@example.com", "--account-password", "password-svc", "--poll-active", "50ms", "--poll-idle", "100ms"}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	createBehindTheFacade := func(dst string) string {
		req, _ := http.NewRequest(http.MethodPost, up.URL+"/api/v4/workflow/archive", strings.NewReader(`{"src":["cloudreve://my/a.txt"],"dst":"`+dst+`"}`))
		req.Header.Set("Authorization", "Bearer "+svc.Token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var env struct {
			Data struct{ ID string } `json:"data"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || env.Data.ID == "" {
			t.Fatalf("creating %s: %v", dst, err)
		}
		return env.Data.ID
	}

	first := startFacade(t, args...)
	waitPollRounds(t, first, 1) // the first discovery poll marks where discovery begins
	before := createBehindTheFacade("cloudreve://my/before.zip")
	beforeEvents := taskEvents(t, ctx, natsURL, svc.ID, before)
	first.stop(t)

	during := createBehindTheFacade("cloudreve://my/during.zip")
	eventually(t, 15*time.Second, "the task finishes while no facade runs", func() bool { return up.RunningTaskCount() == 0 })
	second := startFacade(t, args...)
	evs := taskEvents(t, ctx, natsURL, svc.ID, during)
	if !hasChange(evs[0], eventsv1.Change_CHANGE_FIRST_SEEN) || evs[len(evs)-1].GetTask().GetStatus() != taskv1.TaskStatus_TASK_STATUS_COMPLETED {
		t.Fatalf("task created while down: %v", statusesOf(evs))
	}
	waitPollRounds(t, second, 2) // a whole round more, in which "before" would be reported again
	second.stop(t)
	if n := taskEventsNow(t, ctx, natsURL, svc.ID, before); n != len(beforeEvents) {
		t.Errorf("the task reported before the restart has %d events, want %d", n, len(beforeEvents))
	}
}

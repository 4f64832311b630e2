package tests

import (
	"context"
	"syscall"
	"testing"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/grpchealth"

	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/sandbox"
)

// On SIGTERM the facade drains: health turns NOT_SERVING while the open
// stream goes on, then, after --drain-grace, the stream ends with
// Unavailable and the process exits cleanly.
func TestDrainOnSIGTERM(t *testing.T) {
	const grace = 2 * time.Second
	e := newEnv(t, sandbox.Options{}, "--drain-grace", grace.String())
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stream, err := workflowClient(e.f, viaGRPC, withToken(e.alice.Token)).WatchTasks(ctx, &workflowv1.WatchTasksRequest{})
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	ended := make(chan error, 1)
	go func() {
		ended <- receiveAll(stream.Receive, nil)
	}()
	eventually(t, 10*time.Second, "the stream is open", func() bool {
		v, _ := metric(scrape(t, e.f.URL+"/metrics"), "facade_rpc_streams_open")
		return v == 1
	})

	signalled := time.Now()
	if err := e.f.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	health := healthClient(h2cClient(), e.f.URL)
	eventually(t, grace, "health turns NOT_SERVING", func() bool {
		res, err := health.Check(ctx, &grpchealth.CheckRequest{})
		return err == nil && res.Status == grpchealth.StatusNotServing
	})
	select {
	case err := <-ended:
		t.Fatalf("the stream ended (%v) before health was seen NOT_SERVING", err)
	default:
	}

	select {
	case err := <-ended:
		if connect.CodeOf(err) != connect.CodeUnavailable {
			t.Errorf("the stream ended with %v, want Unavailable", err)
		}
		if took := time.Since(signalled); took < grace {
			t.Errorf("the stream ended %v after SIGTERM, before the %v grace", took, grace)
		}
	case <-time.After(grace + 10*time.Second):
		t.Fatal("the stream is still open after the drain")
	}
	select {
	case <-e.f.done:
		if code := e.f.cmd.ProcessState.ExitCode(); code != 0 {
			t.Errorf("exit code %d", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the facade did not exit after the drain")
	}
}

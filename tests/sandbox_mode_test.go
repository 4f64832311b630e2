package tests

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A facade listening beyond loopback without an upstream refuses to start
// and names the missing setting, instead of serving the sandbox's fake data
// behind a healthy health check (what the container image would do with a
// forgotten CLOUDREVE_URL).
func TestNoUpstreamBeyondLoopbackRefusesToStart(t *testing.T) {
	cmd := execFacade("--listen", "0.0.0.0:0", "--state-dir", t.TempDir(), "--nats-listen", freePort(t), "--sandbox-listen", freePort(t))
	cmd.Env = append(cmd.Env, "CLOUDREVE_URL=")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan struct{})
	var out []byte
	var err error
	go func() { out, err = cmd.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		cmd.Process.Kill()
		t.Fatal("the facade started without an upstream on 0.0.0.0")
	}
	if err == nil || !strings.Contains(string(out), "CLOUDREVE_URL") || !strings.Contains(string(out), "--listen is 0.0.0.0:0") {
		t.Fatalf("exit %v, output:\n%s", err, out)
	}
}

// On loopback without --upstream the sandbox is served, and says so: in the
// first log line and in every health answer.
func TestSandboxSaysSo(t *testing.T) {
	f := startFacade(t, "--sandbox-listen", freePort(t), "--nats-listen", freePort(t))
	first := strings.SplitN(f.logs.String(), "\n", 2)[0]
	if !strings.Contains(first, "SANDBOX") {
		t.Errorf("first log line: %s", first)
	}
	// The health service speaks the Connect protocol too: a plain POST shows the headers.
	resp, err := http.Post(f.URL+"/grpc.health.v1.Health/Check", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cloudreve-Upstream") != "sandbox" {
		t.Errorf("health answered %d with headers %v", resp.StatusCode, resp.Header)
	}
}

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"connectrpc.com/connect"
	"connectrpc.com/grpchealth"

	"github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1/sitev1connect"
)

// facadeProcess is one running facade binary.
type facadeProcess struct {
	url        string // http://host:port of --listen
	metricsURL string
	natsURL    string // the embedded NATS server's client URL
	cmd        *exec.Cmd
	logPath    string
	exited     chan struct{}
}

// buildFacade builds ./cmd/facade of the module the harness runs in.
func buildFacade(ctx context.Context, dir string) (string, error) {
	root, err := moduleRoot(ctx)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "facade")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/facade")
	cmd.Dir = root
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/facade: %w\n%s", err, out.String())
	}
	return bin, nil
}

func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside the facade module: run from the checkout, or give --facade-bin")
	}
	return filepath.Dir(gomod), nil
}

// startFacade runs bin against upstream with an embedded NATS server whose
// state lives in dir, and waits until its health check answers SERVING.
// The facade logs to a file in dir, not to a pipe, so the harness spends
// no CPU copying its log. extra flags come last, so they win.
func startFacade(ctx context.Context, bin, upstream, logLevel, dir string, extra ...string) (*facadeProcess, error) {
	listen, err := freeLoopbackPort()
	if err != nil {
		return nil, err
	}
	metrics, err := freeLoopbackPort()
	if err != nil {
		return nil, err
	}
	natsListen, err := freeLoopbackPort()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "facade.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child has its own descriptor
	args := []string{
		"--listen", listen,
		"--upstream", upstream,
		"--state-dir", filepath.Join(dir, "state"),
		"--nats-listen", natsListen,
		"--metrics-listen", metrics,
		"--log-level", logLevel,
	}
	cmd := exec.Command(bin, append(args, extra...)...)
	// Settings the environment might carry would change what is measured.
	cmd.Env = cleanEnv(os.Environ())
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	f := &facadeProcess{url: "http://" + listen, metricsURL: "http://" + metrics + "/metrics", natsURL: "nats://" + natsListen,
		cmd: cmd, logPath: logPath, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(f.exited) }()
	if err := f.waitServing(ctx, 30*time.Second); err != nil {
		f.stop()
		return nil, fmt.Errorf("%w\n--- facade log (end) ---\n%s", err, f.logTail(4000))
	}
	return f, nil
}

// cleanEnv drops the facade's own settings (FACADE_*, CLOUDREVE_*, NATS_URL,
// OTEL_*) from the environment.
func cleanEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		if strings.HasPrefix(kv, "FACADE_") || strings.HasPrefix(kv, "CLOUDREVE_") ||
			strings.HasPrefix(kv, "NATS_URL=") || strings.HasPrefix(kv, "OTEL_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

func (f *facadeProcess) waitServing(ctx context.Context, limit time.Duration) error {
	t := h2cTransport()
	defer t.CloseIdleConnections()
	health := grpchealth.NewClient(&http.Client{Transport: t, Timeout: time.Second}, f.url, connect.WithGRPC())
	deadline := time.Now().Add(limit)
	for {
		res, err := health.Check(ctx, &grpchealth.CheckRequest{Service: sitev1connect.SiteServiceName})
		if err == nil && res.Status == grpchealth.StatusServing {
			return nil
		}
		select {
		case <-f.exited:
			return fmt.Errorf("the facade exited during start-up (%v)", f.cmd.ProcessState)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the facade was not serving after %s (last answer: %v)", limit, err)
		}
	}
}

func (f *facadeProcess) pid() int { return f.cmd.Process.Pid }

// pprofURL is where --pprof serves profiles: beside /metrics.
func (f *facadeProcess) pprofURL() string {
	return strings.TrimSuffix(f.metricsURL, "/metrics") + "/debug/pprof"
}

// alive reports an early exit as an error, with the log's end.
func (f *facadeProcess) alive() error {
	select {
	case <-f.exited:
		return fmt.Errorf("the facade exited (%v)\n--- facade log (end) ---\n%s", f.cmd.ProcessState, f.logTail(4000))
	default:
		return nil
	}
}

// stop ends the facade with SIGTERM, as an operator would, and kills it if
// it is not gone within 15 s.
func (f *facadeProcess) stop() {
	select {
	case <-f.exited:
		return
	default:
	}
	f.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-f.exited:
	case <-time.After(15 * time.Second):
		f.cmd.Process.Kill()
		<-f.exited
	}
}

func (f *facadeProcess) logTail(n int) string {
	b, err := os.ReadFile(f.logPath)
	if err != nil {
		return err.Error()
	}
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// freeLoopbackPort picks a port nobody listens on now. Another process
// could take it before the facade does; on a benchmark machine that is
// unlikely, and start-up then fails loudly.
func freeLoopbackPort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

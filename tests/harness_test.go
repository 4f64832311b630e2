// Package tests drives the facade binary end to end: a real process, real
// HTTP/2 (h2c) listeners, a real NATS server with JetStream, and the sandbox
// Cloudreve over real HTTP.
package tests

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	connectv1 "connectrpc.com/connect"
	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"
	"connectrpc.com/grpchealth"
	"github.com/nats-io/nats.go"
	"golang.org/x/net/http2"
	"google.golang.org/protobuf/proto"

	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
	"github.com/cloudreve-connect/facade/internal/natsembed"
	"github.com/cloudreve-connect/facade/sandbox"
)

var facadeBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "facade-e2e-")
	if err != nil {
		panic(err)
	}
	facadeBin = filepath.Join(dir, "facade")
	// The build that the Dockerfile and deploy/ use: static, trimmed.
	build := exec.Command("../scripts/build.sh", facadeBin)
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the facade:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// upstreamStub is the sandbox Cloudreve behind a real HTTP listener, with a
// count of the requests it received.
type upstreamStub struct {
	*sandbox.Server
	URL      string
	requests atomic.Int64
	// cutContent is how many of the next file content GETs (signed entity
	// URLs) break after cutAfter bytes, as a dropped connection would.
	cutContent atomic.Int64
	// contentGets counts file content GETs.
	contentGets atomic.Int64
	// seen, when set, is shown every request before the sandbox serves it.
	seen atomic.Pointer[func(*http.Request)]
}

// cutAfter is how much a cut content answer sends before it breaks.
const cutAfter = 64 << 10

// cuttingWriter sends at most left bytes of a body, then drops the
// connection.
type cuttingWriter struct {
	http.ResponseWriter
	left int
}

func (w *cuttingWriter) Write(p []byte) (int, error) {
	if len(p) > w.left {
		w.ResponseWriter.Write(p[:w.left])
		w.ResponseWriter.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}
	w.left -= len(p)
	return w.ResponseWriter.Write(p)
}

func startSandbox(t testing.TB, opts sandbox.Options) *upstreamStub {
	t.Helper()
	if opts.Tick == 0 {
		opts.Tick = 60 * time.Millisecond
	}
	sb, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	u := &upstreamStub{Server: sb}
	handler := sb.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.requests.Add(1)
		if seen := u.seen.Load(); seen != nil {
			(*seen)(r)
		}
		if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, sandbox.APIPrefix+"/file/content/") {
			u.contentGets.Add(1)
			if n := u.cutContent.Load(); n > 0 && u.cutContent.CompareAndSwap(n, n-1) {
				w = &cuttingWriter{ResponseWriter: w, left: cutAfter}
			}
		}
		handler.ServeHTTP(w, r)
	}))
	u.URL = srv.URL
	t.Cleanup(func() { srv.Close(); sb.Close() })
	return u
}

// account is a sandbox user with a token.
type account struct {
	ID, Token, Refresh string
}

func (u *upstreamStub) newAccount(t testing.TB, name string) account {
	t.Helper()
	id, err := u.CreateUser(name+"@example.com", "password-"+name, name)
	if err != nil {
		t.Fatal(err)
	}
	access, refresh, err := u.IssueTokens(id)
	if err != nil {
		t.Fatal(err)
	}
	return account{ID: id, Token: access, Refresh: refresh}
}

func startNATS(t testing.TB) (*natsembed.Server, string) {
	t.Helper()
	ns, err := natsembed.Start(natsembed.Options{Listen: "127.0.0.1:0", StoreDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Shutdown)
	return ns, ns.ClientURL()
}

// facade is one running facade process.
type facade struct {
	URL  string
	cmd  *exec.Cmd
	logs *logBuffer
	done chan struct{}
}

type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func freePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startFacade runs the binary with the given flags (plus a free --listen and
// a private --state-dir unless given) and waits until it reports SERVING.
func startFacade(t testing.TB, args ...string) *facade {
	t.Helper()
	return startFacadeOver(t, h2cClient(), "http", args...)
}

// startFacadeOver is startFacade for a facade reached with client at
// scheme://listen (https for one serving TLS).
func startFacadeOver(t testing.TB, client *http.Client, scheme string, args ...string) *facade {
	t.Helper()
	joined := strings.Join(args, " ")
	if !strings.Contains(joined, "--listen") {
		args = append(args, "--listen", freePort(t))
	}
	if !strings.Contains(joined, "--state-dir") {
		args = append(args, "--state-dir", t.TempDir())
	}
	// Every test stops its facades; the drain's grace (tested on its own in
	// TestDrainOnSIGTERM) would only make that slow.
	if !strings.Contains(joined, "--drain-grace") {
		args = append(args, "--drain-grace", "50ms")
	}
	var listen string
	for i, a := range args {
		if a == "--listen" {
			listen = args[i+1]
		}
	}
	f := &facade{URL: scheme + "://" + listen, logs: &logBuffer{}, done: make(chan struct{})}
	f.cmd = execFacade(args...)
	f.cmd.Stdout, f.cmd.Stderr = f.logs, f.logs
	if err := f.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { f.cmd.Wait(); close(f.done) }()
	t.Cleanup(func() {
		f.stop(t)
		if t.Failed() {
			t.Logf("facade log:\n%s", f.logs.String())
		}
	})
	health := healthClient(client, f.URL)
	var last error
	serving := func() bool {
		select {
		case <-f.done:
			t.Fatalf("facade exited early:\n%s", f.logs.String())
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		res, err := health.Check(ctx, &grpchealth.CheckRequest{Service: workflowv1connect.WorkflowServiceName})
		last = err
		return err == nil && res.Status == grpchealth.StatusServing
	}
	deadline := time.Now().Add(30 * time.Second)
	for !serving() {
		if time.Now().After(deadline) {
			t.Fatalf("facade not serving after 30s (last: %v):\n%s", last, f.logs.String())
		}
		time.Sleep(20 * time.Millisecond) // the polling period, as in eventually
	}
	return f
}

func execFacade(args ...string) *exec.Cmd {
	cmd := exec.Command(facadeBin, args...)
	cmd.Env = append(os.Environ(), "FACADE_LOG_LEVEL=debug")
	return cmd
}

func protoUnmarshal(b []byte, m proto.Message) error { return proto.Unmarshal(b, m) }

// stop ends the process gracefully (SIGTERM) and waits for it.
func (f *facade) stop(t testing.TB) {
	select {
	case <-f.done:
		return
	default:
	}
	f.cmd.Process.Signal(os.Interrupt)
	select {
	case <-f.done:
	case <-time.After(15 * time.Second):
		f.cmd.Process.Kill()
		<-f.done
		t.Errorf("facade did not stop within 15s of SIGTERM")
	}
}

// h2cClient speaks HTTP/2 without TLS, as gRPC needs.
func h2cClient() *http.Client {
	return &http.Client{Transport: &http2.Transport{
		AllowHTTP: true,
		DialTLSContext: func(ctx context.Context, network, addr string, _ *tls.Config) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}}
}

// protocols are the two wire protocols every RPC is tested over.
var protocols = []struct {
	name string
	opts []clientOption
}{
	{"connect", nil},
	{"grpc", []clientOption{viaGRPC}},
}

// clientOption is how a test client calls the facade: with a setting of
// its HTTP transport (the protocol), or with headers sent on every call.
type clientOption struct {
	transport   connecthttp.Option
	interceptor connect.ClientInterceptor
}

// viaGRPC calls with the gRPC protocol (the Connect protocol otherwise).
var viaGRPC = clientOption{transport: connecthttp.WithGRPC()}

// connectClient is a client of the facade at url over hc.
func connectClient(hc *http.Client, url string, opts ...clientOption) *connect.Client {
	var transport []connecthttp.Option
	var interceptors []connect.ClientInterceptor
	for _, o := range opts {
		if o.transport != nil {
			transport = append(transport, o.transport)
		}
		if o.interceptor != nil {
			interceptors = append(interceptors, o.interceptor)
		}
	}
	return connect.NewClient(connecthttp.NewTransport(hc, url, transport...), interceptors...)
}

func workflowClient(f *facade, opts ...clientOption) workflowv1connect.WorkflowServiceClient {
	return workflowv1connect.NewWorkflowServiceClient(connectClient(h2cClient(), f.URL, opts...))
}

// withToken sets the caller's bearer token on every request.
func withToken(token string) clientOption { return withHeaders("Authorization", "Bearer "+token) }

// withHeaders sets request headers (key, value, …) on every call.
func withHeaders(kv ...string) clientOption {
	return clientOption{interceptor: func(next connect.ClientFunc) connect.ClientFunc {
		return func(ctx context.Context, spec connect.Spec) (connect.ClientStream, error) {
			info, _ := connect.CallInfoForClientContext(ctx) // the client's Call methods set it
			for i := 0; i+1 < len(kv); i += 2 {
				info.RequestHeader().Set(kv[i], kv[i+1])
			}
			return next(ctx, spec)
		}
	}}
}

func natsConnect(t *testing.T, url string) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// putFile stores a file in the user's drive through the sandbox REST API.
func (u *upstreamStub) putFile(t *testing.T, a account, uri string, content string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, u.URL+"/api/v4/file/content?uri="+uri, strings.NewReader(content))
	req.Header.Set("Authorization", "Bearer "+a.Token)
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(body), `"code":0`) {
		t.Fatalf("putting %s: %s", uri, body)
	}
}

func readLines(r io.Reader) []string {
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// receiveAll hands each message of a client stream to each until the
// stream ends or each returns false, and tells why the stream ended: nil at
// its clean end or when each stopped it.
func receiveAll[M any](receive func() (M, error), each func(M) bool) error {
	for {
		msg, err := receive()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if each != nil && !each(msg) {
			return nil
		}
	}
}

// healthClient calls the facade's gRPC health service over gRPC. grpchealth
// has no connect-go v2 release here, so its client is a v1 one.
func healthClient(hc *http.Client, url string) *grpchealth.Client {
	return grpchealth.NewClient(hc, url, connectv1.WithGRPC())
}

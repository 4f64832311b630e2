package tests

import (
	"bufio"
	"cmp"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connectproto"
	"google.golang.org/genproto/googleapis/rpc/errdetails"

	sessionv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1/sessionv1connect"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
	"github.com/cloudreve-connect/facade/sandbox"
)

// What the platform team sees: metrics, logs, traces, and the limits.

// scrape reads a Prometheus text endpoint.
func scrape(t testing.TB, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET %s: %s %s", url, resp.Status, body)
	}
	return string(body)
}

// metric sums the samples of one metric whose labels include all of the
// given name="value" pairs; found is false when there is none.
func metric(text, name string, labels ...string) (sum float64, found bool) {
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || !strings.HasPrefix(line, name) {
			continue
		}
		rest := line[len(name):]
		if rest == "" || (rest[0] != ' ' && rest[0] != '{') {
			continue // a longer name with the same prefix
		}
		match := true
		for _, l := range labels {
			match = match && strings.Contains(rest, l)
		}
		if !match {
			continue
		}
		v, err := strconv.ParseFloat(rest[strings.LastIndexByte(rest, ' ')+1:], 64)
		if err == nil {
			sum += v
			found = true
		}
	}
	return sum, found
}

// After a few calls, /metrics shows them: RPCs by method and code, upstream
// HTTP calls, upstream failures by Cloudreve code, the watcher's polls and
// the events it published.
func TestMetricsMoveWithCalls(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	e.up.putFile(t, e.alice, "cloudreve://my/a.txt", "hello")
	before := scrape(t, e.f.URL+"/metrics")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := workflowClient(e.f, withToken(e.alice.Token))
	res, err := c.CreateArchive(ctx, &workflowv1.CreateArchiveRequest{Src: []string{"cloudreve://my/a.txt"}, Dst: "cloudreve://my/a.zip"})
	if err != nil {
		t.Fatal(err)
	}
	streamed := watchAll(t, ctx, c, res.GetTask().GetId())
	if _, err := c.CreateArchive(ctx, &workflowv1.CreateArchiveRequest{Src: []string{"cloudreve://my/a.txt"}, Dst: "cloudreve://my/a.txt"}); connect.CodeOf(err) != connect.CodeAlreadyExists {
		t.Fatalf("archive onto a file: %v", err)
	}
	after := scrape(t, e.f.URL+"/metrics")

	moved := func(name string, atLeast float64, labels ...string) {
		t.Helper()
		was, _ := metric(before, name, labels...)
		now, found := metric(after, name, labels...)
		if !found || now-was < atLeast {
			t.Errorf("%s%v went from %v to %v (found %v), want +%v", name, labels, was, now, found, atLeast)
		}
	}
	const method = `rpc_method="cloudreve.workflow.v1.WorkflowService/`
	moved("rpc_server_call_duration_seconds_count", 1, method+`CreateArchive"`, `rpc_response_status_code="OK"`)
	moved("rpc_server_call_duration_seconds_count", 1, method+`CreateArchive"`, `rpc_response_status_code="ALREADY_EXISTS"`)
	moved("rpc_server_call_duration_seconds_count", 1, method+`WatchTask"`)
	moved("http_client_request_duration_seconds_count", 3)
	moved("facade_upstream_errors_total", 1, `cloudreve_code="40004"`, `cloudreve_operation="createArchive"`)
	moved("facade_watcher_poll_rounds_total", 1)
	moved("facade_watcher_poll_duration_seconds_count", 1)
	moved("facade_events_published_total", float64(len(streamed)))
	for _, name := range []string{"facade_events_deduplicated_total", "facade_events_failed_total", "facade_watcher_tasks_watched", "facade_rpc_streams_open", "facade_watcher_watches_lost_total", "go_goroutines"} {
		if _, found := metric(after, name); !found {
			t.Errorf("no %s in /metrics", name)
		}
	}
	if failed, _ := metric(after, "facade_events_failed_total"); failed != 0 {
		t.Errorf("%v events failed to publish", failed)
	}
}

// recordingProxy forwards to the sandbox and keeps the headers of every
// request it saw.
type recordingProxy struct {
	URL     string
	mu      sync.Mutex
	headers []http.Header
}

func newRecordingProxy(t *testing.T, target string, delay func(*http.Request) time.Duration) *recordingProxy {
	t.Helper()
	u, _ := url.Parse(target)
	forward := httputil.NewSingleHostReverseProxy(u)
	p := &recordingProxy{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.headers = append(p.headers, r.Header.Clone())
		p.mu.Unlock()
		if delay != nil {
			// Read the body first: only then does the server notice a
			// client that hangs up, and end r.Context().
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(strings.NewReader(string(body)))
			select {
			case <-time.After(delay(r)):
			case <-r.Context().Done():
				return
			}
		}
		forward.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

func (p *recordingProxy) seen(header, value string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, h := range p.headers {
		if strings.Contains(h.Get(header), value) {
			return true
		}
	}
	return false
}

// JSON logs name every RPC with its request id and trace id; the request id
// reaches Cloudreve as its correlation id and the trace context as
// traceparent; and no token or password that callers send ever shows up.
func TestLogsTraceAndCorrelateWithoutSecrets(t *testing.T) {
	up := startSandbox(t, sandbox.Options{})
	_, natsURL := startNATS(t)
	alice := up.newAccount(t, "alice")
	up.putFile(t, alice, "cloudreve://my/a.txt", "hello")
	proxy := newRecordingProxy(t, up.URL, nil)
	// A stand-in OTLP/HTTP collector that keeps what it is sent.
	var spans struct {
		sync.Mutex
		bodies []string
	}
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/v1/traces" && r.Header.Get("Content-Type") == "application/x-protobuf" {
			spans.Lock()
			spans.bodies = append(spans.bodies, string(body))
			spans.Unlock()
		}
	}))
	defer collector.Close()
	f := startFacade(t, "--upstream", proxy.URL, "--nats-url", natsURL, "--log-format", "json", "--poll-active", "50ms",
		"--otlp-endpoint", collector.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	const (
		requestID     = "0b8f3e52-6a1f-4f7e-9d3c-1c2b3a4d5e6f"
		failingID     = "5f1e2d3c-4b5a-4968-8776-655443322110"
		traceID       = "4bf92f3577b34da6a3ce929d0e0e4736"
		traceparent   = "00-" + traceID + "-00f067aa0ba902b7-01"
		bogusToken    = "bogus-secret-token-1f2e3d"
		archivePass   = "archive-passphrase-9a8b7c"
		wrongPassword = "wrong-password-5e4d3c"
	)
	var returned []string
	for _, p := range protocols {
		c := workflowClient(f, append(p.opts, withToken(alice.Token), withHeaders("X-Request-Id", requestID, "traceparent", traceparent))...)
		_, err := c.ExtractArchive(ctx, &workflowv1.ExtractArchiveRequest{Src: []string{"cloudreve://my/a.txt"}, Dst: "cloudreve://my", Password: archivePass})
		if err != nil {
			t.Logf("extract: %v", err) // the outcome does not matter here, what is logged does
		}
		failing, call := connect.NewClientContext(ctx)
		_, err = workflowClient(f, append(p.opts, withToken(alice.Token), withHeaders("X-Request-Id", failingID))...).
			CreateArchive(failing, &workflowv1.CreateArchiveRequest{Src: []string{"cloudreve://my/a.txt"}, Dst: "cloudreve://my/a.txt"})
		// The id comes back with the error: in the headers, or (gRPC) the trailers.
		id := cmp.Or(call.ResponseHeader().Get("X-Request-Id"), call.ResponseTrailer().Get("X-Request-Id"))
		if connect.CodeOf(err) == connect.CodeUnknown || id != failingID {
			t.Fatalf("failing call: %v (request id %q)", err, id)
		}
		_, up := errorDetails(t, err)
		if up.GetCorrelationId() != failingID {
			t.Errorf("Cloudreve's correlation id %q, want the request id %q", up.GetCorrelationId(), failingID)
		}
		if _, err := workflowClient(f, append(p.opts, withToken(bogusToken))...).ListTasks(ctx, &workflowv1.ListTasksRequest{PageSize: 10, Category: workflowv1.TaskCategory_TASK_CATEGORY_GENERAL}); connect.CodeOf(err) != connect.CodeUnauthenticated {
			t.Errorf("bogus token: %v", err)
		}
		sessions := sessionv1connect.NewSessionServiceClient(connectClient(h2cClient(), f.URL, p.opts...))
		if _, err := sessions.PasswordSignIn(ctx, &sessionv1.PasswordSignInRequest{Email: "alice@example.com", Password: wrongPassword}); err == nil {
			t.Error("a wrong password signed in")
		}
		signedIn, err := sessions.PasswordSignIn(ctx, &sessionv1.PasswordSignInRequest{Email: "alice@example.com", Password: "password-alice"})
		if err != nil {
			t.Fatal(err)
		}
		tok := signedIn.GetLogin().GetToken()
		if tok.GetAccessToken() == "" || tok.GetRefreshToken() == "" {
			t.Fatalf("sign-in answered %v", signedIn)
		}
		returned = append(returned, tok.GetAccessToken(), tok.GetRefreshToken())
	}
	f.stop(t)
	logs := f.logs.String()
	secrets := map[string]string{"caller's token": alice.Token, "bogus token": bogusToken,
		"archive password": archivePass, "wrong password": wrongPassword, "account password": "password-alice"}
	for i, tok := range returned {
		secrets["token returned by sign-in "+strconv.Itoa(i)] = tok
	}
	for name, secret := range secrets {
		if strings.Contains(logs, secret) {
			t.Errorf("the %s is in the log", name)
		}
	}

	var traced, failed int
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("not a JSON log line: %q", line)
			continue
		}
		if rec["msg"] != "rpc" {
			continue
		}
		switch rec["request_id"] {
		case requestID:
			traced++
			if rec["trace_id"] != traceID || !strings.HasSuffix(rec["procedure"].(string), "/ExtractArchive") {
				t.Errorf("traced call logged as %v", rec)
			}
		case failingID:
			failed++
			if rec["code"] != "already_exists" || rec["upstream_correlation_id"] != failingID || rec["upstream_code"] != float64(40004) {
				t.Errorf("failed call logged as %v", rec)
			}
		}
	}
	if traced != 2 || failed != 2 {
		t.Errorf("found %d traced and %d failed calls in the log, want 2 each:\n%s", traced, failed, logs)
	}
	if !proxy.seen("X-Cr-Correlation-Id", requestID) || !proxy.seen("Traceparent", traceID) {
		t.Errorf("the upstream did not get the request id and trace context")
	}
	// The spans went to the collector (flushed at the latest on shutdown),
	// the caller's trace among them (ids are raw bytes in OTLP protobuf).
	rawTraceID, _ := hex.DecodeString(traceID)
	spans.Lock()
	defer spans.Unlock()
	if !strings.Contains(strings.Join(spans.bodies, ""), string(rawTraceID)) {
		t.Errorf("the collector got %d exports, none with the caller's trace", len(spans.bodies))
	}
}

// The limits: message size, streams open at once, and an upstream call cut
// short by the caller's deadline (or --upstream-timeout) with the facade's
// own DeadlineExceeded and details.
func TestLimits(t *testing.T) {
	up := startSandbox(t, sandbox.Options{})
	_, natsURL := startNATS(t)
	alice := up.newAccount(t, "alice")
	up.putFile(t, alice, "cloudreve://my/a.txt", "hello")
	slow := newRecordingProxy(t, up.URL, func(r *http.Request) time.Duration {
		if strings.HasSuffix(r.URL.Path, "/workflow/archive") {
			return time.Minute
		}
		return 0
	})
	metricsAddr := freePort(t)
	f := startFacade(t, "--upstream", slow.URL, "--nats-url", natsURL, "--max-message-bytes", "2048", "--max-streams", "2",
		"--upstream-timeout", "3s", "--metrics-listen", metricsAddr, "--read-header-timeout", "300ms", "--idle-timeout", "600ms")
	metricsURL := "http://" + metricsAddr + "/metrics"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	for _, p := range protocols {
		c := workflowClient(f, append(p.opts, withToken(alice.Token))...)
		big := &workflowv1.CreateArchiveRequest{Dst: "cloudreve://my/big.zip"}
		for i := 0; i < 100; i++ {
			big.Src = append(big.Src, "cloudreve://my/some/rather/long/path/file-"+strconv.Itoa(i)+".txt")
		}
		if _, err := c.CreateArchive(ctx, big); connect.CodeOf(err) != connect.CodeResourceExhausted {
			t.Errorf("%s: a message over --max-message-bytes: %v", p.name, err)
		}
	}

	// A client that never finishes its headers, and one that stays idle after
	// a request, are both hung up on.
	addr := strings.TrimPrefix(f.URL, "http://")
	for name, send := range map[string]string{
		"--read-header-timeout": "POST /cloudreve.workflow.v1.WorkflowService/ListTasks HTTP/1.1\r\nHost: x\r\n",
		"--idle-timeout":        "GET /metrics-nowhere HTTP/1.1\r\nHost: x\r\n\r\n",
	} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		conn.SetDeadline(start.Add(5 * time.Second))
		io.WriteString(conn, send)
		io.Copy(io.Discard, conn) // until the server closes the connection
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("%s: connection still open after %v", name, took)
		}
		conn.Close()
	}

	// Two streams are the cap; a third is refused until one ends.
	c := workflowClient(f, viaGRPC, withToken(alice.Token))
	openStream := func() (workflowv1connect.WorkflowServiceWatchTasksClientStream, context.CancelFunc) {
		sctx, scancel := context.WithCancel(ctx)
		s, err := c.WatchTasks(sctx, &workflowv1.WatchTasksRequest{})
		if err != nil {
			t.Fatal(err)
		}
		go s.Receive()
		return s, scancel
	}
	waitOpen := func(n float64) {
		t.Helper()
		eventually(t, 10*time.Second, fmt.Sprintf("%v streams open", n), func() bool {
			v, _ := metric(scrape(t, metricsURL), "facade_rpc_streams_open")
			return v == n
		})
	}
	_, stop1 := openStream()
	openStream()
	waitOpen(2)
	third, err := c.WatchTasks(ctx, &workflowv1.WatchTasksRequest{})
	if err == nil {
		_, err = third.Receive()
	}
	if connect.CodeOf(err) != connect.CodeResourceExhausted {
		t.Errorf("a stream over --max-streams: %v", err)
	}
	stop1()
	waitOpen(1)
	openStream()
	waitOpen(2)

	// Cloudreve takes a minute to create an archive: the caller's 2s deadline
	// cuts the upstream call at 1.8s, and the facade answers in time.
	var wg sync.WaitGroup
	for name, timeout := range map[string]time.Duration{"caller's deadline": 2 * time.Second, "--upstream-timeout": 0} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			callCtx, cancel := ctx, context.CancelFunc(func() {})
			if timeout > 0 {
				callCtx, cancel = context.WithTimeout(ctx, timeout)
			}
			defer cancel()
			start := time.Now()
			_, err := c.CreateArchive(callCtx, &workflowv1.CreateArchiveRequest{Src: []string{"cloudreve://my/a.txt"}, Dst: "cloudreve://my/slow.zip"})
			took := time.Since(start)
			var ce *connect.Error
			if !errors.As(err, &ce) || ce.Code() != connect.CodeDeadlineExceeded {
				t.Errorf("%s: %v after %v", name, err, took)
				return
			}
			var info *errdetails.ErrorInfo
			for _, d := range ce.Details() {
				if v, err := connectproto.UnmarshalErrorDetail(d); err == nil {
					if i, ok := v.(*errdetails.ErrorInfo); ok {
						info = i
					}
				}
			}
			if info.GetReason() != "UPSTREAM_UNREACHABLE" || info.GetMetadata()["operation"] != "createArchive" {
				t.Errorf("%s: the facade did not answer itself (%v, details %v) after %v", name, err, info, took)
			}
			if took > 5*time.Second {
				t.Errorf("%s: answered after %v", name, took)
			}
		}()
	}
	wg.Wait()
}

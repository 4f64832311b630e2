package workers

import (
	"bytes"
	"io"
	"log"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// goroutineID reads the running goroutine's number from its stack header,
// "goroutine 42 [running]:" (tests only: there is no API for it).
func goroutineID() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	id, _, _ := strings.Cut(strings.TrimPrefix(string(buf), "goroutine "), " ")
	return id
}

// lockedBuffer collects the server's error log, written from its goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serve runs h behind the pool on a real h2c listener, and returns the base
// URL, an HTTP/2 client, an HTTP/1.1 client and the server's error log.
func serve(t *testing.T, h http.Handler, n int) (string, *http.Client, *http.Client, *lockedBuffer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	errs := &lockedBuffer{}
	srv := &http.Server{Handler: Handler(h, n), Protocols: &protocols, ErrorLog: log.New(errs, "", 0)}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	var h2 http.Protocols
	h2.SetUnencryptedHTTP2(true)
	h2Client := &http.Client{Transport: &http.Transport{Protocols: &h2}, Timeout: 10 * time.Second}
	h1Client := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
	t.Cleanup(h2Client.CloseIdleConnections)
	t.Cleanup(h1Client.CloseIdleConnections)
	return "http://" + ln.Addr().String(), h2Client, h1Client, errs
}

func get(t *testing.T, c *http.Client, url string) (string, error) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// One worker serves HTTP/2 requests one after another on one goroutine;
// HTTP/1.1 requests are left to net/http's connection goroutine.
func TestHTTP2RequestsRunOnAWorker(t *testing.T) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.Proto+" "+goroutineID())
	})
	url, h2, h1, _ := serve(t, handler, 1)

	ids := map[string]bool{}
	for range 5 {
		body, err := get(t, h2, url)
		if err != nil {
			t.Fatal(err)
		}
		proto, id, _ := strings.Cut(body, " ")
		if proto != "HTTP/2.0" {
			t.Fatalf("served over %s, want HTTP/2.0", proto)
		}
		ids[id] = true
	}
	if len(ids) != 1 {
		t.Errorf("5 HTTP/2 requests ran on goroutines %v, want one worker's", ids)
	}

	body, err := get(t, h1, url)
	if err != nil {
		t.Fatal(err)
	}
	proto, id, _ := strings.Cut(body, " ")
	if proto != "HTTP/1.1" || ids[id] {
		t.Errorf("an HTTP/1.1 request ran as %q on goroutine %s (the worker is %v)", proto, id, ids)
	}
}

// A request that finds every worker busy runs on its own goroutine at once.
func TestABusyPoolMakesNobodyWait(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/block" {
			entered <- struct{}{}
			<-release
		}
		io.WriteString(w, "ok")
	})
	url, h2, _, _ := serve(t, handler, 1)

	blocked := make(chan error, 1)
	go func() {
		_, err := get(t, h2, url+"/block")
		blocked <- err
	}()
	<-entered // the only worker is taken
	body, err := get(t, h2, url+"/quick")
	if err != nil || body != "ok" {
		t.Fatalf("with the worker busy: %q, %v", body, err)
	}
	close(release)
	if err := <-blocked; err != nil {
		t.Fatal(err)
	}
}

// A handler that panics or ends its goroutine fails its own request only:
// net/http sees the panic on its goroutine (and logs it with the handler's
// stack, except http.ErrAbortHandler), and the pool keeps serving.
func TestAFailingHandlerFailsItsRequestOnly(t *testing.T) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/panic":
			panic("the handler broke")
		case "/abort":
			panic(http.ErrAbortHandler)
		case "/goexit":
			runtime.Goexit()
		}
		io.WriteString(w, "ok")
	})
	url, h2, _, errs := serve(t, handler, 1)

	for _, path := range []string{"/panic", "/abort", "/goexit"} {
		if body, err := get(t, h2, url+path); err == nil {
			t.Errorf("%s answered %q, want a failed stream", path, body)
		}
		if body, err := get(t, h2, url+"/ok"); err != nil || body != "ok" {
			t.Fatalf("after %s: %q, %v", path, body, err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(errs.String(), "ended its goroutine") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	log := errs.String()
	for _, want := range []string{"the handler broke", "handler goroutine's stack", "TestAFailingHandlerFailsItsRequestOnly", "/goexit ended its goroutine"} {
		if !strings.Contains(log, want) {
			t.Errorf("the server's log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, "abort Handler") {
		t.Errorf("http.ErrAbortHandler was logged:\n%s", log)
	}
}

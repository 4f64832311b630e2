package sandbox

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"
)

// Server is one sandbox Cloudreve. Build it with Start (in a test), NewServer
// (listening) or New (a handler to mount yourself); Close it when done.
type Server struct {
	c    *cloudreve
	opts Options // with defaults filled in

	http *http.Server // nil unless listening
	url  string
}

// New builds a sandbox without listening: serve Handler yourself (as the
// facade does) or use NewServer. The task queue runs from now until Close.
func New(opts Options) (*Server, error) {
	opts, version, err := opts.checked()
	if err != nil {
		return nil, err
	}
	return &Server{c: newCloudreve(opts, version), opts: opts}, nil
}

// NewServer builds a sandbox and serves it on Options.Addr (a random
// loopback port by default); URL says where.
func NewServer(opts Options) (*Server, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		s.c.store.close()
		return nil, err
	}
	s.url = "http://" + ln.Addr().String()
	s.http = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.http.Serve(ln) }()
	return s, nil
}

// Start serves a sandbox on a random loopback port until the test ends:
//
//	sb := sandbox.Start(t, sandbox.Options{})
//	client, _ := cloudreveapi.NewClient(sb.APIURL())
//
// Bad Options fail the test.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// Handler serves the API under APIPrefix, plus the routes outside the
// contract (signed downloads, direct links, the stand-in S3 bucket).
func (s *Server) Handler() http.Handler { return s.c.handler }

// URL is the base URL the sandbox listens on, e.g. http://127.0.0.1:40193
// (what Cloudreve's site URL would be); "" when built with New.
func (s *Server) URL() string { return s.url }

// APIURL is where the API is served: URL + APIPrefix.
func (s *Server) APIURL() string {
	if s.url == "" {
		return ""
	}
	return s.url + APIPrefix
}

// Options are the settings in use, defaults filled in.
func (s *Server) Options() Options { return s.opts }

// Close stops the listener (if any), the task queue and every task
// goroutine. Tasks still running stay in whatever state they reached. Close
// is idempotent.
func (s *Server) Close() {
	if s.http != nil {
		_ = s.http.Close() // also cancels the requests held back by a Fault's Delay
	}
	s.c.store.close()
}

// Pause stops the task queue's polls: queued and suspended tasks stay where
// they are until Step, Drain or Resume. Phases that take time rather than
// polls (upload progress, a download's transfer) still run out.
func (s *Server) Pause() { s.c.store.setPaused(true) }

// Resume lets the task queue poll every Tick again.
func (s *Server) Resume() { s.c.store.setPaused(false) }

// Step polls the task queue once, paused or not, and returns when every task
// has reacted: it waits for the next poll, is in a timed phase, or finished.
// An archive task, for example, goes queued → compressing → uploading →
// progress in three steps, and completes half a Tick after the third.
func (s *Server) Step() { s.c.store.step() }

// Drain polls the task queue until no task is left running, or ctx ends.
// Stalled downloads (DownloaderSlowPrefix) never finish: cancel them first.
func (s *Server) Drain(ctx context.Context) error { return s.c.store.drain(ctx) }

// InjectFault makes calls of an operation fail or slow down (see Fault).
// The operation is named as in the Cloudreve spec, by operationId
// ("createArchive") or by Go name ("CreateArchive"); faults added for the
// same operation apply in turn.
func (s *Server) InjectFault(operation string, f Fault) error { return s.c.faults.add(operation, f) }

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() { s.c.faults.clear() }

package sandbox

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
)

// env is one sandbox behind a real HTTP listener.
type env struct {
	t   *testing.T
	s   *Server
	srv *httptest.Server
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	if opts.Tick == 0 {
		opts.Tick = 30 * time.Millisecond
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		srv.Close()
		s.Close()
	})
	return &env{t: t, s: s, srv: srv}
}

// client talks to the sandbox with an access token ("" for a guest).
func (e *env) client(token string) *cloudreveapi.ClientWithResponses {
	e.t.Helper()
	c, err := cloudreveapi.NewClientWithResponses(e.srv.URL+APIPrefix,
		cloudreveapi.WithRequestEditorFn(func(ctx context.Context, req *http.Request) error {
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			return nil
		}))
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// user seeds an account and returns its id and a client signed in as it.
func (e *env) user(email string) (string, *cloudreveapi.ClientWithResponses) {
	e.t.Helper()
	uid, err := e.s.CreateUser(email, "password123", "")
	if err != nil {
		e.t.Fatal(err)
	}
	access, _, err := e.s.IssueTokens(uid)
	if err != nil {
		e.t.Fatal(err)
	}
	return uid, e.client(access)
}

var bg = context.Background()

// code fails the test unless an envelope carries the wanted code.
func code(t *testing.T, what string, got, want int, msg string) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: code %d (%q), want %d", what, got, msg, want)
	}
}

// must unwraps a client call; a transport error is a bug in the test setup.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(3 * time.Millisecond)
	}
}

func mkdir(t *testing.T, c *cloudreveapi.ClientWithResponses, uri string) {
	t.Helper()
	r := must(c.CreateFileWithResponse(bg, cloudreveapi.CreateFileJSONRequestBody{Uri: uri, Type: cloudreveapi.CreateFileServiceTypeFolder}))
	code(t, "mkdir "+uri, r.JSON200.Code, 0, r.JSON200.Msg)
}

func put(t *testing.T, c *cloudreveapi.ClientWithResponses, uri, content string) *cloudreveapi.FileResponse {
	t.Helper()
	r := must(c.UpdateFileContentWithBodyWithResponse(bg, &cloudreveapi.UpdateFileContentParams{Uri: uri},
		"application/octet-stream", strings.NewReader(content)))
	code(t, "put "+uri, r.JSON200.Code, 0, r.JSON200.Msg)
	return r.JSON200.Data
}

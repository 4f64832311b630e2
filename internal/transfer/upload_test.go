package transfer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/sandbox"
)

// rig is a sandbox Cloudreve with one account and an Uploader for it.
type rig struct {
	sb    *sandbox.Server
	srv   *httptest.Server
	user  string
	up    *Uploader
	flaky *flaky
}

func newRig(t *testing.T, opts sandbox.Options) *rig {
	t.Helper()
	sb, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(func() { srv.Close(); sb.Close() })
	uid, err := sb.CreateUser("ann@example.com", "password", "Ann")
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := sb.IssueTokens(uid)
	if err != nil {
		t.Fatal(err)
	}
	// The facade's own transport: chunk bodies go out through WriteTo.
	pool := upstream.NewPool(upstream.PoolOptions{})
	t.Cleanup(pool.CloseIdleConnections)
	f := &flaky{base: pool}
	api, err := cloudreveapi.NewClient(srv.URL+sandbox.APIPrefix,
		cloudreveapi.WithHTTPClient(&http.Client{Transport: f}),
		cloudreveapi.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+tok)
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	up := &Uploader{API: api, HTTP: &http.Client{Transport: f}, APIBase: srv.URL + sandbox.APIPrefix,
		Retry: Retry{Backoff: time.Millisecond}}
	return &rig{sb: sb, srv: srv, user: uid, up: up, flaky: f}
}

func (r *rig) upload(t *testing.T, uri string, src io.Reader, size int64) (*Result, error) {
	t.Helper()
	return r.up.Upload(context.Background(), cloudreveapi.CreateUploadSessionService{Uri: uri, Size: &size}, src)
}

// flaky is a transport that fails chosen requests: before they reach the
// server, or after (the answer lost).
type flaky struct {
	base http.RoundTripper
	mu   sync.Mutex
	// fail decides, per request, whether to fail it and whether the server
	// should see it first.
	fail func(req *http.Request) (fail, after bool)
	// cut, when it says so, reads a few bytes of the request body and then
	// drops the connection.
	cut   func(req *http.Request) bool
	calls []string
}

func (f *flaky) RoundTrip(req *http.Request) (*http.Response, error) {
	f.mu.Lock()
	f.calls = append(f.calls, req.Method+" "+req.URL.Path)
	fail, after := false, false
	if f.fail != nil {
		fail, after = f.fail(req)
	}
	f.mu.Unlock()
	if f.cut != nil && f.cut(req) {
		io.ReadFull(req.Body, make([]byte, 3))
		return nil, errors.New("connection cut by test")
	}
	if fail && !after {
		return nil, errors.New("connection reset by test")
	}
	resp, err := f.base.RoundTrip(req)
	if fail && err == nil {
		resp.Body.Close()
		return nil, errors.New("answer lost by test")
	}
	return resp, err
}

func (f *flaky) count(prefix string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestUploadReslicesIntoChunks(t *testing.T) {
	r := newRig(t, sandbox.Options{ChunkSize: 7})
	data := content(100)
	res, err := r.upload(t, "cloudreve://my/dir/data.bin", newSlices(data, 3, 11), 100)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.sb.ReadFile(r.user, "cloudreve://my/dir/data.bin")
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("stored %d bytes (%v)", len(got), err)
	}
	if res.Chunks != 15 || res.Bytes != 100 || res.SHA256 != sha(data) || res.URI != "cloudreve://my/dir/data.bin" {
		t.Errorf("result %+v", res)
	}
	if n := r.flaky.count("POST /api/v4/file/upload/"); n != 15 {
		t.Errorf("%d chunk requests", n)
	}

	// An empty file is one empty chunk.
	if _, err := r.upload(t, "cloudreve://my/empty", bytes.NewReader(nil), 0); err != nil {
		t.Fatal(err)
	}
	if got, err := r.sb.ReadFile(r.user, "cloudreve://my/empty"); err != nil || len(got) != 0 {
		t.Errorf("empty file %q %v", got, err)
	}
}

func TestUploadRetriesFailedChunks(t *testing.T) {
	r := newRig(t, sandbox.Options{ChunkSize: 10})
	seen := map[string]int{}
	r.flaky.fail = func(req *http.Request) (bool, bool) {
		if req.Method != http.MethodPost || !strings.Contains(req.URL.Path, "/file/upload/") {
			return false, false
		}
		seen[req.URL.Path]++
		switch {
		case strings.HasSuffix(req.URL.Path, "/1"):
			return seen[req.URL.Path] <= 2, false // twice before the server
		case strings.HasSuffix(req.URL.Path, "/3"):
			return seen[req.URL.Path] == 1, true // the last chunk lands, its answer is lost
		}
		return false, false
	}
	data := content(35)
	res, err := r.upload(t, "cloudreve://my/retried.bin", newSlices(data, 5, 4), 35)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := r.sb.ReadFile(r.user, "cloudreve://my/retried.bin"); !bytes.Equal(got, data) || res.SHA256 != sha(data) {
		t.Errorf("stored %d bytes", len(got))
	}
	if n := r.flaky.count("POST /api/v4/file/upload/"); n != 7 {
		t.Errorf("%d chunk requests, want 4 chunks + 3 retries", n)
	}
}

// A chunk sent while it is still being read from the caller, and cut off
// midway, is resent whole from what was kept.
func TestUploadResendsALiveChunkCutMidway(t *testing.T) {
	r := newRig(t, sandbox.Options{ChunkSize: 10})
	cuts := 0
	r.flaky.cut = func(req *http.Request) bool {
		if req.Method == http.MethodPost && strings.Contains(req.URL.Path, "/file/upload/") && strings.HasSuffix(req.URL.Path, "/1") && cuts < 2 {
			cuts++
			return true
		}
		return false
	}
	data := content(33)
	res, err := r.upload(t, "cloudreve://my/cut.bin", newSlices(data, 11, 3), 33)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := r.sb.ReadFile(r.user, "cloudreve://my/cut.bin"); !bytes.Equal(got, data) || res.SHA256 != sha(data) || cuts != 2 {
		t.Errorf("stored %d bytes after %d cuts", len(got), cuts)
	}

	// The caller's stream breaking in the middle of a live chunk is the
	// error, and nothing is left behind.
	broken := errors.New("caller went away")
	src := io.MultiReader(bytes.NewReader(content(15)), errReader{broken})
	if _, err := r.upload(t, "cloudreve://my/broken.bin", src, 40); !errors.Is(err, broken) {
		t.Fatalf("upload: %v", err)
	}
	if _, err := r.sb.ReadFile(r.user, "cloudreve://my/broken.bin"); err == nil || r.sb.UploadSessions() != 0 {
		t.Errorf("a broken upload left its file or session (%v)", err)
	}
}

func TestFailedUploadLeavesNothing(t *testing.T) {
	r := newRig(t, sandbox.Options{ChunkSize: 4})
	broken := errors.New("caller went away")
	src := io.MultiReader(bytes.NewReader(content(9)), errReader{broken})
	if _, err := r.upload(t, "cloudreve://my/aborted.bin", src, 20); !errors.Is(err, broken) {
		t.Fatalf("upload: %v", err)
	}
	if _, err := r.upload(t, "cloudreve://my/short.bin", bytes.NewReader(content(5)), 20); !errors.Is(err, ErrSizeMismatch) {
		t.Fatalf("short upload: %v", err)
	}
	// A chunk that keeps failing gives up after the attempts.
	r.flaky.fail = func(req *http.Request) (bool, bool) {
		return strings.Contains(req.URL.Path, "/file/upload/") && req.Method == http.MethodPost, false
	}
	if _, err := r.upload(t, "cloudreve://my/down.bin", bytes.NewReader(content(5)), 5); !Retryable(err) {
		t.Fatalf("upload to a dead upstream: %v", err)
	}
	r.flaky.fail = nil
	for _, uri := range []string{"cloudreve://my/aborted.bin", "cloudreve://my/short.bin", "cloudreve://my/down.bin"} {
		if _, err := r.sb.ReadFile(r.user, uri); err == nil {
			t.Errorf("%s exists", uri)
		}
	}
	if n := r.sb.UploadSessions(); n != 0 {
		t.Errorf("%d upload sessions left", n)
	}
	if n := r.flaky.count("DELETE /api/v4/file/upload"); n != 3 {
		t.Errorf("%d session deletions", n)
	}
}

func TestUploadThroughPresignedS3(t *testing.T) {
	r := newRig(t, sandbox.Options{ChunkSize: 8, StoragePolicy: "s3"})
	data := content(30)
	res, err := r.upload(t, "cloudreve://my/s3.bin", newSlices(data, 9, 6), 30)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := r.sb.ReadFile(r.user, "cloudreve://my/s3.bin"); !bytes.Equal(got, data) || res.Chunks != 4 {
		t.Errorf("stored %d bytes in %d chunks", len(got), res.Chunks)
	}
	if r.flaky.count("PUT /sandbox-s3/") != 4 || r.flaky.count("POST /sandbox-s3/") != 1 || r.flaky.count("GET /api/v4/callback/s3/") != 1 {
		t.Errorf("calls %v", r.flaky.calls)
	}
}

// A caller that leaves while the session is being created still leaves
// nothing behind: the session is created, then removed.
func TestCallerLeavingDuringSessionCreation(t *testing.T) {
	r := newRig(t, sandbox.Options{ChunkSize: 4})
	ctx, cancel := context.WithCancel(context.Background())
	r.flaky.fail = func(req *http.Request) (bool, bool) {
		if req.Method == http.MethodPut && strings.HasSuffix(req.URL.Path, "/file/upload") {
			cancel()
		}
		return false, false
	}
	size := int64(10)
	_, err := r.up.Upload(ctx, cloudreveapi.CreateUploadSessionService{Uri: "cloudreve://my/left.bin", Size: &size}, bytes.NewReader(content(10)))
	if err == nil {
		t.Fatal("an upload of a caller who left succeeded")
	}
	if n := r.sb.UploadSessions(); n != 0 {
		t.Errorf("%d upload sessions left", n)
	}
	if _, err := r.sb.ReadFile(r.user, "cloudreve://my/left.bin"); err == nil {
		t.Error("the placeholder is still there")
	}
}

// Uploads one after another, and side by side, with chunks big enough that
// their buffers are kept for the next upload: each file holds its own bytes.
func TestUploadsReusingChunkBuffersKeepTheirContent(t *testing.T) {
	const chunk = minMapped
	r := newRig(t, sandbox.Options{ChunkSize: chunk})
	var wg sync.WaitGroup
	for i := range 6 {
		data := bytes.Repeat([]byte{byte('a' + i)}, 2*chunk+i*1000)
		uri := fmt.Sprintf("cloudreve://my/reused-%d.bin", i)
		upload := func() {
			res, err := r.upload(t, uri, newSlices(data, 64<<10, 100<<10), int64(len(data)))
			if err != nil {
				t.Errorf("%s: %v", uri, err)
				return
			}
			got, err := r.sb.ReadFile(r.user, uri)
			if err != nil || !bytes.Equal(got, data) || res.SHA256 != sha(data) {
				t.Errorf("%s: stored %d bytes, want %d of %q (%v)", uri, len(got), len(data), data[0], err)
			}
		}
		if i < 3 {
			upload() // one after another
		} else {
			wg.Go(upload) // side by side
		}
	}
	wg.Wait()
}

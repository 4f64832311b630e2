package transfer

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
)

// fakeCloud is a Cloudreve that hands out sessions of one storage policy
// type, and the provider behind it; it records what reached both.
type fakeCloud struct {
	t      *testing.T
	kind   string
	chunk  int64
	srv    *httptest.Server
	mu     sync.Mutex
	parts  map[string][]byte // by part key
	stored []byte            // assembled content
	calls  []string
}

func newFakeCloud(t *testing.T, kind string, chunk int64) *fakeCloud {
	f := &fakeCloud{t: t, kind: kind, chunk: chunk, parts: map[string][]byte{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeCloud) uploader() *Uploader {
	api, err := cloudreveapi.NewClient(f.srv.URL + "/api/v4")
	if err != nil {
		f.t.Fatal(err)
	}
	return &Uploader{API: api, HTTP: http.DefaultClient, APIBase: f.srv.URL + "/api/v4"}
}

func (f *fakeCloud) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, r.Method+" "+r.URL.Path)
	ok := func() { w.Header().Set("Content-Type", "application/json"); w.Write([]byte(`{"code":0,"msg":""}`)) }
	switch {
	case r.Method == http.MethodPut && r.URL.Path == "/api/v4/file/upload":
		var req cloudreveapi.CreateUploadSessionService
		json.Unmarshal(body, &req)
		n := Count(*req.Size, f.chunk)
		sess := map[string]any{"session_id": "sid", "upload_id": "uid", "chunk_size": f.chunk, "expires": 1, "uri": req.Uri,
			"callback_secret": "key", "credential": "cred", "upload_policy": "pol",
			"storage_policy": map[string]any{"id": "p", "name": "p", "type": f.kind, "max_size": 0}}
		var urls []string
		switch f.kind {
		case "onedrive", "qiniu", "upyun", "remote":
			urls = []string{f.srv.URL + "/store/" + f.kind}
		default:
			for i := range n {
				urls = append(urls, f.srv.URL+"/store/part/"+strconv.Itoa(i+1))
			}
			sess["completeURL"] = f.srv.URL + "/store/complete"
		}
		sess["upload_urls"] = urls
		b, _ := json.Marshal(map[string]any{"code": 0, "data": sess})
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	case r.Method == http.MethodDelete && r.URL.Path == "/api/v4/file/upload":
		ok()
	case strings.HasPrefix(r.URL.Path, "/api/v4/callback/"):
		if !strings.HasSuffix(r.URL.Path, "/sid/key") {
			w.WriteHeader(http.StatusUnauthorized)
		}
		ok()
	case strings.HasPrefix(r.URL.Path, "/store/part/"):
		f.parts[strings.TrimPrefix(r.URL.Path, "/store/part/")] = body
		w.Header().Set("ETag", fmt.Sprintf(`"etag-%d"`, len(body)))
	case r.URL.Path == "/store/complete":
		if f.kind == "oss" {
			if r.Header.Get("X-Oss-Complete-All") != "yes" || len(body) != 0 {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			for i := 1; i <= len(f.parts); i++ {
				f.stored = append(f.stored, f.parts[strconv.Itoa(i)]...)
			}
			return
		}
		var doc struct {
			Parts []struct {
				PartNumber int
				ETag       string
			} `xml:"Part"`
		}
		if err := xml.Unmarshal(body, &doc); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		for _, p := range doc.Parts {
			data := f.parts[strconv.Itoa(p.PartNumber)]
			if p.ETag != fmt.Sprintf(`"etag-%d"`, len(data)) {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			f.stored = append(f.stored, data...)
		}
	case r.URL.Path == "/store/onedrive":
		var from, to, total int64
		fmt.Sscanf(r.Header.Get("Content-Range"), "bytes %d-%d/%d", &from, &to, &total)
		if from != int64(len(f.stored)) || to-from+1 != int64(len(body)) {
			w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
			return
		}
		f.stored = append(f.stored, body...)
		if int64(len(f.stored)) < total {
			w.WriteHeader(http.StatusAccepted)
		} else {
			w.WriteHeader(http.StatusCreated)
		}
	case strings.HasPrefix(r.URL.Path, "/store/qiniu"):
		if r.Header.Get("Authorization") != "UpToken cred" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPut {
			f.parts[strings.TrimPrefix(r.URL.Path, "/store/qiniu/")] = body
			fmt.Fprintf(w, `{"etag":"q%d"}`, len(body))
			return
		}
		var done struct {
			Parts []struct {
				Etag       string `json:"etag"`
				PartNumber int    `json:"partNumber"`
			} `json:"parts"`
		}
		json.Unmarshal(body, &done)
		for _, p := range done.Parts {
			f.stored = append(f.stored, f.parts[strconv.Itoa(p.PartNumber)]...)
		}
	case r.URL.Path == "/store/remote":
		if r.Header.Get("Authorization") != "cred" || r.URL.Query().Get("chunk") != strconv.Itoa(int(int64(len(f.stored))/f.chunk)) {
			w.Write([]byte(`{"code":40012,"msg":"bad chunk"}`))
			return
		}
		f.stored = append(f.stored, body...)
		ok()
	case r.URL.Path == "/store/upyun":
		mr, err := multipart.NewReader(bytes.NewReader(body), strings.TrimPrefix(r.Header.Get("Content-Type"), "multipart/form-data; boundary=")).ReadForm(1 << 20)
		if err != nil || mr.Value["policy"][0] != "pol" || mr.Value["authorization"][0] != "cred" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		fh, _ := mr.File["file"][0].Open()
		f.stored, _ = io.ReadAll(fh)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeCloud) called(prefix string) int {
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

func TestUploadToProviders(t *testing.T) {
	for _, tc := range []struct {
		kind     string
		callback string // the callback the client must make, if any
	}{
		{"s3", "GET /api/v4/callback/s3/sid/key"},
		{"cos", "GET /api/v4/callback/cos/sid/key"},
		{"ks3", "GET /api/v4/callback/ks3/sid/key"},
		{"onedrive", "POST /api/v4/callback/onedrive/sid/key"},
		{"obs", ""},
		{"oss", ""},
		{"qiniu", ""},
		{"remote", ""},
		{"upyun", ""},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			f := newFakeCloud(t, tc.kind, 8)
			data := content(29)
			size := int64(len(data))
			res, err := f.uploader().Upload(context.Background(), cloudreveapi.CreateUploadSessionService{Uri: "cloudreve://my/x", Size: &size}, newSlices(data, 2, 5))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(f.stored, data) || res.SHA256 != sha(data) {
				t.Errorf("provider stored %d bytes; calls %v", len(f.stored), f.calls)
			}
			callbacks := f.called("GET /api/v4/callback/") + f.called("POST /api/v4/callback/")
			if (tc.callback == "" && callbacks != 0) || (tc.callback != "" && (callbacks != 1 || f.called(tc.callback) != 1)) {
				t.Errorf("callbacks: %v", f.calls)
			}
			if f.called("DELETE") != 0 {
				t.Errorf("a successful upload deleted its session: %v", f.calls)
			}
		})
	}
}

func TestUploadToProviderFailureAbortsSession(t *testing.T) {
	f := newFakeCloud(t, "onedrive", 8)
	f.mu.Lock()
	f.stored = []byte("stray") // the provider now refuses every range
	f.mu.Unlock()
	size := int64(10)
	_, err := f.uploader().Upload(context.Background(), cloudreveapi.CreateUploadSessionService{Uri: "cloudreve://my/x", Size: &size}, bytes.NewReader(content(10)))
	var se *StoreError
	if !errors.As(err, &se) || se.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		t.Fatalf("upload: %v", err)
	}
	if f.called("DELETE /api/v4/file/upload") != 1 {
		t.Errorf("calls %v", f.calls)
	}
}

// Presigned URLs are credentials: a failed request never quotes them.
func TestStoreErrorsHideURLs(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	target := dead.URL + "/bucket/part?X-Amz-Signature=secret123"
	_, _, err := store(context.Background(), http.DefaultClient, "s3 part 1", http.MethodPut, target, nil, strings.NewReader("x"), 1, http.StatusOK)
	var se *StoreError
	if !errors.As(err, &se) || se.StatusCode != 0 || strings.Contains(err.Error(), "secret123") || !Retryable(err) {
		t.Errorf("error %v", err)
	}
	d := &Downloader{HTTP: http.DefaultClient, Retry: Retry{Attempts: 1}}
	_, err = d.Download(context.Background(), target, Range{}, func(*Info, []byte) error { return nil })
	if err == nil || strings.Contains(err.Error(), "secret123") {
		t.Errorf("download error %v", err)
	}
}

// A session with chunk size 0 takes the whole file in one streamed request.
func TestUploadInOneRequest(t *testing.T) {
	f := newFakeCloud(t, "s3", 0)
	data := content(1000)
	size := int64(len(data))
	res, err := f.uploader().Upload(context.Background(), cloudreveapi.CreateUploadSessionService{Uri: "cloudreve://my/x", Size: &size}, newSlices(data, 4, 33))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(f.stored, data) || res.Chunks != 1 || res.SHA256 != sha(data) || f.called("PUT /store/part/") != 1 {
		t.Errorf("stored %d bytes; calls %v", len(f.stored), f.calls)
	}
	size = 2000
	if _, err := f.uploader().Upload(context.Background(), cloudreveapi.CreateUploadSessionService{Uri: "cloudreve://my/y", Size: &size}, bytes.NewReader(data)); !errors.Is(err, ErrSizeMismatch) {
		t.Errorf("short content: %v", err)
	}
}

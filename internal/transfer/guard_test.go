package transfer

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/sandbox"
)

// The check before the last chunk runs once, after the other chunks went
// out; when it fails, the last chunk is not sent and the session goes, so
// the file keeps its version.
func TestUploadGuardedStopsBeforeTheLastChunk(t *testing.T) {
	r := newRig(t, sandbox.Options{ChunkSize: 4})
	uri := "cloudreve://my/guarded.bin"
	if err := r.sb.WriteFile(r.user, uri, []byte("old")); err != nil {
		t.Fatal(err)
	}
	version := cloudreveapi.CreateUploadSessionServiceEntityTypeVersion
	size := int64(10)
	req := cloudreveapi.CreateUploadSessionService{Uri: uri, Size: &size, EntityType: &version}
	stale := errors.New("stale")
	var sentBefore []int
	_, err := r.up.UploadGuarded(context.Background(), req, bytes.NewReader(content(10)), func(context.Context) error {
		sentBefore = append(sentBefore, r.flaky.count("POST /api/v4/file/upload/"))
		return stale
	})
	if !errors.Is(err, stale) {
		t.Fatalf("upload: %v", err)
	}
	if len(sentBefore) != 1 || sentBefore[0] != 2 {
		t.Errorf("the check ran %d times, after %v chunks (want once, after 2)", len(sentBefore), sentBefore)
	}
	if n := r.flaky.count("POST /api/v4/file/upload/"); n != 2 {
		t.Errorf("%d chunks sent", n)
	}
	if got, err := r.sb.ReadFile(r.user, uri); err != nil || string(got) != "old" {
		t.Errorf("file %q %v", got, err)
	}
	if n := r.sb.UploadSessions(); n != 0 {
		t.Errorf("%d upload sessions left", n)
	}

	// A check that passes lets the upload finish.
	res, err := r.up.UploadGuarded(context.Background(), req, bytes.NewReader(content(10)), func(context.Context) error { return nil })
	if err != nil || res.Chunks != 3 {
		t.Fatalf("upload: %+v %v", res, err)
	}
	if got, _ := r.sb.ReadFile(r.user, uri); !strings.EqualFold(sha(got), sha(content(10))) {
		t.Errorf("file not replaced")
	}
}

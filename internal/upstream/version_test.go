package upstream_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/sandbox"
)

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]upstream.Version{
		"4.18.0":        {Major: 4, Minor: 18},
		"4.0.0":         {Major: 4},
		"4.14.1-pro":    {Major: 4, Minor: 14, Patch: 1, Pro: true},
		"4.0.0-alpha.1": {Major: 4},
	} {
		got, err := upstream.ParseVersion(in)
		if err != nil || got != want {
			t.Errorf("%q: %+v %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "4.18", "v4.18.0", "4.x.0", "0.0.0", "4.-1.0"} {
		if _, err := upstream.ParseVersion(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	v := upstream.V(4, 18, 0)
	if !v.AtLeast(4, 18, 0) || !v.AtLeast(4, 9, 9) || v.AtLeast(4, 18, 1) || v.AtLeast(5, 0, 0) {
		t.Error("AtLeast")
	}
	if upstream.FeatureUploadPrevious.In(upstream.V(4, 10, 1)) || !upstream.FeatureUploadPrevious.In(upstream.V(4, 11, 0)) {
		t.Error("Feature.In")
	}
	if !upstream.FeatureUploadPrevious.In(upstream.Version{}) {
		t.Error("an unknown version should be taken as new enough")
	}
	if (upstream.Version{Pro: true}).Known() || upstream.V(4, 0, 0).String() != "4.0.0" || (upstream.Version{}).String() != "unknown" {
		t.Error("Known/String")
	}
}

// switchable is an upstream whose release can change, and which can be
// made unreachable.
type switchable struct {
	handler atomic.Pointer[http.Handler]
	down    atomic.Bool
}

func (s *switchable) serve(t *testing.T, release string) {
	sb, err := sandbox.New(sandbox.Options{Version: release})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	h := sb.Handler()
	s.handler.Store(&h)
}

func (s *switchable) Do(req *http.Request) (*http.Response, error) {
	if s.down.Load() {
		return nil, errors.New("connection refused (test)")
	}
	rec := httptest.NewRecorder()
	(*s.handler.Load()).ServeHTTP(rec, req)
	return rec.Result(), nil
}

// The tracker reads the release on demand while it is unknown, and again
// when the upstream answers after an outage.
func TestVersionTrackerReadsAgainAfterAnOutage(t *testing.T) {
	up := &switchable{}
	up.serve(t, sandbox.Version40)
	up.down.Store(true)
	client, err := cloudreveapi.NewClient("http://upstream"+sandbox.APIPrefix, cloudreveapi.WithHTTPClient(up))
	if err != nil {
		t.Fatal(err)
	}
	tracker := upstream.NewVersionTracker(client, nil)
	changed := make(chan upstream.Version, 4)
	tracker.OnChange = func(v upstream.Version) { changed <- v }
	observed, err := cloudreveapi.NewClient("http://upstream"+sandbox.APIPrefix, cloudreveapi.WithHTTPClient(tracker.Observe(up)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// Down at start: no version, and Get says why.
	if _, err := tracker.Refresh(ctx); err == nil {
		t.Fatal("read a version from a dead upstream")
	}
	var te *upstream.TransportError
	if _, err := tracker.Get(ctx); !errors.As(err, &te) {
		t.Fatalf("Get: %v", err)
	}
	// It comes up: the first answer through the observed client reads it.
	up.down.Store(false)
	if _, err := observed.GetStorageCapacity(ctx); err != nil {
		t.Fatal(err)
	}
	if v := wait(t, changed); v != upstream.V(4, 0, 0) {
		t.Fatalf("read %v", v)
	}
	// Answers while it stays up read nothing again.
	if _, err := observed.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	// An outage, and another release comes back.
	up.down.Store(true)
	if _, err := observed.Ping(ctx); err == nil {
		t.Fatal("no outage")
	}
	up.serve(t, sandbox.Version)
	up.down.Store(false)
	if _, err := observed.GetStorageCapacity(ctx); err != nil {
		t.Fatal(err)
	}
	if v := wait(t, changed); v != upstream.V(4, 18, 0) {
		t.Fatalf("read %v", v)
	}
	if v, ok := tracker.Current(); !ok || v != upstream.V(4, 18, 0) {
		t.Errorf("current %v %v", v, ok)
	}
	select {
	case v := <-changed:
		t.Errorf("read once more: %v", v)
	default:
	}
}

func wait(t *testing.T, ch <-chan upstream.Version) upstream.Version {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("the version was not read")
		return upstream.Version{}
	}
}

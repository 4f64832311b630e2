package upstream

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestCallTimeout(t *testing.T) {
	now := time.Now()
	at := func(d time.Duration) context.Context {
		ctx, cancel := context.WithDeadline(context.Background(), now.Add(d))
		t.Cleanup(cancel)
		return ctx
	}
	for _, tc := range []struct {
		name    string
		ctx     context.Context
		limit   time.Duration
		want    time.Duration
		bounded bool
	}{
		{"no deadline, no limit", context.Background(), 0, 0, false},
		{"no deadline", context.Background(), 30 * time.Second, 30 * time.Second, true},
		{"far deadline: the limit", at(time.Hour), 30 * time.Second, 30 * time.Second, true},
		{"near deadline: a tenth left to answer", at(2 * time.Second), 30 * time.Second, 1800 * time.Millisecond, true},
		{"deadline without a limit", at(2 * time.Second), 0, 1800 * time.Millisecond, true},
		{"the margin is a second at most", at(50 * time.Second), time.Minute, 49 * time.Second, true},
		{"deadline already passed", at(-time.Second), 30 * time.Second, time.Millisecond, true},
	} {
		got, bounded := CallTimeout(tc.ctx, tc.limit, now)
		if bounded != tc.bounded || (bounded && got != tc.want) {
			t.Errorf("%s: got %v %v, want %v %v", tc.name, got, bounded, tc.want, tc.bounded)
		}
	}
}

func TestDeadlineTransport(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		w.Write([]byte("body"))
	}))
	defer srv.Close()
	defer close(release)
	client := &http.Client{Transport: DeadlineTransport{Base: http.DefaultTransport, Max: 200 * time.Millisecond}}

	start := time.Now()
	_, err := client.Get(srv.URL + "/slow")
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("slow call: %v after %v", err, time.Since(start))
	}
	// A fast answer's body stays readable after RoundTrip returned.
	resp, err := client.Get(srv.URL + "/fast")
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4)
	if n, _ := resp.Body.Read(buf); string(buf[:n]) != "body" {
		t.Errorf("body %q", buf[:n])
	}
	resp.Body.Close()
}

package telemetry

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRedactSecrets(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: RedactSecrets}))
	log.Info("x", "password", "p4ss", "refresh_token", "r3fresh", "Authorization", "Bearer t0k", "user", "alice")
	out := buf.String()
	for _, secret := range []string{"p4ss", "r3fresh", "t0k"} {
		if strings.Contains(out, secret) {
			t.Errorf("%q in %s", secret, out)
		}
	}
	if !strings.Contains(out, `"user":"alice"`) {
		t.Errorf("other attributes lost: %s", out)
	}
}

func TestRequestIDs(t *testing.T) {
	h := http.Header{}
	h.Set(HeaderRequestID, "0B8F3E52-6A1F-4F7E-9D3C-1C2B3A4D5E6F")
	if got := requestID(h); got != "0b8f3e52-6a1f-4f7e-9d3c-1c2b3a4d5e6f" {
		t.Errorf("a caller's UUID became %q", got)
	}
	h.Set(HeaderRequestID, "not-a-uuid\nforged: header")
	if got := requestID(h); len(got) != 36 || strings.Contains(got, "forged") {
		t.Errorf("a caller's non-UUID id became %q", got)
	}

	var sent string
	rt := correlationTransport{roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent = r.Header.Get(HeaderCorrelation)
		return httptest.NewRecorder().Result(), nil
	})}
	req, _ := http.NewRequestWithContext(WithRequestID(context.Background(), "id-1"), http.MethodGet, "http://x/", nil)
	rt.RoundTrip(req)
	if sent != "id-1" || req.Header.Get(HeaderCorrelation) != "" {
		t.Errorf("sent %q; the caller's request changed: %v", sent, req.Header)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTracesURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://collector:4318":            "http://collector:4318/v1/traces",
		"http://collector:4318/":           "http://collector:4318/v1/traces",
		"https://otel.example/custom/path": "https://otel.example/custom/path",
	} {
		if got, err := tracesURL(in); err != nil || got != want {
			t.Errorf("%s: %q %v", in, got, err)
		}
	}
	if _, err := tracesURL("collector:4318"); err == nil {
		t.Error("a URL without scheme was accepted")
	}
}

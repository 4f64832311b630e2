package telemetry

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/propagation"
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
	if got := requestID(h.Get(HeaderRequestID)); got != "0b8f3e52-6a1f-4f7e-9d3c-1c2b3a4d5e6f" {
		t.Errorf("a caller's UUID became %q", got)
	}
	h.Set(HeaderRequestID, "not-a-uuid\nforged: header")
	if got := requestID(h.Get(HeaderRequestID)); len(got) != 36 || strings.Contains(got, "forged") {
		t.Errorf("a caller's non-UUID id became %q", got)
	}

	tel, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sent, parent string
	doer, err := tel.UpstreamDoer(doerFunc(func(r *http.Request) (*http.Response, error) {
		sent, parent = r.Header.Get(HeaderCorrelation), r.Header.Get("Traceparent")
		return httptest.NewRecorder().Result(), nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	// A caller's trace context travels on, with no collector configured.
	const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	ctx := tel.propagator.Extract(WithRequestID(context.Background(), "id-1"), propagation.HeaderCarrier{"Traceparent": {traceparent}})
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://x/", nil)
	if _, err := doer.Do(req); err != nil {
		t.Fatal(err)
	}
	if sent != "id-1" || parent != traceparent {
		t.Errorf("sent correlation id %q, traceparent %q", sent, parent)
	}
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

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

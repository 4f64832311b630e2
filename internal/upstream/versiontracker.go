package upstream

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
)

// versionReadTimeout bounds one ping that reads the version.
const versionReadTimeout = 5 * time.Second

// VersionTracker knows which Cloudreve version the upstream runs. It reads
// it with a ping at start; while it is unknown (the upstream was down at
// start) it reads it when first asked; and it reads it again once the
// upstream answers after having been unreachable, because what comes back
// may be another release (an upgrade or a rollback).
type VersionTracker struct {
	ping func(ctx context.Context) (*http.Response, error)
	log  *slog.Logger
	// OnChange, when set, is told every version read that differs from the
	// one before (for metrics). Set it before the first read.
	OnChange func(Version)

	readMu  sync.Mutex // one read at a time
	current atomic.Pointer[Version]
	// down is set when a call found the upstream unreachable since the
	// last read; the next answer clears it and reads the version again.
	down atomic.Bool
}

// NewVersionTracker reads versions through client's Ping; nothing is read
// until Refresh or Get. log gets one line per version read that changed.
func NewVersionTracker(client cloudreveapi.ClientInterface, log *slog.Logger) *VersionTracker {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := &VersionTracker{ping: func(ctx context.Context) (*http.Response, error) { return client.Ping(ctx) }, log: log}
	// Unknown counts as unreachable: the first answer the upstream gives
	// reads the version.
	t.down.Store(true)
	return t
}

// Current is the last version read, without calling the upstream; false
// while none was read.
func (t *VersionTracker) Current() (Version, bool) {
	if v := t.current.Load(); v != nil {
		return *v, true
	}
	return Version{}, false
}

// Get is the version, read now if it is not known yet. Its error is the
// ping's (a *TransportError when the upstream is down).
func (t *VersionTracker) Get(ctx context.Context) (Version, error) {
	if v, ok := t.Current(); ok {
		return v, nil
	}
	t.readMu.Lock()
	defer t.readMu.Unlock()
	if v, ok := t.Current(); ok { // read by whoever held the lock
		return v, nil
	}
	return t.readLocked(ctx)
}

// Refresh reads the version now.
func (t *VersionTracker) Refresh(ctx context.Context) (Version, error) {
	t.readMu.Lock()
	defer t.readMu.Unlock()
	return t.readLocked(ctx)
}

func (t *VersionTracker) readLocked(ctx context.Context) (Version, error) {
	ctx, cancel := context.WithTimeout(ctx, versionReadTimeout)
	defer cancel()
	raw, err := Op[string]("ping").Need(t.ping(ctx))
	if err != nil {
		return Version{}, err
	}
	v, err := ParseVersion(*raw)
	if err != nil {
		return Version{}, err
	}
	t.down.Store(false)
	old := t.current.Swap(&v)
	if old == nil || *old != v {
		t.log.Info("upstream Cloudreve version", "version", v.String(), "edition", v.Edition(), "previous", previous(old))
		if t.OnChange != nil {
			t.OnChange(v)
		}
	}
	return v, nil
}

func previous(v *Version) string {
	if v == nil {
		return "none"
	}
	return v.String()
}

// HTTPDoer is what the generated client sends its requests through.
type HTTPDoer interface {
	Do(req *http.Request) (*http.Response, error)
}

// Observe wraps the upstream HTTP client: a request that finds the upstream
// unreachable (no answer, or a proxy's 502/503/504) marks it down, and the
// first answer after that reads the version again, in the background.
func (t *VersionTracker) Observe(base HTTPDoer) HTTPDoer {
	return observer{base: base, t: t}
}

type observer struct {
	base HTTPDoer
	t    *VersionTracker
}

func (o observer) Do(req *http.Request) (*http.Response, error) {
	resp, err := o.base.Do(req)
	switch {
	case err != nil:
		// A caller that gave up says nothing about the upstream.
		if !errors.Is(err, context.Canceled) && req.Context().Err() == nil {
			o.t.down.Store(true)
		}
	case resp.StatusCode == http.StatusBadGateway, resp.StatusCode == http.StatusServiceUnavailable, resp.StatusCode == http.StatusGatewayTimeout:
		o.t.down.Store(true)
	case o.t.down.CompareAndSwap(true, false):
		go o.t.reconnected()
	}
	return resp, err
}

// reconnected reads the version after the upstream came back. A ping that
// finds the upstream gone again marks it down, so the next answer tries
// again; other failures (an answer that is no version) are only logged, not
// retried on every call.
func (t *VersionTracker) reconnected() {
	if _, err := t.Refresh(context.Background()); err != nil {
		t.log.Warn("reading the upstream version after it came back failed", "error", err)
		var te *TransportError
		if errors.As(err, &te) {
			t.down.Store(true)
		}
	}
}

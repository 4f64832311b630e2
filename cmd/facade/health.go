package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	// grpchealth has no connect-go v2 release here: its handler is a v1
	// one, so its errors are v1 errors.
	"connectrpc.com/connect"
	"connectrpc.com/grpchealth"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// healthChecker reports SERVING only while NATS is connected, JetStream
// answers and the upstream answers its ping. The JetStream and upstream
// verdicts are cached briefly so that health probes do not hammer them.
type healthChecker struct {
	nc       *nats.Conn
	js       jetstream.JetStream
	client   cloudreveapi.ClientInterface
	services map[string]bool
	// draining is set when shutdown begins: from then on every service is
	// NOT_SERVING, so that load balancers send new calls elsewhere.
	draining atomic.Bool

	mu      sync.Mutex
	checked time.Time
	healthy bool

	jsMu      sync.Mutex
	jsChecked time.Time
	jsHealthy bool
}

// healthCacheFor is how long a JetStream or upstream verdict is reused.
const healthCacheFor = 2 * time.Second

func newHealthChecker(nc *nats.Conn, client cloudreveapi.ClientInterface, services []string) *healthChecker {
	known := map[string]bool{"": true}
	for _, s := range services {
		known[s] = true
	}
	js, _ := jetstream.New(nc) // fails only for a nil connection
	return &healthChecker{nc: nc, js: js, client: client, services: known}
}

func (h *healthChecker) Check(ctx context.Context, req *grpchealth.CheckRequest) (*grpchealth.CheckResponse, error) {
	if !h.services[req.Service] {
		return nil, connect.NewError(connect.CodeNotFound, fmt.Errorf("unknown service %q", req.Service))
	}
	if h.draining.Load() || !h.nc.IsConnected() || !h.jetStreamHealthy(ctx) || !h.upstreamHealthy(ctx) {
		return &grpchealth.CheckResponse{Status: grpchealth.StatusNotServing}, nil
	}
	return &grpchealth.CheckResponse{Status: grpchealth.StatusServing}, nil
}

// drain turns health NOT_SERVING for good: the first step of a shutdown.
func (h *healthChecker) drain() { h.draining.Store(true) }

func (h *healthChecker) upstreamHealthy(ctx context.Context) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if time.Since(h.checked) < healthCacheFor {
		return h.healthy
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	_, err := upstream.Op[string]("ping").Decode(h.client.Ping(ctx))
	var ue *upstream.Error
	h.healthy = err == nil || errors.As(err, &ue) // an envelope means the server is up
	h.checked = time.Now()
	return h.healthy
}

// jetStreamHealthy asks JetStream for the account's figures: one cheap
// request that fails when the connection is up but JetStream is not (the
// server runs without it, the cluster lost its meta leader, the account has
// no JetStream), which is when events can no longer be published.
func (h *healthChecker) jetStreamHealthy(ctx context.Context) bool {
	h.jsMu.Lock()
	defer h.jsMu.Unlock()
	if time.Since(h.jsChecked) < healthCacheFor {
		return h.jsHealthy
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	_, err := h.js.AccountInfo(ctx)
	h.jsHealthy = err == nil
	h.jsChecked = time.Now()
	return h.jsHealthy
}

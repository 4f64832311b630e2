package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"connectrpc.com/connect"
	"connectrpc.com/grpchealth"
	"github.com/nats-io/nats.go"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// healthChecker reports SERVING only while NATS is connected and the
// upstream answers its ping; the upstream verdict is cached briefly so that
// health probes do not hammer it.
type healthChecker struct {
	nc       *nats.Conn
	client   cloudreveapi.ClientInterface
	services map[string]bool

	mu      sync.Mutex
	checked time.Time
	healthy bool
}

func newHealthChecker(nc *nats.Conn, client cloudreveapi.ClientInterface, services []string) *healthChecker {
	known := map[string]bool{"": true}
	for _, s := range services {
		known[s] = true
	}
	return &healthChecker{nc: nc, client: client, services: known}
}

func (h *healthChecker) Check(ctx context.Context, req *grpchealth.CheckRequest) (*grpchealth.CheckResponse, error) {
	if !h.services[req.Service] {
		return nil, connect.NewError(connect.CodeNotFound, fmt.Errorf("unknown service %q", req.Service))
	}
	if !h.nc.IsConnected() || !h.upstreamHealthy(ctx) {
		return &grpchealth.CheckResponse{Status: grpchealth.StatusNotServing}, nil
	}
	return &grpchealth.CheckResponse{Status: grpchealth.StatusServing}, nil
}

func (h *healthChecker) upstreamHealthy(ctx context.Context) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if time.Since(h.checked) < 2*time.Second {
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

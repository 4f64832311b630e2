package main

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// errNoUpstream says which setting a deployment lacks.
var errNoUpstream = errors.New("no upstream: set --upstream (CLOUDREVE_URL) to the Cloudreve server's URL, " +
	"or --sandbox (FACADE_SANDBOX) to serve the in-process stand-in on purpose")

// servesSandbox decides whether the facade serves the in-process sandbox
// Cloudreve instead of a real server. A deployment that merely forgot its
// upstream must not look healthy while serving fake data: without
// --upstream the sandbox is served only when asked for (--sandbox), or when
// every listener is on loopback (a developer's `go run ./cmd/facade`).
func (c *config) servesSandbox() (bool, error) {
	switch {
	case c.Upstream != "" && c.Sandbox:
		return false, errors.New("--upstream and --sandbox exclude each other")
	case c.Upstream != "":
		return false, nil
	case c.Sandbox:
		return true, nil
	}
	if open := c.openListeners(); len(open) > 0 {
		return false, fmt.Errorf("%w (the sandbox is served without them only when every listener is on loopback; %s)", errNoUpstream, strings.Join(open, ", "))
	}
	return true, nil
}

// openListeners names the listeners that accept connections from other
// machines.
func (c *config) openListeners() []string {
	var open []string
	check := func(flag, addr string) {
		if addr != "" && !isLoopbackAddress(addr) {
			open = append(open, fmt.Sprintf("--%s is %s", flag, addr))
		}
	}
	check("listen", c.Listen)
	check("metrics-listen", c.MetricsListen)
	check("sandbox-listen", c.SandboxListen)
	if c.NATSURL == "" {
		check("nats-listen", c.NATSListen)
	}
	return open
}

// HeaderUpstream is set on health answers when the upstream is the sandbox,
// so that a probe (grpcurl -v, a load balancer's log) shows it: the health
// protocol itself has no field for it.
const HeaderUpstream = "Cloudreve-Upstream"

func sandboxHealth(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(HeaderUpstream, "sandbox")
		h.ServeHTTP(w, r)
	})
}

package main

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// A scenario is one thing to measure, such as an RPC. It contributes cases:
// one per wire protocol, each pairing a way to do the work through the
// facade (A) with the same work done by calling the upstream's REST API
// directly (B) and, unless --floor=false, with B's call sent through a bare
// reverse proxy (C, floor.go). The harness runs every case at every --conns
// level.
//
// To add a scenario, implement this interface in a file of its own and
// register it from an init function with registerScenario.
type scenario interface {
	name() string
	describe() string
	cases(e *env) ([]abCase, error)
}

// env is what scenarios build their clients from.
type env struct {
	facadeURL   string // the facade's --listen, http://host:port
	upstreamURL string // the Cloudreve base URL, without /api/v4
	floorURL    string // the floor proxy in front of upstreamURL; empty with --floor=false
	token       string // an access token of the benchmark account
	callTimeout time.Duration
}

// abCase is one facade-versus-direct comparison.
type abCase struct {
	scenario string
	protocol string // how A travels, e.g. "connect+json http/1.1"
	facade   openWorker
	direct   openWorker
	floor    openWorker // direct's call through the floor proxy; nil when it is off
}

// openWorker gives one load worker its own client. Each worker owns one
// connection for a whole phase, so N workers are N connections.
type openWorker func() (*worker, error)

// worker does one call at a time on its own connection.
type worker struct {
	call  func(ctx context.Context) error
	close func()
}

// transportWorker wraps a call over a dedicated transport, closing the
// transport's connection when the worker is done.
func transportWorker(t *http.Transport, call func(ctx context.Context) error) *worker {
	return &worker{call: call, close: t.CloseIdleConnections}
}

// registry holds the scenarios in the order they registered, which is the
// order of the default --scenarios and of the report.
var (
	registry    []scenario
	registryErr error // a name registered twice; reported when the harness starts
)

func registerScenario(s scenario) {
	if lookupScenario(s.name()) != nil {
		registryErr = fmt.Errorf("scenario %q is registered twice", s.name())
		return
	}
	registry = append(registry, s)
}

func lookupScenario(name string) scenario {
	for _, s := range registry {
		if s.name() == name {
			return s
		}
	}
	return nil
}

func scenarioNames() []string {
	names := make([]string, len(registry))
	for i, s := range registry {
		names[i] = s.name()
	}
	return names
}

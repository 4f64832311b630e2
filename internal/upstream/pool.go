package upstream

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// PoolOptions size the one connection pool every upstream call shares (REST
// calls, the watcher, file content).
type PoolOptions struct {
	// MaxConns bounds the connections to one host; the idle pool keeps as
	// many, so that in steady state no call dials. Calls beyond it wait for
	// a connection instead of opening more. Default 256.
	MaxConns int
	// H2C speaks HTTP/2 without TLS (prior knowledge) to http:// upstreams,
	// for a server or proxy that accepts it. https:// upstreams negotiate
	// HTTP/2 by ALPN either way.
	H2C bool
	// ResponseHeaderTimeout gives up on a server that does not start to
	// answer; 0 waits as long as the request's context allows.
	ResponseHeaderTimeout time.Duration
}

// Pool is the shared transport and what it counts.
type Pool struct {
	*http.Transport
	dials atomic.Int64
}

// NewPool builds the transport: keep-alive on, an idle pool as large as
// MaxConns per host (the standard library keeps 2, which under concurrency
// closes almost every connection after one call and runs the ephemeral
// ports out), HTTP/2 where the upstream offers it.
func NewPool(o PoolOptions) *Pool {
	if o.MaxConns <= 0 {
		o.MaxConns = 256
	}
	p := &Pool{}
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	t := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			p.dials.Add(1)
			return dialer.DialContext(ctx, network, addr)
		},
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          0, // no bound across hosts: file content goes to storage hosts too
		MaxIdleConnsPerHost:   o.MaxConns,
		MaxConnsPerHost:       o.MaxConns,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		ResponseHeaderTimeout: o.ResponseHeaderTimeout,
	}
	if o.H2C {
		var protocols http.Protocols
		protocols.SetUnencryptedHTTP2(true)
		protocols.SetHTTP2(true)
		t.Protocols = &protocols
	}
	p.Transport = t
	return p
}

// Dials is how many connections the pool has opened since it was built.
func (p *Pool) Dials() int64 { return p.dials.Load() }

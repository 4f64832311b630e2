package upstream

import (
	"context"
	"errors"
	"io"
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
			c, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return bodyConn{c}, nil
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

// bodyConn lets a request body that writes itself (io.WriterTo: a buffered
// upload chunk, or one sent while it arrives) go to the socket in the large
// slices it holds. The transport copies a body with a known length through
// an io.LimitedReader, which hides WriterTo, so it would otherwise be read
// 32 KiB at a time into a scratch buffer and written in as many syscalls.
type bodyConn struct{ net.Conn }

func (c bodyConn) ReadFrom(r io.Reader) (int64, error) {
	if lr, ok := r.(*io.LimitedReader); ok {
		if wt, ok := lr.R.(io.WriterTo); ok {
			w := &limitedWriter{w: c.Conn, n: lr.N}
			n, err := wt.WriteTo(w)
			lr.N -= n
			if errors.Is(err, errLimit) {
				// The body is longer than declared: the transport reads on
				// and reports it.
				err = nil
			}
			return n, err
		}
	}
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{c.Conn}, r)
}

var errLimit = errors.New("upstream: body longer than its Content-Length")

// limitedWriter writes at most n bytes.
type limitedWriter struct {
	w io.Writer
	n int64
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	short := int64(len(p)) > l.n
	if short {
		p = p[:l.n]
	}
	k, err := l.w.Write(p)
	l.n -= int64(k)
	if err == nil && short {
		err = errLimit
	}
	return k, err
}

// Dials is how many connections the pool has opened since it was built.
func (p *Pool) Dials() int64 { return p.dials.Load() }

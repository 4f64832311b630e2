package main

import (
	"cmp"
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"strings"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"
	"connectrpc.com/validate"

	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/telemetry"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/workers"
)

// What the facade needs to be run by someone else: telemetry on every RPC
// and upstream call, and the limits that keep one caller from starving others.

// upstreamHTTPClient is the HTTP client of every upstream call: traced and
// measured, carrying the request id, and bounded by --upstream-timeout or
// the caller's deadline, whichever is nearer. Its User-Agent names the
// replica, so the upstream's access log tells which facade polled what.
func upstreamHTTPClient(cfg *config, tel *telemetry.Telemetry, pool *upstream.Pool, replicaID string) (telemetry.Doer, error) {
	return tel.UpstreamDoer(replicaAgent{base: &http.Client{
		CheckRedirect: upstream.CheckRedirect,
		Transport:     upstream.DeadlineTransport{Base: pool, Max: cfg.UpstreamTimeout},
	}, agent: userAgent(replicaID)})
}

// userAgent of this facade's upstream calls.
func userAgent(replicaID string) string { return "cloudreve-facade (replica " + replicaID + ")" }

type replicaAgent struct {
	base  telemetry.Doer
	agent string
}

func (r replicaAgent) Do(req *http.Request) (*http.Response, error) {
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", r.agent)
	}
	return r.base.Do(req)
}

// compressMinBytes is the smallest answer worth compressing.
const compressMinBytes = 1024

// rpcServer is what every service registers on, with the interceptors
// of every RPC from the outside in: telemetry, request log, shutdown, stream
// cap, validation, bearer token (proved once with the upstream).
func rpcServer(cfg *config, tel *telemetry.Telemetry, log *slog.Logger, streams streamCloser, identity *auth.Identifier) (*connect.Server, error) {
	traced, err := tel.RPCInterceptor()
	if err != nil {
		return nil, err
	}
	logged, err := tel.RequestInterceptor(log.With("component", "rpc"))
	if err != nil {
		return nil, err
	}
	limiter := newStreamLimiter(cfg.MaxStreams)
	if err := tel.Gauge("facade.rpc.streams_open", "{stream}", "Streaming RPCs open now", limiter.Open); err != nil {
		return nil, err
	}
	return connect.NewServer(traced, logged, streams.intercept, limiter.intercept, validate.NewServerInterceptor(), auth.NewInterceptor(identity)), nil
}

// mountOptions are the HTTP protocols' settings of every RPC: the message
// size limit, and compression of larger answers only; FileService's
// transfers have their own (fileMessageLimit).
func mountOptions(cfg *config) []connecthttp.Option {
	fileRPCs := "/" + filev1connect.FileServiceName + "/"
	return []connecthttp.Option{
		connecthttp.WithReadMaxBytes(cfg.MaxMessageBytes),
		connecthttp.WithSendMaxBytes(cfg.MaxMessageBytes),
		// Compressing a message of a few dozen bytes costs more CPU than
		// sending it: only larger answers are gzipped (for callers that
		// accept it).
		connecthttp.WithCompressMinBytes(compressMinBytes),
		connecthttp.WithConditionalOptions(func(spec connect.Spec) []connecthttp.Option {
			if strings.HasPrefix(spec.Procedure, fileRPCs) {
				return fileMessageLimit(cfg)
			}
			return nil
		}),
	}
}

// http2Workers is how many HTTP/2 streams at once run on goroutines whose
// stacks have already grown (internal/workers); more run as without it.
// Enough for the callers a facade serves at once; an idle worker costs a
// few KiB.
const http2Workers = 256

// newServer serves HTTP/1.1 (Connect, gRPC-Web) and HTTP/2 (gRPC) on one
// port, within the configured limits: HTTP/2 without TLS (h2c) by default,
// or, with TLS, HTTP/2 negotiated by ALPN and no cleartext at all.
func newServer(cfg *config, handler http.Handler, tlsConfig *tls.Config) *http.Server {
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	if tlsConfig != nil {
		protocols.SetHTTP2(true)
	} else {
		protocols.SetUnencryptedHTTP2(true)
	}
	return &http.Server{
		Handler:           workers.Handler(handler, http2Workers),
		Protocols:         &protocols,
		TLSConfig:         tlsConfig,
		HTTP2:             http2Config(cfg),
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		IdleTimeout:       cfg.IdleTimeout,
	}
}

// http2Config bounds what one HTTP/2 client connection can make the facade
// hold: its streams, and the bytes it may send ahead of the handlers
// (receive windows). The windows are large enough that an upload keeps
// flowing while a chunk goes upstream; the connection window caps the sum
// over its streams, so memory per connection stays bounded by it.
func http2Config(cfg *config) *http.HTTP2Config {
	stream := min(max(cfg.HTTP2StreamWindow, 1<<16), 1<<31-1)
	conn := min(max(cfg.HTTP2ConnWindow, stream), 1<<31-1)
	return &http.HTTP2Config{
		MaxConcurrentStreams:          max(cfg.MaxConcurrentStreams, 1),
		MaxReceiveBufferPerStream:     stream,
		MaxReceiveBufferPerConnection: conn,
	}
}

// serveMetrics puts /metrics on mux, or on its own listener with
// --metrics-listen; with --pprof the Go profiles go beside it
// (/debug/pprof/). The returned function stops that listener.
func serveMetrics(cfg *config, tel *telemetry.Telemetry, mux *http.ServeMux, log *slog.Logger) (func(), error) {
	admin := mux
	stop := func() {}
	if cfg.MetricsListen != "" {
		ln, err := net.Listen("tcp", cfg.MetricsListen)
		if err != nil {
			return nil, err
		}
		admin = http.NewServeMux()
		srv := &http.Server{Handler: admin, ReadHeaderTimeout: cfg.ReadHeaderTimeout, IdleTimeout: cfg.IdleTimeout}
		go srv.Serve(ln)
		log.Info("serving Prometheus metrics", "listen", ln.Addr().String(), "path", "/metrics")
		stop = func() { srv.Shutdown(context.Background()) }
	}
	admin.Handle("GET /metrics", tel.MetricsHandler())
	if cfg.Pprof {
		admin.HandleFunc("/debug/pprof/", pprof.Index)
		admin.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		admin.HandleFunc("/debug/pprof/profile", pprof.Profile)
		admin.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		admin.HandleFunc("/debug/pprof/trace", pprof.Trace)
		where := "the metrics listener"
		if cfg.MetricsListen == "" {
			where = "the RPC listener (set --metrics-listen to keep them off it)"
		}
		log.Warn("serving Go profiles at /debug/pprof/ on "+where, "listen", cmp.Or(cfg.MetricsListen, cfg.Listen))
	}
	return stop, nil
}

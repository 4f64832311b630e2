// Package servicetest serves one service's generated Connect handler over a
// real h2c listener and hands out clients for each protocol the facade
// speaks, so that a service test exercises the wire (codes, error details,
// message encoding) the way a caller sees it. Only tests import it.
//
//	path, h := sitev1connect.NewSiteServiceHandler(site.New(api))
//	srv := servicetest.Serve(t, path, h)
//	for _, p := range servicetest.Protocols {
//		c := servicetest.Client(srv, p, sitev1connect.NewSiteServiceClient)
//		…
//	}
package servicetest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"connectrpc.com/connect"

	"github.com/cloudreve-connect/facade/internal/auth"
)

// Protocol is one wire protocol a client may call the facade with.
type Protocol struct {
	Name    string
	Options []connect.ClientOption
}

// Protocols are the ones cmd/facade serves. (gRPC-Web rides on the same
// handler code as gRPC; the two here cover both framings of errors: Connect's
// JSON body and gRPC's trailers.)
var Protocols = []Protocol{
	{Name: "connect"},
	{Name: "grpc", Options: []connect.ClientOption{connect.WithGRPC()}},
}

// Server is a running service.
type Server struct {
	URL    string
	client *http.Client
}

// Serve mounts handler at path on an HTTP server that speaks HTTP/1.1 and
// unencrypted HTTP/2 (as cmd/facade does without TLS) until the test ends.
func Serve(t testing.TB, path string, handler http.Handler) *Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(path, handler)
	srv := httptest.NewUnstartedServer(mux)
	var served http.Protocols
	served.SetHTTP1(true)
	served.SetUnencryptedHTTP2(true)
	srv.Config.Protocols = &served
	srv.Start()
	t.Cleanup(srv.Close)

	// The client speaks HTTP/2 only, so that gRPC (which needs it) and
	// Connect both go over h2c, never silently over HTTP/1.1.
	var spoken http.Protocols
	spoken.SetUnencryptedHTTP2(true)
	transport := &http.Transport{Protocols: &spoken}
	t.Cleanup(transport.CloseIdleConnections)
	return &Server{URL: srv.URL, client: &http.Client{Transport: transport}}
}

// Client builds a generated client (e.g. sitev1connect.NewSiteServiceClient)
// that calls s with protocol p and any further options (WithBearer…).
func Client[C any](s *Server, p Protocol, newClient func(connect.HTTPClient, string, ...connect.ClientOption) C, opts ...connect.ClientOption) C {
	return newClient(s.client, s.URL, append(slices.Clone(p.Options), opts...)...)
}

// WithBearer makes a client present token as its bearer on every call,
// unary and streaming, as a caller of the facade does.
func WithBearer(token string) connect.ClientOption {
	return connect.WithInterceptors(header{"Authorization", "Bearer " + token})
}

// WithRefreshToken makes a client lend its refresh token on every call
// (the Cloudreve-Refresh-Token header), as callers that start durable
// watches do.
func WithRefreshToken(token string) connect.ClientOption {
	return connect.WithInterceptors(header{auth.RefreshHeader, token})
}

// header sets one request header on every call.
type header struct{ name, value string }

func (h header) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		req.Header().Set(h.name, h.value)
		return next(ctx, req)
	}
}

func (h header) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return func(ctx context.Context, spec connect.Spec) connect.StreamingClientConn {
		conn := next(ctx, spec)
		conn.RequestHeader().Set(h.name, h.value)
		return conn
	}
}

func (header) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return next
}

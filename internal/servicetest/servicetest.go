// Package servicetest serves one service's generated Connect handler in
// process and over a real h2c listener, and hands out clients for each way
// the facade is called, so that a service test exercises the wire (codes,
// error details, message encoding) the way a caller sees it. Only tests
// import it.
//
//	s := connect.NewServer()
//	sitev1connect.RegisterSiteServiceHandler(s, site.New(api))
//	srv := servicetest.Serve(t, s)
//	for _, p := range servicetest.Protocols {
//		c := servicetest.Client(srv, p, sitev1connect.NewSiteServiceClient)
//		…
//	}
package servicetest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"
	"connectrpc.com/connect/v2/connectinprocess"

	"github.com/cloudreve-connect/facade/internal/auth"
)

// Protocol is one way a client may call the facade.
type Protocol struct {
	Name      string
	transport func(*Server) connect.Transport
}

// Protocols are the two cmd/facade serves over HTTP, and the in-process
// transport, which skips the wire (fast, and shows a failure that is the
// handler's rather than the encoding's). gRPC-Web rides on the same handler
// code as gRPC; the two HTTP ones cover both framings of errors: Connect's
// JSON body and gRPC's trailers.
var Protocols = []Protocol{
	{Name: "connect", transport: func(s *Server) connect.Transport { return connecthttp.NewTransport(s.client, s.URL) }},
	{Name: "grpc", transport: func(s *Server) connect.Transport {
		return connecthttp.NewTransport(s.client, s.URL, connecthttp.WithGRPC())
	}},
	{Name: inProcess, transport: func(s *Server) connect.Transport { return connectinprocess.New(s.server) }},
}

// inProcess marks the clients of the in-process transport (see
// statusAfterEOF).
const inProcess = "inprocess"

// Server is a running service.
type Server struct {
	URL    string
	server *connect.Server
	client *http.Client
}

// Serve mounts server on an HTTP server that speaks HTTP/1.1 and
// unencrypted HTTP/2 (as cmd/facade does without TLS) until the test ends.
func Serve(t testing.TB, server *connect.Server) *Server {
	t.Helper()
	mux := http.NewServeMux()
	connecthttp.Mount(mux, server)
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
	return &Server{URL: srv.URL, server: server, client: &http.Client{Transport: transport}}
}

// Client builds a generated client (e.g. sitev1connect.NewSiteServiceClient)
// that calls s with protocol p through interceptors (WithBearer…).
func Client[C any](s *Server, p Protocol, newClient func(*connect.Client) C, interceptors ...connect.ClientInterceptor) C {
	if p.Name == inProcess {
		interceptors = append(interceptors, statusAfterEOF)
	}
	return newClient(connect.NewClient(p.transport(s), interceptors...))
}

// statusAfterEOF lets a server-streaming call whose handler failed before
// reading the request report the handler's error. In process, the request's
// Send meets the finished handler and says io.EOF, which connect-go
// (v2.0.2) returns from the call instead of the status; over HTTP the
// request is already written. io.EOF from Send means "the answer is on the
// receive side", so the stream is handed back and Receive tells the status.
func statusAfterEOF(next connect.ClientFunc) connect.ClientFunc {
	return func(ctx context.Context, spec connect.Spec) (connect.ClientStream, error) {
		stream, err := next(ctx, spec)
		if err != nil || spec.StreamType != connect.StreamTypeServer {
			return stream, err
		}
		return sendEOFToReceive{stream}, nil
	}
}

type sendEOFToReceive struct{ connect.ClientStream }

func (s sendEOFToReceive) Send(msg any) error {
	if err := s.ClientStream.Send(msg); !errors.Is(err, io.EOF) {
		return err
	}
	return nil
}

// WithBearer makes a client present token as its bearer on every call,
// unary and streaming, as a caller of the facade does.
func WithBearer(token string) connect.ClientInterceptor {
	return withHeader("Authorization", "Bearer "+token)
}

// WithRefreshToken makes a client lend its refresh token on every call
// (the Cloudreve-Refresh-Token header), as callers that start durable
// watches do.
func WithRefreshToken(token string) connect.ClientInterceptor {
	return withHeader(auth.RefreshHeader, token)
}

// withHeader sets one request header on every call.
func withHeader(name, value string) connect.ClientInterceptor {
	return func(next connect.ClientFunc) connect.ClientFunc {
		return func(ctx context.Context, spec connect.Spec) (connect.ClientStream, error) {
			info, _ := connect.CallInfoForClientContext(ctx) // the client's Call methods set it
			info.RequestHeader().Set(name, value)
			return next(ctx, spec)
		}
	}
}

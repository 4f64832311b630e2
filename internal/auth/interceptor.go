package auth

import (
	"context"
	"net/http"
	"strings"

	"connectrpc.com/connect"
)

// NewInterceptor puts the bearer token of each incoming request into the
// context, for the upstream calls the handler makes, and the refresh token of
// the Cloudreve-Refresh-Token header, for the watches the call starts.
func NewInterceptor() connect.Interceptor { return interceptor{} }

type interceptor struct{}

func (interceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		return next(fromHeader(ctx, req.Header()), req)
	}
}

func (interceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (interceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		return next(fromHeader(ctx, conn.RequestHeader()), conn)
	}
}

func fromHeader(ctx context.Context, h http.Header) context.Context {
	if tok := BearerFromHeader(h); tok != "" {
		ctx = WithBearer(ctx, tok)
		// A refresh token is kept only with the access token it renews.
		if refresh := strings.TrimSpace(h.Get(RefreshHeader)); refresh != "" {
			ctx = WithRefresh(ctx, refresh)
		}
	}
	return ctx
}

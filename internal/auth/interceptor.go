package auth

import (
	"context"

	"connectrpc.com/connect"
)

// NewInterceptor puts the bearer token of each incoming request into the
// context, for the upstream calls the handler makes.
func NewInterceptor() connect.Interceptor { return interceptor{} }

type interceptor struct{}

func (interceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if tok := BearerFromHeader(req.Header()); tok != "" {
			ctx = WithBearer(ctx, tok)
		}
		return next(ctx, req)
	}
}

func (interceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (interceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		if tok := BearerFromHeader(conn.RequestHeader()); tok != "" {
			ctx = WithBearer(ctx, tok)
		}
		return next(ctx, conn)
	}
}

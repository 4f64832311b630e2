package auth

import (
	"context"
	"net/http"
	"strings"

	"connectrpc.com/connect"

	sessionv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1/sessionv1connect"
)

// NewInterceptor puts the bearer token of each incoming request into the
// context, for the upstream calls the handler makes, and the refresh token of
// the Cloudreve-Refresh-Token header, for the watches the call starts.
//
// A bearer token is proved before the handler runs (Identifier.Check: one
// upstream check per token in its lifetime): Cloudreve serves a request with
// a bad token as a guest's, so without the check a caller with a corrupted,
// foreign or expired token would get guest answers instead of an error. A
// request without one stays a guest's (or the service account's). After a
// successful SignOut the identifier forgets the session's tokens.
func NewInterceptor(id *Identifier) connect.Interceptor { return interceptor{id: id} }

type interceptor struct{ id *Identifier }

// credentialRPCs sign in with what their request carries; a bearer token
// plays no part in them, so it is neither checked nor sent upstream. A
// client that sends its expired access token along when it refreshes it must
// still be able to refresh.
var credentialRPCs = map[string]bool{
	sessionv1connect.SessionServicePasswordSignInProcedure:       true,
	sessionv1connect.SessionServiceFinishSignInWith2FAProcedure:  true,
	sessionv1connect.SessionServiceRefreshTokenProcedure:         true,
	sessionv1connect.SessionServicePrepareLoginProcedure:         true,
	sessionv1connect.SessionServicePreparePasskeySignInProcedure: true,
	sessionv1connect.SessionServiceFinishPasskeySignInProcedure:  true,
}

func (i interceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		ctx, err := i.admit(ctx, req.Spec().Procedure, req.Header())
		if err != nil {
			return nil, err
		}
		resp, err := next(ctx, req)
		if err == nil && req.Spec().Procedure == sessionv1connect.SessionServiceSignOutProcedure {
			i.forgetSession(ctx, req)
		}
		return resp, err
	}
}

func (interceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (i interceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		ctx, err := i.admit(ctx, conn.Spec().Procedure, conn.RequestHeader())
		if err != nil {
			return err
		}
		return next(ctx, conn)
	}
}

// admit carries the request's credentials into ctx, once its bearer token
// is proved.
func (i interceptor) admit(ctx context.Context, procedure string, h http.Header) (context.Context, error) {
	if credentialRPCs[procedure] {
		return ctx, nil
	}
	ctx = fromHeader(ctx, h)
	if i.id != nil {
		if _, err := i.id.Check(ctx); err != nil {
			return nil, err
		}
	}
	return ctx, nil
}

// forgetSession drops the cached verdicts of a signed-out session: the
// bearer token the sign-out came with and every token of the refresh
// token's user (access tokens do not name their session).
func (i interceptor) forgetSession(ctx context.Context, req connect.AnyRequest) {
	if i.id == nil {
		return
	}
	subject := ""
	if so, ok := req.Any().(*sessionv1.SignOutRequest); ok {
		if c, err := ParseClaims(so.GetRefreshToken()); err == nil {
			subject = c.Subject
		}
	}
	i.id.Forget(subject, BearerFrom(ctx))
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

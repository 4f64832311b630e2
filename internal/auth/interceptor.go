package auth

import (
	"context"
	"strings"

	"connectrpc.com/connect/v2"

	sessionv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1/sessionv1connect"
)

// NewInterceptor puts the bearer token of each incoming request into the
// context, for the upstream calls the handler makes, and the refresh token of
// the Cloudreve-Refresh-Token header, for the watches the call starts.
//
// A bearer token is proved before the handler gets its request (Identifier.Check: one
// upstream check per token in its lifetime): Cloudreve serves a request with
// a bad token as a guest's, so without the check a caller with a corrupted,
// foreign or expired token would get guest answers instead of an error. A
// request without one stays a guest's (or the service account's). After a
// successful SignOut the identifier forgets the session's tokens.
func NewInterceptor(id *Identifier) connect.ServerInterceptor { return interceptor{id: id}.intercept }

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

func (i interceptor) intercept(next connect.ServerFunc) connect.ServerFunc {
	return func(ctx context.Context, spec connect.Spec, stream connect.ServerStream) error {
		if credentialRPCs[spec.Procedure] {
			return next(ctx, spec, stream)
		}
		info, _ := connect.CallInfoForServerContext(ctx) // always set on a server
		ctx = fromHeader(ctx, info.RequestHeader())
		admitting := &admittingStream{ServerStream: stream, admit: func() error { return i.admit(ctx) }}
		if err := next(ctx, spec, admitting); err != nil {
			return err
		}
		if spec.Procedure == sessionv1connect.SessionServiceSignOutProcedure {
			i.forgetSession(ctx, admitting.signOut)
		}
		return nil
	}
}

// admittingStream proves the bearer token when the handler reads the first
// request message: after the validation interceptor passed it, so that an
// invalid request costs no upstream call. It keeps a SignOut request, for
// the tokens to forget once it succeeded.
type admittingStream struct {
	connect.ServerStream
	admit    func() error
	admitted bool
	refused  error
	signOut  *sessionv1.SignOutRequest
}

func (s *admittingStream) Receive(msg any) error {
	if s.refused != nil {
		return s.refused
	}
	if err := s.ServerStream.Receive(msg); err != nil {
		return err
	}
	if !s.admitted {
		s.admitted = true
		if s.refused = s.admit(); s.refused != nil {
			return s.refused
		}
	}
	if req, ok := msg.(*sessionv1.SignOutRequest); ok {
		s.signOut = req
	}
	return nil
}

// admit proves the bearer token of ctx (none is a guest's call).
func (i interceptor) admit(ctx context.Context) error {
	if i.id == nil {
		return nil
	}
	_, err := i.id.Check(ctx)
	return err
}

// forgetSession drops the cached verdicts of a signed-out session: the
// bearer token the sign-out came with and every token of the refresh
// token's user (access tokens do not name their session).
func (i interceptor) forgetSession(ctx context.Context, req *sessionv1.SignOutRequest) {
	if i.id == nil {
		return
	}
	subject := ""
	if c, err := ParseClaims(req.GetRefreshToken()); err == nil {
		subject = c.Subject
	}
	i.id.Forget(subject, BearerFrom(ctx))
}

func fromHeader(ctx context.Context, h header) context.Context {
	if tok := BearerFromHeader(h); tok != "" {
		ctx = WithBearer(ctx, tok)
		// A refresh token is kept only with the access token it renews.
		if refresh := strings.TrimSpace(h.Get(RefreshHeader)); refresh != "" {
			ctx = WithRefresh(ctx, refresh)
		}
	}
	return ctx
}

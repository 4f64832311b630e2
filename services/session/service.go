// Package session implements cloudreve.session.v1.SessionService: sign-in
// (password, 2FA, passkey, OpenID), token refresh and sign-out.
package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"connectrpc.com/connect"
	openapi_types "github.com/oapi-codegen/runtime/types"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	sessionv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1/sessionv1connect"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/users"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Service implements sessionv1connect.SessionServiceHandler.
type Service struct {
	client cloudreveapi.ClientWithResponsesInterface
}

var _ sessionv1connect.SessionServiceHandler = (*Service)(nil)

// New wires the service.
func New(client cloudreveapi.ClientWithResponsesInterface) *Service {
	return &Service{client: client}
}

func (s *Service) PasswordSignIn(ctx context.Context, req *sessionv1.PasswordSignInRequest) (*sessionv1.PasswordSignInResponse, error) {
	body := cloudreveapi.PasswordSignInJSONRequestBody{
		Email: openapi_types.Email(req.GetEmail()), Password: req.GetPassword(),
		Captcha: values.NonZero(req.GetCaptcha()), Ticket: values.NonZero(req.GetTicket()),
	}
	resp, err := s.client.PasswordSignInWithResponse(ctx, body)
	if err := upstream.Check("passwordSignIn", resp, err); err != nil {
		// Code 203 is not a failure: the account wants its second factor,
		// and data is the 2FA session id.
		var ue *upstream.Error
		if errors.As(err, &ue) && ue.Code == upstream.CodeNotFullySuccessful {
			var sessionID string
			if json.Unmarshal(ue.Data, &sessionID) != nil || sessionID == "" {
				return nil, connect.NewError(connect.CodeInternal, fmt.Errorf("passwordSignIn: code 203 without a 2FA session id: %w", err))
			}
			return &sessionv1.PasswordSignInResponse{Result: &sessionv1.PasswordSignInResponse_TwoFactorRequired{
				TwoFactorRequired: &sessionv1.TwoFactorRequired{SessionId: sessionID},
			}}, nil
		}
		return nil, rpcerror.FromUpstream(err)
	}
	login, err := fromLogin("passwordSignIn", resp.JSON200.Data)
	if err != nil {
		return nil, err
	}
	return &sessionv1.PasswordSignInResponse{Result: &sessionv1.PasswordSignInResponse_Login{Login: login}}, nil
}

func (s *Service) FinishSignInWith2FA(ctx context.Context, req *sessionv1.FinishSignInWith2FARequest) (*sessionv1.FinishSignInWith2FAResponse, error) {
	resp, err := s.client.FinishSignInWith2FAWithResponse(ctx, cloudreveapi.FinishSignInWith2FAJSONRequestBody{Otp: req.GetOtp(), SessionId: req.GetSessionId()})
	if err := upstream.Check("finishSignInWith2FA", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	login, err := fromLogin("finishSignInWith2FA", resp.JSON200.Data)
	if err != nil {
		return nil, err
	}
	return &sessionv1.FinishSignInWith2FAResponse{User: login.User, Token: login.Token}, nil
}

func (s *Service) RefreshToken(ctx context.Context, req *sessionv1.RefreshTokenRequest) (*sessionv1.RefreshTokenResponse, error) {
	resp, err := s.client.RefreshTokenWithResponse(ctx, cloudreveapi.RefreshTokenJSONRequestBody{RefreshToken: req.GetRefreshToken()})
	if err := upstream.Check("refreshToken", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	if resp.JSON200.Data == nil {
		return nil, noData("refreshToken")
	}
	return &sessionv1.RefreshTokenResponse{Token: fromToken(resp.JSON200.Data)}, nil
}

func (s *Service) SignOut(ctx context.Context, req *sessionv1.SignOutRequest) (*sessionv1.SignOutResponse, error) {
	resp, err := s.client.SignOutWithResponse(ctx, cloudreveapi.SignOutJSONRequestBody{RefreshToken: req.GetRefreshToken()})
	if err := upstream.Check("signOut", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &sessionv1.SignOutResponse{LogoutUrl: values.Deref(resp.JSON200.Data)}, nil
}

func (s *Service) PrepareOpenIdSignIn(ctx context.Context, req *sessionv1.PrepareOpenIdSignInRequest) (*sessionv1.PrepareOpenIdSignInResponse, error) {
	linking := req.GetLinking()
	body := cloudreveapi.PrepareOpenIdSignInJSONRequestBody{Provider: cloudreveapi.OpenIDProviderType(req.GetProvider()), Linking: &linking}
	if h := req.GetHint(); h != "" {
		hint := openapi_types.Email(h)
		body.Hint = &hint
	}
	resp, err := s.client.PrepareOpenIdSignInWithResponse(ctx, body)
	if err := upstream.Check("prepareOpenIdSignIn", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &sessionv1.PrepareOpenIdSignInResponse{Url: values.Deref(resp.JSON200.Data)}, nil
}

func (s *Service) FinishOpenIdSignIn(ctx context.Context, req *sessionv1.FinishOpenIdSignInRequest) (*sessionv1.FinishOpenIdSignInResponse, error) {
	body := cloudreveapi.FinishOpenIdSignInJSONRequestBody{Code: req.GetCode(), SessionId: req.GetSessionId(), ProviderId: cloudreveapi.OpenIDProviderType(req.GetProviderId())}
	resp, err := s.client.FinishOpenIdSignInWithResponse(ctx, body)
	if err := upstream.Check("finishOpenIdSignIn", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	out := &sessionv1.FinishOpenIdSignInResponse{}
	if d := resp.JSON200.Data; d != nil { // no data after linking an account
		out.User, out.Token = users.FromUser(&d.User), fromToken(&d.Token)
	}
	return out, nil
}

func (s *Service) UnlinkOpenId(ctx context.Context, req *sessionv1.UnlinkOpenIdRequest) (*sessionv1.UnlinkOpenIdResponse, error) {
	resp, err := s.client.UnlinkOpenIdWithResponse(ctx, cloudreveapi.OpenIDProviderType(req.GetProviderId()))
	if err := upstream.Check("unlinkOpenId", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &sessionv1.UnlinkOpenIdResponse{}, nil
}

func (s *Service) PreparePasskeySignIn(ctx context.Context, _ *sessionv1.PreparePasskeySignInRequest) (*sessionv1.PreparePasskeySignInResponse, error) {
	resp, err := s.client.PreparePasskeySignInWithResponse(ctx)
	if err := upstream.Check("preparePasskeySignIn", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	d := resp.JSON200.Data
	if d == nil {
		return nil, noData("preparePasskeySignIn")
	}
	options, err := toStruct(d.Options)
	if err != nil {
		return nil, connect.NewError(connect.CodeInternal, fmt.Errorf("preparePasskeySignIn: %w", err))
	}
	return &sessionv1.PreparePasskeySignInResponse{Options: options, SessionId: d.SessionId}, nil
}

func (s *Service) FinishPasskeySignIn(ctx context.Context, req *sessionv1.FinishPasskeySignInRequest) (*sessionv1.FinishPasskeySignInResponse, error) {
	resp, err := s.client.FinishPasskeySignInWithResponse(ctx, cloudreveapi.FinishPasskeySignInJSONRequestBody{Response: req.GetResponse(), SessionId: req.GetSessionId()})
	if err := upstream.Check("finishPasskeySignIn", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	login, err := fromLogin("finishPasskeySignIn", resp.JSON200.Data)
	if err != nil {
		return nil, err
	}
	return &sessionv1.FinishPasskeySignInResponse{User: login.User, Token: login.Token}, nil
}

func (s *Service) PrepareLogin(ctx context.Context, req *sessionv1.PrepareLoginRequest) (*sessionv1.PrepareLoginResponse, error) {
	resp, err := s.client.PrepareLoginWithResponse(ctx, &cloudreveapi.PrepareLoginParams{Email: openapi_types.Email(req.GetEmail())})
	if err := upstream.Check("prepareLogin", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	d := resp.JSON200.Data
	if d == nil {
		return nil, noData("prepareLogin")
	}
	return &sessionv1.PrepareLoginResponse{
		WebauthnEnabled: d.WebauthnEnabled, PasswordEnabled: d.PasswordEnabled,
		QqEnabled: values.Deref(d.QqEnabled), SsoEnabled: values.Deref(d.SsoEnabled),
	}, nil
}

func fromLogin(op string, d *cloudreveapi.LoginResponse) (*sessionv1.Login, error) {
	if d == nil {
		return nil, noData(op)
	}
	return &sessionv1.Login{User: users.FromUser(&d.User), Token: fromToken(&d.Token)}, nil
}

func fromToken(t *cloudreveapi.Token) *sessionv1.Token {
	return &sessionv1.Token{
		AccessToken: t.AccessToken, RefreshToken: t.RefreshToken,
		AccessExpires: values.Timestamp(t.AccessExpires), RefreshExpires: values.Timestamp(t.RefreshExpires),
	}
}

// toStruct carries a JSON object the client hands on untouched (WebAuthn
// options) as a google.protobuf.Struct.
func toStruct(v any) (*structpb.Struct, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	return structpb.NewStruct(m)
}

func noData(op string) error {
	return connect.NewError(connect.CodeInternal, &upstream.HTTPError{Op: op, StatusCode: 200, Reason: "answer without data"})
}

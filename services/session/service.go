// Package session implements cloudreve.session.v1.SessionService: sign-in
// (password, 2FA, passkey, OpenID), token refresh and sign-out.
package session

import (
	"context"
	"encoding/json"
	"errors"

	"connectrpc.com/connect/v2"
	openapi_types "github.com/oapi-codegen/runtime/types"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	sessionv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1/sessionv1connect"
	"github.com/cloudreve-connect/facade/internal/call"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/users"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Service implements sessionv1connect.SessionServiceHandler.
type Service struct {
	api cloudreveapi.ClientInterface
}

var _ sessionv1connect.SessionServiceHandler = (*Service)(nil)

// New wires the service.
func New(api cloudreveapi.ClientInterface) *Service {
	return &Service{api: api}
}

func (s *Service) PasswordSignIn(ctx context.Context, req *sessionv1.PasswordSignInRequest) (*sessionv1.PasswordSignInResponse, error) {
	body := cloudreveapi.PasswordSignInJSONRequestBody{
		Email: openapi_types.Email(req.GetEmail()), Password: req.GetPassword(),
		Captcha: values.NonZero(req.GetCaptcha()), Ticket: values.NonZero(req.GetTicket()),
	}
	data, err := upstream.Op[cloudreveapi.LoginResponse]("passwordSignIn").Decode(s.api.PasswordSignIn(ctx, body))
	if err != nil {
		// Code 203 is not a failure: the account wants its second factor,
		// and data is the 2FA session id.
		var ue *upstream.Error
		if errors.As(err, &ue) && ue.Code == upstream.CodeNotFullySuccessful {
			var sessionID string
			if json.Unmarshal(ue.Data, &sessionID) != nil || sessionID == "" {
				return nil, connect.Errorf(connect.CodeInternal, "passwordSignIn: code 203 without a 2FA session id: %v", err).WithCause(err)
			}
			return &sessionv1.PasswordSignInResponse{Result: &sessionv1.PasswordSignInResponse_TwoFactorRequired{
				TwoFactorRequired: &sessionv1.TwoFactorRequired{SessionId: sessionID},
			}}, nil
		}
		return nil, rpcerror.FromUpstream(err)
	}
	login, err := fromLogin("passwordSignIn", data)
	if err != nil {
		return nil, err
	}
	return &sessionv1.PasswordSignInResponse{Result: &sessionv1.PasswordSignInResponse_Login{Login: login}}, nil
}

func (s *Service) FinishSignInWith2FA(ctx context.Context, req *sessionv1.FinishSignInWith2FARequest) (*sessionv1.FinishSignInWith2FAResponse, error) {
	data, err := call.Op[cloudreveapi.LoginResponse]("finishSignInWith2FA").Do(s.api.FinishSignInWith2FA(ctx, cloudreveapi.FinishSignInWith2FAJSONRequestBody{Otp: req.GetOtp(), SessionId: req.GetSessionId()}))
	if err != nil {
		return nil, err
	}
	login, err := fromLogin("finishSignInWith2FA", data)
	if err != nil {
		return nil, err
	}
	return &sessionv1.FinishSignInWith2FAResponse{User: login.User, Token: login.Token}, nil
}

func (s *Service) RefreshToken(ctx context.Context, req *sessionv1.RefreshTokenRequest) (*sessionv1.RefreshTokenResponse, error) {
	data, err := call.Op[cloudreveapi.Token]("refreshToken").Need(s.api.RefreshToken(ctx, cloudreveapi.RefreshTokenJSONRequestBody{RefreshToken: req.GetRefreshToken()}))
	if err != nil {
		return nil, err
	}
	return &sessionv1.RefreshTokenResponse{Token: fromToken(data)}, nil
}

func (s *Service) SignOut(ctx context.Context, req *sessionv1.SignOutRequest) (*sessionv1.SignOutResponse, error) {
	data, err := call.Op[string]("signOut").Do(s.api.SignOut(ctx, cloudreveapi.SignOutJSONRequestBody{RefreshToken: req.GetRefreshToken()}))
	if err != nil {
		return nil, err
	}
	return &sessionv1.SignOutResponse{LogoutUrl: values.Deref(data)}, nil
}

func (s *Service) PrepareOpenIdSignIn(ctx context.Context, req *sessionv1.PrepareOpenIdSignInRequest) (*sessionv1.PrepareOpenIdSignInResponse, error) {
	linking := req.GetLinking()
	body := cloudreveapi.PrepareOpenIdSignInJSONRequestBody{Provider: cloudreveapi.OpenIDProviderType(req.GetProvider()), Linking: &linking}
	if h := req.GetHint(); h != "" {
		hint := openapi_types.Email(h)
		body.Hint = &hint
	}
	data, err := call.Op[string]("prepareOpenIdSignIn").Do(s.api.PrepareOpenIdSignIn(ctx, body))
	if err != nil {
		return nil, err
	}
	return &sessionv1.PrepareOpenIdSignInResponse{Url: values.Deref(data)}, nil
}

func (s *Service) FinishOpenIdSignIn(ctx context.Context, req *sessionv1.FinishOpenIdSignInRequest) (*sessionv1.FinishOpenIdSignInResponse, error) {
	body := cloudreveapi.FinishOpenIdSignInJSONRequestBody{Code: req.GetCode(), SessionId: req.GetSessionId(), ProviderId: cloudreveapi.OpenIDProviderType(req.GetProviderId())}
	data, err := call.Op[cloudreveapi.LoginResponse]("finishOpenIdSignIn").Do(s.api.FinishOpenIdSignIn(ctx, body))
	if err != nil {
		return nil, err
	}
	out := &sessionv1.FinishOpenIdSignInResponse{}
	if d := data; d != nil { // no data after linking an account
		out.User, out.Token = users.FromUser(&d.User), fromToken(&d.Token)
	}
	return out, nil
}

func (s *Service) UnlinkOpenId(ctx context.Context, req *sessionv1.UnlinkOpenIdRequest) (*sessionv1.UnlinkOpenIdResponse, error) {
	if err := call.Action("unlinkOpenId").Do(s.api.UnlinkOpenId(ctx, cloudreveapi.OpenIDProviderType(req.GetProviderId()))); err != nil {
		return nil, err
	}
	return &sessionv1.UnlinkOpenIdResponse{}, nil
}

func (s *Service) PreparePasskeySignIn(ctx context.Context, _ *sessionv1.PreparePasskeySignInRequest) (*sessionv1.PreparePasskeySignInResponse, error) {
	d, err := call.Op[cloudreveapi.PreparePasskeyLoginResponse]("preparePasskeySignIn").Need(s.api.PreparePasskeySignIn(ctx))
	if err != nil {
		return nil, err
	}
	options, err := toStruct(d.Options)
	if err != nil {
		return nil, connect.Errorf(connect.CodeInternal, "preparePasskeySignIn: %v", err).WithCause(err)
	}
	return &sessionv1.PreparePasskeySignInResponse{Options: options, SessionId: d.SessionId}, nil
}

func (s *Service) FinishPasskeySignIn(ctx context.Context, req *sessionv1.FinishPasskeySignInRequest) (*sessionv1.FinishPasskeySignInResponse, error) {
	data, err := call.Op[cloudreveapi.LoginResponse]("finishPasskeySignIn").Do(s.api.FinishPasskeySignIn(ctx, cloudreveapi.FinishPasskeySignInJSONRequestBody{Response: req.GetResponse(), SessionId: req.GetSessionId()}))
	if err != nil {
		return nil, err
	}
	login, err := fromLogin("finishPasskeySignIn", data)
	if err != nil {
		return nil, err
	}
	return &sessionv1.FinishPasskeySignInResponse{User: login.User, Token: login.Token}, nil
}

func (s *Service) PrepareLogin(ctx context.Context, req *sessionv1.PrepareLoginRequest) (*sessionv1.PrepareLoginResponse, error) {
	d, err := call.Op[cloudreveapi.PrepareLoginResult]("prepareLogin").Need(s.api.PrepareLogin(ctx, &cloudreveapi.PrepareLoginParams{Email: openapi_types.Email(req.GetEmail())}))
	if err != nil {
		return nil, err
	}
	return &sessionv1.PrepareLoginResponse{
		WebauthnEnabled: d.WebauthnEnabled, PasswordEnabled: d.PasswordEnabled,
		QqEnabled: values.Deref(d.QqEnabled), SsoEnabled: values.Deref(d.SsoEnabled),
	}, nil
}

func fromLogin(op string, d *cloudreveapi.LoginResponse) (*sessionv1.Login, error) {
	if d == nil {
		return nil, call.NoData(op)
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

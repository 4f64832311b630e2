package session

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	sessionv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1/sessionv1connect"
	"github.com/cloudreve-connect/facade/internal/servicetest"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/sandbox/sandboxtest"
)

// serve serves the session service over api (the caller's client, or an
// anonymous one for sign-in itself).
func serve(t *testing.T, api cloudreveapi.ClientInterface, p servicetest.Protocol) sessionv1connect.SessionServiceClient {
	t.Helper()
	server := connect.NewServer()
	sessionv1connect.RegisterSessionServiceHandler(server, New(api))
	return servicetest.Client(servicetest.Serve(t, server), p, sessionv1connect.NewSessionServiceClient)
}

func anonymous(t *testing.T, up *sandboxtest.Upstream) cloudreveapi.ClientInterface {
	t.Helper()
	c, err := cloudreveapi.NewClient(up.APIURL)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Password sign-in, refresh and sign-out: tokens and times converted, and a
// signed-out refresh token refused with the upstream's code.
func TestTokenLifecycle(t *testing.T) {
	t.Parallel()
	up := sandboxtest.Start(t, sandbox.Options{})
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			email, password := "lena-"+p.Name+"@example.com", "password-lena"
			if _, err := up.CreateUser(email, password, "Lena"); err != nil {
				t.Fatal(err)
			}
			c := serve(t, anonymous(t, up), p)
			ctx := context.Background()

			_, err := c.PasswordSignIn(ctx, &sessionv1.PasswordSignInRequest{Email: email, Password: "not-" + password})
			servicetest.WantUpstreamCode(t, err, connect.CodeUnauthenticated, "passwordSignIn", upstream.CodeInvalidPassword)

			in, err := c.PasswordSignIn(ctx, &sessionv1.PasswordSignInRequest{Email: email, Password: password})
			if err != nil {
				t.Fatal(err)
			}
			login := in.GetLogin()
			if u := login.GetUser(); u.GetEmail() != email || u.GetNickname() != "Lena" || u.GetId() == "" {
				t.Errorf("user: %v", u)
			}
			tok := login.GetToken()
			now := time.Now()
			if tok.GetAccessToken() == "" || tok.GetRefreshToken() == "" ||
				!tok.GetAccessExpires().AsTime().After(now) || !tok.GetRefreshExpires().AsTime().After(tok.GetAccessExpires().AsTime()) {
				t.Errorf("token: %v", tok)
			}

			refreshed, err := c.RefreshToken(ctx, &sessionv1.RefreshTokenRequest{RefreshToken: tok.GetRefreshToken()})
			if err != nil || refreshed.GetToken().GetAccessToken() == "" || !refreshed.GetToken().GetAccessExpires().AsTime().After(now) {
				t.Fatalf("refresh: %v %v", refreshed, err)
			}
			if _, err := c.SignOut(ctx, &sessionv1.SignOutRequest{RefreshToken: refreshed.GetToken().GetRefreshToken()}); err != nil {
				t.Fatal(err)
			}
			_, err = c.RefreshToken(ctx, &sessionv1.RefreshTokenRequest{RefreshToken: refreshed.GetToken().GetRefreshToken()})
			servicetest.WantUpstreamCode(t, err, connect.CodeUnauthenticated, "refreshToken", upstream.CodeCredentialInvalid)
		})
	}
}

// Code 203 is not a failure: the answer is the typed TwoFactorRequired, and
// the second step signs in.
func TestTwoFactorSignIn(t *testing.T) {
	t.Parallel()
	up := sandboxtest.Start(t, sandbox.Options{})
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			email, password := "tess-"+p.Name+"@example.com", "password-tess"
			id, err := up.CreateUser(email, password, "Tess")
			if err != nil {
				t.Fatal(err)
			}
			secret := enable2FA(t, up, id)
			c := serve(t, anonymous(t, up), p)

			in, err := c.PasswordSignIn(ctx, &sessionv1.PasswordSignInRequest{Email: email, Password: password})
			sid := in.GetTwoFactorRequired().GetSessionId()
			if err != nil || sid == "" || in.GetLogin() != nil {
				t.Fatalf("want TwoFactorRequired: %v %v", in, err)
			}
			done, err := c.FinishSignInWith2FA(ctx, &sessionv1.FinishSignInWith2FARequest{Otp: totp(t, secret), SessionId: sid})
			if err != nil || done.GetUser().GetEmail() != email || done.GetToken().GetAccessToken() == "" {
				t.Fatalf("finish: %v %v", done, err)
			}
			_, err = c.FinishSignInWith2FA(ctx, &sessionv1.FinishSignInWith2FARequest{Otp: totp(t, secret), SessionId: sid})
			servicetest.WantUpstreamCode(t, err, connect.CodeNotFound, "finishSignInWith2FA", upstream.CodeNotFound)
		})
	}
}

// enable2FA turns TOTP on for the user, through the upstream's own API, and
// returns the secret.
func enable2FA(t *testing.T, up *sandboxtest.Upstream, userID string) string {
	t.Helper()
	access, _, err := up.IssueTokens(userID)
	if err != nil {
		t.Fatal(err)
	}
	api, err := cloudreveapi.NewClient(up.APIURL, cloudreveapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+access)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	secret, err := upstream.Op[string]("prepareEnabling2FA").Need(api.PrepareEnabling2FA(ctx))
	if err != nil {
		t.Fatal(err)
	}
	on := cloudreveapi.UpdatePreferenceSettingJSONRequestBody{TwoFaEnabled: values.Ptr(true), TwoFaCode: values.Ptr(totp(t, *secret))}
	if err := upstream.Action("updatePreferenceSetting").Check(api.UpdatePreferenceSetting(ctx, on)); err != nil {
		t.Fatal(err)
	}
	return *secret
}

func totp(t *testing.T, secret string) string {
	t.Helper()
	code, err := sandbox.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestPrepareLoginAndPasskeys(t *testing.T) {
	t.Parallel()
	up := sandboxtest.Start(t, sandbox.Options{})
	if _, err := up.CreateUser("pia@example.com", "password-pia", "Pia"); err != nil {
		t.Fatal(err)
	}
	off := sandboxtest.Start(t, sandbox.Options{NoPasskeys: true})
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			c := serve(t, anonymous(t, up), p)
			ctx := context.Background()
			how, err := c.PrepareLogin(ctx, &sessionv1.PrepareLoginRequest{Email: "pia@example.com"})
			if err != nil || !how.GetPasswordEnabled() || how.GetWebauthnEnabled() {
				t.Errorf("prepare login: %v %v", how, err)
			}
			_, err = c.PrepareLogin(ctx, &sessionv1.PrepareLoginRequest{Email: "nobody@example.com"})
			servicetest.WantUpstreamCode(t, err, connect.CodeNotFound, "prepareLogin", upstream.CodeNotFound)

			// The WebAuthn options travel untouched as a Struct.
			pk, err := c.PreparePasskeySignIn(ctx, &sessionv1.PreparePasskeySignInRequest{})
			if err != nil {
				t.Fatal(err)
			}
			public := pk.GetOptions().GetFields()["publicKey"].GetStructValue().GetFields()
			if pk.GetSessionId() == "" || public["challenge"].GetStringValue() == "" || public["timeout"].GetNumberValue() != 300000 {
				t.Errorf("passkey options: %v", pk)
			}
			_, err = serve(t, anonymous(t, off), p).PreparePasskeySignIn(ctx, &sessionv1.PreparePasskeySignInRequest{})
			servicetest.WantUpstreamCode(t, err, connect.CodeFailedPrecondition, "preparePasskeySignIn", upstream.CodeFeatureDisabled)
		})
	}
}

// OpenID on a pro upstream: the first sign-in creates the account; unlinking
// a provider never linked is the upstream's to refuse.
func TestOpenIDSignIn(t *testing.T) {
	t.Parallel()
	up := sandboxtest.Start(t, sandbox.Options{Edition: sandbox.EditionPro})
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			c := serve(t, anonymous(t, up), p)
			ctx := context.Background()
			start, err := c.PrepareOpenIdSignIn(ctx, &sessionv1.PrepareOpenIdSignInRequest{Provider: 1, Hint: "olly@example.com"})
			if err != nil || start.GetUrl() == "" {
				t.Fatalf("prepare: %v %v", start, err)
			}
			email := "olly-" + p.Name + "@example.com"
			code := up.OpenIDCode(start.GetUrl(), email)
			// The provider hands the sign-in session back as the URL's state.
			sessionID := must(url.Parse(start.GetUrl())).Query().Get("state")
			in, err := c.FinishOpenIdSignIn(ctx, &sessionv1.FinishOpenIdSignInRequest{Code: code, SessionId: sessionID, ProviderId: 1})
			if err != nil || in.GetUser().GetEmail() != email || in.GetToken().GetAccessToken() == "" {
				t.Fatalf("finish: %v %v", in, err)
			}
			_, err = c.FinishOpenIdSignIn(ctx, &sessionv1.FinishOpenIdSignInRequest{Code: code, SessionId: sessionID, ProviderId: 1})
			servicetest.WantUpstreamCode(t, err, connect.CodeNotFound, "finishOpenIdSignIn", upstream.CodeNotFound)

			signedIn := serve(t, up.NewAccount(t, "ursula-"+p.Name).Client, p)
			_, err = signedIn.UnlinkOpenId(ctx, &sessionv1.UnlinkOpenIdRequest{ProviderId: 1})
			servicetest.WantUpstreamCode(t, err, connect.CodeFailedPrecondition, "unlinkOpenId", upstream.CodeOpenIDNotLinked)
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

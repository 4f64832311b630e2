package tests

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect/v2"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	sessionv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1/sessionv1connect"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1/sitev1connect"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1/userv1connect"
	webdavv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/webdav/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/webdav/v1/webdavv1connect"
	"github.com/cloudreve-connect/facade/sandbox"
)

// Clients of the account-side services.
type accountClients struct {
	site    sitev1connect.SiteServiceClient
	session sessionv1connect.SessionServiceClient
	user    userv1connect.UserServiceClient
	dav     webdavv1connect.DavAccountServiceClient
}

func clientsOf(f *facade, opts ...clientOption) accountClients {
	c := h2cClient()
	return accountClients{
		site:    sitev1connect.NewSiteServiceClient(connectClient(c, f.URL, opts...)),
		session: sessionv1connect.NewSessionServiceClient(connectClient(c, f.URL, opts...)),
		user:    userv1connect.NewUserServiceClient(connectClient(c, f.URL, opts...)),
		dav:     webdavv1connect.NewDavAccountServiceClient(connectClient(c, f.URL, opts...)),
	}
}

func totpNow(t *testing.T, secret string) string {
	t.Helper()
	code, err := sandbox.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func wrongCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

// A whole account life: sign up, sign in, turn 2FA on, sign in again
// (second factor asked, then given), refresh, sign out, and the refresh
// token refused afterwards.
func TestAccountLifeCycle(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	ctx := context.Background()
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			guest := clientsOf(e.f, p.opts...)
			email := "life-" + p.name + "@example.com"
			up, err := guest.user.SignUp(ctx, &userv1.SignUpRequest{Email: email, Password: "first-secret"})
			if err != nil || up.GetUser().GetEmail() != email || up.GetActivationRequired() {
				t.Fatalf("SignUp: %v %v", up, err)
			}
			if _, err := guest.user.SignUp(ctx, &userv1.SignUpRequest{Email: email, Password: "first-secret"}); connect.CodeOf(err) != connect.CodeAlreadyExists {
				t.Errorf("second SignUp: %v", err)
			}
			if _, err := guest.session.PasswordSignIn(ctx, &sessionv1.PasswordSignInRequest{Email: email, Password: "wrong-secret"}); connect.CodeOf(err) != connect.CodeUnauthenticated {
				t.Errorf("wrong password: %v", err)
			}
			in, err := guest.session.PasswordSignIn(ctx, &sessionv1.PasswordSignInRequest{Email: email, Password: "first-secret"})
			if err != nil || in.GetLogin().GetToken().GetAccessToken() == "" || in.GetLogin().GetUser().GetId() != up.GetUser().GetId() {
				t.Fatalf("PasswordSignIn: %v %v", in, err)
			}
			me := clientsOf(e.f, append(p.opts, withToken(in.GetLogin().GetToken().GetAccessToken()))...)

			// Turn on 2FA: a pending secret, confirmed by a code.
			secret, err := me.user.PrepareEnabling2FA(ctx, &userv1.PrepareEnabling2FARequest{})
			if err != nil || secret.GetSecret() == "" {
				t.Fatalf("PrepareEnabling2FA: %v %v", secret, err)
			}
			code := totpNow(t, secret.GetSecret())
			on := true
			if _, err := me.user.UpdatePreferenceSetting(ctx, &userv1.UpdatePreferenceSettingRequest{TwoFaEnabled: &on, TwoFaCode: &[]string{wrongCode(code)}[0]}); connect.CodeOf(err) != connect.CodeUnauthenticated {
				t.Errorf("enabling 2FA with a wrong code: %v", err)
			}
			if _, err := me.user.UpdatePreferenceSetting(ctx, &userv1.UpdatePreferenceSettingRequest{TwoFaEnabled: &on, TwoFaCode: &code}); err != nil {
				t.Fatalf("enabling 2FA: %v", err)
			}
			prefs, err := me.user.GetPreferences(ctx, &userv1.GetPreferencesRequest{})
			if err != nil || !prefs.GetSettings().GetTwoFaEnabled() {
				t.Fatalf("GetPreferences: %v %v", prefs, err)
			}

			// Signing in now asks for the second factor, as a typed answer.
			in, err = guest.session.PasswordSignIn(ctx, &sessionv1.PasswordSignInRequest{Email: email, Password: "first-secret"})
			sid := in.GetTwoFactorRequired().GetSessionId()
			if err != nil || sid == "" || in.GetLogin() != nil {
				t.Fatalf("PasswordSignIn with 2FA: %v %v", in, err)
			}
			code = totpNow(t, secret.GetSecret())
			if _, err := guest.session.FinishSignInWith2FA(ctx, &sessionv1.FinishSignInWith2FARequest{Otp: wrongCode(code), SessionId: sid}); connect.CodeOf(err) != connect.CodeUnauthenticated {
				t.Errorf("wrong 2FA code: %v", err)
			}
			done, err := guest.session.FinishSignInWith2FA(ctx, &sessionv1.FinishSignInWith2FARequest{Otp: code, SessionId: sid})
			if err != nil || done.GetToken().GetRefreshToken() == "" || done.GetUser().GetEmail() != email {
				t.Fatalf("FinishSignInWith2FA: %v %v", done, err)
			}
			if _, err := guest.session.FinishSignInWith2FA(ctx, &sessionv1.FinishSignInWith2FARequest{Otp: code, SessionId: sid}); connect.CodeOf(err) != connect.CodeNotFound {
				t.Errorf("2FA session used twice: %v", err)
			}

			refreshed, err := guest.session.RefreshToken(ctx, &sessionv1.RefreshTokenRequest{RefreshToken: done.GetToken().GetRefreshToken()})
			if err != nil || refreshed.GetToken().GetAccessToken() == "" || !refreshed.GetToken().GetAccessExpires().AsTime().After(time.Now()) {
				t.Fatalf("RefreshToken: %v %v", refreshed, err)
			}
			// A refresh token is no access token: the upstream answers 40020.
			asAccess := clientsOf(e.f, append(p.opts, withToken(refreshed.GetToken().GetRefreshToken()))...)
			if _, err := asAccess.user.GetStorageCapacity(ctx, &userv1.GetStorageCapacityRequest{}); connect.CodeOf(err) != connect.CodeUnauthenticated {
				t.Errorf("refresh token as bearer: %v", err)
			}
			if _, err := guest.session.SignOut(ctx, &sessionv1.SignOutRequest{RefreshToken: refreshed.GetToken().GetRefreshToken()}); err != nil {
				t.Fatalf("SignOut: %v", err)
			}
			_, err = guest.session.RefreshToken(ctx, &sessionv1.RefreshTokenRequest{RefreshToken: done.GetToken().GetRefreshToken()})
			if connect.CodeOf(err) != connect.CodeUnauthenticated {
				t.Fatalf("refresh after sign-out: %v", err)
			}
			if _, up := errorDetails(t, err); up.GetCode() != 40020 {
				t.Errorf("refresh after sign-out: upstream code %d", up.GetCode())
			}
		})
	}
}

// WebDAV accounts: the password comes once, listings never show it, and an
// update changes only what it sets.
func TestDavAccounts(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	ctx := context.Background()
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			c := clientsOf(e.f, append(p.opts, withToken(e.alice.Token))...)
			made, err := c.dav.CreateDavAccount(ctx, &webdavv1.CreateDavAccountRequest{Uri: "cloudreve://my", Name: "laptop-" + p.name, Readonly: true, DisableSysFiles: true})
			if err != nil || len(made.GetPassword()) != 32 || !made.GetAccount().GetReadonly() || !made.GetAccount().GetDisableSysFiles() {
				t.Fatalf("CreateDavAccount: %v %v", made, err)
			}
			id := made.GetAccount().GetId()
			// Only the name changes; readonly and disable_sys_files are kept
			// although the upstream's update resets omitted flags.
			newName := "renamed-" + p.name
			upd, err := c.dav.UpdateDavAccount(ctx, &webdavv1.UpdateDavAccountRequest{Id: id, Name: &newName})
			if err != nil || upd.GetAccount().GetName() != newName || !upd.GetAccount().GetReadonly() || !upd.GetAccount().GetDisableSysFiles() || upd.GetAccount().GetUri() != "cloudreve://my" {
				t.Fatalf("UpdateDavAccount: %v %v", upd, err)
			}
			off := false
			upd, err = c.dav.UpdateDavAccount(ctx, &webdavv1.UpdateDavAccountRequest{Id: id, Readonly: &off})
			if err != nil || upd.GetAccount().GetReadonly() || !upd.GetAccount().GetDisableSysFiles() || upd.GetAccount().GetName() != newName {
				t.Fatalf("UpdateDavAccount readonly=false: %v %v", upd, err)
			}
			list, err := c.dav.ListDavAccounts(ctx, &webdavv1.ListDavAccountsRequest{PageSize: 10})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, a := range list.GetAccounts() {
				found = found || a.GetId() == id
			}
			if !found {
				t.Errorf("listing %v lacks %s", list, id)
			}
			raw, _ := connectMarshal(list)
			if strings.Contains(raw, made.GetPassword()) {
				t.Error("the listing carries the account's password")
			}
			if _, err := c.dav.DeleteDavAccount(ctx, &webdavv1.DeleteDavAccountRequest{Id: id}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.dav.UpdateDavAccount(ctx, &webdavv1.UpdateDavAccountRequest{Id: id, Name: &newName}); connect.CodeOf(err) != connect.CodeNotFound {
				t.Errorf("update after delete: %v", err)
			}
			if _, err := c.dav.DeleteDavAccount(ctx, &webdavv1.DeleteDavAccountRequest{Id: id}); connect.CodeOf(err) != connect.CodeNotFound {
				t.Errorf("delete twice: %v", err)
			}
			before := e.up.requests.Load()
			if _, err := c.dav.CreateDavAccount(ctx, &webdavv1.CreateDavAccountRequest{Uri: "/etc", Name: "x"}); connect.CodeOf(err) != connect.CodeInvalidArgument {
				t.Errorf("bad URI: %v", err)
			}
			if n := e.up.requests.Load() - before; n != 0 {
				t.Errorf("%d upstream calls for an invalid request", n)
			}
		})
	}
}

func pngOf(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	img.Set(0, 0, color.RGBA{R: 255, A: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// connectMarshal is the JSON a Connect client would receive.
func connectMarshal(m proto.Message) (string, error) {
	b, err := protojson.Marshal(m)
	return string(b), err
}

func decodePNG(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }

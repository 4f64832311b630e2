package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/boolset"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// typed is a client that keeps error data aside, as the facade's does: the
// 203 of a 2FA sign-in carries a string where a LoginResponse would be.
func (e *env) typed(token string) *cloudreveapi.ClientWithResponses {
	e.t.Helper()
	c, err := cloudreveapi.NewClientWithResponses(e.srv.URL+APIPrefix,
		cloudreveapi.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			return nil
		}))
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func TestTwoFactorSignIn(t *testing.T) {
	e := newEnv(t, Options{})
	uid, me := e.user("ann@example.com")
	secret := must(me.PrepareEnabling2FAWithResponse(bg)).JSON200.Data
	now, _ := TOTPCode(*secret, time.Now())
	on := true
	// Enabling needs the code of the pending secret.
	bad := must(me.UpdatePreferenceSettingWithResponse(bg, cloudreveapi.PatchUserSetting{TwoFaEnabled: &on, TwoFaCode: values.Ptr("12345x")}))
	code(t, "wrong code", bad.JSON200.Code, 40022, bad.JSON200.Msg)
	ok := must(me.UpdatePreferenceSettingWithResponse(bg, cloudreveapi.PatchUserSetting{TwoFaEnabled: &on, TwoFaCode: &now}))
	code(t, "enable 2FA", ok.JSON200.Code, 0, ok.JSON200.Msg)

	guest := e.typed("")
	_, err := upstream.Op[cloudreveapi.LoginResponse]("passwordSignIn").Decode(guest.PasswordSignIn(bg, cloudreveapi.PasswordSignInJSONRequestBody{Email: openapi_types.Email("ann@example.com"), Password: "password123"}))
	var ue *upstream.Error
	if !asError(err, &ue) || ue.Code != 203 {
		t.Fatalf("sign-in with 2FA: %v", err)
	}
	var sid string
	if json.Unmarshal(ue.Data, &sid) != nil || len(sid) != 36 {
		t.Fatalf("2FA session id %s", ue.Data)
	}
	wrong := must(guest.FinishSignInWith2FAWithResponse(bg, cloudreveapi.FinishSignInWith2FAJSONRequestBody{Otp: "000000", SessionId: sid}))
	if wrong.JSON200 == nil || wrong.JSON200.Code != 40022 {
		t.Fatalf("wrong code: %s", wrong.Body)
	}
	now, _ = TOTPCode(*secret, time.Now())
	done := must(guest.FinishSignInWith2FAWithResponse(bg, cloudreveapi.FinishSignInWith2FAJSONRequestBody{Otp: now, SessionId: sid}))
	code(t, "finish 2FA", done.JSON200.Code, 0, done.JSON200.Msg)
	if done.JSON200.Data.User.Id != uid {
		t.Errorf("signed in as %s", done.JSON200.Data.User.Id)
	}
	again := must(guest.FinishSignInWith2FAWithResponse(bg, cloudreveapi.FinishSignInWith2FAJSONRequestBody{Otp: now, SessionId: sid}))
	code(t, "2FA session reused", again.JSON200.Code, 404, again.JSON200.Msg)
	if n := e.s.SignInCount(); n != 1 {
		t.Errorf("%d sign-ins, want 1", n)
	}
}

func asError(err error, target **upstream.Error) bool {
	ue, ok := err.(*upstream.Error)
	*target = ue
	return ok
}

func TestPasswordChangeKillsRefreshTokens(t *testing.T) {
	e := newEnv(t, Options{})
	uid, me := e.user("ann@example.com")
	_, refresh, _ := e.s.IssueTokens(uid)
	wrong := must(me.UpdatePreferenceSettingWithResponse(bg, cloudreveapi.PatchUserSetting{CurrentPassword: values.Ptr("nope-nope"), NewPassword: values.Ptr("brand-new-pw")}))
	code(t, "wrong current password", wrong.JSON200.Code, 40069, wrong.JSON200.Msg)
	ok := must(me.UpdatePreferenceSettingWithResponse(bg, cloudreveapi.PatchUserSetting{CurrentPassword: values.Ptr("password123"), NewPassword: values.Ptr("brand-new-pw")}))
	code(t, "change password", ok.JSON200.Code, 0, ok.JSON200.Msg)
	r := must(e.client("").RefreshTokenWithResponse(bg, cloudreveapi.RefreshTokenJSONRequestBody{RefreshToken: refresh}))
	code(t, "old refresh token", r.JSON200.Code, 40020, r.JSON200.Msg)

	// Reset by mail: the secret is used once.
	guest := e.client("")
	code(t, "reset mail", must(guest.SendResetPasswordEmailWithResponse(bg, cloudreveapi.SendResetPasswordEmailJSONRequestBody{Email: "ann@example.com"})).JSON200.Code, 0, "")
	code(t, "reset mail of nobody", must(guest.SendResetPasswordEmailWithResponse(bg, cloudreveapi.SendResetPasswordEmailJSONRequestBody{Email: "x@example.com"})).JSON200.Code, 40021, "")
	secret := e.s.ResetLink(uid)
	body := cloudreveapi.ResetPasswordViaTempLinkJSONRequestBody{Password: "after-reset", Secret: secret}
	code(t, "reset", must(guest.ResetPasswordViaTempLinkWithResponse(bg, uid, body)).JSON200.Code, 0, "")
	code(t, "reset twice", must(guest.ResetPasswordViaTempLinkWithResponse(bg, uid, body)).JSON200.Code, 40030, "")
	in := must(guest.PasswordSignInWithResponse(bg, cloudreveapi.PasswordSignInJSONRequestBody{Email: "ann@example.com", Password: "after-reset"}))
	code(t, "sign in with the new password", in.JSON200.Code, 0, in.JSON200.Msg)
}

func TestProfiles(t *testing.T) {
	e := newEnv(t, Options{})
	ann, me := e.user("ann@example.com")
	guest := e.client("")
	info := must(guest.GetUserWithResponse(bg, ann))
	code(t, "get user", info.JSON200.Code, 0, info.JSON200.Msg)
	if info.JSON200.Data.Email != nil || info.JSON200.Data.Group == nil || info.JSON200.Data.Group.Permission != nil {
		t.Errorf("guest view not redacted: %+v", info.JSON200.Data)
	}
	if u := must(me.GetUserWithResponse(bg, ann)).JSON200.Data; u.Email == nil {
		t.Error("signed-in view lacks the e-mail")
	}
	// An unknown id leaks code -1; a non-hashid is 40001.
	unknown := must(guest.GetUserWithResponse(bg, e.s.c.ids.encode(kindUser, 999)))
	code(t, "unknown user", unknown.JSON200.Code, -1, unknown.JSON200.Msg)
	code(t, "bad id", must(guest.GetUserWithResponse(bg, "!!")).JSON200.Code, 40001, "")
	found := must(me.SearchUserWithResponse(bg, &cloudreveapi.SearchUserParams{Keyword: "ANN@"}))
	if found.JSON200.Code != 0 || len(*found.JSON200.Data) != 1 {
		t.Errorf("search: %s", found.Body)
	}
	code(t, "short keyword", must(me.SearchUserWithResponse(bg, &cloudreveapi.SearchUserParams{Keyword: "a"})).JSON200.Code, 40001, "")

	// Pictures: none (empty 404), uploaded (PNG, at most 200 px), Gravatar (302).
	nopic := must(guest.GetProfilePictureWithResponse(bg, ann, nil))
	if nopic.StatusCode() != 404 || len(nopic.Body) != 0 {
		t.Errorf("no picture: HTTP %d %q", nopic.StatusCode(), nopic.Body)
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, 600, 300)))
	up := must(me.UpdateProfilePictureWithBodyWithResponse(bg, "image/png", bytes.NewReader(buf.Bytes())))
	code(t, "upload picture", up.JSON200.Code, 0, up.JSON200.Msg)
	pic := must(guest.GetProfilePictureWithResponse(bg, ann, nil))
	img, err := png.Decode(bytes.NewReader(pic.Body))
	if pic.StatusCode() != 200 || err != nil || img.Bounds().Dx() != 200 || img.Bounds().Dy() != 100 {
		t.Fatalf("picture: HTTP %d %v", pic.StatusCode(), err)
	}
	if cc := pic.HTTPResponse.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "public") {
		t.Errorf("Cache-Control %q", cc)
	}
	bad := must(me.UpdateProfilePictureWithBodyWithResponse(bg, "image/png", strings.NewReader("garbage")))
	code(t, "broken picture", bad.JSON200.Code, 40001, bad.JSON200.Msg)
	reset := must(me.UpdateProfilePictureWithBodyWithResponse(bg, "image/png", bytes.NewReader(nil)))
	code(t, "gravatar", reset.JSON200.Code, 0, reset.JSON200.Msg)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(e.srv.URL + APIPrefix + "/user/avatar/" + ann)
	if err != nil || resp.StatusCode != 302 || !strings.HasPrefix(resp.Header.Get("Location"), "https://www.gravatar.com/avatar/") {
		t.Fatalf("gravatar: %v %v", resp, err)
	}
	resp.Body.Close()
	gone := must(guest.GetProfilePictureWithResponse(bg, e.s.c.ids.encode(kindUser, 999), nil))
	if gone.JSON200 == nil || gone.JSON200.Code != 40021 {
		t.Errorf("picture of nobody: HTTP %d %s", gone.StatusCode(), gone.Body)
	}
}

func TestDavAccountSemantics(t *testing.T) {
	// WebDAV without its proxy, as an administrator may set the User group.
	e := newEnv(t, Options{UserPermissions: []userv1.GroupPermission{userv1.GroupPermission_GROUP_PERMISSION_WEBDAV}})
	e.user("admin@example.com") // the first account is the admin
	_, me := e.user("ann@example.com")
	made := must(me.CreateDavAccountWithResponse(bg, cloudreveapi.CreateDavAccountService{Uri: "cloudreve://my", Name: "a", Readonly: values.Ptr(true), Proxy: values.Ptr(true)}))
	code(t, "create", made.JSON200.Code, 0, made.JSON200.Msg)
	acc := made.JSON200.Data
	if len(acc.Password) != 32 || acc.Options == nil || *acc.Options != boolset.Encode(davReadonly) {
		t.Errorf("created %+v (proxy must be dropped for a group without WebDAV proxy)", acc)
	}
	// The update is a full replacement: readonly left out becomes false.
	upd := must(me.UpdateDavAccountWithResponse(bg, acc.Id, cloudreveapi.CreateDavAccountService{Uri: "cloudreve://my", Name: "b"}))
	code(t, "update", upd.JSON200.Code, 0, upd.JSON200.Msg)
	if *upd.JSON200.Data.Options != boolset.Encode() || upd.JSON200.Data.Password != acc.Password {
		t.Errorf("updated %+v", upd.JSON200.Data)
	}
	for i := 0; i < 11; i++ {
		must(me.CreateDavAccountWithResponse(bg, cloudreveapi.CreateDavAccountService{Uri: "cloudreve://my", Name: "n"}))
	}
	page := must(me.ListDavAccountsWithResponse(bg, &cloudreveapi.ListDavAccountsParams{PageSize: 10}))
	if len(page.JSON200.Data.Accounts) != 10 || page.JSON200.Data.Pagination.NextToken == nil || page.JSON200.Data.Accounts[0].Password == "" {
		t.Fatalf("first page %s", page.Body)
	}
	rest := must(me.ListDavAccountsWithResponse(bg, &cloudreveapi.ListDavAccountsParams{PageSize: 10, NextPageToken: page.JSON200.Data.Pagination.NextToken}))
	if n := len(rest.JSON200.Data.Accounts); n != 2 || rest.JSON200.Data.Accounts[1].Id != acc.Id {
		t.Errorf("second page %s", rest.Body)
	}
	code(t, "bad token", must(me.ListDavAccountsWithResponse(bg, &cloudreveapi.ListDavAccountsParams{PageSize: 10, NextPageToken: values.Ptr("%%")})).JSON200.Code, 50001, "")
	code(t, "bad uri", must(me.CreateDavAccountWithResponse(bg, cloudreveapi.CreateDavAccountService{Uri: "cloudreve://my?x=1", Name: "a"})).JSON200.Code, 40001, "")
	_, other := e.user("bob@example.com")
	code(t, "someone else's", must(other.DeleteDavAccountWithResponse(bg, acc.Id)).JSON200.Code, 404, "")
	code(t, "delete", must(me.DeleteDavAccountWithResponse(bg, acc.Id)).JSON200.Code, 0, "")
}

func TestPasskeyCeremonies(t *testing.T) {
	e := newEnv(t, Options{})
	uid, me := e.user("ann@example.com")
	opts := must(me.PreparePasskeyRegistrationWithResponse(bg)).JSON200.Data
	challenge, _ := opts.PublicKey["challenge"].(string)
	stale := must(me.FinishPasskeyRegistrationWithResponse(bg, cloudreveapi.FinishPasskeyRegistrationService{Response: PasskeyAttestation([]byte("k1"), "other"), Name: "n", Ua: "ua"}))
	code(t, "wrong challenge", stale.JSON200.Code, 40025, stale.JSON200.Msg)
	garbage := must(me.FinishPasskeyRegistrationWithResponse(bg, cloudreveapi.FinishPasskeyRegistrationService{Response: "{", Name: "n", Ua: "ua"}))
	code(t, "garbage", garbage.JSON200.Code, 40001, garbage.JSON200.Msg)
	reg := must(me.FinishPasskeyRegistrationWithResponse(bg, cloudreveapi.FinishPasskeyRegistrationService{Response: PasskeyAttestation([]byte("k1"), challenge), Name: "n", Ua: "ua"}))
	code(t, "register", reg.JSON200.Code, 0, reg.JSON200.Msg)
	guest := e.client("")
	if m := must(guest.PrepareLoginWithResponse(bg, &cloudreveapi.PrepareLoginParams{Email: "ann@example.com"})).JSON200.Data; !m.WebauthnEnabled {
		t.Error("PrepareLogin: passkeys not reported")
	}
	start := must(guest.PreparePasskeySignInWithResponse(bg)).JSON200.Data
	in := must(guest.FinishPasskeySignInWithResponse(bg, cloudreveapi.FinishPasskeySignInService{SessionId: start.SessionId, Response: PasskeyAssertion([]byte("k1"), uid, start.Options.PublicKey.Challenge)}))
	code(t, "passkey sign-in", in.JSON200.Code, 0, in.JSON200.Msg)
	other := must(guest.FinishPasskeySignInWithResponse(bg, cloudreveapi.FinishPasskeySignInService{SessionId: start.SessionId, Response: PasskeyAssertion([]byte("k2"), uid, start.Options.PublicKey.Challenge)}))
	code(t, "unknown credential", other.JSON200.Code, 40025, other.JSON200.Msg)

	off := newEnv(t, Options{NoPasskeys: true})
	code(t, "passkeys off", must(off.client("").PreparePasskeySignInWithResponse(bg)).JSON200.Code, 40019, "")
}

func TestCaptchaAndActivation(t *testing.T) {
	e := newEnv(t, Options{Captcha: true, EmailActivation: true})
	guest := e.typed("")
	cap := must(guest.GetCaptchaWithResponse(bg)).JSON200.Data
	if !strings.HasPrefix(cap.Image, "data:image/png;base64,") {
		t.Fatalf("image %.40s", cap.Image)
	}
	body := cloudreveapi.SignUpJSONRequestBody{Email: "new@example.com", Password: "secret-1", Ticket: &cap.Ticket, Captcha: values.Ptr("wrong")}
	r := must(guest.SignUpWithResponse(bg, body))
	code(t, "wrong captcha", r.JSON200.Code, 40026, r.JSON200.Msg)
	cap = must(guest.GetCaptchaWithResponse(bg)).JSON200.Data
	body.Ticket, body.Captcha = &cap.Ticket, values.Ptr(e.s.CaptchaAnswer(cap.Ticket))
	r = must(guest.SignUpWithResponse(bg, body))
	code(t, "sign up with activation", r.JSON200.Code, 203, r.JSON200.Msg)
	cap = must(guest.GetCaptchaWithResponse(bg)).JSON200.Data
	in := must(guest.PasswordSignInWithResponse(bg, cloudreveapi.PasswordSignInJSONRequestBody{Email: "new@example.com", Password: "secret-1", Ticket: &cap.Ticket, Captcha: values.Ptr(e.s.CaptchaAnswer(cap.Ticket))}))
	code(t, "inactive sign-in", in.JSON200.Code, 40018, in.JSON200.Msg)
}

func TestProfileShares(t *testing.T) {
	e := newEnv(t, Options{})
	ann, me := e.user("ann@example.com")
	put(t, me, "cloudreve://my/open.txt", "a")
	put(t, me, "cloudreve://my/secret.txt", "b")
	for _, b := range []cloudreveapi.ShareCreateService{{Uri: "cloudreve://my/open.txt"}, {Uri: "cloudreve://my/secret.txt", IsPrivate: values.Ptr(true)}} {
		r := must(me.CreateShareLinkWithResponse(bg, b))
		code(t, "share "+b.Uri, r.JSON200.Code, 0, r.JSON200.Msg)
	}
	guest := e.client("")
	list := func() []cloudreveapi.Share {
		r := must(guest.ListUsersShareLinksWithResponse(bg, ann, &cloudreveapi.ListUsersShareLinksParams{PageSize: 10}))
		code(t, "profile shares", r.JSON200.Code, 0, r.JSON200.Msg)
		return *r.JSON200.Data.Shares
	}
	if got := list(); len(got) != 1 || got[0].Unlocked || got[0].Password != nil || *got[0].Name != "open.txt" {
		t.Fatalf("public shares %+v", got)
	}
	all := cloudreveapi.AllShare
	must(me.UpdatePreferenceSettingWithResponse(bg, cloudreveapi.PatchUserSetting{ShareLinksInProfile: &all}))
	if got := list(); len(got) != 2 {
		t.Errorf("all shares %+v", got)
	}
	hide := cloudreveapi.HideShare
	must(me.UpdatePreferenceSettingWithResponse(bg, cloudreveapi.PatchUserSetting{ShareLinksInProfile: &hide}))
	r := must(guest.ListUsersShareLinksWithResponse(bg, ann, &cloudreveapi.ListUsersShareLinksParams{PageSize: 10}))
	code(t, "hidden shares", r.JSON200.Code, 40001, r.JSON200.Msg)
	code(t, "shares of nobody", must(guest.ListUsersShareLinksWithResponse(bg, e.s.c.ids.encode(kindUser, 99), &cloudreveapi.ListUsersShareLinksParams{PageSize: 10})).JSON200.Code, 50001, "")
}

package sandbox

import (
	"context"
	"net/mail"
	"regexp"
	"strings"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// The account operations beyond sign-in (auth.go): users' public views,
// preferences, 2FA, reset links. Their state is in store_accounts.go,
// store_preferences.go and store_signin.go.

// decorateUser adds the changeable fields to the owner's view of the account.
func decorateUser(out *cloudreveapi.User, f accountFields) {
	if f.nick != "" {
		out.Nickname = f.nick
	}
	if f.language != "" {
		out.Language = values.Ptr(f.language)
	}
	if f.inactive {
		out.Status = values.Ptr(cloudreveapi.Inactive)
	}
	if src := f.avatarSource(); src != cloudreveapi.UserAvatarSourceNone {
		out.Avatar = &src
	}
	if f.preferredTheme != "" {
		out.PreferredTheme = values.Ptr(f.preferredTheme)
	}
	if f.shareLevel != "" {
		out.ShareLinksInProfile = values.Ptr(f.shareLevel)
	}
	if f.disableViewSync {
		out.DisableViewSync = values.Ptr(true)
	}
	if f.credit != 0 {
		out.Credit = values.Ptr(f.credit)
	}
}

// FinishSignInWith2FA is POST /session/token/2fa. A wrong code leaves the
// session usable until it expires.
func (s *cloudreve) FinishSignInWith2FA(ctx context.Context, req cloudreveapi.FinishSignInWith2FARequestObject) (cloudreveapi.FinishSignInWith2FAResponseObject, error) {
	b := req.Body
	if b.Otp == "" {
		return nil, bindErr("Otp cannot be empty")
	}
	if b.SessionId == "" {
		return nil, bindErr("SessionId cannot be empty")
	}
	u, aerr := s.store.finishTwoFactor(b.SessionId, b.Otp)
	if aerr != nil {
		return nil, aerr
	}
	tok, err := s.issue(u, "")
	if err != nil {
		return nil, err
	}
	return cloudreveapi.FinishSignInWith2FA200JSONResponse{Data: &cloudreveapi.LoginResponse{User: s.userJSON(u), Token: tok}}, nil
}

// PrepareLogin is GET /session/prepare; it reveals whether an account exists.
func (s *cloudreve) PrepareLogin(ctx context.Context, req cloudreveapi.PrepareLoginRequestObject) (cloudreveapi.PrepareLoginResponseObject, error) {
	email := string(req.Params.Email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return nil, bindErr("Email format error")
	}
	u := s.store.userByEmail(email)
	if u == nil {
		return nil, fail(upstream.CodeNotFound, "User not found")
	}
	keys := len(u.st.snapshot().passkeys)
	return cloudreveapi.PrepareLogin200JSONResponse{Data: &cloudreveapi.PrepareLoginResult{
		PasswordEnabled: true, WebauthnEnabled: !s.opts.NoPasskeys && keys > 0,
	}}, nil
}

// publicUserJSON is the redacted view of an account shown to others; the
// e-mail is exposed to signed-in viewers (setting expose_user_email, on by
// default).
func (s *cloudreve) publicUserJSON(u *user, signedIn bool) cloudreveapi.User {
	g := u.group()
	full := s.userJSON(u)
	out := cloudreveapi.User{
		Id: u.hid, Nickname: full.Nickname, CreatedAt: u.created, Avatar: full.Avatar,
		ShareLinksInProfile: full.ShareLinksInProfile,
		Group:               &cloudreveapi.Group{Id: s.ids.encode(kindGroup, g.id), Name: g.name},
	}
	if out.Avatar == nil {
		out.Avatar = values.Ptr(cloudreveapi.UserAvatarSourceNone)
	}
	if signedIn {
		out.Email = values.Ptr(u.email)
	}
	return out
}

// GetUser is GET /user/info/{user_id}: users of any status; an unknown id
// leaks the raw database error as code -1 with an empty message.
func (s *cloudreve) GetUser(ctx context.Context, req cloudreveapi.GetUserRequestObject) (cloudreveapi.GetUserResponseObject, error) {
	u, aerr := s.store.userByPathID(req.UserId)
	if aerr != nil {
		return nil, aerr
	}
	if u == nil {
		return nil, fail(upstream.CodeNotSet, "")
	}
	return cloudreveapi.GetUser200JSONResponse{Data: values.Ptr(s.publicUserJSON(u, caller(ctx) != nil))}, nil
}

// SearchUser is GET /user/search: active users whose e-mail or nickname
// contains the keyword, at most 10.
func (s *cloudreve) SearchUser(ctx context.Context, req cloudreveapi.SearchUserRequestObject) (cloudreveapi.SearchUserResponseObject, error) {
	kw := strings.ToLower(req.Params.Keyword)
	if len([]rune(kw)) < 2 {
		return nil, bindErr("Keyword too short")
	}
	all := s.store.allUsers()
	out := []cloudreveapi.User{}
	for _, u := range all {
		full := s.userJSON(u)
		if full.Status != nil && *full.Status != cloudreveapi.Active {
			continue
		}
		if strings.Contains(u.email, kw) || strings.Contains(strings.ToLower(full.Nickname), kw) {
			out = append(out, s.publicUserJSON(u, true))
		}
		if len(out) == 10 {
			break
		}
	}
	return cloudreveapi.SearchUser200JSONResponse{Data: &out}, nil
}

// GetPreferences is GET /user/setting.
func (s *cloudreve) GetPreferences(ctx context.Context, req cloudreveapi.GetPreferencesRequestObject) (cloudreveapi.GetPreferencesResponseObject, error) {
	f := caller(ctx).st.snapshot()
	out := cloudreveapi.UserSettings{
		VersionRetentionEnabled: f.versionsOn, TwoFaEnabled: f.totp != "", DisableViewSync: f.disableViewSync,
		ShareLinksInProfile: f.shareLevel,
	}
	if len(f.versionExts) > 0 {
		out.VersionRetentionExt = values.Ptr(append([]string{}, f.versionExts...))
	}
	if f.versionMax > 0 {
		out.VersionRetentionMax = values.Ptr(f.versionMax)
	}
	if len(f.passkeys) > 0 {
		var keys []cloudreveapi.Passkey
		for _, p := range f.passkeys {
			keys = append(keys, p.json())
		}
		out.Passkeys = &keys
	}
	if s.pro() {
		out.Credit = values.Ptr(f.credit)
	}
	return cloudreveapi.GetPreferences200JSONResponse{Data: &out}, nil
}

// PrepareEnabling2FA is GET /user/setting/2fa: a new pending secret.
func (s *cloudreve) PrepareEnabling2FA(ctx context.Context, req cloudreveapi.PrepareEnabling2FARequestObject) (cloudreveapi.PrepareEnabling2FAResponseObject, error) {
	secret := newTOTPSecret()
	caller(ctx).st.beginTOTP(secret)
	return cloudreveapi.PrepareEnabling2FA200JSONResponse{Data: &secret}, nil
}

var themeColour = regexp.MustCompile(`^(#[0-9a-fA-F]{3,8}|(rgb|rgba|hsl)\([^)]*\))$`)

// UpdatePreferenceSetting is PATCH /user/setting: only the fields sent are
// applied.
func (s *cloudreve) UpdatePreferenceSetting(ctx context.Context, req cloudreveapi.UpdatePreferenceSettingRequestObject) (cloudreveapi.UpdatePreferenceSettingResponseObject, error) {
	b := req.Body
	switch {
	case b.Nick != nil && len(*b.Nick) < 1:
		return nil, bindErr("Nickname too short")
	case b.Nick != nil && len(*b.Nick) > 255:
		return nil, bindErr("Nickname too long")
	case b.Language != nil && (len(*b.Language) < 1 || len(*b.Language) > 255):
		return nil, bindErr("")
	case b.PreferredTheme != nil && !themeColour.MatchString(*b.PreferredTheme):
		return nil, bindErr("")
	case b.VersionRetentionMax != nil && *b.VersionRetentionMax < 0:
		return nil, bindErr("")
	case b.CurrentPassword != nil && (len(*b.CurrentPassword) < 4 || len(*b.CurrentPassword) > 128):
		return nil, bindErr("Password too short")
	case b.NewPassword != nil && (len(*b.NewPassword) < 6 || len(*b.NewPassword) > 128):
		return nil, bindErr("Password too short")
	case b.TwoFaEnabled != nil && b.TwoFaCode == nil:
		// The real server dereferences the missing code and crashes (HTTP
		// 500); the sandbox refuses it as a binding error instead.
		return nil, bindErr("TwoFaCode cannot be empty")
	}
	c := preferenceChange{
		currentPassword: b.CurrentPassword, newPassword: b.NewPassword,
		twoFactor: b.TwoFaEnabled, twoFactorCode: values.Deref(b.TwoFaCode),
		nick: b.Nick, language: b.Language, theme: b.PreferredTheme,
		versionsOn: b.VersionRetentionEnabled, versionExts: b.VersionRetentionExt, versionMax: b.VersionRetentionMax,
		disableViewSync: b.DisableViewSync,
	}
	if s.has(upstream.FeatureShareLinksInProfile) {
		c.shareLevel = b.ShareLinksInProfile // not validated by the real server either
	}
	if aerr := caller(ctx).updatePreferences(c); aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.UpdatePreferenceSetting200JSONResponse{}, nil
}

// SendResetPasswordEmail is POST /user/reset. The sandbox sends no mail; the
// link's secret is kept for ResetLink.
func (s *cloudreve) SendResetPasswordEmail(ctx context.Context, req cloudreveapi.SendResetPasswordEmailRequestObject) (cloudreveapi.SendResetPasswordEmailResponseObject, error) {
	b := req.Body
	if b.Email == "" {
		return nil, bindErr("Email cannot be empty")
	}
	if a, err := mail.ParseAddress(b.Email); err != nil || a.Address != b.Email {
		return nil, bindErr("Email format error")
	}
	if aerr := s.checkCaptcha(b.Captcha, b.Ticket); aerr != nil {
		return nil, aerr
	}
	if aerr := s.store.startPasswordReset(b.Email); aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.SendResetPasswordEmail200JSONResponse{}, nil
}

// ResetPasswordViaTempLink is PATCH /user/reset/{user_id}; the secret is
// consumed before the password changes.
func (s *cloudreve) ResetPasswordViaTempLink(ctx context.Context, req cloudreveapi.ResetPasswordViaTempLinkRequestObject) (cloudreveapi.ResetPasswordViaTempLinkResponseObject, error) {
	b := req.Body
	switch {
	case b.Password == "":
		return nil, bindErr("Password cannot be empty")
	case len(b.Password) < 6:
		return nil, bindErr("Password too short")
	case len(b.Password) > 128:
		return nil, bindErr("Password too long")
	case b.Secret == "":
		return nil, bindErr("Secret cannot be empty")
	}
	u, aerr := s.store.userByPathID(req.UserId)
	if aerr != nil {
		return nil, aerr
	}
	if u == nil {
		return nil, fail(upstream.CodeTempLinkExpired, "Link is expired")
	}
	if aerr := s.store.resetPassword(u, b.Secret, b.Password); aerr != nil {
		return nil, aerr
	}
	out := s.userJSON(u)
	out.Group = nil // the real answer comes without the group
	return cloudreveapi.ResetPasswordViaTempLink200JSONResponse{Data: &out}, nil
}

func randomLetters(n int) string {
	b := randomBytes(n)
	for i := range b {
		b[i] = 'a' + b[i]%26
	}
	return string(b)
}

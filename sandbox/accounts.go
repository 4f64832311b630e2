package sandbox

import (
	"context"
	"crypto/subtle"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Account state beyond what auth.go creates: preferences, 2FA, passkeys,
// avatars, reset links, and the server-wide sign-in sessions.

const (
	twoFactorTTL   = 600 * time.Second
	pendingTOTPTTL = 600 * time.Second
	resetLinkTTL   = time.Hour
)

// accountState is what an account's owner can change; guarded by its mu.
// pwHash (in user) is guarded by the same mu once the account exists.
type accountState struct {
	mu               sync.Mutex
	nick, language   string // overrides of the creation values
	inactive         bool
	totp             string // base32 secret; "" when 2FA is off
	pendingTOTP      string
	pendingTOTPUntil time.Time
	passkeys         []*passkey
	preferredTheme   string
	shareLevel       cloudreveapi.ShareLinksInProfileLevel
	disableViewSync  bool
	versionsOn       bool
	versionExts      []string
	versionMax       int
	avatar           []byte // PNG; nil = none or Gravatar
	gravatar         bool
	updated          time.Time
	resetSecret      string
	resetUntil       time.Time
	credit           int64
}

func (st *accountState) active() *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.inactive {
		return fail(upstream.CodeUserNotActivated, "This account is not activated")
	}
	return nil
}

// decorate adds the changeable fields to the owner's view of the account.
func (st *accountState) decorate(out *cloudreveapi.User) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.nick != "" {
		out.Nickname = st.nick
	}
	if st.language != "" {
		out.Language = values.Ptr(st.language)
	}
	if st.inactive {
		out.Status = values.Ptr(cloudreveapi.Inactive)
	}
	if src := st.avatarSource(); src != cloudreveapi.UserAvatarSourceNone {
		out.Avatar = &src
	}
	if st.preferredTheme != "" {
		out.PreferredTheme = values.Ptr(st.preferredTheme)
	}
	if st.shareLevel != "" {
		out.ShareLinksInProfile = values.Ptr(st.shareLevel)
	}
	if st.disableViewSync {
		out.DisableViewSync = values.Ptr(true)
	}
	if st.credit != 0 {
		out.Credit = values.Ptr(st.credit)
	}
}

func (st *accountState) avatarSource() cloudreveapi.UserAvatarSource {
	switch {
	case st.avatar != nil:
		return cloudreveapi.UserAvatarSourceFile
	case st.gravatar:
		return cloudreveapi.UserAvatarSourceGravatar
	}
	return cloudreveapi.UserAvatarSourceNone
}

// accountStore holds the server-wide sessions and records of this area.
type accountStore struct {
	mu       sync.Mutex
	twoFA    map[string]twoFASession
	captchas map[string]string // ticket → answer
	passkey  map[string]passkeyLogin
	regs     map[*user]passkeyReg
	dav      map[int64]*davAccount
	openID   map[string]*openIDSession
	links    map[openIDKey]*user
	codes    map[string]openIDCode
	payments map[int64]*payment
	gifts    map[string]*giftCode
	changes  map[*user][]cloudreveapi.CreditChange
	signIns  int
}

type twoFASession struct {
	u     *user
	until time.Time
}

func (s *store) accounts() *accountStore {
	s.acctOnce.Do(func() {
		s.acct = &accountStore{
			twoFA: map[string]twoFASession{}, captchas: map[string]string{}, passkey: map[string]passkeyLogin{},
			regs: map[*user]passkeyReg{}, dav: map[int64]*davAccount{}, openID: map[string]*openIDSession{},
			links: map[openIDKey]*user{}, codes: map[string]openIDCode{}, payments: map[int64]*payment{},
			gifts: map[string]*giftCode{}, changes: map[*user][]cloudreveapi.CreditChange{},
		}
	})
	return s.acct
}

func (a *accountStore) countSignIn() {
	a.mu.Lock()
	a.signIns++
	a.mu.Unlock()
}

// startTwoFactor opens a 2FA session when the account has TOTP on, and
// returns its id ("" when 2FA is off).
func (a *accountStore) startTwoFactor(u *user) string {
	u.st.mu.Lock()
	on := u.st.totp != ""
	u.st.mu.Unlock()
	if !on {
		return ""
	}
	id := newUUID()
	a.mu.Lock()
	a.twoFA[id] = twoFASession{u: u, until: time.Now().Add(twoFactorTTL)}
	a.mu.Unlock()
	return id
}

// signInCount is how many sign-ins (password, 2FA, passkey, OpenID) issued a
// token pair; refreshes do not count.
func (s *cloudreve) signInCount() int {
	a := s.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.signIns
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
	a := s.accounts()
	a.mu.Lock()
	sess, ok := a.twoFA[b.SessionId]
	if ok && time.Now().After(sess.until) {
		delete(a.twoFA, b.SessionId)
		ok = false
	}
	a.mu.Unlock()
	if !ok {
		return nil, fail(upstream.CodeNotFound, "Login session not exist")
	}
	sess.u.st.mu.Lock()
	valid := sess.u.st.totp != "" && totpValid(sess.u.st.totp, b.Otp, time.Now())
	sess.u.st.mu.Unlock()
	if !valid {
		return nil, fail(upstream.Code2FAIncorrect, "Incorrect 2FA code")
	}
	a.mu.Lock()
	delete(a.twoFA, b.SessionId)
	a.signIns++
	a.mu.Unlock()
	tok, err := s.issue(sess.u, "")
	if err != nil {
		return nil, err
	}
	return cloudreveapi.FinishSignInWith2FA200JSONResponse{Data: &cloudreveapi.LoginResponse{User: s.userJSON(sess.u), Token: tok}}, nil
}

// PrepareLogin is GET /session/prepare; it reveals whether an account exists.
func (s *cloudreve) PrepareLogin(ctx context.Context, req cloudreveapi.PrepareLoginRequestObject) (cloudreveapi.PrepareLoginResponseObject, error) {
	email := string(req.Params.Email)
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return nil, bindErr("Email format error")
	}
	s.mu.Lock()
	u := s.byEmail[strings.ToLower(email)]
	s.mu.Unlock()
	if u == nil {
		return nil, fail(upstream.CodeNotFound, "User not found")
	}
	u.st.mu.Lock()
	keys := len(u.st.passkeys)
	u.st.mu.Unlock()
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

// userByPathID decodes a user id of a path: 40001 when it is no hashid.
func (s *cloudreve) userByPathID(hid string) (*user, *apiError) {
	id, ok := s.ids.decode(kindUser, hid)
	if !ok {
		return nil, fail(upstream.CodeParamError, "Failed to parse object ID")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.users[id], nil
}

// GetUser is GET /user/info/{user_id}: users of any status; an unknown id
// leaks the raw database error as code -1 with an empty message.
func (s *cloudreve) GetUser(ctx context.Context, req cloudreveapi.GetUserRequestObject) (cloudreveapi.GetUserResponseObject, error) {
	u, aerr := s.userByPathID(req.UserId)
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
	s.mu.Lock()
	var all []*user
	for _, u := range s.users {
		all = append(all, u)
	}
	s.mu.Unlock()
	sortUsers(all)
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

func sortUsers(us []*user) {
	for i := 1; i < len(us); i++ {
		for j := i; j > 0 && us[j].id < us[j-1].id; j-- {
			us[j], us[j-1] = us[j-1], us[j]
		}
	}
}

// GetPreferences is GET /user/setting.
func (s *cloudreve) GetPreferences(ctx context.Context, req cloudreveapi.GetPreferencesRequestObject) (cloudreveapi.GetPreferencesResponseObject, error) {
	u := caller(ctx)
	st := &u.st
	st.mu.Lock()
	defer st.mu.Unlock()
	out := cloudreveapi.UserSettings{
		VersionRetentionEnabled: st.versionsOn, TwoFaEnabled: st.totp != "", DisableViewSync: st.disableViewSync,
		ShareLinksInProfile: st.shareLevel,
	}
	if len(st.versionExts) > 0 {
		out.VersionRetentionExt = values.Ptr(append([]string{}, st.versionExts...))
	}
	if st.versionMax > 0 {
		out.VersionRetentionMax = values.Ptr(st.versionMax)
	}
	if len(st.passkeys) > 0 {
		var keys []cloudreveapi.Passkey
		for _, p := range st.passkeys {
			keys = append(keys, p.json())
		}
		out.Passkeys = &keys
	}
	if s.pro() {
		out.Credit = values.Ptr(st.credit)
	}
	return cloudreveapi.GetPreferences200JSONResponse{Data: &out}, nil
}

// PrepareEnabling2FA is GET /user/setting/2fa: a new pending secret.
func (s *cloudreve) PrepareEnabling2FA(ctx context.Context, req cloudreveapi.PrepareEnabling2FARequestObject) (cloudreveapi.PrepareEnabling2FAResponseObject, error) {
	u := caller(ctx)
	secret := newTOTPSecret()
	u.st.mu.Lock()
	u.st.pendingTOTP, u.st.pendingTOTPUntil = secret, time.Now().Add(pendingTOTPTTL)
	u.st.mu.Unlock()
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
	u := caller(ctx)
	st := &u.st
	st.mu.Lock()
	defer st.mu.Unlock()
	if b.CurrentPassword != nil && b.NewPassword != nil {
		if subtle.ConstantTimeCompare(hashPassword(u.salt, *b.CurrentPassword), u.pwHash) != 1 {
			return nil, fail(upstream.CodeIncorrectPassword, "Incorrect current password")
		}
	}
	if b.TwoFaEnabled != nil {
		now := time.Now()
		if *b.TwoFaEnabled {
			if st.pendingTOTP == "" || now.After(st.pendingTOTPUntil) {
				return nil, fail(upstream.CodeInternalSetting, "You have not initiated 2FA session")
			}
			if !totpValid(st.pendingTOTP, *b.TwoFaCode, now) {
				return nil, fail(upstream.Code2FAIncorrect, "Incorrect 2FA code")
			}
			st.totp, st.pendingTOTP = st.pendingTOTP, ""
		} else {
			if st.totp == "" || !totpValid(st.totp, *b.TwoFaCode, now) {
				return nil, fail(upstream.Code2FAIncorrect, "Incorrect 2FA code")
			}
			st.totp = ""
		}
	}
	if b.CurrentPassword != nil && b.NewPassword != nil {
		// A new password changes the state hash: every refresh token dies.
		u.pwHash = hashPassword(u.salt, *b.NewPassword)
	}
	if b.Nick != nil {
		st.nick = *b.Nick
	}
	if b.Language != nil {
		st.language = *b.Language
	}
	if b.PreferredTheme != nil {
		st.preferredTheme = *b.PreferredTheme
	}
	if b.VersionRetentionEnabled != nil {
		st.versionsOn = *b.VersionRetentionEnabled
	}
	if b.VersionRetentionExt != nil {
		st.versionExts = append([]string{}, (*b.VersionRetentionExt)...)
	}
	if b.VersionRetentionMax != nil {
		st.versionMax = *b.VersionRetentionMax
	}
	if b.DisableViewSync != nil {
		st.disableViewSync = *b.DisableViewSync
	}
	if b.ShareLinksInProfile != nil && s.has(upstream.FeatureShareLinksInProfile) {
		st.shareLevel = *b.ShareLinksInProfile // not validated by the real server either
	}
	st.updated = time.Now()
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
	s.mu.Lock()
	u := s.byEmail[strings.ToLower(b.Email)]
	s.mu.Unlock()
	if u == nil {
		return nil, fail(upstream.CodeUserNotFound, "User not found")
	}
	if aerr := u.st.active(); aerr != nil {
		return nil, aerr
	}
	u.st.mu.Lock()
	u.st.resetSecret, u.st.resetUntil = randomLetters(32), time.Now().Add(resetLinkTTL)
	u.st.mu.Unlock()
	return cloudreveapi.SendResetPasswordEmail200JSONResponse{}, nil
}

// resetLink returns the secret of the reset link last "mailed" to an
// account, as a test would read it from the mail; "" when none is pending.
func (s *cloudreve) resetLink(userID string) string {
	s.mu.Lock()
	u := s.userByHID(userID)
	s.mu.Unlock()
	if u == nil {
		return ""
	}
	u.st.mu.Lock()
	defer u.st.mu.Unlock()
	return u.st.resetSecret
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
	u, aerr := s.userByPathID(req.UserId)
	if aerr != nil {
		return nil, aerr
	}
	expired := fail(upstream.CodeTempLinkExpired, "Link is expired")
	if u == nil {
		return nil, expired
	}
	u.st.mu.Lock()
	ok := u.st.resetSecret != "" && u.st.resetSecret == b.Secret && time.Now().Before(u.st.resetUntil)
	if ok {
		u.st.resetSecret = ""
	}
	inactive := u.st.inactive
	u.st.mu.Unlock()
	if !ok {
		return nil, expired
	}
	if inactive {
		return nil, fail(upstream.CodeUserNotFound, "User is not active")
	}
	u.st.mu.Lock()
	u.pwHash = hashPassword(u.salt, b.Password)
	u.st.mu.Unlock()
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

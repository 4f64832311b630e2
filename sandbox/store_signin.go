package sandbox

import (
	"time"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Sign-in sessions, 2FA and password reset links.

const (
	twoFactorTTL   = 600 * time.Second
	pendingTOTPTTL = 600 * time.Second
	resetLinkTTL   = time.Hour
)

// countSignIn counts a sign-in that issued a token pair.
func (st *store) countSignIn() { st.accounts().countSignIn() }

// signInCount is how many sign-ins (password, 2FA, passkey, OpenID) issued a
// token pair; refreshes do not count.
func (st *store) signInCount() int {
	a := st.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.signIns
}

// startTwoFactor opens a 2FA session when u has TOTP on and returns its id
// ("" when 2FA is off).
func (st *store) startTwoFactor(u *user) string { return st.accounts().startTwoFactor(u) }

// finishTwoFactor checks the code of a 2FA session; a right one closes the
// session and counts as a sign-in of its account. A wrong code leaves the
// session usable until it expires.
func (st *store) finishTwoFactor(sessionID, otp string) (*user, *apiError) {
	a := st.accounts()
	a.mu.Lock()
	sess, ok := a.twoFA[sessionID]
	if ok && time.Now().After(sess.until) {
		delete(a.twoFA, sessionID)
		ok = false
	}
	a.mu.Unlock()
	if !ok {
		return nil, fail(upstream.CodeNotFound, "Login session not exist")
	}
	sess.u.st.mu.Lock()
	valid := sess.u.st.totp != "" && totpValid(sess.u.st.totp, otp, time.Now())
	sess.u.st.mu.Unlock()
	if !valid {
		return nil, fail(upstream.Code2FAIncorrect, "Incorrect 2FA code")
	}
	a.mu.Lock()
	delete(a.twoFA, sessionID)
	a.signIns++
	a.mu.Unlock()
	return sess.u, nil
}

// refreshable reports the account a refresh token names, nil when it is
// gone or the token's family was signed out.
func (st *store) refreshable(userHID, family string) *user {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, revoked := st.revoked[family]; revoked {
		return nil
	}
	return st.userByHID(userHID)
}

// revoke signs a refresh-token family out until it expires.
func (st *store) revoke(family string, until time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.revoked[family] = until
}

// startPasswordReset "mails" a reset link to an active account.
func (st *store) startPasswordReset(email string) *apiError {
	u := st.userByEmail(email)
	if u == nil {
		return fail(upstream.CodeUserNotFound, "User not found")
	}
	if aerr := u.st.active(); aerr != nil {
		return aerr
	}
	u.st.mu.Lock()
	u.st.resetSecret, u.st.resetUntil = randomLetters(32), time.Now().Add(resetLinkTTL)
	u.st.mu.Unlock()
	return nil
}

// resetLink is the secret of the reset link last "mailed" to an account;
// "" when none is pending.
func (st *store) resetLink(userID string) string {
	u := st.findUser(userID)
	if u == nil {
		return ""
	}
	u.st.mu.Lock()
	defer u.st.mu.Unlock()
	return u.st.resetSecret
}

// resetPassword consumes a reset link's secret, then sets the password of
// an active account.
func (st *store) resetPassword(u *user, secret, password string) *apiError {
	u.st.mu.Lock()
	defer u.st.mu.Unlock()
	if u.st.resetSecret == "" || u.st.resetSecret != secret || !time.Now().Before(u.st.resetUntil) {
		return fail(upstream.CodeTempLinkExpired, "Link is expired")
	}
	u.st.resetSecret = ""
	if u.st.inactive {
		return fail(upstream.CodeUserNotFound, "User is not active")
	}
	u.pwHash = hashPassword(u.salt, password)
	return nil
}

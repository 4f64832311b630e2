package sandbox

import (
	"crypto/subtle"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// An account's preferences and its 2FA switch.

// beginTOTP keeps a new secret pending until 2FA is turned on with a code
// of it.
func (a *accountState) beginTOTP(secret string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pendingTOTP, a.pendingTOTPUntil = secret, time.Now().Add(pendingTOTPTTL)
}

// preferenceChange is what PATCH /user/setting may change; nil fields stay
// as they are.
type preferenceChange struct {
	currentPassword, newPassword *string
	twoFactor                    *bool // on or off, with twoFactorCode
	twoFactorCode                string
	nick, language, theme        *string
	versionsOn                   *bool
	versionExts                  *[]string
	versionMax                   *int
	disableViewSync              *bool
	shareLevel                   *cloudreveapi.ShareLinksInProfileLevel
}

// updatePreferences applies a change to u's account; a failed check leaves
// it as it was.
func (u *user) updatePreferences(c preferenceChange) *apiError {
	a := &u.st
	a.mu.Lock()
	defer a.mu.Unlock()
	if c.currentPassword != nil && c.newPassword != nil {
		if subtle.ConstantTimeCompare(hashPassword(u.salt, *c.currentPassword), u.pwHash) != 1 {
			return fail(upstream.CodeIncorrectPassword, "Incorrect current password")
		}
	}
	if c.twoFactor != nil {
		now := time.Now()
		if *c.twoFactor {
			if a.pendingTOTP == "" || now.After(a.pendingTOTPUntil) {
				return fail(upstream.CodeInternalSetting, "You have not initiated 2FA session")
			}
			if !totpValid(a.pendingTOTP, c.twoFactorCode, now) {
				return fail(upstream.Code2FAIncorrect, "Incorrect 2FA code")
			}
			a.totp, a.pendingTOTP = a.pendingTOTP, ""
		} else {
			if a.totp == "" || !totpValid(a.totp, c.twoFactorCode, now) {
				return fail(upstream.Code2FAIncorrect, "Incorrect 2FA code")
			}
			a.totp = ""
		}
	}
	if c.currentPassword != nil && c.newPassword != nil {
		// A new password changes the state hash: every refresh token dies.
		u.pwHash = hashPassword(u.salt, *c.newPassword)
	}
	setIf(&a.nick, c.nick)
	setIf(&a.language, c.language)
	setIf(&a.preferredTheme, c.theme)
	setIf(&a.versionsOn, c.versionsOn)
	if c.versionExts != nil {
		a.versionExts = append([]string{}, (*c.versionExts)...)
	}
	setIf(&a.versionMax, c.versionMax)
	setIf(&a.disableViewSync, c.disableViewSync)
	setIf(&a.shareLevel, c.shareLevel)
	a.updated = time.Now()
	return nil
}

// setIf sets *dst to *v unless v is nil.
func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// setAvatar stores a PNG as the account's picture; nil switches to
// Gravatar.
func (a *accountState) setAvatar(png []byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.avatar, a.gravatar, a.updated = png, png == nil, time.Now()
}

package sandbox

import (
	"encoding/base64"
	"time"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Passkeys: registration and sign-in sessions (in accountStore) and each
// account's credentials (in accountState). No cryptography: see passkeys.go.

const passkeySessionTTL = 300 * time.Second

type passkey struct {
	id            string // credential id, standard base64
	name          string
	created, used time.Time
}

type passkeyLogin struct {
	challenge string
	until     time.Time
}

type passkeyReg struct {
	challenge string
	until     time.Time
}

// startPasskeyRegistration opens the one pending registration of u and
// returns its challenge.
func (st *store) startPasskeyRegistration(u *user) string {
	challenge := b64url(randomBytes(32))
	a := st.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.regs[u] = passkeyReg{challenge: challenge, until: time.Now().Add(passkeySessionTTL)}
	return challenge
}

// registrationChallenge is the challenge of the pending registration of u.
func (st *store) registrationChallenge(u *user) (string, *apiError) {
	a := st.accounts()
	a.mu.Lock()
	reg, ok := a.regs[u]
	a.mu.Unlock()
	if !ok || time.Now().After(reg.until) {
		return "", fail(upstream.CodeNotFound, "Registration session not exist")
	}
	return reg.challenge, nil
}

// finishPasskeyRegistration closes the pending registration of u and adds
// the credential rawID under name, unless u has it already.
func (st *store) finishPasskeyRegistration(u *user, rawID []byte, name string) (passkey, *apiError) {
	a := st.accounts()
	a.mu.Lock()
	delete(a.regs, u)
	a.mu.Unlock()
	p := &passkey{id: base64.StdEncoding.EncodeToString(rawID), name: name, created: time.Now()}
	u.st.mu.Lock()
	defer u.st.mu.Unlock()
	for _, have := range u.st.passkeys {
		if have.id == p.id {
			return passkey{}, fail(upstream.CodeWebAuthnInvalid, "Credential already registered")
		}
	}
	u.st.passkeys = append(u.st.passkeys, p)
	return *p, nil
}

// deletePasskey removes a credential of the account; false when it has
// none of that id.
func (a *accountState) deletePasskey(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, p := range a.passkeys {
		if p.id == id {
			a.passkeys = append(a.passkeys[:i], a.passkeys[i+1:]...)
			return true
		}
	}
	return false
}

// startPasskeySignIn opens a sign-in session and returns its id and
// challenge.
func (st *store) startPasskeySignIn() (id, challenge string) {
	id, challenge = newUUID(), b64url(randomBytes(32))
	a := st.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.passkey[id] = passkeyLogin{challenge: challenge, until: time.Now().Add(passkeySessionTTL)}
	return id, challenge
}

// signInChallenge is the challenge of a live sign-in session. Sessions
// are not consumed (a quirk of the real server).
func (st *store) signInChallenge(id string) (string, *apiError) {
	a := st.accounts()
	a.mu.Lock()
	sess, ok := a.passkey[id]
	a.mu.Unlock()
	if !ok || time.Now().After(sess.until) {
		return "", fail(upstream.CodeNotFound, "Login session not exist")
	}
	return sess.challenge, nil
}

// passkeySignIn signs in the active account userHID with its credential
// rawID, marking the credential used.
func (st *store) passkeySignIn(userHID string, rawID []byte) (*user, *apiError) {
	bad := fail(upstream.CodeWebAuthnInvalid, "Failed to validate passkey")
	u := st.findUser(userHID)
	if u == nil || u.st.active() != nil {
		return nil, bad
	}
	id := base64.StdEncoding.EncodeToString(rawID)
	u.st.mu.Lock()
	var found *passkey
	for _, p := range u.st.passkeys {
		if p.id == id {
			found = p
			p.used = time.Now()
		}
	}
	u.st.mu.Unlock()
	if found == nil {
		return nil, bad
	}
	st.countSignIn()
	return u, nil
}

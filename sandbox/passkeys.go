package sandbox

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Passkeys (WebAuthn). The sandbox runs the ceremony's bookkeeping like the
// real server (sessions, challenges, user handles, credential ids) but
// checks no signature or attestation: tests build the browser's answers
// with PasskeyAttestation and PasskeyAssertion.

const (
	passkeySessionTTL = 300 * time.Second
)

type passkey struct {
	id            string // credential id, standard base64
	name          string
	created, used time.Time
}

func (p *passkey) json() cloudreveapi.Passkey {
	out := cloudreveapi.Passkey{Id: p.id, Name: p.name, CreatedAt: p.created}
	if !p.used.IsZero() {
		out.UsedAt = values.Ptr(p.used)
	}
	return out
}

type passkeyLogin struct {
	challenge string
	until     time.Time
}

type passkeyReg struct {
	challenge string
	until     time.Time
}

func (s *cloudreve) passkeysOff() *apiError {
	if s.opts.NoPasskeys {
		return fail(upstream.CodeFeatureDisabled, "Passkey login is not enabled")
	}
	return nil
}

// PreparePasskeyRegistration is PUT /user/authn; one pending registration
// per user.
func (s *cloudreve) PreparePasskeyRegistration(ctx context.Context, req cloudreveapi.PreparePasskeyRegistrationRequestObject) (cloudreveapi.PreparePasskeyRegistrationResponseObject, error) {
	if aerr := s.passkeysOff(); aerr != nil {
		return nil, aerr
	}
	u := caller(ctx)
	challenge := b64url(randomBytes(32))
	a := s.accounts()
	a.mu.Lock()
	a.regs[u] = passkeyReg{challenge: challenge, until: time.Now().Add(passkeySessionTTL)}
	a.mu.Unlock()
	full := s.userJSON(u)
	exclude := []any{}
	u.st.mu.Lock()
	for _, p := range u.st.passkeys {
		raw, _ := base64.StdEncoding.DecodeString(p.id)
		exclude = append(exclude, map[string]any{"type": "public-key", "id": b64url(raw)})
	}
	u.st.mu.Unlock()
	publicKey := map[string]any{
		"rp":        map[string]any{"name": "Cloudreve", "id": hostOf(ctx)},
		"user":      map[string]any{"id": b64url([]byte(u.hid)), "name": u.email, "displayName": full.Nickname},
		"challenge": challenge,
		"pubKeyCredParams": []any{
			map[string]any{"type": "public-key", "alg": -7}, map[string]any{"type": "public-key", "alg": -257},
		},
		"timeout":            300000,
		"excludeCredentials": exclude,
		"authenticatorSelection": map[string]any{
			"requireResidentKey": true, "residentKey": "required", "userVerification": "preferred",
		},
	}
	return cloudreveapi.PreparePasskeyRegistration200JSONResponse{Data: &cloudreveapi.PasskeyRegistrationOptions{PublicKey: publicKey}}, nil
}

// FinishPasskeyRegistration is POST /user/authn.
func (s *cloudreve) FinishPasskeyRegistration(ctx context.Context, req cloudreveapi.FinishPasskeyRegistrationRequestObject) (cloudreveapi.FinishPasskeyRegistrationResponseObject, error) {
	b := req.Body
	switch {
	case b.Response == "":
		return nil, bindErr("Response cannot be empty")
	case b.Name == "":
		return nil, bindErr("Name cannot be empty")
	case b.Ua == "":
		return nil, bindErr("Ua cannot be empty")
	}
	if aerr := s.passkeysOff(); aerr != nil {
		return nil, aerr
	}
	u := caller(ctx)
	a := s.accounts()
	a.mu.Lock()
	reg, ok := a.regs[u]
	a.mu.Unlock()
	if !ok || time.Now().After(reg.until) {
		return nil, fail(upstream.CodeNotFound, "Registration session not exist")
	}
	cred, aerr := parseCredential(b.Response, "webauthn.create", reg.challenge)
	if aerr != nil {
		return nil, aerr
	}
	a.mu.Lock()
	delete(a.regs, u)
	a.mu.Unlock()
	name := strings.NewReplacer("{os}", uaOS(b.Ua), "{browser}", uaBrowser(b.Ua)).Replace(b.Name)
	p := &passkey{id: base64.StdEncoding.EncodeToString(cred.rawID), name: name, created: time.Now()}
	u.st.mu.Lock()
	for _, have := range u.st.passkeys {
		if have.id == p.id {
			u.st.mu.Unlock()
			return nil, fail(upstream.CodeWebAuthnInvalid, "Credential already registered")
		}
	}
	u.st.passkeys = append(u.st.passkeys, p)
	u.st.mu.Unlock()
	return cloudreveapi.FinishPasskeyRegistration200JSONResponse{Data: values.Ptr(p.json())}, nil
}

// DeletePasskey is DELETE /user/authn?id=.
func (s *cloudreve) DeletePasskey(ctx context.Context, req cloudreveapi.DeletePasskeyRequestObject) (cloudreveapi.DeletePasskeyResponseObject, error) {
	if req.Params.Id == "" {
		return nil, bindErr("Id cannot be empty")
	}
	if aerr := s.passkeysOff(); aerr != nil {
		return nil, aerr
	}
	u := caller(ctx)
	u.st.mu.Lock()
	defer u.st.mu.Unlock()
	for i, p := range u.st.passkeys {
		if p.id == req.Params.Id {
			u.st.passkeys = append(u.st.passkeys[:i], u.st.passkeys[i+1:]...)
			return cloudreveapi.DeletePasskey200JSONResponse{}, nil
		}
	}
	return nil, fail(upstream.CodeNotFound, "Passkey not found")
}

// PreparePasskeySignIn is PUT /session/authn: a username-less assertion.
func (s *cloudreve) PreparePasskeySignIn(ctx context.Context, req cloudreveapi.PreparePasskeySignInRequestObject) (cloudreveapi.PreparePasskeySignInResponseObject, error) {
	if aerr := s.passkeysOff(); aerr != nil {
		return nil, aerr
	}
	id, challenge := newUUID(), b64url(randomBytes(32))
	a := s.accounts()
	a.mu.Lock()
	a.passkey[id] = passkeyLogin{challenge: challenge, until: time.Now().Add(passkeySessionTTL)}
	a.mu.Unlock()
	return cloudreveapi.PreparePasskeySignIn200JSONResponse{Data: &cloudreveapi.PreparePasskeyLoginResponse{
		SessionId: id,
		Options: cloudreveapi.PasskeySignInOptions{PublicKey: cloudreveapi.PasskeySignInRequestOptions{
			Challenge: challenge, Timeout: values.Ptr(300000), RpId: values.Ptr(hostOf(ctx)), UserVerification: values.Ptr("preferred"),
		}},
	}}, nil
}

// FinishPasskeySignIn is POST /session/authn. There is no 2FA step, and the
// session is not consumed (a quirk of the real server).
func (s *cloudreve) FinishPasskeySignIn(ctx context.Context, req cloudreveapi.FinishPasskeySignInRequestObject) (cloudreveapi.FinishPasskeySignInResponseObject, error) {
	b := req.Body
	if b.Response == "" {
		return nil, bindErr("Response cannot be empty")
	}
	if b.SessionId == "" {
		return nil, bindErr("SessionId cannot be empty")
	}
	if aerr := s.passkeysOff(); aerr != nil {
		return nil, aerr
	}
	a := s.accounts()
	a.mu.Lock()
	sess, ok := a.passkey[b.SessionId]
	a.mu.Unlock()
	if !ok || time.Now().After(sess.until) {
		return nil, fail(upstream.CodeNotFound, "Login session not exist")
	}
	cred, aerr := parseCredential(b.Response, "webauthn.get", sess.challenge)
	if aerr != nil {
		return nil, aerr
	}
	bad := fail(upstream.CodeWebAuthnInvalid, "Failed to validate passkey")
	s.mu.Lock()
	u := s.userByHID(string(cred.userHandle))
	s.mu.Unlock()
	if u == nil || u.st.active() != nil {
		return nil, bad
	}
	id := base64.StdEncoding.EncodeToString(cred.rawID)
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
	a.countSignIn()
	tok, err := s.issue(u, "")
	if err != nil {
		return nil, err
	}
	return cloudreveapi.FinishPasskeySignIn200JSONResponse{Data: &cloudreveapi.LoginResponse{User: s.userJSON(u), Token: tok}}, nil
}

type credential struct {
	rawID      []byte
	userHandle []byte
}

// parseCredential reads a PublicKeyCredential in its JSON form: 40001 when
// it is not one, 40025 when its client data does not answer the challenge.
func parseCredential(raw, ceremony, challenge string) (*credential, *apiError) {
	var pk struct {
		ID       string `json:"id"`
		RawID    string `json:"rawId"`
		Type     string `json:"type"`
		Response struct {
			ClientDataJSON string `json:"clientDataJSON"`
			UserHandle     string `json:"userHandle"`
		} `json:"response"`
	}
	unparsable := fail(upstream.CodeParamError, "Failed to parse authn response")
	if json.Unmarshal([]byte(raw), &pk) != nil || pk.Type != "public-key" {
		return nil, unparsable
	}
	rawID, err1 := decodeB64URL(strings.TrimRight(pk.RawID, "="))
	clientData, err2 := decodeB64URL(strings.TrimRight(pk.Response.ClientDataJSON, "="))
	handle, err3 := decodeB64URL(strings.TrimRight(pk.Response.UserHandle, "="))
	if err1 != nil || err2 != nil || err3 != nil || len(rawID) == 0 {
		return nil, unparsable
	}
	var cd struct {
		Type      string `json:"type"`
		Challenge string `json:"challenge"`
	}
	if json.Unmarshal(clientData, &cd) != nil {
		return nil, unparsable
	}
	if cd.Type != ceremony || strings.TrimRight(cd.Challenge, "=") != challenge {
		return nil, fail(upstream.CodeWebAuthnInvalid, "Failed to validate passkey")
	}
	return &credential{rawID: rawID, userHandle: handle}, nil
}

// PasskeyAttestation is what a browser sends to finish registering a
// passkey with this credential id against a registration challenge (the
// publicKey.challenge of PreparePasskeyRegistration), minus the
// cryptography the sandbox does not check.
func PasskeyAttestation(credentialID []byte, challenge string) string {
	return credentialJSON(credentialID, "webauthn.create", challenge, "")
}

// PasskeyAssertion is what a browser sends to sign in with the passkey of
// credentialID, which belongs to user userID, against a sign-in challenge.
func PasskeyAssertion(credentialID []byte, userID, challenge string) string {
	return credentialJSON(credentialID, "webauthn.get", challenge, b64url([]byte(userID)))
}

func credentialJSON(id []byte, ceremony, challenge, userHandle string) string {
	clientData, _ := json.Marshal(map[string]string{"type": ceremony, "challenge": challenge, "origin": "http://sandbox.invalid"})
	resp := map[string]string{"clientDataJSON": b64url(clientData)}
	if userHandle != "" {
		resp["userHandle"] = userHandle
	}
	out, _ := json.Marshal(map[string]any{"id": b64url(id), "rawId": b64url(id), "type": "public-key", "response": resp})
	return string(out)
}

func hostOf(ctx context.Context) string {
	if r := request(ctx); r != nil {
		host := r.Host
		if i := strings.LastIndexByte(host, ':'); i > 0 {
			host = host[:i]
		}
		return host
	}
	return "localhost"
}

func uaOS(ua string) string {
	for _, os := range []string{"Windows", "Mac OS X", "Android", "iPhone", "Linux"} {
		if strings.Contains(ua, os) {
			return os
		}
	}
	return "Unknown"
}

func uaBrowser(ua string) string {
	for _, b := range []string{"Edg", "Firefox", "Chrome", "Safari"} {
		if strings.Contains(ua, b) {
			return b
		}
	}
	return "Unknown"
}

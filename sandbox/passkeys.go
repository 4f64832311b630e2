package sandbox

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Passkeys (WebAuthn). The sandbox runs the ceremony's bookkeeping like the
// real server (sessions, challenges, user handles, credential ids) but
// checks no signature or attestation: tests build the browser's answers
// with PasskeyAttestation and PasskeyAssertion.

func (p passkey) json() cloudreveapi.Passkey {
	out := cloudreveapi.Passkey{Id: p.id, Name: p.name, CreatedAt: p.created}
	if !p.used.IsZero() {
		out.UsedAt = values.Ptr(p.used)
	}
	return out
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
	challenge := s.store.startPasskeyRegistration(u)
	full := s.userJSON(u)
	exclude := []any{}
	for _, p := range u.st.snapshot().passkeys {
		raw, _ := base64.StdEncoding.DecodeString(p.id)
		exclude = append(exclude, map[string]any{"type": "public-key", "id": b64url(raw)})
	}
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
	challenge, aerr := s.store.registrationChallenge(u)
	if aerr != nil {
		return nil, aerr
	}
	cred, aerr := parseCredential(b.Response, "webauthn.create", challenge)
	if aerr != nil {
		return nil, aerr
	}
	name := strings.NewReplacer("{os}", uaOS(b.Ua), "{browser}", uaBrowser(b.Ua)).Replace(b.Name)
	p, aerr := s.store.finishPasskeyRegistration(u, cred.rawID, name)
	if aerr != nil {
		return nil, aerr
	}
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
	if !caller(ctx).st.deletePasskey(req.Params.Id) {
		return nil, fail(upstream.CodeNotFound, "Passkey not found")
	}
	return cloudreveapi.DeletePasskey200JSONResponse{}, nil
}

// PreparePasskeySignIn is PUT /session/authn: a username-less assertion.
func (s *cloudreve) PreparePasskeySignIn(ctx context.Context, req cloudreveapi.PreparePasskeySignInRequestObject) (cloudreveapi.PreparePasskeySignInResponseObject, error) {
	if aerr := s.passkeysOff(); aerr != nil {
		return nil, aerr
	}
	id, challenge := s.store.startPasskeySignIn()
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
	challenge, aerr := s.store.signInChallenge(b.SessionId)
	if aerr != nil {
		return nil, aerr
	}
	cred, aerr := parseCredential(b.Response, "webauthn.get", challenge)
	if aerr != nil {
		return nil, aerr
	}
	u, aerr := s.store.passkeySignIn(string(cred.userHandle), cred.rawID)
	if aerr != nil {
		return nil, aerr
	}
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

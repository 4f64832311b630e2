package sandbox

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

const (
	tokenAccess  = "access"
	tokenRefresh = "refresh"
)

// claims of the sandbox's HS256 JWTs, shaped like the real server's.
type claims struct {
	TokenType   string `json:"token_type"`
	Sub         string `json:"sub"`
	Exp         int64  `json:"exp"`
	Nbf         int64  `json:"nbf"`
	StateHash   []byte `json:"state_hash,omitempty"`
	RootTokenID string `json:"root_token_id,omitempty"`
}

var jwtHeader = b64url([]byte(`{"alg":"HS256","typ":"JWT"}`))

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
func b64std(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func (s *cloudreve) signJWT(c claims) (string, error) {
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	unsigned := jwtHeader + "." + b64url(payload)
	return unsigned + "." + b64url(s.mac(s.jwtKey, unsigned)), nil
}

func (s *cloudreve) mac(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

var errBadToken = errors.New("invalid token")

// parseJWT checks signature, algorithm, expiry and not-before.
func (s *cloudreve) parseJWT(tok string) (*claims, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, errBadToken
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || subtle.ConstantTimeCompare(sig, s.mac(s.jwtKey, parts[0]+"."+parts[1])) != 1 {
		return nil, errBadToken
	}
	var hdr struct {
		Alg string `json:"alg"`
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || json.Unmarshal(raw, &hdr) != nil || hdr.Alg != "HS256" {
		return nil, errBadToken
	}
	var c claims
	raw, err = base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || json.Unmarshal(raw, &c) != nil {
		return nil, errBadToken
	}
	now := time.Now().Unix()
	if c.Exp <= now || c.Nbf > now {
		return nil, errBadToken
	}
	return &c, nil
}

// issue makes a token pair for u; root is the refresh-token family, "" for a
// new sign-in.
func (s *cloudreve) issue(u *user, root string) (cloudreveapi.Token, error) {
	if root == "" {
		root = newUUID()
	}
	now := time.Now()
	accessExp, refreshExp := now.Add(s.opts.AccessTTL), now.Add(s.opts.RefreshTTL)
	access, err := s.signJWT(claims{TokenType: tokenAccess, Sub: u.hid, Exp: accessExp.Unix(), Nbf: now.Unix()})
	if err != nil {
		return cloudreveapi.Token{}, fail(upstream.CodeEncryptError, "Failed to issue token")
	}
	refresh, err := s.signJWT(claims{TokenType: tokenRefresh, Sub: u.hid, Exp: refreshExp.Unix(), Nbf: now.Unix(),
		StateHash: u.stateHash(), RootTokenID: root})
	if err != nil {
		return cloudreveapi.Token{}, fail(upstream.CodeEncryptError, "Failed to issue token")
	}
	return cloudreveapi.Token{AccessToken: access, RefreshToken: refresh,
		AccessExpires: time.Unix(accessExp.Unix(), 0), RefreshExpires: time.Unix(refreshExp.Unix(), 0)}, nil
}

// issueTokens signs a fresh access/refresh pair for an account, as a password
// sign-in would; for tests.
func (s *cloudreve) issueTokens(userID string) (access, refresh string, err error) {
	u := s.store.findUser(userID)
	if u == nil {
		return "", "", errNoUser(userID)
	}
	tok, err := s.issue(u, "")
	if err != nil {
		return "", "", err
	}
	return tok.AccessToken, tok.RefreshToken, nil
}

// RefreshToken is POST /session/token/refresh. The old refresh token stays
// usable; the family (root_token_id) is kept.
func (s *cloudreve) RefreshToken(ctx context.Context, req cloudreveapi.RefreshTokenRequestObject) (cloudreveapi.RefreshTokenResponseObject, error) {
	if req.Body.RefreshToken == "" {
		return nil, bindErr("RefreshToken cannot be empty")
	}
	bad := fail(upstream.CodeCredentialInvalid, "Failed to issue token pair")
	c, err := s.parseJWT(req.Body.RefreshToken)
	if err != nil || c.TokenType != tokenRefresh || c.RootTokenID == "" {
		return nil, bad
	}
	u := s.store.refreshable(c.Sub, c.RootTokenID)
	if u == nil || subtle.ConstantTimeCompare(c.StateHash, u.stateHash()) != 1 {
		return nil, bad
	}
	tok, err := s.issue(u, c.RootTokenID)
	if err != nil {
		return nil, err
	}
	return cloudreveapi.RefreshToken200JSONResponse{Data: &tok}, nil
}

// SignOut is DELETE /session/token: it revokes the refresh token's family.
// Access tokens already issued keep working until they expire.
func (s *cloudreve) SignOut(ctx context.Context, req cloudreveapi.SignOutRequestObject) (cloudreveapi.SignOutResponseObject, error) {
	if req.Body.RefreshToken == "" {
		return nil, bindErr("RefreshToken cannot be empty")
	}
	c, err := s.parseJWT(req.Body.RefreshToken)
	if err != nil {
		return nil, fail(upstream.CodeCredentialInvalid, "Failed to parse token")
	}
	if c.RootTokenID != "" {
		s.store.revoke(c.RootTokenID, time.Unix(c.Exp, 0))
	}
	return cloudreveapi.SignOut200JSONResponse{Data: values.Ptr("")}, nil
}

func decodeB64URL(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }

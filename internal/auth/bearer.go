package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

type bearerKey struct{}

// WithBearer returns a context whose upstream calls carry token. An explicit
// token, even an expired one, is never replaced by the service account's.
func WithBearer(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, bearerKey{}, token)
}

// BearerFrom returns the token WithBearer stored, or "".
func BearerFrom(ctx context.Context) string {
	tok, _ := ctx.Value(bearerKey{}).(string)
	return tok
}

type refreshKey struct{}

// RefreshHeader is the request header in which a caller may give the facade
// its Cloudreve refresh token, so that the facade can renew the caller's
// access token for long work done on its behalf (task watches).
const RefreshHeader = "Cloudreve-Refresh-Token"

// WithRefresh returns a context that carries the caller's refresh token.
func WithRefresh(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, refreshKey{}, token)
}

// RefreshFrom returns the token WithRefresh stored, or "".
func RefreshFrom(ctx context.Context) string {
	tok, _ := ctx.Value(refreshKey{}).(string)
	return tok
}

// BearerFromHeader extracts the token of an Authorization header. Like
// Cloudreve it accepts the token with or without the "Bearer " prefix.
func BearerFromHeader(h header) string {
	v := strings.TrimSpace(h.Get("Authorization"))
	if len(v) >= 7 && strings.EqualFold(v[:7], "bearer ") {
		v = strings.TrimSpace(v[7:])
	}
	return v
}

// header is what is read of request headers: net/http's or connect's.
type header interface{ Get(key string) string }

// Claims are the parts of a Cloudreve JWT the facade reads. They are read
// without checking the signature (only the upstream holds the key): callers
// must not trust them until the upstream accepted the token.
type Claims struct {
	TokenType string `json:"token_type"`
	Subject   string `json:"sub"`
	Expiry    int64  `json:"exp"`
}

// ExpiresAt is the token's expiry time.
func (c Claims) ExpiresAt() time.Time { return time.Unix(c.Expiry, 0) }

// ErrMalformedToken is returned for a token that is not a JWT.
var ErrMalformedToken = errors.New("auth: token is not a JWT")

// ParseClaims decodes the payload of a JWT.
func ParseClaims(token string) (Claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Claims{}, ErrMalformedToken
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return Claims{}, ErrMalformedToken
	}
	var c Claims
	if err := json.Unmarshal(payload, &c); err != nil || c.Subject == "" {
		return Claims{}, ErrMalformedToken
	}
	return c, nil
}

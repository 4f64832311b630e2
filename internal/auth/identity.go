package auth

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"time"

	"connectrpc.com/connect"
)

// Caller is who an RPC acts for.
type Caller struct {
	// UserID is the Cloudreve user hashid.
	UserID string
	// Token is the caller's own access token; empty for the service account.
	Token string
	// RefreshToken is the refresh token the caller lent the facade (header
	// Cloudreve-Refresh-Token), or "". It is not checked here: the watcher
	// finds out whether it works when it needs it.
	RefreshToken string
	// Account is true when the caller sent no token and the facade acts
	// with its service account.
	Account bool
}

// Identifier tells who the caller of an RPC is, with proof: a token's
// subject is believed only after the upstream accepted the token (probe),
// and that verdict is cached until the token expires.
type Identifier struct {
	account *ServiceAccount
	probe   func(ctx context.Context) error
	now     func() time.Time

	mu    sync.Mutex
	known map[[32]byte]time.Time // verified tokens, by hash, until expiry
}

// NewIdentifier: probe makes a login-only upstream call with the context's
// credentials and fails when they are refused. account may be nil.
func NewIdentifier(account *ServiceAccount, probe func(ctx context.Context) error) *Identifier {
	return &Identifier{account: account, probe: probe, now: time.Now, known: map[[32]byte]time.Time{}}
}

// Identify returns the caller of ctx, or an Unauthenticated error.
func (i *Identifier) Identify(ctx context.Context) (Caller, error) {
	tok := BearerFrom(ctx)
	if tok == "" {
		if i.account == nil {
			return Caller{}, connect.NewError(connect.CodeUnauthenticated, errors.New("no Authorization: Bearer <cloudreve access token> header, and the facade has no service account"))
		}
		id, err := i.account.UserID(ctx)
		if err != nil {
			return Caller{}, connect.NewError(connect.CodeUnavailable, err)
		}
		return Caller{UserID: id, Account: true}, nil
	}
	claims, err := ParseClaims(tok)
	if err != nil {
		return Caller{}, connect.NewError(connect.CodeUnauthenticated, errors.New("the bearer token is not a Cloudreve access token"))
	}
	if claims.TokenType != "" && claims.TokenType != "access" {
		return Caller{}, connect.NewError(connect.CodeUnauthenticated, errors.New("the bearer token is a "+claims.TokenType+" token, not an access token"))
	}
	if !claims.ExpiresAt().After(i.now()) {
		return Caller{}, connect.NewError(connect.CodeUnauthenticated, errors.New("the access token has expired"))
	}
	key := sha256.Sum256([]byte(tok))
	i.mu.Lock()
	until, ok := i.known[key]
	i.mu.Unlock()
	if !ok || !until.After(i.now()) {
		if err := i.probe(ctx); err != nil {
			return Caller{}, err
		}
		i.mu.Lock()
		i.prune()
		i.known[key] = claims.ExpiresAt()
		i.mu.Unlock()
	}
	return Caller{UserID: claims.Subject, Token: tok, RefreshToken: RefreshFrom(ctx)}, nil
}

// Trusted returns the caller of ctx without a probe, for use right after the
// upstream accepted the context's credentials for another call.
func (i *Identifier) Trusted(ctx context.Context) (Caller, error) {
	tok := BearerFrom(ctx)
	if tok == "" {
		if i.account == nil {
			return Caller{}, errors.New("no caller credentials")
		}
		id, err := i.account.UserID(ctx)
		return Caller{UserID: id, Account: true}, err
	}
	claims, err := ParseClaims(tok)
	if err != nil {
		return Caller{}, err
	}
	return Caller{UserID: claims.Subject, Token: tok, RefreshToken: RefreshFrom(ctx)}, nil
}

func (i *Identifier) prune() {
	if len(i.known) < 4096 {
		return
	}
	now := i.now()
	for k, until := range i.known {
		if !until.After(now) {
			delete(i.known, k)
		}
	}
}

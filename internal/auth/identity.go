package auth

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"time"

	"connectrpc.com/connect/v2"
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
// and that verdict is cached until the token expires, so a token costs one
// upstream check in its lifetime however many RPCs carry it. Concurrent
// first RPCs with the same token share one check. Refusals are not cached: a
// bad token costs one check per RPC, as the RPC itself would.
type Identifier struct {
	account *ServiceAccount
	probe   func(ctx context.Context) error
	now     func() time.Time

	mu       sync.Mutex
	known    map[[32]byte]verified // accepted tokens, by hash
	checking map[[32]byte]*check   // checks under way, by hash
}

// verified is an accepted token: whose it is and until when.
type verified struct {
	subject string
	until   time.Time
}

// check is one upstream check of a token, awaited by every RPC that
// carries the token meanwhile.
type check struct {
	done chan struct{}
	err  error
}

// maxKnown bounds the cache of accepted tokens. Past it, expired entries
// go first, then arbitrary ones (which only costs their tokens a new check).
const maxKnown = 4096

// NewIdentifier: probe makes a login-only upstream call with the context's
// credentials and fails when they are refused. account may be nil.
func NewIdentifier(account *ServiceAccount, probe func(ctx context.Context) error) *Identifier {
	return &Identifier{account: account, probe: probe, now: time.Now, known: map[[32]byte]verified{}, checking: map[[32]byte]*check{}}
}

// Identify returns the caller of ctx, or an Unauthenticated error.
func (i *Identifier) Identify(ctx context.Context) (Caller, error) {
	tok := BearerFrom(ctx)
	if tok == "" {
		if i.account == nil {
			return Caller{}, connect.NewError(connect.CodeUnauthenticated, "no Authorization: Bearer <cloudreve access token> header, and the facade has no service account")
		}
		id, err := i.account.UserID(ctx)
		if err != nil {
			return Caller{}, connect.NewError(connect.CodeUnavailable, err.Error()).WithCause(err)
		}
		return Caller{UserID: id, Account: true}, nil
	}
	claims, err := i.Check(ctx)
	if err != nil {
		return Caller{}, err
	}
	return Caller{UserID: claims.Subject, Token: tok, RefreshToken: RefreshFrom(ctx)}, nil
}

// Check proves the bearer token of ctx: Unauthenticated when it is not a
// Cloudreve access token, has expired, or the upstream does not accept it
// (a corrupted or foreign signature, which Cloudreve itself would quietly
// treat as a guest). A context without a bearer token passes unchecked.
func (i *Identifier) Check(ctx context.Context) (Claims, error) {
	tok := BearerFrom(ctx)
	if tok == "" {
		return Claims{}, nil
	}
	claims, err := ParseClaims(tok)
	if err != nil {
		return Claims{}, connect.NewError(connect.CodeUnauthenticated, "the bearer token is not a Cloudreve access token")
	}
	if claims.TokenType != "" && claims.TokenType != "access" {
		return Claims{}, connect.NewError(connect.CodeUnauthenticated, "the bearer token is a "+claims.TokenType+" token, not an access token")
	}
	if !claims.ExpiresAt().After(i.now()) {
		return Claims{}, connect.NewError(connect.CodeUnauthenticated, "the access token has expired")
	}
	key := sha256.Sum256([]byte(tok))
	for {
		i.mu.Lock()
		if v, ok := i.known[key]; ok && v.until.After(i.now()) {
			i.mu.Unlock()
			return claims, nil
		}
		if c, ok := i.checking[key]; ok {
			i.mu.Unlock()
			select {
			case <-c.done:
			case <-ctx.Done():
				return Claims{}, contextError(ctx)
			}
			if c.err != nil && !endedEarly(c.err) {
				return Claims{}, c.err
			}
			continue // accepted (now known), or the checking RPC gave up: check again
		}
		c := &check{done: make(chan struct{})}
		i.checking[key] = c
		i.mu.Unlock()

		c.err = i.probe(ctx)
		i.mu.Lock()
		delete(i.checking, key)
		if c.err == nil {
			i.prune()
			i.known[key] = verified{subject: claims.Subject, until: claims.ExpiresAt()}
		}
		i.mu.Unlock()
		close(c.done)
		if c.err != nil {
			return Claims{}, c.err
		}
		return claims, nil
	}
}

// Forget drops what is cached for the given access tokens and for every
// token of subject (a user hashid; "" for none), so that their next RPC is
// checked with the upstream again. Access tokens do not say which sign-in
// session they belong to, so ending a session forgets all of its user's.
func (i *Identifier) Forget(subject string, tokens ...string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	for _, tok := range tokens {
		if tok != "" {
			delete(i.known, sha256.Sum256([]byte(tok)))
		}
	}
	if subject == "" {
		return
	}
	for k, v := range i.known {
		if v.subject == subject {
			delete(i.known, k)
		}
	}
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

// prune makes room for one more accepted token. Callers hold mu.
func (i *Identifier) prune() {
	if len(i.known) < maxKnown {
		return
	}
	now := i.now()
	for k, v := range i.known {
		if !v.until.After(now) {
			delete(i.known, k)
		}
	}
	for k := range i.known {
		if len(i.known) < maxKnown {
			return
		}
		delete(i.known, k)
	}
}

// endedEarly reports whether a check failed because the RPC that made it
// was canceled or ran out of time: no verdict about the token.
func endedEarly(err error) bool {
	c := connect.CodeOf(err)
	return c == connect.CodeCanceled || c == connect.CodeDeadlineExceeded
}

func contextError(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return connect.NewError(connect.CodeDeadlineExceeded, ctx.Err().Error()).WithCause(ctx.Err())
	}
	return connect.NewError(connect.CodeCanceled, ctx.Err().Error()).WithCause(ctx.Err())
}

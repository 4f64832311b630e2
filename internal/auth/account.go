package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// AccountConfig configures the service account. Either Email and Password,
// or RefreshToken, must be set.
type AccountConfig struct {
	Email        string
	Password     string
	RefreshToken string
	// RefreshBefore is how long before the access token's expiry it is
	// renewed. Default one minute.
	RefreshBefore time.Duration
	// Store, when set, keeps the session's refresh token across restarts,
	// so that a restarted facade refreshes instead of signing in again.
	Store TokenStore
}

// TokenStore keeps the service account's refresh token (sealed: see
// internal/sealedkv). Load answers "" when nothing usable is stored.
type TokenStore interface {
	Load(ctx context.Context) (string, error)
	Save(ctx context.Context, refreshToken string) error
	Clear(ctx context.Context) error
}

// ServiceAccount holds the facade's own Cloudreve session.
type ServiceAccount struct {
	cfg    AccountConfig
	client cloudreveapi.ClientInterface
	now    func() time.Time

	mu       sync.Mutex
	access   string
	accessAt time.Time // expiry
	refresh  string
	userID   string
	loaded   bool // the stored refresh token was read
}

// NewServiceAccount needs a client that does not itself use the account
// (sign-in and refresh need no bearer).
func NewServiceAccount(cfg AccountConfig, client cloudreveapi.ClientInterface) (*ServiceAccount, error) {
	if cfg.RefreshToken == "" && (cfg.Email == "" || cfg.Password == "") {
		return nil, errors.New("auth: a service account needs an e-mail and password, or a refresh token")
	}
	if cfg.RefreshBefore <= 0 {
		cfg.RefreshBefore = time.Minute
	}
	return &ServiceAccount{cfg: cfg, client: client, now: time.Now, refresh: cfg.RefreshToken}, nil
}

// Token returns a valid access token, signing in or refreshing as needed.
func (a *ServiceAccount) Token(ctx context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.access != "" && a.now().Add(a.cfg.RefreshBefore).Before(a.accessAt) {
		return a.access, nil
	}
	if err := a.renewLocked(ctx); err != nil {
		return "", err
	}
	return a.access, nil
}

// UserID is the hashid of the account's user, once it signed in.
func (a *ServiceAccount) UserID(ctx context.Context) (string, error) {
	if _, err := a.Token(ctx); err != nil {
		return "", err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.userID, nil
}

// Invalidate drops token if it is still the current one, so the next Token
// call renews it.
func (a *ServiceAccount) Invalidate(token string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.access == token {
		a.access = ""
	}
}

func (a *ServiceAccount) renewLocked(ctx context.Context) error {
	if !a.loaded && a.cfg.Store != nil {
		// A refresh token kept by an earlier run is newer than the
		// configured one; it is tried first.
		if stored, err := a.cfg.Store.Load(ctx); err == nil && stored != "" {
			a.refresh = stored
		}
		a.loaded = true
	}
	var lastErr error
	for _, refresh := range a.refreshCandidates() {
		tok, err := upstream.Op[cloudreveapi.Token]("refreshToken").Decode(a.client.RefreshToken(ctx, cloudreveapi.RefreshTokenJSONRequestBody{RefreshToken: refresh}))
		if err == nil {
			return a.adoptLocked(ctx, tok)
		}
		var ue *upstream.Error
		if !errors.As(err, &ue) {
			return fmt.Errorf("service account: %w", err) // upstream unreachable: try later
		}
		lastErr = err // refused (expired, revoked): try the next way in
	}
	if lastErr != nil && a.cfg.Email == "" {
		return fmt.Errorf("service account: %w", lastErr)
	}
	if a.cfg.Email == "" {
		return errors.New("service account: no refresh token and no password to sign in with")
	}
	login, err := upstream.Op[cloudreveapi.LoginResponse]("passwordSignIn").Decode(a.client.PasswordSignIn(ctx, cloudreveapi.PasswordSignInJSONRequestBody{Email: openapi_types.Email(a.cfg.Email), Password: a.cfg.Password}))
	if err != nil {
		var ue *upstream.Error
		if errors.As(err, &ue) && ue.Code == upstream.CodeNotFullySuccessful {
			return errors.New("service account: the account has two-factor sign-in enabled, which a service account cannot answer")
		}
		return fmt.Errorf("service account: %w", err)
	}
	if login == nil {
		return errors.New("service account: sign-in answered without a token")
	}
	return a.adoptLocked(ctx, &login.Token)
}

// refreshCandidates are the refresh tokens to try, newest first.
func (a *ServiceAccount) refreshCandidates() []string {
	var out []string
	for _, t := range []string{a.refresh, a.cfg.RefreshToken} {
		if t != "" && (len(out) == 0 || out[0] != t) {
			out = append(out, t)
		}
	}
	return out
}

func (a *ServiceAccount) adoptLocked(ctx context.Context, tok *cloudreveapi.Token) error {
	if tok == nil || tok.AccessToken == "" {
		return errors.New("service account: upstream answered without a token")
	}
	claims, err := ParseClaims(tok.AccessToken)
	if err != nil {
		return fmt.Errorf("service account: %w", err)
	}
	a.access, a.accessAt, a.userID = tok.AccessToken, tok.AccessExpires, claims.Subject
	if tok.RefreshToken != "" {
		a.refresh = tok.RefreshToken
		if a.cfg.Store != nil {
			// Best effort: without it the next start signs in again.
			_ = a.cfg.Store.Save(ctx, a.refresh)
		}
	}
	return nil
}

// SignOut ends the account's session upstream (its refresh token family is
// revoked) and forgets the stored refresh token. Access tokens already
// issued stay valid until they expire, as upstream.
func (a *ServiceAccount) SignOut(ctx context.Context) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	refresh := a.refresh
	a.access, a.refresh = "", ""
	if a.cfg.Store != nil {
		if err := a.cfg.Store.Clear(ctx); err != nil {
			return fmt.Errorf("service account: forgetting the stored session: %w", err)
		}
	}
	if refresh == "" {
		return nil // never signed in
	}
	if err := upstream.Action("signOut").Check(a.client.SignOut(ctx, cloudreveapi.SignOutJSONRequestBody{RefreshToken: refresh})); err != nil {
		return fmt.Errorf("service account: %w", err)
	}
	return nil
}

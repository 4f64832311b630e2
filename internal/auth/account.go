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
}

// ServiceAccount holds the facade's own Cloudreve session.
type ServiceAccount struct {
	cfg    AccountConfig
	client cloudreveapi.ClientWithResponsesInterface
	now    func() time.Time

	mu       sync.Mutex
	access   string
	accessAt time.Time // expiry
	refresh  string
	userID   string
}

// NewServiceAccount needs a client that does not itself use the account
// (sign-in and refresh need no bearer).
func NewServiceAccount(cfg AccountConfig, client cloudreveapi.ClientWithResponsesInterface) (*ServiceAccount, error) {
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
	if a.refresh != "" {
		resp, err := a.client.RefreshTokenWithResponse(ctx, cloudreveapi.RefreshTokenJSONRequestBody{RefreshToken: a.refresh})
		if err = upstream.Check("refreshToken", resp, err); err == nil {
			return a.adoptLocked(resp.JSON200.Data)
		}
		var ue *upstream.Error
		if !errors.As(err, &ue) || a.cfg.Email == "" {
			return fmt.Errorf("service account: %w", err)
		}
		// The refresh token was refused (expired, revoked): sign in again.
	}
	if a.cfg.Email == "" {
		return errors.New("service account: no refresh token and no password to sign in with")
	}
	resp, err := a.client.PasswordSignInWithResponse(ctx, cloudreveapi.PasswordSignInJSONRequestBody{Email: openapi_types.Email(a.cfg.Email), Password: a.cfg.Password})
	if err := upstream.Check("passwordSignIn", resp, err); err != nil {
		var ue *upstream.Error
		if errors.As(err, &ue) && ue.Code == upstream.CodeNotFullySuccessful {
			return errors.New("service account: the account has two-factor sign-in enabled, which a service account cannot answer")
		}
		return fmt.Errorf("service account: %w", err)
	}
	if resp.JSON200.Data == nil {
		return errors.New("service account: sign-in answered without a token")
	}
	return a.adoptLocked(&resp.JSON200.Data.Token)
}

func (a *ServiceAccount) adoptLocked(tok *cloudreveapi.Token) error {
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
	}
	return nil
}

package auth

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/sandbox"
)

type memStore struct{ refresh string }

func (m *memStore) Load(context.Context) (string, error)     { return m.refresh, nil }
func (m *memStore) Save(_ context.Context, tok string) error { m.refresh = tok; return nil }
func (m *memStore) Clear(context.Context) error              { m.refresh = ""; return nil }

// A second account object (a restarted facade) with the same store
// refreshes the stored session instead of signing in; SignOut revokes it.
func TestServiceAccountReusesStoredSession(t *testing.T) {
	f := newFixture(t, sandbox.Options{})
	store := &memStore{}
	cfg := AccountConfig{Email: "svc@example.com", Password: "svc-password", Store: store}
	ctx := context.Background()
	first, _ := NewServiceAccount(cfg, f.plain)
	if _, err := first.Token(ctx); err != nil {
		t.Fatal(err)
	}
	if store.refresh == "" {
		t.Fatal("the session was not stored")
	}
	second, _ := NewServiceAccount(cfg, f.plain)
	if err := capacity(ctx, f.client(t, second)); err != nil {
		t.Fatal(err)
	}
	if n := f.sb.SignInCount(); n != 1 {
		t.Errorf("%d sign-ins, want 1", n)
	}
	stored := store.refresh
	if err := second.SignOut(ctx); err != nil {
		t.Fatal(err)
	}
	if store.refresh != "" {
		t.Error("the stored session survived the sign-out")
	}
	_, err := upstream.Op[cloudreveapi.Token]("refreshToken").Decode(f.plain.RefreshToken(ctx, cloudreveapi.RefreshTokenJSONRequestBody{RefreshToken: stored}))
	var ue *upstream.Error
	if !errors.As(err, &ue) || ue.Code != upstream.CodeCredentialInvalid {
		t.Errorf("refresh after sign-out: %v", err)
	}
	// A refused stored token falls back to the password.
	store.refresh = stored
	third, _ := NewServiceAccount(cfg, f.plain)
	if _, err := third.Token(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.sb.SignInCount(); n != 2 {
		t.Errorf("%d sign-ins, want 2", n)
	}
}

// The interceptor keeps a lent refresh token only next to a bearer token.
func TestRefreshHeader(t *testing.T) {
	h := http.Header{}
	h.Set(RefreshHeader, "r")
	if ctx := fromHeader(context.Background(), h); RefreshFrom(ctx) != "" {
		t.Error("a refresh token without an access token was kept")
	}
	h.Set("Authorization", "Bearer a")
	ctx := fromHeader(context.Background(), h)
	if RefreshFrom(ctx) != "r" || BearerFrom(ctx) != "a" {
		t.Errorf("got %q %q", BearerFrom(ctx), RefreshFrom(ctx))
	}
}

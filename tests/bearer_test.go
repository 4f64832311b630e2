package tests

import (
	"context"
	"errors"
	"io"
	"testing"

	"connectrpc.com/connect/v2"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	sessionv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1"
	sitev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/sandbox"
)

// Cloudreve serves a request whose token it cannot verify as a guest's; the
// facade answers Unauthenticated instead, for every kind of bad token, on
// RPCs that guests may call. Only the refresh token is refused upstream too.
func TestBadBearerIsNeverAGuest(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	bob := e.up.newAccount(t, "bob")
	// Same subject, signed by another server's key.
	other, err := sandbox.New(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(other.Close)
	otherID, err := other.CreateUser("alice@example.com", "password-alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	foreign, _, err := other.IssueTokens(otherID)
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string]struct {
		token  string
		probes int64 // upstream calls the facade may make to find out
	}{
		"garbage":           {"not-a-token", 0},
		"corrupt signature": {e.alice.Token[:len(e.alice.Token)-4] + "AAAA", 1},
		"wrong key":         {foreign, 1},
		"refresh token":     {e.alice.Refresh, 0},
	}
	ctx := context.Background()
	basic := &sitev1.GetSiteSettingsRequest{Section: sitev1.SiteConfigSection_SITE_CONFIG_SECTION_BASIC}
	for name, b := range bad {
		for _, p := range protocols {
			c := clientsOf(e.f, append(p.opts, withToken(b.token))...)
			before := e.up.requests.Load()
			_, err := c.site.GetSiteSettings(ctx, basic)
			wantCode(t, name+" GetSiteSettings "+p.name, err, connect.CodeUnauthenticated)
			if got := e.up.requests.Load() - before; got > b.probes {
				t.Errorf("%s: %d upstream requests, want at most %d (the RPC itself must not run)", name, got, b.probes)
			}
			_, err = c.user.GetUser(ctx, &userv1.GetUserRequest{UserId: bob.ID})
			wantCode(t, name+" GetUser "+p.name, err, connect.CodeUnauthenticated)
			stream, err := fileClient(e.f, append(p.opts, withToken(b.token))...).StreamFiles(ctx, &filev1.StreamFilesRequest{Uri: "cloudreve://my"})
			if err == nil {
				var streamErr error
				for {
					_, err := stream.Receive()
					if err != nil {
						streamErr = err
						break
					}
					t.Errorf("%s: StreamFiles gave a page", name)
				}
				if errors.Is(streamErr, io.EOF) {
					streamErr = nil
				}
				err = streamErr
			}
			wantCode(t, name+" StreamFiles "+p.name, err, connect.CodeUnauthenticated)
		}
	}
	// No bearer: still a guest, where guests are allowed.
	guest := clientsOf(e.f)
	if _, err := guest.site.GetSiteSettings(ctx, basic); err != nil {
		t.Errorf("guest GetSiteSettings: %v", err)
	}
	if _, err := guest.user.GetUser(ctx, &userv1.GetUserRequest{UserId: bob.ID}); err != nil {
		t.Errorf("guest GetUser: %v", err)
	}
	// Signing in or refreshing does not depend on the bearer a client sends
	// along (an expired one, typically).
	stale := clientsOf(e.f, withToken("expired.or.garbage"))
	if r, err := stale.session.RefreshToken(ctx, &sessionv1.RefreshTokenRequest{RefreshToken: e.alice.Refresh}); err != nil || r.GetToken().GetAccessToken() == "" {
		t.Errorf("refresh with a stale bearer: %v", err)
	}
}

// A valid token is checked with the upstream once, not once per RPC; after
// SignOut the facade checks it again.
func TestBearerCheckedOncePerToken(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	ctx := context.Background()
	c := clientsOf(e.f, withToken(e.alice.Token))
	basic := &sitev1.GetSiteSettingsRequest{Section: sitev1.SiteConfigSection_SITE_CONFIG_SECTION_BASIC}
	before := e.up.requests.Load()
	const rpcs = 5
	for range rpcs {
		if _, err := c.site.GetSiteSettings(ctx, basic); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.up.requests.Load() - before; got != rpcs+1 {
		t.Errorf("%d RPCs cost %d upstream requests, want %d (one check)", rpcs, got, rpcs+1)
	}
	before = e.up.requests.Load()
	if _, err := c.session.SignOut(ctx, &sessionv1.SignOutRequest{RefreshToken: e.alice.Refresh}); err != nil {
		t.Fatal(err)
	}
	if got := e.up.requests.Load() - before; got != 1 {
		t.Errorf("SignOut cost %d upstream requests, want 1", got)
	}
	// The access token still works upstream (as on the real servers, sign-out
	// revokes only the refresh tokens), but it is checked again.
	before = e.up.requests.Load()
	if _, err := c.site.GetSiteSettings(ctx, basic); err != nil {
		t.Fatal(err)
	}
	if got := e.up.requests.Load() - before; got != 2 {
		t.Errorf("after SignOut: %d upstream requests, want 2 (a new check)", got)
	}
}

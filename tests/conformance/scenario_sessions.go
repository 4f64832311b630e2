package conformance

import (
	"errors"
	"io"
	"testing"

	"connectrpc.com/connect/v2"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	sessionv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1"
	sitev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1"
)

// Sign in, use the token, refresh, use the new one, sign out: the refresh
// token signed out with (and the one it was refreshed from) is refused.
func signInRefreshSignOut(t *testing.T, c *caller) {
	_, err := c.guest.sessions.PasswordSignIn(c.ctx, &sessionv1.PasswordSignInRequest{Email: c.tg.Main.Email, Password: c.tg.Main.Password + "-wrong"})
	wantCode(t, "a wrong password", err, connect.CodeUnauthenticated)

	in := must[*sessionv1.PasswordSignInResponse](t, "PasswordSignIn")(c.guest.sessions.PasswordSignIn(c.ctx,
		&sessionv1.PasswordSignInRequest{Email: c.tg.Main.Email, Password: c.tg.Main.Password})).GetLogin()
	if in.GetUser().GetId() != c.main.userID || in.GetToken().GetRefreshToken() == "" {
		t.Fatalf("signed in as %v", in)
	}
	listMine := func(token string) error {
		_, err := c.with(token).files.ListFiles(c.ctx, &filev1.ListFilesRequest{Uri: "cloudreve://my", PageSize: 10})
		return err
	}
	if err := listMine(in.GetToken().GetAccessToken()); err != nil {
		t.Fatalf("the new access token: %v", err)
	}
	refreshed := must[*sessionv1.RefreshTokenResponse](t, "RefreshToken")(c.guest.sessions.RefreshToken(c.ctx,
		&sessionv1.RefreshTokenRequest{RefreshToken: in.GetToken().GetRefreshToken()})).GetToken()
	if refreshed.GetAccessToken() == "" || refreshed.GetRefreshToken() == "" {
		t.Fatalf("refreshed %v", refreshed)
	}
	if err := listMine(refreshed.GetAccessToken()); err != nil {
		t.Fatalf("the refreshed access token: %v", err)
	}
	must[*sessionv1.SignOutResponse](t, "SignOut")(c.with(refreshed.GetAccessToken()).sessions.SignOut(c.ctx,
		&sessionv1.SignOutRequest{RefreshToken: refreshed.GetRefreshToken()}))
	_, err = c.guest.sessions.RefreshToken(c.ctx, &sessionv1.RefreshTokenRequest{RefreshToken: refreshed.GetRefreshToken()})
	wantCode(t, "refresh with the signed-out token", err, connect.CodeUnauthenticated)
	_, err = c.guest.sessions.RefreshToken(c.ctx, &sessionv1.RefreshTokenRequest{RefreshToken: in.GetToken().GetRefreshToken()})
	wantCode(t, "refresh with the token the signed-out one came from", err, connect.CodeUnauthenticated)
}

// A bearer that is no valid access token is Unauthenticated, on RPCs guests
// may call too (Cloudreve itself would serve it as a guest), and on streams.
func badBearerIsUnauthenticated(t *testing.T, c *caller) {
	a := c.main.access
	for name, token := range map[string]string{
		"garbage":           "not-a-token",
		"corrupt signature": a[:len(a)-4] + flip(a[len(a)-4:]),
		"refresh token":     c.main.refresh,
	} {
		cl := c.with(token)
		_, err := cl.site.GetSiteSettings(c.ctx, &sitev1.GetSiteSettingsRequest{Section: sitev1.SiteConfigSection_SITE_CONFIG_SECTION_BASIC})
		wantCode(t, name+": GetSiteSettings", err, connect.CodeUnauthenticated)
		_, err = cl.files.ListFiles(c.ctx, &filev1.ListFilesRequest{Uri: "cloudreve://my"})
		wantCode(t, name+": ListFiles", err, connect.CodeUnauthenticated)
		stream, err := cl.files.StreamFiles(c.ctx, &filev1.StreamFilesRequest{Uri: "cloudreve://my"})
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
		wantCode(t, name+": StreamFiles", err, connect.CodeUnauthenticated)
	}
	// Without a bearer a caller is a guest, where guests may be.
	if _, err := c.guest.site.GetSiteSettings(c.ctx, &sitev1.GetSiteSettingsRequest{Section: sitev1.SiteConfigSection_SITE_CONFIG_SECTION_BASIC}); err != nil {
		t.Errorf("a guest's GetSiteSettings: %v", err)
	}
}

// flip changes every character of a token's tail, keeping it base64url.
func flip(s string) string {
	b := []byte(s)
	for i := range b {
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
	}
	return string(b)
}

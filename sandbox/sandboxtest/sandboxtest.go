// Package sandboxtest serves a sandbox Cloudreve over real HTTP for
// in-process tests of the services: one upstream, its accounts, and
// generated clients that carry an account's token.
package sandboxtest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/sandbox"
)

// Upstream is a running sandbox.
type Upstream struct {
	*sandbox.Server
	// APIURL is the API root (…/api/v4).
	APIURL string
}

// Start serves a sandbox until the test ends.
func Start(t testing.TB, opts sandbox.Options) *Upstream {
	t.Helper()
	if opts.Tick == 0 {
		opts.Tick = 50 * time.Millisecond
	}
	sb := sandbox.Start(t, opts)
	return &Upstream{Server: sb, APIURL: sb.APIURL()}
}

// Account is a sandbox user and a client that calls as that user.
type Account struct {
	ID string
	// Token is the account's access token, for callers that present it to
	// the facade themselves.
	Token  string
	Client cloudreveapi.ClientInterface
}

// NewAccount creates a user (name@example.com) and signs it in.
func (u *Upstream) NewAccount(t testing.TB, name string) Account {
	t.Helper()
	id, err := u.CreateUser(name+"@example.com", "password-"+name, name)
	if err != nil {
		t.Fatal(err)
	}
	access, _, err := u.IssueTokens(id)
	if err != nil {
		t.Fatal(err)
	}
	// Redirects are followed as the facade's own client follows them (not
	// for calls whose redirect is the answer).
	httpClient := &http.Client{CheckRedirect: upstream.CheckRedirect}
	c, err := cloudreveapi.NewClient(u.APIURL, cloudreveapi.WithHTTPClient(httpClient), cloudreveapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+access)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	return Account{ID: id, Token: access, Client: c}
}

// Versions is a tracker of this upstream's release, read already.
func (u *Upstream) Versions(t testing.TB) *upstream.VersionTracker {
	t.Helper()
	c, err := cloudreveapi.NewClient(u.APIURL)
	if err != nil {
		t.Fatal(err)
	}
	v := upstream.NewVersionTracker(c, nil)
	if _, err := v.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	return v
}

// Releases are the ones the sandbox imitates, for tests that run in each.
var Releases = []string{sandbox.Version40, sandbox.Version}

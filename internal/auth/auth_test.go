package auth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/sandbox"
)

type fixture struct {
	sb     *sandbox.Server
	plain  *cloudreveapi.Client
	url    string
	userID string
}

func newFixture(t *testing.T, opts sandbox.Options) *fixture {
	t.Helper()
	sb, err := sandbox.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(func() { srv.Close(); sb.Close() })
	id, err := sb.CreateUser("svc@example.com", "svc-password", "svc")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := cloudreveapi.NewClient(srv.URL+"/api/v4", cloudreveapi.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{sb: sb, plain: plain, url: srv.URL, userID: id}
}

func (f *fixture) client(t *testing.T, acc *ServiceAccount) *cloudreveapi.Client {
	c, err := cloudreveapi.NewClient(f.url+"/api/v4", cloudreveapi.WithHTTPClient(&Doer{Base: &http.Client{}, Account: acc}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func capacity(ctx context.Context, c *cloudreveapi.Client) error {
	return upstream.Action("getStorageCapacity").Check(c.GetStorageCapacity(ctx))
}

func TestServiceAccountSignsInAndRefreshesBeforeExpiry(t *testing.T) {
	f := newFixture(t, sandbox.Options{AccessTTL: 3 * time.Second})
	acc, err := NewServiceAccount(AccountConfig{Email: "svc@example.com", Password: "svc-password", RefreshBefore: 2500 * time.Millisecond}, f.plain)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	first, err := acc.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := acc.UserID(ctx); id != f.userID {
		t.Errorf("user id %q, want %q", id, f.userID)
	}
	// Within RefreshBefore of the expiry the next call renews the token.
	time.Sleep(1100 * time.Millisecond)
	second, err := acc.Token(ctx)
	if err != nil || second == first {
		t.Fatalf("token not renewed: %v", err)
	}
	if err := capacity(ctx, f.client(t, acc)); err != nil {
		t.Fatalf("call with the renewed token: %v", err)
	}
}

func TestDoerRetriesOnceAfterLoginRequired(t *testing.T) {
	f := newFixture(t, sandbox.Options{})
	acc, _ := NewServiceAccount(AccountConfig{Email: "svc@example.com", Password: "svc-password"}, f.plain)
	ctx := context.Background()
	if _, err := acc.Token(ctx); err != nil {
		t.Fatal(err)
	}
	// The upstream stops accepting the held token (as after a key rotation):
	// it is treated as a guest and the call answers 401.
	acc.mu.Lock()
	acc.access = "not.a.token"
	acc.mu.Unlock()
	if err := capacity(ctx, f.client(t, acc)); err != nil {
		t.Fatalf("call was not retried with a fresh token: %v", err)
	}
	// An explicit caller token is never replaced.
	err := capacity(WithBearer(ctx, "expired.or.garbage"), f.client(t, acc))
	var ue *upstream.Error
	if !errors.As(err, &ue) || ue.Code != upstream.CodeLoginRequired {
		t.Fatalf("caller's bad token: %v", err)
	}
}

func TestServiceAccountWithRefreshTokenOnly(t *testing.T) {
	f := newFixture(t, sandbox.Options{})
	_, refresh, err := f.sb.IssueTokens(f.userID)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := NewServiceAccount(AccountConfig{RefreshToken: refresh}, f.plain)
	if err != nil {
		t.Fatal(err)
	}
	if err := capacity(context.Background(), f.client(t, acc)); err != nil {
		t.Fatal(err)
	}
	bad, _ := NewServiceAccount(AccountConfig{RefreshToken: "garbage"}, f.plain)
	if _, err := bad.Token(context.Background()); err == nil {
		t.Fatal("a garbage refresh token gave a session")
	}
	if _, err := NewServiceAccount(AccountConfig{Email: "x@example.com"}, f.plain); err == nil {
		t.Fatal("an e-mail without a password was accepted")
	}
}

func TestIdentifier(t *testing.T) {
	f := newFixture(t, sandbox.Options{})
	access, refresh, _ := f.sb.IssueTokens(f.userID)
	c := f.client(t, nil)
	probes := 0
	id := NewIdentifier(nil, func(ctx context.Context) error {
		probes++
		if err := capacity(ctx, c); err != nil {
			return connect.NewError(connect.CodeUnauthenticated, err.Error())
		}
		return nil
	})
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		caller, err := id.Identify(WithBearer(ctx, access))
		if err != nil || caller.UserID != f.userID || caller.Token != access {
			t.Fatalf("identify: %v %v", caller, err)
		}
	}
	if probes != 1 {
		t.Errorf("%d probes for one token, want 1 (cached)", probes)
	}
	for name, tok := range map[string]string{"refresh token": refresh, "garbage": "abc", "forged": access[:len(access)-2] + "xx"} {
		if _, err := id.Identify(WithBearer(ctx, tok)); connect.CodeOf(err) != connect.CodeUnauthenticated {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := id.Identify(ctx); connect.CodeOf(err) != connect.CodeUnauthenticated {
		t.Errorf("no token: %v", err)
	}
}

// Concurrent first RPCs with one token share one check; Forget makes the
// next RPC check again; a refused token is not remembered.
func TestIdentifierChecksOnceAndForgets(t *testing.T) {
	f := newFixture(t, sandbox.Options{})
	access, refresh, _ := f.sb.IssueTokens(f.userID)
	c := f.client(t, nil)
	var probes atomic.Int64
	release := make(chan struct{})
	id := NewIdentifier(nil, func(ctx context.Context) error {
		probes.Add(1)
		<-release
		if err := capacity(ctx, c); err != nil {
			return connect.NewError(connect.CodeUnauthenticated, err.Error())
		}
		return nil
	})
	ctx := WithBearer(context.Background(), access)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := id.Check(ctx)
			errs <- err
		}()
	}
	// Hold the first check until it has begun: the other callers find it
	// under way (and wait for it) or done (and use its verdict).
	for probes.Load() == 0 {
		runtime.Gosched()
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := probes.Load(); n != 1 {
		t.Errorf("%d probes for 8 concurrent RPCs, want 1", n)
	}
	id.Forget("", access)
	if _, err := id.Check(ctx); err != nil || probes.Load() != 2 {
		t.Errorf("after Forget(token): %v, %d probes", err, probes.Load())
	}
	claims, _ := ParseClaims(refresh)
	id.Forget(claims.Subject)
	if _, err := id.Check(ctx); err != nil || probes.Load() != 3 {
		t.Errorf("after Forget(subject): %v, %d probes", err, probes.Load())
	}
	forged := WithBearer(context.Background(), access[:len(access)-4]+"AAAA")
	for range 2 {
		if _, err := id.Check(forged); connect.CodeOf(err) != connect.CodeUnauthenticated {
			t.Errorf("forged: %v", err)
		}
	}
	if n := probes.Load(); n != 5 {
		t.Errorf("%d probes, want 5: a refusal is not cached", n)
	}
	if _, err := id.Check(context.Background()); err != nil {
		t.Errorf("no bearer: %v", err)
	}
}

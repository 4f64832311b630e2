package tests

import (
	"context"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/grpchealth"

	webdavv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/webdav/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/webdav/v1/webdavv1connect"
	"github.com/cloudreve-connect/facade/sandbox"
)

// serveSandboxAt serves a sandbox of one release at addr until stop.
func serveSandboxAt(t *testing.T, addr, release string) (sb *sandbox.Server, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	sb, err = sandbox.New(sandbox.Options{Version: release, Tick: 60 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(sb.Handler())
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	stop = func() { srv.Close(); sb.Close() }
	t.Cleanup(stop)
	return sb, stop
}

// The facade reads the upstream's release at start, reports it in a log
// line and in facade_upstream_info, acts on it (a 4.0.0 upstream cannot
// hide WebDAV system files), and reads it again when the upstream comes
// back after an outage, here as another release.
func TestUpstreamReleaseIsReadAtStartAndAfterAnOutage(t *testing.T) {
	addr := freePort(t)
	old, stopOld := serveSandboxAt(t, addr, sandbox.Version40)
	_, natsURL := startNATS(t)
	f := startFacade(t, "--upstream", "http://"+addr, "--nats-url", natsURL)

	if v, found := metric(scrape(t, f.URL+"/metrics"), "facade_upstream_info", `version="4.0.0"`, `edition="community"`); !found || v != 1 {
		t.Fatalf("facade_upstream_info for 4.0.0: %v %v", v, found)
	}
	if !strings.Contains(f.logs.String(), "upstream Cloudreve version") || !strings.Contains(f.logs.String(), "version=4.0.0 edition=community") {
		t.Errorf("no log line for the version:\n%s", f.logs.String())
	}

	uid, err := old.CreateUser("dana@example.com", "password-dana", "Dana")
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := old.IssueTokens(uid)
	if err != nil {
		t.Fatal(err)
	}
	dav := webdavv1connect.NewDavAccountServiceClient(connectClient(h2cClient(), f.URL, withToken(token)))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = dav.CreateDavAccount(ctx, &webdavv1.CreateDavAccountRequest{Uri: "cloudreve://my", Name: "nas", DisableSysFiles: true})
	if connect.CodeOf(err) != connect.CodeFailedPrecondition || !strings.Contains(err.Error(), "disable_sys_files") {
		t.Fatalf("disable_sys_files on 4.0.0: %v", err)
	}

	// The upstream goes away and 4.18.0 comes back at the same address.
	stopOld()
	health := healthClient(h2cClient(), f.URL)
	for {
		res, err := health.Check(ctx, &grpchealth.CheckRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status == grpchealth.StatusNotServing {
			break
		}
		wait(t, ctx, 100*time.Millisecond)
	}
	serveSandboxAt(t, addr, sandbox.Version)
	for {
		if _, err := health.Check(ctx, &grpchealth.CheckRequest{}); err != nil {
			t.Fatal(err)
		}
		if v, found := metric(scrape(t, f.URL+"/metrics"), "facade_upstream_info", `version="4.18.0"`); found && v == 1 {
			break
		}
		wait(t, ctx, 100*time.Millisecond)
	}
	if _, found := metric(scrape(t, f.URL+"/metrics"), "facade_upstream_info", `version="4.0.0"`); found {
		t.Error("4.0.0 is still reported")
	}
	if !strings.Contains(f.logs.String(), "version=4.18.0 edition=community previous=4.0.0") {
		t.Errorf("no log line for the new version:\n%s", f.logs.String())
	}
}

// wait pauses between polls of a condition, failing the test at ctx's end.
func wait(t *testing.T, ctx context.Context, d time.Duration) {
	t.Helper()
	select {
	case <-ctx.Done():
		t.Fatal("gave up waiting")
	case <-time.After(d):
	}
}

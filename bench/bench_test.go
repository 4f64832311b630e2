package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"

	sitev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1/sitev1connect"
	"github.com/cloudreve-connect/facade/sandbox"
)

// In-process benchmarks of the unary path, run only with -bench:
//
//	go test ./bench -run '^$' -bench Ping -benchmem
//
// BenchmarkPingInProcess is a Connect client → the SiteService handler →
// the sandbox, each hop over loopback HTTP/1.1; BenchmarkPingDirect is the
// same client machinery calling the sandbox's REST ping. Both run in one
// process, so allocations include the client's and the sandbox's; compare
// the two rather than read either alone.

// startSandboxServer serves a sandbox on an httptest server.
func startSandboxServer(b *testing.B) string {
	b.Helper()
	sb, err := sandbox.New(sandbox.Options{})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	b.Cleanup(func() { srv.Close(); sb.Close() })
	return srv.URL
}

// keepAliveClient is one keep-alive HTTP/1.1 connection.
func keepAliveClient(b *testing.B) *http.Client {
	t := http1Transport()
	b.Cleanup(t.CloseIdleConnections)
	return &http.Client{Transport: t}
}

func BenchmarkPingInProcess(b *testing.B) {
	sandboxURL := startSandboxServer(b)
	handler, err := newInProcessFacade(sandboxURL+sandbox.APIPrefix, keepAliveClient(b))
	if err != nil {
		b.Fatal(err)
	}
	facade := httptest.NewServer(handler)
	b.Cleanup(facade.Close)
	client := sitev1connect.NewSiteServiceClient(connect.NewClient(connecthttp.NewTransport(keepAliveClient(b), facade.URL, connecthttp.WithProtoJSON())))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := client.Ping(ctx, &sitev1.PingRequest{})
		if err != nil {
			b.Fatal(err)
		}
		if res.GetVersion() != sandbox.Version {
			b.Fatalf("version %q", res.GetVersion())
		}
	}
}

func BenchmarkPingDirect(b *testing.B) {
	url := startSandboxServer(b) + sandbox.APIPrefix + "/site/ping"
	client := keepAliveClient(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := restGet(ctx, client, url, ""); err != nil {
			b.Fatal(err)
		}
	}
}

package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	sitev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1/sitev1connect"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/telemetry"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/sandbox"
)

// The unary path in one process, built the way run builds it (handler
// options and interceptors, the upstream pool, telemetry, the request log),
// against a sandbox over loopback: a profile of it is one command away.
//
//	go test ./cmd/facade -run '^$' -bench Unary -cpuprofile cpu.out
//	go tool pprof -top cpu.out
func BenchmarkUnaryPing(b *testing.B) {
	sb, err := sandbox.New(sandbox.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer sb.Close()
	up := httptest.NewServer(sb.Handler())
	defer up.Close()

	cfg, err := parseConfig(nil)
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tel, err := telemetry.New(context.Background(), telemetry.Options{Logger: log})
	if err != nil {
		b.Fatal(err)
	}
	pool := upstream.NewPool(upstream.PoolOptions{MaxConns: cfg.UpstreamMaxConns})
	httpClient, err := upstreamHTTPClient(cfg, tel, pool, "bench")
	if err != nil {
		b.Fatal(err)
	}
	client, err := cloudreveapi.NewClient(up.URL+"/api/v4", cloudreveapi.WithHTTPClient(&auth.Doer{Base: httpClient}))
	if err != nil {
		b.Fatal(err)
	}
	rpcs, err := rpcServer(cfg, tel, log, newStreamCloser(make(chan struct{})), newIdentity(nil, client))
	if err != nil {
		b.Fatal(err)
	}
	registerServices(rpcs, deps{client: client, log: log})
	mux := http.NewServeMux()
	connecthttp.Mount(mux, rpcs, mountOptions(cfg)...)
	facade := httptest.NewServer(mux)
	defer facade.Close()

	for _, c := range []struct {
		name string
		opts []connecthttp.Option
	}{{"connect-json", []connecthttp.Option{connecthttp.WithProtoJSON()}}, {"connect-proto", nil}} {
		b.Run(c.name, func(b *testing.B) {
			site := sitev1connect.NewSiteServiceClient(connect.NewClient(connecthttp.NewTransport(facade.Client(), facade.URL, c.opts...)))
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := site.Ping(context.Background(), &sitev1.PingRequest{}); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

package main

import (
	"net/http"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1/sitev1connect"
	"github.com/cloudreve-connect/facade/services/site"
)

// newInProcessFacade is the facade's unary path without its process: the
// SiteService handler over a generated upstream client for apiURL
// (…/api/v4). It is the only place the benchmarks build services, so when
// the services' constructors change, or the composition root in cmd/facade
// becomes importable, this function is all that needs to follow.
//
// It leaves out what cmd/facade adds around handlers (telemetry, request
// log, validation and auth interceptors; the upstream transport's deadline
// and tracing), so it measures the conversion path itself.
func newInProcessFacade(apiURL string, upstreamHTTP *http.Client) (http.Handler, error) {
	client, err := cloudreveapi.NewClient(apiURL, cloudreveapi.WithHTTPClient(upstreamHTTP))
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	server := connect.NewServer()
	sitev1connect.RegisterSiteServiceHandler(server, site.New(client))
	connecthttp.Mount(mux, server)
	return mux, nil
}

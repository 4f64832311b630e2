package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"

	sitev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1/sitev1connect"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
)

// The unary scenarios: one RPC, one upstream REST call behind it. Each is
// measured over two protocols, against the same direct REST call (and that
// call through the floor proxy):
//
//   - Connect protocol with JSON over keep-alive HTTP/1.1, the way a browser
//     or curl-style client talks;
//   - gRPC over h2c (unencrypted HTTP/2), the way gRPC services talk.
func init() {
	registerScenario(pingScenario{})
	registerScenario(listTasksScenario{})
}

// unaryProtocols are the ways A travels.
var unaryProtocols = []struct {
	name      string
	transport func() *http.Transport
	options   []connecthttp.Option
}{
	{"connect+json http/1.1", http1Transport, []connecthttp.Option{connecthttp.WithProtoJSON()}},
	{"grpc h2c", h2cTransport, []connecthttp.Option{connecthttp.WithGRPC()}},
}

// unaryCases builds one case per protocol: facade makes A's call from a
// client, direct makes the REST call to a base URL: the upstream's for B
// (always over HTTP/1.1, as Cloudreve serves it), the floor proxy's for C
// (over A's transport, so each row's floor fronts the same wire as A).
func unaryCases(e *env, name string, facade func(*http.Client, []connecthttp.Option) func(context.Context) error, direct func(hc *http.Client, baseURL string) func(context.Context) error) []abCase {
	restWorker := func(baseURL string, transport func() *http.Transport) openWorker {
		return func() (*worker, error) {
			t := transport()
			return transportWorker(t, direct(&http.Client{Transport: t, Timeout: e.callTimeout}, baseURL)), nil
		}
	}
	var out []abCase
	for _, p := range unaryProtocols {
		c := abCase{
			scenario: name,
			protocol: p.name,
			facade: func() (*worker, error) {
				t := p.transport()
				return transportWorker(t, facade(&http.Client{Transport: t, Timeout: e.callTimeout}, p.options)), nil
			},
			direct: restWorker(e.upstreamURL, http1Transport),
		}
		if e.floorURL != "" {
			c.floor = restWorker(e.floorURL, p.transport)
		}
		out = append(out, c)
	}
	return out
}

// pingScenario: SiteService/Ping, no authentication; GET /api/v4/site/ping.
type pingScenario struct{}

func (pingScenario) name() string { return "ping" }
func (pingScenario) describe() string {
	return "SiteService/Ping (no auth) vs GET /api/v4/site/ping"
}

func (s pingScenario) cases(e *env) ([]abCase, error) {
	return unaryCases(e, s.name(),
		func(hc *http.Client, opts []connecthttp.Option) func(context.Context) error {
			client := sitev1connect.NewSiteServiceClient(connect.NewClient(connecthttp.NewTransport(hc, e.facadeURL, opts...)))
			return func(ctx context.Context) error {
				res, err := client.Ping(ctx, &sitev1.PingRequest{})
				if err != nil {
					return err
				}
				if res.GetVersion() == "" {
					return errors.New("Ping answered no version")
				}
				return nil
			}
		},
		func(hc *http.Client, baseURL string) func(context.Context) error {
			url := baseURL + "/api/v4/site/ping"
			return func(ctx context.Context) error {
				data, err := restGet(ctx, hc, url, "")
				if err != nil {
					return err
				}
				var version string
				if err := json.Unmarshal(data, &version); err != nil || version == "" {
					return fmt.Errorf("ping answered no version: %.100s", data)
				}
				return nil
			}
		}), nil
}

// listTasksScenario: WorkflowService/ListTasks with the account's bearer
// token; GET /api/v4/workflow?page_size=10&category=general.
type listTasksScenario struct{}

func (listTasksScenario) name() string { return "listtasks" }
func (listTasksScenario) describe() string {
	return "WorkflowService/ListTasks (bearer token) vs GET /api/v4/workflow?page_size=10&category=general"
}

func (s listTasksScenario) cases(e *env) ([]abCase, error) {
	if e.token == "" {
		return nil, errors.New("listtasks needs an access token")
	}
	return unaryCases(e, s.name(),
		func(hc *http.Client, opts []connecthttp.Option) func(context.Context) error {
			client := workflowv1connect.NewWorkflowServiceClient(connect.NewClient(connecthttp.NewTransport(hc, e.facadeURL, opts...), bearer(e.token)))
			req := &workflowv1.ListTasksRequest{PageSize: 10, Category: workflowv1.TaskCategory_TASK_CATEGORY_GENERAL}
			return func(ctx context.Context) error {
				_, err := client.ListTasks(ctx, req)
				return err
			}
		},
		func(hc *http.Client, baseURL string) func(context.Context) error {
			url := baseURL + "/api/v4/workflow?page_size=10&category=general"
			return func(ctx context.Context) error {
				data, err := restGet(ctx, hc, url, e.token)
				if err != nil {
					return err
				}
				var page struct {
					Tasks []json.RawMessage `json:"tasks"`
				}
				return json.Unmarshal(data, &page)
			}
		}), nil
}

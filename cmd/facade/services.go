package main

import (
	"log/slog"
	"net/http"

	"connectrpc.com/connect"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/events"
	"github.com/cloudreve-connect/facade/internal/watcher"
	"github.com/cloudreve-connect/facade/services/workflow"
)

// deps are what services are built from.
type deps struct {
	client   cloudreveapi.ClientWithResponsesInterface
	watcher  *watcher.Watcher
	bus      *events.Bus
	identity *auth.Identifier
	account  *auth.ServiceAccount
	log      *slog.Logger
	opts     []connect.HandlerOption
}

// mountServices registers every service on mux and returns their names, for
// health and reflection. One block per service.
func mountServices(mux *http.ServeMux, d deps) []string {
	var names []string
	// mount(name)(path, handler) takes a generated New…Handler's results as they come.
	mount := func(name string) func(string, http.Handler) {
		return func(path string, h http.Handler) {
			mux.Handle(path, h)
			names = append(names, name)
		}
	}

	mount(workflowv1connect.WorkflowServiceName)(workflowv1connect.NewWorkflowServiceHandler(
		workflow.New(d.client, d.watcher, d.bus, d.identity, d.log.With("service", "workflow")), d.opts...))

	return names
}

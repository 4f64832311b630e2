package main

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/callback/v1/callbackv1connect"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/group/v1/groupv1connect"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1/sessionv1connect"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/share/v1/sharev1connect"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1/sitev1connect"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1/userv1connect"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/vas/v1/vasv1connect"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/webdav/v1/webdavv1connect"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/events"
	"github.com/cloudreve-connect/facade/internal/fileevents"
	"github.com/cloudreve-connect/facade/internal/filewatch"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/watcher"
	"github.com/cloudreve-connect/facade/services/callback"
	"github.com/cloudreve-connect/facade/services/file"
	"github.com/cloudreve-connect/facade/services/group"
	"github.com/cloudreve-connect/facade/services/session"
	"github.com/cloudreve-connect/facade/services/share"
	"github.com/cloudreve-connect/facade/services/site"
	"github.com/cloudreve-connect/facade/services/user"
	"github.com/cloudreve-connect/facade/services/vas"
	"github.com/cloudreve-connect/facade/services/webdav"
	"github.com/cloudreve-connect/facade/services/workflow"
)

// deps are what services are built from.
type deps struct {
	client   cloudreveapi.ClientInterface
	watcher  *watcher.Watcher
	bus      *events.Bus
	identity *auth.Identifier
	account  *auth.ServiceAccount
	log      *slog.Logger
	apiURL   string       // the upstream API root (…/api/v4)
	transfer *http.Client // file content: signed URLs, storage providers (transfer.go)
	// versions is the upstream's release, for the services that stand in
	// for what older releases lack (version.go).
	versions *upstream.VersionTracker
	// File events: the durable folder watches, their stream, and the doer
	// of the upstream's event channel (no deadline; eventChannelClient).
	fileWatches *filewatch.Manager
	fileEvents  *events.Files
	eventDoer   fileevents.Doer
}

// registerServices registers every service on server and returns their
// names, for health and reflection. One line per service.
func registerServices(server *connect.Server, d deps) []string {
	workflowv1connect.RegisterWorkflowServiceHandler(server,
		workflow.New(d.client, d.watcher, d.bus, d.identity, d.versions, d.log.With("service", "workflow")))
	sitev1connect.RegisterSiteServiceHandler(server, site.New(d.client))
	sessionv1connect.RegisterSessionServiceHandler(server, session.New(d.client))
	userv1connect.RegisterUserServiceHandler(server, user.New(d.client, d.versions))
	webdavv1connect.RegisterDavAccountServiceHandler(server, webdav.New(d.client, d.versions))
	groupv1connect.RegisterGroupServiceHandler(server, group.New(d.client))
	vasv1connect.RegisterVasServiceHandler(server, vas.New(d.client))
	callbackv1connect.RegisterCallbackServiceHandler(server, callback.New(d.client))
	filev1connect.RegisterFileServiceHandler(server, file.New(file.Config{
		Client: d.client, HTTP: d.transfer, APIBase: d.apiURL, Versions: d.versions, Log: d.log.With("service", "file"),
		Identity: d.identity, Events: d.eventDoer, Watches: d.fileWatches, FileEvents: d.fileEvents,
	}))
	sharev1connect.RegisterShareServiceHandler(server, share.New(d.client, d.versions))
	return serviceNames(server)
}

// serviceNames are the services of server's procedures, in the order they
// were registered.
func serviceNames(server *connect.Server) []string {
	var names []string
	for spec := range server.Specs() {
		name := strings.TrimPrefix(spec.Procedure[:strings.LastIndexByte(spec.Procedure, '/')], "/")
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names
}

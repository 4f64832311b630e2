package main

import (
	"log/slog"
	"net/http"

	"connectrpc.com/connect"

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
	opts     []connect.HandlerOption
	// fileOpts are appended for FileService (see fileMessageLimit).
	fileOpts []connect.HandlerOption
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
		workflow.New(d.client, d.watcher, d.bus, d.identity, d.versions, d.log.With("service", "workflow")), d.opts...))

	mount(sitev1connect.SiteServiceName)(sitev1connect.NewSiteServiceHandler(site.New(d.client), d.opts...))
	mount(sessionv1connect.SessionServiceName)(sessionv1connect.NewSessionServiceHandler(session.New(d.client), d.opts...))
	mount(userv1connect.UserServiceName)(userv1connect.NewUserServiceHandler(user.New(d.client, d.versions), d.opts...))
	mount(webdavv1connect.DavAccountServiceName)(webdavv1connect.NewDavAccountServiceHandler(webdav.New(d.client, d.versions), d.opts...))
	mount(groupv1connect.GroupServiceName)(groupv1connect.NewGroupServiceHandler(group.New(d.client), d.opts...))
	mount(vasv1connect.VasServiceName)(vasv1connect.NewVasServiceHandler(vas.New(d.client), d.opts...))
	mount(callbackv1connect.CallbackServiceName)(callbackv1connect.NewCallbackServiceHandler(callback.New(d.client), d.opts...))

	mount(filev1connect.FileServiceName)(filev1connect.NewFileServiceHandler(file.New(file.Config{
		Client: d.client, HTTP: d.transfer, APIBase: d.apiURL, Versions: d.versions, Log: d.log.With("service", "file"),
		Identity: d.identity, Events: d.eventDoer, Watches: d.fileWatches, FileEvents: d.fileEvents,
	}), append(d.opts, d.fileOpts...)...))
	mount(sharev1connect.ShareServiceName)(sharev1connect.NewShareServiceHandler(share.New(d.client, d.versions), d.opts...))

	return names
}

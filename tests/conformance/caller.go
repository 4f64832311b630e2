package conformance

import (
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	sessionv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1/sessionv1connect"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/share/v1/sharev1connect"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1/sitev1connect"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
	"github.com/cloudreve-connect/facade/internal/servicetest"
)

// session is an account signed in through the facade.
type session struct {
	userID, access, refresh string
}

// signIn signs an account in through SessionService.PasswordSignIn, the way
// a caller gets its tokens.
func signIn(t *testing.T, tg Target, cr Credentials) session {
	t.Helper()
	c := sessionv1connect.NewSessionServiceClient(connect.NewClient(connecthttp.NewTransport(tg.HTTP, tg.FacadeURL, connecthttp.WithGRPC())))
	res, err := c.PasswordSignIn(context.Background(), &sessionv1.PasswordSignInRequest{Email: cr.Email, Password: cr.Password})
	if err != nil {
		t.Fatalf("signing %s in: %v", cr.Email, err)
	}
	login := res.GetLogin()
	if login.GetToken().GetAccessToken() == "" {
		t.Fatalf("signing %s in: no tokens (two-factor sign-in is not supported here): %v", cr.Email, res)
	}
	return session{userID: login.GetUser().GetId(), access: login.GetToken().GetAccessToken(), refresh: login.GetToken().GetRefreshToken()}
}

// clients are the facade's services as one caller (a token, or none).
type clients struct {
	files    filev1connect.FileServiceClient
	shares   sharev1connect.ShareServiceClient
	workflow workflowv1connect.WorkflowServiceClient
	sessions sessionv1connect.SessionServiceClient
	site     sitev1connect.SiteServiceClient
}

func newClients(tg Target, p Protocol, token string) clients {
	var interceptors []connect.ClientInterceptor
	if token != "" {
		interceptors = append(interceptors, servicetest.WithBearer(token))
	}
	c := connect.NewClient(connecthttp.NewTransport(tg.HTTP, tg.FacadeURL, p.Opts...), interceptors...)
	return clients{
		files:    filev1connect.NewFileServiceClient(c),
		shares:   sharev1connect.NewShareServiceClient(c),
		workflow: workflowv1connect.NewWorkflowServiceClient(c),
		sessions: sessionv1connect.NewSessionServiceClient(c),
		site:     sitev1connect.NewSiteServiceClient(c),
	}
}

// caller is what a scenario works with: both accounts' clients over one
// protocol, a deadline, and its own workspace folder.
type caller struct {
	tg          Target
	proto       Protocol
	ctx         context.Context
	timeouts    timeouts
	main, other session
	a, b, guest clients // a is Main, b is Other
	name        string  // the scenario's, for folder names
}

func newCaller(t *testing.T, tg Target, p Protocol, scenario string, main, other session) *caller {
	to := tg.timeouts()
	ctx, cancel := context.WithTimeout(context.Background(), to.scenario)
	t.Cleanup(cancel)
	return &caller{
		tg: tg, proto: p, ctx: ctx, timeouts: to, main: main, other: other,
		a: newClients(tg, p, main.access), b: newClients(tg, p, other.access), guest: newClients(tg, p, ""),
		name: scenario,
	}
}

// with is the same caller with another token (a bad one, a new session's).
func (c *caller) with(token string) clients { return newClients(c.tg, c.proto, token) }

// workspace makes a folder of Main's that only this scenario uses, and
// deletes it for good (not to the trash) when the scenario ends.
func (c *caller) workspace(t *testing.T) string {
	t.Helper()
	return c.workspaceNamed(t, c.name)
}

// workspaceNamed is workspace with a name of the scenario's choosing, for
// a scenario that needs a second folder.
func (c *caller) workspaceNamed(t *testing.T, name string) string {
	t.Helper()
	dir := "cloudreve://my/conformance-" + runID + "-" + strings.ToLower(name) + "-" + c.proto.Name
	if _, err := c.a.files.CreateFile(c.ctx, &filev1.CreateFileRequest{Uri: dir, Type: filev1.FileType_FILE_TYPE_FOLDER, ErrOnConflict: true}); err != nil {
		t.Fatalf("creating the workspace %s: %v", dir, err)
	}
	t.Cleanup(func() {
		// The scenario's context may be spent; cleaning up gets its own.
		ctx, cancel := context.WithTimeout(context.Background(), c.timeouts.task)
		defer cancel()
		if _, err := c.a.files.DeleteFiles(ctx, &filev1.DeleteFilesRequest{Uris: []string{dir}, SkipSoftDelete: true}); err != nil {
			t.Errorf("removing the workspace %s: %v", dir, err)
		}
	})
	return dir
}

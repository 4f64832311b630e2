package workflow

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
	"github.com/cloudreve-connect/facade/internal/servicetest"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/sandbox/sandboxtest"
)

// The unary RPCs that read or refuse; the ones that start a task also hand
// it to the watcher and are tested end to end (tests/workflow_test.go).
// Failures here happen before that hand-off, so no watcher is wired.

func serve(t *testing.T, up *sandboxtest.Upstream, acct sandboxtest.Account, p servicetest.Protocol) workflowv1connect.WorkflowServiceClient {
	t.Helper()
	server := connect.NewServer()
	workflowv1connect.RegisterWorkflowServiceHandler(server, New(acct.Client, nil, nil, nil, up.Versions(t), nil))
	return servicetest.Client(servicetest.Serve(t, server), p, workflowv1connect.NewWorkflowServiceClient)
}

// taskPermissions let the User group start tasks, as a site's administrator
// may set it (a fresh server's users may not).
var taskPermissions = []userv1.GroupPermission{
	userv1.GroupPermission_GROUP_PERMISSION_ARCHIVE_TASK, userv1.GroupPermission_GROUP_PERMISSION_REMOTE_DOWNLOAD,
}

// ListTasks pages by page_token over the upstream's cursor and converts
// each task.
func TestListTasksPages(t *testing.T) {
	t.Parallel()
	up := sandboxtest.Start(t, sandbox.Options{UserPermissions: taskPermissions})
	up.Pause() // the tasks stay queued: none has progress to report
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			acct := up.NewAccount(t, "wes-"+p.Name)
			c := serve(t, up, acct, p)
			ctx := context.Background()
			if err := up.WriteFile(acct.ID, "cloudreve://my/a.txt", []byte("a")); err != nil {
				t.Fatal(err)
			}
			const n = 12
			for i := range n {
				body := cloudreveapi.ArchiveWorkflowService{Src: []string{"cloudreve://my/a.txt"}, Dst: fmt.Sprintf("cloudreve://my/a%d.zip", i)}
				if _, err := upstream.Op[cloudreveapi.TaskResponse]("createArchive").Need(acct.Client.CreateArchive(ctx, body)); err != nil {
					t.Fatal(err)
				}
			}

			seen := map[string]bool{}
			var pages []int
			token := ""
			for {
				res, err := c.ListTasks(ctx, &workflowv1.ListTasksRequest{PageSize: 10, Category: workflowv1.TaskCategory_TASK_CATEGORY_GENERAL, PageToken: token})
				if err != nil {
					t.Fatal(err)
				}
				for _, task := range res.GetTasks() {
					if task.GetType() != taskv1.TaskType_TASK_TYPE_CREATE_ARCHIVE || task.GetCreatedAt().AsTime().IsZero() || seen[task.GetId()] {
						t.Errorf("task: %v", task)
					}
					seen[task.GetId()] = true
				}
				pages = append(pages, len(res.GetTasks()))
				if token = res.GetNextPageToken(); token == "" {
					break
				}
			}
			if len(seen) != n || len(pages) != 2 || pages[0] != 10 {
				t.Errorf("pages %v, %d tasks", pages, len(seen))
			}

			_, err := c.ListTasks(ctx, &workflowv1.ListTasksRequest{PageSize: 10, PageToken: "not a token"})
			if connect.CodeOf(err) != connect.CodeInvalidArgument || !strings.Contains(err.Error(), "page_token") {
				t.Errorf("a bad page token: %v", err)
			}

			// Progress is empty for a task not processing (all of these, or
			// one that never existed): never an error.
			for id := range seen {
				prog, err := c.GetTaskProgress(ctx, &workflowv1.GetTaskProgressRequest{Id: id})
				if err != nil || len(prog.GetProgress()) != 0 {
					t.Errorf("progress of a finished task: %v %v", prog, err)
				}
				break
			}
		})
	}
}

// Each refusal keeps the upstream's code, and the RPCs that would start a
// task refuse before the upstream is asked when it is too old for a field.
func TestWorkflowRefusals(t *testing.T) {
	t.Parallel()
	up := sandboxtest.Start(t, sandbox.Options{UserPermissions: taskPermissions})
	old := sandboxtest.Start(t, sandbox.Options{Version: sandbox.Version40})
	up.NewAccount(t, "admin") // the first account administers the site; the callers below do not
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			acct := up.NewAccount(t, "rae-"+p.Name)
			c := serve(t, up, acct, p)
			ctx := context.Background()
			if err := up.WriteFile(acct.ID, "cloudreve://my/b.txt", []byte("b")); err != nil {
				t.Fatal(err)
			}

			// Longer than any sandbox id, so it never decodes (a short one may, by chance).
			_, err := c.CancelTask(ctx, &workflowv1.CancelTaskRequest{Id: "notatask"})
			servicetest.WantUpstreamCode(t, err, connect.CodeInvalidArgument, "cancelTask", upstream.CodeParamError)
			_, err = c.SelectFilesToDownload(ctx, &workflowv1.SelectFilesToDownloadRequest{Id: "notatask", Files: []*workflowv1.FileSelection{{Index: 0, Download: true}}})
			servicetest.WantUpstreamCode(t, err, connect.CodeInvalidArgument, "selectFilesToDownload", upstream.CodeParamError)
			_, err = c.CreateArchive(ctx, &workflowv1.CreateArchiveRequest{Src: []string{"cloudreve://my/b.txt"}, Dst: "cloudreve://my/b.txt"})
			servicetest.WantUpstreamCode(t, err, connect.CodeAlreadyExists, "createArchive", upstream.CodeObjectExists)
			_, err = c.CreateRemoteDownload(ctx, &workflowv1.CreateRemoteDownloadRequest{Src: []string{"https://example.com/f"}, Dst: "cloudreve://my/b.txt"})
			servicetest.WantUpstreamCode(t, err, connect.CodeInvalidArgument, "createRemoteDownload", upstream.CodeParamError)
			_, err = c.ImportExternalFiles(ctx, &workflowv1.ImportExternalFilesRequest{Src: "/data", Dst: "cloudreve://my", UserId: acct.ID, PolicyId: 1})
			servicetest.WantUpstreamCode(t, err, connect.CodePermissionDenied, "importExternalFiles", upstream.CodeNoPermission)

			oldClient := serve(t, old, old.NewAccount(t, "otto-"+p.Name), p)
			_, err = oldClient.ExtractArchive(ctx, &workflowv1.ExtractArchiveRequest{Src: []string{"cloudreve://my/x.zip"}, Dst: "cloudreve://my", Password: "pw"})
			if connect.CodeOf(err) != connect.CodeFailedPrecondition || !strings.Contains(err.Error(), "password") {
				t.Errorf("password on 4.0.0: %v", err)
			}
			_, err = oldClient.ExtractArchive(ctx, &workflowv1.ExtractArchiveRequest{Src: []string{"cloudreve://my/x.zip"}, Dst: "cloudreve://my", FileMask: []string{"a/*"}})
			if connect.CodeOf(err) != connect.CodeFailedPrecondition || !strings.Contains(err.Error(), "file_mask") {
				t.Errorf("file_mask on 4.0.0: %v", err)
			}
		})
	}
}

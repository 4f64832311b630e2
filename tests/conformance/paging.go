package conformance

import (
	"testing"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	sharev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/share/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
)

// streamFiles is StreamFiles' server stream.
type streamFiles = filev1connect.FileServiceStreamFilesClientStream

// maxPages bounds a walk through a listing, in case a token never ends.
const maxPages = 200

// eachTask calls f for every task of a category the clients' account has.
func eachTask(t *testing.T, c *caller, cl clients, cat workflowv1.TaskCategory, f func(*taskv1.Task)) {
	t.Helper()
	token := ""
	for range maxPages {
		req := &workflowv1.ListTasksRequest{PageSize: 100, Category: cat}
		req.PageToken = token
		res := must[*workflowv1.ListTasksResponse](t, "ListTasks")(cl.workflow.ListTasks(c.ctx, req))
		for _, tk := range res.GetTasks() {
			f(tk)
		}
		if token = res.GetNextPageToken(); token == "" {
			return
		}
	}
	t.Errorf("ListTasks did not end after %d pages", maxPages)
}

// eachShare calls f for every share link the clients' account made.
func eachShare(t *testing.T, c *caller, cl clients, f func(*filev1.Share)) {
	t.Helper()
	token := ""
	for range maxPages {
		req := &sharev1.ListMyShareLinksRequest{PageSize: 100}
		req.PageToken = token
		res := must[*sharev1.ListMyShareLinksResponse](t, "ListMyShareLinks")(cl.shares.ListMyShareLinks(c.ctx, req))
		for _, s := range res.GetShares() {
			f(s)
		}
		if token = res.GetNextPageToken(); token == "" {
			return
		}
	}
	t.Errorf("ListMyShareLinks did not end after %d pages", maxPages)
}

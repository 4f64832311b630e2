package conformance

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"connectrpc.com/connect/v2"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	sharev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/share/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
)

// The second account finds nothing of the first's: not its folder, file,
// task or share link, by name, by id or by listing.
func otherAccountSeesNothing(t *testing.T, c *caller) {
	dir := c.workspace(t)
	uri := dir + "/private.txt"
	file := c.put(t, uri, []byte("the first account's"))
	task := must[*workflowv1.CreateArchiveResponse](t, "CreateArchive")(c.a.workflow.CreateArchive(c.ctx,
		&workflowv1.CreateArchiveRequest{Src: []string{uri}, Dst: dir + "/private.zip"})).GetTask()
	link := must[*sharev1.CreateShareLinkResponse](t, "CreateShareLink")(c.a.shares.CreateShareLink(c.ctx,
		&sharev1.CreateShareLinkRequest{Uri: uri, IsPrivate: true, Password: "pw0815"}))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), c.timeouts.task)
		defer cancel()
		c.a.shares.DeleteShareLink(ctx, &sharev1.DeleteShareLinkRequest{Id: link.GetId()})
	})
	// The workspace goes only after the task ended, so the task does not
	// fail for lack of its folder.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), c.timeouts.task)
		defer cancel()
		c.a.workflow.WaitTask(ctx, &workflowv1.WaitTaskRequest{Id: task.GetId()})
	})
	theirs := "cloudreve://" + c.main.userID + "@my" + strings.TrimPrefix(uri, "cloudreve://my")

	_, err := c.b.files.GetFileInfo(c.ctx, &filev1.GetFileInfoRequest{Id: file.GetId()})
	// Real servers say the file is someone else's (40082) rather than
	// missing, and show nothing of it.
	wantCode(t, "the file by id", err, connect.CodePermissionDenied)
	_, err = c.b.files.GetFileInfo(c.ctx, &filev1.GetFileInfoRequest{Uri: uri})
	wantCode(t, "the same path in the second account's drive", err, connect.CodeNotFound)
	_, err = download(c.ctx, c.b.files, &filev1.DownloadFileRequest{Uri: theirs})
	wantCode(t, "download by the first account's URI", err, connect.CodePermissionDenied)
	_, err = c.b.files.MoveFiles(c.ctx, &filev1.MoveFilesRequest{Uris: []string{theirs}, Dst: "cloudreve://my"})
	if err == nil {
		t.Errorf("the second account moved the first's file")
	}
	stream := must[streamFiles](t, "StreamFiles")(c.b.files.StreamFiles(c.ctx, &filev1.StreamFilesRequest{Uri: "cloudreve://my"}))
	for {
		msg, err := stream.Receive()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.Errorf("StreamFiles: %v", err)
			}
			break
		}
		for _, f := range msg.GetFiles() {
			if f.GetId() == file.GetId() || strings.HasPrefix(f.GetName(), "conformance-"+runID) {
				t.Errorf("the second account's drive lists %s", f.GetPath())
			}
		}
	}

	_, err = c.b.workflow.WaitTask(c.ctx, &workflowv1.WaitTaskRequest{Id: task.GetId()})
	wantCode(t, "waiting on the task", err, connect.CodeNotFound)
	watch, err := c.b.workflow.WatchTask(c.ctx, &workflowv1.WatchTaskRequest{Id: task.GetId()})
	if err == nil {
		var streamErr error
		for {
			msg, err := watch.Receive()
			if err != nil {
				streamErr = err
				break
			}
			t.Errorf("watching the task gave %v", msg)
		}
		if errors.Is(streamErr, io.EOF) {
			streamErr = nil
		}
		err = streamErr
	}
	wantCode(t, "watching the task", err, connect.CodeNotFound)
	_, err = c.b.workflow.CancelTask(c.ctx, &workflowv1.CancelTaskRequest{Id: task.GetId()})
	if err == nil {
		t.Errorf("the second account cancelled the first's task")
	}
	for _, cat := range []workflowv1.TaskCategory{workflowv1.TaskCategory_TASK_CATEGORY_GENERAL} {
		eachTask(t, c, c.b, cat, func(tk *taskv1.Task) {
			if tk.GetId() == task.GetId() {
				t.Errorf("the second account's tasks list the first's")
			}
		})
	}

	eachShare(t, c, c.b, func(s *filev1.Share) {
		if s.GetId() == link.GetId() {
			t.Errorf("the second account's links list the first's")
		}
	})
	_, err = c.b.shares.DeleteShareLink(c.ctx, &sharev1.DeleteShareLinkRequest{Id: link.GetId()})
	wantCode(t, "deleting the link", err, connect.CodeNotFound)
	_, err = c.b.shares.EditShareLink(c.ctx, &sharev1.EditShareLinkRequest{Id: link.GetId(), Uri: "cloudreve://my"})
	if err == nil {
		t.Errorf("the second account edited the first's link")
	}
}

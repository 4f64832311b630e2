package conformance

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
)

// watch follows a task through WatchTask until the stream ends, and returns
// the statuses it went through (status/phase).
func watch(t *testing.T, ctx context.Context, c workflowv1connect.WorkflowServiceClient, id string) ([]string, *taskv1.Task) {
	t.Helper()
	stream, err := c.WatchTask(ctx, &workflowv1.WatchTaskRequest{Id: id})
	if err != nil {
		t.Fatalf("WatchTask: %v", err)
	}
	var seen []string
	var last *taskv1.Task
	for {
		msg, err := stream.Receive()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("WatchTask ended with %v after %v", err, seen)
		}
		last = msg.GetEvent().GetTask()
		s := strings.TrimPrefix(last.GetStatus().String(), "TASK_STATUS_")
		if p := last.GetPhase(); p != "" {
			s += "/" + p
		}
		seen = append(seen, s)
	}
	if last == nil {
		t.Fatal("WatchTask ended without an event")
	}
	return seen, last
}

func finished(s taskv1.TaskStatus) bool {
	return s == taskv1.TaskStatus_TASK_STATUS_COMPLETED || s == taskv1.TaskStatus_TASK_STATUS_ERROR || s == taskv1.TaskStatus_TASK_STATUS_CANCELED
}

// An archive of two files, followed by WatchTask to completed; the zip it
// made holds both files' bytes.
func archiveWatchedToCompletion(t *testing.T, c *caller) {
	dir := c.workspace(t)
	files := map[string][]byte{"first.txt": []byte("first file\n"), "second.bin": randomBytes(10_000, 11)}
	var src []string
	for name, data := range files {
		c.put(t, dir+"/"+name, data)
		src = append(src, dir+"/"+name)
	}
	dst := dir + "/both.zip"
	created := must[*workflowv1.CreateArchiveResponse](t, "CreateArchive")(c.a.workflow.CreateArchive(c.ctx, &workflowv1.CreateArchiveRequest{Src: src, Dst: dst}))
	task := created.GetTask()
	if task.GetType() != taskv1.TaskType_TASK_TYPE_CREATE_ARCHIVE || task.GetId() == "" || finished(task.GetStatus()) {
		t.Fatalf("created task %v", task)
	}
	ctx, cancel := context.WithTimeout(c.ctx, c.timeouts.task)
	defer cancel()
	seen, last := watch(t, ctx, c.a.workflow, task.GetId())
	t.Logf("archive went %v", seen)
	if last.GetStatus() != taskv1.TaskStatus_TASK_STATUS_COMPLETED {
		t.Fatalf("archive ended %v (error %q)", seen, last.GetError())
	}
	for _, s := range seen[:len(seen)-1] {
		if strings.HasPrefix(s, "COMPLETED") || strings.HasPrefix(s, "ERROR") {
			t.Errorf("a finished status before the end: %v", seen)
		}
	}
	got, err := download(c.ctx, c.a.files, &filev1.DownloadFileRequest{Uri: dst})
	if err != nil {
		t.Fatalf("downloading the archive: %v", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(got.data), int64(len(got.data)))
	if err != nil {
		t.Fatalf("the archive is no zip: %v", err)
	}
	inZip := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		r.Close()
		// Entries are named relative to the sources' common parent.
		inZip[f.Name[strings.LastIndex(f.Name, "/")+1:]] = b
	}
	for name, data := range files {
		if !bytes.Equal(inZip[name], data) {
			t.Errorf("%s in the archive: %d bytes, want %d", name, len(inZip[name]), len(data))
		}
	}
}

// Extracting a file that is no zip ends the task in error, with a reason.
func extractOfNonZipEndsInError(t *testing.T, c *caller) {
	dir := c.workspace(t)
	src := dir + "/not-a-zip.zip"
	c.put(t, src, []byte("this is plain text, not a zip archive\n"))
	created := must[*workflowv1.ExtractArchiveResponse](t, "ExtractArchive")(c.a.workflow.ExtractArchive(c.ctx, &workflowv1.ExtractArchiveRequest{Src: []string{src}, Dst: dir}))
	if created.GetTask().GetType() != taskv1.TaskType_TASK_TYPE_EXTRACT_ARCHIVE {
		t.Fatalf("created task %v", created.GetTask())
	}
	ctx, cancel := context.WithTimeout(c.ctx, c.timeouts.task)
	defer cancel()
	seen, last := watch(t, ctx, c.a.workflow, created.GetTask().GetId())
	t.Logf("extract went %v, error %q", seen, last.GetError())
	if last.GetStatus() != taskv1.TaskStatus_TASK_STATUS_ERROR || last.GetError() == "" {
		t.Fatalf("extract of a non-zip ended %v (error %q)", seen, last.GetError())
	}
}

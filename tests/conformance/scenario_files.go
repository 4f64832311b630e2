package conformance

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"

	"connectrpc.com/connect/v2"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
)

// codeNotFound is Cloudreve's "object not exist", the code of a batch item
// that names nothing.
const codeNotFound = 40016

// A copy, a move and a delete, each with one item that does not exist (its
// name with a space and an accent): the error names that item exactly as
// the caller did, and the other items were applied.
func batchWithAFailingItem(t *testing.T, c *caller) {
	dir := c.workspace(t)
	kept, moved := dir+"/café au lait.txt", dir+"/two words.txt"
	missing := dir + "/no such é.txt"
	c.put(t, kept, []byte("café"))
	c.put(t, moved, []byte("two"))
	dst := dir + "/dst"
	must[*filev1.CreateFileResponse](t, "CreateFile")(c.a.files.CreateFile(c.ctx, &filev1.CreateFileRequest{Uri: dst, Type: filev1.FileType_FILE_TYPE_FOLDER}))

	check := func(what string, err error) {
		t.Helper()
		wantCode(t, what, err, connect.CodeNotFound)
		if items := failedItems(err); len(items) != 1 || items[missing] != codeNotFound {
			up, _ := upstreamError(err)
			t.Errorf("%s: failed items %v, want only %q (%d); upstream %v", what, items, missing, codeNotFound, up)
		}
	}
	exists := func(uri string) bool {
		_, err := c.a.files.GetFileInfo(c.ctx, &filev1.GetFileInfoRequest{Uri: uri})
		if err != nil && connect.CodeOf(err) != connect.CodeNotFound {
			t.Fatalf("GetFileInfo %s: %v", uri, err)
		}
		return err == nil
	}

	_, err := c.a.files.MoveFiles(c.ctx, &filev1.MoveFilesRequest{Uris: []string{kept, missing}, Dst: dst, Copy: true})
	check("copy", err)
	if !exists(dst+"/café au lait.txt") || !exists(kept) {
		t.Errorf("the copy's good item was not copied")
	}
	_, err = c.a.files.MoveFiles(c.ctx, &filev1.MoveFilesRequest{Uris: []string{missing, moved}, Dst: dst})
	check("move", err)
	if !exists(dst+"/two words.txt") || exists(moved) {
		t.Errorf("the move's good item was not moved")
	}
	_, err = c.a.files.DeleteFiles(c.ctx, &filev1.DeleteFilesRequest{Uris: []string{dst + "/café au lait.txt", missing}, SkipSoftDelete: true})
	check("delete", err)
	if exists(dst + "/café au lait.txt") {
		t.Errorf("the delete's good item is still there")
	}
}

// A folder of 250 files comes through StreamFiles complete, each file once,
// in the default order and ordered by time (where the upstream's pages
// repeat an item).
func listingOfManyFilesEachOnce(t *testing.T, c *caller) {
	const n = 250
	dir := c.workspace(t)
	// Empty files, made eight at a time: the listing is what is tested.
	names := make(chan string)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for name := range names {
				if _, err := c.a.files.CreateFile(c.ctx, &filev1.CreateFileRequest{Uri: dir + "/" + name, Type: filev1.FileType_FILE_TYPE_FILE}); err != nil {
					t.Errorf("creating %s: %v", name, err)
				}
			}
		})
	}
	for i := range n {
		names <- fmt.Sprintf("f%03d.txt", i)
	}
	close(names)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	orders := []struct {
		by  filev1.ListOrderBy
		dir filev1.OrderDirection
	}{
		{filev1.ListOrderBy_LIST_ORDER_BY_UNSPECIFIED, filev1.OrderDirection_ORDER_DIRECTION_UNSPECIFIED},
		{filev1.ListOrderBy_LIST_ORDER_BY_UPDATED_AT, filev1.OrderDirection_ORDER_DIRECTION_ASC},
		{filev1.ListOrderBy_LIST_ORDER_BY_CREATED_AT, filev1.OrderDirection_ORDER_DIRECTION_DESC},
	}
	for _, o := range orders {
		stream, err := c.a.files.StreamFiles(c.ctx, &filev1.StreamFilesRequest{Uri: dir, PageSize: 50, OrderBy: o.by, OrderDirection: o.dir})
		if err != nil {
			t.Fatalf("StreamFiles: %v", err)
		}
		seen := map[string]int{}
		msgs := 0
		for {
			msg, err := stream.Receive()
			if err != nil {
				if errors.Is(err, io.EOF) {
					break
				}
				t.Fatalf("%v %v: StreamFiles ended with %v", o.by, o.dir, err)
			}
			msgs++
			for _, f := range msg.GetFiles() {
				seen[f.GetName()]++
			}
		}

		var twice []string
		for name, k := range seen {
			if k > 1 {
				twice = append(twice, name)
			}
		}
		if len(seen) != n || len(twice) > 0 {
			t.Errorf("%v %v: %d distinct files in %d messages, repeated %v; want %d each once", o.by, o.dir, len(seen), msgs, twice, n)
		}
	}
}

// A file deleted to the trash is listed there with where it came from, and
// restoring it brings it back with its content.
func trashAndRestore(t *testing.T, c *caller) {
	dir := c.workspace(t)
	uri := dir + "/trashed.txt"
	data := []byte("back from the trash")
	c.put(t, uri, data)
	must[*filev1.DeleteFilesResponse](t, "DeleteFiles")(c.a.files.DeleteFiles(c.ctx, &filev1.DeleteFilesRequest{Uris: []string{uri}}))
	_, err := c.a.files.GetFileInfo(c.ctx, &filev1.GetFileInfoRequest{Uri: uri})
	wantCode(t, "the deleted file", err, connect.CodeNotFound)

	inTrash := c.findInTrash(t, uri)
	if inTrash == "" {
		t.Fatalf("%s is not in the trash", uri)
	}
	restored := false
	t.Cleanup(func() {
		if !restored { // the workspace's removal does not reach the trash
			c.a.files.DeleteFiles(c.ctx, &filev1.DeleteFilesRequest{Uris: []string{inTrash}, SkipSoftDelete: true})
		}
	})
	must[*filev1.RestoreFilesResponse](t, "RestoreFiles")(c.a.files.RestoreFiles(c.ctx, &filev1.RestoreFilesRequest{Uris: []string{inTrash}}))
	restored = true
	got, err := download(c.ctx, c.a.files, &filev1.DownloadFileRequest{Uri: uri})
	if err != nil || string(got.data) != string(data) {
		t.Errorf("the restored file: %q, %v", got.data, err)
	}
	if c.findInTrash(t, uri) != "" {
		t.Errorf("still in the trash after the restore")
	}
}

// findInTrash is the trash URI of the item deleted from uri, or "".
func (c *caller) findInTrash(t *testing.T, uri string) string {
	t.Helper()
	stream, err := c.a.files.StreamFiles(c.ctx, &filev1.StreamFilesRequest{Uri: "cloudreve://trash", PageSize: 100})
	if err != nil {
		t.Fatalf("listing the trash: %v", err)
	}
	found := ""
	for {
		msg, err := stream.Receive()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			t.Fatalf("listing the trash: %v", err)
		}
		for _, f := range msg.GetFiles() {
			if f.GetMetadata()["sys:restore_uri"] == uri {
				found = f.GetPath()
			}
		}
	}

	return found
}

package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/values"
)

func TestFileOperations(t *testing.T) {
	e := newEnv(t, Options{})
	_, c := e.user("ann@example.com")

	mkdir(t, c, "cloudreve://my/docs")
	// err_on_conflict: 40004; without it the existing folder comes back.
	dup := must(c.CreateFileWithResponse(bg, cloudreveapi.CreateFileJSONRequestBody{Uri: "cloudreve://my/docs", Type: "folder", ErrOnConflict: values.Ptr(true)}))
	code(t, "existing folder", dup.JSON200.Code, 40004, dup.JSON200.Msg)
	same := must(c.CreateFileWithResponse(bg, cloudreveapi.CreateFileJSONRequestBody{Uri: "cloudreve://my/docs", Type: "folder"}))
	code(t, "existing folder without err_on_conflict", same.JSON200.Code, 0, same.JSON200.Msg)
	orphan := must(c.CreateFileWithResponse(bg, cloudreveapi.CreateFileJSONRequestBody{Uri: "cloudreve://my/missing/a.txt", Type: "file"}))
	code(t, "missing parent", orphan.JSON200.Code, 40016, orphan.JSON200.Msg)

	// Content: created on first write, versioned, stale previous is 40076.
	f := put(t, c, "cloudreve://my/docs/a.txt", "hello")
	if f.Size != 5 || f.PrimaryEntity == nil || f.Path == nil || *f.Path != "cloudreve://my/docs/a.txt" {
		t.Fatalf("file %+v", f)
	}
	f2 := must(c.UpdateFileContentWithBodyWithResponse(bg, &cloudreveapi.UpdateFileContentParams{Uri: "cloudreve://my/docs/a.txt", Previous: f.PrimaryEntity},
		"application/octet-stream", strings.NewReader("hello, world")))
	code(t, "update with previous", f2.JSON200.Code, 0, f2.JSON200.Msg)
	stale := must(c.UpdateFileContentWithBodyWithResponse(bg, &cloudreveapi.UpdateFileContentParams{Uri: "cloudreve://my/docs/a.txt", Previous: f.PrimaryEntity},
		"application/octet-stream", strings.NewReader("lost")))
	code(t, "stale previous", stale.JSON200.Code, 40076, stale.JSON200.Msg)
	put(t, c, "cloudreve://my/deep/er/b.txt", "chained") // missing folders are created

	// Listing a file is 40016; listing pages through a cursor.
	lf := must(c.ListFilesWithResponse(bg, &cloudreveapi.ListFilesParams{Uri: "cloudreve://my/docs/a.txt"}))
	code(t, "list a file", lf.JSON200.Code, 40016, lf.JSON200.Msg)
	for i := range 7 {
		put(t, c, fmt.Sprintf("cloudreve://my/docs/f%02d.txt", i), "x")
	}
	mkdir(t, c, "cloudreve://my/docs/sub")
	var names []string
	token := ""
	pages := 0
	for {
		p := &cloudreveapi.ListFilesParams{Uri: "cloudreve://my/docs", PageSize: values.Ptr(3)}
		if token != "" {
			p.NextPageToken = &token
		}
		r := must(c.ListFilesWithResponse(bg, p))
		code(t, "list", r.JSON200.Code, 0, r.JSON200.Msg)
		d := r.JSON200.Data
		pages++
		if d.Pagination.IsCursor == nil || !*d.Pagination.IsCursor || d.Parent.Name != "docs" || d.StoragePolicy == nil {
			t.Fatalf("listing %+v", d)
		}
		for _, f := range d.Files {
			names = append(names, f.Name)
		}
		if d.Pagination.NextToken == nil {
			break
		}
		token = *d.Pagination.NextToken
	}
	want := "sub a.txt f00.txt f01.txt f02.txt f03.txt f04.txt f05.txt f06.txt"
	if strings.Join(names, " ") != want || pages != 3 {
		t.Errorf("listed %q in %d pages, want %q in 3", strings.Join(names, " "), pages, want)
	}

	// Info by URI and by id, extended.
	info := must(c.GetFileInfoWithResponse(bg, &cloudreveapi.GetFileInfoParams{Id: &f.Id, Extended: values.Ptr(true)}))
	code(t, "info by id", info.JSON200.Code, 0, info.JSON200.Msg)
	if d := info.JSON200.Data; d.Size != 12 || d.ExtendedInfo == nil || d.ExtendedInfo.Entities == nil || d.ExtendedInfo.StoragePolicy == nil {
		t.Errorf("extended info %+v", d)
	}

	// Delete: batch errors are 40081 keyed by URI; deleted files go to the trash.
	del := must(c.DeleteFilesWithResponse(bg, cloudreveapi.DeleteFilesJSONRequestBody{Uris: []string{"cloudreve://my/docs/a.txt", "cloudreve://my/ghost"}}))
	code(t, "partial delete", del.JSON200.Code, 40081, del.JSON200.Msg)
	agg := del.JSON200.AggregatedError
	if agg == nil || len(*agg) != 1 || (*agg)["cloudreve://my/ghost"].Code != 40016 {
		t.Errorf("aggregated_error %+v", agg)
	}
	gone := must(c.GetFileInfoWithResponse(bg, &cloudreveapi.GetFileInfoParams{Uri: values.Ptr("cloudreve://my/docs/a.txt")}))
	code(t, "deleted file", gone.JSON200.Code, 40016, gone.JSON200.Msg)
	trash := must(c.ListFilesWithResponse(bg, &cloudreveapi.ListFilesParams{Uri: "cloudreve://trash"}))
	code(t, "list trash", trash.JSON200.Code, 0, trash.JSON200.Msg)
	if fs := trash.JSON200.Data.Files; len(fs) != 1 || (*fs[0].Metadata)[metaRestoreURI] != "cloudreve://my/docs/a.txt" {
		t.Errorf("trash %+v", fs)
	}
	e.s.c.store.mu.Lock()
	stored := len(e.s.c.store.entities)
	e.s.c.store.mu.Unlock()
	purge := must(c.DeleteFilesWithResponse(bg, cloudreveapi.DeleteFilesJSONRequestBody{Uris: []string{"cloudreve://trash/a.txt"}, SkipSoftDelete: values.Ptr(true)}))
	code(t, "delete from trash", purge.JSON200.Code, 0, purge.JSON200.Msg)
	// Deleting for good frees the content: both versions of a.txt.
	e.s.c.store.mu.Lock()
	if left := len(e.s.c.store.entities); left != stored-2 {
		t.Errorf("%d stored blobs after deleting a file for good, want %d", left, stored-2)
	}
	e.s.c.store.mu.Unlock()

	// Guests get 401 on their (non-existent) files.
	g := must(e.client("").ListFilesWithResponse(bg, &cloudreveapi.ListFilesParams{Uri: "cloudreve://my"}))
	code(t, "guest list", g.JSON200.Code, 401, g.JSON200.Msg)
}

func TestUploadChunks(t *testing.T) {
	e := newEnv(t, Options{ChunkSize: 4})
	_, c := e.user("ann@example.com")
	list := must(c.ListFilesWithResponse(bg, &cloudreveapi.ListFilesParams{Uri: "cloudreve://my"}))
	policy := list.JSON200.Data.StoragePolicy.Id

	up := must(c.CreateUploadSessionWithResponse(bg, cloudreveapi.CreateUploadSessionJSONRequestBody{
		Uri: "cloudreve://my/up/data.bin", Size: values.Ptr(int64(10)), PolicyId: &policy, LastModified: values.Ptr(int64(1700000000000))}))
	code(t, "create session", up.JSON200.Code, 0, up.JSON200.Msg)
	sess := up.JSON200.Data
	if sess.ChunkSize != 4 || sess.SessionId == "" || sess.CallbackSecret == "" || sess.Expires == 0 || sess.Uri != "cloudreve://my/up/data.bin" {
		t.Fatalf("session %+v", sess)
	}
	// A 40073 carries the conflicting locks as data (an array), which the typed
	// envelope of this operation cannot hold: read it raw.
	again := must(c.CreateUploadSession(bg, cloudreveapi.CreateUploadSessionJSONRequestBody{Uri: "cloudreve://my/up/data.bin", Size: values.Ptr(int64(10))}))
	var conflict cloudreveapi.ConflictDetailListEnvelope
	if err := json.NewDecoder(again.Body).Decode(&conflict); err != nil {
		t.Fatal(err)
	}
	again.Body.Close()
	code(t, "second session", conflict.Code, 40073, conflict.Msg)
	if conflict.Data == nil || len(*conflict.Data) != 1 || *(*conflict.Data)[0].Path != "cloudreve://my/up/data.bin" {
		t.Errorf("conflict data %+v", conflict.Data)
	}

	// While uploading: listed with size 0 and the session id in metadata.
	l := must(c.ListFilesWithResponse(bg, &cloudreveapi.ListFilesParams{Uri: "cloudreve://my/up"}))
	if fs := l.JSON200.Data.Files; len(fs) != 1 || fs[0].Size != 0 || fs[0].Metadata == nil || (*fs[0].Metadata)["sys:upload_session_id"] != sess.SessionId {
		t.Fatalf("placeholder %+v", fs)
	}

	chunk := func(i int, data string) cloudreveapi.Envelope {
		r := must(c.UploadFileChunkWithBodyWithResponse(bg, sess.SessionId, i, "application/octet-stream", strings.NewReader(data)))
		return *r.JSON200
	}
	if env := chunk(0, "abc"); env.Code != 40013 {
		t.Errorf("short chunk: %+v", env)
	}
	if env := chunk(3, "xx"); env.Code != 40012 {
		t.Errorf("chunk past the end: %+v", env)
	}
	for i, part := range []string{"0123", "4567"} {
		if env := chunk(i, part); env.Code != 0 {
			t.Fatalf("chunk %d: %+v", i, env)
		}
	}
	if env := chunk(2, "8"); env.Code != 40013 {
		t.Errorf("last chunk too short: %+v", env)
	}
	if env := chunk(2, "89"); env.Code != 0 {
		t.Fatalf("last chunk: %+v", env)
	}
	if env := chunk(2, "89"); env.Code != 40011 {
		t.Errorf("chunk after completion: %+v", env)
	}
	got, err := e.s.ReadFile(must(e.s.CreateUser("x@example.com", "password123", "")), "cloudreve://my/up/data.bin")
	if err == nil {
		t.Errorf("another user read %q", got)
	}
	info := must(c.GetFileInfoWithResponse(bg, &cloudreveapi.GetFileInfoParams{Uri: values.Ptr("cloudreve://my/up/data.bin")}))
	if d := info.JSON200.Data; d.Size != 10 || d.Metadata != nil || d.UpdatedAt.UnixMilli() != 1700000000000 {
		t.Errorf("uploaded file %+v", d)
	}

	// An existing file: 40004 unless a new version is uploaded.
	exists := must(c.CreateUploadSessionWithResponse(bg, cloudreveapi.CreateUploadSessionJSONRequestBody{Uri: "cloudreve://my/up/data.bin", Size: values.Ptr(int64(1))}))
	code(t, "upload over a file", exists.JSON200.Code, 40004, exists.JSON200.Msg)
	ver := must(c.CreateUploadSessionWithResponse(bg, cloudreveapi.CreateUploadSessionJSONRequestBody{Uri: "cloudreve://my/up/data.bin", Size: values.Ptr(int64(1)),
		EntityType: values.Ptr(cloudreveapi.CreateUploadSessionServiceEntityTypeVersion)}))
	code(t, "new version", ver.JSON200.Code, 0, ver.JSON200.Msg)

	// Cancel removes a placeholder.
	up2 := must(c.CreateUploadSessionWithResponse(bg, cloudreveapi.CreateUploadSessionJSONRequestBody{Uri: "cloudreve://my/up/other.bin", Size: values.Ptr(int64(3))}))
	code(t, "create session 2", up2.JSON200.Code, 0, up2.JSON200.Msg)
	cancel := must(c.DeleteUploadSessionWithResponse(bg, cloudreveapi.DeleteUploadSessionJSONRequestBody{Id: up2.JSON200.Data.SessionId, Uri: "cloudreve://my/up/other.bin"}))
	code(t, "cancel upload", cancel.JSON200.Code, 0, cancel.JSON200.Msg)
	gone := must(c.GetFileInfoWithResponse(bg, &cloudreveapi.GetFileInfoParams{Uri: values.Ptr("cloudreve://my/up/other.bin")}))
	code(t, "placeholder after cancel", gone.JSON200.Code, 40016, gone.JSON200.Msg)
}

func TestDownloadURL(t *testing.T) {
	e := newEnv(t, Options{})
	_, c := e.user("ann@example.com")
	put(t, c, "cloudreve://my/a b.txt", "0123456789")
	r := must(c.CreateDownloadUrlWithResponse(bg, nil, cloudreveapi.CreateDownloadUrlJSONRequestBody{Uris: []string{"cloudreve://my/a b.txt"}}))
	code(t, "download url", r.JSON200.Code, 0, r.JSON200.Msg)
	u := r.JSON200.Data.Urls[0].Url
	if !strings.HasPrefix(u, e.srv.URL+"/") || r.JSON200.Data.Expires == nil {
		t.Fatalf("url %q", u)
	}
	body := fetch(t, u, "", 200)
	if body != "0123456789" {
		t.Errorf("body %q", body)
	}
	if got := fetch(t, u, "bytes=2-4", 206); got != "234" {
		t.Errorf("range body %q", got)
	}
	fetch(t, strings.Replace(u, "sign=", "sign=x", 1), "", 200) // an envelope, not the file
	nf := must(c.CreateDownloadUrlWithResponse(bg, nil, cloudreveapi.CreateDownloadUrlJSONRequestBody{Uris: []string{"cloudreve://my/none"}}))
	code(t, "missing file", nf.JSON200.Code, 40016, nf.JSON200.Msg)
}

func fetch(t *testing.T, url, rng string, status int) string {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("GET %s: HTTP %d, want %d", url, resp.StatusCode, status)
	}
	return string(b)
}

func TestUsersAreIsolated(t *testing.T) {
	e := newEnv(t, Options{})
	annID, ann := e.user("ann@example.com")
	_, bob := e.user("bob@example.com")
	f := put(t, ann, "cloudreve://my/secret.txt", "ann's")
	mkdir(t, ann, "cloudreve://my/x")
	arch := must(ann.CreateArchiveWithResponse(bg, cloudreveapi.CreateArchiveJSONRequestBody{Src: []string{"cloudreve://my/secret.txt"}, Dst: "cloudreve://my/x/s.zip"}))
	code(t, "archive", arch.JSON200.Code, 0, arch.JSON200.Msg)

	l := must(bob.ListFilesWithResponse(bg, &cloudreveapi.ListFilesParams{Uri: "cloudreve://my"}))
	if len(l.JSON200.Data.Files) != 0 {
		t.Errorf("bob sees %+v", l.JSON200.Data.Files)
	}
	other := must(bob.ListFilesWithResponse(bg, &cloudreveapi.ListFilesParams{Uri: "cloudreve://" + annID + "@my"}))
	if other.JSON200.Code == 0 {
		t.Errorf("bob listed ann's root")
	}
	byID := must(bob.GetFileInfoWithResponse(bg, &cloudreveapi.GetFileInfoParams{Id: &f.Id}))
	if byID.JSON200.Code == 0 {
		t.Errorf("bob read ann's file by id")
	}
	own := must(ann.ListFilesWithResponse(bg, &cloudreveapi.ListFilesParams{Uri: "cloudreve://" + annID + "@my"}))
	code(t, "own uid in URI", own.JSON200.Code, 0, own.JSON200.Msg)

	tasks := must(bob.ListTasksWithResponse(bg, &cloudreveapi.ListTasksParams{PageSize: 10, Category: "general"}))
	if len(tasks.JSON200.Data.Tasks) != 0 {
		t.Errorf("bob sees tasks %+v", tasks.JSON200.Data.Tasks)
	}
	cancel := must(bob.CancelTaskWithResponse(bg, arch.JSON200.Data.Id))
	code(t, "cancel someone else's task", cancel.JSON200.Code, 404, cancel.JSON200.Msg)
	annTasks := must(ann.ListTasksWithResponse(bg, &cloudreveapi.ListTasksParams{PageSize: 10, Category: "general"}))
	if len(annTasks.JSON200.Data.Tasks) != 1 {
		t.Errorf("ann's tasks %+v", annTasks.JSON200.Data.Tasks)
	}
	_ = bytes.MinRead
}

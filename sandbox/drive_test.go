package sandbox

import (
	"archive/zip"
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/values"
)

func TestMoveCopyRenameRestore(t *testing.T) {
	e := newEnv(t, Options{})
	_, c := e.user("ann@example.com")
	put(t, c, "cloudreve://my/a.txt", "a")
	put(t, c, "cloudreve://my/b.txt", "b")
	mkdir(t, c, "cloudreve://my/dst")
	put(t, c, "cloudreve://my/dst/b.txt", "taken")

	// One bad item is reported by URI; the others move.
	r := must(c.MoveFilesWithResponse(bg, cloudreveapi.MoveFileService{Uris: []string{"cloudreve://my/a.txt", "cloudreve://my/ghost"}, Dst: "cloudreve://my/dst"}))
	code(t, "partial move", r.JSON200.Code, 40081, r.JSON200.Msg)
	if agg := *r.JSON200.AggregatedError; len(agg) != 1 || agg["cloudreve://my/ghost"].Code != 40016 {
		t.Errorf("aggregated %+v", agg)
	}
	info := must(c.GetFileInfoWithResponse(bg, &cloudreveapi.GetFileInfoParams{Uri: values.Ptr("cloudreve://my/dst/a.txt")}))
	code(t, "moved file", info.JSON200.Code, 0, info.JSON200.Msg)
	// A taken name fails the whole call; a folder cannot go into itself.
	taken := must(c.MoveFilesWithResponse(bg, cloudreveapi.MoveFileService{Uris: []string{"cloudreve://my/b.txt"}, Dst: "cloudreve://my/dst"}))
	code(t, "name taken", taken.JSON200.Code, 40004, taken.JSON200.Msg)
	self := must(c.MoveFilesWithResponse(bg, cloudreveapi.MoveFileService{Uris: []string{"cloudreve://my/dst"}, Dst: "cloudreve://my/dst"}))
	code(t, "into itself", self.JSON200.Code, 40081, self.JSON200.Msg)
	// Copy keeps the source.
	cp := must(c.MoveFilesWithResponse(bg, cloudreveapi.MoveFileService{Uris: []string{"cloudreve://my/dst"}, Dst: "cloudreve://my", Copy: values.Ptr(true)}))
	code(t, "copy onto itself", cp.JSON200.Code, 40004, cp.JSON200.Msg)
	mkdir(t, c, "cloudreve://my/copies")
	cp = must(c.MoveFilesWithResponse(bg, cloudreveapi.MoveFileService{Uris: []string{"cloudreve://my/dst"}, Dst: "cloudreve://my/copies", Copy: values.Ptr(true)}))
	code(t, "copy", cp.JSON200.Code, 0, cp.JSON200.Msg)
	if got, err := e.s.ReadFile(userOf(t, e, c), "cloudreve://my/copies/dst/a.txt"); err != nil || string(got) != "a" {
		t.Errorf("copied file %q %v", got, err)
	}

	rn := must(c.RenameFileWithResponse(bg, cloudreveapi.RenameFileService{Uri: "cloudreve://my/b.txt", NewName: "c.txt"}))
	code(t, "rename", rn.JSON200.Code, 0, rn.JSON200.Msg)
	if rn.JSON200.Data.Name != "c.txt" || *rn.JSON200.Data.Path != "cloudreve://my/c.txt" {
		t.Errorf("renamed %+v", rn.JSON200.Data)
	}
	bad := must(c.RenameFileWithResponse(bg, cloudreveapi.RenameFileService{Uri: "cloudreve://my/c.txt", NewName: "a/b"}))
	code(t, "illegal name", bad.JSON200.Code, 40052, bad.JSON200.Msg)
	clash := must(c.RenameFileWithResponse(bg, cloudreveapi.RenameFileService{Uri: "cloudreve://my/c.txt", NewName: "dst"}))
	code(t, "name taken by a folder", clash.JSON200.Code, 40004, clash.JSON200.Msg)

	// Trash and restore: restore needs the trash URI, and the original folder.
	del := must(c.DeleteFilesWithResponse(bg, cloudreveapi.DeleteFileService{Uris: []string{"cloudreve://my/c.txt", "cloudreve://my/copies"}}))
	code(t, "delete", del.JSON200.Code, 0, del.JSON200.Msg)
	wrong := must(c.RestoreFilesWithResponse(bg, cloudreveapi.RestoreFileService{Uris: []string{"cloudreve://my/c.txt"}}))
	code(t, "restore a my URI", wrong.JSON200.Code, 40081, wrong.JSON200.Msg)
	res := must(c.RestoreFilesWithResponse(bg, cloudreveapi.RestoreFileService{Uris: []string{"cloudreve://trash/c.txt", "cloudreve://trash/copies"}}))
	code(t, "restore", res.JSON200.Code, 0, res.JSON200.Msg)
	if got, err := e.s.ReadFile(userOf(t, e, c), "cloudreve://my/copies/dst/b.txt"); err != nil || string(got) != "taken" {
		t.Errorf("restored folder content %q %v", got, err)
	}
}

// userOf finds the account of a client by listing its root.
func userOf(t *testing.T, e *env, c *cloudreveapi.ClientWithResponses) string {
	t.Helper()
	r := must(c.GetStorageCapacityWithResponse(bg))
	code(t, "capacity", r.JSON200.Code, 0, r.JSON200.Msg)
	e.s.c.store.mu.Lock()
	var ids []string
	for _, u := range e.s.c.store.users {
		ids = append(ids, u.hid)
	}
	e.s.c.store.mu.Unlock()
	for _, hid := range ids {
		l := must(c.ListFilesWithResponse(bg, &cloudreveapi.ListFilesParams{Uri: "cloudreve://" + hid + "@my"}))
		if l.JSON200.Code == 0 {
			return hid
		}
	}
	t.Fatal("no account")
	return ""
}

func TestVersionsMetadataPinsViews(t *testing.T) {
	e := newEnv(t, Options{})
	_, c := e.user("ann@example.com")
	v1 := put(t, c, "cloudreve://my/doc.txt", "one")
	v2 := put(t, c, "cloudreve://my/doc.txt", "two!")
	info := must(c.GetFileInfoWithResponse(bg, &cloudreveapi.GetFileInfoParams{Uri: values.Ptr("cloudreve://my/doc.txt"), Extended: values.Ptr(true)}))
	if ents := *info.JSON200.Data.ExtendedInfo.Entities; len(ents) != 2 || info.JSON200.Data.ExtendedInfo.StorageUsed != 7 {
		t.Fatalf("versions %+v", ents)
	}
	del := must(c.DeleteFileVersionWithResponse(bg, cloudreveapi.FileVersionService{Uri: "cloudreve://my/doc.txt", Version: *v2.PrimaryEntity}))
	code(t, "delete the current version", del.JSON200.Code, 403, del.JSON200.Msg)
	set := must(c.SetFileVersionWithResponse(bg, cloudreveapi.FileVersionService{Uri: "cloudreve://my/doc.txt", Version: *v1.PrimaryEntity}))
	code(t, "set version", set.JSON200.Code, 0, set.JSON200.Msg)
	if got, _ := e.s.ReadFile(userOf(t, e, c), "cloudreve://my/doc.txt"); string(got) != "one" {
		t.Errorf("current content %q", got)
	}
	del = must(c.DeleteFileVersionWithResponse(bg, cloudreveapi.FileVersionService{Uri: "cloudreve://my/doc.txt", Version: *v2.PrimaryEntity}))
	code(t, "delete an old version", del.JSON200.Code, 0, del.JSON200.Msg)
	gone := must(c.SetFileVersionWithResponse(bg, cloudreveapi.FileVersionService{Uri: "cloudreve://my/doc.txt", Version: *v2.PrimaryEntity}))
	code(t, "deleted version", gone.JSON200.Code, 40077, gone.JSON200.Msg)
	garbage := must(c.SetFileVersionWithResponse(bg, cloudreveapi.FileVersionService{Uri: "cloudreve://my/doc.txt", Version: "!!"}))
	code(t, "garbage version", garbage.JSON200.Code, 40001, garbage.JSON200.Msg)

	pm := must(c.PatchMetadataWithResponse(bg, cloudreveapi.PatchMetadataService{Uris: []string{"cloudreve://my/doc.txt"},
		Patches: []cloudreveapi.MetadataPatch{{Key: "tag:work", Value: values.Ptr("red")}, {Key: "customize:emoji", Value: values.Ptr("😀")}}}))
	code(t, "patch metadata", pm.JSON200.Code, 0, pm.JSON200.Msg)
	badKey := must(c.PatchMetadataWithResponse(bg, cloudreveapi.PatchMetadataService{Uris: []string{"cloudreve://my/doc.txt"},
		Patches: []cloudreveapi.MetadataPatch{{Key: "sys:upload_session_id", Value: values.Ptr("x")}}}))
	code(t, "forbidden key", badKey.JSON200.Code, 40001, badKey.JSON200.Msg)
	info = must(c.GetFileInfoWithResponse(bg, &cloudreveapi.GetFileInfoParams{Uri: values.Ptr("cloudreve://my/doc.txt")}))
	if m := *info.JSON200.Data.Metadata; m["tag:work"] != "red" || m["customize:emoji"] != "😀" {
		t.Errorf("metadata %v", m)
	}

	pin := must(c.PinToSidebarWithResponse(bg, cloudreveapi.PinFileService{Uri: "cloudreve://my?name=doc", Name: values.Ptr("Docs")}))
	code(t, "pin", pin.JSON200.Code, 0, pin.JSON200.Msg)
	again := must(c.PinToSidebarWithResponse(bg, cloudreveapi.PinFileService{Uri: "cloudreve://my?name=doc", Name: values.Ptr("Other")}))
	code(t, "pin with another name", again.JSON200.Code, 40004, again.JSON200.Msg)
	unpin := must(c.DeletePinWithResponse(bg, cloudreveapi.PinFileService{Uri: "cloudreve://my?name=doc"}))
	code(t, "unpin", unpin.JSON200.Code, 0, unpin.JSON200.Msg)

	mkdir(t, c, "cloudreve://my/photos")
	view := cloudreveapi.ExplorerView{PageSize: 50, View: values.Ptr(cloudreveapi.ExplorerViewView("grid")), OrderDirection: values.Ptr(cloudreveapi.ExplorerViewOrderDirection("desc")), GalleryWidth: values.Ptr(120)}
	pv := must(c.UpdateViewSettingWithResponse(bg, cloudreveapi.PatchViewService{Uri: "cloudreve://my/photos", View: &view}))
	code(t, "view", pv.JSON200.Code, 0, pv.JSON200.Msg)
	l := must(c.ListFilesWithResponse(bg, &cloudreveapi.ListFilesParams{Uri: "cloudreve://my/photos"}))
	if v := l.JSON200.Data.View; v == nil || *v.View != "grid" || l.JSON200.Data.Pagination.PageSize != 50 {
		t.Errorf("listing view %+v", l.JSON200.Data)
	}
	view.PageSize = 10
	bad := must(c.UpdateViewSettingWithResponse(bg, cloudreveapi.PatchViewService{Uri: "cloudreve://my/photos", View: &view}))
	code(t, "page size below 50", bad.JSON200.Code, 40001, bad.JSON200.Msg)
}

func TestDirectLinksThumbsArchivesViewers(t *testing.T) {
	e := newEnv(t, Options{})
	_, c := e.user("ann@example.com")
	put(t, c, "cloudreve://my/pic.png", "not really a png")
	put(t, c, "cloudreve://my/notes.txt", "hello")
	mkdir(t, c, "cloudreve://my/folder")

	dl := must(c.CreateDirectLinksWithResponse(bg, cloudreveapi.GetDirectLinkService{Uris: []string{"cloudreve://my/pic.png", "cloudreve://my/folder"}}))
	code(t, "direct links with a folder", dl.JSON200.Code, 40081, dl.JSON200.Msg)
	ok := must(c.CreateDirectLinksWithResponse(bg, cloudreveapi.GetDirectLinkService{Uris: []string{"cloudreve://my/pic.png"}}))
	code(t, "direct link", ok.JSON200.Code, 0, ok.JSON200.Msg)
	link := (*ok.JSON200.Data)[0]
	if !strings.HasPrefix(link.Link, e.srv.URL+"/f/") || link.FileUrl != "cloudreve://my/pic.png" {
		t.Fatalf("link %+v", link)
	}
	if body := fetch(t, link.Link, "", 200); body != "not really a png" {
		t.Errorf("direct link serves %q", body)
	}
	info := must(c.GetFileInfoWithResponse(bg, &cloudreveapi.GetFileInfoParams{Uri: values.Ptr("cloudreve://my/pic.png"), Extended: values.Ptr(true)}))
	links := *info.JSON200.Data.ExtendedInfo.DirectLinks
	if len(links) != 1 || links[0].Downloaded != 1 {
		t.Fatalf("direct links %+v", links)
	}
	rm := must(c.DeleteDirectLinkWithResponse(bg, links[0].Id))
	code(t, "delete direct link", rm.JSON200.Code, 0, rm.JSON200.Msg)
	_, bob := e.user("bob@example.com")
	other := must(bob.DeleteDirectLinkWithResponse(bg, links[0].Id))
	code(t, "someone else's link", other.JSON200.Code, 404, other.JSON200.Msg)

	th := must(c.GetThumbnailUrlWithResponse(bg, &cloudreveapi.GetThumbnailUrlParams{Uri: "cloudreve://my/pic.png"}))
	code(t, "thumbnail", th.JSON200.Code, 0, th.JSON200.Msg)
	noThumb := must(c.GetThumbnailUrlWithResponse(bg, &cloudreveapi.GetThumbnailUrlParams{Uri: "cloudreve://my/notes.txt"}))
	code(t, "no thumbnail", noThumb.JSON200.Code, 40077, noThumb.JSON200.Msg)

	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create("dir/inner.txt")
	w.Write([]byte("inside"))
	zw.Close()
	put(t, c, "cloudreve://my/a.zip", zbuf.String())
	al := must(c.GetArchiveFileListWithResponse(bg, &cloudreveapi.GetArchiveFileListParams{Uri: "cloudreve://my/a.zip"}))
	code(t, "archive list", al.JSON200.Code, 0, al.JSON200.Msg)
	if fs := *al.JSON200.Data.Files; len(fs) != 1 || fs[0].Name != "dir/inner.txt" || fs[0].Size != 6 {
		t.Errorf("archive entries %+v", fs)
	}
	notZip := must(c.GetArchiveFileListWithResponse(bg, &cloudreveapi.GetArchiveFileListParams{Uri: "cloudreve://my/notes.txt"}))
	code(t, "not an archive", notZip.JSON200.Code, 403, notZip.JSON200.Msg)

	vs := must(c.CreateViewerSessionWithResponse(bg, cloudreveapi.CreateViewerSessionService{Uri: "cloudreve://my/notes.txt", ViewerId: "text", PreferredAction: "edit"}))
	code(t, "viewer session", vs.JSON200.Code, 0, vs.JSON200.Msg)
	if s := vs.JSON200.Data.Session; s.Id == "" || s.AccessToken == "" || s.Expires < 1e12 {
		t.Errorf("session %+v", s)
	}
	unknown := must(c.CreateViewerSessionWithResponse(bg, cloudreveapi.CreateViewerSessionService{Uri: "cloudreve://my/notes.txt", ViewerId: "nope", PreferredAction: "view"}))
	code(t, "unknown viewer", unknown.JSON200.Code, 40001, unknown.JSON200.Msg)
}

func TestSharesPasswordExpiryAndLimit(t *testing.T) {
	e := newEnv(t, Options{})
	_, ann := e.user("ann@example.com")
	_, bob := e.user("bob@example.com")
	guest := e.client("")
	put(t, ann, "cloudreve://my/report.pdf", "the report")

	cr := must(ann.CreateShareLinkWithResponse(bg, cloudreveapi.ShareCreateService{Uri: "cloudreve://my/report.pdf", IsPrivate: values.Ptr(true), Password: values.Ptr("s3cret"), Downloads: values.Ptr(1), Expire: values.Ptr(3600)}))
	code(t, "create share", cr.JSON200.Code, 0, cr.JSON200.Msg)
	link := *cr.JSON200.Data
	if !strings.HasSuffix(link, "/s3cret") {
		t.Fatalf("link %q", link)
	}
	id := strings.Split(strings.TrimPrefix(link, e.srv.URL+"/s/"), "/")[0]

	locked := must(guest.GetShareLinkInfoWithResponse(bg, id, &cloudreveapi.GetShareLinkInfoParams{}))
	code(t, "share info", locked.JSON200.Code, 0, locked.JSON200.Msg)
	if d := locked.JSON200.Data; d.Unlocked || d.Password != nil || strings.Contains(d.Url, "s3cret") || d.RemainDownloads != nil || !*d.PasswordProtected {
		t.Errorf("locked share %+v", d)
	}
	open := must(guest.GetShareLinkInfoWithResponse(bg, id, &cloudreveapi.GetShareLinkInfoParams{Password: values.Ptr("s3cret"), CountViews: values.Ptr(true)}))
	if d := open.JSON200.Data; !d.Unlocked || *d.Password != "s3cret" || *d.RemainDownloads != 1 || d.Visited != 1 || d.Size != 10 {
		t.Errorf("unlocked share %+v", d)
	}

	wrong := must(bob.ListFilesWithResponse(bg, &cloudreveapi.ListFilesParams{Uri: "cloudreve://" + id + ":nope@share"}))
	code(t, "wrong password", wrong.JSON200.Code, 40069, wrong.JSON200.Msg)
	root := "cloudreve://" + id + ":s3cret@share"
	l := must(bob.ListFilesWithResponse(bg, &cloudreveapi.ListFilesParams{Uri: root}))
	code(t, "list share", l.JSON200.Code, 0, l.JSON200.Msg)
	if d := l.JSON200.Data; len(d.Files) != 1 || d.SingleFileView == nil || *d.Files[0].Path != root+"/report.pdf" || *d.Files[0].Owned {
		t.Fatalf("share listing %+v", d)
	}
	u := must(bob.CreateDownloadUrlWithResponse(bg, nil, cloudreveapi.FileURLService{Uris: []string{root + "/report.pdf"}}))
	code(t, "download through the share", u.JSON200.Code, 0, u.JSON200.Msg)
	if body := fetch(t, u.JSON200.Data.Urls[0].Url, "", 200); body != "the report" {
		t.Errorf("shared content %q", body)
	}
	// The one download is used up: the link is gone for everyone.
	again := must(bob.CreateDownloadUrlWithResponse(bg, nil, cloudreveapi.FileURLService{Uris: []string{root + "/report.pdf"}}))
	code(t, "second download", again.JSON200.Code, 404, again.JSON200.Msg)
	expired := must(guest.GetShareLinkInfoWithResponse(bg, id, &cloudreveapi.GetShareLinkInfoParams{}))
	code(t, "exhausted share info", expired.JSON200.Code, 404, expired.JSON200.Msg)

	// The owner lists it as expired, and can lift the limit.
	mine := must(ann.ListMyShareLinksWithResponse(bg, &cloudreveapi.ListMyShareLinksParams{PageSize: 10}))
	if s := *mine.JSON200.Data.Shares; len(s) != 1 || !s[0].Expired || !*s[0].IsPrivate {
		t.Errorf("my shares %+v", s)
	}
	ed := must(ann.EditShareLinkWithResponse(bg, id, cloudreveapi.ShareCreateService{Uri: "cloudreve://my/report.pdf"}))
	code(t, "edit share", ed.JSON200.Code, 0, ed.JSON200.Msg)
	if *ed.JSON200.Data != link {
		t.Errorf("edit kept the password? %q", *ed.JSON200.Data)
	}
	fine := must(guest.GetShareLinkInfoWithResponse(bg, id, &cloudreveapi.GetShareLinkInfoParams{Password: values.Ptr("s3cret")}))
	code(t, "share info after edit", fine.JSON200.Code, 0, fine.JSON200.Msg)
	none := must(bob.ListMyShareLinksWithResponse(bg, &cloudreveapi.ListMyShareLinksParams{PageSize: 10}))
	if none.JSON200.Data.Shares != nil {
		t.Errorf("bob's shares %+v", none.JSON200.Data.Shares)
	}
	small := must(ann.ListMyShareLinksWithResponse(bg, &cloudreveapi.ListMyShareLinksParams{PageSize: 5}))
	code(t, "page size below 10", small.JSON200.Code, 40001, small.JSON200.Msg)
	notMine := must(bob.DeleteShareLinkWithResponse(bg, id))
	code(t, "delete someone else's share", notMine.JSON200.Code, 404, notMine.JSON200.Msg)
	rm := must(ann.DeleteShareLinkWithResponse(bg, id))
	code(t, "delete share", rm.JSON200.Code, 0, rm.JSON200.Msg)
}

func TestOffsetPaginationAndUploadOrder(t *testing.T) {
	e := newEnv(t, Options{OffsetPagination: true, ChunkSize: 4})
	_, c := e.user("ann@example.com")
	for i := range 5 {
		put(t, c, fmt.Sprintf("cloudreve://my/f%d", i), "x")
	}
	l := must(c.ListFilesWithResponse(bg, &cloudreveapi.ListFilesParams{Uri: "cloudreve://my", PageSize: values.Ptr(2), Page: values.Ptr(2)}))
	p := l.JSON200.Data.Pagination
	if p.IsCursor != nil || p.NextToken != nil || *p.TotalItems != 5 || p.Page != 2 || len(l.JSON200.Data.Files) != 1 || l.JSON200.Data.Files[0].Name != "f4" {
		t.Errorf("offset page %+v %+v", p, l.JSON200.Data.Files)
	}

	up := must(c.CreateUploadSessionWithResponse(bg, cloudreveapi.CreateUploadSessionService{Uri: "cloudreve://my/up.bin", Size: values.Ptr(int64(10))}))
	sid := up.JSON200.Data.SessionId
	chunk := func(i int, data string) int {
		r := must(c.UploadFileChunkWithBodyWithResponse(bg, sid, i, "application/octet-stream", strings.NewReader(data)))
		return r.JSON200.Code
	}
	if got := chunk(1, "4567"); got != 50004 {
		t.Errorf("chunk 1 before chunk 0: code %d", got)
	}
	if chunk(0, "0123") != 0 || chunk(0, "0123") != 0 || chunk(1, "4567") != 0 || chunk(2, "89") != 0 {
		t.Fatal("in-order chunks (with a resent one) failed")
	}
	if e.s.UploadSessions() != 0 {
		t.Errorf("%d sessions left", e.s.UploadSessions())
	}
}

func TestS3Policy(t *testing.T) {
	e := newEnv(t, Options{StoragePolicy: "s3", ChunkSize: 4})
	_, c := e.user("ann@example.com")
	up := must(c.CreateUploadSessionWithResponse(bg, cloudreveapi.CreateUploadSessionService{Uri: "cloudreve://my/s3.bin", Size: values.Ptr(int64(6))}))
	code(t, "session", up.JSON200.Code, 0, up.JSON200.Msg)
	sess := up.JSON200.Data
	if sess.StoragePolicy.Type != "s3" || len(*sess.UploadUrls) != 2 || sess.CompleteURL == nil {
		t.Fatalf("session %+v", sess)
	}
	relay := must(c.UploadFileChunkWithBodyWithResponse(bg, sess.SessionId, 0, "application/octet-stream", strings.NewReader("0123")))
	code(t, "relayed chunk", relay.JSON200.Code, 40006, relay.JSON200.Msg)

	early := must(c.CompleteS3UploadWithResponse(bg, sess.SessionId, sess.CallbackSecret))
	if early.StatusCode() != 400 {
		t.Errorf("callback before the parts: HTTP %d", early.StatusCode())
	}
	badKey := must(c.CompleteS3UploadWithResponse(bg, sess.SessionId, "wrong"))
	if badKey.StatusCode() != 401 || badKey.JSON401.Code != 40020 {
		t.Errorf("wrong key: HTTP %d %s", badKey.StatusCode(), badKey.Body)
	}
	cos := must(c.CompleteCosUploadWithResponse(bg, sess.SessionId, sess.CallbackSecret))
	if cos.StatusCode() != 401 || cos.JSON401.Code != 40006 {
		t.Errorf("cos callback on an s3 session: HTTP %d %s", cos.StatusCode(), cos.Body)
	}

	var parts string
	for i, data := range []string{"0123", "45"} {
		req, _ := http.NewRequest(http.MethodPut, (*sess.UploadUrls)[i], strings.NewReader(data))
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("part %d: %v %v", i, err, resp)
		}
		sum := md5.Sum([]byte(data))
		if resp.Header.Get("ETag") != `"`+hex.EncodeToString(sum[:])+`"` {
			t.Errorf("etag %q", resp.Header.Get("ETag"))
		}
		parts += fmt.Sprintf("<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>", i+1, resp.Header.Get("ETag"))
		resp.Body.Close()
	}
	resp, err := http.Post(*sess.CompleteURL, "application/xml", strings.NewReader("<CompleteMultipartUpload>"+parts+"</CompleteMultipartUpload>"))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("complete: %v %v", err, resp)
	}
	resp.Body.Close()
	done := must(c.CompleteS3UploadWithResponse(bg, sess.SessionId, sess.CallbackSecret))
	code(t, "callback", done.JSON200.Code, 0, done.JSON200.Msg)
	if got, _ := e.s.ReadFile(userOf(t, e, c), "cloudreve://my/s3.bin"); string(got) != "012345" {
		t.Errorf("stored %q", got)
	}
	gone := must(c.CompleteS3UploadWithResponse(bg, sess.SessionId, sess.CallbackSecret))
	if gone.StatusCode() != 401 || gone.JSON401.Code != 40011 {
		t.Errorf("callback after completion: HTTP %d", gone.StatusCode())
	}
}

func TestProFileOperations(t *testing.T) {
	e := newEnv(t, Options{Edition: EditionPro})
	_, c := e.user("ann@example.com")
	put(t, c, "cloudreve://my/a.txt", "a")
	must(c.RenameFileWithResponse(bg, cloudreveapi.RenameFileService{Uri: "cloudreve://my/a.txt", NewName: "b.txt"}))
	acts := must(c.ListFileActivitiesWithResponse(bg, &cloudreveapi.ListFileActivitiesParams{Uri: "cloudreve://my/b.txt", PageSize: 10}))
	code(t, "activities", acts.JSON200.Code, 0, acts.JSON200.Msg)
	if a := acts.JSON200.Data.Activities; len(a) != 2 || a[1].Content.Category != logFileRename || *a[1].Content.NewName != "b.txt" {
		t.Errorf("activities %+v", a)
	}
	setting := cloudreveapi.PermissionSetting{Everyone: values.Ptr("AQ==")}
	sp := must(c.SetPermissionWithResponse(bg, cloudreveapi.SetPermissionService{Uris: []string{"cloudreve://my/b.txt"}, Setting: setting}))
	code(t, "set permission", sp.JSON200.Code, 0, sp.JSON200.Msg)
	info := must(c.GetFileInfoWithResponse(bg, &cloudreveapi.GetFileInfoParams{Uri: values.Ptr("cloudreve://my/b.txt"), Extended: values.Ptr(true)}))
	if p := info.JSON200.Data.ExtendedInfo.Permissions; p == nil || *p.Everyone != "AQ==" {
		t.Errorf("permissions %+v", p)
	}
	dp := must(c.DeletePermissionSettingWithResponse(bg, cloudreveapi.DeletePermissionService{Uris: []string{"cloudreve://my/b.txt"}}))
	code(t, "delete permission", dp.JSON200.Code, 0, dp.JSON200.Msg)
	mkdir(t, c, "cloudreve://my/dir")
	policy := must(c.ListFilesWithResponse(bg, &cloudreveapi.ListFilesParams{Uri: "cloudreve://my"})).JSON200.Data.StoragePolicy.Id
	mp := must(c.MountStoragePolicyWithResponse(bg, cloudreveapi.MountStoragePolicyService{Uri: "cloudreve://my/dir", PolicyId: policy}))
	code(t, "mount", mp.JSON200.Code, 0, mp.JSON200.Msg)
	unknown := must(c.MountStoragePolicyWithResponse(bg, cloudreveapi.MountStoragePolicyService{Uri: "cloudreve://my/dir", PolicyId: "zzzz"}))
	code(t, "unknown policy", unknown.JSON200.Code, 40035, unknown.JSON200.Msg)
}

func TestForceUnlock(t *testing.T) {
	e := newEnv(t, Options{})
	_, c := e.user("ann@example.com")
	up := must(c.CreateUploadSessionWithResponse(bg, cloudreveapi.CreateUploadSessionService{Uri: "cloudreve://my/locked.bin", Size: values.Ptr(int64(3))}))
	code(t, "session", up.JSON200.Code, 0, up.JSON200.Msg)
	del := must(c.DeleteFilesWithResponse(bg, cloudreveapi.DeleteFileService{Uris: []string{"cloudreve://my/locked.bin"}}))
	code(t, "delete a locked file", del.JSON200.Code, 40081, del.JSON200.Msg)
	bad := must(c.ForceUnlockWithResponse(bg, cloudreveapi.UnlockFileService{Tokens: []string{"nope"}}))
	code(t, "unknown token", bad.JSON200.Code, 40001, bad.JSON200.Msg)
	e.s.c.store.mu.Lock()
	tok := e.s.c.store.uploads[up.JSON200.Data.SessionId].lockToken
	e.s.c.store.mu.Unlock()
	ok := must(c.ForceUnlockWithResponse(bg, cloudreveapi.UnlockFileService{Tokens: []string{tok}}))
	code(t, "unlock", ok.JSON200.Code, 0, ok.JSON200.Msg)
	if e.s.UploadSessions() != 0 {
		t.Error("the upload survived its unlock")
	}
}

// Failed items are keyed as the real servers (4.0.0 and 4.18.0) key them:
// the URI parsed and printed again, without a trailing slash.
func TestBatchKeysAreReencoded(t *testing.T) {
	e := newEnv(t, Options{})
	_, c := e.user("ann@example.com")
	put(t, c, "cloudreve://my/a b.txt", "a")
	mkdir(t, c, "cloudreve://my/dst")
	r := must(c.MoveFilesWithResponse(bg, cloudreveapi.MoveFileService{
		Uris: []string{"cloudreve://my/a b.txt", "cloudreve://my/no such é.txt", "cloudreve://my/no%20such2.txt", "cloudreve://my/trail/"},
		Dst:  "cloudreve://my/dst"}))
	code(t, "partial move", r.JSON200.Code, 40081, r.JSON200.Msg)
	agg := *r.JSON200.AggregatedError
	for _, key := range []string{"cloudreve://my/no%20such%20%C3%A9.txt", "cloudreve://my/no%20such2.txt", "cloudreve://my/trail"} {
		if agg[key].Code != 40016 {
			t.Errorf("no 40016 under %q: %+v", key, agg)
		}
	}
	if len(agg) != 3 {
		t.Errorf("aggregated %+v", agg)
	}
}

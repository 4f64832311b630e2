package conformance

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect/v2"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	sharev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/share/v1"
)

// A link with a password and two downloads: locked without the password,
// each DownloadFile by another account spends one download, and once both
// are spent the link is gone: the third download fails.
func shareWithPasswordAndDownloadLimit(t *testing.T, c *caller) {
	dir := c.workspace(t)
	uri := dir + "/shared.bin"
	data := randomBytes(200_003, 41)
	c.put(t, uri, data)
	const password = "pw4711"
	link := must[*sharev1.CreateShareLinkResponse](t, "CreateShareLink")(c.a.shares.CreateShareLink(c.ctx,
		&sharev1.CreateShareLinkRequest{Uri: uri, IsPrivate: true, Password: password, Downloads: 2}))
	id := link.GetId()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), c.timeouts.task)
		defer cancel()
		if _, err := c.a.shares.DeleteShareLink(ctx, &sharev1.DeleteShareLinkRequest{Id: id}); err != nil && connect.CodeOf(err) != connect.CodeNotFound {
			t.Errorf("removing the link: %v", err)
		}
	})

	locked := must[*sharev1.GetShareLinkInfoResponse](t, "info, wrong password")(c.guest.shares.GetShareLinkInfo(c.ctx, &sharev1.GetShareLinkInfoRequest{Id: id, Password: "wrong"})).GetShare()
	if locked.GetUnlocked() || locked.GetPassword() != "" || strings.Contains(locked.GetUrl(), password) || !locked.GetPasswordProtected() {
		t.Errorf("the link without its password: %v", locked)
	}
	remain := func() (int32, int32) {
		s := must[*sharev1.GetShareLinkInfoResponse](t, "owner's info")(c.a.shares.GetShareLinkInfo(c.ctx, &sharev1.GetShareLinkInfoRequest{Id: id})).GetShare()
		return s.GetRemainDownloads(), s.GetDownloaded()
	}
	if left, done := remain(); left != 2 || done != 0 {
		t.Errorf("a new link: %d left, %d downloaded", left, done)
	}

	_, err := c.b.files.ListFiles(c.ctx, &filev1.ListFilesRequest{Uri: "cloudreve://" + id + ":nope@share"})
	wantCode(t, "listing with a wrong password", err, connect.CodePermissionDenied)
	listed := must[*filev1.ListFilesResponse](t, "listing the link")(c.b.files.ListFiles(c.ctx, &filev1.ListFilesRequest{Uri: "cloudreve://" + id + ":" + password + "@share"}))
	if len(listed.GetFiles()) != 1 || listed.GetFiles()[0].GetOwned() {
		t.Fatalf("the link lists %v", listed.GetFiles())
	}
	shared := listed.GetFiles()[0].GetPath()
	for i := 1; i <= 2; i++ {
		got, err := download(c.ctx, c.b.files, &filev1.DownloadFileRequest{Uri: shared})
		if err != nil || !bytes.Equal(got.data, data) {
			t.Fatalf("download %d through the link: %d bytes, %v", i, len(got.data), err)
		}
		if i == 1 {
			if left, done := remain(); left != 1 || done != 1 {
				t.Errorf("after the first download: %d left, %d downloaded", left, done)
			}
		}
	}
	// Spent, the link is gone even for its owner.
	_, err = c.a.shares.GetShareLinkInfo(c.ctx, &sharev1.GetShareLinkInfoRequest{Id: id})
	wantCode(t, "the spent link's info", err, connect.CodeNotFound)
	_, err = download(c.ctx, c.b.files, &filev1.DownloadFileRequest{Uri: shared})
	if err == nil {
		t.Fatal("a third download of a two-download link succeeded")
	}
	t.Logf("the third download: %v", err)
	wantCode(t, "a third download", err, connect.CodeNotFound)
}

package tests

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect/v2"
	"google.golang.org/protobuf/types/known/durationpb"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	sharev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/share/v1"
	"github.com/cloudreve-connect/facade/sandbox"
)

// A private link with a one-download limit: locked without its password
// (and never showing it), downloadable once through FileService, gone
// afterwards; editing lifts the limit; another account's list stays empty.
func TestShareLinks(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	bob := e.up.newAccount(t, "bob")
	ctx := context.Background()
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			uri := "cloudreve://my/shared-" + p.name + ".txt"
			e.up.putFile(t, e.alice, uri, "shared content")
			owner := shareClient(e.f, append(p.opts, withToken(e.alice.Token))...)
			guest := shareClient(e.f, p.opts...)
			bobFiles := fileClient(e.f, append(p.opts, withToken(bob.Token))...)

			created := of(owner.CreateShareLink(ctx, &sharev1.CreateShareLinkRequest{Uri: uri, IsPrivate: true, Password: "pw123",
				Downloads: 1, Expire: durationpb.New(time.Hour)})).ok(t, "create")
			if created.GetId() == "" || !strings.HasSuffix(created.GetUrl(), "/s/"+created.GetId()+"/pw123") {
				t.Fatalf("created %v", created)
			}
			id := created.GetId()

			locked := of(guest.GetShareLinkInfo(ctx, &sharev1.GetShareLinkInfoRequest{Id: id, Password: "wrong"})).ok(t, "info").GetShare()
			if locked.GetUnlocked() || locked.GetPassword() != "" || strings.Contains(locked.GetUrl(), "pw123") || locked.RemainDownloads != nil ||
				!locked.GetPasswordProtected() || locked.GetExpires() != nil || locked.GetName() != "shared-"+p.name+".txt" {
				t.Errorf("locked link %v", locked)
			}
			open := of(guest.GetShareLinkInfo(ctx, &sharev1.GetShareLinkInfoRequest{Id: id, Password: "pw123", CountViews: true})).ok(t, "info").GetShare()
			if !open.GetUnlocked() || open.GetPassword() != "pw123" || open.GetRemainDownloads() != 1 || open.GetVisited() != 1 ||
				open.GetSize() != 14 || open.GetExpires() == nil || open.GetSourceType() != filev1.FileType_FILE_TYPE_FILE {
				t.Errorf("unlocked link %v", open)
			}
			mine := of(owner.GetShareLinkInfo(ctx, &sharev1.GetShareLinkInfoRequest{Id: id, OwnerExtended: true})).ok(t, "owner info").GetShare()
			if !mine.GetUnlocked() || !mine.GetIsPrivate() || mine.GetSourceUri() != uri {
				t.Errorf("owner's view %v", mine)
			}

			root := "cloudreve://" + id + ":pw123@share"
			_, err := bobFiles.ListFiles(ctx, &filev1.ListFilesRequest{Uri: "cloudreve://" + id + ":nope@share"})
			wantCode(t, "wrong password", err, connect.CodePermissionDenied)
			listed := of(bobFiles.ListFiles(ctx, &filev1.ListFilesRequest{Uri: root})).ok(t, "list the link")
			if len(listed.GetFiles()) != 1 || !listed.GetSingleFileView() || listed.GetFiles()[0].GetOwned() {
				t.Fatalf("listing %v", listed)
			}
			got, _, _, err := download(ctx, bobFiles, &filev1.DownloadFileRequest{Uri: listed.GetFiles()[0].GetPath()})
			if err != nil || string(got) != "shared content" {
				t.Fatalf("download through the link: %q %v", got, err)
			}
			_, _, _, err = download(ctx, bobFiles, &filev1.DownloadFileRequest{Uri: listed.GetFiles()[0].GetPath()})
			wantCode(t, "second download", err, connect.CodeNotFound)
			_, err = guest.GetShareLinkInfo(ctx, &sharev1.GetShareLinkInfoRequest{Id: id, Password: "pw123"})
			wantCode(t, "exhausted link", err, connect.CodeNotFound)

			edited := of(owner.EditShareLink(ctx, &sharev1.EditShareLinkRequest{Id: id, Uri: uri, ShowReadme: true})).ok(t, "edit")
			if edited.GetUrl() != created.GetUrl() {
				t.Errorf("edit changed the link: %v", edited)
			}
			again := of(guest.GetShareLinkInfo(ctx, &sharev1.GetShareLinkInfoRequest{Id: id, Password: "pw123"})).ok(t, "info after edit").GetShare()
			if again.RemainDownloads != nil || again.GetExpires() != nil || !again.GetShowReadme() || again.GetDownloaded() != 1 {
				t.Errorf("edited link %v", again)
			}
			_, err = owner.EditShareLink(ctx, &sharev1.EditShareLinkRequest{Id: id, Uri: "cloudreve://my"})
			wantCode(t, "edit with another file", err, connect.CodeNotFound)

			list := of(owner.ListMyShareLinks(ctx, &sharev1.ListMyShareLinksRequest{PageSize: 10})).ok(t, "list")
			found := false
			for _, s := range list.GetShares() {
				if s.GetId() == id {
					found = s.GetPassword() == "pw123" && s.GetIsPrivate()
				}
			}
			if !found {
				t.Errorf("my links %v", list.GetShares())
			}
			bobLinks := of(shareClient(e.f, append(p.opts, withToken(bob.Token))...).ListMyShareLinks(ctx, &sharev1.ListMyShareLinksRequest{PageSize: 10})).ok(t, "bob's links")
			if len(bobLinks.GetShares()) != 0 {
				t.Errorf("bob's links %v", bobLinks.GetShares())
			}
			_, err = shareClient(e.f, append(p.opts, withToken(bob.Token))...).DeleteShareLink(ctx, &sharev1.DeleteShareLinkRequest{Id: id})
			wantCode(t, "bob deletes alice's link", err, connect.CodeNotFound)
			of(owner.DeleteShareLink(ctx, &sharev1.DeleteShareLinkRequest{Id: id})).ok(t, "delete")
			_, err = guest.GetShareLinkInfo(ctx, &sharev1.GetShareLinkInfoRequest{Id: id})
			wantCode(t, "deleted link", err, connect.CodeNotFound)
		})
	}

	// A link that expires by time: gone once its second has passed.
	owner := shareClient(e.f, withToken(e.alice.Token))
	e.up.putFile(t, e.alice, "cloudreve://my/brief.txt", "brief")
	brief := of(owner.CreateShareLink(ctx, &sharev1.CreateShareLinkRequest{Uri: "cloudreve://my/brief.txt", Expire: durationpb.New(time.Second)})).ok(t, "create")
	eventually(t, 15*time.Second, "the link to expire", func() bool {
		_, err := owner.GetShareLinkInfo(ctx, &sharev1.GetShareLinkInfoRequest{Id: brief.GetId()})
		return connect.CodeOf(err) == connect.CodeNotFound
	})
	list := of(owner.ListMyShareLinks(ctx, &sharev1.ListMyShareLinksRequest{PageSize: 10})).ok(t, "list")
	for _, s := range list.GetShares() {
		if s.GetId() == brief.GetId() && !s.GetExpired() {
			t.Errorf("expired link listed as live: %v", s)
		}
	}
	_, err := owner.ListMyShareLinks(ctx, &sharev1.ListMyShareLinksRequest{PageSize: 5})
	wantCode(t, "page size below 10", err, connect.CodeInvalidArgument)
}

// A share link's download limit is spent when a download URL is handed out
// (as on 4.0.0 and 4.18.0), not when it is fetched: one DownloadFile spends
// one download however often its connection breaks and is resumed, and a
// ranged one spends one too. The resumed download goes on on the URL it
// has, even after the link ran out.
func TestShareDownloadSpendsOneDownload(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	bob := e.up.newAccount(t, "bob")
	ctx := context.Background()
	data := randomBytes(300_000, 7)
	uri := "cloudreve://my/limited.bin"
	if err := e.up.WriteFile(e.alice.ID, uri, data); err != nil {
		t.Fatal(err)
	}
	owner := shareClient(e.f, withToken(e.alice.Token))
	id := of(owner.CreateShareLink(ctx, &sharev1.CreateShareLinkRequest{Uri: uri, Downloads: 2})).ok(t, "create").GetId()
	remain := func() (int32, int32) {
		s := of(owner.GetShareLinkInfo(ctx, &sharev1.GetShareLinkInfoRequest{Id: id})).ok(t, "info").GetShare()
		return s.GetRemainDownloads(), s.GetDownloaded()
	}
	bobFiles := fileClient(e.f, withToken(bob.Token))
	shared := "cloudreve://" + id + "@share/limited.bin"

	e.up.cutContent.Store(2) // the first two connections break
	gets := e.up.contentGets.Load()
	got, _, sum, err := download(ctx, bobFiles, &filev1.DownloadFileRequest{Uri: shared})
	if err != nil || !bytes.Equal(got, data) || sum != hexSHA(data) {
		t.Fatalf("resumed download: %d bytes, %v", len(got), err)
	}
	if n := e.up.contentGets.Load() - gets; n != 3 {
		t.Errorf("%d content requests, want 3 (two broken, one resumed to the end)", n)
	}
	if left, done := remain(); left != 1 || done != 1 {
		t.Errorf("after a resumed download: %d left, %d downloaded; want 1 and 1", left, done)
	}

	// A range spends a download as well; this one is the link's last, and
	// its resumption after the link ran out still works.
	e.up.cutContent.Store(1)
	part, info, _, err := download(ctx, bobFiles, &filev1.DownloadFileRequest{Uri: shared, Offset: 1000, Length: 100_000})
	if err != nil || !bytes.Equal(part, data[1000:101_000]) || info.GetOffset() != 1000 {
		t.Fatalf("ranged download: %d bytes, %v", len(part), err)
	}
	_, _, _, err = download(ctx, bobFiles, &filev1.DownloadFileRequest{Uri: shared})
	wantCode(t, "download of a spent link", err, connect.CodeNotFound)
}

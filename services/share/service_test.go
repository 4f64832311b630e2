package share

import (
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	sharev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/share/v1"
	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/sandbox/sandboxtest"
)

// Every release gives the same share info: password_protected (which 4.0.0
// does not send) and a URL without the password for callers who did not
// unlock the link (4.0.0 puts it there for everybody).
func TestShareInfoIsTheSameOnEveryRelease(t *testing.T) {
	for _, release := range sandboxtest.Releases {
		t.Run(release, func(t *testing.T) {
			up := sandboxtest.Start(t, sandbox.Options{Version: release})
			owner := up.NewAccount(t, "sam")
			versions := up.Versions(t)
			s := New(owner.Client, versions)
			anonymous, err := cloudreveapi.NewClient(up.APIURL)
			if err != nil {
				t.Fatal(err)
			}
			guest := New(anonymous, versions)
			ctx := context.Background()
			if err := up.WriteFile(owner.ID, "cloudreve://my/report.txt", []byte("figures")); err != nil {
				t.Fatal(err)
			}

			private, err := s.CreateShareLink(ctx, &sharev1.CreateShareLinkRequest{Uri: "cloudreve://my/report.txt", IsPrivate: true, Password: "s3cret"})
			if err != nil {
				t.Fatal(err)
			}
			public, err := s.CreateShareLink(ctx, &sharev1.CreateShareLinkRequest{Uri: "cloudreve://my/report.txt"})
			if err != nil {
				t.Fatal(err)
			}

			locked, err := guest.GetShareLinkInfo(ctx, &sharev1.GetShareLinkInfoRequest{Id: private.GetId()})
			if err != nil {
				t.Fatal(err)
			}
			if sh := locked.GetShare(); !sh.GetPasswordProtected() || sh.GetUnlocked() || sh.GetPassword() != "" || strings.Contains(sh.GetUrl(), "s3cret") {
				t.Errorf("locked: %v", sh)
			}
			unlocked, err := guest.GetShareLinkInfo(ctx, &sharev1.GetShareLinkInfoRequest{Id: private.GetId(), Password: "s3cret"})
			if err != nil {
				t.Fatal(err)
			}
			if sh := unlocked.GetShare(); !sh.GetPasswordProtected() || !sh.GetUnlocked() || sh.GetPassword() != "s3cret" {
				t.Errorf("unlocked: %v", sh)
			}
			open, err := guest.GetShareLinkInfo(ctx, &sharev1.GetShareLinkInfoRequest{Id: public.GetId()})
			if err != nil {
				t.Fatal(err)
			}
			if sh := open.GetShare(); sh.GetPasswordProtected() || !sh.GetUnlocked() {
				t.Errorf("public: %v", sh)
			}
			mine, err := s.ListMyShareLinks(ctx, &sharev1.ListMyShareLinksRequest{PageSize: 10})
			if err != nil {
				t.Fatal(err)
			}
			for _, sh := range mine.GetShares() {
				if sh.GetPasswordProtected() != (sh.GetId() == private.GetId()) {
					t.Errorf("listed: %v", sh)
				}
			}
		})
	}
}

// show_readme is honoured from 4.2.0: on 4.0.0 the facade refuses it
// rather than create a link without it.
func TestShowReadmeNeedsARecentUpstream(t *testing.T) {
	for _, release := range sandboxtest.Releases {
		t.Run(release, func(t *testing.T) {
			up := sandboxtest.Start(t, sandbox.Options{Version: release})
			owner := up.NewAccount(t, "rex")
			s := New(owner.Client, up.Versions(t))
			ctx := context.Background()
			if err := up.WriteFile(owner.ID, "cloudreve://my/docs/README.md", []byte("# hi")); err != nil {
				t.Fatal(err)
			}
			_, err := s.CreateShareLink(ctx, &sharev1.CreateShareLinkRequest{Uri: "cloudreve://my/docs", ShowReadme: true})
			if release == sandbox.Version40 {
				if connect.CodeOf(err) != connect.CodeFailedPrecondition || !strings.Contains(err.Error(), "show_readme") {
					t.Fatalf("want FailedPrecondition naming show_readme, got %v", err)
				}
				mine, err := s.ListMyShareLinks(ctx, &sharev1.ListMyShareLinksRequest{PageSize: 10})
				if err != nil || len(mine.GetShares()) != 0 {
					t.Fatalf("a link was created anyway: %v %v", mine, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

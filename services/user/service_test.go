package user

import (
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect/v2"

	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/sandbox/sandboxtest"
)

// share_links_in_profile is honoured from 4.5.0: on 4.0.0 the facade
// refuses it instead of answering success for a setting that did not change.
func TestShareLinksInProfileNeedsARecentUpstream(t *testing.T) {
	for _, release := range sandboxtest.Releases {
		t.Run(release, func(t *testing.T) {
			up := sandboxtest.Start(t, sandbox.Options{Version: release})
			s := New(up.NewAccount(t, "una").Client, up.Versions(t))
			ctx := context.Background()
			_, err := s.UpdatePreferenceSetting(ctx, &userv1.UpdatePreferenceSettingRequest{
				ShareLinksInProfile: userv1.ShareLinksInProfile_SHARE_LINKS_IN_PROFILE_HIDE_SHARE,
			})
			if release == sandbox.Version40 {
				if connect.CodeOf(err) != connect.CodeFailedPrecondition || !strings.Contains(err.Error(), "share_links_in_profile") {
					t.Fatalf("want FailedPrecondition naming share_links_in_profile, got %v", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			// Other settings go through on every release.
			nick := "Una B."
			if _, err := s.UpdatePreferenceSetting(ctx, &userv1.UpdatePreferenceSettingRequest{Nick: &nick}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

package session

import (
	"context"
	"slices"
	"testing"

	sessionv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/servicetest"
	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/sandbox/sandboxtest"
)

// A signed-in caller's group comes with its permissions decoded beside the
// raw boolset: on the sandbox, as on fresh real 4.0.0 and 4.18.0 servers,
// the Admin group's eleven and the User group's three.
func TestGroupPermissionsDecoded(t *testing.T) {
	t.Parallel()
	up := sandboxtest.Start(t, sandbox.Options{})
	if _, err := up.CreateUser("root@example.com", "password-root", "Root"); err != nil { // the first account is the admin
		t.Fatal(err)
	}
	if _, err := up.CreateUser("plain@example.com", "password-plain", "Plain"); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		group string
		perms []userv1.GroupPermission
	}{
		"root@example.com": {"Admin", []userv1.GroupPermission{
			userv1.GroupPermission_GROUP_PERMISSION_IS_ADMIN, userv1.GroupPermission_GROUP_PERMISSION_SHARE,
			userv1.GroupPermission_GROUP_PERMISSION_WEBDAV, userv1.GroupPermission_GROUP_PERMISSION_ARCHIVE_DOWNLOAD,
			userv1.GroupPermission_GROUP_PERMISSION_ARCHIVE_TASK, userv1.GroupPermission_GROUP_PERMISSION_WEBDAV_PROXY,
			userv1.GroupPermission_GROUP_PERMISSION_SHARE_DOWNLOAD, userv1.GroupPermission_GROUP_PERMISSION_REMOTE_DOWNLOAD,
			userv1.GroupPermission_GROUP_PERMISSION_REDIRECTED_SOURCE, userv1.GroupPermission_GROUP_PERMISSION_ADVANCE_DELETE,
			userv1.GroupPermission_GROUP_PERMISSION_IGNORE_FILE_OWNERSHIP,
		}},
		"plain@example.com": {"User", []userv1.GroupPermission{
			userv1.GroupPermission_GROUP_PERMISSION_SHARE, userv1.GroupPermission_GROUP_PERMISSION_SHARE_DOWNLOAD,
			userv1.GroupPermission_GROUP_PERMISSION_REDIRECTED_SOURCE,
		}},
	}
	for _, p := range servicetest.Protocols {
		c := serve(t, anonymous(t, up), p)
		for email, w := range want {
			in, err := c.PasswordSignIn(context.Background(), &sessionv1.PasswordSignInRequest{Email: email, Password: "password-" + email[:len(email)-len("@example.com")]})
			if err != nil {
				t.Fatalf("%s: %v", p.Name, err)
			}
			g := in.GetLogin().GetUser().GetGroup()
			if g.GetName() != w.group || !slices.Equal(g.GetPermissions(), w.perms) || len(g.GetOtherPermissionBits()) != 0 || g.GetPermission() == "" {
				t.Errorf("%s %s: group %v, want %s with %v", p.Name, email, g, w.group, w.perms)
			}
		}
	}
}

package users

import (
	"slices"
	"testing"

	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
)

// The enum follows the real server's GroupPermission constants
// (inventory/types/types.go, iota order, the same in 4.0.0 and 4.18.0):
// each named bit decodes to the constant of that position, the commercial
// edition's placeholders (8, 10, 13, 14, 15) stay unnamed.
func TestPermissionBitsFollowTheServer(t *testing.T) {
	server := []string{"IsAdmin", "IsAnonymous", "Share", "WebDAV", "ArchiveDownload", "ArchiveTask", "WebDAVProxy",
		"ShareDownload", "", "RemoteDownload", "", "RedirectedSource", "AdvanceDelete", "", "", "", "IgnoreFileOwnership",
		"UniqueRedirectDirectLink"}
	for bit, name := range server {
		p, named := Permission(bit)
		if named != (name != "") {
			t.Errorf("bit %d: named=%v, the server's constant is %q", bit, named, name)
			continue
		}
		if named && PermissionBit(p) != bit {
			t.Errorf("bit %d decodes to %v, whose bit is %d", bit, p, PermissionBit(p))
		}
	}
	if len(userv1.GroupPermission_name)-1 != 13 {
		t.Errorf("%d named permissions, the server names 13", len(userv1.GroupPermission_name)-1)
	}
}

// A raw value with bits the enum does not name keeps them apart; a
// malformed one decodes to nothing.
func TestPermissionsDecode(t *testing.T) {
	raw := EncodePermissions(userv1.GroupPermission_GROUP_PERMISSION_SHARE, userv1.GroupPermission_GROUP_PERMISSION_UNIQUE_REDIRECT_DIRECT_LINK)
	named, other := Permissions(raw)
	if !slices.Equal(named, []userv1.GroupPermission{userv1.GroupPermission_GROUP_PERMISSION_SHARE, userv1.GroupPermission_GROUP_PERMISSION_UNIQUE_REDIRECT_DIRECT_LINK}) || other != nil {
		t.Errorf("%q: %v %v", raw, named, other)
	}
	named, other = Permissions("IAE=") // bits 5 and 8: archive task and a commercial placeholder
	if !slices.Equal(named, []userv1.GroupPermission{userv1.GroupPermission_GROUP_PERMISSION_ARCHIVE_TASK}) || !slices.Equal(other, []uint32{8}) {
		t.Errorf("IAE=: %v %v", named, other)
	}
	if named, other := Permissions("%%"); named != nil || other != nil {
		t.Errorf("malformed: %v %v", named, other)
	}
}

package users

import (
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/boolset"
)

// A GroupPermission's number is its bit position plus one (see the enum's
// comment), so the bit order lives in the proto alone.

// Permission is the named permission at a bit position, and false for a bit
// the contract does not name.
func Permission(bit int) (userv1.GroupPermission, bool) {
	p := userv1.GroupPermission(bit + 1)
	_, named := userv1.GroupPermission_name[int32(p)]
	return p, named && bit >= 0
}

// PermissionBit is the bit position of a named permission.
func PermissionBit(p userv1.GroupPermission) int { return int(p) - 1 }

// Permissions decodes a group's permission boolset into the named
// permissions and the positions of the other set bits, both in bit order.
// A malformed value decodes to nothing (the raw value still reaches the
// caller).
func Permissions(raw string) (named []userv1.GroupPermission, other []uint32) {
	set, err := boolset.Decode(raw)
	if err != nil {
		return nil, nil
	}
	for _, bit := range set.Bits() {
		if p, ok := Permission(bit); ok {
			named = append(named, p)
		} else {
			other = append(other, uint32(bit))
		}
	}
	return named, other
}

// EncodePermissions is the boolset that grants exactly the given
// permissions.
func EncodePermissions(perms ...userv1.GroupPermission) string {
	bits := make([]int, len(perms))
	for i, p := range perms {
		bits[i] = PermissionBit(p)
	}
	return boolset.Encode(bits...)
}

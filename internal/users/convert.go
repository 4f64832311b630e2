// Package users converts the upstream's account records (users, groups,
// passkeys) into their protobuf messages, once for every service that
// returns them (session, site, user).
package users

import (
	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/values"
)

var statuses = map[cloudreveapi.UserStatus]userv1.UserStatus{
	cloudreveapi.Active:       userv1.UserStatus_USER_STATUS_ACTIVE,
	cloudreveapi.Inactive:     userv1.UserStatus_USER_STATUS_INACTIVE,
	cloudreveapi.ManualBanned: userv1.UserStatus_USER_STATUS_MANUAL_BANNED,
	cloudreveapi.SysBanned:    userv1.UserStatus_USER_STATUS_SYS_BANNED,
}

var avatars = map[cloudreveapi.UserAvatarSource]userv1.AvatarSource{
	cloudreveapi.UserAvatarSourceNone:     userv1.AvatarSource_AVATAR_SOURCE_NONE,
	cloudreveapi.UserAvatarSourceFile:     userv1.AvatarSource_AVATAR_SOURCE_FILE,
	cloudreveapi.UserAvatarSourceGravatar: userv1.AvatarSource_AVATAR_SOURCE_GRAVATAR,
}

var shareLevels = map[cloudreveapi.ShareLinksInProfileLevel]userv1.ShareLinksInProfile{
	cloudreveapi.PublicOnly: userv1.ShareLinksInProfile_SHARE_LINKS_IN_PROFILE_PUBLIC_ONLY,
	cloudreveapi.AllShare:   userv1.ShareLinksInProfile_SHARE_LINKS_IN_PROFILE_ALL_SHARE,
	cloudreveapi.HideShare:  userv1.ShareLinksInProfile_SHARE_LINKS_IN_PROFILE_HIDE_SHARE,
}

// ShareLevel is the upstream value of a profile share visibility, and false
// for UNSPECIFIED.
func ShareLevel(l userv1.ShareLinksInProfile) (cloudreveapi.ShareLinksInProfileLevel, bool) {
	for k, v := range shareLevels {
		if v == l {
			return k, true
		}
	}
	return "", false
}

// FromShareLevel converts a profile share visibility.
func FromShareLevel(l cloudreveapi.ShareLinksInProfileLevel) userv1.ShareLinksInProfile {
	return shareLevels[l]
}

// FromUser converts a full or redacted user; nil stays nil.
func FromUser(u *cloudreveapi.User) *userv1.User {
	if u == nil {
		return nil
	}
	out := &userv1.User{
		Id:              u.Id,
		Email:           values.Deref(u.Email),
		Nickname:        u.Nickname,
		CreatedAt:       values.Timestamp(u.CreatedAt),
		PreferredTheme:  values.Deref(u.PreferredTheme),
		Anonymous:       values.Deref(u.Anonymous),
		Group:           FromGroup(u.Group),
		Language:        values.Deref(u.Language),
		DisableViewSync: values.Deref(u.DisableViewSync),
		Credit:          u.Credit,
	}
	if u.Status != nil {
		out.Status = statuses[*u.Status]
	}
	if u.Avatar != nil {
		out.Avatar = avatars[*u.Avatar]
	}
	if u.ShareLinksInProfile != nil {
		out.ShareLinksInProfile = shareLevels[*u.ShareLinksInProfile]
	}
	if u.Pined != nil {
		for _, p := range *u.Pined {
			out.Pined = append(out.Pined, &userv1.PinnedFile{Uri: p.Uri, Name: values.Deref(p.Name)})
		}
	}
	return out
}

// FromGroup converts a group; nil stays nil.
func FromGroup(g *cloudreveapi.Group) *userv1.Group {
	if g == nil {
		return nil
	}
	out := &userv1.Group{
		Id: g.Id, Name: g.Name, Permission: values.Deref(g.Permission),
		DirectLinkBatchSize: int32(values.Deref(g.DirectLinkBatchSize)), TrashRetention: int64(values.Deref(g.TrashRetention)),
	}
	out.Permissions, out.OtherPermissionBits = Permissions(out.Permission)
	return out
}

// FromPasskey converts a passkey.
func FromPasskey(p cloudreveapi.Passkey) *userv1.Passkey {
	out := &userv1.Passkey{Id: p.Id, Name: p.Name, CreatedAt: values.Timestamp(p.CreatedAt)}
	if p.UsedAt != nil {
		out.UsedAt = values.Timestamp(*p.UsedAt)
	}
	return out
}

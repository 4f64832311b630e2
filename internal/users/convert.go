// Package users converts the upstream's account records (users, groups,
// passkeys) into their protobuf messages, once for every service that
// returns them (session, site, user).
package users

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
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
		Email:           deref(u.Email),
		Nickname:        u.Nickname,
		CreatedAt:       Timestamp(u.CreatedAt),
		PreferredTheme:  deref(u.PreferredTheme),
		Anonymous:       deref(u.Anonymous),
		Group:           FromGroup(u.Group),
		Language:        deref(u.Language),
		DisableViewSync: deref(u.DisableViewSync),
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
			out.Pined = append(out.Pined, &userv1.PinnedFile{Uri: p.Uri, Name: deref(p.Name)})
		}
	}
	return out
}

// FromGroup converts a group; nil stays nil.
func FromGroup(g *cloudreveapi.Group) *userv1.Group {
	if g == nil {
		return nil
	}
	return &userv1.Group{
		Id: g.Id, Name: g.Name, Permission: deref(g.Permission),
		DirectLinkBatchSize: int32(deref(g.DirectLinkBatchSize)), TrashRetention: int64(deref(g.TrashRetention)),
	}
}

// FromPasskey converts a passkey.
func FromPasskey(p cloudreveapi.Passkey) *userv1.Passkey {
	out := &userv1.Passkey{Id: p.Id, Name: p.Name, CreatedAt: Timestamp(p.CreatedAt)}
	if p.UsedAt != nil {
		out.UsedAt = Timestamp(*p.UsedAt)
	}
	return out
}

// Timestamp converts a time; the zero time becomes nil.
func Timestamp(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

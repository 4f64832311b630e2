package sandbox

import (
	"context"
	"sort"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/boolset"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Share links: the /share operations, and the "share" filesystem that opens
// a link's content (cloudreve://<id>[:<password>]@share/<path>).

var capShare = boolset.Encode(7, 9, 10, 15, 19, 20, 23, 24)

func errShareGone() *apiError { return fail(upstream.CodeNotFound, "Shared file does not exist") }

// shareLink is the public URL of a link, with its password when given.
func shareLink(base string, sh shareLinkView, withPassword bool) string {
	out := base + "/s/" + sh.hid
	if withPassword && sh.password != "" {
		out += "/" + sh.password
	}
	return out
}

// shareJSON renders a link for requester (nil = guest), the way the real
// server redacts it: content fields only when unlocked, settings only for
// the owner.
func (s *cloudreve) shareJSON(base string, sh shareLinkView, requester *user, unlocked bool) cloudreveapi.Share {
	typ := cloudreveapi.ShareSourceType(cloudreveapi.FileTypeFile)
	if sh.folder {
		typ = cloudreveapi.ShareSourceType(cloudreveapi.FileTypeFolder)
	}
	owner := cloudreveapi.User{Id: sh.owner.hid, Nickname: sh.owner.nickname, CreatedAt: sh.owner.created}
	if requester != nil {
		owner.Email = values.Ptr(sh.owner.email)
	}
	out := cloudreveapi.Share{
		Id: sh.hid, Name: values.Ptr(sh.name), Unlocked: unlocked, Owner: owner,
		Expired: sh.expired, Url: shareLink(base, sh, unlocked), CreatedAt: sh.created,
		Visited: sh.views, SourceType: typ,
	}
	// Before 4.5.0 the URL carried the password for every caller, and no
	// field said whether there was one.
	modern := s.has(upstream.FeatureSharePasswordProtected)
	if modern {
		out.PasswordProtected = values.Ptr(sh.password != "")
	} else {
		out.Url = shareLink(base, sh, true)
	}
	if unlocked {
		out.RemainDownloads = sh.remain
		out.Downloaded = values.Ptr(sh.downloads)
		out.Expires = sh.expires
		if sh.password != "" {
			out.Password = values.Ptr(sh.password)
		}
		if s.has(upstream.FeatureShareShowReadme) {
			out.ShowReadme = values.Ptr(sh.readme)
		}
		// 4.0.0 has no size field; the generated model always writes one,
		// so it stays 0 there.
		if !sh.folder && s.has(upstream.FeatureShareSize) {
			out.Size = sh.size
		}
	}
	if requester == sh.owner {
		out.IsPrivate = values.Ptr(sh.password != "")
		out.ShareView = values.Ptr(sh.shareView)
	}
	return out
}

// CreateShareLink is PUT /share: it answers with the link URL only.
func (s *cloudreve) CreateShareLink(ctx context.Context, req cloudreveapi.CreateShareLinkRequestObject) (cloudreveapi.CreateShareLinkResponseObject, error) {
	sh, aerr := s.saveShare(ctx, req.Body, "")
	if aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.CreateShareLink200JSONResponse{Data: values.Ptr(shareLink(baseURL(request(ctx)), sh, true))}, nil
}

// EditShareLink is POST /share/{id}: limits, expiry and view flags are
// replaced; the password stays.
func (s *cloudreve) EditShareLink(ctx context.Context, req cloudreveapi.EditShareLinkRequestObject) (cloudreveapi.EditShareLinkResponseObject, error) {
	if !s.store.hasShare(req.Id) {
		return nil, fail(upstream.CodeNotFound, "failed to get existed share")
	}
	sh, aerr := s.saveShare(ctx, req.Body, req.Id)
	if aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.EditShareLink200JSONResponse{Data: values.Ptr(shareLink(baseURL(request(ctx)), sh, true))}, nil
}

// saveShare creates a link, or edits the link editHID.
func (s *cloudreve) saveShare(ctx context.Context, b *cloudreveapi.ShareCreateService, editHID string) (shareLinkView, *apiError) {
	switch {
	case b.Uri == "":
		return shareLinkView{}, bindErr("Uri cannot be empty")
	case b.Password != nil && len(*b.Password) > 32:
		return shareLinkView{}, bindErr("Password too long")
	case b.Password != nil && !isAlphanumeric(*b.Password):
		return shareLinkView{}, bindErr("Password must be alphanumeric")
	}
	u := caller(ctx)
	if !u.can(userv1.GroupPermission_GROUP_PERMISSION_SHARE) {
		return shareLinkView{}, fail(upstream.CodeGroupNotAllowed, "Group permission denied")
	}
	p, aerr := parseURI(b.Uri)
	if aerr != nil {
		return shareLinkView{}, aerr
	}
	return s.store.saveShare(u, p, editHID, shareSettings{
		private: values.Deref(b.IsPrivate), password: values.Deref(b.Password),
		downloads: values.Deref(b.Downloads), expire: values.Deref(b.Expire),
		shareView: values.Deref(b.ShareView),
		readme:    values.Deref(b.ShowReadme) && s.has(upstream.FeatureShareShowReadme),
	})
}

// GetShareLinkInfo is GET /share/info/{id}. A wrong password is no error:
// the link just stays locked.
func (s *cloudreve) GetShareLinkInfo(ctx context.Context, req cloudreveapi.GetShareLinkInfoRequestObject) (cloudreveapi.GetShareLinkInfoResponseObject, error) {
	u := caller(ctx)
	q := req.Params
	sh, aerr := s.store.visitShare(req.Id, values.Deref(q.CountViews))
	if aerr != nil {
		return nil, aerr
	}
	unlocked := sh.password == "" || values.Deref(q.Password) == sh.password || u == sh.owner
	out := s.shareJSON(baseURL(request(ctx)), sh, u, unlocked)
	if q.OwnerExtended != nil && *q.OwnerExtended && u == sh.owner {
		out.SourceUri = values.Ptr(sh.sourceURI)
	}
	return cloudreveapi.GetShareLinkInfo200JSONResponse{Data: &out}, nil
}

// shareCursor is the opaque next_page_token of ListMyShareLinks: the cursor
// always follows ids, whatever the order, as on the real server.
type shareCursor struct {
	After int64 `json:"after"`
}

// ListMyShareLinks is GET /share.
func (s *cloudreve) ListMyShareLinks(ctx context.Context, req cloudreveapi.ListMyShareLinksRequestObject) (cloudreveapi.ListMyShareLinksResponseObject, error) {
	q := req.Params
	if q.PageSize < 10 {
		return nil, bindErr("PageSize must be at least 10")
	}
	if q.PageSize > 100 {
		return nil, bindErr("PageSize must be at most 100")
	}
	var cur shareCursor
	if q.NextPageToken != nil && *q.NextPageToken != "" && !decodeCursor(*q.NextPageToken, &cur) {
		return nil, fail(upstream.CodeParamError, "Invalid next page token")
	}
	u := caller(ctx)
	mine := s.store.shareViews(func(sh *share) bool { return sh.owner == u && sh.id > cur.After })
	page := mine[:min(q.PageSize, len(mine))]
	out := cloudreveapi.ListShareResponse{Pagination: cloudreveapi.PaginationResults{PageSize: q.PageSize, IsCursor: values.Ptr(true)}}
	if len(mine) > len(page) {
		out.Pagination.NextToken = values.Ptr(encodeCursor(shareCursor{After: page[len(page)-1].id}))
	}
	sortShares(page, q.OrderBy, q.OrderDirection)
	if len(page) > 0 {
		list := make([]cloudreveapi.Share, 0, len(page))
		base := baseURL(request(ctx))
		for _, sh := range page {
			js := s.shareJSON(base, sh, u, true)
			if !sh.valid {
				js.Expired = true
			}
			if sh.trashed {
				// Named after where it was deleted from, like the real server.
				if p, err := parseURI(sh.restoreURI); err == nil {
					js.Name = values.Ptr(p.name())
				}
			}
			list = append(list, js)
		}
		out.Shares = &list
	}
	return cloudreveapi.ListMyShareLinks200JSONResponse{Data: &out}, nil
}

func sortShares(list []shareLinkView, by *cloudreveapi.ListMyShareLinksParamsOrderBy, dir *cloudreveapi.ListMyShareLinksParamsOrderDirection) {
	key := func(sh shareLinkView) int64 { return sh.id }
	if by != nil {
		switch *by {
		case "views":
			key = func(sh shareLinkView) int64 { return int64(sh.views) }
		case "downloads":
			key = func(sh shareLinkView) int64 { return int64(sh.downloads) }
		case "remain_downloads":
			key = func(sh shareLinkView) int64 {
				if sh.remain == nil {
					return -1
				}
				return int64(*sh.remain)
			}
		}
	}
	desc := dir != nil && *dir == "desc"
	sort.SliceStable(list, func(i, j int) bool {
		if desc {
			return key(list[i]) > key(list[j])
		}
		return key(list[i]) < key(list[j])
	})
}

// DeleteShareLink is DELETE /share/{id}: the owner's own links, or any for
// an administrator.
func (s *cloudreve) DeleteShareLink(ctx context.Context, req cloudreveapi.DeleteShareLinkRequestObject) (cloudreveapi.DeleteShareLinkResponseObject, error) {
	u := caller(ctx)
	if aerr := s.store.deleteShare(u, req.Id); aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.DeleteShareLink200JSONResponse{}, nil
}

// fileJSON renders a node reached through a share for requester.
func (s *cloudreve) shareFileJSON(f fileView, requester *user) cloudreveapi.FileResponse {
	out := s.fileJSON(f)
	out.Owned = values.Ptr(requester == f.owner)
	c := capShare
	out.Capability = &c
	return out
}

func isAlphanumeric(s string) bool {
	for _, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

func randomLowercase(n int) string {
	b := randomBytes(n)
	for i := range b {
		b[i] = 'a' + b[i]%26
	}
	return string(b)
}

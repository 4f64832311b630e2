package sandbox

import (
	"context"
	"net/url"
	"sort"
	"time"

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
func shareLink(base string, sh *share, withPassword bool) string {
	out := base + "/s/" + sh.hid
	if withPassword && sh.password != "" {
		out += "/" + sh.password
	}
	return out
}

// shareJSON renders a link for requester (nil = guest), the way the real
// server redacts it: content fields only when unlocked, settings only for
// the owner.
func (s *cloudreve) shareJSON(base string, sh *share, requester *user, unlocked bool) cloudreveapi.Share {
	typ := cloudreveapi.ShareSourceType(cloudreveapi.FileTypeFile)
	if sh.node.folder {
		typ = cloudreveapi.ShareSourceType(cloudreveapi.FileTypeFolder)
	}
	owner := cloudreveapi.User{Id: sh.owner.hid, Nickname: sh.owner.nickname, CreatedAt: sh.owner.created}
	if requester != nil {
		owner.Email = values.Ptr(sh.owner.email)
	}
	out := cloudreveapi.Share{
		Id: sh.hid, Name: values.Ptr(sh.node.name), Unlocked: unlocked, Owner: owner,
		Expired: sh.expired(), Url: shareLink(base, sh, unlocked), CreatedAt: sh.created,
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
		if !sh.node.folder && s.has(upstream.FeatureShareSize) {
			out.Size = sh.node.size()
		}
	}
	if requester == sh.owner {
		out.IsPrivate = values.Ptr(sh.password != "")
		out.ShareView = values.Ptr(sh.shareView)
	}
	return out
}

// shareByHID finds a link. Callers hold mu.
func (s *cloudreve) shareByHID(hid string) (*share, *apiError) {
	id, ok := s.ids.decode(kindShare, hid)
	if !ok {
		return nil, fail(upstream.CodeParamError, "Failed to parse object ID")
	}
	sh := s.drive().shares[id]
	if sh == nil {
		return nil, fail(upstream.CodeNotFound, "Share not found")
	}
	return sh, nil
}

// CreateShareLink is PUT /share: it answers with the link URL only.
func (s *cloudreve) CreateShareLink(ctx context.Context, req cloudreveapi.CreateShareLinkRequestObject) (cloudreveapi.CreateShareLinkResponseObject, error) {
	sh, aerr := s.upsertShare(ctx, req.Body, nil)
	if aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.CreateShareLink200JSONResponse{Data: values.Ptr(shareLink(baseURL(request(ctx)), sh, true))}, nil
}

// EditShareLink is POST /share/{id}: limits, expiry and view flags are
// replaced; the password stays.
func (s *cloudreve) EditShareLink(ctx context.Context, req cloudreveapi.EditShareLinkRequestObject) (cloudreveapi.EditShareLinkResponseObject, error) {
	s.mu.Lock()
	existing, aerr := s.shareByHID(req.Id)
	s.mu.Unlock()
	if aerr != nil {
		return nil, fail(upstream.CodeNotFound, "failed to get existed share")
	}
	sh, aerr := s.upsertShare(ctx, req.Body, existing)
	if aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.EditShareLink200JSONResponse{Data: values.Ptr(shareLink(baseURL(request(ctx)), sh, true))}, nil
}

func (s *cloudreve) upsertShare(ctx context.Context, b *cloudreveapi.ShareCreateService, existing *share) (*share, *apiError) {
	switch {
	case b.Uri == "":
		return nil, bindErr("Uri cannot be empty")
	case b.Password != nil && len(*b.Password) > 32:
		return nil, bindErr("Password too long")
	case b.Password != nil && !isAlphanumeric(*b.Password):
		return nil, bindErr("Password must be alphanumeric")
	}
	u := caller(ctx)
	if !u.can(userv1.GroupPermission_GROUP_PERMISSION_SHARE) {
		return nil, fail(upstream.CodeGroupNotAllowed, "Group permission denied")
	}
	p, aerr := parseURI(b.Uri)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var n *fsNode
	if p.fs == "my" && (p.owner == "" || p.owner == u.hid) {
		n, aerr = s.lookup(u, p)
	} else {
		aerr = errNotSupported()
	}
	if aerr != nil || n == u.root {
		return nil, fail(upstream.CodeNotFound, "src file not found")
	}
	if _, ok := n.meta["sys:shared_redirect"]; ok {
		return nil, fail(upstream.CodeNoPermission, "cannot share symbolic file")
	}
	if existing != nil && existing.node != n {
		return nil, fail(upstream.CodeNotFound, "share link not found")
	}
	sh := existing
	if sh == nil {
		id, hid := s.nextID(kindShare)
		sh = &share{id: id, hid: hid, owner: u, node: n, created: time.Now()}
		if b.IsPrivate != nil && *b.IsPrivate {
			sh.password = values.Deref(b.Password)
			if sh.password == "" {
				sh.password = randomLowercase(8)
			}
		}
		s.drive().shares[id] = sh
		s.record(n, u, logShare, nil)
	}
	sh.remain, sh.expires = nil, nil
	if b.Downloads != nil && *b.Downloads > 0 {
		sh.remain = values.Ptr(*b.Downloads)
	}
	if b.Expire != nil && *b.Expire > 0 {
		sh.expires = values.Ptr(time.Now().Add(time.Duration(*b.Expire) * time.Second))
	}
	sh.shareView = b.ShareView != nil && *b.ShareView
	sh.readme = b.ShowReadme != nil && *b.ShowReadme && s.has(upstream.FeatureShareShowReadme)
	return sh, nil
}

// GetShareLinkInfo is GET /share/info/{id}. A wrong password is no error:
// the link just stays locked.
func (s *cloudreve) GetShareLinkInfo(ctx context.Context, req cloudreveapi.GetShareLinkInfoRequestObject) (cloudreveapi.GetShareLinkInfoResponseObject, error) {
	u := caller(ctx)
	q := req.Params
	s.mu.Lock()
	defer s.mu.Unlock()
	sh, aerr := s.shareByHID(req.Id)
	if aerr != nil {
		return nil, aerr
	}
	if !sh.valid() {
		return nil, fail(upstream.CodeNotFound, "Share link expired")
	}
	if q.CountViews != nil && *q.CountViews {
		sh.views++
	}
	unlocked := sh.password == "" || values.Deref(q.Password) == sh.password || u == sh.owner
	out := s.shareJSON(baseURL(request(ctx)), sh, u, unlocked)
	if q.OwnerExtended != nil && *q.OwnerExtended && u == sh.owner {
		out.SourceUri = values.Ptr(sh.node.uri())
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
	s.mu.Lock()
	defer s.mu.Unlock()
	var mine []*share
	for _, sh := range s.drive().shares {
		if sh.owner == u && sh.id > cur.After {
			mine = append(mine, sh)
		}
	}
	sort.Slice(mine, func(i, j int) bool { return mine[i].id < mine[j].id })
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
			if !sh.valid() {
				js.Expired = true
			}
			if sh.node.trashed {
				// Named after where it was deleted from, like the real server.
				if p, err := parseURI(sh.node.meta[metaRestoreURI]); err == nil {
					js.Name = values.Ptr(p.name())
				}
			}
			list = append(list, js)
		}
		out.Shares = &list
	}
	return cloudreveapi.ListMyShareLinks200JSONResponse{Data: &out}, nil
}

func sortShares(list []*share, by *cloudreveapi.ListMyShareLinksParamsOrderBy, dir *cloudreveapi.ListMyShareLinksParamsOrderDirection) {
	key := func(sh *share) int64 { return sh.id }
	if by != nil {
		switch *by {
		case "views":
			key = func(sh *share) int64 { return int64(sh.views) }
		case "downloads":
			key = func(sh *share) int64 { return int64(sh.downloads) }
		case "remain_downloads":
			key = func(sh *share) int64 {
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
	s.mu.Lock()
	defer s.mu.Unlock()
	sh, aerr := s.shareByHID(req.Id)
	if aerr != nil && aerr.code == upstream.CodeParamError {
		return nil, aerr
	}
	if aerr != nil || (sh.owner != u && !u.can(userv1.GroupPermission_GROUP_PERMISSION_IS_ADMIN)) {
		return nil, fail(upstream.CodeNotFound, "share not found")
	}
	delete(s.drive().shares, sh.id)
	return cloudreveapi.DeleteShareLink200JSONResponse{}, nil
}

// shareView is a node reached through a share link.
type shareView struct {
	share *share
	node  *fsNode
	root  string   // the link's root URI, as the caller wrote it
	rel   []string // the node's path below the root
}

// uri is how a visitor of the link addresses the node.
func (v *shareView) uri(n *fsNode, rel []string) string {
	out := v.root
	for _, e := range rel {
		out += "/" + url.PathEscape(e)
	}
	return out
}

// openShare resolves a share URI for u (nil for a guest). Callers hold mu.
func (s *cloudreve) openShare(u *user, p *fsURI) (*shareView, *apiError) {
	id, ok := s.ids.decode(kindShare, p.owner)
	if !ok {
		return nil, errShareGone()
	}
	sh := s.drive().shares[id]
	if sh == nil || !sh.valid() {
		return nil, errShareGone()
	}
	if sh.password != "" && sh.password != p.pass {
		return nil, fail(upstream.CodeIncorrectPassword, "Incorrect share password")
	}
	if u != nil && u != sh.owner && !u.can(userv1.GroupPermission_GROUP_PERMISSION_SHARE_DOWNLOAD) {
		return nil, fail(upstream.CodeNoPermission, "You don't have permission to access share links")
	}
	root := "cloudreve://" + p.owner
	if p.pass != "" {
		root += ":" + p.pass
	}
	root += "@share"
	v := &shareView{share: sh, root: root, rel: p.elems}
	if !sh.node.folder {
		// A single-file share: its root lists the file, named by itself.
		switch {
		case len(p.elems) == 0:
			v.node = sh.node.parent
		case len(p.elems) == 1 && p.elems[0] == sh.node.name:
			v.node = sh.node
		default:
			return nil, errPathNotExist()
		}
		return v, nil
	}
	n, aerr := descend(sh.node, p.elems)
	if aerr != nil {
		return nil, aerr
	}
	v.node = n
	return v, nil
}

// children lists what a share view's folder shows.
func (v *shareView) children() []*fsNode {
	if !v.share.node.folder {
		return []*fsNode{v.share.node}
	}
	return v.node.sortedChildren()
}

// fileJSON renders a node reached through a share for requester.
func (s *cloudreve) shareFileJSON(v *shareView, n *fsNode, rel []string, requester *user) cloudreveapi.FileResponse {
	out := s.fileJSON(n)
	out.Path = values.Ptr(v.uri(n, rel))
	out.Owned = values.Ptr(requester == n.owner)
	c := capShare
	out.Capability = &c
	return out
}

// shares is the number of share links that exist, for tests.
func (s *cloudreve) shares() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.drive().shares)
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

package sandbox

import (
	"net/url"
	"sort"
	"time"

	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// shareByHID finds a link. Callers hold mu.
func (st *store) shareByHID(hid string) (*share, *apiError) {
	id, ok := st.ids.decode(kindShare, hid)
	if !ok {
		return nil, fail(upstream.CodeParamError, "Failed to parse object ID")
	}
	sh := st.drive().shares[id]
	if sh == nil {
		return nil, fail(upstream.CodeNotFound, "Share not found")
	}
	return sh, nil
}

// shareVisit is a node reached through a share link.
type shareVisit struct {
	share *share
	node  *fsNode
	root  string   // the link's root URI, as the caller wrote it
	rel   []string // the node's path below the root
}

// uri is how a visitor of the link addresses the node.
func (v *shareVisit) uri(n *fsNode, rel []string) string {
	out := v.root
	for _, e := range rel {
		out += "/" + url.PathEscape(e)
	}
	return out
}

// openShare resolves a share URI for u (nil for a guest). Callers hold mu.
func (st *store) openShare(u *user, p *fsURI) (*shareVisit, *apiError) {
	id, ok := st.ids.decode(kindShare, p.owner)
	if !ok {
		return nil, errShareGone()
	}
	sh := st.drive().shares[id]
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
	v := &shareVisit{share: sh, root: root, rel: p.elems}
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
func (v *shareVisit) children() []*fsNode {
	if !v.share.node.folder {
		return []*fsNode{v.share.node}
	}
	return v.node.sortedChildren()
}

// shares is the number of share links that exist, for tests.
func (st *store) shares() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.drive().shares)
}

// shareSettings are what creating or editing a link sets.
type shareSettings struct {
	private   bool
	password  string // "" on a private link: a random one
	downloads int    // > 0: a limit
	expire    int    // seconds from now; > 0: an expiry
	shareView bool
	readme    bool
}

// hasShare reports whether a link exists.
func (st *store) hasShare(hid string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	_, aerr := st.shareByHID(hid)
	return aerr == nil
}

// saveShare creates a link to a file of u, or (editHID set) replaces the
// limits, expiry and view flags of u's existing link to it; the password
// of a link never changes.
func (st *store) saveShare(u *user, p *fsURI, editHID string, set shareSettings) (shareLinkView, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	var existing *share
	if editHID != "" {
		var aerr *apiError
		if existing, aerr = st.shareByHID(editHID); aerr != nil {
			return shareLinkView{}, fail(upstream.CodeNotFound, "failed to get existed share")
		}
	}
	var n *fsNode
	var aerr *apiError
	if p.fs == "my" && (p.owner == "" || p.owner == u.hid) {
		n, aerr = st.lookup(u, p)
	} else {
		aerr = errNotSupported()
	}
	if aerr != nil || n == u.root {
		return shareLinkView{}, fail(upstream.CodeNotFound, "src file not found")
	}
	if _, ok := n.meta["sys:shared_redirect"]; ok {
		return shareLinkView{}, fail(upstream.CodeNoPermission, "cannot share symbolic file")
	}
	if existing != nil && existing.node != n {
		return shareLinkView{}, fail(upstream.CodeNotFound, "share link not found")
	}
	sh := existing
	if sh == nil {
		id, hid := st.nextID(kindShare)
		sh = &share{id: id, hid: hid, owner: u, node: n, created: time.Now()}
		if set.private {
			sh.password = set.password
			if sh.password == "" {
				sh.password = randomLowercase(8)
			}
		}
		st.drive().shares[id] = sh
		st.record(n, u, logShare, nil)
	}
	sh.remain, sh.expires = nil, nil
	if set.downloads > 0 {
		sh.remain = values.Ptr(set.downloads)
	}
	if set.expire > 0 {
		sh.expires = values.Ptr(time.Now().Add(time.Duration(set.expire) * time.Second))
	}
	sh.shareView, sh.readme = set.shareView, set.readme
	return sh.view(), nil
}

// visitShare opens a valid link's information, counting a view when asked.
func (st *store) visitShare(hid string, countView bool) (shareLinkView, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	sh, aerr := st.shareByHID(hid)
	if aerr != nil {
		return shareLinkView{}, aerr
	}
	if !sh.valid() {
		return shareLinkView{}, fail(upstream.CodeNotFound, "Share link expired")
	}
	if countView {
		sh.views++
	}
	return sh.view(), nil
}

// shareViews lists the links that match, by id.
func (st *store) shareViews(match func(sh *share) bool) []shareLinkView {
	st.mu.Lock()
	defer st.mu.Unlock()
	var mine []*share
	for _, sh := range st.drive().shares {
		if match(sh) {
			mine = append(mine, sh)
		}
	}
	sort.Slice(mine, func(i, j int) bool { return mine[i].id < mine[j].id })
	out := make([]shareLinkView, len(mine))
	for i, sh := range mine {
		out[i] = sh.view()
	}
	return out
}

// deleteShare deletes a link of u, or any link for an administrator.
func (st *store) deleteShare(u *user, hid string) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	sh, aerr := st.shareByHID(hid)
	if aerr != nil && aerr.code == upstream.CodeParamError {
		return aerr
	}
	if aerr != nil || (sh.owner != u && !u.can(userv1.GroupPermission_GROUP_PERMISSION_IS_ADMIN)) {
		return fail(upstream.CodeNotFound, "share not found")
	}
	delete(st.drive().shares, sh.id)
	return nil
}

package sandbox

import (
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// top is the top-most ancestor of n: a root, or an item in the trash.
func top(n *fsNode) *fsNode {
	_, t := n.elems()
	return t
}

// isAncestor reports whether a is n or one of its ancestors.
func isAncestor(a, n *fsNode) bool {
	for c := n; c != nil; c = c.parent {
		if c == a {
			return true
		}
	}
	return false
}

// moveNode puts n into folder dst; a trashed item comes back to life.
// Callers hold mu.
func (st *store) moveNode(u *user, n, dst *fsNode) {
	if n.trashed {
		u.trash = removeNode(u.trash, n)
		n.trashed, n.trashName = false, ""
		delete(n.meta, metaRestoreURI)
		delete(n.meta, metaCollectTime)
	}
	detach(n)
	n.parent = dst
	dst.children[n.name] = n
	dst.updated = time.Now()
}

// copyNode copies n (and what is below it) into dst. Versions are shared
// blobs, as on the real server. Callers hold mu.
func (st *store) copyNode(u *user, n, dst *fsNode) *fsNode {
	c := st.newNode(u, dst, n.name, n.folder)
	for k, v := range n.meta {
		c.meta[k] = v
	}
	c.entity = n.entity
	c.versions = append([]*entity(nil), n.versions...)
	for _, child := range n.sortedChildren() {
		st.copyNode(u, child, c)
	}
	return c
}

func (st *store) restoreOne(u *user, raw, actor string) *apiError {
	p, aerr := myURI(u, raw)
	if aerr != nil {
		return aerr
	}
	if p.fs != "trash" {
		return errNotSupported()
	}
	n, aerr := st.lookup(u, p)
	if aerr != nil {
		return aerr
	}
	origin, aerr := parseURI(n.meta[metaRestoreURI])
	if aerr != nil || !n.trashed {
		return fail(upstream.CodeNoPermission, "cannot restore file without required metadata mark")
	}
	dst, aerr := descend(u.root, origin.elems[:max(len(origin.elems)-1, 0)])
	if aerr != nil {
		return aerr
	}
	if !dst.folder {
		return errNotSupported()
	}
	if _, taken := dst.children[n.name]; taken {
		return errObjectExists()
	}
	st.emitMoved(actor, n, dst)
	st.moveNode(u, n, dst)
	return nil
}

// moveFiles moves (or copies) files of u into the folder dstRaw. Items
// that cannot go are in the answer by URI; a lock or a name taken at the
// destination fails the whole call.
func (st *store) moveFiles(u *user, uris []string, dstRaw string, isCopy bool, actor string) (map[string]*apiError, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	dst, aerr := st.resolve(u, dstRaw)
	if aerr != nil {
		return nil, aerr
	}
	if !dst.folder || dst.trashed || top(dst) != u.root {
		return nil, errNotSupported()
	}
	agg := map[string]*apiError{}
	var targets []*fsNode
	for _, raw := range uris {
		p, aerr := myURI(u, raw)
		var n *fsNode
		if aerr == nil {
			n, aerr = st.lookup(u, p)
		}
		switch {
		case aerr != nil:
		case n == u.root:
			aerr = errNotSupported()
		case p.fs == "trash" && isCopy:
			aerr = errNotSupported()
		case n.folder && isAncestor(n, dst):
			aerr = fail(upstream.CodeNoPermission, "cannot move or copy folder to itself or its descendant")
		}
		if aerr != nil {
			agg[raw] = aerr
			continue
		}
		targets = append(targets, n)
	}
	for _, n := range targets {
		if n.locked() {
			return nil, errLockConflict(n)
		}
		if c, ok := dst.children[n.name]; ok && (c != n || isCopy) {
			return nil, errObjectExists()
		}
	}
	for _, n := range targets {
		if isCopy {
			c := st.copyNode(u, n, dst)
			st.emitCreated(actor, c)
			st.record(c, u, logCopyTo, func(e *cloudreveapi.LogEntry) { e.From, e.To = values.Ptr(n.uri()), values.Ptr(dst.uri()) })
			continue
		}
		from := n.uri()
		st.emitMoved(actor, n, dst)
		st.moveNode(u, n, dst)
		st.record(n, u, logMoveTo, func(e *cloudreveapi.LogEntry) { e.From, e.To = values.Ptr(from), values.Ptr(dst.uri()) })
	}
	return agg, nil
}

// renameFile renames a file of u in its folder.
func (st *store) renameFile(u *user, uri, newName, actor string) (fileView, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	n, aerr := st.resolve(u, uri)
	if aerr != nil {
		return fileView{}, aerr
	}
	if n == u.root || n.trashed || top(n) != u.root {
		return fileView{}, errNotSupported()
	}
	if aerr := validateName(newName); aerr != nil {
		return fileView{}, aerr
	}
	if n.locked() {
		return fileView{}, errLockConflict(n)
	}
	if newName != n.name {
		if _, taken := n.parent.children[newName]; taken {
			return fileView{}, errObjectExists()
		}
		old := n.name
		st.emitRenamed(actor, n, newName)
		delete(n.parent.children, n.name)
		n.name = newName
		n.parent.children[n.name] = n
		n.updated = time.Now()
		st.record(n, u, logFileRename, func(e *cloudreveapi.LogEntry) { e.OriginalName, e.NewName = values.Ptr(old), values.Ptr(n.name) })
	}
	return st.fileView(n), nil
}

// restoreFiles puts trash items of u back where they were deleted from;
// the answer has the failures by URI.
func (st *store) restoreFiles(u *user, uris []string, actor string) map[string]*apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	agg := map[string]*apiError{}
	for _, raw := range uris {
		if aerr := st.restoreOne(u, raw, actor); aerr != nil {
			agg[raw] = aerr
		}
	}
	return agg
}

// unlock ends the upload sessions of u that hold these lock tokens; one
// unknown token fails the call.
func (st *store) unlock(u *user, tokens []string) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	var found []*uploadSession
	for _, tok := range tokens {
		var us *uploadSession
		for _, c := range st.uploads {
			if c.lockToken == tok && c.owner == u && u != nil {
				us = c
			}
		}
		if us == nil {
			return fail(upstream.CodeParamError, "failed to unlock file")
		}
		found = append(found, us)
	}
	for _, us := range found {
		st.dropSession(us)
	}
	return nil
}

// metaPatch sets or removes one metadata key.
type metaPatch struct {
	key, value string
	remove     bool
}

// patchMetadata applies patches to files of u; the answer has the failures
// by URI.
func (st *store) patchMetadata(u *user, uris []string, patches []metaPatch) map[string]*apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	agg := map[string]*apiError{}
	for _, raw := range uris {
		n, aerr := st.resolve(u, raw)
		if aerr == nil && n.locked() {
			aerr = errLockConflict(n)
		}
		if aerr != nil {
			agg[raw] = aerr
			continue
		}
		for _, p := range patches {
			if p.remove {
				delete(n.meta, p.key)
			} else {
				n.meta[p.key] = p.value
			}
		}
		st.record(n, u, logUpdateMetadata, nil)
	}
	return agg
}

// setView stores (nil: forgets) the view setting of a folder of u, or of
// the root of one of u's filesystems other than my and share.
func (st *store) setView(u *user, p *fsURI, view *cloudreveapi.ExplorerView) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(p.elems) == 0 && p.fs != "my" {
		views := st.drive().fsViews
		if views[u.id] == nil {
			views[u.id] = map[string]cloudreveapi.ExplorerView{}
		}
		if view == nil {
			delete(views[u.id], p.fs)
		} else {
			views[u.id][p.fs] = *view
		}
		return nil
	}
	n, aerr := st.lookup(u, p)
	if aerr != nil {
		return aerr
	}
	if !n.folder {
		return errNotSupported()
	}
	n.view = view
	return nil
}

// pin adds a URI to the sidebar of u; pinning it again is no error unless
// the name differs.
func (st *store) pin(u *user, uri, name string) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	pins := st.drive().pins
	for _, p := range pins[u.id] {
		if p.Uri == uri {
			if values.Deref(p.Name) != name {
				return fail(upstream.CodeObjectExists, "uri already pinned with different name")
			}
			return nil
		}
	}
	pin := cloudreveapi.PinedFile{Uri: uri}
	if name != "" {
		pin.Name = values.Ptr(name)
	}
	pins[u.id] = append(pins[u.id], pin)
	return nil
}

// unpin takes every pin of a URI off the sidebar of u.
func (st *store) unpin(u *user, uri string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	pins := st.drive().pins
	kept := pins[u.id][:0]
	for _, p := range pins[u.id] {
		if p.Uri != uri {
			kept = append(kept, p)
		}
	}
	pins[u.id] = kept
}

// versionTarget resolves the file and the version of a version operation.
// Callers hold mu.
func (st *store) versionTarget(u *user, uri, version string) (*fsNode, *entity, *apiError) {
	if _, ok := st.ids.decode(kindEntity, version); !ok {
		return nil, nil, fail(upstream.CodeParamError, "unknown version id")
	}
	n, aerr := st.resolve(u, uri)
	if aerr != nil {
		return nil, nil, aerr
	}
	if n.folder || n.trashed {
		return nil, nil, errNotSupported()
	}
	if n.locked() {
		return nil, nil, errLockConflict(n)
	}
	for _, e := range n.versions {
		if e.hid == version {
			return n, e, nil
		}
	}
	return n, nil, fail(upstream.CodeEntityNotExist, "Entity not exist")
}

// setVersion makes a version of a file of u its current one.
func (st *store) setVersion(u *user, uri, version, actor string) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	n, e, aerr := st.versionTarget(u, uri, version)
	if aerr != nil {
		return aerr
	}
	if n.entity != e {
		n.entity = e
		n.updated = time.Now()
		st.record(n, u, logSetVersion, nil)
		st.emitModified(actor, n)
	}
	return nil
}

// deleteVersion deletes a version of a file of u other than the current one.
func (st *store) deleteVersion(u *user, uri, version, actor string) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	n, e, aerr := st.versionTarget(u, uri, version)
	if aerr != nil {
		return aerr
	}
	if n.entity == e {
		return fail(upstream.CodeNoPermission, "cannot delete current version")
	}
	kept := n.versions[:0]
	for _, v := range n.versions {
		if v != e {
			kept = append(kept, v)
		}
	}
	n.versions = kept
	st.record(n, u, logDeleteVersion, nil)
	st.emitModified(actor, n)
	return nil
}

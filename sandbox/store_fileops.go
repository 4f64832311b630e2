package sandbox

import (
	"maps"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// What the file operations (files.go) ask of the store: create, look at,
// write and delete files.

// createFile creates an empty file or a folder in an existing folder of u;
// an existing one of the same kind is the answer unless errOnConflict.
func (st *store) createFile(u *user, p *fsURI, folder, errOnConflict bool, meta map[string]string, actor string) (fileView, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if existing, aerr := st.lookup(u, p); aerr == nil {
		if existing.folder != folder || errOnConflict {
			return fileView{}, errObjectExists()
		}
		return st.fileView(existing), nil
	}
	parent, aerr := descend(u.root, p.elems[:len(p.elems)-1])
	if aerr != nil || !parent.folder {
		return fileView{}, errPathNotExist()
	}
	if aerr := validateName(p.name()); aerr != nil {
		return fileView{}, aerr
	}
	n := st.newNode(u, parent, p.name(), folder)
	st.record(n, u, logFileCreate, nil)
	st.emitCreated(actor, n)
	maps.Copy(n.meta, meta)
	return st.fileView(n), nil
}

// fileInfo is a file with what GET /file/info may add.
type fileInfo struct {
	file    fileView
	details *fileDetails   // extended
	summary *folderSummary // folders only
}

// fileInfo finds a file for u by URI (its own, or a share link's) or, with
// p nil, by id; details and summary are added when asked for.
func (st *store) fileInfo(u *user, p *fsURI, id string, details, summary bool) (fileInfo, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	var n *fsNode
	var out fileInfo
	switch {
	case p != nil && p.fs == "share":
		v, aerr := st.openShare(u, p)
		if aerr != nil {
			return out, aerr
		}
		if n = v.node; n == v.share.node.parent {
			return out, errNotSupported() // the root of a single-file share
		}
		out.file = st.visitedFileView(v, n, v.rel)
	case p != nil:
		var aerr *apiError
		if n, aerr = st.lookup(u, p); aerr != nil {
			return out, aerr
		}
		out.file = st.fileView(n)
	default:
		nid, ok := st.ids.decode(kindFile, id)
		if !ok {
			return out, fail(upstream.CodeParamError, "Failed to parse object ID")
		}
		if n = st.files[nid]; n == nil {
			return out, errPathNotExist()
		}
		if n.owner != u && !u.admin {
			// Real servers (4.0.0, 4.18.0) tell another user's file from
			// a missing one.
			return out, fail(upstream.CodeOwnerOnly, "Only owner or administrator can perform this action")
		}
		out.file = st.fileView(n)
	}
	if n == n.owner.root {
		return out, errNotSupported()
	}
	if details {
		out.details = st.fileDetails(n)
	}
	if n.folder && summary {
		sum := n.summary()
		out.summary = &sum
	}
	return out, nil
}

// updateContent replaces the content of a file of u (creating it and
// missing folders when needed); previous, when set, must be the current
// version.
func (st *store) updateContent(u *user, p *fsURI, data []byte, previous *string, actor string) (fileView, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	n, aerr := st.writeFile(u, p, data, previous, actor)
	if aerr != nil {
		return fileView{}, aerr
	}
	return st.fileView(n), nil
}

// deleteFiles moves files of u to the trash, or deletes them for good
// (hard); the answer has the failures by URI.
func (st *store) deleteFiles(u *user, uris []string, hard bool, actor string) map[string]*apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	agg := map[string]*apiError{}
	for _, raw := range uris {
		if aerr := st.deleteOne(u, raw, hard, actor); aerr != nil {
			agg[raw] = aerr
		}
	}
	return agg
}

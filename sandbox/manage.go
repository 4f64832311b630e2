package sandbox

import (
	"context"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Operations that rearrange or annotate files: move/copy, rename, restore,
// unlock, metadata, views, pins and versions.

// MoveFiles is POST /file/move. Items that cannot be moved are reported per
// URI (40081); a lock or a name taken at the destination fails the whole call.
func (s *cloudreve) MoveFiles(ctx context.Context, req cloudreveapi.MoveFilesRequestObject) (cloudreveapi.MoveFilesResponseObject, error) {
	b := req.Body
	switch {
	case len(b.Uris) == 0:
		return nil, bindErr("Uris cannot be empty")
	case b.Dst == "":
		return nil, bindErr("Dst cannot be empty")
	}
	u := caller(ctx)
	if u == nil {
		return nil, errLoginRequired()
	}
	isCopy := b.Copy != nil && *b.Copy
	s.mu.Lock()
	defer s.mu.Unlock()
	dst, aerr := s.resolve(u, b.Dst)
	if aerr != nil {
		return nil, aerr
	}
	if !dst.folder || dst.trashed || top(dst) != u.root {
		return nil, errNotSupported()
	}
	agg := map[string]*apiError{}
	var targets []*fsNode
	for _, raw := range b.Uris {
		p, aerr := myURI(u, raw)
		var n *fsNode
		if aerr == nil {
			n, aerr = s.lookup(u, p)
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
			c := s.copyNode(u, n, dst)
			s.emitCreated(actorOf(ctx), c)
			s.record(c, u, logCopyTo, func(e *cloudreveapi.LogEntry) { e.From, e.To = values.Ptr(n.uri()), values.Ptr(dst.uri()) })
			continue
		}
		from := n.uri()
		s.emitMoved(actorOf(ctx), n, dst)
		s.moveNode(u, n, dst)
		s.record(n, u, logMoveTo, func(e *cloudreveapi.LogEntry) { e.From, e.To = values.Ptr(from), values.Ptr(dst.uri()) })
	}
	if len(agg) > 0 {
		return nil, batchError(agg)
	}
	return cloudreveapi.MoveFiles200JSONResponse{}, nil
}

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
func (s *cloudreve) moveNode(u *user, n, dst *fsNode) {
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
func (s *cloudreve) copyNode(u *user, n, dst *fsNode) *fsNode {
	c := s.newNode(u, dst, n.name, n.folder)
	for k, v := range n.meta {
		c.meta[k] = v
	}
	c.entity = n.entity
	c.versions = append([]*entity(nil), n.versions...)
	for _, child := range n.sortedChildren() {
		s.copyNode(u, child, c)
	}
	return c
}

// RenameFile is POST /file/rename.
func (s *cloudreve) RenameFile(ctx context.Context, req cloudreveapi.RenameFileRequestObject) (cloudreveapi.RenameFileResponseObject, error) {
	b := req.Body
	switch {
	case b.Uri == "":
		return nil, bindErr("Uri cannot be empty")
	case b.NewName == "":
		return nil, bindErr("NewName cannot be empty")
	case len(b.NewName) > 255:
		return nil, bindErr("NewName too long")
	}
	u := caller(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	n, aerr := s.resolve(u, b.Uri)
	if aerr != nil {
		return nil, aerr
	}
	if n == u.root || n.trashed || top(n) != u.root {
		return nil, errNotSupported()
	}
	if aerr := validateName(b.NewName); aerr != nil {
		return nil, aerr
	}
	if n.locked() {
		return nil, errLockConflict(n)
	}
	if b.NewName != n.name {
		if _, taken := n.parent.children[b.NewName]; taken {
			return nil, errObjectExists()
		}
		old := n.name
		s.emitRenamed(actorOf(ctx), n, b.NewName)
		delete(n.parent.children, n.name)
		n.name = b.NewName
		n.parent.children[n.name] = n
		n.updated = time.Now()
		s.record(n, u, logFileRename, func(e *cloudreveapi.LogEntry) { e.OriginalName, e.NewName = values.Ptr(old), values.Ptr(n.name) })
	}
	return cloudreveapi.RenameFile200JSONResponse{Data: values.Ptr(s.fileJSON(s.fileView(n)))}, nil
}

// RestoreFiles is POST /file/restore: each trash item goes back to the
// folder it was deleted from, which must still exist.
func (s *cloudreve) RestoreFiles(ctx context.Context, req cloudreveapi.RestoreFilesRequestObject) (cloudreveapi.RestoreFilesResponseObject, error) {
	b := req.Body
	if len(b.Uris) == 0 {
		return nil, bindErr("Uris cannot be empty")
	}
	u := caller(ctx)
	if u == nil {
		return nil, errLoginRequired()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	agg := map[string]*apiError{}
	for _, raw := range b.Uris {
		if aerr := s.restoreOne(u, raw, actorOf(ctx)); aerr != nil {
			agg[raw] = aerr
		}
	}
	if len(agg) > 0 {
		return nil, batchError(agg)
	}
	return cloudreveapi.RestoreFiles200JSONResponse{}, nil
}

func (s *cloudreve) restoreOne(u *user, raw, actor string) *apiError {
	p, aerr := myURI(u, raw)
	if aerr != nil {
		return aerr
	}
	if p.fs != "trash" {
		return errNotSupported()
	}
	n, aerr := s.lookup(u, p)
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
	s.emitMoved(actor, n, dst)
	s.moveNode(u, n, dst)
	return nil
}

// ForceUnlock is DELETE /file/lock. The sandbox's only locks are those of
// upload sessions; releasing one ends its upload.
func (s *cloudreve) ForceUnlock(ctx context.Context, req cloudreveapi.ForceUnlockRequestObject) (cloudreveapi.ForceUnlockResponseObject, error) {
	b := req.Body
	if len(b.Tokens) == 0 {
		return nil, bindErr("Tokens cannot be empty")
	}
	u := caller(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	var found []*uploadSession
	for _, tok := range b.Tokens {
		var us *uploadSession
		for _, c := range s.uploads {
			if c.lockToken == tok && c.owner == u && u != nil {
				us = c
			}
		}
		if us == nil {
			return nil, fail(upstream.CodeParamError, "failed to unlock file")
		}
		found = append(found, us)
	}
	for _, us := range found {
		s.dropSession(us)
	}
	return cloudreveapi.ForceUnlock200JSONResponse{}, nil
}

// metadataNamespaces are the key prefixes PATCH /file/metadata accepts.
var metadataNamespaces = map[string]bool{"sys": true, "dav": true, "thumb": true, "customize": true, "tag": true, "props": true}

func validPatch(p cloudreveapi.MetadataPatch) bool {
	ns, name, ok := strings.Cut(p.Key, ":")
	remove := p.Remove != nil && *p.Remove
	switch {
	case !ok || name == "" || !metadataNamespaces[ns] || (p.Private != nil && *p.Private):
		return false
	case ns == "sys":
		return !remove && (p.Key == "sys:shared_owner" || p.Key == "sys:shared_redirect")
	case ns == "thumb":
		return p.Key == "thumb:disabled"
	case ns == "customize":
		return p.Key == "customize:icon_color" || p.Key == "customize:emoji"
	}
	return true
}

// PatchMetadata is PATCH /file/metadata.
func (s *cloudreve) PatchMetadata(ctx context.Context, req cloudreveapi.PatchMetadataRequestObject) (cloudreveapi.PatchMetadataResponseObject, error) {
	b := req.Body
	switch {
	case len(b.Uris) == 0:
		return nil, bindErr("Uris cannot be empty")
	case len(b.Patches) == 0:
		return nil, bindErr("Patches cannot be empty")
	}
	for _, p := range b.Patches {
		if !validPatch(p) {
			return nil, fail(upstream.CodeParamError, "Invalid metadata patch: %s", p.Key)
		}
	}
	u := caller(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	agg := map[string]*apiError{}
	for _, raw := range b.Uris {
		n, aerr := s.resolve(u, raw)
		if aerr == nil && n.locked() {
			aerr = errLockConflict(n)
		}
		if aerr != nil {
			agg[raw] = aerr
			continue
		}
		for _, p := range b.Patches {
			if p.Remove != nil && *p.Remove {
				delete(n.meta, p.Key)
			} else {
				n.meta[p.Key] = values.Deref(p.Value)
			}
		}
		s.record(n, u, logUpdateMetadata, nil)
	}
	if len(agg) > 0 {
		return nil, batchError(agg)
	}
	return cloudreveapi.PatchMetadata200JSONResponse{}, nil
}

// validView applies the server's validation of a view setting.
func validView(v *cloudreveapi.ExplorerView) *apiError {
	switch {
	case v.PageSize < 50:
		return bindErr("PageSize must be at least 50")
	case v.Order != nil && len(*v.Order) > 255:
		return bindErr("Order too long")
	case v.OrderDirection == nil || (*v.OrderDirection != "asc" && *v.OrderDirection != "desc"):
		return bindErr("OrderDirection must be one of asc desc")
	case v.View == nil || (*v.View != "list" && *v.View != "grid" && *v.View != "gallery"):
		return bindErr("View must be one of list grid gallery")
	case v.GalleryWidth == nil || *v.GalleryWidth < 50 || *v.GalleryWidth > 500:
		return bindErr("GalleryWidth must be between 50 and 500")
	case v.Columns != nil && len(*v.Columns) > 1000:
		return bindErr("Columns too long")
	}
	return nil
}

// UpdateViewSetting is PATCH /file/view: on a folder, or (for the root of a
// filesystem other than my and share) in the user's settings.
func (s *cloudreve) UpdateViewSetting(ctx context.Context, req cloudreveapi.UpdateViewSettingRequestObject) (cloudreveapi.UpdateViewSettingResponseObject, error) {
	b := req.Body
	if b.Uri == "" {
		return nil, bindErr("Uri cannot be empty")
	}
	if b.View != nil {
		if aerr := validView(b.View); aerr != nil {
			return nil, aerr
		}
	}
	u := caller(ctx)
	p, aerr := myURI(u, b.Uri)
	if aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(p.elems) == 0 && p.fs != "my" {
		views := s.drive().fsViews
		if views[u.id] == nil {
			views[u.id] = map[string]cloudreveapi.ExplorerView{}
		}
		if b.View == nil {
			delete(views[u.id], p.fs)
		} else {
			views[u.id][p.fs] = *b.View
		}
		return cloudreveapi.UpdateViewSetting200JSONResponse{}, nil
	}
	n, aerr := s.lookup(u, p)
	if aerr != nil {
		return nil, aerr
	}
	if !n.folder {
		return nil, errNotSupported()
	}
	n.view = b.View
	return cloudreveapi.UpdateViewSetting200JSONResponse{}, nil
}

// PinToSidebar is PUT /file/pin.
func (s *cloudreve) PinToSidebar(ctx context.Context, req cloudreveapi.PinToSidebarRequestObject) (cloudreveapi.PinToSidebarResponseObject, error) {
	b := req.Body
	if b.Uri == "" {
		return nil, bindErr("Uri cannot be empty")
	}
	if _, aerr := parseURI(b.Uri); aerr != nil {
		return nil, fail(upstream.CodeParamError, "unknown uri")
	}
	u := caller(ctx)
	if u == nil {
		return nil, errLoginRequired()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pins := s.drive().pins
	for _, p := range pins[u.id] {
		if p.Uri == b.Uri {
			if values.Deref(p.Name) != values.Deref(b.Name) {
				return nil, fail(upstream.CodeObjectExists, "uri already pinned with different name")
			}
			return cloudreveapi.PinToSidebar200JSONResponse{}, nil
		}
	}
	pin := cloudreveapi.PinedFile{Uri: b.Uri}
	if b.Name != nil && *b.Name != "" {
		pin.Name = values.Ptr(*b.Name)
	}
	pins[u.id] = append(pins[u.id], pin)
	return cloudreveapi.PinToSidebar200JSONResponse{}, nil
}

// DeletePin is DELETE /file/pin: every pin of the URI goes.
func (s *cloudreve) DeletePin(ctx context.Context, req cloudreveapi.DeletePinRequestObject) (cloudreveapi.DeletePinResponseObject, error) {
	b := req.Body
	if b.Uri == "" {
		return nil, bindErr("Uri cannot be empty")
	}
	if _, aerr := parseURI(b.Uri); aerr != nil {
		return nil, fail(upstream.CodeParamError, "unknown uri")
	}
	u := caller(ctx)
	if u == nil {
		return nil, errLoginRequired()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pins := s.drive().pins
	kept := pins[u.id][:0]
	for _, p := range pins[u.id] {
		if p.Uri != b.Uri {
			kept = append(kept, p)
		}
	}
	pins[u.id] = kept
	return cloudreveapi.DeletePin200JSONResponse{}, nil
}

// versionTarget resolves the file and the version of a version operation.
// Callers hold mu.
func (s *cloudreve) versionTarget(u *user, b *cloudreveapi.FileVersionService) (*fsNode, *entity, *apiError) {
	switch {
	case b.Uri == "":
		return nil, nil, bindErr("Uri cannot be empty")
	case b.Version == "":
		return nil, nil, bindErr("Version cannot be empty")
	}
	if _, ok := s.ids.decode(kindEntity, b.Version); !ok {
		return nil, nil, fail(upstream.CodeParamError, "unknown version id")
	}
	n, aerr := s.resolve(u, b.Uri)
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
		if e.hid == b.Version {
			return n, e, nil
		}
	}
	return n, nil, fail(upstream.CodeEntityNotExist, "Entity not exist")
}

// SetFileVersion is POST /file/version/current.
func (s *cloudreve) SetFileVersion(ctx context.Context, req cloudreveapi.SetFileVersionRequestObject) (cloudreveapi.SetFileVersionResponseObject, error) {
	u := caller(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	n, e, aerr := s.versionTarget(u, req.Body)
	if aerr != nil {
		return nil, aerr
	}
	if n.entity != e {
		n.entity = e
		n.updated = time.Now()
		s.record(n, u, logSetVersion, nil)
		s.emitModified(actorOf(ctx), n)
	}
	return cloudreveapi.SetFileVersion200JSONResponse{}, nil
}

// DeleteFileVersion is DELETE /file/version; the current version stays.
func (s *cloudreve) DeleteFileVersion(ctx context.Context, req cloudreveapi.DeleteFileVersionRequestObject) (cloudreveapi.DeleteFileVersionResponseObject, error) {
	u := caller(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	n, e, aerr := s.versionTarget(u, req.Body)
	if aerr != nil {
		return nil, aerr
	}
	if n.entity == e {
		return nil, fail(upstream.CodeNoPermission, "cannot delete current version")
	}
	kept := n.versions[:0]
	for _, v := range n.versions {
		if v != e {
			kept = append(kept, v)
		}
	}
	n.versions = kept
	s.record(n, u, logDeleteVersion, nil)
	s.emitModified(actorOf(ctx), n)
	return cloudreveapi.DeleteFileVersion200JSONResponse{}, nil
}

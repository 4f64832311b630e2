package sandbox

import (
	"context"
	"io"
	"strconv"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

const (
	defaultPageSize = 100
	maxPageSize     = 2000
	maxEditSize     = 50 << 20
)

func errLockConflict(n *fsNode) *apiError {
	e := fail(upstream.CodeLockConflict, "Lock conflict")
	token := ""
	if n.upload != nil {
		token = n.upload.lockToken
	}
	typ := cloudreveapi.FileTypeFile
	if n.folder {
		typ = cloudreveapi.FileTypeFolder
	}
	e.data = []cloudreveapi.ConflictDetail{{
		Path:  values.Ptr(n.uri()),
		Token: values.Ptr(token),
		Type:  typ,
		Owner: cloudreveapi.ConflictOwner{Application: cloudreveapi.ConflictApplication{Type: "upload"}},
	}}
	return e
}

// CreateFile is POST /file/create. Unlike uploads, the parent must exist.
func (s *cloudreve) CreateFile(ctx context.Context, req cloudreveapi.CreateFileRequestObject) (cloudreveapi.CreateFileResponseObject, error) {
	b := req.Body
	if b.Uri == "" {
		return nil, bindErr("Uri cannot be empty")
	}
	if b.Type != cloudreveapi.CreateFileServiceTypeFile && b.Type != cloudreveapi.CreateFileServiceTypeFolder {
		return nil, bindErr("")
	}
	u := caller(ctx)
	p, aerr := myURI(u, b.Uri)
	if aerr != nil {
		return nil, aerr
	}
	if p.fs != "my" {
		return nil, errNotSupported()
	}
	folder := b.Type == cloudreveapi.CreateFileServiceTypeFolder
	s.mu.Lock()
	defer s.mu.Unlock()
	if existing, aerr := s.lookup(u, p); aerr == nil {
		if existing.folder != folder || (b.ErrOnConflict != nil && *b.ErrOnConflict) {
			return nil, errObjectExists()
		}
		return cloudreveapi.CreateFile200JSONResponse{Data: values.Ptr(s.fileJSON(existing))}, nil
	}
	parent, aerr := descend(u.root, p.elems[:len(p.elems)-1])
	if aerr != nil || !parent.folder {
		return nil, errPathNotExist()
	}
	if aerr := validateName(p.name()); aerr != nil {
		return nil, aerr
	}
	n := s.newNode(u, parent, p.name(), folder)
	s.record(n, u, logFileCreate, nil)
	s.emitCreated(actorOf(ctx), n)
	if b.Metadata != nil {
		for k, v := range *b.Metadata {
			n.meta[k] = v
		}
	}
	return cloudreveapi.CreateFile200JSONResponse{Data: values.Ptr(s.fileJSON(n))}, nil
}

// GetFileInfo is GET /file/info (by uri, or by id when uri is empty); share
// URIs work too, for whoever may open the link.
func (s *cloudreve) GetFileInfo(ctx context.Context, req cloudreveapi.GetFileInfoRequestObject) (cloudreveapi.GetFileInfoResponseObject, error) {
	q := req.Params
	u := caller(ctx)
	var p *fsURI
	switch {
	case q.Uri != nil && *q.Uri != "":
		var aerr *apiError
		if p, aerr = parseURI(*q.Uri); aerr == nil && p.fs != "share" {
			p, aerr = myURI(u, *q.Uri)
		}
		if aerr != nil {
			return nil, aerr
		}
	case q.Id != nil && *q.Id != "":
		if u == nil {
			return nil, errLoginRequired()
		}
	default:
		return nil, fail(upstream.CodeParamError, "uri is required")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var n *fsNode
	var out cloudreveapi.FileResponse
	switch {
	case p != nil && p.fs == "share":
		v, aerr := s.openShare(u, p)
		if aerr != nil {
			return nil, aerr
		}
		if n = v.node; n == v.share.node.parent {
			return nil, errNotSupported() // the root of a single-file share
		}
		out = s.shareFileJSON(v, n, v.rel, u)
	case p != nil:
		var aerr *apiError
		if n, aerr = s.lookup(u, p); aerr != nil {
			return nil, aerr
		}
		out = s.fileJSON(n)
	default:
		id, ok := s.ids.decode(kindFile, *q.Id)
		if !ok {
			return nil, fail(upstream.CodeParamError, "Failed to parse object ID")
		}
		if n = s.files[id]; n == nil {
			return nil, errPathNotExist()
		}
		if n.owner != u && !u.admin {
			// Real servers (4.0.0, 4.18.0) tell another user's file from
			// a missing one.
			return nil, fail(upstream.CodeOwnerOnly, "Only owner or administrator can perform this action")
		}
		out = s.fileJSON(n)
	}
	if n == n.owner.root {
		return nil, errNotSupported()
	}
	if q.Extended != nil && *q.Extended {
		out.ExtendedInfo = s.extendedInfo(ctx, n, u)
	}
	if n.folder && q.FolderSummary != nil && *q.FolderSummary {
		sum := &cloudreveapi.FolderSummary{Completed: true, CalculatedAt: time.Now()}
		n.walk(func(c *fsNode) {
			switch {
			case c == n:
			case c.folder:
				sum.Folders++
			default:
				sum.Files++
				sum.Size += c.size()
			}
		})
		out.FolderSummary = sum
	}
	return cloudreveapi.GetFileInfo200JSONResponse{Data: &out}, nil
}

// extendedInfo is what extended=true adds; shares, views and permissions
// only for the owner. Callers hold mu.
func (s *cloudreve) extendedInfo(ctx context.Context, n *fsNode, u *user) *cloudreveapi.ExtendedInfo {
	ext := &cloudreveapi.ExtendedInfo{StoragePolicy: values.Ptr(s.policyJSON())}
	var entities []cloudreveapi.Entity
	for _, e := range n.versions {
		entities = append(entities, s.entityJSON(e))
		ext.StorageUsed += int64(len(e.data))
	}
	if entities != nil {
		ext.Entities = &entities
	}
	if u != n.owner {
		return ext
	}
	base := baseURL(request(ctx))
	if shares := s.sharesOf(n); len(shares) > 0 {
		list := make([]cloudreveapi.Share, 0, len(shares))
		for _, sh := range shares {
			list = append(list, s.shareJSON(base, sh, u, true))
		}
		ext.Shares = &list
	}
	if links := s.linksOf(n); len(links) > 0 {
		list := make([]cloudreveapi.DirectLink, 0, len(links))
		for _, l := range links {
			list = append(list, cloudreveapi.DirectLink{Id: l.hid, Url: directLinkURL(base, l), Downloaded: l.downloaded, CreatedAt: l.created})
		}
		ext.DirectLinks = &list
	}
	ext.View = n.view
	ext.Permissions = n.perms
	if s.pro() {
		inherited := n.mount == ""
		ext.StoragePolicyInherited = &inherited
	}
	return ext
}

func (s *cloudreve) entityJSON(e *entity) cloudreveapi.Entity {
	out := cloudreveapi.Entity{Id: e.hid, Size: int64(len(e.data)), Type: cloudreveapi.EntityTypeVersion,
		CreatedAt: e.created, StoragePolicy: values.Ptr(s.policyJSON())}
	if e.by != nil {
		out.CreatedBy = &cloudreveapi.User{Id: e.by.hid, Nickname: e.by.nickname, CreatedAt: e.by.created}
	}
	return out
}

// UpdateFileContent is PUT /file/content: it replaces the content, creating
// the file (and missing folders) when needed.
func (s *cloudreve) UpdateFileContent(ctx context.Context, req cloudreveapi.UpdateFileContentRequestObject) (cloudreveapi.UpdateFileContentResponseObject, error) {
	u := caller(ctx)
	p, aerr := myURI(u, req.Params.Uri)
	if aerr != nil {
		return nil, aerr
	}
	if p.fs != "my" {
		return nil, errNotSupported()
	}
	data, err := io.ReadAll(io.LimitReader(req.Body, maxEditSize+1))
	if err != nil {
		return nil, fail(upstream.CodeIOFailed, "Failed to read request body")
	}
	if len(data) > maxEditSize {
		return nil, fail(upstream.CodeFileTooLarge, "File too large")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n, aerr := s.writeFile(u, p, data, req.Params.Previous, actorOf(ctx))
	if aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.UpdateFileContent200JSONResponse{Data: values.Ptr(s.fileJSON(n))}, nil
}

// DeleteFiles is DELETE /file: to the trash, or for good with
// skip_soft_delete (which is also how trash items are removed).
func (s *cloudreve) DeleteFiles(ctx context.Context, req cloudreveapi.DeleteFilesRequestObject) (cloudreveapi.DeleteFilesResponseObject, error) {
	b := req.Body
	if len(b.Uris) == 0 {
		return nil, bindErr("Uris cannot be empty")
	}
	u := caller(ctx)
	if u == nil {
		return nil, errLoginRequired()
	}
	hard := b.SkipSoftDelete != nil && *b.SkipSoftDelete
	if b.Unlink != nil && *b.Unlink && !u.can(userv1.GroupPermission_GROUP_PERMISSION_ADVANCE_DELETE) {
		return nil, fail(upstream.CodeNoPermission, "Advance delete permission required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	agg := map[string]*apiError{}
	for _, raw := range b.Uris {
		if aerr := s.deleteOne(u, raw, hard, actorOf(ctx)); aerr != nil {
			agg[raw] = aerr
		}
	}
	if len(agg) > 0 {
		return nil, batchError(agg)
	}
	return cloudreveapi.DeleteFiles200JSONResponse{}, nil
}

func (s *cloudreve) deleteOne(u *user, raw string, hard bool, actor string) *apiError {
	p, aerr := myURI(u, raw)
	if aerr != nil {
		return aerr
	}
	n, aerr := s.lookup(u, p)
	switch {
	case aerr != nil:
		return aerr
	case n == u.root:
		return errNotSupported()
	case n.locked():
		return errLockConflict(n)
	case p.fs == "trash" && !hard:
		return errNotSupported()
	}
	s.emitDeleted(actor, n)
	if hard {
		s.record(n, u, logDeleteFile, nil)
		if n.trashed {
			u.trash = removeNode(u.trash, n)
		}
		detach(n)
		s.purge(n)
		return nil
	}
	uri := n.uri()
	s.record(n, u, logMoveToTrash, nil)
	detach(n)
	n.trashed = true
	n.trashName = newUUID()
	n.meta[metaRestoreURI] = uri
	n.meta[metaCollectTime] = strconv.FormatInt(time.Now().Add(7*24*time.Hour).Unix(), 10)
	u.trash = append(u.trash, n)
	return nil
}

func removeNode(list []*fsNode, n *fsNode) []*fsNode {
	out := list[:0]
	for _, c := range list {
		if c != n {
			out = append(out, c)
		}
	}
	return out
}

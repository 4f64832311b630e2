package sandbox

import (
	"context"
	"io"
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
	var meta map[string]string
	if b.Metadata != nil {
		meta = *b.Metadata
	}
	n, aerr := s.store.createFile(u, p, folder, values.Deref(b.ErrOnConflict), meta, actorOf(ctx))
	if aerr != nil {
		return nil, aerr
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

	id := ""
	if p == nil {
		id = *q.Id
	}
	info, aerr := s.store.fileInfo(u, p, id, values.Deref(q.Extended), values.Deref(q.FolderSummary))
	if aerr != nil {
		return nil, aerr
	}
	out := s.fileJSON(info.file)
	if info.file.viaShare {
		out = s.shareFileJSON(info.file, u)
	}
	if info.details != nil {
		out.ExtendedInfo = s.extendedInfo(ctx, info.file, info.details, u)
	}
	if sum := info.summary; sum != nil {
		out.FolderSummary = &cloudreveapi.FolderSummary{Completed: true, CalculatedAt: time.Now(),
			Folders: sum.folders, Files: sum.files, Size: sum.size}
	}
	return cloudreveapi.GetFileInfo200JSONResponse{Data: &out}, nil
}

// extendedInfo is what extended=true adds; shares, views and permissions
// only for the owner.
func (s *cloudreve) extendedInfo(ctx context.Context, f fileView, d *fileDetails, u *user) *cloudreveapi.ExtendedInfo {
	ext := &cloudreveapi.ExtendedInfo{StoragePolicy: values.Ptr(s.policyJSON())}
	var entities []cloudreveapi.Entity
	for _, e := range d.versions {
		entities = append(entities, s.entityJSON(e))
		ext.StorageUsed += e.size
	}
	if entities != nil {
		ext.Entities = &entities
	}
	if u != f.owner {
		return ext
	}
	base := baseURL(request(ctx))
	if len(d.shares) > 0 {
		list := make([]cloudreveapi.Share, 0, len(d.shares))
		for _, sh := range d.shares {
			list = append(list, s.shareJSON(base, sh, u, true))
		}
		ext.Shares = &list
	}
	if len(d.links) > 0 {
		list := make([]cloudreveapi.DirectLink, 0, len(d.links))
		for _, l := range d.links {
			list = append(list, cloudreveapi.DirectLink{Id: l.hid, Url: directLinkURL(base, l), Downloaded: l.downloaded, CreatedAt: l.created})
		}
		ext.DirectLinks = &list
	}
	ext.View = d.view
	ext.Permissions = d.perms
	if s.pro() {
		inherited := !d.mounted
		ext.StoragePolicyInherited = &inherited
	}
	return ext
}

func (s *cloudreve) entityJSON(e entityView) cloudreveapi.Entity {
	out := cloudreveapi.Entity{Id: e.hid, Size: e.size, Type: cloudreveapi.EntityTypeVersion,
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
	n, aerr := s.store.updateContent(u, p, data, req.Params.Previous, actorOf(ctx))
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
	if agg := s.store.deleteFiles(u, b.Uris, hard, actorOf(ctx)); len(agg) > 0 {
		return nil, batchError(agg)
	}
	return cloudreveapi.DeleteFiles200JSONResponse{}, nil
}

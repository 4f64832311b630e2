package sandbox

import (
	"context"
	"strings"

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
	agg, aerr := s.store.moveFiles(u, b.Uris, b.Dst, isCopy, actorOf(ctx))
	if aerr != nil {
		return nil, aerr
	}
	if len(agg) > 0 {
		return nil, batchError(agg)
	}
	return cloudreveapi.MoveFiles200JSONResponse{}, nil
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
	n, aerr := s.store.renameFile(u, b.Uri, b.NewName, actorOf(ctx))
	if aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.RenameFile200JSONResponse{Data: values.Ptr(s.fileJSON(n))}, nil
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
	agg := s.store.restoreFiles(u, b.Uris, actorOf(ctx))
	if len(agg) > 0 {
		return nil, batchError(agg)
	}
	return cloudreveapi.RestoreFiles200JSONResponse{}, nil
}

// ForceUnlock is DELETE /file/lock. The sandbox's only locks are those of
// upload sessions; releasing one ends its upload.
func (s *cloudreve) ForceUnlock(ctx context.Context, req cloudreveapi.ForceUnlockRequestObject) (cloudreveapi.ForceUnlockResponseObject, error) {
	b := req.Body
	if len(b.Tokens) == 0 {
		return nil, bindErr("Tokens cannot be empty")
	}
	u := caller(ctx)
	if aerr := s.store.unlock(u, b.Tokens); aerr != nil {
		return nil, aerr
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
	patches := make([]metaPatch, len(b.Patches))
	for i, p := range b.Patches {
		patches[i] = metaPatch{key: p.Key, value: values.Deref(p.Value), remove: values.Deref(p.Remove)}
	}
	agg := s.store.patchMetadata(u, b.Uris, patches)
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
	if aerr := s.store.setView(u, p, b.View); aerr != nil {
		return nil, aerr
	}
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
	if aerr := s.store.pin(u, b.Uri, values.Deref(b.Name)); aerr != nil {
		return nil, aerr
	}
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
	s.store.unpin(u, b.Uri)
	return cloudreveapi.DeletePin200JSONResponse{}, nil
}

// versionRequest checks the fields every version operation needs.
func versionRequest(b *cloudreveapi.FileVersionService) *apiError {
	switch {
	case b.Uri == "":
		return bindErr("Uri cannot be empty")
	case b.Version == "":
		return bindErr("Version cannot be empty")
	}
	return nil
}

// SetFileVersion is POST /file/version/current.
func (s *cloudreve) SetFileVersion(ctx context.Context, req cloudreveapi.SetFileVersionRequestObject) (cloudreveapi.SetFileVersionResponseObject, error) {
	u := caller(ctx)
	if aerr := versionRequest(req.Body); aerr != nil {
		return nil, aerr
	}
	if aerr := s.store.setVersion(u, req.Body.Uri, req.Body.Version, actorOf(ctx)); aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.SetFileVersion200JSONResponse{}, nil
}

// DeleteFileVersion is DELETE /file/version; the current version stays.
func (s *cloudreve) DeleteFileVersion(ctx context.Context, req cloudreveapi.DeleteFileVersionRequestObject) (cloudreveapi.DeleteFileVersionResponseObject, error) {
	u := caller(ctx)
	if aerr := versionRequest(req.Body); aerr != nil {
		return nil, aerr
	}
	if aerr := s.store.deleteVersion(u, req.Body.Uri, req.Body.Version, actorOf(ctx)); aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.DeleteFileVersion200JSONResponse{}, nil
}

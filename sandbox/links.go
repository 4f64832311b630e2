package sandbox

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Links and views of one file: direct links, thumbnails, archive listings
// and viewer sessions.

// directLinkBatch is the group setting source_batch (the sandbox's groups
// all allow 10, as GET /user/me says).
const directLinkBatch = 10

// The viewers and thumbnail extensions of the sandbox's site settings
// (site.go lists the same).
var (
	viewerIDs = map[string]bool{"image": true, "text": true}
	thumbExts = map[string]bool{"gif": true, "jpeg": true, "jpg": true, "png": true}
)

const viewerSessionTTL = time.Hour

// directLinkURL is the public URL of a direct link.
func directLinkURL(base string, l directLinkView) string {
	return base + "/f/" + l.hid + "/" + url.PathEscape(l.name)
}

// CreateDirectLinks is PUT /file/source: one link per file, reused when it
// exists. Failed files are reported per URI (40081) next to the links made.
func (s *cloudreve) CreateDirectLinks(ctx context.Context, req cloudreveapi.CreateDirectLinksRequestObject) (cloudreveapi.CreateDirectLinksResponseObject, error) {
	b := req.Body
	if len(b.Uris) == 0 {
		return nil, bindErr("Uris cannot be empty")
	}
	u := caller(ctx)
	if u == nil {
		return nil, errLoginRequired()
	}
	if len(b.Uris) > directLinkBatch {
		return nil, fail(upstream.CodeTooManyDirectLinks, "Exceed batch size limit (%d)", directLinkBatch)
	}
	base := baseURL(request(ctx))
	made, agg := s.store.createDirectLinks(u, b.Uris)
	links := []cloudreveapi.DirectLinkResponse{}
	for _, l := range made {
		links = append(links, cloudreveapi.DirectLinkResponse{Link: directLinkURL(base, l.link), FileUrl: l.uri})
	}
	if len(agg) > 0 {
		e := batchError(agg)
		if len(links) > 0 {
			e.data = links
		}
		return nil, e
	}
	return cloudreveapi.CreateDirectLinks200JSONResponse{Data: &links}, nil
}

// DeleteDirectLink is DELETE /file/source/{id}: only for the linked file's
// owner (404 otherwise).
func (s *cloudreve) DeleteDirectLink(ctx context.Context, req cloudreveapi.DeleteDirectLinkRequestObject) (cloudreveapi.DeleteDirectLinkResponseObject, error) {
	id, ok := s.ids.decode(kindDirectLink, req.Id)
	if !ok {
		return nil, fail(upstream.CodeParamError, "Failed to parse object ID")
	}
	u := caller(ctx)
	if aerr := s.store.deleteDirectLink(u, id); aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.DeleteDirectLink200JSONResponse{}, nil
}

// serveDirectLink redirects a public direct link to the file's content:
// GET /f/{id}/{name}, outside the API.
func (s *cloudreve) serveDirectLink(w http.ResponseWriter, r *http.Request) {
	id, _ := s.ids.decode(kindDirectLink, r.PathValue("id"))
	ref, ok := s.store.followDirectLink(id)
	if !ok {
		s.writeError(w, r, fail(upstream.CodeNotFound, "direct link not found"))
		return
	}
	http.Redirect(w, r, s.entityURL(baseURL(r), ref, false, time.Now().Add(downloadURLTTL)), http.StatusFound)
}

// entityURL is a signed URL of one version of a file.
func (s *cloudreve) entityURL(base string, c contentRef, download bool, exp time.Time) string {
	speed := "0"
	if download {
		speed = "1" // the sandbox reuses the speed slot as its attachment flag
	}
	p := APIPrefix + "/file/content/" + c.entity + "/" + speed + "/" + url.PathEscape(c.name)
	return base + p + "?sign=" + s.sign(p, exp)
}

// GetThumbnailUrl is GET /file/thumb. The sandbox "generates" thumbnails of
// images by serving the image itself.
func (s *cloudreve) GetThumbnailUrl(ctx context.Context, req cloudreveapi.GetThumbnailUrlRequestObject) (cloudreveapi.GetThumbnailUrlResponseObject, error) {
	u := caller(ctx)
	n, aerr := s.store.readable(u, req.Params.Uri)
	if aerr != nil {
		return nil, aerr
	}
	ext := strings.TrimPrefix(strings.ToLower(path.Ext(n.name)), ".")
	if n.folder || n.current == "" || !thumbExts[ext] || n.thumbDisabled {
		return nil, fail(upstream.CodeEntityNotExist, "Thumbnail not exist")
	}
	exp := time.Now().Add(downloadURLTTL)
	return cloudreveapi.GetThumbnailUrl200JSONResponse{Data: &cloudreveapi.FileThumbResponse{
		Url: s.entityURL(baseURL(request(ctx)), contentRef{name: n.name, entity: n.current}, false, exp), Expires: &exp,
	}}, nil
}

// GetArchiveFileList is GET /file/archive. The sandbox reads zip files only.
func (s *cloudreve) GetArchiveFileList(ctx context.Context, req cloudreveapi.GetArchiveFileListRequestObject) (cloudreveapi.GetArchiveFileListResponseObject, error) {
	u := caller(ctx)
	q := req.Params
	if u != nil && !u.can(userv1.GroupPermission_GROUP_PERMISSION_ARCHIVE_TASK) {
		return nil, fail(upstream.CodeGroupNotAllowed, "Group not allowed to extract archive")
	}
	n, aerr := s.store.readable(u, q.Uri)
	var data []byte
	if aerr == nil {
		data, aerr = n.data(q.Entity)
	}
	if aerr != nil {
		return nil, aerr
	}
	if n.folder || !strings.EqualFold(path.Ext(n.name), ".zip") {
		return nil, errNotSupported()
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fail(upstream.CodeIOFailed, "Failed to read archive: %v", err)
	}
	files := make([]cloudreveapi.ArchivedFile, 0, len(zr.File))
	for _, f := range zr.File {
		mod := f.Modified
		files = append(files, cloudreveapi.ArchivedFile{
			Name: strings.TrimSuffix(f.Name, "/"), Size: int64(f.UncompressedSize64),
			UpdatedAt: &mod, IsDirectory: f.FileInfo().IsDir(),
		})
	}
	return cloudreveapi.GetArchiveFileList200JSONResponse{Data: &cloudreveapi.ArchiveListFilesResponse{Files: &files}}, nil
}

// CreateViewerSession is PUT /file/viewerSession. The sandbox's viewers are
// built-in ones, so no WOPI source is returned.
func (s *cloudreve) CreateViewerSession(ctx context.Context, req cloudreveapi.CreateViewerSessionRequestObject) (cloudreveapi.CreateViewerSessionResponseObject, error) {
	b := req.Body
	switch {
	case b.Uri == "":
		return nil, bindErr("Uri cannot be empty")
	case b.ViewerId == "":
		return nil, bindErr("ViewerId cannot be empty")
	case b.PreferredAction != "view" && b.PreferredAction != "edit":
		return nil, bindErr("PreferredAction must be one of view edit")
	}
	if !viewerIDs[b.ViewerId] {
		return nil, fail(upstream.CodeParamError, "Viewer not found")
	}
	u := caller(ctx)
	n, aerr := s.store.readable(u, b.Uri)
	if aerr != nil {
		return nil, aerr
	}
	if n.folder {
		return nil, errNotSupported()
	}
	data, aerr := n.data(b.Version)
	if aerr != nil {
		return nil, aerr
	}
	if b.PreferredAction == "edit" && len(data) > maxEditSize {
		return nil, fail(upstream.CodeFileTooLarge, "File too large")
	}
	return cloudreveapi.CreateViewerSession200JSONResponse{Data: &cloudreveapi.ViewerSessionResponse{
		Session: cloudreveapi.ViewerSession{Id: newUUID(), AccessToken: randomString(32), Expires: time.Now().Add(viewerSessionTTL).UnixMilli()},
	}}, nil
}

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
	"github.com/cloudreve-connect/facade/internal/values"
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
	s.mu.Lock()
	defer s.mu.Unlock()
	links := []cloudreveapi.DirectLinkResponse{}
	agg := map[string]*apiError{}
	for _, raw := range b.Uris {
		n, aerr := s.resolve(u, raw)
		if aerr == nil && (n.folder || n.trashed) {
			aerr = errNotSupported()
		}
		if aerr != nil {
			agg[raw] = aerr
			continue
		}
		var l *directLink
		if existing := s.linksOf(n); len(existing) > 0 {
			l = existing[0]
		} else {
			id, hid := s.nextID(kindDirectLink)
			l = &directLink{id: id, hid: hid, node: n, created: time.Now()}
			s.drive().links[id] = l
			s.record(n, u, logDirectLink, func(e *cloudreveapi.LogEntry) { e.DirectLinkId = values.Ptr(hid) })
		}
		links = append(links, cloudreveapi.DirectLinkResponse{Link: directLinkURL(base, l.view()), FileUrl: n.uri()})
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
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.drive().links[id]
	if l == nil || u == nil || l.node.owner != u {
		return nil, fail(upstream.CodeNotFound, "Direct link not found")
	}
	delete(s.drive().links, id)
	return cloudreveapi.DeleteDirectLink200JSONResponse{}, nil
}

// serveDirectLink redirects a public direct link to the file's content:
// GET /f/{id}/{name}, outside the API.
func (s *cloudreve) serveDirectLink(w http.ResponseWriter, r *http.Request) {
	id, _ := s.ids.decode(kindDirectLink, r.PathValue("id"))
	s.mu.Lock()
	l := s.drive().links[id]
	var target string
	if l != nil && !l.node.trashed && top(l.node) == l.node.owner.root {
		l.downloaded++
		target = s.entityURL(baseURL(r), l.node, l.node.entity, false, time.Now().Add(downloadURLTTL))
	}
	s.mu.Unlock()
	if target == "" {
		s.writeError(w, r, fail(upstream.CodeNotFound, "direct link not found"))
		return
	}
	http.Redirect(w, r, target, http.StatusFound)
}

// entityURL is a signed URL of one version of n. Callers hold mu.
func (s *cloudreve) entityURL(base string, n *fsNode, e *entity, download bool, exp time.Time) string {
	eid := "0" // a file never written: empty content
	if e != nil {
		eid = e.hid
	}
	speed := "0"
	if download {
		speed = "1" // the sandbox reuses the speed slot as its attachment flag
	}
	p := APIPrefix + "/file/content/" + eid + "/" + speed + "/" + url.PathEscape(n.name)
	return base + p + "?sign=" + s.sign(p, exp)
}

// GetThumbnailUrl is GET /file/thumb. The sandbox "generates" thumbnails of
// images by serving the image itself.
func (s *cloudreve) GetThumbnailUrl(ctx context.Context, req cloudreveapi.GetThumbnailUrlRequestObject) (cloudreveapi.GetThumbnailUrlResponseObject, error) {
	u := caller(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	n, aerr := s.readNode(u, req.Params.Uri)
	if aerr != nil {
		return nil, aerr
	}
	ext := strings.TrimPrefix(strings.ToLower(path.Ext(n.name)), ".")
	if n.folder || n.entity == nil || !thumbExts[ext] || n.meta["thumb:disabled"] != "" {
		return nil, fail(upstream.CodeEntityNotExist, "Thumbnail not exist")
	}
	exp := time.Now().Add(downloadURLTTL)
	return cloudreveapi.GetThumbnailUrl200JSONResponse{Data: &cloudreveapi.FileThumbResponse{
		Url: s.entityURL(baseURL(request(ctx)), n, n.entity, false, exp), Expires: &exp,
	}}, nil
}

// GetArchiveFileList is GET /file/archive. The sandbox reads zip files only.
func (s *cloudreve) GetArchiveFileList(ctx context.Context, req cloudreveapi.GetArchiveFileListRequestObject) (cloudreveapi.GetArchiveFileListResponseObject, error) {
	u := caller(ctx)
	q := req.Params
	if u != nil && !u.can(userv1.GroupPermission_GROUP_PERMISSION_ARCHIVE_TASK) {
		return nil, fail(upstream.CodeGroupNotAllowed, "Group not allowed to extract archive")
	}
	s.mu.Lock()
	n, aerr := s.readNode(u, q.Uri)
	var data []byte
	if aerr == nil {
		data, aerr = versionData(n, q.Entity)
	}
	s.mu.Unlock()
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

// versionData is the content of the current version, or of the given one.
func versionData(n *fsNode, version *string) ([]byte, *apiError) {
	if version == nil || *version == "" {
		if n.entity == nil {
			return nil, nil
		}
		return n.entity.data, nil
	}
	for _, e := range n.versions {
		if e.hid == *version {
			return e.data, nil
		}
	}
	return nil, fail(upstream.CodeEntityNotExist, "Entity not exist")
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
	s.mu.Lock()
	defer s.mu.Unlock()
	n, aerr := s.readNode(u, b.Uri)
	if aerr != nil {
		return nil, aerr
	}
	if n.folder {
		return nil, errNotSupported()
	}
	data, aerr := versionData(n, b.Version)
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

// readNode resolves a URI for reading: the caller's own files and trash, or
// a share link's content. Callers hold mu.
func (s *cloudreve) readNode(u *user, raw string) (*fsNode, *apiError) {
	p, aerr := parseURI(raw)
	if aerr != nil {
		return nil, aerr
	}
	if p.fs == "share" {
		v, aerr := s.openShare(u, p)
		if aerr != nil {
			return nil, aerr
		}
		return v.node, nil
	}
	return s.resolve(u, raw)
}

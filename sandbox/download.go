package sandbox

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

const downloadURLTTL = time.Hour

// archiveSession is what a signed archive.zip URL streams: the caller's
// chosen files and folders, zipped at download time.
type archiveSession struct {
	owner *user
	nodes []*fsNode
}

// CreateDownloadUrl is POST /file/url: signed absolute URLs that need no
// token and honour Range.
func (s *cloudreve) CreateDownloadUrl(ctx context.Context, req cloudreveapi.CreateDownloadUrlRequestObject) (cloudreveapi.CreateDownloadUrlResponseObject, error) {
	b := req.Body
	if len(b.Uris) == 0 {
		return nil, bindErr("Uris cannot be empty")
	}
	u := caller(ctx)
	base := baseURL(request(ctx))
	exp := time.Now().Add(downloadURLTTL)
	download := b.Download != nil && *b.Download
	skip := b.SkipError != nil && *b.SkipError

	s.mu.Lock()
	defer s.mu.Unlock()
	var urls []cloudreveapi.EntityURL
	if b.Archive != nil && *b.Archive {
		if u == nil {
			return nil, errLoginRequired()
		}
		if !u.can(userv1.GroupPermission_GROUP_PERMISSION_ARCHIVE_DOWNLOAD) {
			return nil, fail(upstream.CodeGroupNotAllowed, "Group not allowed to download archive")
		}
		sess := &archiveSession{owner: u}
		for _, raw := range b.Uris {
			n, aerr := s.resolve(u, raw)
			if aerr != nil {
				if skip {
					continue
				}
				return nil, aerr
			}
			sess.nodes = append(sess.nodes, n)
		}
		id := newUUID()
		s.archives[id] = sess
		path := APIPrefix + "/file/archive/" + id + "/archive.zip"
		urls = append(urls, cloudreveapi.EntityURL{Url: base + path + "?sign=" + s.sign(path, exp)})
	} else {
		for _, raw := range b.Uris {
			n, sh, aerr := s.downloadTarget(u, raw)
			if aerr == nil && n.folder {
				aerr = errNotSupported()
			}
			e := n.currentOrNil()
			if aerr == nil && b.Entity != nil && *b.Entity != "" {
				if e = n.version(*b.Entity); e == nil {
					aerr = fail(upstream.CodeEntityNotExist, "Entity not exist")
				}
			}
			if aerr != nil {
				if skip {
					continue
				}
				return nil, aerr
			}
			if sh != nil {
				// The real server counts a share download when it hands out the URL.
				sh.downloads++
				if sh.remain != nil {
					*sh.remain--
				}
			}
			urls = append(urls, cloudreveapi.EntityURL{Url: s.entityURL(base, n, e, download, exp)})
		}
	}
	if b.Redirect != nil && *b.Redirect && len(b.Uris) == 1 && len(urls) == 1 {
		return cloudreveapi.CreateDownloadUrl302Response{Headers: cloudreveapi.CreateDownloadUrl302ResponseHeaders{Location: &urls[0].Url}}, nil
	}
	if urls == nil {
		urls = []cloudreveapi.EntityURL{}
	}
	return cloudreveapi.CreateDownloadUrl200JSONResponse{Data: &cloudreveapi.FileURLResponse{Urls: urls, Expires: &exp}}, nil
}

// downloadTarget resolves a URI to download from: one of the caller's
// files, or a file behind a share link (then also returned). Callers hold mu.
func (s *cloudreve) downloadTarget(u *user, raw string) (*fsNode, *share, *apiError) {
	p, aerr := parseURI(raw)
	if aerr != nil {
		return nil, nil, aerr
	}
	if p.fs != "share" {
		n, aerr := s.resolve(u, raw)
		return n, nil, aerr
	}
	v, aerr := s.openShare(u, p)
	if aerr != nil {
		return nil, nil, aerr
	}
	return v.node, v.share, nil
}

// currentOrNil is the current version of n (nil for n nil or never written).
func (n *fsNode) currentOrNil() *entity {
	if n == nil {
		return nil
	}
	return n.entity
}

// version finds one of n's versions by hashid.
func (n *fsNode) version(hid string) *entity {
	for _, e := range n.versions {
		if e.hid == hid {
			return e
		}
	}
	return nil
}

func baseURL(r *http.Request) string {
	if r == nil {
		return "http://localhost"
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	return scheme + "://" + r.Host
}

// sign makes the "sign" query value of a URL path: "<mac>:<unix expiry>".
func (s *cloudreve) sign(path string, exp time.Time) string {
	e := strconv.FormatInt(exp.Unix(), 10)
	return b64url(s.mac(s.signKey, path+":"+e)) + ":" + e
}

func (s *cloudreve) checkSign(r *http.Request) *apiError {
	mac, e, ok := strings.Cut(r.URL.Query().Get("sign"), ":")
	exp, err := strconv.ParseInt(e, 10, 64)
	got, derr := decodeB64URL(mac)
	if !ok || err != nil || derr != nil ||
		subtle.ConstantTimeCompare(got, s.mac(s.signKey, r.URL.EscapedPath()+":"+e)) != 1 {
		return fail(upstream.CodeInvalidSignature, "Invalid signature")
	}
	if time.Now().Unix() > exp {
		return fail(upstream.CodeSignatureExpired, "Signature expired")
	}
	return nil
}

// serveEntity streams a signed entity download (Range → 206).
func (s *cloudreve) serveEntity(w http.ResponseWriter, r *http.Request) {
	if aerr := s.checkSign(r); aerr != nil {
		s.writeError(w, r, aerr)
		return
	}
	var data []byte
	var mod time.Time
	if eid := r.PathValue("id"); eid != "0" {
		s.mu.Lock()
		id, _ := s.ids.decode(kindEntity, eid)
		e := s.entities[id]
		s.mu.Unlock()
		if e == nil {
			s.writeError(w, r, fail(upstream.CodeEntityNotExist, "Entity not exist"))
			return
		}
		data, mod = e.data, e.created
	}
	name := r.PathValue("name")
	disposition := "inline"
	if r.PathValue("speed") == "1" {
		disposition = "attachment"
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf("%s; filename*=UTF-8''%s", disposition, url.PathEscape(name)))
	http.ServeContent(w, r, name, mod, bytes.NewReader(data))
}

// serveArchive streams a signed archive.zip of an archive session.
func (s *cloudreve) serveArchive(w http.ResponseWriter, r *http.Request) {
	if aerr := s.checkSign(r); aerr != nil {
		s.writeError(w, r, aerr)
		return
	}
	s.mu.Lock()
	sess := s.archives[r.PathValue("session")]
	var data []byte
	var err error
	if sess != nil {
		data, err = zipNodes(sess.nodes)
	}
	s.mu.Unlock()
	if sess == nil {
		s.writeError(w, r, fail(upstream.CodeNotFound, "Archive session not found"))
		return
	}
	if err != nil {
		s.writeError(w, r, fail(upstream.CodeIOFailed, "Failed to build archive: %v", err))
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="archive.zip"`)
	http.ServeContent(w, r, "archive.zip", time.Now(), bytes.NewReader(data))
}

// zipNodes builds a real zip of files and folders (folders recursively,
// named relative to the chosen node's parent). Callers hold mu.
func zipNodes(nodes []*fsNode) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, top := range nodes {
		var err error
		top.walk(func(n *fsNode) {
			if err != nil {
				return
			}
			rel := relName(top, n)
			h := &zip.FileHeader{Name: rel, Method: zip.Deflate, Modified: n.updated}
			if n.folder {
				h.Name += "/"
				h.Method = zip.Store
			}
			var fw interface{ Write([]byte) (int, error) }
			if fw, err = zw.CreateHeader(h); err == nil && !n.folder && n.entity != nil {
				_, err = fw.Write(n.entity.data)
			}
		})
		if err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// relName is n's path from top, including top's own name.
func relName(top, n *fsNode) string {
	var parts []string
	for c := n; c != nil; c = c.parent {
		parts = append([]string{c.name}, parts...)
		if c == top {
			break
		}
	}
	return strings.Join(parts, "/")
}

package sandbox

import (
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
	"github.com/cloudreve-connect/facade/internal/values"
)

const downloadURLTTL = time.Hour

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

	var urls []cloudreveapi.EntityURL
	if b.Archive != nil && *b.Archive {
		if u == nil {
			return nil, errLoginRequired()
		}
		if !u.can(userv1.GroupPermission_GROUP_PERMISSION_ARCHIVE_DOWNLOAD) {
			return nil, fail(upstream.CodeGroupNotAllowed, "Group not allowed to download archive")
		}
		id, aerr := s.store.openArchive(u, b.Uris, skip)
		if aerr != nil {
			return nil, aerr
		}
		path := APIPrefix + "/file/archive/" + id + "/archive.zip"
		urls = append(urls, cloudreveapi.EntityURL{Url: base + path + "?sign=" + s.sign(path, exp)})
	} else {
		refs, aerr := s.store.downloadTargets(u, b.Uris, values.Deref(b.Entity), skip)
		if aerr != nil {
			return nil, aerr
		}
		for _, ref := range refs {
			urls = append(urls, cloudreveapi.EntityURL{Url: s.entityURL(base, ref, download, exp)})
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
		var ok bool
		if data, mod, ok = s.store.entityContent(eid); !ok {
			s.writeError(w, r, fail(upstream.CodeEntityNotExist, "Entity not exist"))
			return
		}
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
	data, found, err := s.store.archiveZip(r.PathValue("session"))
	if !found {
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

package sandbox

import (
	"maps"
	"net/url"
	"strings"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/boolset"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// cloudreve:// URIs, and files as the answers show them. The tree itself
// is the store's (store_files.go).

// Metadata keys the server sets itself.
const (
	metaUploadSession = "sys:upload_session_id"
	metaRestoreURI    = "sys:restore_uri"
	metaCollectTime   = "sys:expected_collect_time"
)

func joinURI(fs string, elems []string) string {
	esc := make([]string, len(elems))
	for i, e := range elems {
		esc[i] = url.PathEscape(e)
	}
	if len(esc) == 0 {
		return "cloudreve://" + fs
	}
	return "cloudreve://" + fs + "/" + strings.Join(esc, "/")
}

// fsURI is a parsed cloudreve:// URI.
type fsURI struct {
	raw   string
	fs    string // my, trash, share, shared_with_me
	owner string // user part (owner hashid for my, share id for share)
	pass  string // password part (share password)
	elems []string
	query url.Values
}

func (u *fsURI) name() string {
	if len(u.elems) == 0 {
		return ""
	}
	return u.elems[len(u.elems)-1]
}

func parseURI(raw string) (*fsURI, *apiError) {
	p, err := url.Parse(raw)
	if err != nil || p.Scheme != "cloudreve" {
		return nil, fail(upstream.CodeParamError, "unknown uri")
	}
	out := &fsURI{raw: raw, fs: p.Host, query: p.Query()}
	if p.User != nil {
		out.owner = p.User.Username()
		out.pass, _ = p.User.Password()
	}
	switch out.fs {
	case "my", "trash", "share", "shared_with_me":
	default:
		return nil, fail(upstream.CodeNotSet, "")
	}
	for _, e := range strings.Split(p.EscapedPath(), "/") {
		if e == "" {
			continue
		}
		d, err := url.PathUnescape(e)
		if err != nil {
			return nil, fail(upstream.CodeParamError, "unknown uri")
		}
		out.elems = append(out.elems, d)
	}
	return out, nil
}

// myURI parses a URI that must address the caller's own files.
func myURI(u *user, raw string) (*fsURI, *apiError) {
	p, aerr := parseURI(raw)
	if aerr != nil {
		return nil, aerr
	}
	switch {
	case p.fs == "share" || p.fs == "shared_with_me":
		return nil, errNotImplemented()
	case u == nil:
		return nil, errLoginRequired()
	case p.owner != "" && p.owner != u.hid:
		return nil, fail(upstream.CodeNoPermission, "Permission denied")
	}
	return p, nil
}

// Navigator capability bits (boolsets) of files, folders and listings.
var (
	capFile      = boolset.Encode(0, 1, 6, 7, 8, 10, 14, 15, 16, 18, 19, 20, 24)
	capFolder    = boolset.Encode(0, 1, 6, 7, 8, 9, 14, 15, 16, 18, 19, 23, 24)
	capNavigator = boolset.Encode(0, 1, 6, 7, 8, 9, 10, 14, 15, 16, 18, 19, 20, 23, 24)
	capTrash     = boolset.Encode(9, 14, 17, 19)
)

// fileJSON renders a FileResponse as the owner sees it.
func (s *cloudreve) fileJSON(f fileView) cloudreveapi.FileResponse {
	out := cloudreveapi.FileResponse{
		Type:      cloudreveapi.FileTypeFile,
		Id:        f.hid,
		Name:      f.name,
		CreatedAt: f.created,
		UpdatedAt: f.updated,
		Size:      f.size,
		Path:      values.Ptr(f.path),
		Owned:     values.Ptr(true),
	}
	capability := capFile
	if f.folder {
		out.Type = cloudreveapi.FileTypeFolder
		capability = capFolder
	}
	if f.trashed {
		capability = capTrash
	}
	out.Capability = &capability
	if len(f.meta) > 0 {
		out.Metadata = values.Ptr(maps.Clone(f.meta))
	}
	if f.entity != "" {
		out.PrimaryEntity = values.Ptr(f.entity)
	}
	if f.shared {
		out.Shared = values.Ptr(true)
	}
	return out
}

func (s *cloudreve) policyJSON() cloudreveapi.StoragePolicy {
	p := cloudreveapi.StoragePolicy{
		Id:      s.ids.encode(kindPolicy, 1),
		Name:    "Default storage policy",
		Type:    cloudreveapi.Local,
		MaxSize: 0,
		Relay:   values.Ptr(true),
	}
	if s.store.policyType() == policyS3 {
		p.Type, p.Relay, p.ChunkConcurrency = cloudreveapi.S3, nil, values.Ptr(1)
	}
	return p
}

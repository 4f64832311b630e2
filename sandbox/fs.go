package sandbox

import (
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/boolset"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// fsNode is a file or folder of a user's tree. Guarded by cloudreve.mu.
type fsNode struct {
	id       int64
	hid      string
	owner    *user
	name     string
	folder   bool
	parent   *fsNode // nil for the root and for items in the trash
	children map[string]*fsNode
	created  time.Time
	updated  time.Time
	meta     map[string]string
	entity   *entity        // current version; nil for a file never written
	upload   *uploadSession // an upload in progress locks the file
	trashed  bool
	// trashName is the random name the real server gives a trashed object;
	// only its file events show it (the sandbox's trash URIs use name).
	trashName string
	versions  []*entity                       // every version, oldest first (entity among them)
	view      *cloudreveapi.ExplorerView      // a folder's stored view setting
	perms     *cloudreveapi.PermissionSetting // explicit permissions (pro)
	mount     string                          // storage policy mounted on a folder (pro)
}

// entity is one stored blob (a file version).
type entity struct {
	id      int64
	hid     string
	data    []byte
	created time.Time
	by      *user
}

const (
	metaUploadSession = "sys:upload_session_id"
	metaRestoreURI    = "sys:restore_uri"
	metaCollectTime   = "sys:expected_collect_time"
)

func (s *cloudreve) newNode(owner *user, parent *fsNode, name string, folder bool) *fsNode {
	id, hid := s.nextID(kindFile)
	now := time.Now()
	n := &fsNode{id: id, hid: hid, owner: owner, name: name, folder: folder, parent: parent,
		created: now, updated: now, meta: map[string]string{}}
	if folder {
		n.children = map[string]*fsNode{}
	}
	if parent != nil {
		parent.children[name] = n
		parent.updated = now
	}
	s.files[id] = n
	return n
}

func (s *cloudreve) newEntity(by *user, data []byte) *entity {
	id, hid := s.nextID(kindEntity)
	e := &entity{id: id, hid: hid, data: data, created: time.Now(), by: by}
	s.entities[id] = e
	return e
}

func (n *fsNode) size() int64 {
	if n.entity == nil {
		return 0
	}
	return int64(len(n.entity.data))
}

// walk visits n and everything below it.
func (n *fsNode) walk(fn func(*fsNode)) {
	fn(n)
	for _, c := range n.sortedChildren() {
		c.walk(fn)
	}
}

func (n *fsNode) sortedChildren() []*fsNode {
	out := make([]*fsNode, 0, len(n.children))
	for _, c := range n.children {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// locked reports an upload in progress on n or below it.
func (n *fsNode) locked() bool {
	found := false
	n.walk(func(c *fsNode) { found = found || c.upload != nil })
	return found
}

// elems is the path of n below its top-most ancestor (the root, or an item
// in the trash), and that ancestor.
func (n *fsNode) elems() ([]string, *fsNode) {
	var out []string
	c := n
	for ; c.parent != nil; c = c.parent {
		out = append([]string{c.name}, out...)
	}
	return out, c
}

// uri is how the owner addresses n.
func (n *fsNode) uri() string {
	elems, top := n.elems()
	if top.trashed {
		return joinURI("trash", append([]string{top.name}, elems...))
	}
	return joinURI("my", elems)
}

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
func (s *cloudreve) myURI(u *user, raw string) (*fsURI, *apiError) {
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

func errPathNotExist() *apiError { return fail(upstream.CodeParentNotExist, "Path not exist") }
func errObjectExists() *apiError { return fail(upstream.CodeObjectExists, "Object existed") }
func errNotSupported() *apiError { return fail(upstream.CodeNoPermission, "Not supported action") }

// lookup resolves a parsed URI in the caller's tree (or trash).
func (s *cloudreve) lookup(u *user, p *fsURI) (*fsNode, *apiError) {
	if p.fs == "trash" {
		if len(p.elems) == 0 {
			return nil, errNotSupported()
		}
		for _, n := range u.trash {
			if n.name == p.elems[0] {
				return descend(n, p.elems[1:])
			}
		}
		return nil, errPathNotExist()
	}
	return descend(u.root, p.elems)
}

func descend(n *fsNode, elems []string) (*fsNode, *apiError) {
	for _, e := range elems {
		if !n.folder {
			return nil, errPathNotExist()
		}
		c, ok := n.children[e]
		if !ok {
			return nil, errPathNotExist()
		}
		n = c
	}
	return n, nil
}

// mkdirs returns the folder at elems, creating missing folders like the real
// server's chained creation (each new folder is a file event of actor). A
// file in the way is "not supported".
func (s *cloudreve) mkdirs(u *user, elems []string, actor string) (*fsNode, *apiError) {
	n := u.root
	for _, e := range elems {
		c, ok := n.children[e]
		if !ok {
			if aerr := validateName(e); aerr != nil {
				return nil, aerr
			}
			c = s.newNode(u, n, e, true)
			s.emitCreated(actor, c)
		}
		if !c.folder {
			return nil, errNotSupported()
		}
		n = c
	}
	return n, nil
}

// validateName applies the real server's object-name rules (40052).
func validateName(name string) *apiError {
	if name == "" || name == "." || name == ".." || len(name) > 255 || strings.ContainsAny(name, "\\/:*?\"<>|") {
		return fail(upstream.CodeIllegalObjectName, "Invalid object name")
	}
	return nil
}

// Navigator capability bits (boolsets) of files, folders and listings.
var (
	capFile      = boolset.Encode(0, 1, 6, 7, 8, 10, 14, 15, 16, 18, 19, 20, 24)
	capFolder    = boolset.Encode(0, 1, 6, 7, 8, 9, 14, 15, 16, 18, 19, 23, 24)
	capNavigator = boolset.Encode(0, 1, 6, 7, 8, 9, 10, 14, 15, 16, 18, 19, 20, 23, 24)
	capTrash     = boolset.Encode(9, 14, 17, 19)
)

// fileJSON renders a FileResponse as the owner sees it.
func (s *cloudreve) fileJSON(n *fsNode) cloudreveapi.FileResponse {
	out := cloudreveapi.FileResponse{
		Type:      cloudreveapi.FileTypeFile,
		Id:        n.hid,
		Name:      n.name,
		CreatedAt: n.created,
		UpdatedAt: n.updated,
		Size:      n.size(),
		Path:      values.Ptr(n.uri()),
		Owned:     values.Ptr(true),
	}
	capability := capFile
	if n.folder {
		out.Type = cloudreveapi.FileTypeFolder
		capability = capFolder
	}
	if n.trashed {
		capability = capTrash
	}
	out.Capability = &capability
	if len(n.meta) > 0 {
		m := make(map[string]string, len(n.meta))
		for k, v := range n.meta {
			m[k] = v
		}
		out.Metadata = &m
	}
	if n.entity != nil {
		out.PrimaryEntity = values.Ptr(n.entity.hid)
	}
	if len(s.sharesOf(n)) > 0 {
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
	if s.policyType() == policyS3 {
		p.Type, p.Relay, p.ChunkConcurrency = cloudreveapi.S3, nil, values.Ptr(1)
	}
	return p
}

// addVersion makes e the current version of n.
func (s *cloudreve) addVersion(n *fsNode, e *entity) {
	n.entity = e
	n.versions = append(n.versions, e)
	n.updated = e.created
}

func (s *cloudreve) usedBytes(u *user) int64 {
	var total int64
	u.root.walk(func(n *fsNode) { total += n.size() })
	for _, t := range u.trash {
		t.walk(func(n *fsNode) { total += n.size() })
	}
	for _, us := range s.uploads {
		if us.owner == u {
			total += us.size
		}
	}
	return total
}

// detach takes n out of its parent folder.
func detach(n *fsNode) {
	if n.parent != nil {
		delete(n.parent.children, n.name)
		n.parent.updated = time.Now()
		n.parent = nil
	}
}

// purge forgets n and everything below it.
func (s *cloudreve) purge(n *fsNode) {
	var versions []*entity
	n.walk(func(c *fsNode) {
		if c.upload != nil {
			delete(s.uploads, c.upload.id)
		}
		delete(s.files, c.id)
		versions = append(versions, c.versions...)
	})
	s.forgetEntities(versions)
}

// forgetEntities drops the blobs that no remaining file has as a version
// (copies share them), so that deleting files for good frees their
// content. Callers hold mu.
func (s *cloudreve) forgetEntities(es []*entity) {
	if len(es) == 0 {
		return
	}
	used := map[*entity]bool{}
	for _, f := range s.files {
		for _, v := range f.versions {
			used[v] = true
		}
	}
	for _, e := range es {
		if !used[e] {
			delete(s.entities, e.id)
		}
	}
}

package sandbox

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// The file tree: nodes, versions (entities), lookups, writes, deletes and
// the bytes a user uses. The functions here expect their caller to hold
// store.mu (all but used, which locks it).

// fsNode is a file or folder of a user's tree. Guarded by store.mu.
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

func (st *store) newNode(owner *user, parent *fsNode, name string, folder bool) *fsNode {
	id, hid := st.nextID(kindFile)
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
	st.files[id] = n
	return n
}

func (st *store) newEntity(by *user, data []byte) *entity {
	id, hid := st.nextID(kindEntity)
	e := &entity{id: id, hid: hid, data: data, created: time.Now(), by: by}
	st.entities[id] = e
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

// lookup resolves a parsed URI in the caller's tree (or trash).
func (st *store) lookup(u *user, p *fsURI) (*fsNode, *apiError) {
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
func (st *store) mkdirs(u *user, elems []string, actor string) (*fsNode, *apiError) {
	n := u.root
	for _, e := range elems {
		c, ok := n.children[e]
		if !ok {
			if aerr := validateName(e); aerr != nil {
				return nil, aerr
			}
			c = st.newNode(u, n, e, true)
			st.emitCreated(actor, c)
		}
		if !c.folder {
			return nil, errNotSupported()
		}
		n = c
	}
	return n, nil
}

// addVersion makes e the current version of n.
func (st *store) addVersion(n *fsNode, e *entity) {
	n.entity = e
	n.versions = append(n.versions, e)
	n.updated = e.created
}

func (st *store) usedBytes(u *user) int64 {
	var total int64
	u.root.walk(func(n *fsNode) { total += n.size() })
	for _, t := range u.trash {
		t.walk(func(n *fsNode) { total += n.size() })
	}
	for _, us := range st.uploads {
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
func (st *store) purge(n *fsNode) {
	var versions []*entity
	n.walk(func(c *fsNode) {
		if c.upload != nil {
			delete(st.uploads, c.upload.id)
		}
		delete(st.files, c.id)
		versions = append(versions, c.versions...)
	})
	st.forgetEntities(versions)
}

// forgetEntities drops the blobs that no remaining file has as a version
// (copies share them), so that deleting files for good frees their
// content. Callers hold mu.
func (st *store) forgetEntities(es []*entity) {
	if len(es) == 0 {
		return
	}
	used := map[*entity]bool{}
	for _, f := range st.files {
		for _, v := range f.versions {
			used[v] = true
		}
	}
	for _, e := range es {
		if !used[e] {
			delete(st.entities, e.id)
		}
	}
}

// writeFile stores data at p as a new version, creating the file and its
// missing parent folders. previous, if set, must name the current version;
// actor is the client id of the request (store_events.go). Callers hold mu.
func (st *store) writeFile(u *user, p *fsURI, data []byte, previous *string, actor string) (*fsNode, *apiError) {
	if len(p.elems) == 0 {
		return nil, errObjectExists()
	}
	n, aerr := st.lookup(u, p)
	var old int64
	switch {
	case aerr == nil && n.folder:
		return nil, errObjectExists()
	case aerr == nil && n.upload != nil:
		return nil, errLockConflict(n)
	case aerr == nil:
		cur := ""
		if n.entity != nil {
			cur = n.entity.hid
		}
		if previous != nil && *previous != "" && *previous != cur {
			return nil, fail(upstream.CodeStaleVersion, "File is not the latest version")
		}
		old = n.size()
	}
	if st.usedBytes(u)-old+int64(len(data)) > u.group().quota {
		return nil, fail(upstream.CodeInsufficientCapacity, "Insufficient capacity")
	}
	if n == nil {
		parent, aerr := st.mkdirs(u, p.elems[:len(p.elems)-1], actor)
		if aerr != nil {
			return nil, aerr
		}
		if aerr := validateName(p.name()); aerr != nil {
			return nil, aerr
		}
		n = st.newNode(u, parent, p.name(), false)
		st.emitCreated(actor, n)
	}
	st.addVersion(n, st.newEntity(u, data))
	st.record(n, u, logEntityUploaded, nil)
	st.emitModified(actor, n)
	return n, nil
}

// resolve parses and looks up a URI of the caller. Callers hold mu.
func (st *store) resolve(u *user, raw string) (*fsNode, *apiError) {
	p, aerr := myURI(u, raw)
	if aerr != nil {
		return nil, aerr
	}
	return st.lookup(u, p)
}

// checkNewFile is the dry-run of an upload to p: it must not exist, its name
// must be legal and no file may sit where a parent folder should be.
// Callers hold mu.
func (st *store) checkNewFile(u *user, p *fsURI) *apiError {
	if p.fs != "my" {
		return fail(upstream.CodeParamError, "Invalid destination")
	}
	if _, aerr := st.lookup(u, p); aerr == nil {
		return errObjectExists()
	}
	n := u.root
	for _, e := range p.elems[:len(p.elems)-1] {
		c, ok := n.children[e]
		if !ok {
			break
		}
		if !c.folder {
			return errNotSupported()
		}
		n = c
	}
	return validateName(p.name())
}

func (st *store) deleteOne(u *user, raw string, hard bool, actor string) *apiError {
	p, aerr := myURI(u, raw)
	if aerr != nil {
		return aerr
	}
	n, aerr := st.lookup(u, p)
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
	st.emitDeleted(actor, n)
	if hard {
		st.record(n, u, logDeleteFile, nil)
		if n.trashed {
			u.trash = removeNode(u.trash, n)
		}
		detach(n)
		st.purge(n)
		return nil
	}
	uri := n.uri()
	st.record(n, u, logMoveToTrash, nil)
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

// used is how many bytes u stores, uploads in progress included.
func (st *store) used(u *user) int64 {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.usedBytes(u)
}

func errPathNotExist() *apiError { return fail(upstream.CodeParentNotExist, "Path not exist") }

func errObjectExists() *apiError { return fail(upstream.CodeObjectExists, "Object existed") }

func errNotSupported() *apiError { return fail(upstream.CodeNoPermission, "Not supported action") }

// validateName applies the real server's object-name rules (40052).
func validateName(name string) *apiError {
	if name == "" || name == "." || name == ".." || len(name) > 255 || strings.ContainsAny(name, "\\/:*?\"<>|") {
		return fail(upstream.CodeIllegalObjectName, "Invalid object name")
	}
	return nil
}

package sandbox

import (
	"archive/zip"
	"bytes"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Reading content: download URLs, archives, direct links, thumbnails and
// viewers. Signing URLs is the handlers' part (download.go, links.go).

// archiveSession is what a signed archive.zip URL streams: the caller's
// chosen files and folders, zipped at download time.
type archiveSession struct {
	owner *user
	nodes []*fsNode
}

// downloadTarget resolves a URI to download from: one of the caller's
// files, or a file behind a share link (then also returned). Callers hold mu.
func (st *store) downloadTarget(u *user, raw string) (*fsNode, *share, *apiError) {
	p, aerr := parseURI(raw)
	if aerr != nil {
		return nil, nil, aerr
	}
	if p.fs != "share" {
		n, aerr := st.resolve(u, raw)
		return n, nil, aerr
	}
	v, aerr := st.openShare(u, p)
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

// readNode resolves a URI for reading: the caller's own files and trash, or
// a share link's content. Callers hold mu.
func (st *store) readNode(u *user, raw string) (*fsNode, *apiError) {
	p, aerr := parseURI(raw)
	if aerr != nil {
		return nil, aerr
	}
	if p.fs == "share" {
		v, aerr := st.openShare(u, p)
		if aerr != nil {
			return nil, aerr
		}
		return v.node, nil
	}
	return st.resolve(u, raw)
}

// contentRef names what a signed content URL serves: one version of a file
// under the file's name.
type contentRef struct {
	name   string
	entity string // the version's hashid; "0" for a file never written
}

func refOf(n *fsNode, e *entity) contentRef {
	ref := contentRef{name: n.name, entity: "0"}
	if e != nil {
		ref.entity = e.hid
	}
	return ref
}

// openArchive starts an archive download of files of u; skip leaves out
// what cannot be found instead of failing. It returns the session's id.
func (st *store) openArchive(u *user, uris []string, skip bool) (string, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	sess := &archiveSession{owner: u}
	for _, raw := range uris {
		n, aerr := st.resolve(u, raw)
		if aerr != nil {
			if skip {
				continue
			}
			return "", aerr
		}
		sess.nodes = append(sess.nodes, n)
	}
	id := newUUID()
	st.archives[id] = sess
	return id, nil
}

// downloadTargets resolves files to download (of u, or behind share links,
// whose downloads it counts), in their current version or the version
// entity; skip leaves out what fails instead of failing.
func (st *store) downloadTargets(u *user, uris []string, entity string, skip bool) ([]contentRef, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []contentRef
	for _, raw := range uris {
		n, sh, aerr := st.downloadTarget(u, raw)
		if aerr == nil && n.folder {
			aerr = errNotSupported()
		}
		e := n.currentOrNil()
		if aerr == nil && entity != "" {
			if e = n.version(entity); e == nil {
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
		out = append(out, refOf(n, e))
	}
	return out, nil
}

// entityContent is the content of a version and when it was stored.
func (st *store) entityContent(hid string) (data []byte, created time.Time, ok bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	id, _ := st.ids.decode(kindEntity, hid)
	e := st.entities[id]
	if e == nil {
		return nil, time.Time{}, false
	}
	return e.data, e.created, true
}

// archiveZip zips what an archive session chose, as it is now.
func (st *store) archiveZip(id string) (data []byte, found bool, err error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	sess := st.archives[id]
	if sess == nil {
		return nil, false, nil
	}
	data, err = zipNodes(sess.nodes)
	return data, true, err
}

// contentView is a file to read: its versions' content by hashid.
type contentView struct {
	name          string
	folder        bool
	current       string // hashid of the current version; "" when never written
	thumbDisabled bool
	versions      map[string][]byte
}

// data is the content of the current version, or of the given one.
func (c contentView) data(version *string) ([]byte, *apiError) {
	v := c.current
	if version != nil && *version != "" {
		v = *version
	} else if v == "" {
		return nil, nil
	}
	d, ok := c.versions[v]
	if !ok {
		return nil, fail(upstream.CodeEntityNotExist, "Entity not exist")
	}
	return d, nil
}

// readable resolves a file for reading: the caller's own files and trash,
// or a share link's content.
func (st *store) readable(u *user, raw string) (contentView, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	n, aerr := st.readNode(u, raw)
	if aerr != nil {
		return contentView{}, aerr
	}
	c := contentView{name: n.name, folder: n.folder, thumbDisabled: n.meta["thumb:disabled"] != "",
		versions: map[string][]byte{}}
	if n.entity != nil {
		c.current = n.entity.hid
	}
	for _, e := range n.versions {
		c.versions[e.hid] = e.data
	}
	return c, nil
}

// linkedFile is a direct link and the file it leads to.
type linkedFile struct {
	link directLinkView
	uri  string
}

// createDirectLinks gives files of u a direct link each (the one they have,
// or a new one); the failures are in the answer by URI.
func (st *store) createDirectLinks(u *user, uris []string) ([]linkedFile, map[string]*apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	var links []linkedFile
	agg := map[string]*apiError{}
	for _, raw := range uris {
		n, aerr := st.resolve(u, raw)
		if aerr == nil && (n.folder || n.trashed) {
			aerr = errNotSupported()
		}
		if aerr != nil {
			agg[raw] = aerr
			continue
		}
		var l *directLink
		if existing := st.linksOf(n); len(existing) > 0 {
			l = existing[0]
		} else {
			id, hid := st.nextID(kindDirectLink)
			l = &directLink{id: id, hid: hid, node: n, created: time.Now()}
			st.drive().links[id] = l
			st.record(n, u, logDirectLink, func(e *cloudreveapi.LogEntry) { e.DirectLinkId = values.Ptr(hid) })
		}
		links = append(links, linkedFile{link: l.view(), uri: n.uri()})
	}
	return links, agg
}

// deleteDirectLink deletes a direct link to a file of u.
func (st *store) deleteDirectLink(u *user, id int64) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	l := st.drive().links[id]
	if l == nil || u == nil || l.node.owner != u {
		return fail(upstream.CodeNotFound, "Direct link not found")
	}
	delete(st.drive().links, id)
	return nil
}

// followDirectLink counts a download through a direct link and names the
// content it leads to; false when the link or its file is gone.
func (st *store) followDirectLink(id int64) (contentRef, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	l := st.drive().links[id]
	if l == nil || l.node.trashed || top(l.node) != l.node.owner.root {
		return contentRef{}, false
	}
	l.downloaded++
	return refOf(l.node, l.node.entity), true
}

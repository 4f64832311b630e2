package sandbox

import (
	"maps"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Views are copies of the file area's state taken under store.mu: what the
// store answers and the handlers render, while other requests and task
// runners go on changing the originals.

// fileView is a file or folder as the store saw it.
type fileView struct {
	id               int64
	hid, name        string
	folder, trashed  bool
	created, updated time.Time
	size             int64
	path             string // the URI the caller addresses it by
	meta             map[string]string
	entity           string // hashid of the current version; "" when never written
	shared           bool   // it has a share link
	owner            *user
	viaShare         bool // reached through a share link (path is the link's)
}

// fileView copies n as its owner addresses it. Callers hold mu.
func (st *store) fileView(n *fsNode) fileView {
	v := fileView{
		id: n.id, hid: n.hid, name: n.name, folder: n.folder, trashed: n.trashed,
		created: n.created, updated: n.updated, size: n.size(), path: n.uri(),
		meta: maps.Clone(n.meta), shared: len(st.sharesOf(n)) > 0, owner: n.owner,
	}
	if n.entity != nil {
		v.entity = n.entity.hid
	}
	return v
}

// visitedFileView copies n as a visitor of a share link addresses it.
// Callers hold mu.
func (st *store) visitedFileView(visit *shareVisit, n *fsNode, rel []string) fileView {
	v := st.fileView(n)
	v.path, v.viaShare = visit.uri(n, rel), true
	return v
}

// fileViews copies a list of nodes. Callers hold mu.
func (st *store) fileViews(ns []*fsNode) []fileView {
	out := make([]fileView, len(ns))
	for i, n := range ns {
		out[i] = st.fileView(n)
	}
	return out
}

// entityView is one version of a file.
type entityView struct {
	hid     string
	size    int64
	created time.Time
	by      *user
}

func (e *entity) view() entityView {
	return entityView{hid: e.hid, size: int64(len(e.data)), created: e.created, by: e.by}
}

// directLinkView is one direct link.
type directLinkView struct {
	hid, name  string // name: the linked file's
	downloaded int
	created    time.Time
}

func (l *directLink) view() directLinkView {
	return directLinkView{hid: l.hid, name: l.node.name, downloaded: l.downloaded, created: l.created}
}

// shareLinkView is one share link with what its answers show of the shared
// item.
type shareLinkView struct {
	id                int64
	hid, password     string
	remain            *int // downloads left; nil = unlimited
	downloads, views  int
	expires           *time.Time
	shareView, readme bool
	created           time.Time
	expired, valid    bool
	owner             *user
	name              string // the shared item's
	folder            bool
	size              int64
	trashed           bool
	restoreURI        string // where a trashed item was deleted from
	sourceURI         string // the item as its owner addresses it
}

// view copies sh. Callers hold mu.
func (sh *share) view() shareLinkView {
	v := shareLinkView{
		id: sh.id, hid: sh.hid, password: sh.password, downloads: sh.downloads, views: sh.views,
		shareView: sh.shareView, readme: sh.readme, created: sh.created,
		expired: sh.expired(), valid: sh.valid(), owner: sh.owner,
	}
	if sh.remain != nil {
		v.remain = values.Ptr(*sh.remain)
	}
	if sh.expires != nil {
		v.expires = values.Ptr(*sh.expires)
	}
	if n := sh.node; n != nil {
		v.name, v.folder, v.size, v.trashed = n.name, n.folder, n.size(), n.trashed
		v.restoreURI, v.sourceURI = n.meta[metaRestoreURI], n.uri()
	}
	return v
}

// fileDetails is what an extended file info adds: versions for anyone who
// may see the file, the rest for its owner.
type fileDetails struct {
	versions []entityView
	shares   []shareLinkView
	links    []directLinkView
	view     *cloudreveapi.ExplorerView
	perms    *cloudreveapi.PermissionSetting
	mounted  bool // a storage policy is mounted on it (pro)
}

// fileDetails copies the details of n. Callers hold mu.
func (st *store) fileDetails(n *fsNode) *fileDetails {
	d := &fileDetails{mounted: n.mount != ""}
	for _, e := range n.versions {
		d.versions = append(d.versions, e.view())
	}
	for _, sh := range st.sharesOf(n) {
		d.shares = append(d.shares, sh.view())
	}
	for _, l := range st.linksOf(n) {
		d.links = append(d.links, l.view())
	}
	if n.view != nil {
		d.view = values.Ptr(*n.view)
	}
	if n.perms != nil {
		d.perms = values.Ptr(*n.perms)
	}
	return d
}

// folderSummary counts what is below a folder.
type folderSummary struct {
	folders, files int
	size           int64
}

func (n *fsNode) summary() folderSummary {
	var sum folderSummary
	n.walk(func(c *fsNode) {
		switch {
		case c == n:
		case c.folder:
			sum.folders++
		default:
			sum.files++
			sum.size += c.size()
		}
	})
	return sum
}

package sandbox

import (
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
)

// driveState is what the file and share operations keep besides the file
// tree: share links, direct links, sidebar pins, per-filesystem views and
// the audit trail of the commercial edition. Guarded by store.mu.
type driveState struct {
	shares     map[int64]*share
	links      map[int64]*directLink
	pins       map[int64][]cloudreveapi.PinedFile             // by user id
	fsViews    map[int64]map[string]cloudreveapi.ExplorerView // by user id, then filesystem
	activities map[int64][]activity                           // by file id
}

// share is one share link.
type share struct {
	id        int64
	hid       string
	owner     *user
	node      *fsNode
	password  string
	remain    *int // downloads left; nil = unlimited
	downloads int
	views     int
	expires   *time.Time
	shareView bool
	readme    bool
	created   time.Time
}

// expired applies the real server's rule: past its expiry, or no downloads
// left.
func (sh *share) expired() bool {
	return (sh.expires != nil && time.Now().After(*sh.expires)) || (sh.remain != nil && *sh.remain <= 0)
}

// valid also checks that the shared item still exists outside the trash.
func (sh *share) valid() bool {
	if sh.expired() || sh.node == nil {
		return false
	}
	_, top := sh.node.elems()
	return top == sh.owner.root
}

// directLink is a public link to one file.
type directLink struct {
	id         int64
	hid        string
	node       *fsNode
	downloaded int
	created    time.Time
}

// activity is one audit record of a file (commercial edition).
type activity struct {
	id      int64
	hid     string
	by      *user
	at      time.Time
	entry   cloudreveapi.LogEntry
	version string
	read    bool // a read-only activity (download, view), for the reads filter
}

// Audit log categories the sandbox records (numbering of the web frontend).
const (
	logFileCreate     = 7
	logFileRename     = 8
	logEntityUploaded = 10
	logCopyTo         = 13
	logMoveTo         = 14
	logDeleteFile     = 15
	logMoveToTrash    = 16
	logShare          = 17
	logSetVersion     = 19
	logDeleteVersion  = 20
	logUpdateMetadata = 23
	logUpdateView     = 56
	logDirectLink     = 43
)

func (st *store) drive() *driveState {
	st.drvOnce.Do(func() {
		st.drv = &driveState{
			shares:     map[int64]*share{},
			links:      map[int64]*directLink{},
			pins:       map[int64][]cloudreveapi.PinedFile{},
			fsViews:    map[int64]map[string]cloudreveapi.ExplorerView{},
			activities: map[int64][]activity{},
		}
	})
	return st.drv
}

// record adds an audit record to a file. Callers hold mu.
func (st *store) record(n *fsNode, by *user, category int, fill func(e *cloudreveapi.LogEntry)) {
	id, hid := st.nextID(kindActivity)
	a := activity{id: id, hid: hid, by: by, at: time.Now(), entry: cloudreveapi.LogEntry{Category: category}}
	if fill != nil {
		fill(&a.entry)
	}
	if n.entity != nil {
		a.version = n.entity.hid
	}
	d := st.drive()
	d.activities[n.id] = append(d.activities[n.id], a)
}

// sharesOf lists the share links of a node. Callers hold mu.
func (st *store) sharesOf(n *fsNode) []*share {
	var out []*share
	for _, sh := range st.drive().shares {
		if sh.node == n {
			out = append(out, sh)
		}
	}
	return out
}

// linksOf lists the direct links of a node. Callers hold mu.
func (st *store) linksOf(n *fsNode) []*directLink {
	var out []*directLink
	for _, l := range st.drive().links {
		if l.node == n {
			out = append(out, l)
		}
	}
	return out
}

// pins returns the sidebar pins of an account, as GET /user/me lists them
// (its "pined" field).
func (st *store) pins(userID string) []cloudreveapi.PinedFile {
	st.mu.Lock()
	defer st.mu.Unlock()
	u := st.userByHID(userID)
	if u == nil {
		return nil
	}
	return append([]cloudreveapi.PinedFile(nil), st.drive().pins[u.id]...)
}

// uploadSessions is the number of upload sessions in progress, for tests.
func (st *store) uploadSessions() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.uploads)
}

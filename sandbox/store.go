package sandbox

import (
	"sync"
	"time"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// store owns the imitated server's state and its locking: accounts, the
// file tree, uploads, shares, tasks and their timelines, file event
// subscribers. Its methods speak in domain terms (users, nodes, tasks) and
// fail with *apiError carrying the Cloudreve code; they know nothing of
// HTTP or of the generated request and response types, which stay with the
// handlers (cloudreve). Each area's methods are in store_<area>.go.
//
// One mutex, mu, guards the maps and every object reachable from them
// (users, nodes, tasks, shares). Methods whose comment says "Callers hold
// mu" are building blocks for the others and never lock; every other
// method locks mu itself. accountStore (store_accounts.go) and the per-account
// accountState keep their own finer locks.
type store struct {
	opts    Options
	version upstream.Version
	ids     *hasher
	// userGroup is the group of every account but the administrators.
	userGroup group

	mu       sync.Mutex
	seq      map[int]int64
	users    map[int64]*user
	byEmail  map[string]*user
	revoked  map[string]time.Time // refresh-token families signed out
	files    map[int64]*fsNode
	entities map[int64]*entity
	uploads  map[string]*uploadSession
	archives map[string]*archiveSession
	tasks    map[int64]*task
	dlFiles  map[string][]dlFile // SetDownloaderFiles
	queue    queueState          // polls, pauses and the runners waiting for them (store_queue.go)
	acctOnce sync.Once
	acct     *accountStore // sessions, WebDAV, passkeys, VAS (store_accounts.go)
	drvOnce  sync.Once
	drv      *driveState // shares, direct links, pins, activities (store_drive.go)
	events   eventHub    // file event subscribers (store_events.go)
	closed   bool

	// The task queue's poller and every task's runner run on goroutines
	// that close stops.
	done      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
}

func newStore(opts Options, version upstream.Version, ids *hasher) *store {
	st := &store{
		opts:     opts,
		version:  version,
		ids:      ids,
		seq:      map[int]int64{},
		users:    map[int64]*user{},
		byEmail:  map[string]*user{},
		revoked:  map[string]time.Time{},
		files:    map[int64]*fsNode{},
		entities: map[int64]*entity{},
		uploads:  map[string]*uploadSession{},
		archives: map[string]*archiveSession{},
		tasks:    map[int64]*task{},
		dlFiles:  map[string][]dlFile{},
		done:     make(chan struct{}),
	}
	st.userGroup = defaultUserGroup
	if opts.UserPermissions != nil {
		st.userGroup.perms = opts.UserPermissions
	}
	st.queue.init(&st.mu, opts.Paused)
	st.wg.Add(1)
	go st.runQueue()
	return st
}

// close stops the task queue and every task goroutine. Tasks still running
// stay in whatever state they reached. It is idempotent.
func (st *store) close() {
	st.closeOnce.Do(func() {
		st.mu.Lock()
		st.closed = true
		close(st.done)
		st.queue.settled.Broadcast()
		st.mu.Unlock()
		st.wg.Wait()
	})
}

func (st *store) has(f upstream.Feature) bool { return f.In(st.version) }

// nextID hands out the next numeric id of an object kind. Callers hold mu.
func (st *store) nextID(kind int) (int64, string) {
	st.seq[kind]++
	n := st.seq[kind]
	return n, st.ids.encode(kind, n)
}

// Package sandbox is an in-memory stand-in for a Cloudreve v4 server
// (community 4.18.0, or 4.0.0 with Options.Version). It implements the strict-server interface generated from
// openapi/cloudreve.yaml, so its routes, parameters and payloads cannot drift
// from the contract the facade is built on.
//
// The facade uses it when no upstream URL is configured; end-to-end tests use
// it to exercise real HTTP round trips. Behaviour follows what real servers
// were observed to do: JSON envelopes with HTTP 200, text/plain 404 for
// unknown routes and commercial-only operations, guest fallback for bad
// tokens, hashid object IDs, cursor pagination, and a task queue that polls
// every Options.Tick.
//
// Layout: sandbox.go (server, routing), envelope.go (answers and errors),
// spec.go (operation table from the embedded spec), hashid.go, auth.go and
// tokens.go (accounts and JWTs), fs.go (the in-memory file tree), files.go
// and list.go (file operations), manage.go (move, rename, restore, unlock,
// metadata, views, pins, versions), links.go (direct links, thumbnails,
// archive listings, viewer sessions), shares.go (share links and the share
// filesystem), drive.go (their state), pro.go (commercial file operations),
// download.go (signed download URLs), upload.go (upload sessions),
// callbacks.go (storage callbacks and the stand-in S3 bucket), tasks.go (task model, queue, list, progress,
// cancel), workflow.go (task creation), runners.go and remote.go (task
// timelines), misc.go (small extra operations),
// accounts.go and totp.go (preferences, 2FA, reset links), passkeys.go,
// avatar.go, webdav.go, site.go (settings, CAPTCHA), vas.go (commercial
// operations), unimplemented.go
// (everything else), hooks.go (test hooks).
package sandbox

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

var _ cloudreveapi.StrictServerInterface = (*Server)(nil)

// Editions a sandbox can pretend to be.
const (
	EditionCommunity = "community"
	EditionPro       = "pro"
)

// APIPrefix is where the sandbox serves the Cloudreve API.
const APIPrefix = "/api/v4"

// Options tune a sandbox. The zero value is a community server with the
// defaults listed on each field.
type Options struct {
	Tick       time.Duration // the task queue's polling period; real server 10s. Default 1s.
	AccessTTL  time.Duration // default 1h
	RefreshTTL time.Duration // default 14 days
	// Edition is "community" (default) or "pro". On community, operations the
	// spec marks `x-cloudreve-edition: pro` answer a text/plain HTTP 404.
	Edition   string
	ChunkSize int64 // upload chunk size; default 25 MiB
	// OffsetPagination turns the site setting use_cursor_pagination off:
	// folder listings page by offset (page, total_items), searches still
	// by cursor.
	OffsetPagination bool
	// StoragePolicy is the type of the default storage policy: "local"
	// (default) takes chunks through the API; "s3" hands out presigned part
	// URLs served by the sandbox itself and completes through the S3
	// callback, like a real S3 policy.
	StoragePolicy string
	// Captcha turns on the built-in image CAPTCHA for sign-in, sign-up and
	// reset mails (settings login_captcha, reg_captcha, forget_captcha).
	Captcha bool
	// EmailActivation makes sign-up answer 203 and leave the account
	// inactive until activated (setting email_active).
	EmailActivation bool
	// NoPasskeys turns passkeys off (setting authn_enabled): their
	// operations answer 40019.
	NoPasskeys bool
	// Version is the release imitated: Version (default) or Version40
	// (versions.go lists what differs).
	Version string
	Logger  *slog.Logger // optional
}

// Server is one sandbox Cloudreve. All its state lives in memory and is
// guarded by mu; task timelines run on goroutines stopped by Close.
type Server struct {
	opts    Options
	version upstream.Version
	log     *slog.Logger
	ids     *hasher
	jwtKey  []byte
	signKey []byte
	handler http.Handler

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
	tickCh   chan struct{}       // closed and replaced on every queue tick
	acctOnce sync.Once
	acct     *accountStore // sessions, WebDAV, passkeys, VAS (accounts.go)
	drvOnce  sync.Once
	drv      *driveState // shares, direct links, pins, activities (drive.go)
	closed   bool

	done      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
}

// New builds a sandbox and starts its task queue.
func New(opts Options) *Server {
	if opts.Tick <= 0 {
		opts.Tick = time.Second
	}
	if opts.AccessTTL <= 0 {
		opts.AccessTTL = time.Hour
	}
	if opts.RefreshTTL <= 0 {
		opts.RefreshTTL = 14 * 24 * time.Hour
	}
	if opts.Edition == "" {
		opts.Edition = EditionCommunity
	}
	if opts.ChunkSize <= 0 {
		opts.ChunkSize = 25 << 20
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		opts:     opts,
		version:  parseVersion(opts.Version),
		log:      log,
		ids:      newHasher(),
		jwtKey:   randomBytes(32),
		signKey:  randomBytes(32),
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
		tickCh:   make(chan struct{}),
		done:     make(chan struct{}),
	}
	s.handler = s.buildHandler()
	s.wg.Add(1)
	go s.runQueue()
	return s
}

// Handler serves the API under /api/v4, plus the signed download routes.
func (s *Server) Handler() http.Handler { return s.handler }

// Close stops the task queue and every task goroutine. Tasks still running
// stay in whatever state they reached. Close is idempotent.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		close(s.done)
		s.mu.Unlock()
		s.wg.Wait()
	})
}

func (s *Server) pro() bool { return s.opts.Edition == EditionPro }

// nextID hands out the next numeric id of an object kind. Callers hold mu.
func (s *Server) nextID(kind int) (int64, string) {
	s.seq[kind]++
	n := s.seq[kind]
	return n, s.ids.encode(kind, n)
}

func (s *Server) buildHandler() http.Handler {
	mux := http.NewServeMux()
	strict := cloudreveapi.NewStrictHandlerWithOptions(s,
		[]cloudreveapi.StrictMiddlewareFunc{s.strictMiddleware},
		cloudreveapi.StrictHTTPServerOptions{
			RequestErrorHandlerFunc:  s.requestError,
			ResponseErrorHandlerFunc: s.responseError,
		})
	router := &editionMux{ServeMux: mux, skip: s.missingOperations()}
	if !s.pro() {
		for p := range specOps().proPatterns {
			router.skip[p] = true
		}
	}
	cloudreveapi.HandlerWithOptions(strict, cloudreveapi.StdHTTPServerOptions{
		BaseURL:          APIPrefix,
		BaseRouter:       router,
		ErrorHandlerFunc: s.paramError,
	})
	// Routes outside the contract: signed downloads need no token.
	mux.HandleFunc("GET "+APIPrefix+"/file/content/{id}/{speed}/{name}", s.serveEntity)
	mux.HandleFunc("GET "+APIPrefix+"/file/archive/{session}/archive.zip", s.serveArchive)
	// The stand-in S3 bucket of Options.StoragePolicy "s3" (callbacks.go).
	mux.HandleFunc("PUT "+s3Prefix+"{session}/{part}", s.s3PutPart)
	mux.HandleFunc("POST "+s3Prefix+"{session}", s.s3Complete)
	mux.HandleFunc("GET /f/{id}/{name}", s.serveDirectLink)

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		if pattern == "" {
			notFound(w)
			return
		}
		s.log.Debug("sandbox request", "method", r.Method, "path", r.URL.Path)
		w.Header().Set("Cache-Control", "private, no-cache")
		u, aerr := s.authenticate(r)
		if aerr != nil {
			s.writeError(w, r, aerr)
			return
		}
		mux.ServeHTTP(w, r.WithContext(withUser(r.Context(), u)))
	})
}

// notFound is gin's answer to an unknown route or a wrong method (never 405).
func notFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte("404 page not found"))
}

// editionMux registers every generated route except the skipped patterns, so
// a community sandbox answers commercial-only operations like an unknown route.
type editionMux struct {
	*http.ServeMux
	skip map[string]bool
}

func (m *editionMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	if m.skip[pattern] {
		return
	}
	m.ServeMux.HandleFunc(pattern, h)
}

// runQueue is the task queue's poller: every Tick it wakes the tasks that wait
// for the queue (queued or suspended ones).
func (s *Server) runQueue() {
	defer s.wg.Done()
	t := time.NewTicker(s.opts.Tick)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			s.mu.Lock()
			close(s.tickCh)
			s.tickCh = make(chan struct{})
			s.mu.Unlock()
		}
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}

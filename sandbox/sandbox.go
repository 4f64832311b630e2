package sandbox

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

var _ cloudreveapi.StrictServerInterface = (*cloudreve)(nil)

// cloudreve is the imitated server behind a Server: the handlers of every
// operation of the strict-server interface. They translate requests and
// answers; the state and its locking belong to the store.
type cloudreve struct {
	opts    Options
	version upstream.Version
	log     *slog.Logger
	ids     *hasher
	jwtKey  []byte
	signKey []byte
	handler http.Handler
	started time.Time // when the server (and its one node) came up

	faults faultTable // injected failures (faults.go)

	store *store // the state and its locking
}

// newCloudreve builds the imitated server from checked options and starts
// its task queue.
func newCloudreve(opts Options, version upstream.Version) *cloudreve {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ids := newHasher()
	s := &cloudreve{
		opts:    opts,
		started: time.Now(),
		version: version,
		log:     log,
		ids:     ids,
		jwtKey:  randomBytes(32),
		signKey: randomBytes(32),
		store:   newStore(opts, version, ids),
	}
	s.faults.init()
	s.handler = s.buildHandler()
	return s
}

func (s *cloudreve) pro() bool { return s.opts.Edition == EditionPro }

func (s *cloudreve) buildHandler() http.Handler {
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
	// Server-sent file events, undocumented (events.go).
	if s.has(upstream.FeatureFileEvents) {
		mux.HandleFunc("GET "+APIPrefix+"/file/events", s.serveFileEvents)
	}

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		if pattern == "" {
			notFound(w)
			return
		}
		s.log.Debug("sandbox request", "method", r.Method, "path", r.URL.Path)
		w.Header().Set("Cache-Control", "private, no-cache")
		u, aerr := s.authenticate(r)
		if aerr == nil && specOps().adminPatterns[pattern] {
			aerr = adminOnly(u)
		}
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

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}

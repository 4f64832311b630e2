// Package workers runs HTTP/2 handlers on long-lived goroutines.
//
// Go's HTTP/2 server starts a new goroutine for every stream. A facade
// handler is deep (interceptors, then an upstream HTTP call), so each new
// goroutine grows its stack from the minimum two or three times, copying it
// each time: about a tenth of the CPU of a unary gRPC call. A worker whose
// stack has already grown serves the next stream without that copy. (grpc-go
// has the same idea in its server's NumStreamWorkers.)
//
// HTTP/1.1 needs none of it: net/http serves a connection's requests on one
// goroutine, whose stack stays grown.
package workers

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"sync"
)

// Handler serves HTTP/2 requests on up to n idle workers, and any request
// that finds none idle (or any HTTP/1 request) on its own goroutine, as
// without the pool; nothing ever waits for a worker. The workers live until
// the process ends.
func Handler(h http.Handler, n int) http.Handler {
	p := &pool{next: h, jobs: make(chan *job)}
	for range n {
		go p.work()
	}
	return p
}

type pool struct {
	next http.Handler
	jobs chan *job // unbuffered: a send succeeds only when a worker is idle
}

type job struct {
	w    http.ResponseWriter
	r    *http.Request
	done chan any // the handler's panic value, or nil
}

var jobs = sync.Pool{New: func() any { return &job{done: make(chan any, 1)} }}

func (p *pool) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.ProtoMajor < 2 {
		p.next.ServeHTTP(w, r)
		return
	}
	j := jobs.Get().(*job)
	j.w, j.r = w, r
	select {
	case p.jobs <- j:
	default:
		j.w, j.r = nil, nil
		jobs.Put(j)
		p.next.ServeHTTP(w, r)
		return
	}
	// The server's goroutine waits here, so the request and its writer stay
	// valid for the worker, exactly as if this goroutine ran the handler.
	v := <-j.done
	j.w, j.r = nil, nil
	jobs.Put(j)
	if v != nil {
		// On the server's goroutine, where net/http expects it: it aborts
		// the stream and logs, and http.ErrAbortHandler stays itself.
		panic(v)
	}
}

func (p *pool) work() {
	for j := range p.jobs {
		p.serve(j)
	}
}

// serve runs one job, and answers the server's goroutine however the
// handler ends: returning, panicking, or ending its goroutine
// (runtime.Goexit), in which case a new worker takes this one's place.
func (p *pool) serve(j *job) {
	returned := false
	defer func() {
		v := recover()
		switch {
		case v == http.ErrAbortHandler:
		case v != nil:
			v = fmt.Errorf("%v\n\nhandler goroutine's stack:\n%s", v, debug.Stack())
		case !returned:
			v = fmt.Errorf("workers: the handler of %s %s ended its goroutine", j.r.Method, j.r.URL.Path)
			go p.work()
		}
		j.done <- v
	}()
	p.next.ServeHTTP(j.w, j.r)
	returned = true
}

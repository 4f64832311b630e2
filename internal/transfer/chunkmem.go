package transfer

import (
	"bytes"
	"io"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// A chunk buffer holds one chunk while it is sent, so that a failed attempt
// can be resent. Large ones live outside the Go heap (mapped memory, where
// the platform has it): a 25 MiB chunk in the heap counts twice, once live
// and once as the headroom the garbage collector leaves above the live heap
// before it collects, and back-to-back uploads would grow the heap by a
// chunk each time the collector dropped a pooled buffer. Outside the heap a
// chunk costs its size, once.
//
// Mapped memory is not freed by the collector, so every user holds a
// reference: the chunker while it uses the buffer, and each request body
// made from it until the HTTP transport closes that body (which may happen
// after the request returned). The memory goes back when the last one lets
// go, never while anything can still read it.
type chunkBuffer struct {
	b      []byte
	refs   atomic.Int64
	mapped bool // b is mapped memory (else heap memory, left to the collector)
	keep   bool // b is a whole chunk, worth keeping for the next upload
}

// minMapped is the smallest buffer worth mapping: below it, the heap is
// cheaper than a system call and page faults.
const minMapped = 1 << 20

// newChunkBuffer returns a buffer of length size with one reference (the
// caller's). keep marks a whole chunk: its memory is kept a while for the
// next upload of the same chunk size.
func newChunkBuffer(size int, keep bool) *chunkBuffer {
	var cb *chunkBuffer
	if size >= minMapped {
		cb = chunkMemory.get(size)
		if cb == nil {
			if b, ok := mapMemory(size); ok {
				cb = &chunkBuffer{b: b, mapped: true}
			}
		}
	}
	if cb == nil {
		cb = &chunkBuffer{b: make([]byte, size)}
	}
	cb.keep = keep && cb.mapped
	cb.refs.Store(1)
	return cb
}

func (cb *chunkBuffer) retain() { cb.refs.Add(1) }

// release drops one reference; the last one gives the memory back.
func (cb *chunkBuffer) release() {
	switch n := cb.refs.Add(-1); {
	case n > 0 || !cb.mapped:
	case n < 0:
		panic("transfer: chunk buffer released more often than retained")
	case cb.keep:
		chunkMemory.put(cb)
	default:
		unmapMemory(cb.b)
	}
}

// body returns a request body that reads b (a part of the buffer) and
// holds a reference until it is closed. Bodies that nobody closes (a request
// that was never sent) let go when the collector finds them.
func (cb *chunkBuffer) body(b []byte) io.ReadCloser {
	cb.retain()
	ref := &bodyRef{cb: cb}
	body := &chunkBody{guardedReader: guardedReader{r: bytes.NewReader(b)}, ref: ref, part: b}
	runtime.AddCleanup(body, (*bodyRef).drop, ref)
	return body
}

// chunkBody is a replayable chunk body: a reader over the buffer. A
// transport may close it from another goroutine than the one reading it;
// Close waits for a read in flight, and nothing reads the buffer after it.
type chunkBody struct {
	guardedReader // of a *bytes.Reader
	ref           *bodyRef
	part          []byte
}

// WriteTo writes the rest in one call (for HTTP/1.1, one system call for the
// whole chunk). Like a live chunk's, it holds the lock while it writes;
// transports end a write they give up on by closing the connection, not
// the body.
func (b *chunkBody) WriteTo(w io.Writer) (int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, errSuperseded
	}
	return b.r.(*bytes.Reader).WriteTo(w)
}

// Close lets go of the buffer.
func (b *chunkBody) Close() error {
	if b.close() {
		b.ref.drop()
	}
	return nil
}

// reopen is another body of the same bytes, for a request that is sent again
// (a redirect): the chunker holds the buffer meanwhile.
func (b *chunkBody) reopen() (io.ReadCloser, error) { return b.ref.cb.body(b.part), nil }

// resendable lets net/http send a request whose body replays a kept chunk
// again by itself (a redirect, a kept-alive connection found closed before
// anything was written), as it did when such bodies were bytes.Readers.
func resendable(req *http.Request) {
	if kept, ok := req.Body.(*chunkBody); ok {
		req.GetBody = kept.reopen
	}
}

// bodyRef is one body's reference, dropped once, by Close or by the cleanup.
type bodyRef struct {
	cb      *chunkBuffer
	dropped atomic.Bool
}

func (r *bodyRef) drop() {
	if r.dropped.CompareAndSwap(false, true) {
		r.cb.release()
	}
}

// chunkMemory keeps the mapped buffers of finished uploads for a while, by
// exact size (one storage policy's chunk size each, in practice a handful):
// a facade serving upload after upload maps a chunk once instead of once per
// upload. At most maxIdleChunks per size are kept, and none longer than
// idleChunkTTL, so an idle facade gives the memory back.
var chunkMemory = &chunkPool{idle: map[int][]idleChunk{}}

const (
	maxIdleChunks = 2
	idleChunkTTL  = 30 * time.Second
)

type chunkPool struct {
	mu    sync.Mutex
	idle  map[int][]idleChunk
	timer *time.Timer
}

type idleChunk struct {
	cb    *chunkBuffer
	since time.Time
}

func (p *chunkPool) get(size int) *chunkBuffer {
	p.mu.Lock()
	defer p.mu.Unlock()
	list := p.idle[size]
	if len(list) == 0 {
		return nil
	}
	cb := list[len(list)-1].cb
	p.idle[size] = list[:len(list)-1]
	return cb
}

func (p *chunkPool) put(cb *chunkBuffer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	size := len(cb.b)
	if len(p.idle[size]) >= maxIdleChunks {
		unmapMemory(cb.b)
		return
	}
	p.idle[size] = append(p.idle[size], idleChunk{cb: cb, since: time.Now()})
	if p.timer == nil {
		p.timer = time.AfterFunc(idleChunkTTL, p.trim)
	}
}

// trim unmaps the buffers idle for idleChunkTTL, and comes back while any
// are left.
func (p *chunkPool) trim() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.timer = nil
	now := time.Now()
	left := false
	for size, list := range p.idle {
		kept := list[:0]
		for _, c := range list {
			if now.Sub(c.since) >= idleChunkTTL {
				unmapMemory(c.cb.b)
			} else {
				kept = append(kept, c)
			}
		}
		if len(kept) == 0 {
			delete(p.idle, size)
		} else {
			p.idle[size] = kept
			left = true
		}
	}
	if left {
		p.timer = time.AfterFunc(idleChunkTTL, p.trim)
	}
}

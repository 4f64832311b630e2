package transfer

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"runtime"
	"testing"
	"time"
)

// A chunk of mapped memory goes back only once the chunker and every body
// made from it let go, a body nobody closed included; until then it keeps
// its bytes.
func TestChunkMemoryReturnsWhenItsLastUserLetsGo(t *testing.T) {
	const size = minMapped + 3*4096 // a size no other test uses
	data := content(2 * size)
	c := NewChunker(bytes.NewReader(data), int64(len(data)), size)
	ch, err := c.Next()
	if err != nil {
		t.Fatal(err)
	}
	if !ch.mem.mapped {
		t.Fatal("a chunk of 1 MiB or more is in the Go heap")
	}
	sent := ch.Body()
	unsent := ch.Body() // a request never made: nobody closes it
	c.Close()
	if n := chunkMemory.held(size); n != 0 {
		t.Fatalf("the memory went back while two bodies hold it (%d kept)", n)
	}
	got, err := io.ReadAll(sent)
	if err != nil || !bytes.Equal(got, data[:size]) {
		t.Fatalf("a body read %d bytes after the chunker closed (%v)", len(got), err)
	}
	sent.(io.Closer).Close()
	if _, err := sent.Read(make([]byte, 1)); !errors.Is(err, errSuperseded) {
		t.Errorf("a closed body read on: %v", err)
	}
	if n := chunkMemory.held(size); n != 0 {
		t.Fatalf("the memory went back while a body nobody closed holds it (%d kept)", n)
	}
	runtime.KeepAlive(unsent)
	unsent = nil
	deadline := time.Now().Add(5 * time.Second)
	for chunkMemory.held(size) != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the memory of a body nobody closed never went back")
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}

// gatedSource blocks every read until its gate opens, and counts reads.
type gatedSource struct {
	data    []byte
	gate    chan struct{}
	entered chan struct{}
	reads   int
}

func (s *gatedSource) Read(p []byte) (int, error) {
	s.reads++
	s.entered <- struct{}{}
	<-s.gate
	n := copy(p, s.data)
	s.data = s.data[n:]
	return n, nil
}

// A request's transport may read a live chunk after the upload gave up on
// it. Closing the chunker waits for a read in flight; after it, the chunk
// reads neither the caller's stream nor into the buffer, and hashes nothing
// (the hasher is gone: hashing then would panic).
func TestClosingTheChunkerCutsOffALiveChunk(t *testing.T) {
	src := &gatedSource{data: content(100), gate: make(chan struct{}), entered: make(chan struct{}, 10)}
	c := NewChunker(src, 100, 40)
	ch, err := c.NextLive()
	if err != nil {
		t.Fatal(err)
	}
	body := ch.Body()
	read := make(chan error, 1)
	go func() {
		_, err := body.Read(make([]byte, 10))
		read <- err
	}()
	<-src.entered
	closed := make(chan struct{})
	go func() {
		c.Close()
		close(closed)
	}()
	select {
	case <-closed:
		t.Fatal("Close returned while a read of the live chunk was in flight")
	case <-time.After(50 * time.Millisecond):
	}
	close(src.gate)
	<-closed
	if err := <-read; err != nil {
		t.Fatalf("the read in flight: %v", err)
	}
	reads := src.reads
	if n, err := body.Read(make([]byte, 10)); n != 0 || !errors.Is(err, errSuperseded) {
		t.Errorf("after Close the live chunk read %d bytes (%v)", n, err)
	}
	if src.reads != reads {
		t.Error("after Close the live chunk read the source")
	}
}

// The pool keeps at most maxIdleChunks buffers of a size, and unmaps those
// idle for idleChunkTTL.
func TestIdleChunkMemoryIsBoundedAndTrimmed(t *testing.T) {
	const size = minMapped + 5*4096
	p := &chunkPool{idle: map[int][]idleChunk{}}
	for range maxIdleChunks + 2 {
		b, ok := mapMemory(size)
		if !ok {
			t.Fatal("mapping memory failed")
		}
		p.put(&chunkBuffer{b: b, mapped: true, keep: true})
	}
	if n := p.held(size); n != maxIdleChunks {
		t.Fatalf("%d buffers kept, want %d", n, maxIdleChunks)
	}
	if cb := p.get(size); cb == nil || len(cb.b) != size {
		t.Fatal("a kept buffer was not handed out")
	} else {
		p.put(cb)
	}
	p.mu.Lock()
	p.idle[size][0].since = time.Now().Add(-idleChunkTTL)
	p.mu.Unlock()
	p.trim()
	if n := p.held(size); n != maxIdleChunks-1 {
		t.Fatalf("%d buffers kept after trimming one old one, want %d", n, maxIdleChunks-1)
	}
	p.mu.Lock()
	for i := range p.idle[size] {
		p.idle[size][i].since = time.Now().Add(-idleChunkTTL)
	}
	p.mu.Unlock()
	p.trim()
	if n := p.held(size); n != 0 {
		t.Fatalf("%d buffers kept after they all aged", n)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.timer != nil {
		t.Error("an empty pool still has a trim timer")
	}
}

// held is how many buffers of size are kept.
func (p *chunkPool) held(size int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle[size])
}

// A request whose body replays a kept chunk can be sent again by net/http
// (redirects, a closed kept-alive connection): GetBody gives the same bytes.
func TestKeptChunkBodiesAreResendable(t *testing.T) {
	data := content(40)
	c := NewChunker(bytes.NewReader(data), 40, 16)
	defer c.Close()
	ch, err := c.Next()
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, "http://upstream.invalid/chunk", ch.Body())
	if err != nil {
		t.Fatal(err)
	}
	resendable(req)
	if req.GetBody == nil {
		t.Fatal("no GetBody for a kept chunk's body")
	}
	again, err := req.GetBody()
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	first, _ := io.ReadAll(req.Body)
	second, _ := io.ReadAll(again)
	req.Body.Close()
	if !bytes.Equal(first, data[:16]) || !bytes.Equal(second, data[:16]) {
		t.Errorf("the body read %q, GetBody's %q", first, second)
	}
}

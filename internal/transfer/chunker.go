package transfer

import (
	"bytes"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"
)

// ErrSizeMismatch is returned when the content does not have the size the
// caller declared.
var ErrSizeMismatch = errors.New("transfer: the content is not the declared size")

// Chunk is one piece of an upload, as the upstream numbers it.
type Chunk struct {
	Index  int
	Offset int64 // of the first byte in the file
	Size   int64
	Total  int64 // the file's size
	Last   bool

	data []byte       // a buffered chunk: replayable, so retried on failure
	live *liveFill    // a chunk read from the source while it is sent
	body io.Reader    // a streamed chunk (whole-file uploads): sent once
	mem  *chunkBuffer // the memory of data and live, held by replay bodies
}

// Body returns a reader of the chunk's bytes for one attempt to send it. A
// live chunk's first body reads from the source as it goes; later ones (see
// settle) replay what was kept. A streamed chunk has only one body. A body
// that replays kept bytes holds on to them until it is closed (see
// chunkBuffer); it must be sent, or closed, before the chunker is.
func (c Chunk) Body() io.Reader {
	switch {
	case c.live != nil && !c.live.settled():
		return c.live
	case c.live != nil:
		return c.mem.body(c.live.buf)
	case c.mem != nil:
		return c.mem.body(c.data)
	case c.body == nil:
		return bytes.NewReader(c.data)
	}
	return c.body
}

// Replayable reports whether the chunk can be sent again after a failure.
func (c Chunk) Replayable() bool { return c.body == nil }

// settle makes a live chunk replayable: the attempt reading the source is cut
// off and the rest of the chunk is read. It fails when the source does.
func (c Chunk) settle() error {
	if c.live == nil {
		return nil
	}
	return c.live.complete()
}

// sourceErr is the failure of the source met while reading a live chunk.
func (c Chunk) sourceErr() error {
	if c.live == nil {
		return nil
	}
	c.live.mu.Lock()
	defer c.live.mu.Unlock()
	return c.live.err
}

// End is the offset of the chunk's last byte (Offset-1 for an empty chunk).
func (c Chunk) End() int64 { return c.Offset + c.Size - 1 }

// Chunker re-slices content that arrives in pieces of any size into chunks of
// exactly chunkSize bytes (the last one shorter). It holds one chunk in memory
// and hashes everything it reads, on a goroutine of its own. Close ends both.
type Chunker struct {
	src       io.Reader
	total     int64
	chunkSize int64
	mem       *chunkBuffer // one chunk's memory, reused for every chunk
	fill      *liveFill    // the latest live chunk
	next      int
	read      int64
	hash      *hasher
	done      bool
}

// hashDepth is how many pieces of a chunk may wait to be hashed.
const hashDepth = 64

// NewChunker reads total bytes from src in chunks of chunkSize. An empty file
// is one empty chunk, as the upstream expects. The caller must Close it.
func NewChunker(src io.Reader, total, chunkSize int64) *Chunker {
	return newChunker(src, total, chunkSize, true)
}

// newChunker is NewChunker, hashing only when hashed is true.
func newChunker(src io.Reader, total, chunkSize int64, hashed bool) *Chunker {
	if chunkSize <= 0 {
		panic("transfer: chunk size must be positive")
	}
	return &Chunker{src: src, total: total, chunkSize: chunkSize, hash: newHasherIf(hashed, hashDepth)}
}

// Close ends the hashing goroutine and lets go of the chunk's memory; bodies
// of chunks already returned keep what they read (see Chunk.Body). A live
// chunk still being read by a request's transport is cut off first, waiting
// for a read in flight, so that nothing reads the source or writes the
// buffer after Close. It may be called more than once.
func (c *Chunker) Close() {
	if c.fill != nil {
		c.fill.abandon()
	}
	c.hash.stop()
	if c.mem != nil {
		c.mem.release()
		c.mem = nil
	}
}

// reuse makes the chunk buffer ready for the next chunk: the hasher may
// still read the previous one.
func (c *Chunker) reuse() []byte {
	if c.mem == nil {
		// A whole chunk is kept for the next upload; a smaller file is not.
		whole := c.total >= c.chunkSize
		c.mem = newChunkBuffer(int(min(c.chunkSize, c.total)), whole)
	} else {
		c.hash.sync()
	}
	return c.mem.b
}

// Count is the number of chunks the content makes.
func Count(total, chunkSize int64) int {
	if total == 0 || chunkSize <= 0 {
		return 1
	}
	return int((total + chunkSize - 1) / chunkSize)
}

// Next returns the next chunk, or io.EOF after the last one. The chunk's
// bytes are valid until the following call. It fails with ErrSizeMismatch
// when the source ends early or has more than the declared size, and with the
// source's own error when reading fails.
func (c *Chunker) Next() (Chunk, error) {
	if c.done {
		return Chunk{}, io.EOF
	}
	offset := int64(c.next) * c.chunkSize
	size := min(c.chunkSize, c.total-offset)
	data := c.reuse()[:size]
	n, err := io.ReadFull(c.src, data)
	c.hash.write(data[:n], nil)
	c.read += int64(n)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || (errors.Is(err, io.EOF) && size > 0):
		return Chunk{}, fmt.Errorf("%w: got %d bytes, want %d", ErrSizeMismatch, c.read, c.total)
	case err != nil && !errors.Is(err, io.EOF):
		return Chunk{}, err
	}
	last := offset+size >= c.total
	if last {
		if err := c.expectEOF(); err != nil {
			return Chunk{}, err
		}
		c.done = true
	}
	ch := Chunk{Index: c.next, Offset: offset, Size: size, Total: c.total, Last: last, data: data, mem: c.mem}
	c.next++
	return ch, nil
}

// NextLive is Next for a sender that can start before the chunk is
// complete: the chunk's first Body reads the source as it is sent, keeping
// the bytes (still one chunk in memory), so that receiving from the caller
// and sending upstream overlap. The last chunk is read whole before it goes,
// since sending it completes the upload and the source must first prove to
// end there.
func (c *Chunker) NextLive() (Chunk, error) {
	if c.done {
		return Chunk{}, io.EOF
	}
	offset := int64(c.next) * c.chunkSize
	size := min(c.chunkSize, c.total-offset)
	if offset+size >= c.total {
		return c.Next()
	}
	c.fill = &liveFill{c: c, buf: c.reuse()[:size]}
	ch := Chunk{Index: c.next, Offset: offset, Size: size, Total: c.total, live: c.fill, mem: c.mem}
	c.next++
	return ch, nil
}

// errSuperseded ends a live read that a retry took over.
var errSuperseded = errors.New("transfer: this attempt was superseded by a retry")

// liveFill reads a chunk from the source while a request sends it, keeping
// the bytes. The request's transport may read on from another goroutine
// after the request returned, so every read holds mu.
type liveFill struct {
	mu   sync.Mutex
	c    *Chunker
	buf  []byte
	n    int   // bytes of buf read so far
	err  error // the source's failure, if any
	done bool  // settled: reads come from buf only
}

func (f *liveFill) Read(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.done:
		return 0, errSuperseded
	case f.err != nil:
		return 0, f.err
	case f.n == len(f.buf):
		return 0, io.EOF
	}
	m, err := f.read(min(len(p), len(f.buf)-f.n))
	copy(p, f.buf[f.n-m:f.n])
	return m, err
}

// WriteTo sends the chunk to w as it arrives from the source, in the pieces
// the source yields, without the copy Read makes. It holds mu while it
// writes, so that a retry settling the chunk waits for a transport still
// writing this attempt (the transport ends that write when it gives up on
// the connection).
func (f *liveFill) WriteTo(w io.Writer) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var total int64
	for {
		switch {
		case f.done:
			return total, errSuperseded
		case f.err != nil:
			return total, f.err
		case f.n == len(f.buf):
			return total, nil
		}
		from := f.n
		m, rerr := f.read(len(f.buf) - f.n)
		if m > 0 {
			k, werr := w.Write(f.buf[from : from+m])
			total += int64(k)
			if werr != nil {
				return total, werr
			}
		}
		if rerr != nil {
			return total, rerr
		}
	}
}

// read takes up to k more bytes from the source into buf. Callers hold mu.
func (f *liveFill) read(k int) (int, error) {
	m, err := f.c.src.Read(f.buf[f.n : f.n+k])
	f.c.hash.write(f.buf[f.n:f.n+m], nil)
	f.n += m
	f.c.read += int64(m)
	if errors.Is(err, io.EOF) {
		err = nil
		if f.n < len(f.buf) {
			err = fmt.Errorf("%w: got %d bytes, want %d", ErrSizeMismatch, f.c.read, f.c.total)
		}
	}
	if err != nil {
		f.err = err
	}
	return m, err
}

func (f *liveFill) settled() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.done
}

// abandon stops live reading for good, without reading the rest; it waits
// for a read in flight.
func (f *liveFill) abandon() {
	f.mu.Lock()
	f.done = true
	f.mu.Unlock()
}

// complete stops live reading and reads the rest of the chunk.
func (f *liveFill) complete() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.done = true
	for f.err == nil && f.n < len(f.buf) {
		if _, err := f.read(len(f.buf) - f.n); err != nil {
			return err
		}
	}
	return f.err
}

// expectEOF checks that the source has nothing after the declared size.
func (c *Chunker) expectEOF() error { return nothingAfter(c.src, c.total) }

// nothingAfter checks that r, read up to a declared total, has no more bytes.
func nothingAfter(r io.Reader, total int64) error {
	var one [1]byte
	for {
		n, err := r.Read(one[:])
		if n > 0 {
			return fmt.Errorf("%w: more than the %d bytes declared", ErrSizeMismatch, total)
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// Sum is the SHA-256 of everything read (nil when not hashed); it ends the
// hashing goroutine, so nothing may be read after it.
func (c *Chunker) Sum() []byte { return c.hash.sum() }

// Chunks is how many chunks Next returned.
func (c *Chunker) Chunks() int { return c.next }

// countingReader checks a streamed body against its declared size and hashes
// it on the way. failed keeps the first error it met, so that a request that
// broke because of it can report the cause.
type countingReader struct {
	r      io.Reader
	total  int64
	n      int64
	hash   hash.Hash
	failed error
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n == c.total {
		return 0, io.EOF
	}
	if rest := c.total - c.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := c.r.Read(p)
	if c.hash != nil {
		c.hash.Write(p[:n])
	}
	c.n += int64(n)
	switch {
	case errors.Is(err, io.EOF) && c.n < c.total:
		err = fmt.Errorf("%w: got %d bytes, want %d", ErrSizeMismatch, c.n, c.total)
	case errors.Is(err, io.EOF):
		err = nil
	}
	if err != nil && c.failed == nil {
		c.failed = err
	}
	return n, err
}

// finish checks that the whole declared size was read and that nothing
// follows it.
func (c *countingReader) finish() error {
	if c.n < c.total {
		return fmt.Errorf("%w: got %d bytes, want %d", ErrSizeMismatch, c.n, c.total)
	}
	return nothingAfter(c.r, c.total)
}

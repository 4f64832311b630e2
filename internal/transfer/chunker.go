package transfer

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
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

	data []byte    // a buffered chunk: replayable, so retried on failure
	body io.Reader // a streamed chunk (whole-file uploads): sent once
}

// Body returns a fresh reader of the chunk's bytes. A streamed chunk has only
// one body.
func (c Chunk) Body() io.Reader {
	if c.data != nil || c.body == nil {
		return bytes.NewReader(c.data)
	}
	return c.body
}

// Replayable reports whether the chunk can be sent again after a failure.
func (c Chunk) Replayable() bool { return c.body == nil }

// End is the offset of the chunk's last byte (Offset-1 for an empty chunk).
func (c Chunk) End() int64 { return c.Offset + c.Size - 1 }

// Chunker re-slices content that arrives in pieces of any size into chunks of
// exactly chunkSize bytes (the last one shorter). It holds one chunk in memory
// and hashes everything it reads.
type Chunker struct {
	src       io.Reader
	total     int64
	chunkSize int64
	buf       []byte
	next      int
	read      int64
	hash      hash.Hash
	done      bool
}

// NewChunker reads total bytes from src in chunks of chunkSize. An empty file
// is one empty chunk, as the upstream expects.
func NewChunker(src io.Reader, total, chunkSize int64) *Chunker {
	if chunkSize <= 0 {
		panic("transfer: chunk size must be positive")
	}
	return &Chunker{src: src, total: total, chunkSize: chunkSize, hash: sha256.New()}
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
	if c.buf == nil {
		c.buf = make([]byte, min(c.chunkSize, c.total))
	}
	data := c.buf[:size]
	n, err := io.ReadFull(c.src, data)
	c.hash.Write(data[:n])
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
	ch := Chunk{Index: c.next, Offset: offset, Size: size, Total: c.total, Last: last, data: data}
	c.next++
	return ch, nil
}

// expectEOF checks that the source has nothing after the declared size.
func (c *Chunker) expectEOF() error {
	var one [1]byte
	for {
		n, err := c.src.Read(one[:])
		if n > 0 {
			return fmt.Errorf("%w: more than the %d bytes declared", ErrSizeMismatch, c.total)
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// Sum is the SHA-256 of everything read so far.
func (c *Chunker) Sum() []byte { return c.hash.Sum(nil) }

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
	c.hash.Write(p[:n])
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
	var one [1]byte
	for {
		n, err := c.r.Read(one[:])
		if n > 0 {
			return fmt.Errorf("%w: more than the %d bytes declared", ErrSizeMismatch, c.total)
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

package transfer

import "sync"

// chunkBuffers keeps the chunk buffers of finished uploads for the next
// ones: a facade that serves upload after upload would otherwise make a
// chunk (25 MiB by default) of garbage for each, and the heap would grow to
// twice what is live before it is collected. Only whole chunks are kept, by
// exact size: one pool per storage policy's chunk size, in practice a
// handful; buffers below minPooled are not worth keeping.
var chunkBuffers = &bufferPool{pools: map[int]*sync.Pool{}}

const minPooled = 1 << 20

type bufferPool struct {
	mu    sync.Mutex
	pools map[int]*sync.Pool
}

func (b *bufferPool) pool(size int) *sync.Pool {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.pools[size]
	if p == nil {
		p = &sync.Pool{}
		b.pools[size] = p
	}
	return p
}

// get returns a buffer of length size.
func (b *bufferPool) get(size int64) []byte {
	if size < minPooled {
		return make([]byte, size)
	}
	if buf, ok := b.pool(int(size)).Get().(*[]byte); ok {
		return *buf
	}
	return make([]byte, size)
}

// put keeps buf for a later get of its length.
func (b *bufferPool) put(buf []byte) {
	if len(buf) < minPooled || len(buf) != cap(buf) {
		return
	}
	b.pool(len(buf)).Put(&buf)
}

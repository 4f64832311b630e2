package uploadcodec

import (
	"math/bits"
	"sync"
)

// Buffers are pooled by power-of-two size, from 4 KiB to 16 MiB; larger
// ones are left to the garbage collector.
const (
	minClass = 12 // 4 KiB
	maxClass = 24 // 16 MiB
)

var pools [maxClass + 1]sync.Pool

func class(n int) int {
	if n <= 1<<minClass {
		return minClass
	}
	return bits.Len(uint(n - 1))
}

// Get returns a buffer of length n, pooled when its size class is.
func Get(n int) []byte {
	c := class(n)
	if c > maxClass {
		return make([]byte, n)
	}
	if p, ok := pools[c].Get().(*[]byte); ok {
		return (*p)[:n]
	}
	return make([]byte, n, 1<<c)
}

// Release gives back a buffer from Get once nothing reads it any more.
// Buffers not from Get (another capacity) are left alone.
func Release(b []byte) {
	c := class(cap(b))
	if c > maxClass || cap(b) != 1<<c {
		return
	}
	b = b[:0]
	pools[c].Put(&b)
}

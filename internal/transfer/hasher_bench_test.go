package transfer

import (
	"testing"
)

// BenchmarkHasher is the price of the transfers' SHA-256 on this machine,
// the hasher's goroutine included: what skip_sha256 saves per GiB, and a
// bound on how fast one transfer can go while it hashes (one core at most
// works on a transfer's hash).
func BenchmarkHasher(b *testing.B) {
	const slice = 1 << 20
	bufs := make(chan []byte, 4)
	for range cap(bufs) {
		bufs <- make([]byte, slice)
	}
	h := newHasher(cap(bufs))
	b.SetBytes(slice)
	for b.Loop() {
		h.write(<-bufs, bufs)
	}
	h.stop()
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*float64(1<<30)/slice, "s/GiB")
}

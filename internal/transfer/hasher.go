package transfer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"hash"
)

// hasher computes a SHA-256 on a goroutine of its own, so that hashing
// (about 0.7 s of CPU per GiB) runs beside the copying of content instead of
// adding to it. Slices handed to write are hashed in order; their owner must
// leave them unchanged until the hasher gives them back (the back channel)
// or until sync returns. At most depth slices wait, so a hasher slower than
// the transfer holds the transfer back rather than letting memory grow.
//
// Every hasher must be ended with sum or stop, on every path, so that its
// goroutine ends.
type hasher struct {
	off    bool // the caller waived the checksum: slices go straight back
	jobs   chan hashJob
	done   chan struct{}
	h      hash.Hash
	digest []byte
}

type hashJob struct {
	b []byte
	// back receives b once it is hashed; it must have room, so that the
	// hashing goroutine never waits on its owner. Nil for none.
	back chan<- []byte
}

func newHasher(depth int) *hasher {
	return newHasherIf(true, depth)
}

// newHasherIf is newHasher, or with on false one that hashes nothing (no
// goroutine; sum is nil).
func newHasherIf(on bool, depth int) *hasher {
	if !on {
		return &hasher{off: true}
	}
	h := &hasher{jobs: make(chan hashJob, max(depth, 1)), done: make(chan struct{}), h: sha256.New()}
	go h.run()
	return h
}

func (h *hasher) run() {
	defer close(h.done)
	for j := range h.jobs {
		h.h.Write(j.b)
		if j.back != nil {
			j.back <- j.b
		}
	}
}

// write queues b to be hashed after what was written before.
func (h *hasher) write(b []byte, back chan<- []byte) {
	if h.off {
		if back != nil {
			back <- b // has room, as for the goroutine
		}
		return
	}
	if len(b) == 0 && back == nil {
		return
	}
	h.live()
	h.jobs <- hashJob{b: b, back: back}
}

// sync waits until everything written so far is hashed, so that its
// slices may change.
func (h *hasher) sync() {
	if h.off {
		return
	}
	h.live()
	back := make(chan []byte, 1)
	h.jobs <- hashJob{back: back}
	<-back
}

// live panics on a use after stop, which would otherwise block for ever.
func (h *hasher) live() {
	if h.jobs == nil {
		panic("transfer: hashing after the sum was taken")
	}
}

// stop ends the goroutine once it hashed what it was given. It may be
// called more than once, and after sum.
func (h *hasher) stop() {
	if h.off {
		return
	}
	if h.jobs == nil {
		return
	}
	close(h.jobs)
	<-h.done
	h.jobs = nil
	h.digest = h.h.Sum(nil)
}

// sum stops the hasher and returns the SHA-256 of everything written.
func (h *hasher) sum() []byte {
	h.stop()
	return h.digest
}

func (h *hasher) hex() string {
	if h.off {
		return ""
	}
	return hex.EncodeToString(h.sum())
}

type noChecksumKey struct{}

// WithoutChecksum marks a transfer whose caller waived the SHA-256: it is
// not computed (saving about 0.7 s of CPU per GiB) and the result's SHA256
// is empty.
func WithoutChecksum(ctx context.Context) context.Context {
	return context.WithValue(ctx, noChecksumKey{}, true)
}

func checksumWanted(ctx context.Context) bool {
	waived, _ := ctx.Value(noChecksumKey{}).(bool)
	return !waived
}

package sandbox

import (
	"encoding/binary"
	"strings"
)

// Object kinds; each has its own id sequence and its own hashid space, so an
// id of one kind never decodes as another.
const (
	kindUser = iota + 1
	kindGroup
	kindFile
	kindEntity
	kindPolicy
	kindTask
	kindNode
	kindShare
	kindDirectLink
	kindActivity
)

const (
	idKindBits = 4
	idBits     = 34 // 30 bits of sequence + 4 bits of kind: at most 6 base62 digits
	idMask     = 1<<idBits - 1
	idMinLen   = 4
	base62     = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)

// hasher makes short, opaque, kind-specific ids like "qlboH4" from sequence
// numbers: an invertible scramble of (n, kind) under a per-process key,
// written in base62.
type hasher struct{ mul, inv, xor uint64 }

func newHasher() *hasher {
	b := randomBytes(16)
	mul := binary.LittleEndian.Uint64(b[:8])&idMask | 1
	inv := mul // Newton's iteration for the inverse modulo 2^64
	for range 6 {
		inv *= 2 - mul*inv
	}
	return &hasher{mul: mul, inv: inv & idMask, xor: binary.LittleEndian.Uint64(b[8:]) & idMask}
}

func (h *hasher) encode(kind int, n int64) string {
	v := (uint64(n)<<idKindBits | uint64(kind)) & idMask
	v = (v*h.mul)&idMask ^ h.xor
	var out []byte
	for v > 0 {
		out = append(out, base62[v%62])
		v /= 62
	}
	for len(out) < idMinLen {
		out = append(out, base62[0])
	}
	// Most significant digit first.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

// decode returns the sequence number of an id of the given kind.
func (h *hasher) decode(kind int, s string) (int64, bool) {
	if len(s) == 0 || len(s) > 6 {
		return 0, false
	}
	var v uint64
	for _, c := range []byte(s) {
		d := strings.IndexByte(base62, c)
		if d < 0 {
			return 0, false
		}
		v = v*62 + uint64(d)
	}
	if v > idMask {
		return 0, false
	}
	v = ((v ^ h.xor) * h.inv) & idMask
	if int(v&(1<<idKindBits-1)) != kind {
		return 0, false
	}
	n := int64(v >> idKindBits)
	return n, n > 0
}

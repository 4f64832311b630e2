// Package boolset reads and writes Cloudreve's boolean sets (its
// pkg/boolset): a little-endian bit array, bit n at byte n/8 under the mask
// 1<<(n%8), in standard base64. Group permissions, navigator capabilities,
// WebDAV account options and node capabilities travel in this form.
package boolset

import "encoding/base64"

// Set is a decoded boolean set.
type Set []byte

// Decode reads a base64 boolean set; the empty string is the empty set.
func Decode(s string) (Set, error) {
	return base64.StdEncoding.DecodeString(s)
}

// Has tells whether bit n is set; bits past the end are unset, as upstream.
func (s Set) Has(n int) bool {
	return n >= 0 && n/8 < len(s) && s[n/8]&(1<<(n%8)) != 0
}

// Bits lists the positions of the set bits in ascending order.
func (s Set) Bits() []int {
	var out []int
	for i, b := range s {
		for bit := range 8 {
			if b&(1<<bit) != 0 {
				out = append(out, i*8+bit)
			}
		}
	}
	return out
}

// Encode writes the set with the given bits, as short as the highest bit
// allows (Cloudreve grows the array the same way).
func Encode(bits ...int) string {
	top := 0
	for _, b := range bits {
		top = max(top, b)
	}
	raw := make([]byte, top/8+1)
	for _, b := range bits {
		raw[b/8] |= 1 << (b % 8)
	}
	return base64.StdEncoding.EncodeToString(raw)
}

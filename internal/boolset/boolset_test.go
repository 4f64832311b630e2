package boolset

import (
	"slices"
	"testing"
)

// Values seen from real servers: the default Admin group of 4.0.0 and
// 4.18.0 answers "/RoB" (bits 0,2-7,9,11,12,16) and the User group "hAg="
// (bits 2,7,11).
func TestDecodeRealGroups(t *testing.T) {
	for raw, want := range map[string][]int{
		"/RoB": {0, 2, 3, 4, 5, 6, 7, 9, 11, 12, 16},
		"hAg=": {2, 7, 11},
		"":     nil,
	} {
		s, err := Decode(raw)
		if err != nil {
			t.Fatalf("%q: %v", raw, err)
		}
		if got := s.Bits(); !slices.Equal(got, want) {
			t.Errorf("%q decodes to bits %v, want %v", raw, got, want)
		}
		if Encode(want...) != raw && raw != "" {
			t.Errorf("bits %v encode to %q, want %q", want, Encode(want...), raw)
		}
	}
}

func TestHas(t *testing.T) {
	s, _ := Decode(Encode(1, 17))
	for n, want := range map[int]bool{-1: false, 0: false, 1: true, 16: false, 17: true, 64: false} {
		if s.Has(n) != want {
			t.Errorf("Has(%d) = %v, want %v", n, !want, want)
		}
	}
}

func TestDecodeRejectsNonBase64(t *testing.T) {
	if _, err := Decode("not base64!"); err == nil {
		t.Error("a malformed set decoded without error")
	}
}

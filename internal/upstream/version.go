package upstream

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a Cloudreve server's version, as its ping answers it
// ("4.18.0", "4.18.0-pro"). The zero value is an unknown version.
type Version struct {
	Major, Minor, Patch int
	// Pro is the commercial edition (the ping answer ends in "-pro").
	Pro bool
}

// Editions, as the facade_upstream_info metric names them.
const (
	EditionCommunity = "community"
	EditionPro       = "pro"
)

// ParseVersion reads a ping answer: "MAJOR.MINOR.PATCH", optionally followed
// by "-pro" or another pre-release suffix (which is kept out of the numbers).
func ParseVersion(s string) (Version, error) {
	core, suffix, _ := strings.Cut(strings.TrimSpace(s), "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return Version{}, fmt.Errorf("upstream version %q: want MAJOR.MINOR.PATCH", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return Version{}, fmt.Errorf("upstream version %q: %q is not a number", s, p)
		}
		n[i] = v
	}
	if n == [3]int{} {
		return Version{}, fmt.Errorf("upstream version %q: 0.0.0", s)
	}
	return Version{Major: n[0], Minor: n[1], Patch: n[2], Pro: suffix == "pro" || strings.HasSuffix(suffix, ".pro")}, nil
}

// V is a version literal for comparisons: V(4, 18, 0).
func V(major, minor, patch int) Version { return Version{Major: major, Minor: minor, Patch: patch} }

// Known reports whether the version was read (the zero value was not).
func (v Version) Known() bool { return v != Version{} && v != Version{Pro: true} }

// AtLeast reports whether v is major.minor.patch or newer; the edition does
// not count.
func (v Version) AtLeast(major, minor, patch int) bool {
	return v.compare(V(major, minor, patch)) >= 0
}

// Before reports whether v is older than w; the edition does not count.
func (v Version) Before(w Version) bool { return v.compare(w) < 0 }

func (v Version) compare(w Version) int {
	switch {
	case v.Major != w.Major:
		return v.Major - w.Major
	case v.Minor != w.Minor:
		return v.Minor - w.Minor
	}
	return v.Patch - w.Patch
}

// Edition is EditionCommunity or EditionPro.
func (v Version) Edition() string {
	if v.Pro {
		return EditionPro
	}
	return EditionCommunity
}

// String is the numbers only ("4.18.0"), or "unknown".
func (v Version) String() string {
	if !v.Known() {
		return "unknown"
	}
	return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
}

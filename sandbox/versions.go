package sandbox

import (
	"fmt"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Releases a sandbox can imitate (Options.Version).
const (
	// Version is the default: the release the spec describes.
	Version = "4.18.0"
	// Version40 is the first 4.x release. What it does differently, as
	// observed on a real 4.0.0 and read in its source: no archive listing
	// (GET /file/archive) and no direct-link deletion (DELETE
	// /file/source/{id}), both plain 404s; an upload session ignores
	// `previous` and needs `policy_id` (40001 "unknown policy id" without); shares have no password_protected (size stays 0), and
	// their URL carries the password for every caller; share show_readme,
	// the preference share_links_in_profile, an extraction's file_mask and
	// a WebDAV account's disable_sys_files are dropped without a word; and
	// there is no file event channel (GET /file/events, since 4.11.0): 404.
	Version40 = "4.0.0"
)

// parseVersion checks Options.Version: only releases whose differences the
// sandbox knows are accepted.
func parseVersion(s string) (upstream.Version, error) {
	if s == "" {
		s = Version
	}
	if s != Version && s != Version40 {
		return upstream.Version{}, fmt.Errorf("sandbox: Options.Version %q: want %q or %q", s, Version40, Version)
	}
	v, err := upstream.ParseVersion(s)
	if err != nil {
		return upstream.Version{}, fmt.Errorf("sandbox: %w", err)
	}
	return v, nil
}

// has reports whether the imitated release has f.
func (s *cloudreve) has(f upstream.Feature) bool { return f.In(s.version) }

// missingOperations are the operations of the spec the imitated release does
// not route, as ServeMux patterns; they answer the plain 404 of an unknown
// route.
func (s *cloudreve) missingOperations() map[string]bool {
	out := map[string]bool{}
	for _, f := range []upstream.Feature{upstream.FeatureGetArchiveFileList, upstream.FeatureDeleteDirectLink} {
		if s.has(f) {
			continue
		}
		info, ok := specOps().byName[goName(f.Name)]
		if !ok {
			panic("sandbox: no operation " + f.Name + " in the spec")
		}
		out[info.method+" "+APIPrefix+info.path] = true
	}
	return out
}

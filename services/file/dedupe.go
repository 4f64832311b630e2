package file

import "github.com/cloudreve-connect/facade/gen/cloudreveapi"

// recentIDs remembers the file ids of the previous upstream page of a
// listing, so that StreamFiles gives each file once.
//
// Cloudreve repeats items across cursor pages when a listing is ordered by
// time (updated_at on 4.0.0 and 4.18.0, created_at from 4.16.0): its database
// compares the stored time, which carries Go's monotonic clock suffix, with
// the cursor's time, which does not, so every item of the cursor's instant
// comes again at the top of the next page. All of them were on the page
// the cursor came from (a repeat there too, if it was one), so the previous
// page's ids are enough: memory is bounded by two pages of ids (at most
// 2 × 2000), however long the listing.
type recentIDs struct {
	prev, cur map[string]bool
}

// fresh starts a new page: it records the page's ids and returns the files
// that were not on the previous page (nor earlier on this one).
func (r *recentIDs) fresh(page []cloudreveapi.FileResponse) []cloudreveapi.FileResponse {
	r.prev, r.cur = r.cur, make(map[string]bool, len(page))
	out := make([]cloudreveapi.FileResponse, 0, len(page))
	for _, f := range page {
		seen := f.Id != "" && (r.prev[f.Id] || r.cur[f.Id])
		r.cur[f.Id] = true
		if !seen {
			out = append(out, f)
		}
	}
	return out
}

package sandbox

import (
	"sort"
	"time"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Listings ordered by time page the way Cloudreve 4.x pages them, with
// their duplicates.
//
// The real server pages a folder with a keyset cursor: the next page token
// holds the last item's time and id, and the next page is "folders after
// the cursor, then all files" (or only "files after the cursor" once the
// folders ran out), each "after" meaning time > T, or time = T and id > ID
// (< for descending). Its SQLite driver (modernc.org/sqlite without
// _time_format) stores a time as Go's time.Time.String(), and compares those
// strings. A time the server took from its clock (time.Now()) carries a
// monotonic reading, so it is stored as "… +0000 UTC m=+12.345678901"; the
// same instant decoded from a page token has none and prints without the
// suffix. The stored string is therefore greater than the cursor's for the
// same instant:
//   - ascending, the item the cursor points at (and every item of the same
//     instant) comes again on the next page: each page repeats the previous
//     page's last item (250 files listed in pages of 50 came back as 255);
//   - descending, items of the cursor's instant with a smaller id are
//     skipped.
//
// Times that came from a client (an upload's last_modified, 4.18) have no
// monotonic reading and page correctly. Before 4.16.0 a created_at listing
// pages by id only (its token carries no time), without repeats.

// createdAtTimeCursorSince is the first release whose created_at cursor
// holds a time (read in the server's source).
var createdAtTimeCursorSince = upstream.V(4, 16, 0)

// timeCursor is the next page token of a listing ordered by time.
type timeCursor struct {
	Time          time.Time `json:"time"`
	ID            int64     `json:"id"`
	StartWithFile bool      `json:"start_with_file,omitempty"`
}

// dbTime is a time as the server's database holds and compares it.
func dbTime(t time.Time) string { return t.String() }

// timeOf is the time a listing is ordered by.
func timeOf(n *fsNode, key string) time.Time {
	if key == "created_at" {
		return n.created
	}
	return n.updated
}

// sortByTime orders folders first, then by the stored time and id, as the
// server's ORDER BY does.
func sortByTime(items []*fsNode, key string, desc bool) {
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.folder != b.folder {
			return a.folder
		}
		ta, tb := dbTime(timeOf(a, key)), dbTime(timeOf(b, key))
		if ta != tb {
			return (ta < tb) != desc
		}
		return (a.id < b.id) != desc
	})
}

// afterCursor is the server's cursor predicate on stored times.
func afterCursor(n *fsNode, key string, desc bool, c *timeCursor) bool {
	stored, at := dbTime(timeOf(n, key)), dbTime(c.Time)
	if desc {
		return stored < at || (stored == at && n.id < c.ID)
	}
	return stored > at || (stored == at && n.id > c.ID)
}

// timePage is one page of sorted items after cursor c (nil for the first
// page) and the cursor of the next page (nil at the end), computed as the
// server does: folders after the cursor, topped up with files.
func timePage(sorted []*fsNode, key string, desc bool, pageSize int, c *timeCursor) ([]*fsNode, *timeCursor) {
	var folders, files []*fsNode
	for _, n := range sorted {
		if n.folder {
			folders = append(folders, n)
		} else {
			files = append(files, n)
		}
	}
	after := func(in []*fsNode) []*fsNode {
		if c == nil {
			return in
		}
		var out []*fsNode
		for _, n := range in {
			if afterCursor(n, key, desc, c) {
				out = append(out, n)
			}
		}
		return out
	}
	var got []*fsNode
	startWithFile := c != nil && c.StartWithFile
	if startWithFile {
		got = after(files)
	} else {
		got = after(folders)
		if len(got) < pageSize+1 {
			got = append(got, files...)
			startWithFile = true
		}
	}
	if len(got) <= pageSize {
		return got, nil
	}
	last := got[pageSize-1]
	return got[:pageSize], &timeCursor{Time: timeOf(last, key), ID: last.id, StartWithFile: startWithFile}
}

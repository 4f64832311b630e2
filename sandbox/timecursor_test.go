package sandbox

import (
	"fmt"
	"testing"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/values"
)

// What Cloudreve 4.0.0 and 4.18.0 did with 250 files (here with a folder)
// listed 50 at a time:
// ascending by updated_at (and by created_at on 4.18.0), each page after
// the first began with the previous page's last file, 255 items in 6 pages;
// descending, 250 in 5.
func TestTimeOrderedPagesRepeatLikeTheServer(t *testing.T) {
	for _, release := range []string{Version, Version40} {
		t.Run(release, func(t *testing.T) { timeOrderedPages(t, release) })
	}
}

func timeOrderedPages(t *testing.T, release string) {
	e := newEnv(t, Options{Version: release})
	_, c := e.user("ann@example.com")
	for i := range 250 {
		put(t, c, fmt.Sprintf("cloudreve://my/many/f%03d", i), "x")
	}
	mkdir(t, c, "cloudreve://my/many/sub")
	walk := func(by cloudreveapi.ListFilesParamsOrderBy, dir cloudreveapi.ListFilesParamsOrderDirection) (ids []string, pages int) {
		tok := ""
		for {
			p := &cloudreveapi.ListFilesParams{Uri: "cloudreve://my/many", PageSize: values.Ptr(50), OrderBy: &by, OrderDirection: &dir}
			if tok != "" {
				p.NextPageToken = &tok
			}
			r := must(c.ListFilesWithResponse(bg, p))
			code(t, "list", r.JSON200.Code, 0, r.JSON200.Msg)
			pages++
			for _, f := range r.JSON200.Data.Files {
				ids = append(ids, f.Id)
			}
			if r.JSON200.Data.Pagination.NextToken == nil {
				return ids, pages
			}
			tok = *r.JSON200.Data.Pagination.NextToken
		}
	}
	distinct := func(ids []string) int {
		seen := map[string]bool{}
		for _, id := range ids {
			seen[id] = true
		}
		return len(seen)
	}
	for _, by := range []cloudreveapi.ListFilesParamsOrderBy{"updated_at", "created_at"} {
		ids, pages := walk(by, "asc")
		if by == "created_at" && release == Version40 {
			// 4.0.0 pages created_at by id: no repeats.
			if len(ids) != 251 || distinct(ids) != 251 || pages != 6 {
				t.Errorf("%s asc on 4.0.0: %d items, %d distinct, %d pages; want 251, 251, 6", by, len(ids), distinct(ids), pages)
			}
			continue
		}
		if len(ids) != 256 || distinct(ids) != 251 || pages != 6 {
			t.Errorf("%s asc: %d items, %d distinct, %d pages; want 256, 251, 6", by, len(ids), distinct(ids), pages)
		}
		ids, pages = walk(by, "desc")
		if len(ids) != 251 || distinct(ids) != 251 || pages != 6 {
			t.Errorf("%s desc: %d items, %d distinct, %d pages; want 251, 251, 6", by, len(ids), distinct(ids), pages)
		}
	}
	// Other orders page without repeats.
	if ids, _ := walk("name", "asc"); len(ids) != 251 || distinct(ids) != 251 {
		t.Errorf("name: %d items, %d distinct", len(ids), distinct(ids))
	}
}

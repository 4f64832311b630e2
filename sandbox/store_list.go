package sandbox

import (
	"sort"
	"strconv"
	"strings"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/values"
)

// search walks below n for a listing URI that carries a query.
func search(n *fsNode, q map[string][]string) []*fsNode {
	names := q["name"]
	or := has(q, "name_op_or") || has(q, "use_or")
	fold := has(q, "case_folding")
	typ := first(q, "type")
	gte, _ := strconv.ParseInt(first(q, "size_gte"), 10, 64)
	lte, lteErr := strconv.ParseInt(first(q, "size_lte"), 10, 64)
	var out []*fsNode
	n.walk(func(c *fsNode) {
		if c == n || (typ == "file" && c.folder) || (typ == "folder" && !c.folder) {
			return
		}
		if c.size() < gte || (lteErr == nil && c.size() > lte) {
			return
		}
		if len(names) > 0 {
			matched := 0
			for _, want := range names {
				name := c.name
				if fold {
					name, want = strings.ToLower(name), strings.ToLower(want)
				}
				if strings.Contains(name, want) {
					matched++
				}
			}
			if (or && matched == 0) || (!or && matched < len(names)) {
				return
			}
		}
		out = append(out, c)
	})
	return out
}

func has(q map[string][]string, k string) bool { _, ok := q[k]; return ok }

func first(q map[string][]string, k string) string {
	if v := q[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// sortNodes orders folders first, then by the requested key.
func sortNodes(items []*fsNode, key string, desc bool) {
	if key == "" {
		key = "name"
	}
	less := func(a, b *fsNode) bool {
		switch key {
		case "size":
			if a.size() != b.size() {
				return a.size() < b.size()
			}
		case "updated_at":
			if !a.updated.Equal(b.updated) {
				return a.updated.Before(b.updated)
			}
		case "created_at":
			if !a.created.Equal(b.created) {
				return a.created.Before(b.created)
			}
		}
		if a.name != b.name {
			return a.name < b.name
		}
		return a.id < b.id
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.folder != b.folder {
			return a.folder
		}
		if desc {
			return less(b, a)
		}
		return less(a, b)
	})
}

// listQuery is how a folder listing is asked for.
type listQuery struct {
	searching bool   // the URI carries a search query
	cursor    bool   // cursor pagination (else pages by number)
	byTime    bool   // keyset cursor on orderBy's time (timecursor.go)
	orderBy   string // "" = name
	desc      bool
	pageSize  int // 0: the folder's view setting, else the default
	page      int // offset pagination
	offset    int // from an offset cursor
	after     *timeCursor
}

// listing is one page of a folder.
type listing struct {
	parent   *fileView // nil for the trash
	files    []fileView
	view     *cloudreveapi.ExplorerView
	single   bool // a single-file share
	pageSize int
	offset   int
	end      int // offset of the page's end
	total    int
	next     *timeCursor // byTime only
}

// listFiles pages through a folder of u, of its trash, or of a share link.
func (st *store) listFiles(u *user, p *fsURI, q listQuery) (listing, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	var (
		out    listing
		items  []*fsNode
		folder *fsNode // the listed folder, for its view setting
		view   func(n *fsNode) fileView
	)
	view = st.fileView
	switch {
	case p.fs == "share":
		v, aerr := st.openShare(u, p)
		if aerr != nil {
			return out, aerr
		}
		if !v.node.folder {
			return out, errPathNotExist()
		}
		out.single = !v.share.node.folder
		out.parent = values.Ptr(st.visitedFileView(v, v.node, v.rel))
		view = func(n *fsNode) fileView {
			return st.visitedFileView(v, n, append(append([]string(nil), v.rel...), n.name))
		}
		if q.searching && !out.single {
			items = search(v.node, p.query)
		} else {
			items = v.children()
		}
		if v.share.shareView || u == v.share.owner {
			folder = v.node
		}
	case p.fs == "trash" && len(p.elems) == 0:
		items = append(items, u.trash...)
		if fv, ok := st.drive().fsViews[u.id]["trash"]; ok {
			out.view = &fv
		}
	default:
		n, aerr := st.lookup(u, p)
		if aerr != nil {
			return out, aerr
		}
		if !n.folder {
			return out, errPathNotExist()
		}
		out.parent, folder = values.Ptr(st.fileView(n)), n
		if q.searching {
			items = search(n, p.query)
		} else {
			items = n.sortedChildren()
		}
	}
	if folder != nil && folder.view != nil {
		out.view = values.Ptr(*folder.view)
	}
	out.pageSize = defaultPageSize
	switch {
	case q.pageSize > 0:
		out.pageSize = min(q.pageSize, maxPageSize)
	case out.view != nil && out.view.PageSize > 0:
		out.pageSize = min(out.view.PageSize, maxPageSize)
	}
	out.offset = q.offset
	if !q.cursor && q.page > 0 {
		out.offset = q.page * out.pageSize
	}
	if q.byTime {
		sortByTime(items, q.orderBy, q.desc)
		items, out.next = timePage(items, q.orderBy, q.desc, out.pageSize, q.after)
	} else {
		sortNodes(items, q.orderBy, q.desc)
	}
	out.total = len(items)
	out.end = min(out.offset+out.pageSize, len(items))
	for i := out.offset; i < out.end; i++ {
		out.files = append(out.files, view(items[i]))
	}
	return out, nil
}

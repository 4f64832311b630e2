package sandbox

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// listCursor is the opaque next_page_token of a file listing.
type listCursor struct {
	Offset int `json:"offset"`
}

// ListFiles is GET /file: cursor pagination, or offset pagination for
// folder listings when Options.OffsetPagination is set (searches always use
// cursors, as on the real server). Folder listings ordered by time page with
// the real server's keyset cursor, duplicates included (timecursor.go).
func (s *cloudreve) ListFiles(ctx context.Context, req cloudreveapi.ListFilesRequestObject) (cloudreveapi.ListFilesResponseObject, error) {
	q := req.Params
	u := caller(ctx)
	p, aerr := parseURI(q.Uri)
	if aerr == nil && p.fs != "share" {
		p, aerr = myURI(u, q.Uri)
	}
	if aerr != nil {
		return nil, aerr
	}
	searching := len(p.query) > 0
	cursor := !s.opts.OffsetPagination || searching
	byTime := cursor && !searching && q.OrderBy != nil &&
		(*q.OrderBy == "updated_at" || *q.OrderBy == "created_at" && !s.version.Before(createdAtTimeCursorSince))
	offset := 0
	var after *timeCursor
	if cursor && q.NextPageToken != nil && *q.NextPageToken != "" {
		var c listCursor
		var tc timeCursor
		switch {
		case byTime && decodeCursor(*q.NextPageToken, &tc) && !tc.Time.IsZero():
			after = &tc
		case !byTime && decodeCursor(*q.NextPageToken, &c) && c.Offset >= 0:
			offset = c.Offset
		default:
			return nil, fail(upstream.CodeParamError, "Invalid next page token")
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var (
		parent cloudreveapi.FileResponse
		items  []*fsNode
		folder *fsNode // the listed folder, for its view setting
		render = s.fileJSON
		view   *cloudreveapi.ExplorerView
		single bool
	)
	switch {
	case p.fs == "share":
		v, aerr := s.openShare(u, p)
		if aerr != nil {
			return nil, aerr
		}
		if !v.node.folder {
			return nil, errPathNotExist()
		}
		single = !v.share.node.folder
		parent = s.shareFileJSON(v, v.node, v.rel, u)
		render = func(n *fsNode) cloudreveapi.FileResponse {
			return s.shareFileJSON(v, n, append(append([]string(nil), v.rel...), n.name), u)
		}
		if searching && !single {
			items = search(v.node, p.query)
		} else {
			items = v.children()
		}
		if v.share.shareView || u == v.share.owner {
			folder = v.node
		}
	case p.fs == "trash" && len(p.elems) == 0:
		items = append(items, u.trash...)
		if fv, ok := s.drive().fsViews[u.id]["trash"]; ok {
			view = &fv
		}
	default:
		n, aerr := s.lookup(u, p)
		if aerr != nil {
			return nil, aerr
		}
		if !n.folder {
			return nil, errPathNotExist()
		}
		parent, folder = s.fileJSON(n), n
		if searching {
			items = search(n, p.query)
		} else {
			items = n.sortedChildren()
		}
	}
	if folder != nil && folder.view != nil {
		view = folder.view
	}
	pageSize := defaultPageSize
	switch {
	case q.PageSize != nil && *q.PageSize > 0:
		pageSize = min(*q.PageSize, maxPageSize)
	case view != nil && view.PageSize > 0:
		pageSize = min(view.PageSize, maxPageSize)
	}
	if !cursor && q.Page != nil && *q.Page > 0 {
		offset = *q.Page * pageSize
	}
	desc := q.OrderDirection != nil && *q.OrderDirection == "desc"
	var next *timeCursor
	if byTime {
		sortByTime(items, string(*q.OrderBy), desc)
		items, next = timePage(items, string(*q.OrderBy), desc, pageSize, after)
	} else {
		sortNodes(items, q.OrderBy, q.OrderDirection)
	}

	out := cloudreveapi.ListResponse{
		Files:      []cloudreveapi.FileResponse{},
		Parent:     parent,
		Pagination: cloudreveapi.PaginationResults{PageSize: pageSize},
		Props: cloudreveapi.NavigatorProps{
			Capability:  capNavigator,
			MaxPageSize: maxPageSize,
		},
		ContextHint: values.Ptr(newUUID()),
		View:        view,
	}
	switch p.fs {
	case "trash":
		out.Props.Capability = capTrash
	case "share":
		out.Props.Capability = capShare
	case "my":
		out.StoragePolicy = values.Ptr(s.policyJSON())
	}
	if single {
		out.SingleFileView = values.Ptr(true)
	}
	if !searching {
		out.Props.OrderByOptions = &[]string{"name", "size", "updated_at", "created_at"}
		out.Props.OrderDirectionOptions = &[]string{"asc", "desc"}
	}
	end := min(offset+pageSize, len(items))
	if offset < end {
		var folders, files bool
		for _, n := range items[offset:end] {
			out.Files = append(out.Files, render(n))
			folders, files = folders || n.folder, files || !n.folder
		}
		out.MixedType = folders && files
	}
	switch {
	case byTime:
		out.Pagination.IsCursor = values.Ptr(true)
		if next != nil {
			out.Pagination.NextToken = values.Ptr(encodeCursor(next))
		}
	case cursor:
		out.Pagination.IsCursor = values.Ptr(true)
		if end < len(items) {
			out.Pagination.NextToken = values.Ptr(encodeCursor(listCursor{Offset: end}))
		}
	default:
		out.Pagination.Page = offset / pageSize
		out.Pagination.TotalItems = values.Ptr(len(items))
	}
	return cloudreveapi.ListFiles200JSONResponse{Data: &out}, nil
}

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
func sortNodes(items []*fsNode, by *cloudreveapi.ListFilesParamsOrderBy, dir *cloudreveapi.ListFilesParamsOrderDirection) {
	key := "name"
	if by != nil {
		key = string(*by)
	}
	desc := dir != nil && *dir == "desc"
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

func encodeCursor(v any) string {
	b, _ := json.Marshal(v)
	return b64url(b)
}

func decodeCursor(tok string, v any) bool {
	b, err := decodeB64URL(tok)
	return err == nil && json.Unmarshal(b, v) == nil
}

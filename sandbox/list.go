package sandbox

import (
	"context"
	"encoding/json"

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

	lq := listQuery{searching: searching, cursor: cursor, byTime: byTime, desc: q.OrderDirection != nil && *q.OrderDirection == "desc",
		pageSize: values.Deref(q.PageSize), page: values.Deref(q.Page), offset: offset, after: after}
	if q.OrderBy != nil {
		lq.orderBy = string(*q.OrderBy)
	}
	l, aerr := s.store.listFiles(u, p, lq)
	if aerr != nil {
		return nil, aerr
	}
	render := s.fileJSON
	var parent cloudreveapi.FileResponse
	if p.fs == "share" {
		render = func(f fileView) cloudreveapi.FileResponse { return s.shareFileJSON(f, u) }
	}
	if l.parent != nil {
		parent = render(*l.parent)
	}
	pageSize, offset, end := l.pageSize, l.offset, l.end
	out := cloudreveapi.ListResponse{
		Files:      []cloudreveapi.FileResponse{},
		Parent:     parent,
		Pagination: cloudreveapi.PaginationResults{PageSize: pageSize},
		Props: cloudreveapi.NavigatorProps{
			Capability:  capNavigator,
			MaxPageSize: maxPageSize,
		},
		ContextHint: values.Ptr(newUUID()),
		View:        l.view,
	}
	switch p.fs {
	case "trash":
		out.Props.Capability = capTrash
	case "share":
		out.Props.Capability = capShare
	case "my":
		out.StoragePolicy = values.Ptr(s.policyJSON())
	}
	if l.single {
		out.SingleFileView = values.Ptr(true)
	}
	if !searching {
		out.Props.OrderByOptions = &[]string{"name", "size", "updated_at", "created_at"}
		out.Props.OrderDirectionOptions = &[]string{"asc", "desc"}
	}
	if len(l.files) > 0 {
		var folders, files bool
		for _, f := range l.files {
			out.Files = append(out.Files, render(f))
			folders, files = folders || f.folder, files || !f.folder
		}
		out.MixedType = folders && files
	}
	switch {
	case byTime:
		out.Pagination.IsCursor = values.Ptr(true)
		if l.next != nil {
			out.Pagination.NextToken = values.Ptr(encodeCursor(l.next))
		}
	case cursor:
		out.Pagination.IsCursor = values.Ptr(true)
		if end < l.total {
			out.Pagination.NextToken = values.Ptr(encodeCursor(listCursor{Offset: end}))
		}
	default:
		out.Pagination.Page = offset / pageSize
		out.Pagination.TotalItems = values.Ptr(l.total)
	}
	return cloudreveapi.ListFiles200JSONResponse{Data: &out}, nil
}

func encodeCursor(v any) string {
	b, _ := json.Marshal(v)
	return b64url(b)
}

func decodeCursor(tok string, v any) bool {
	b, err := decodeB64URL(tok)
	return err == nil && json.Unmarshal(b, v) == nil
}

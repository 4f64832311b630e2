package file

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/internal/call"
	"github.com/cloudreve-connect/facade/internal/files"
	"github.com/cloudreve-connect/facade/internal/pagetoken"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

var orderBy = map[filev1.ListOrderBy]cloudreveapi.ListFilesParamsOrderBy{
	filev1.ListOrderBy_LIST_ORDER_BY_NAME:       "name",
	filev1.ListOrderBy_LIST_ORDER_BY_SIZE:       "size",
	filev1.ListOrderBy_LIST_ORDER_BY_UPDATED_AT: "updated_at",
	filev1.ListOrderBy_LIST_ORDER_BY_CREATED_AT: "created_at",
}

// listParams builds the query of one page.
func listParams(uri string, pageSize int32, by filev1.ListOrderBy, dir filev1.OrderDirection, tok pagetoken.Token) *cloudreveapi.ListFilesParams {
	p := &cloudreveapi.ListFilesParams{Uri: uri}
	if pageSize > 0 {
		p.PageSize = values.Ptr(int(pageSize))
	}
	if v, ok := orderBy[by]; ok {
		p.OrderBy = &v
	}
	p.OrderDirection = files.Direction[cloudreveapi.ListFilesParamsOrderDirection](dir)
	switch {
	case tok.Cursor != "":
		p.NextPageToken = &tok.Cursor
	case tok.Page > 0:
		p.Page = values.Ptr(tok.Page)
		if tok.Size > 0 {
			p.PageSize = values.Ptr(tok.Size)
		}
	}
	return p
}

// list fetches one page, from a JSON answer or from the event stream a
// server with SSE search enabled answers searches with.
func (s *Service) list(ctx context.Context, params *cloudreveapi.ListFilesParams) (*cloudreveapi.ListResponse, error) {
	resp, err := s.api.ListFiles(ctx, params)
	if err == nil && resp.StatusCode == http.StatusOK && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		defer resp.Body.Close()
		return parseListEvents(resp.Body)
	}
	return call.Op[cloudreveapi.ListResponse]("listFiles").Need(resp, err)
}

// parseListEvents reads an SSE search answer: "file" events with batches of
// results, then one "list" event with the rest of the listing.
func parseListEvents(body io.Reader) (*cloudreveapi.ListResponse, error) {
	var found []cloudreveapi.FileResponse
	var final *cloudreveapi.ListResponse
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	event, data := "", ""
	flush := func() error {
		defer func() { event, data = "", "" }()
		switch event {
		case "file":
			var batch []cloudreveapi.FileResponse
			if err := json.Unmarshal([]byte(data), &batch); err != nil {
				return err
			}
			found = append(found, batch...)
		case "list":
			final = &cloudreveapi.ListResponse{}
			return json.Unmarshal([]byte(data), final)
		}
		return nil
	}
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if err := flush(); err != nil {
				return nil, &upstream.HTTPError{Op: "listFiles", StatusCode: 200, ContentType: "text/event-stream", Reason: err.Error()}
			}
		case strings.HasPrefix(line, "event:"):
			event = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			data += strings.TrimPrefix(line, "data:")
		}
	}
	if err := flush(); err != nil || final == nil {
		reason := "the event stream ended without a list event"
		if err != nil {
			reason = err.Error()
		}
		return nil, &upstream.HTTPError{Op: "listFiles", StatusCode: 200, ContentType: "text/event-stream", Reason: reason}
	}
	final.Files = append(found, final.Files...)
	return final, nil
}

func (s *Service) ListFiles(ctx context.Context, req *filev1.ListFilesRequest) (*filev1.ListFilesResponse, error) {
	tok, err := pagetoken.Parse("page_token", req.GetPageToken())
	if err != nil {
		return nil, err
	}
	d, err := s.list(ctx, listParams(req.GetUri(), req.GetPageSize(), req.GetOrderBy(), req.GetOrderDirection(), tok))
	if err != nil {
		return nil, err
	}
	out := &filev1.ListFilesResponse{
		Files: files.Files(d.Files), Props: files.NavigatorProps(d.Props), ContextHint: values.Deref(d.ContextHint),
		RecursionLimitReached: values.Deref(d.RecursionLimitReached), MixedType: d.MixedType,
		SingleFileView: values.Deref(d.SingleFileView), StoragePolicy: files.StoragePolicy(d.StoragePolicy),
		View: files.View(d.View), NextPageToken: pagetoken.Next(&d.Pagination),
	}
	if d.Parent.Id != "" || d.Parent.Path != nil {
		out.Parent = files.File(&d.Parent)
	}
	if d.Pagination.TotalItems != nil {
		out.TotalSize = int64(*d.Pagination.TotalItems)
	}
	return out, nil
}

// StreamFiles walks every page of a listing and gives each file once: the
// upstream repeats items across pages ordered by time (see recentIDs).
func (s *Service) StreamFiles(ctx context.Context, req *filev1.StreamFilesRequest, stream filev1connect.FileServiceStreamFilesServerStream) error {
	tok := pagetoken.Token{}
	current := ""
	var recent recentIDs
	for page := int32(0); ; page++ {
		d, err := s.list(ctx, listParams(req.GetUri(), req.GetPageSize(), req.GetOrderBy(), req.GetOrderDirection(), tok))
		if err != nil {
			return err
		}
		msg := &filev1.StreamFilesResponse{Files: files.Files(recent.fresh(d.Files)), Page: page}
		if page == 0 && (d.Parent.Id != "" || d.Parent.Path != nil) {
			msg.Parent = files.File(&d.Parent)
		}
		if err := stream.Send(msg); err != nil {
			return err
		}
		next := pagetoken.Next(&d.Pagination)
		if next == "" {
			return nil
		}
		if next == current {
			// More items of one instant than a page holds: the upstream
			// answers the same page for ever.
			return connect.NewError(connect.CodeFailedPrecondition, "the upstream listing does not advance (more items share one time than a page holds); list with a larger page_size or another order")
		}
		current = next
		if tok, err = pagetoken.Parse("page_token", next); err != nil {
			return err
		}
	}
}

func (s *Service) ListFileActivities(ctx context.Context, req *filev1.ListFileActivitiesRequest) (*filev1.ListFileActivitiesResponse, error) {
	tok, err := pagetoken.Parse("page_token", req.GetPageToken())
	if err != nil {
		return nil, err
	}
	params := &cloudreveapi.ListFileActivitiesParams{
		Uri: req.GetUri(), PageSize: int(req.GetPageSize()), NextPageToken: tok.CursorParam(), XCrPurchaseTicket: values.NonZero(req.GetPurchaseTicket()),
	}
	params.OrderDirection = files.Direction[cloudreveapi.ListFileActivitiesParamsOrderDirection](req.GetOrderDirection())
	if f, ok := activityFilters[req.GetFilter()]; ok {
		params.Filter = &f
	}
	data, err := call.Op[cloudreveapi.FileActivitiesResponse]("listFileActivities").Do(s.api.ListFileActivities(ctx, params))
	if err != nil {
		return nil, err
	}
	out := &filev1.ListFileActivitiesResponse{}
	if d := data; d != nil {
		for i := range d.Activities {
			out.Activities = append(out.Activities, files.Activity(&d.Activities[i]))
		}
		out.NextPageToken = pagetoken.Next(&d.Pagination)
	}
	return out, nil
}

var activityFilters = map[filev1.ActivityFilter]cloudreveapi.ListFileActivitiesParamsFilter{
	filev1.ActivityFilter_ACTIVITY_FILTER_MY:      cloudreveapi.My,
	filev1.ActivityFilter_ACTIVITY_FILTER_UPDATES: cloudreveapi.Updates,
	filev1.ActivityFilter_ACTIVITY_FILTER_READS:   cloudreveapi.Reads,
}

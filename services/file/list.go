package file

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"connectrpc.com/connect"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/internal/files"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// pageToken is what page_token carries: the upstream's cursor, or the next
// page number and size when the server pages by offset. Callers see it as
// an opaque string.
type pageToken struct {
	Cursor string `json:"c,omitempty"`
	Page   int    `json:"p,omitempty"`
	Size   int    `json:"s,omitempty"`
}

func (t pageToken) String() string {
	b, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(b)
}

func parsePageToken(s string) (pageToken, error) {
	var t pageToken
	if s == "" {
		return t, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &t) != nil || t.Page < 0 || t.Size < 0 {
		return t, connect.NewError(connect.CodeInvalidArgument, errors.New("page_token is not one this facade handed out"))
	}
	return t, nil
}

// nextToken reads the paging state of an answer: a cursor, or (offset
// pagination) the page after this one if there is one.
func nextToken(p cloudreveapi.PaginationResults) string {
	if p.NextToken != nil && *p.NextToken != "" {
		return pageToken{Cursor: *p.NextToken}.String()
	}
	cursor := values.Deref(p.IsCursor)
	if !cursor && p.TotalItems != nil && p.PageSize > 0 && (p.Page+1)*p.PageSize < *p.TotalItems {
		return pageToken{Page: p.Page + 1, Size: p.PageSize}.String()
	}
	return ""
}

var orderBy = map[filev1.ListOrderBy]cloudreveapi.ListFilesParamsOrderBy{
	filev1.ListOrderBy_LIST_ORDER_BY_NAME:       "name",
	filev1.ListOrderBy_LIST_ORDER_BY_SIZE:       "size",
	filev1.ListOrderBy_LIST_ORDER_BY_UPDATED_AT: "updated_at",
	filev1.ListOrderBy_LIST_ORDER_BY_CREATED_AT: "created_at",
}

func direction(d filev1.OrderDirection) string {
	switch d {
	case filev1.OrderDirection_ORDER_DIRECTION_ASC:
		return "asc"
	case filev1.OrderDirection_ORDER_DIRECTION_DESC:
		return "desc"
	}
	return ""
}

// listParams builds the query of one page.
func listParams(uri string, pageSize int32, by filev1.ListOrderBy, dir filev1.OrderDirection, tok pageToken) *cloudreveapi.ListFilesParams {
	p := &cloudreveapi.ListFilesParams{Uri: uri}
	if pageSize > 0 {
		p.PageSize = values.Ptr(int(pageSize))
	}
	if v, ok := orderBy[by]; ok {
		p.OrderBy = &v
	}
	if d := direction(dir); d != "" {
		v := cloudreveapi.ListFilesParamsOrderDirection(d)
		p.OrderDirection = &v
	}
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
	resp, err := s.client.ListFilesWithResponse(ctx, params)
	if err == nil && resp.StatusCode() == 200 && strings.HasPrefix(resp.ContentType(), "text/event-stream") {
		return parseListEvents(resp.Body)
	}
	if err := check("listFiles", resp, err); err != nil {
		return nil, err
	}
	if resp.JSON200.Data == nil {
		return nil, answerWithout("listFiles", resp, "a listing")
	}
	return resp.JSON200.Data, nil
}

// parseListEvents reads an SSE search answer: "file" events with batches of
// results, then one "list" event with the rest of the listing.
func parseListEvents(body []byte) (*cloudreveapi.ListResponse, error) {
	var found []cloudreveapi.FileResponse
	var final *cloudreveapi.ListResponse
	sc := bufio.NewScanner(bytes.NewReader(body))
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
	tok, err := parsePageToken(req.GetPageToken())
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
		View: files.View(d.View), NextPageToken: nextToken(d.Pagination),
	}
	if d.Parent.Id != "" || d.Parent.Path != nil {
		out.Parent = files.File(&d.Parent)
	}
	if d.Pagination.TotalItems != nil {
		out.TotalItems = int64(*d.Pagination.TotalItems)
	}
	return out, nil
}

func (s *Service) StreamFiles(ctx context.Context, req *filev1.StreamFilesRequest, stream *connect.ServerStream[filev1.StreamFilesResponse]) error {
	tok := pageToken{}
	for page := int32(0); ; page++ {
		d, err := s.list(ctx, listParams(req.GetUri(), req.GetPageSize(), req.GetOrderBy(), req.GetOrderDirection(), tok))
		if err != nil {
			return err
		}
		msg := &filev1.StreamFilesResponse{Files: files.Files(d.Files), Page: page}
		if page == 0 && (d.Parent.Id != "" || d.Parent.Path != nil) {
			msg.Parent = files.File(&d.Parent)
		}
		if err := stream.Send(msg); err != nil {
			return err
		}
		next := nextToken(d.Pagination)
		if next == "" {
			return nil
		}
		if tok, err = parsePageToken(next); err != nil {
			return err
		}
	}
}

func (s *Service) ListFileActivities(ctx context.Context, req *filev1.ListFileActivitiesRequest) (*filev1.ListFileActivitiesResponse, error) {
	tok, err := parsePageToken(req.GetPageToken())
	if err != nil {
		return nil, err
	}
	params := &cloudreveapi.ListFileActivitiesParams{Uri: req.GetUri(), PageSize: int(req.GetPageSize()), XCrPurchaseTicket: values.NonZero(req.GetPurchaseTicket())}
	if tok.Cursor != "" {
		params.NextPageToken = &tok.Cursor
	}
	if d := direction(req.GetOrderDirection()); d != "" {
		v := cloudreveapi.ListFileActivitiesParamsOrderDirection(d)
		params.OrderDirection = &v
	}
	if f, ok := activityFilters[req.GetFilter()]; ok {
		params.Filter = &f
	}
	resp, err := s.client.ListFileActivitiesWithResponse(ctx, params)
	if err := check("listFileActivities", resp, err); err != nil {
		return nil, err
	}
	out := &filev1.ListFileActivitiesResponse{}
	if d := resp.JSON200.Data; d != nil {
		for i := range d.Activities {
			out.Activities = append(out.Activities, files.Activity(&d.Activities[i]))
		}
		out.NextPageToken = nextToken(d.Pagination)
	}
	return out, nil
}

var activityFilters = map[filev1.ActivityFilter]cloudreveapi.ListFileActivitiesParamsFilter{
	filev1.ActivityFilter_ACTIVITY_FILTER_MY:      cloudreveapi.My,
	filev1.ActivityFilter_ACTIVITY_FILTER_UPDATES: cloudreveapi.Updates,
	filev1.ActivityFilter_ACTIVITY_FILTER_READS:   cloudreveapi.Reads,
}

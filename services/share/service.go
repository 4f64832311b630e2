// Package share implements cloudreve.share.v1.ShareService: each RPC maps
// onto the Cloudreve REST operation of the same name. Share links are the
// cloudreve.file.v1.Share model, converted by internal/files, which also
// keeps a link's password from callers who have not unlocked it.
package share

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	sharev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/share/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/share/v1/sharev1connect"
	"github.com/cloudreve-connect/facade/internal/files"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Service implements sharev1connect.ShareServiceHandler.
type Service struct {
	client cloudreveapi.ClientWithResponsesInterface
}

var _ sharev1connect.ShareServiceHandler = (*Service)(nil)

// New wires the service.
func New(client cloudreveapi.ClientWithResponsesInterface) *Service {
	return &Service{client: client}
}

func check(op string, resp upstream.Response, err error) error {
	return rpcerror.FromUpstream(upstream.Check(op, resp, err))
}

// settings is the upstream body of a create or an edit.
func settings(uri string, downloads int32, expire *durationpb.Duration, shareView, readme bool, price int32, perms *filev1.PermissionSetting) cloudreveapi.ShareCreateService {
	body := cloudreveapi.ShareCreateService{Uri: uri, Permissions: files.PermissionSettingToUpstream(perms)}
	if downloads > 0 {
		body.Downloads = values.Ptr(int(downloads))
	}
	if expire != nil && expire.AsDuration() > 0 {
		body.Expire = values.Ptr(int(expire.AsDuration().Seconds()))
	}
	if shareView {
		body.ShareView = values.Ptr(true)
	}
	if readme {
		body.ShowReadme = values.Ptr(true)
	}
	if price > 0 {
		body.Price = values.Ptr(int(price))
	}
	return body
}

// link reads the URL an upsert answers with.
func link(op string, resp interface {
	upstream.Response
	GetJSON200() *cloudreveapi.StringEnvelope
}) (string, error) {
	env := resp.GetJSON200()
	if env == nil || env.Data == nil {
		return "", connect.NewError(connect.CodeInternal, &upstream.HTTPError{Op: op, StatusCode: resp.StatusCode(), Reason: "answer without a link"})
	}
	return *env.Data, nil
}

func (s *Service) CreateShareLink(ctx context.Context, req *sharev1.CreateShareLinkRequest) (*sharev1.CreateShareLinkResponse, error) {
	body := settings(req.GetUri(), req.GetDownloads(), req.GetExpire(), req.GetShareView(), req.GetShowReadme(), req.GetPrice(), req.GetPermissions())
	if req.GetIsPrivate() {
		body.IsPrivate = values.Ptr(true)
		if pw := req.GetPassword(); pw != "" {
			body.Password = &pw
		}
	}
	resp, err := s.client.CreateShareLinkWithResponse(ctx, body)
	if err := check("createShareLink", resp, err); err != nil {
		return nil, err
	}
	url, err := link("createShareLink", resp)
	if err != nil {
		return nil, err
	}
	return &sharev1.CreateShareLinkResponse{Url: url, Id: files.ShareID(url)}, nil
}

func (s *Service) EditShareLink(ctx context.Context, req *sharev1.EditShareLinkRequest) (*sharev1.EditShareLinkResponse, error) {
	body := settings(req.GetUri(), req.GetDownloads(), req.GetExpire(), req.GetShareView(), req.GetShowReadme(), req.GetPrice(), req.GetPermissions())
	resp, err := s.client.EditShareLinkWithResponse(ctx, req.GetId(), body)
	if err := check("editShareLink", resp, err); err != nil {
		return nil, err
	}
	url, err := link("editShareLink", resp)
	if err != nil {
		return nil, err
	}
	return &sharev1.EditShareLinkResponse{Url: url}, nil
}

func (s *Service) GetShareLinkInfo(ctx context.Context, req *sharev1.GetShareLinkInfoRequest) (*sharev1.GetShareLinkInfoResponse, error) {
	params := &cloudreveapi.GetShareLinkInfoParams{Password: values.NonZero(req.GetPassword()), XCrPurchaseTicket: values.NonZero(req.GetPurchaseTicket())}
	if req.GetCountViews() {
		params.CountViews = values.Ptr(true)
	}
	if req.GetOwnerExtended() {
		params.OwnerExtended = values.Ptr(true)
	}
	resp, err := s.client.GetShareLinkInfoWithResponse(ctx, req.GetId(), params)
	if err := check("getShareLinkInfo", resp, err); err != nil {
		return nil, err
	}
	if resp.JSON200.Data == nil {
		return nil, connect.NewError(connect.CodeInternal, &upstream.HTTPError{Op: "getShareLinkInfo", StatusCode: resp.StatusCode(), Reason: "answer without a share"})
	}
	return &sharev1.GetShareLinkInfoResponse{Share: files.Share(resp.JSON200.Data)}, nil
}

var orderBy = map[sharev1.ShareOrderBy]cloudreveapi.ListMyShareLinksParamsOrderBy{
	sharev1.ShareOrderBy_SHARE_ORDER_BY_VIEWS:            "views",
	sharev1.ShareOrderBy_SHARE_ORDER_BY_DOWNLOADS:        "downloads",
	sharev1.ShareOrderBy_SHARE_ORDER_BY_REMAIN_DOWNLOADS: "remain_downloads",
	sharev1.ShareOrderBy_SHARE_ORDER_BY_PRICE:            "price",
}

// pageToken is what page_token carries: the upstream cursor.
type pageToken struct {
	Cursor string `json:"c"`
}

func (s *Service) ListMyShareLinks(ctx context.Context, req *sharev1.ListMyShareLinksRequest) (*sharev1.ListMyShareLinksResponse, error) {
	params := &cloudreveapi.ListMyShareLinksParams{PageSize: int(req.GetPageSize())}
	if tok := req.GetPageToken(); tok != "" {
		var t pageToken
		b, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || json.Unmarshal(b, &t) != nil {
			return nil, connect.NewError(connect.CodeInvalidArgument, errors.New("page_token is not one this facade handed out"))
		}
		params.NextPageToken = &t.Cursor
	}
	if v, ok := orderBy[req.GetOrderBy()]; ok {
		params.OrderBy = &v
	}
	switch req.GetOrderDirection() {
	case filev1.OrderDirection_ORDER_DIRECTION_ASC:
		params.OrderDirection = values.Ptr(cloudreveapi.ListMyShareLinksParamsOrderDirection("asc"))
	case filev1.OrderDirection_ORDER_DIRECTION_DESC:
		params.OrderDirection = values.Ptr(cloudreveapi.ListMyShareLinksParamsOrderDirection("desc"))
	}
	resp, err := s.client.ListMyShareLinksWithResponse(ctx, params)
	if err := check("listMyShareLinks", resp, err); err != nil {
		return nil, err
	}
	out := &sharev1.ListMyShareLinksResponse{}
	if d := resp.JSON200.Data; d != nil {
		if d.Shares != nil {
			for i := range *d.Shares {
				out.Shares = append(out.Shares, files.Share(&(*d.Shares)[i]))
			}
		}
		if d.Pagination.NextToken != nil && *d.Pagination.NextToken != "" {
			b, _ := json.Marshal(pageToken{Cursor: *d.Pagination.NextToken})
			out.NextPageToken = base64.RawURLEncoding.EncodeToString(b)
		}
	}
	return out, nil
}

func (s *Service) DeleteShareLink(ctx context.Context, req *sharev1.DeleteShareLinkRequest) (*sharev1.DeleteShareLinkResponse, error) {
	resp, err := s.client.DeleteShareLinkWithResponse(ctx, req.GetId())
	if err := check("deleteShareLink", resp, err); err != nil {
		return nil, err
	}
	return &sharev1.DeleteShareLinkResponse{}, nil
}

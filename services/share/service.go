// Package share implements cloudreve.share.v1.ShareService: each RPC maps
// onto the Cloudreve REST operation of the same name. Share links are the
// cloudreve.file.v1.Share model, converted by internal/files, which also
// keeps a link's password from callers who have not unlocked it (servers
// before 4.5.0 put it in every caller's URL) and works out
// password_protected where the server does not say it. Servers before 4.2.0
// ignore show_readme: asking for it there fails with FailedPrecondition.
package share

import (
	"context"

	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	sharev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/share/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/share/v1/sharev1connect"
	"github.com/cloudreve-connect/facade/internal/call"
	"github.com/cloudreve-connect/facade/internal/files"
	"github.com/cloudreve-connect/facade/internal/pagetoken"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Service implements sharev1connect.ShareServiceHandler.
type Service struct {
	api      cloudreveapi.ClientInterface
	versions *upstream.VersionTracker
}

var _ sharev1connect.ShareServiceHandler = (*Service)(nil)

// New wires the service; versions tells which request fields the upstream
// honours (nil: all of them).
func New(api cloudreveapi.ClientInterface, versions *upstream.VersionTracker) *Service {
	return &Service{api: api, versions: versions}
}

// checkFields fails for settings the upstream's release would drop.
func (s *Service) checkFields(ctx context.Context, showReadme bool) error {
	if showReadme {
		return call.Field(ctx, s.versions, upstream.FeatureShareShowReadme)
	}
	return nil
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

func (s *Service) CreateShareLink(ctx context.Context, req *sharev1.CreateShareLinkRequest) (*sharev1.CreateShareLinkResponse, error) {
	if err := s.checkFields(ctx, req.GetShowReadme()); err != nil {
		return nil, err
	}
	body := settings(req.GetUri(), req.GetDownloads(), req.GetExpire(), req.GetShareView(), req.GetShowReadme(), req.GetPrice(), req.GetPermissions())
	if req.GetIsPrivate() {
		body.IsPrivate = values.Ptr(true)
		if pw := req.GetPassword(); pw != "" {
			body.Password = &pw
		}
	}
	url, err := call.Op[string]("createShareLink").Value(s.api.CreateShareLink(ctx, body))
	if err != nil {
		return nil, err
	}
	return &sharev1.CreateShareLinkResponse{Url: url, Id: files.ShareID(url)}, nil
}

func (s *Service) EditShareLink(ctx context.Context, req *sharev1.EditShareLinkRequest) (*sharev1.EditShareLinkResponse, error) {
	if err := s.checkFields(ctx, req.GetShowReadme()); err != nil {
		return nil, err
	}
	body := settings(req.GetUri(), req.GetDownloads(), req.GetExpire(), req.GetShareView(), req.GetShowReadme(), req.GetPrice(), req.GetPermissions())
	url, err := call.Op[string]("editShareLink").Value(s.api.EditShareLink(ctx, req.GetId(), body))
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
	data, err := call.Op[cloudreveapi.Share]("getShareLinkInfo").Need(s.api.GetShareLinkInfo(ctx, req.GetId(), params))
	if err != nil {
		return nil, err
	}
	return &sharev1.GetShareLinkInfoResponse{Share: files.Share(data)}, nil
}

func (s *Service) ListMyShareLinks(ctx context.Context, req *sharev1.ListMyShareLinksRequest) (*sharev1.ListMyShareLinksResponse, error) {
	tok, err := pagetoken.Parse("page_token", req.GetPageToken())
	if err != nil {
		return nil, err
	}
	params := &cloudreveapi.ListMyShareLinksParams{
		PageSize: int(req.GetPageSize()), NextPageToken: tok.CursorParam(),
		OrderBy:        files.ShareOrder[cloudreveapi.ListMyShareLinksParamsOrderBy](req.GetOrderBy()),
		OrderDirection: files.Direction[cloudreveapi.ListMyShareLinksParamsOrderDirection](req.GetOrderDirection()),
	}
	data, err := call.Op[cloudreveapi.ListShareResponse]("listMyShareLinks").Do(s.api.ListMyShareLinks(ctx, params))
	if err != nil {
		return nil, err
	}
	out := &sharev1.ListMyShareLinksResponse{}
	if d := data; d != nil {
		if d.Shares != nil {
			for i := range *d.Shares {
				out.Shares = append(out.Shares, files.Share(&(*d.Shares)[i]))
			}
		}
		out.NextPageToken = pagetoken.Next(&d.Pagination)
	}
	return out, nil
}

func (s *Service) DeleteShareLink(ctx context.Context, req *sharev1.DeleteShareLinkRequest) (*sharev1.DeleteShareLinkResponse, error) {
	if err := call.Action("deleteShareLink").Do(s.api.DeleteShareLink(ctx, req.GetId())); err != nil {
		return nil, err
	}
	return &sharev1.DeleteShareLinkResponse{}, nil
}

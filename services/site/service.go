// Package site implements cloudreve.site.v1.SiteService: the docs' Site
// group, one RPC per REST operation.
package site

import (
	"context"
	"strings"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	sitev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1/sitev1connect"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Service implements sitev1connect.SiteServiceHandler.
type Service struct {
	client cloudreveapi.ClientWithResponsesInterface
}

var _ sitev1connect.SiteServiceHandler = (*Service)(nil)

// New wires the service.
func New(client cloudreveapi.ClientWithResponsesInterface) *Service {
	return &Service{client: client}
}

func (s *Service) Ping(ctx context.Context, _ *sitev1.PingRequest) (*sitev1.PingResponse, error) {
	resp, err := s.client.PingWithResponse(ctx)
	if err := upstream.Check("ping", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	v := values.Deref(resp.JSON200.Data)
	return &sitev1.PingResponse{Version: v, Pro: strings.HasSuffix(v, "-pro")}, nil
}

func (s *Service) GetCaptcha(ctx context.Context, _ *sitev1.GetCaptchaRequest) (*sitev1.GetCaptchaResponse, error) {
	resp, err := s.client.GetCaptchaWithResponse(ctx)
	if err := upstream.Check("getCaptcha", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	out := &sitev1.GetCaptchaResponse{}
	if d := resp.JSON200.Data; d != nil {
		out.Image, out.Ticket = d.Image, d.Ticket
	}
	return out, nil
}

var sections = map[sitev1.SiteConfigSection]cloudreveapi.SiteConfigSection{
	sitev1.SiteConfigSection_SITE_CONFIG_SECTION_BASIC:    cloudreveapi.Basic,
	sitev1.SiteConfigSection_SITE_CONFIG_SECTION_LOGIN:    cloudreveapi.Login,
	sitev1.SiteConfigSection_SITE_CONFIG_SECTION_EXPLORER: cloudreveapi.Explorer,
	sitev1.SiteConfigSection_SITE_CONFIG_SECTION_EMOJIS:   cloudreveapi.Emojis,
	sitev1.SiteConfigSection_SITE_CONFIG_SECTION_APP:      cloudreveapi.App,
	sitev1.SiteConfigSection_SITE_CONFIG_SECTION_THUMB:    cloudreveapi.Thumb,
	sitev1.SiteConfigSection_SITE_CONFIG_SECTION_VAS:      cloudreveapi.Vas,
}

func (s *Service) GetSiteSettings(ctx context.Context, req *sitev1.GetSiteSettingsRequest) (*sitev1.GetSiteSettingsResponse, error) {
	resp, err := s.client.GetSiteSettingsWithResponse(ctx, sections[req.GetSection()])
	if err := upstream.Check("getSiteSettings", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &sitev1.GetSiteSettingsResponse{Config: fromConfig(resp.JSON200.Data)}, nil
}

func (s *Service) ReportAbuse(ctx context.Context, req *sitev1.ReportAbuseRequest) (*sitev1.ReportAbuseResponse, error) {
	body := cloudreveapi.AbuseReportRequest{
		Category: cloudreveapi.AbuseReportCategory(req.GetCategory()), Description: values.NonZero(req.GetDescription()),
		ShareId: values.NonZero(req.GetShareId()), UserId: values.NonZero(req.GetUserId()), FileUri: values.NonZero(req.GetFileUri()),
		Captcha: values.NonZero(req.GetCaptcha()), Ticket: values.NonZero(req.GetTicket()),
	}
	resp, err := s.client.ReportAbuseWithResponse(ctx, body)
	if err := upstream.Check("reportAbuse", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &sitev1.ReportAbuseResponse{}, nil
}

// Package site implements cloudreve.site.v1.SiteService: the docs' Site
// group, one RPC per REST operation.
package site

import (
	"context"
	"strings"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	sitev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1/sitev1connect"
	"github.com/cloudreve-connect/facade/internal/call"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Service implements sitev1connect.SiteServiceHandler.
type Service struct {
	api cloudreveapi.ClientInterface
}

var _ sitev1connect.SiteServiceHandler = (*Service)(nil)

// New wires the service.
func New(api cloudreveapi.ClientInterface) *Service {
	return &Service{api: api}
}

func (s *Service) Ping(ctx context.Context, _ *sitev1.PingRequest) (*sitev1.PingResponse, error) {
	data, err := call.Op[string]("ping").Do(s.api.Ping(ctx))
	if err != nil {
		return nil, err
	}
	v := values.Deref(data)
	return &sitev1.PingResponse{Version: v, Pro: strings.HasSuffix(v, "-pro")}, nil
}

func (s *Service) GetCaptcha(ctx context.Context, _ *sitev1.GetCaptchaRequest) (*sitev1.GetCaptchaResponse, error) {
	data, err := call.Op[cloudreveapi.CaptchaResponse]("getCaptcha").Do(s.api.GetCaptcha(ctx))
	if err != nil {
		return nil, err
	}
	out := &sitev1.GetCaptchaResponse{}
	if d := data; d != nil {
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
	data, err := call.Op[cloudreveapi.SiteConfig]("getSiteSettings").Do(s.api.GetSiteSettings(ctx, sections[req.GetSection()]))
	if err != nil {
		return nil, err
	}
	return &sitev1.GetSiteSettingsResponse{Config: fromConfig(data)}, nil
}

func (s *Service) ReportAbuse(ctx context.Context, req *sitev1.ReportAbuseRequest) (*sitev1.ReportAbuseResponse, error) {
	body := cloudreveapi.AbuseReportRequest{
		Category: cloudreveapi.AbuseReportCategory(req.GetCategory()), Description: values.NonZero(req.GetDescription()),
		ShareId: values.NonZero(req.GetShareId()), UserId: values.NonZero(req.GetUserId()), FileUri: values.NonZero(req.GetFileUri()),
		Captcha: values.NonZero(req.GetCaptcha()), Ticket: values.NonZero(req.GetTicket()),
	}
	if err := call.Action("reportAbuse").Do(s.api.ReportAbuse(ctx, body)); err != nil {
		return nil, err
	}
	return &sitev1.ReportAbuseResponse{}, nil
}

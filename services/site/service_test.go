package site

import (
	"context"
	"strings"
	"testing"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	sitev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1/sitev1connect"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/servicetest"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/sandbox/sandboxtest"
)

// serve mounts the site service over api and returns one client per protocol.
func serve(t *testing.T, api cloudreveapi.ClientInterface) *servicetest.Server {
	t.Helper()
	server := connect.NewServer()
	sitev1connect.RegisterSiteServiceHandler(server, New(api))
	return servicetest.Serve(t, server)
}

func anonymous(t *testing.T, up *sandboxtest.Upstream) cloudreveapi.ClientInterface {
	t.Helper()
	c, err := cloudreveapi.NewClient(up.APIURL)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Ping carries the version and reads "-pro" as the commercial edition.
func TestPingTellsTheEdition(t *testing.T) {
	t.Parallel()
	for _, edition := range []string{sandbox.EditionCommunity, sandbox.EditionPro} {
		up := sandboxtest.Start(t, sandbox.Options{Edition: edition})
		srv := serve(t, anonymous(t, up))
		for _, p := range servicetest.Protocols {
			t.Run(edition+"/"+p.Name, func(t *testing.T) {
				t.Parallel()
				c := servicetest.Client(srv, p, sitev1connect.NewSiteServiceClient)
				res, err := c.Ping(context.Background(), &sitev1.PingRequest{})
				if err != nil {
					t.Fatal(err)
				}
				pro := edition == sandbox.EditionPro
				if v := res.GetVersion(); !strings.HasPrefix(v, "4.") || strings.HasSuffix(v, "-pro") != pro || res.GetPro() != pro {
					t.Errorf("ping on %s: %v", edition, res)
				}
			})
		}
	}
}

func TestSiteSettingsBySection(t *testing.T) {
	t.Parallel()
	up := sandboxtest.Start(t, sandbox.Options{Edition: sandbox.EditionPro, Captcha: true})
	signedIn := serve(t, up.NewAccount(t, "sid").Client)
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			c := servicetest.Client(signedIn, p, sitev1connect.NewSiteServiceClient)
			get := func(section sitev1.SiteConfigSection) *sitev1.SiteConfig {
				t.Helper()
				res, err := c.GetSiteSettings(context.Background(), &sitev1.GetSiteSettingsRequest{Section: section})
				if err != nil {
					t.Fatalf("%v: %v", section, err)
				}
				return res.GetConfig()
			}

			basic := get(sitev1.SiteConfigSection_SITE_CONFIG_SECTION_BASIC)
			if basic.GetTitle() != "Cloudreve" || basic.GetInstanceId() == "" || basic.GetCaptchaType() != "normal" {
				t.Errorf("basic: %v", basic)
			}
			if u := basic.GetUser(); u.GetNickname() != "sid" || u.GetId() == "" {
				t.Errorf("basic names the caller wrongly: %v", u)
			}

			login := get(sitev1.SiteConfigSection_SITE_CONFIG_SECTION_LOGIN)
			if !login.GetLoginCaptcha() || !login.GetRegisterEnabled() || !login.GetAuthn() || login.GetTitle() != "" {
				t.Errorf("login: %v", login)
			}

			explorer := get(sitev1.SiteConfigSection_SITE_CONFIG_SECTION_EXPLORER)
			if explorer.GetMaxBatchSize() != 1000 || explorer.GetThumbnailWidth() != 400 || explorer.GetMapProvider() != "openstreetmap" {
				t.Errorf("explorer: %v", explorer)
			}
			if fv := explorer.GetFileViewers(); len(fv) != 1 || len(fv[0].GetViewers()) != 2 ||
				fv[0].GetViewers()[1].GetTemplates()[0].GetExt() != "txt" || fv[0].GetViewers()[0].GetType() != "builtin" {
				t.Errorf("file viewers: %v", fv)
			}

			if thumb := get(sitev1.SiteConfigSection_SITE_CONFIG_SECTION_THUMB); len(thumb.GetThumbExts()) != 4 {
				t.Errorf("thumb: %v", thumb)
			}

			vas := get(sitev1.SiteConfigSection_SITE_CONFIG_SECTION_VAS)
			if pay := vas.GetPayment(); pay.GetCurrencyCode() != "USD" || pay.GetCurrencyUnit() != 100 || len(pay.GetProviders()) != 1 || pay.GetProviders()[0].GetType() != "stripe" {
				t.Errorf("payment: %v", pay)
			}
			if sp := vas.GetStorageProducts(); len(sp) != 1 || sp[0].GetSize() != 10<<30 || sp[0].GetPoints() != 50 {
				t.Errorf("storage products: %v", sp)
			}
			if g := vas.GetGroupSkus(); len(g) != 1 || len(g[0].GetDes()) != 1 || !vas.GetPointEnabled() || vas.GetPointPrice() != 10 {
				t.Errorf("group SKUs: %v", vas)
			}
		})
	}
}

// A CAPTCHA image and its ticket come through; the ticket is what the
// upstream keeps the answer under.
func TestGetCaptcha(t *testing.T) {
	t.Parallel()
	up := sandboxtest.Start(t, sandbox.Options{Captcha: true})
	srv := serve(t, anonymous(t, up))
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			c := servicetest.Client(srv, p, sitev1connect.NewSiteServiceClient)
			res, err := c.GetCaptcha(context.Background(), &sitev1.GetCaptchaRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(res.GetImage(), "data:image/png;base64,") || up.CaptchaAnswer(res.GetTicket()) == "" {
				t.Errorf("captcha: image %.30q, ticket %q", res.GetImage(), res.GetTicket())
			}
		})
	}
}

// ReportAbuse is the commercial edition's: a community upstream has no route
// for it, a pro one judges the report.
func TestReportAbuse(t *testing.T) {
	t.Parallel()
	community := serve(t, anonymous(t, sandboxtest.Start(t, sandbox.Options{})))
	proUp := sandboxtest.Start(t, sandbox.Options{Edition: sandbox.EditionPro})
	reporter := proUp.NewAccount(t, "rita")
	target := proUp.NewAccount(t, "tom")
	pro := serve(t, reporter.Client)
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			report := &sitev1.ReportAbuseRequest{Category: 1, UserId: target.ID, Description: "spam"}

			_, err := servicetest.Client(community, p, sitev1connect.NewSiteServiceClient).ReportAbuse(ctx, report)
			f := servicetest.WantUpstreamError(t, err, connect.CodeUnimplemented, "reportAbuse")
			if f.Info.GetReason() != rpcerror.ReasonProOnly || f.Upstream.GetHttpStatus() != 404 {
				t.Errorf("community: %v %v", f.Info, f.Upstream)
			}

			c := servicetest.Client(pro, p, sitev1connect.NewSiteServiceClient)
			if _, err := c.ReportAbuse(ctx, report); err != nil {
				t.Fatalf("pro: %v", err)
			}
			// Naming both a share and a user is the upstream's to refuse.
			both := &sitev1.ReportAbuseRequest{Category: 1, UserId: target.ID, ShareId: "x"}
			_, err = c.ReportAbuse(ctx, both)
			servicetest.WantUpstreamCode(t, err, connect.CodeInvalidArgument, "reportAbuse", upstream.CodeParamError)
		})
	}
}

package sandbox

import (
	"bytes"
	"context"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"strings"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/users"
	"github.com/cloudreve-connect/facade/internal/values"
)

// Site settings and the built-in image CAPTCHA.

// instanceID is fixed so that a sandbox is recognisable across calls.
var instanceID = newUUID()

// GetSiteSettings is GET /site/config/{section}: never an error; unknown
// sections (and vas on a community server) are the basic one.
func (s *cloudreve) GetSiteSettings(ctx context.Context, req cloudreveapi.GetSiteSettingsRequestObject) (cloudreveapi.GetSiteSettingsResponseObject, error) {
	out := cloudreveapi.SiteConfig{}
	switch req.Section {
	case cloudreveapi.Login:
		out.LoginCaptcha, out.RegCaptcha, out.ForgetCaptcha = values.NonZero(s.opts.Captcha), values.NonZero(s.opts.Captcha), values.NonZero(s.opts.Captcha)
		out.Authn, out.RegisterEnabled = values.NonZero(!s.opts.NoPasskeys), values.Ptr(true)
	case cloudreveapi.Explorer:
		out.MaxBatchSize, out.ThumbnailWidth, out.ThumbnailHeight = values.Ptr(1000), values.Ptr(400), values.Ptr(300)
		out.MapProvider = values.Ptr(cloudreveapi.Openstreetmap)
		out.Icons = values.Ptr(`[]`)
		out.FileViewers = &[]cloudreveapi.FileViewer{{Viewers: []cloudreveapi.Viewer{
			{Id: "image", Type: cloudreveapi.ViewerTypeBuiltin, DisplayName: "fileManager.imageViewer", Exts: []string{"png", "jpg", "gif"}},
			{Id: "text", Type: cloudreveapi.ViewerTypeBuiltin, DisplayName: "fileManager.textEditor", Exts: []string{"txt", "md"},
				Templates: &[]cloudreveapi.NewFileTemplate{{Ext: "txt", DisplayName: "txt"}}},
		}}}
	case cloudreveapi.Emojis:
		out.EmojiPreset = values.Ptr(`{"😀":["😀","😁"]}`)
	case cloudreveapi.App:
		out.AppPromotion, out.DesktopAppPromotion = values.Ptr(true), values.Ptr(true)
	case cloudreveapi.Thumb:
		out.ThumbExts = &[]string{"gif", "jpeg", "jpg", "png"}
	case cloudreveapi.Vas:
		if s.pro() {
			s.vasSettings(&out)
			break
		}
		fallthrough
	default:
		s.basicSettings(ctx, &out)
	}
	return cloudreveapi.GetSiteSettings200JSONResponse{Data: &out}, nil
}

func (s *cloudreve) basicSettings(ctx context.Context, out *cloudreveapi.SiteConfig) {
	out.InstanceId, out.Title = values.Ptr(instanceID), values.Ptr("Cloudreve")
	out.Themes, out.DefaultTheme = values.Ptr(`{"#1976d2":{"light":{},"dark":{}}}`), values.Ptr("#1976d2")
	out.Logo, out.LogoLight = values.Ptr("/static/img/logo.svg"), values.Ptr("/static/img/logo_light.svg")
	out.CaptchaType = values.Ptr(cloudreveapi.Normal)
	out.AppPromotion = values.Ptr(true)
	if u := caller(ctx); u != nil {
		out.User = values.Ptr(s.userJSON(u))
	} else {
		// The guest user.
		out.User = &cloudreveapi.User{Anonymous: values.Ptr(true), Group: &cloudreveapi.Group{
			Id: s.ids.encode(kindGroup, anonymousGroup.id), Name: anonymousGroup.name,
			Permission: values.Ptr(users.EncodePermissions(anonymousGroup.perms...)),
		}}
	}
}

// GetCaptcha is GET /site/captcha: a new image on every call.
func (s *cloudreve) GetCaptcha(ctx context.Context, req cloudreveapi.GetCaptchaRequestObject) (cloudreveapi.GetCaptchaResponseObject, error) {
	ticket, answer := s.store.newCaptcha()
	var buf bytes.Buffer
	if err := png.Encode(&buf, captchaImage(answer)); err != nil {
		return nil, fail(upstream.CodeInternalSetting, "Failed to draw the CAPTCHA")
	}
	img := "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
	return cloudreveapi.GetCaptcha200JSONResponse{Data: &cloudreveapi.CaptchaResponse{Image: img, Ticket: ticket}}, nil
}

// checkCaptcha applies the CAPTCHA middleware when the site turned it on.
// A ticket is used once, right or wrong.
func (s *cloudreve) checkCaptcha(captcha, ticket *string) *apiError {
	if !s.opts.Captcha {
		return nil
	}
	wrong := fail(upstream.CodeCaptchaError, "CAPTCHA not match.")
	if captcha == nil || ticket == nil {
		return wrong
	}
	want, ok := s.store.takeCaptcha(*ticket)
	if !ok || !strings.EqualFold(want, strings.TrimSpace(*captcha)) {
		return wrong
	}
	return nil
}

func randomDigits(n int) string {
	b := randomBytes(n)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b)
}

// digitGlyphs are 3×5 bitmaps of 0–9, one row per 3 bits.
var digitGlyphs = [10][5]uint8{
	{7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1},
	{7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7},
}

// captchaImage draws the digits large, on a lightly speckled background.
func captchaImage(text string) image.Image {
	const scale, pad = 6, 8
	w, h := pad*2+len(text)*4*scale, pad*2+5*scale
	img := image.NewGray(image.Rect(0, 0, w, h))
	noise := randomBytes(w * h)
	for i := range img.Pix {
		img.Pix[i] = 230 + noise[i]%26
	}
	for i, c := range text {
		g := digitGlyphs[c-'0']
		for row := 0; row < 5; row++ {
			for col := 0; col < 3; col++ {
				if g[row]&(4>>col) == 0 {
					continue
				}
				for dy := 0; dy < scale; dy++ {
					for dx := 0; dx < scale; dx++ {
						img.SetGray(pad+(i*4+col)*scale+dx, pad+row*scale+dy, color.Gray{Y: 40})
					}
				}
			}
		}
	}
	return img
}

// ReportAbuse is POST /site/abuse (commercial edition only).
func (s *cloudreve) ReportAbuse(ctx context.Context, req cloudreveapi.ReportAbuseRequestObject) (cloudreveapi.ReportAbuseResponseObject, error) {
	b := req.Body
	if b.Category < 0 || b.Category > 3 {
		return nil, bindErr("")
	}
	share, user := b.ShareId != nil && *b.ShareId != "", b.UserId != nil && *b.UserId != ""
	if share == user {
		return nil, fail(upstream.CodeParamError, "Exactly one of share_id and user_id is needed")
	}
	if user {
		if u, aerr := s.store.userByPathID(*b.UserId); aerr != nil {
			return nil, aerr
		} else if u == nil {
			return nil, fail(upstream.CodeUserNotFound, "User not found")
		}
	}
	return cloudreveapi.ReportAbuse200JSONResponse{}, nil
}

package tests

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"connectrpc.com/connect/v2"

	callbackv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/callback/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/callback/v1/callbackv1connect"
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	groupv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/group/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/group/v1/groupv1connect"
	sessionv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/session/v1"
	sitev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/site/v1"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	vasv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/vas/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/vas/v1/vasv1connect"
	"github.com/cloudreve-connect/facade/sandbox"
)

// Every community RPC of the Site, Session, User and Callback services
// answers over both protocols (WebDAV has TestDavAccounts).
func TestEveryAccountRPC(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	bob := e.up.newAccount(t, "bob")
	ctx := context.Background()
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			guest := clientsOf(e.f, p.opts...)
			me := clientsOf(e.f, append(p.opts, withToken(bob.Token))...)

			ping, err := guest.site.Ping(ctx, &sitev1.PingRequest{})
			if err != nil || ping.GetVersion() != sandbox.Version || ping.GetPro() {
				t.Errorf("Ping: %v %v", ping, err)
			}
			captcha, err := guest.site.GetCaptcha(ctx, &sitev1.GetCaptchaRequest{})
			if err != nil || !strings.HasPrefix(captcha.GetImage(), "data:image/png;base64,") || captcha.GetTicket() == "" {
				t.Errorf("GetCaptcha: %v", err)
			}
			basic, err := me.site.GetSiteSettings(ctx, &sitev1.GetSiteSettingsRequest{Section: sitev1.SiteConfigSection_SITE_CONFIG_SECTION_BASIC})
			if err != nil || basic.GetConfig().GetTitle() == "" || basic.GetConfig().GetUser().GetId() != bob.ID {
				t.Errorf("basic settings: %v %v", basic, err)
			}
			login, err := guest.site.GetSiteSettings(ctx, &sitev1.GetSiteSettingsRequest{Section: sitev1.SiteConfigSection_SITE_CONFIG_SECTION_LOGIN})
			if err != nil || !login.GetConfig().GetRegisterEnabled() || !login.GetConfig().GetAuthn() || login.GetConfig().GetTitle() != "" {
				t.Errorf("login settings: %v %v", login, err)
			}
			// vas is a commercial section: a community server answers basic.
			vas, err := guest.site.GetSiteSettings(ctx, &sitev1.GetSiteSettingsRequest{Section: sitev1.SiteConfigSection_SITE_CONFIG_SECTION_VAS})
			if err != nil || vas.GetConfig().GetTitle() == "" || !vas.GetConfig().GetUser().GetAnonymous() {
				t.Errorf("vas settings on community: %v %v", vas, err)
			}

			methods, err := guest.session.PrepareLogin(ctx, &sessionv1.PrepareLoginRequest{Email: "bob@example.com"})
			if err != nil || !methods.GetPasswordEnabled() || methods.GetWebauthnEnabled() {
				t.Errorf("PrepareLogin: %v %v", methods, err)
			}
			if _, err := guest.session.PrepareLogin(ctx, &sessionv1.PrepareLoginRequest{Email: "nobody@example.com"}); connect.CodeOf(err) != connect.CodeNotFound {
				t.Errorf("PrepareLogin of nobody: %v", err)
			}

			// Passkeys: register one, sign in with it, delete it.
			reg, err := me.user.PreparePasskeyRegistration(ctx, &userv1.PreparePasskeyRegistrationRequest{})
			if err != nil {
				t.Fatal(err)
			}
			challenge := reg.GetOptions().GetFields()["publicKey"].GetStructValue().GetFields()["challenge"].GetStringValue()
			credID := []byte("credential-" + p.name)
			key, err := me.user.FinishPasskeyRegistration(ctx, &userv1.FinishPasskeyRegistrationRequest{
				Response: sandbox.PasskeyAttestation(credID, challenge), Name: "{browser} on {os}", Ua: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"})
			if err != nil || key.GetPasskey().GetId() != base64.StdEncoding.EncodeToString(credID) || key.GetPasskey().GetName() != "Firefox on Linux" {
				t.Fatalf("FinishPasskeyRegistration: %v %v", key, err)
			}
			start, err := guest.session.PreparePasskeySignIn(ctx, &sessionv1.PreparePasskeySignInRequest{})
			if err != nil {
				t.Fatal(err)
			}
			challenge = start.GetOptions().GetFields()["publicKey"].GetStructValue().GetFields()["challenge"].GetStringValue()
			byKey, err := guest.session.FinishPasskeySignIn(ctx, &sessionv1.FinishPasskeySignInRequest{
				Response: sandbox.PasskeyAssertion(credID, bob.ID, challenge), SessionId: start.GetSessionId()})
			if err != nil || byKey.GetUser().GetId() != bob.ID || byKey.GetToken().GetAccessToken() == "" {
				t.Fatalf("FinishPasskeySignIn: %v %v", byKey, err)
			}
			if _, err := me.user.DeletePasskey(ctx, &userv1.DeletePasskeyRequest{Id: key.GetPasskey().GetId()}); err != nil {
				t.Fatal(err)
			}
			if _, err := me.user.DeletePasskey(ctx, &userv1.DeletePasskeyRequest{Id: key.GetPasskey().GetId()}); connect.CodeOf(err) != connect.CodeNotFound {
				t.Errorf("deleting a passkey twice: %v", err)
			}

			// Preferences.
			nick, theme := "Bobby-"+p.name, "#ff8800"
			if _, err := me.user.UpdatePreferenceSetting(ctx, &userv1.UpdatePreferenceSettingRequest{Nick: &nick, PreferredTheme: &theme,
				VersionRetentionExt: &userv1.StringList{Values: []string{"docx"}}, ShareLinksInProfile: userv1.ShareLinksInProfile_SHARE_LINKS_IN_PROFILE_HIDE_SHARE}); err != nil {
				t.Fatal(err)
			}
			prefs, err := me.user.GetPreferences(ctx, &userv1.GetPreferencesRequest{})
			if err != nil || prefs.GetSettings().GetShareLinksInProfile() != userv1.ShareLinksInProfile_SHARE_LINKS_IN_PROFILE_HIDE_SHARE || len(prefs.GetSettings().GetVersionRetentionExt()) != 1 {
				t.Errorf("GetPreferences: %v %v", prefs, err)
			}
			if _, err := me.user.ListUsersShareLinks(ctx, &userv1.ListUsersShareLinksRequest{UserId: bob.ID, PageSize: 10}); connect.CodeOf(err) != connect.CodeInvalidArgument {
				t.Errorf("shares of a hiding profile: %v", err)
			}
			public := userv1.ShareLinksInProfile_SHARE_LINKS_IN_PROFILE_PUBLIC_ONLY
			if _, err := me.user.UpdatePreferenceSetting(ctx, &userv1.UpdatePreferenceSettingRequest{ShareLinksInProfile: public}); err != nil {
				t.Fatal(err)
			}
			if shares, err := guest.user.ListUsersShareLinks(ctx, &userv1.ListUsersShareLinksRequest{UserId: bob.ID, PageSize: 10}); err != nil || len(shares.GetShares()) != 0 {
				t.Errorf("ListUsersShareLinks: %v %v", shares, err)
			}

			// Profiles: redacted for others, e-mail only for the signed-in.
			prof, err := guest.user.GetUser(ctx, &userv1.GetUserRequest{UserId: bob.ID})
			if err != nil || prof.GetUser().GetNickname() != nick || prof.GetUser().GetEmail() != "" {
				t.Errorf("GetUser as a guest: %v %v", prof, err)
			}
			found, err := me.user.SearchUser(ctx, &userv1.SearchUserRequest{Keyword: "bobby-" + p.name})
			if err != nil || len(found.GetUsers()) != 1 || found.GetUsers()[0].GetEmail() != "bob@example.com" {
				t.Errorf("SearchUser: %v %v", found, err)
			}
			capacity, err := me.user.GetStorageCapacity(ctx, &userv1.GetStorageCapacityRequest{})
			if err != nil || capacity.GetTotal() <= 0 {
				t.Errorf("GetStorageCapacity: %v %v", capacity, err)
			}

			// Profile pictures: bytes with their type, Gravatar as a URL.
			if _, err := guest.user.GetProfilePicture(ctx, &userv1.GetProfilePictureRequest{UserId: e.alice.ID}); connect.CodeOf(err) != connect.CodeNotFound {
				t.Errorf("no picture: %v", err)
			}
			if _, err := me.user.UpdateProfilePicture(ctx, &userv1.UpdateProfilePictureRequest{Content: pngOf(t, 400, 300), ContentType: "image/png"}); err != nil {
				t.Fatal(err)
			}
			pic, err := guest.user.GetProfilePicture(ctx, &userv1.GetProfilePictureRequest{UserId: bob.ID, Nocache: true})
			if err != nil || pic.GetContentType() != "image/png" || len(pic.GetContent()) == 0 || pic.GetLastModified() == nil {
				t.Fatalf("GetProfilePicture: %v", err)
			}
			if img, err := decodePNG(pic.GetContent()); err != nil || img.Bounds().Dx() != 200 {
				t.Errorf("stored picture: %v %v", img.Bounds(), err)
			}
			if _, err := me.user.UpdateProfilePicture(ctx, &userv1.UpdateProfilePictureRequest{Content: []byte("not an image"), ContentType: "image/png"}); connect.CodeOf(err) != connect.CodeInvalidArgument {
				t.Errorf("a broken picture: %v", err)
			}
			if _, err := me.user.UpdateProfilePicture(ctx, &userv1.UpdateProfilePictureRequest{}); err != nil {
				t.Fatal(err)
			}
			grav, err := guest.user.GetProfilePicture(ctx, &userv1.GetProfilePictureRequest{UserId: bob.ID})
			if err != nil || !strings.HasPrefix(grav.GetRedirectUrl(), "https://www.gravatar.com/avatar/") || len(grav.GetContent()) != 0 {
				t.Errorf("Gravatar picture: %v %v", grav, err)
			}

			// Password reset by mail.
			if _, err := guest.user.SendResetPasswordEmail(ctx, &userv1.SendResetPasswordEmailRequest{Email: "bob@example.com"}); err != nil {
				t.Fatal(err)
			}
			secret := e.up.ResetLink(bob.ID)
			if _, err := guest.user.ResetPasswordViaTempLink(ctx, &userv1.ResetPasswordViaTempLinkRequest{UserId: bob.ID, Password: "password-bob", Secret: "wrong"}); connect.CodeOf(err) != connect.CodeFailedPrecondition {
				t.Errorf("reset with a wrong secret: %v", err)
			}
			reset, err := guest.user.ResetPasswordViaTempLink(ctx, &userv1.ResetPasswordViaTempLinkRequest{UserId: bob.ID, Password: "password-bob", Secret: secret})
			if err != nil || reset.GetUser().GetId() != bob.ID {
				t.Errorf("ResetPasswordViaTempLink: %v %v", reset, err)
			}

			// Uploads straight to a provider: the sandbox has no such
			// session, and says so the way the real server does.
			cb := callbackv1connect.NewCallbackServiceClient(connectClient(h2cClient(), e.f.URL, p.opts...))
			for name, call := range map[string]func() error{
				"obs": func() error {
					_, err := cb.CompleteObsUpload(ctx, &callbackv1.CompleteObsUploadRequest{SessionId: "no-such-session", Key: "k"})
					return err
				},
				"onedrive": func() error {
					_, err := cb.CompleteOneDriveUpload(ctx, &callbackv1.CompleteOneDriveUploadRequest{SessionId: "no-such-session", Key: "k"})
					return err
				},
				"cos": func() error {
					_, err := cb.CompleteCosUpload(ctx, &callbackv1.CompleteCosUploadRequest{SessionId: "no-such-session", Key: "k"})
					return err
				},
				"s3": func() error {
					_, err := cb.CompleteS3Upload(ctx, &callbackv1.CompleteS3UploadRequest{SessionId: "no-such-session", Key: "k"})
					return err
				},
			} {
				err := call()
				if connect.CodeOf(err) != connect.CodeNotFound {
					t.Errorf("callback %s: %v", name, err)
					continue
				}
				if _, up := errorDetails(t, err); up.GetCode() != 40011 || up.GetHttpStatus() != http.StatusUnauthorized {
					t.Errorf("callback %s: %v", name, up)
				}
			}
		})
	}
}

// Commercial-only RPCs answer Unimplemented, saying why, when the upstream
// is a community server, and nothing of them reaches further.
func TestProOnlyRPCsOnCommunity(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	ctx := context.Background()
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			opts := append(p.opts, withToken(e.alice.Token))
			c := clientsOf(e.f, opts...)
			vas := vasv1connect.NewVasServiceClient(connectClient(h2cClient(), e.f.URL, opts...))
			groups := groupv1connect.NewGroupServiceClient(connectClient(h2cClient(), e.f.URL, opts...))
			calls := map[string]func() error{
				"ReportAbuse": func() error {
					_, err := c.site.ReportAbuse(ctx, &sitev1.ReportAbuseRequest{Category: 2, UserId: e.alice.ID})
					return err
				},
				"PrepareOpenIdSignIn": func() error {
					_, err := c.session.PrepareOpenIdSignIn(ctx, &sessionv1.PrepareOpenIdSignInRequest{Provider: 1})
					return err
				},
				"FinishOpenIdSignIn": func() error {
					_, err := c.session.FinishOpenIdSignIn(ctx, &sessionv1.FinishOpenIdSignInRequest{Code: "c", SessionId: "s"})
					return err
				},
				"UnlinkOpenId": func() error { _, err := c.session.UnlinkOpenId(ctx, &sessionv1.UnlinkOpenIdRequest{}); return err },
				"ListAvailableStoragePolicies": func() error {
					_, err := c.user.ListAvailableStoragePolicies(ctx, &userv1.ListAvailableStoragePoliciesRequest{})
					return err
				},
				"ListAvailableNodes": func() error {
					_, err := c.user.ListAvailableNodes(ctx, &userv1.ListAvailableNodesRequest{})
					return err
				},
				"ListCreditChanges": func() error {
					_, err := c.user.ListCreditChanges(ctx, &userv1.ListCreditChangesRequest{PageSize: 10})
					return err
				},
				"ListPayments": func() error {
					_, err := c.user.ListPayments(ctx, &userv1.ListPaymentsRequest{PageSize: 10})
					return err
				},
				"CreatePayment": func() error {
					_, err := vas.CreatePayment(ctx, &vasv1.CreatePaymentRequest{Product: &vasv1.PaymentProduct{Type: vasv1.PaymentProductType_PAYMENT_PRODUCT_TYPE_POINTS}, Quantity: 1, ProviderId: "x"})
					return err
				},
				"GetPaymentStatus": func() error {
					_, err := vas.GetPaymentStatus(ctx, &vasv1.GetPaymentStatusRequest{Id: "abc", TradeNo: "123"})
					return err
				},
				"CheckGiftCode": func() error { _, err := vas.CheckGiftCode(ctx, &vasv1.CheckGiftCodeRequest{Code: "gift"}); return err },
				"RedeemGiftCode": func() error {
					_, err := vas.RedeemGiftCode(ctx, &vasv1.RedeemGiftCodeRequest{Code: "gift"})
					return err
				},
				"ListGroups": func() error { _, err := groups.ListGroups(ctx, &groupv1.ListGroupsRequest{}); return err },
			}
			for name, call := range calls {
				err := call()
				if connect.CodeOf(err) != connect.CodeUnimplemented || !strings.Contains(err.Error(), "commercial") {
					t.Errorf("%s: %v", name, err)
				}
			}
		})
	}
}

// Against a commercial upstream the same RPCs pass through.
func TestProOnlyRPCsOnPro(t *testing.T) {
	e := newEnv(t, sandbox.Options{Edition: sandbox.EditionPro})
	e.up.AddGiftCode("gift-connect", 100)
	e.up.AddGiftCode("gift-grpc", 100)
	ctx := context.Background()
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			opts := append(p.opts, withToken(e.alice.Token))
			c := clientsOf(e.f, opts...)
			guest := clientsOf(e.f, p.opts...)
			vas := vasv1connect.NewVasServiceClient(connectClient(h2cClient(), e.f.URL, opts...))
			groups := groupv1connect.NewGroupServiceClient(connectClient(h2cClient(), e.f.URL, opts...))

			if ping, err := c.site.Ping(ctx, &sitev1.PingRequest{}); err != nil || !ping.GetPro() {
				t.Errorf("Ping: %v %v", ping, err)
			}
			settings, err := c.site.GetSiteSettings(ctx, &sitev1.GetSiteSettingsRequest{Section: sitev1.SiteConfigSection_SITE_CONFIG_SECTION_VAS})
			if err != nil || len(settings.GetConfig().GetStorageProducts()) == 0 || len(settings.GetConfig().GetPayment().GetProviders()) == 0 {
				t.Fatalf("vas settings: %v %v", settings, err)
			}
			if _, err := c.site.ReportAbuse(ctx, &sitev1.ReportAbuseRequest{Category: 2, UserId: e.alice.ID, Description: "spam"}); err != nil {
				t.Errorf("ReportAbuse: %v", err)
			}
			if g, err := groups.ListGroups(ctx, &groupv1.ListGroupsRequest{}); err != nil || len(g.GetGroups()) == 0 {
				t.Errorf("ListGroups: %v %v", g, err)
			}
			if pol, err := c.user.ListAvailableStoragePolicies(ctx, &userv1.ListAvailableStoragePoliciesRequest{}); err != nil || len(pol.GetPolicies()) == 0 {
				t.Errorf("ListAvailableStoragePolicies: %v %v", pol, err)
			}
			if nodes, err := c.user.ListAvailableNodes(ctx, &userv1.ListAvailableNodesRequest{}); err != nil || len(nodes.GetNodes()) == 0 {
				t.Errorf("ListAvailableNodes: %v %v", nodes, err)
			}

			code := "gift-" + p.name
			if info, err := vas.CheckGiftCode(ctx, &vasv1.CheckGiftCodeRequest{Code: code}); err != nil || info.GetQyt() != 100 {
				t.Errorf("CheckGiftCode: %v %v", info, err)
			}
			if _, err := vas.RedeemGiftCode(ctx, &vasv1.RedeemGiftCodeRequest{Code: code}); err != nil {
				t.Fatal(err)
			}
			if _, err := vas.RedeemGiftCode(ctx, &vasv1.RedeemGiftCodeRequest{Code: code}); connect.CodeOf(err) != connect.CodeNotFound {
				t.Errorf("a gift code redeemed twice: %v", err)
			}
			pack := settings.GetConfig().GetStorageProducts()[0]
			byCredits, err := vas.CreatePayment(ctx, &vasv1.CreatePaymentRequest{Quantity: 1,
				Product: &vasv1.PaymentProduct{Type: vasv1.PaymentProductType_PAYMENT_PRODUCT_TYPE_STORAGE_PACK, SkuId: pack.GetId()}})
			if err != nil || byCredits.GetRequest().GetPaymentNeeded() || byCredits.GetPayment().GetStatus() != vasv1.PaymentStatus_PAYMENT_STATUS_FULFILLED {
				t.Fatalf("CreatePayment with credits: %v %v", byCredits, err)
			}
			provider := settings.GetConfig().GetPayment().GetProviders()[0].GetId()
			checkout, err := vas.CreatePayment(ctx, &vasv1.CreatePaymentRequest{Quantity: 20, ProviderId: provider,
				Product: &vasv1.PaymentProduct{Type: vasv1.PaymentProductType_PAYMENT_PRODUCT_TYPE_POINTS}})
			if err != nil || !checkout.GetRequest().GetPaymentNeeded() || checkout.GetRequest().GetUrl() == "" {
				t.Fatalf("CreatePayment with a provider: %v %v", checkout, err)
			}
			e.up.MarkPaid(checkout.GetPayment().GetTradeNo())
			status, err := vas.GetPaymentStatus(ctx, &vasv1.GetPaymentStatusRequest{Id: checkout.GetPayment().GetId(), TradeNo: checkout.GetPayment().GetTradeNo()})
			if err != nil || status.GetPayment().GetStatus() != vasv1.PaymentStatus_PAYMENT_STATUS_FULFILLED {
				t.Errorf("GetPaymentStatus: %v %v", status, err)
			}
			if pays, err := c.user.ListPayments(ctx, &userv1.ListPaymentsRequest{PageSize: 10, OrderDirection: filev1.OrderDirection_ORDER_DIRECTION_DESC}); err != nil || len(pays.GetPayments()) < 2 {
				t.Errorf("ListPayments: %v %v", pays, err)
			}
			changes, err := c.user.ListCreditChanges(ctx, &userv1.ListCreditChangesRequest{PageSize: 10})
			if err != nil || len(changes.GetChanges()) < 3 {
				t.Errorf("ListCreditChanges: %v %v", changes, err)
			}

			// OpenID: link the provider to the account, sign in with it, unlink.
			link, err := c.session.PrepareOpenIdSignIn(ctx, &sessionv1.PrepareOpenIdSignInRequest{Provider: 2, Linking: true})
			if err != nil {
				t.Fatal(err)
			}
			state := link.GetUrl()[strings.Index(link.GetUrl(), "state=")+len("state="):]
			who := "alice-" + p.name + "@idp.example"
			if _, err := c.session.FinishOpenIdSignIn(ctx, &sessionv1.FinishOpenIdSignInRequest{Code: e.up.OpenIDCode(link.GetUrl(), who), SessionId: state, ProviderId: 2}); err != nil {
				t.Fatalf("linking: %v", err)
			}
			start, err := guest.session.PrepareOpenIdSignIn(ctx, &sessionv1.PrepareOpenIdSignInRequest{Provider: 2})
			if err != nil {
				t.Fatal(err)
			}
			state = start.GetUrl()[strings.Index(start.GetUrl(), "state=")+len("state="):]
			in, err := guest.session.FinishOpenIdSignIn(ctx, &sessionv1.FinishOpenIdSignInRequest{Code: e.up.OpenIDCode(start.GetUrl(), who), SessionId: state, ProviderId: 2})
			if err != nil || in.GetUser().GetId() != e.alice.ID || in.GetToken().GetAccessToken() == "" {
				t.Fatalf("FinishOpenIdSignIn: %v %v", in, err)
			}
			if _, err := c.session.UnlinkOpenId(ctx, &sessionv1.UnlinkOpenIdRequest{ProviderId: 2}); err != nil {
				t.Fatal(err)
			}
			if _, err := c.session.UnlinkOpenId(ctx, &sessionv1.UnlinkOpenIdRequest{ProviderId: 2}); connect.CodeOf(err) != connect.CodeFailedPrecondition {
				t.Errorf("unlinking twice: %v", err)
			}
		})
	}
}

// The built-in CAPTCHA: a site that asks for it refuses a sign-in without
// the answer, and the facade carries captcha and ticket through.
func TestCaptchaCarriedToSignIn(t *testing.T) {
	e := newEnv(t, sandbox.Options{Captcha: true})
	ctx := context.Background()
	c := clientsOf(e.f)
	req := &sessionv1.PasswordSignInRequest{Email: "alice@example.com", Password: "password-alice"}
	if _, err := c.session.PasswordSignIn(ctx, req); connect.CodeOf(err) != connect.CodeInvalidArgument {
		t.Fatalf("sign-in without CAPTCHA: %v", err)
	}
	captcha, err := c.site.GetCaptcha(ctx, &sitev1.GetCaptchaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	req.Ticket, req.Captcha = captcha.GetTicket(), e.up.CaptchaAnswer(captcha.GetTicket())
	if in, err := c.session.PasswordSignIn(ctx, req); err != nil || in.GetLogin() == nil {
		t.Fatalf("sign-in with CAPTCHA: %v %v", in, err)
	}
	login, err := c.site.GetSiteSettings(ctx, &sitev1.GetSiteSettingsRequest{Section: sitev1.SiteConfigSection_SITE_CONFIG_SECTION_LOGIN})
	if err != nil || !login.GetConfig().GetLoginCaptcha() {
		t.Errorf("login settings: %v %v", login, err)
	}
}

// A sign-up on a site with e-mail activation says so instead of returning a
// user.
func TestSignUpWithActivation(t *testing.T) {
	e := newEnv(t, sandbox.Options{EmailActivation: true})
	res, err := clientsOf(e.f).user.SignUp(context.Background(), &userv1.SignUpRequest{Email: "new@example.com", Password: "secret-123"})
	if err != nil || !res.GetActivationRequired() || res.GetUser() != nil {
		t.Fatalf("SignUp: %v %v", res, err)
	}
}

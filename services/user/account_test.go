package user

import (
	"context"
	"testing"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1/userv1connect"
	"github.com/cloudreve-connect/facade/internal/servicetest"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/sandbox/sandboxtest"
)

func serve(t *testing.T, up *sandboxtest.Upstream, api cloudreveapi.ClientInterface, p servicetest.Protocol) userv1connect.UserServiceClient {
	t.Helper()
	server := connect.NewServer()
	userv1connect.RegisterUserServiceHandler(server, New(api, up.Versions(t)))
	return servicetest.Client(servicetest.Serve(t, server), p, userv1connect.NewUserServiceClient)
}

// A signed-in user reads and changes their own account.
func TestOwnAccount(t *testing.T) {
	t.Parallel()
	up := sandboxtest.Start(t, sandbox.Options{})
	up.NewAccount(t, "admin") // the first account administers the site
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			me := up.NewAccount(t, "nina-"+p.Name)
			c := serve(t, up, me.Client, p)
			ctx := context.Background()
			if err := up.WriteFile(me.ID, "cloudreve://my/five.txt", []byte("12345")); err != nil {
				t.Fatal(err)
			}

			capacity, err := c.GetStorageCapacity(ctx, &userv1.GetStorageCapacityRequest{})
			if err != nil || capacity.GetTotal() != 1<<30 || capacity.GetUsed() != 5 {
				t.Errorf("capacity: %v %v", capacity, err)
			}

			nick, lang := "Nina N.", "de-DE"
			if _, err := c.UpdatePreferenceSetting(ctx, &userv1.UpdatePreferenceSettingRequest{Nick: &nick, Language: &lang}); err != nil {
				t.Fatal(err)
			}
			prefs, err := c.GetPreferences(ctx, &userv1.GetPreferencesRequest{})
			if err != nil || prefs.GetSettings().GetTwoFaEnabled() {
				t.Fatalf("preferences: %v %v", prefs, err)
			}
			got, err := c.GetUser(ctx, &userv1.GetUserRequest{UserId: me.ID})
			if err != nil || got.GetUser().GetNickname() != nick || got.GetUser().GetId() != me.ID {
				t.Errorf("get user: %v %v", got, err)
			}
			_, err = c.GetUser(ctx, &userv1.GetUserRequest{UserId: "nosuchuser"})
			servicetest.WantUpstreamCode(t, err, connect.CodeInvalidArgument, "getUser", upstream.CodeParamError)

			found, err := c.SearchUser(ctx, &userv1.SearchUserRequest{Keyword: "nina-" + p.Name})
			if err != nil || len(found.GetUsers()) != 1 || found.GetUsers()[0].GetId() != me.ID {
				t.Errorf("search: %v %v", found, err)
			}

			secret, err := c.PrepareEnabling2FA(ctx, &userv1.PrepareEnabling2FARequest{})
			if err != nil || secret.GetSecret() == "" {
				t.Errorf("2FA secret: %v %v", secret, err)
			}
		})
	}
}

// Sign-up: a new account, an address already taken, and an account that
// waits for its activation mail (code 203, not an error).
func TestSignUp(t *testing.T) {
	t.Parallel()
	open := sandboxtest.Start(t, sandbox.Options{})
	activation := sandboxtest.Start(t, sandbox.Options{EmailActivation: true})
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			guest := func(up *sandboxtest.Upstream) userv1connect.UserServiceClient {
				api, err := cloudreveapi.NewClient(up.APIURL)
				if err != nil {
					t.Fatal(err)
				}
				return serve(t, up, api, p)
			}
			ctx := context.Background()
			email := "sven-" + p.Name + "@example.com"
			c := guest(open)
			res, err := c.SignUp(ctx, &userv1.SignUpRequest{Email: email, Password: "long-enough"})
			if err != nil || res.GetUser().GetEmail() != email || res.GetActivationRequired() {
				t.Fatalf("sign-up: %v %v", res, err)
			}
			_, err = c.SignUp(ctx, &userv1.SignUpRequest{Email: email, Password: "long-enough"})
			servicetest.WantUpstreamCode(t, err, connect.CodeAlreadyExists, "signUp", upstream.CodeEmailInUse)

			waiting, err := guest(activation).SignUp(ctx, &userv1.SignUpRequest{Email: email, Password: "long-enough"})
			if err != nil || !waiting.GetActivationRequired() || waiting.GetUser() != nil {
				t.Errorf("sign-up with activation: %v %v", waiting, err)
			}
		})
	}
}

// Credit changes (commercial edition) page and convert.
func TestListCreditChanges(t *testing.T) {
	t.Parallel()
	up := sandboxtest.Start(t, sandbox.Options{Edition: sandbox.EditionPro})
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			me := up.NewAccount(t, "cara-"+p.Name)
			ctx := context.Background()
			code := "CREDIT-" + p.Name
			up.AddGiftCode(code, 30)
			if err := upstream.Action("redeemGiftCode").Check(me.Client.RedeemGiftCode(ctx, code)); err != nil {
				t.Fatal(err)
			}
			res, err := serve(t, up, me.Client, p).ListCreditChanges(ctx, &userv1.ListCreditChangesRequest{PageSize: 10})
			if err != nil {
				t.Fatal(err)
			}
			if ch := res.GetChanges(); len(ch) != 1 || ch[0].GetDiff() != 30 || ch[0].GetReason() != "Gift code" || ch[0].GetChangedAt().AsTime().IsZero() || res.GetNextPageToken() != "" {
				t.Errorf("credit changes: %v", res)
			}
		})
	}
}

package user

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"testing"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/servicetest"
	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/sandbox/sandboxtest"
)

// A profile picture: none, then the one uploaded (as the upstream resizes
// it), then Gravatar's address once the picture is cleared.
func TestProfilePicture(t *testing.T) {
	t.Parallel()
	up := sandboxtest.Start(t, sandbox.Options{})
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			me := up.NewAccount(t, "pat-"+p.Name)
			c := serve(t, up, me.Client, p)
			ctx := context.Background()

			_, err := c.GetProfilePicture(ctx, &userv1.GetProfilePictureRequest{UserId: me.ID})
			if connect.CodeOf(err) != connect.CodeNotFound {
				t.Fatalf("no picture yet: %v, want NotFound", err)
			}

			src := image.NewRGBA(image.Rect(0, 0, 32, 16))
			for x := range 32 {
				for y := range 16 {
					src.Set(x, y, color.RGBA{R: 200, G: 30, B: 90, A: 255})
				}
			}
			var buf bytes.Buffer
			if err := png.Encode(&buf, src); err != nil {
				t.Fatal(err)
			}
			if _, err := c.UpdateProfilePicture(ctx, &userv1.UpdateProfilePictureRequest{Content: buf.Bytes(), ContentType: "image/png"}); err != nil {
				t.Fatal(err)
			}
			pic, err := c.GetProfilePicture(ctx, &userv1.GetProfilePictureRequest{UserId: me.ID, Nocache: true})
			if err != nil {
				t.Fatal(err)
			}
			img, format, err := image.Decode(bytes.NewReader(pic.GetContent()))
			if err != nil {
				t.Fatalf("the picture served (%s, %d bytes) is no image: %v", pic.GetContentType(), len(pic.GetContent()), err)
			}
			if format != "png" || img.Bounds().Dx() > 200 || img.Bounds().Dy() > 200 || pic.GetLastModified() == nil {
				t.Errorf("picture: %s %v, last modified %v", format, img.Bounds(), pic.GetLastModified())
			}
			if r, _, _, _ := img.At(img.Bounds().Dx()/2, img.Bounds().Dy()/2).RGBA(); r>>8 < 150 {
				t.Errorf("the picture's middle is not the colour uploaded")
			}

			if _, err := c.UpdateProfilePicture(ctx, &userv1.UpdateProfilePictureRequest{}); err != nil {
				t.Fatal(err)
			}
			gravatar, err := c.GetProfilePicture(ctx, &userv1.GetProfilePictureRequest{UserId: me.ID})
			if err != nil {
				t.Fatal(err)
			}
			if gravatar.GetRedirectUrl() == "" || len(gravatar.GetContent()) != 0 {
				t.Errorf("after clearing: %v", gravatar)
			}
		})
	}
}

// A forgotten password: the mail's secret resets it once, and only once.
func TestPasswordResetByMail(t *testing.T) {
	t.Parallel()
	up := sandboxtest.Start(t, sandbox.Options{})
	guest, err := cloudreveapi.NewClient(up.APIURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			me := up.NewAccount(t, "ros-"+p.Name)
			c := serve(t, up, guest, p)
			ctx := context.Background()
			if _, err := c.SendResetPasswordEmail(ctx, &userv1.SendResetPasswordEmailRequest{Email: "ros-" + p.Name + "@example.com"}); err != nil {
				t.Fatal(err)
			}
			secret := up.ResetLink(me.ID)
			if secret == "" {
				t.Fatal("no reset mail was sent")
			}
			reset, err := c.ResetPasswordViaTempLink(ctx, &userv1.ResetPasswordViaTempLinkRequest{UserId: me.ID, Password: "a-new-password", Secret: secret})
			if err != nil {
				t.Fatal(err)
			}
			if reset.GetUser().GetId() != me.ID {
				t.Errorf("reset answered %v", reset.GetUser())
			}
			_, err = c.ResetPasswordViaTempLink(ctx, &userv1.ResetPasswordViaTempLinkRequest{UserId: me.ID, Password: "another-password", Secret: secret})
			if err == nil {
				t.Error("the secret worked twice")
			}
		})
	}
}

// What a user may choose from: storage policies and nodes, a passkey's
// registration options, and another user's public share links.
func TestChoicesAndProfileLinks(t *testing.T) {
	t.Parallel()
	community := sandboxtest.Start(t, sandbox.Options{})
	up := sandboxtest.Start(t, sandbox.Options{Edition: sandbox.EditionPro})
	up.NewAccount(t, "admin")
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			plain := community.NewAccount(t, "kim-"+p.Name)
			_, err := serve(t, community, plain.Client, p).ListAvailableStoragePolicies(context.Background(), &userv1.ListAvailableStoragePoliciesRequest{})
			if connect.CodeOf(err) != connect.CodeUnimplemented {
				t.Errorf("storage policies on a community server: %v, want Unimplemented", err)
			}

			me := up.NewAccount(t, "lee-"+p.Name)
			c := serve(t, up, me.Client, p)
			ctx := context.Background()

			policies, err := c.ListAvailableStoragePolicies(ctx, &userv1.ListAvailableStoragePoliciesRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if len(policies.GetPolicies()) == 0 || policies.GetPolicies()[0].GetId() == "" || policies.GetPolicies()[0].GetType() == "" {
				t.Errorf("policies: %v", policies)
			}
			if _, err := c.ListAvailableNodes(ctx, &userv1.ListAvailableNodesRequest{}); err != nil {
				t.Errorf("nodes: %v", err)
			}
			options, err := c.PreparePasskeyRegistration(ctx, &userv1.PreparePasskeyRegistrationRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if options.GetOptions().GetFields()["publicKey"].GetStructValue().GetFields()["challenge"].GetStringValue() == "" {
				t.Errorf("passkey options without a challenge: %v", options.GetOptions())
			}

			if err := up.WriteFile(me.ID, "cloudreve://my/public.txt", []byte("for all")); err != nil {
				t.Fatal(err)
			}
			const links = 12
			for range links {
				res, err := me.Client.CreateShareLink(ctx, cloudreveapi.ShareCreateService{Uri: "cloudreve://my/public.txt"})
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
			}
			var listed []string
			token := ""
			for range 10 {
				page, err := c.ListUsersShareLinks(ctx, &userv1.ListUsersShareLinksRequest{UserId: me.ID, PageSize: 10, PageToken: token})
				if err != nil {
					t.Fatal(err)
				}
				for _, sh := range page.GetShares() {
					if sh.GetOwner().GetId() != me.ID || sh.GetSourceType() != userv1.ShareSourceType_SHARE_SOURCE_TYPE_FILE {
						t.Errorf("share %v", sh)
					}
					listed = append(listed, sh.GetId())
				}
				if token = page.GetNextPageToken(); token == "" {
					break
				}
			}
			if len(listed) != links {
				t.Errorf("listed %v, want %d links", listed, links)
			}
		})
	}
}

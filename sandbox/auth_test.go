package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	openapi_types "github.com/oapi-codegen/runtime/types"
)

func TestSignInRefreshSignOut(t *testing.T) {
	e := newEnv(t, Options{})
	guest := e.client("")

	// Sign up: the first account is the administrator; a used e-mail is 40032.
	up := must(guest.SignUpWithResponse(bg, cloudreveapi.SignUpJSONRequestBody{Email: "ann@example.com", Password: "secret123"}))
	code(t, "sign up", up.JSON200.Code, 0, up.JSON200.Msg)
	if up.JSON200.Data.Group == nil || up.JSON200.Data.Group.Name != "Admin" {
		t.Errorf("first account group %+v, want Admin", up.JSON200.Data.Group)
	}
	again := must(guest.SignUpWithResponse(bg, cloudreveapi.SignUpJSONRequestBody{Email: "ann@example.com", Password: "secret123"}))
	code(t, "sign up twice", again.JSON200.Code, 40032, again.JSON200.Msg)

	bad := must(guest.PasswordSignInWithResponse(bg, cloudreveapi.PasswordSignInJSONRequestBody{Email: "ann@example.com", Password: "wrong-pw"}))
	code(t, "wrong password", bad.JSON200.Code, 40080, bad.JSON200.Msg)

	in := must(guest.PasswordSignInWithResponse(bg, cloudreveapi.PasswordSignInJSONRequestBody{Email: openapi_types.Email("ANN@example.com"), Password: "secret123"}))
	code(t, "sign in", in.JSON200.Code, 0, in.JSON200.Msg)
	tok := in.JSON200.Data.Token
	if in.JSON200.Data.User.Id != up.JSON200.Data.Id {
		t.Errorf("signed in as %q, want %q", in.JSON200.Data.User.Id, up.JSON200.Data.Id)
	}
	if d := time.Until(tok.AccessExpires); d < 59*time.Minute || d > time.Hour+time.Second {
		t.Errorf("access expires in %v, want 1h", d)
	}
	access := claimsOf(t, tok.AccessToken)
	refresh := claimsOf(t, tok.RefreshToken)
	if access["token_type"] != "access" || access["sub"] != up.JSON200.Data.Id || access["exp"] == nil || access["nbf"] == nil {
		t.Errorf("access claims %v", access)
	}
	if refresh["token_type"] != "refresh" || refresh["root_token_id"] == "" || refresh["root_token_id"] == nil {
		t.Errorf("refresh claims %v", refresh)
	}

	// The access token works, with or without the Bearer prefix.
	me := e.client(tok.AccessToken)
	list := must(me.ListTasksWithResponse(bg, &cloudreveapi.ListTasksParams{PageSize: 10, Category: "general"}))
	code(t, "signed-in list", list.JSON200.Code, 0, list.JSON200.Msg)
	req, _ := http.NewRequest("GET", e.srv.URL+APIPrefix+"/user/capacity", nil)
	req.Header.Set("Authorization", tok.AccessToken)
	if env := doEnvelope(t, req); env.Code != 0 {
		t.Errorf("token without Bearer prefix: code %d", env.Code)
	}

	// Guests, expired and garbage tokens are guests: 401 on login-only routes.
	expired, _ := e.s.c.signJWT(claims{TokenType: tokenAccess, Sub: up.JSON200.Data.Id, Exp: time.Now().Add(-time.Minute).Unix(), Nbf: time.Now().Add(-time.Hour).Unix()})
	for name, c := range map[string]*cloudreveapi.ClientWithResponses{"guest": guest, "garbage": e.client("not.a.jwt"), "expired": e.client(expired)} {
		r := must(c.ListTasksWithResponse(bg, &cloudreveapi.ListTasksParams{PageSize: 10, Category: "general"}))
		code(t, name, r.JSON200.Code, 401, r.JSON200.Msg)
	}
	// A refresh token as bearer is 40020 on every route, public ones included.
	asBearer := e.client(tok.RefreshToken)
	r1 := must(asBearer.ListTasksWithResponse(bg, &cloudreveapi.ListTasksParams{PageSize: 10, Category: "general"}))
	code(t, "refresh as bearer", r1.JSON200.Code, 40020, r1.JSON200.Msg)
	r2 := must(asBearer.PingWithResponse(bg))
	code(t, "refresh as bearer on ping", r2.JSON200.Code, 40020, r2.JSON200.Msg)

	// Refresh keeps the family; the old refresh token keeps working.
	ref := must(guest.RefreshTokenWithResponse(bg, cloudreveapi.RefreshTokenJSONRequestBody{RefreshToken: tok.RefreshToken}))
	code(t, "refresh", ref.JSON200.Code, 0, ref.JSON200.Msg)
	if got := claimsOf(t, ref.JSON200.Data.RefreshToken)["root_token_id"]; got != refresh["root_token_id"] {
		t.Errorf("root_token_id %v after refresh, want %v", got, refresh["root_token_id"])
	}
	ref2 := must(guest.RefreshTokenWithResponse(bg, cloudreveapi.RefreshTokenJSONRequestBody{RefreshToken: tok.RefreshToken}))
	code(t, "old refresh token again", ref2.JSON200.Code, 0, ref2.JSON200.Msg)
	wrong := must(guest.RefreshTokenWithResponse(bg, cloudreveapi.RefreshTokenJSONRequestBody{RefreshToken: tok.AccessToken}))
	code(t, "access token as refresh token", wrong.JSON200.Code, 40020, wrong.JSON200.Msg)

	// Sign-out revokes the family but not issued access tokens.
	out := must(guest.SignOutWithResponse(bg, cloudreveapi.SignOutJSONRequestBody{RefreshToken: ref.JSON200.Data.RefreshToken}))
	code(t, "sign out", out.JSON200.Code, 0, out.JSON200.Msg)
	if out.JSON200.Data == nil || *out.JSON200.Data != "" {
		t.Errorf("sign-out data %v, want \"\"", out.JSON200.Data)
	}
	for _, rt := range []string{tok.RefreshToken, ref.JSON200.Data.RefreshToken} {
		r := must(guest.RefreshTokenWithResponse(bg, cloudreveapi.RefreshTokenJSONRequestBody{RefreshToken: rt}))
		code(t, "refresh after sign-out", r.JSON200.Code, 40020, r.JSON200.Msg)
	}
	still := must(me.ListTasksWithResponse(bg, &cloudreveapi.ListTasksParams{PageSize: 10, Category: "general"}))
	code(t, "access token after sign-out", still.JSON200.Code, 0, still.JSON200.Msg)

	// A second account is not an administrator.
	up2 := must(guest.SignUpWithResponse(bg, cloudreveapi.SignUpJSONRequestBody{Email: "bob@example.com", Password: "secret123"}))
	if up2.JSON200.Data.Group == nil || up2.JSON200.Data.Group.Name != "User" {
		t.Errorf("second account group %+v, want User", up2.JSON200.Data.Group)
	}
}

func claimsOf(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	hdr, _ := base64.RawURLEncoding.DecodeString(parts[0])
	if !strings.Contains(string(hdr), `"HS256"`) {
		t.Errorf("JWT header %s", hdr)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func doEnvelope(t *testing.T, req *http.Request) cloudreveapi.Envelope {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("%s %s: HTTP %d", req.Method, req.URL.Path, resp.StatusCode)
	}
	var env cloudreveapi.Envelope
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatal(err)
	}
	return env
}

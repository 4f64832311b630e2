package sandbox

import (
	"context"
	"errors"
	"net/http"
	"net/mail"
	"strings"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/users"
	"github.com/cloudreve-connect/facade/internal/values"
)

// authenticate applies the real CurrentUser middleware: a missing, expired or
// garbage token means a guest (nil); a valid token of another type is 40020.
func (s *cloudreve) authenticate(r *http.Request) (*user, *apiError) {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if h == "" || strings.HasPrefix(h, "Bearer Cr ") {
		return nil, nil
	}
	tok := strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
	c, err := s.parseJWT(tok)
	if err != nil {
		return nil, nil
	}
	if c.TokenType != tokenAccess {
		return nil, fail(upstream.CodeCredentialInvalid, "Invalid token type")
	}
	u := s.store.findUser(c.Sub)
	if u == nil {
		return nil, fail(upstream.CodeDBError, "failed to get login user")
	}
	return u, nil
}

// userJSON is the full view of an account, as its owner sees it.
func (s *cloudreve) userJSON(u *user) cloudreveapi.User {
	g := u.group()
	status := cloudreveapi.Active
	out := cloudreveapi.User{
		Id:        u.hid,
		Email:     values.Ptr(u.email),
		Nickname:  u.nickname,
		Status:    &status,
		CreatedAt: u.created,
		Group: &cloudreveapi.Group{
			Id:                  s.ids.encode(kindGroup, g.id),
			Name:                g.name,
			Permission:          values.Ptr(users.EncodePermissions(g.perms...)),
			DirectLinkBatchSize: values.Ptr(g.linkBatch),
			TrashRetention:      values.Ptr(7 * 24 * 3600),
		},
	}
	decorateUser(&out, u.st.snapshot())
	return out
}

// PasswordSignIn is POST /session/token.
func (s *cloudreve) PasswordSignIn(ctx context.Context, req cloudreveapi.PasswordSignInRequestObject) (cloudreveapi.PasswordSignInResponseObject, error) {
	b := req.Body
	if b.Email == "" {
		return nil, bindErr("Email cannot be empty")
	}
	if b.Password == "" {
		return nil, bindErr("Password cannot be empty")
	}
	if n := len(b.Password); n < 4 || n > 128 {
		return nil, bindErr(map[bool]string{true: "Password too short", false: "Password too long"}[n < 4])
	}
	if aerr := s.checkCaptcha(b.Captcha, b.Ticket); aerr != nil {
		return nil, aerr
	}
	u := s.store.userByEmail(string(b.Email))
	if u == nil || !u.checkPassword(b.Password) {
		return nil, fail(upstream.CodeInvalidPassword, "Incorrect password or email address")
	}
	if aerr := u.st.active(); aerr != nil {
		return nil, aerr
	}
	if sid := s.store.startTwoFactor(u); sid != "" {
		// The account has TOTP on: code 203 with the 2FA session id as data.
		return nil, &apiError{code: upstream.CodeNotFullySuccessful, msg: "Two-factor authentication required", data: sid}
	}
	s.store.countSignIn()
	tok, err := s.issue(u, "")
	if err != nil {
		return nil, err
	}
	return cloudreveapi.PasswordSignIn200JSONResponse{Data: &cloudreveapi.LoginResponse{User: s.userJSON(u), Token: tok}}, nil
}

// SignUp is POST /user.
func (s *cloudreve) SignUp(ctx context.Context, req cloudreveapi.SignUpRequestObject) (cloudreveapi.SignUpResponseObject, error) {
	b := req.Body
	switch {
	case b.Email == "":
		return nil, bindErr("Email cannot be empty")
	case b.Password == "":
		return nil, bindErr("Password cannot be empty")
	case len(b.Password) < 6:
		return nil, bindErr("Password too short")
	case len(b.Password) > 128:
		return nil, bindErr("Password too long")
	}
	if a, err := mail.ParseAddress(b.Email); err != nil || a.Address != b.Email {
		return nil, bindErr("Email format error")
	}
	if aerr := s.checkCaptcha(b.Captcha, b.Ticket); aerr != nil {
		return nil, aerr
	}
	u, err := s.store.signUp(b.Email, b.Password, values.Deref(b.Language), s.opts.EmailActivation)
	if errors.Is(err, errEmailUsed) {
		return nil, fail(upstream.CodeEmailInUse, "Email already in use")
	}
	if err != nil {
		return nil, fail(upstream.CodeDBError, "Failed to create user: %v", err)
	}
	if s.opts.EmailActivation {
		// The activation mail is "sent": code 203 without data.
		return nil, &apiError{code: upstream.CodeNotFullySuccessful, msg: "Activation email sent"}
	}
	return cloudreveapi.SignUp200JSONResponse{Data: values.Ptr(s.userJSON(u))}, nil
}

package sandbox

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/users"
	"github.com/cloudreve-connect/facade/internal/values"
)

// user is one account. Fields are written once at creation, except the file
// tree, which is guarded by cloudreve.mu.
type user struct {
	id       int64
	hid      string
	email    string
	nickname string
	language string
	salt     []byte
	pwHash   []byte
	created  time.Time
	admin    bool
	root     *fsNode
	trash    []*fsNode
	st       accountState // what the account's owner can change (accounts.go)
	plain    *group       // the server's User group, unless admin
}

// The groups of a fresh real server (4.0.0 and 4.18.0 create the same):
// Admin for the first account and the administrators, User for the others,
// Anonymous for guests.
type group struct {
	id        int64
	name      string
	perms     []userv1.GroupPermission
	quota     int64
	linkBatch int // direct links in one request
}

var (
	adminGroup = group{id: 1, name: "Admin", quota: 1 << 40, linkBatch: 1000, perms: []userv1.GroupPermission{
		userv1.GroupPermission_GROUP_PERMISSION_IS_ADMIN, userv1.GroupPermission_GROUP_PERMISSION_SHARE,
		userv1.GroupPermission_GROUP_PERMISSION_WEBDAV, userv1.GroupPermission_GROUP_PERMISSION_ARCHIVE_DOWNLOAD,
		userv1.GroupPermission_GROUP_PERMISSION_ARCHIVE_TASK, userv1.GroupPermission_GROUP_PERMISSION_WEBDAV_PROXY,
		userv1.GroupPermission_GROUP_PERMISSION_SHARE_DOWNLOAD, userv1.GroupPermission_GROUP_PERMISSION_REMOTE_DOWNLOAD,
		userv1.GroupPermission_GROUP_PERMISSION_REDIRECTED_SOURCE, userv1.GroupPermission_GROUP_PERMISSION_ADVANCE_DELETE,
		userv1.GroupPermission_GROUP_PERMISSION_IGNORE_FILE_OWNERSHIP,
	}}
	defaultUserGroup = group{id: 2, name: "User", quota: 1 << 30, linkBatch: 10, perms: []userv1.GroupPermission{
		userv1.GroupPermission_GROUP_PERMISSION_SHARE, userv1.GroupPermission_GROUP_PERMISSION_SHARE_DOWNLOAD,
		userv1.GroupPermission_GROUP_PERMISSION_REDIRECTED_SOURCE,
	}}
	anonymousGroup = group{id: 3, name: "Anonymous", perms: []userv1.GroupPermission{
		userv1.GroupPermission_GROUP_PERMISSION_IS_ANONYMOUS, userv1.GroupPermission_GROUP_PERMISSION_SHARE_DOWNLOAD,
	}}
)

func (u *user) group() group {
	if u.admin {
		return adminGroup
	}
	return *u.plain
}

func (u *user) can(perm userv1.GroupPermission) bool {
	return slices.Contains(u.group().perms, perm)
}

func hashPassword(salt []byte, password string) []byte {
	h := sha256.Sum256(append(append([]byte{}, salt...), password...))
	return h[:]
}

func (u *user) checkPassword(pw string) bool {
	u.st.mu.Lock()
	defer u.st.mu.Unlock()
	return subtle.ConstantTimeCompare(hashPassword(u.salt, pw), u.pwHash) == 1
}

// stateHash ties refresh tokens to the account's credentials.
func (u *user) stateHash() []byte {
	u.st.mu.Lock()
	defer u.st.mu.Unlock()
	h := sha256.Sum256(append([]byte(u.email+"\x00"), u.pwHash...))
	return h[:]
}

var errEmailUsed = errors.New("e-mail already used")

// createUser seeds an account and returns its hashid; admin puts it in the
// administrators' group (the first account ever created is in it anyway).
func (s *cloudreve) createUser(email, password, nickname string, admin bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, err := s.createUserLocked(email, password, nickname)
	if err != nil {
		return "", err
	}
	u.admin = u.admin || admin
	return u.hid, nil
}

func (s *cloudreve) createUserLocked(email, password, nickname string) (*user, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return nil, errors.New("empty e-mail")
	}
	if _, ok := s.byEmail[email]; ok {
		return nil, errEmailUsed
	}
	if nickname == "" {
		nickname, _, _ = strings.Cut(email, "@")
	}
	id, hid := s.nextID(kindUser)
	salt := randomBytes(16)
	u := &user{id: id, hid: hid, email: email, nickname: nickname, salt: salt,
		pwHash: hashPassword(salt, password), created: time.Now(), admin: len(s.users) == 0, plain: &s.userGroup}
	u.root = s.newNode(u, nil, "", true)
	s.users[id] = u
	s.byEmail[email] = u
	return u, nil
}

func (s *cloudreve) userByHID(hid string) *user {
	id, ok := s.ids.decode(kindUser, hid)
	if !ok {
		return nil
	}
	return s.users[id]
}

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
	s.mu.Lock()
	u := s.userByHID(c.Sub)
	s.mu.Unlock()
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
	u.st.decorate(&out)
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
	s.mu.Lock()
	u := s.byEmail[strings.ToLower(string(b.Email))]
	s.mu.Unlock()
	if u == nil || !u.checkPassword(b.Password) {
		return nil, fail(upstream.CodeInvalidPassword, "Incorrect password or email address")
	}
	if aerr := u.st.active(); aerr != nil {
		return nil, aerr
	}
	if sid := s.accounts().startTwoFactor(u); sid != "" {
		// The account has TOTP on: code 203 with the 2FA session id as data.
		return nil, &apiError{code: upstream.CodeNotFullySuccessful, msg: "Two-factor authentication required", data: sid}
	}
	s.accounts().countSignIn()
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
	s.mu.Lock()
	u, err := s.createUserLocked(b.Email, b.Password, "")
	if err == nil && b.Language != nil {
		u.language = *b.Language
	}
	if err == nil && s.opts.EmailActivation {
		u.st.inactive = true
	}
	s.mu.Unlock()
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

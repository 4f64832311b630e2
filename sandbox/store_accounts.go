package sandbox

import (
	"cmp"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Accounts and their groups.

// user is one account. Fields are written once at creation, except the file
// tree, which is guarded by store.mu.
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
	st       accountState // what the account's owner can change (store_preferences.go)
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
func (st *store) createUser(email, password, nickname string, admin bool) (string, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	u, err := st.createUserLocked(email, password, nickname)
	if err != nil {
		return "", err
	}
	u.admin = u.admin || admin
	return u.hid, nil
}

func (st *store) createUserLocked(email, password, nickname string) (*user, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return nil, errors.New("empty e-mail")
	}
	if _, ok := st.byEmail[email]; ok {
		return nil, errEmailUsed
	}
	if nickname == "" {
		nickname, _, _ = strings.Cut(email, "@")
	}
	id, hid := st.nextID(kindUser)
	salt := randomBytes(16)
	u := &user{id: id, hid: hid, email: email, nickname: nickname, salt: salt,
		pwHash: hashPassword(salt, password), created: time.Now(), admin: len(st.users) == 0, plain: &st.userGroup}
	u.root = st.newNode(u, nil, "", true)
	st.users[id] = u
	st.byEmail[email] = u
	return u, nil
}

func (st *store) userByHID(hid string) *user {
	id, ok := st.ids.decode(kindUser, hid)
	if !ok {
		return nil
	}
	return st.users[id]
}

func (u *user) group() group {
	if u.admin {
		return adminGroup
	}
	return *u.plain
}

// accountState is what an account's owner can change; guarded by its mu.
// pwHash (in user) is guarded by the same mu once the account exists.
type accountState struct {
	mu sync.Mutex
	accountFields
}

// accountFields are the changeable fields of an account; a copy of them
// (accountState.snapshot) is what handlers render.
type accountFields struct {
	nick, language   string // overrides of the creation values
	inactive         bool
	totp             string // base32 secret; "" when 2FA is off
	pendingTOTP      string
	pendingTOTPUntil time.Time
	passkeys         []*passkey
	preferredTheme   string
	shareLevel       cloudreveapi.ShareLinksInProfileLevel
	disableViewSync  bool
	versionsOn       bool
	versionExts      []string
	versionMax       int
	avatar           []byte // PNG; nil = none or Gravatar
	gravatar         bool
	updated          time.Time
	resetSecret      string
	resetUntil       time.Time
	credit           int64
}

func (st *accountState) active() *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.inactive {
		return fail(upstream.CodeUserNotActivated, "This account is not activated")
	}
	return nil
}

func (st *accountFields) avatarSource() cloudreveapi.UserAvatarSource {
	switch {
	case st.avatar != nil:
		return cloudreveapi.UserAvatarSourceFile
	case st.gravatar:
		return cloudreveapi.UserAvatarSourceGravatar
	}
	return cloudreveapi.UserAvatarSourceNone
}

// accountStore holds the server-wide sessions and records of this area.
type accountStore struct {
	mu       sync.Mutex
	twoFA    map[string]twoFASession
	captchas map[string]string // ticket → answer
	passkey  map[string]passkeyLogin
	regs     map[*user]passkeyReg
	dav      map[int64]*davAccount
	openID   map[string]*openIDSession
	links    map[openIDKey]*user
	codes    map[string]openIDCode
	payments map[int64]*payment
	gifts    map[string]*giftCode
	changes  map[*user][]cloudreveapi.CreditChange
	signIns  int
}

type twoFASession struct {
	u     *user
	until time.Time
}

func (st *store) accounts() *accountStore {
	st.acctOnce.Do(func() {
		st.acct = &accountStore{
			twoFA: map[string]twoFASession{}, captchas: map[string]string{}, passkey: map[string]passkeyLogin{},
			regs: map[*user]passkeyReg{}, dav: map[int64]*davAccount{}, openID: map[string]*openIDSession{},
			links: map[openIDKey]*user{}, codes: map[string]openIDCode{}, payments: map[int64]*payment{},
			gifts: map[string]*giftCode{}, changes: map[*user][]cloudreveapi.CreditChange{},
		}
	})
	return st.acct
}

func (a *accountStore) countSignIn() {
	a.mu.Lock()
	a.signIns++
	a.mu.Unlock()
}

// startTwoFactor opens a 2FA session when the account has TOTP on, and
// returns its id ("" when 2FA is off).
func (a *accountStore) startTwoFactor(u *user) string {
	u.st.mu.Lock()
	on := u.st.totp != ""
	u.st.mu.Unlock()
	if !on {
		return ""
	}
	id := newUUID()
	a.mu.Lock()
	a.twoFA[id] = twoFASession{u: u, until: time.Now().Add(twoFactorTTL)}
	a.mu.Unlock()
	return id
}

// findUser is the account of a hashid, nil when none.
func (st *store) findUser(hid string) *user {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.userByHID(hid)
}

// userByEmail is the account of an e-mail address, in any case; nil when
// none.
func (st *store) userByEmail(email string) *user {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.byEmail[strings.ToLower(email)]
}

// userByPathID decodes a user id of a path: 40001 when it is no hashid, a
// nil user when no account has it.
func (st *store) userByPathID(hid string) (*user, *apiError) {
	id, ok := st.ids.decode(kindUser, hid)
	if !ok {
		return nil, fail(upstream.CodeParamError, "Failed to parse object ID")
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.users[id], nil
}

// allUsers lists every account by id.
func (st *store) allUsers() []*user {
	st.mu.Lock()
	out := make([]*user, 0, len(st.users))
	for _, u := range st.users {
		out = append(out, u)
	}
	st.mu.Unlock()
	slices.SortFunc(out, func(a, b *user) int { return cmp.Compare(a.id, b.id) })
	return out
}

// signUp creates an account as POST /user does; inactive ones wait for
// their activation mail.
func (st *store) signUp(email, password, language string, inactive bool) (*user, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	u, err := st.createUserLocked(email, password, "")
	if err != nil {
		return nil, err
	}
	u.language = language
	u.st.inactive = inactive
	return u, nil
}

// snapshot copies the changeable fields, passkeys included.
func (a *accountState) snapshot() accountFields {
	a.mu.Lock()
	defer a.mu.Unlock()
	f := a.accountFields
	f.versionExts = slices.Clone(a.versionExts)
	f.avatar = slices.Clone(a.avatar)
	f.passkeys = make([]*passkey, len(a.passkeys))
	for i, p := range a.passkeys {
		c := *p
		f.passkeys[i] = &c
	}
	return f
}

// plainGroup is the group of every account but the administrators.
func (st *store) plainGroup() group { return st.userGroup }

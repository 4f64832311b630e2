package sandbox

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"slices"
	"strings"
	"time"

	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
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

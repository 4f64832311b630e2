package sandbox

import (
	"sort"
	"time"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// WebDAV accounts: the store keeps them in accountStore.dav and answers
// copies.

// davAccount is one WebDAV account; name, uri and the flags are its
// settings.
type davAccount struct {
	id                        int64
	hid                       string
	owner                     *user
	name, uri, password       string
	readonly, proxy, sysFiles bool
	created                   time.Time
}

// davOf finds one of the caller's accounts: 40001 for a bad id, 404 when
// missing or someone else's. It locks the accounts' mu.
func (st *store) davOf(u *user, hid string) (*davAccount, *apiError) {
	id, ok := st.ids.decode(kindDav, hid)
	if !ok {
		return nil, fail(upstream.CodeParamError, "Failed to parse object ID")
	}
	a := st.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	d := a.dav[id]
	if d == nil || d.owner != u {
		return nil, fail(upstream.CodeNotFound, "Account not exist")
	}
	return d, nil
}

// davAccounts lists copies of the accounts of u with an id below before
// (negative: any), newest first.
func (st *store) davAccounts(u *user, before int64) []davAccount {
	a := st.accounts()
	a.mu.Lock()
	var mine []davAccount
	for _, d := range a.dav {
		if d.owner == u && (before < 0 || d.id < before) {
			mine = append(mine, *d)
		}
	}
	a.mu.Unlock()
	sort.Slice(mine, func(i, j int) bool { return mine[i].id > mine[j].id })
	return mine
}

// createDav gives u a new account with these settings and a random
// password.
func (st *store) createDav(u *user, set davAccount) davAccount {
	d := set
	d.owner, d.password, d.created = u, randomLetters(32), time.Now()
	st.mu.Lock()
	d.id, d.hid = st.nextID(kindDav)
	st.mu.Unlock()
	a := st.accounts()
	a.mu.Lock()
	a.dav[d.id] = &d
	a.mu.Unlock()
	return d
}

// checkDav reports whether u has the account hid (davOf's errors).
func (st *store) checkDav(u *user, hid string) *apiError {
	_, aerr := st.davOf(u, hid)
	return aerr
}

// updateDav replaces the settings of an account of u.
func (st *store) updateDav(u *user, hid string, set davAccount) (davAccount, *apiError) {
	d, aerr := st.davOf(u, hid)
	if aerr != nil {
		return davAccount{}, aerr
	}
	a := st.accounts()
	a.mu.Lock()
	defer a.mu.Unlock()
	d.name, d.uri, d.readonly, d.proxy, d.sysFiles = set.name, set.uri, set.readonly, set.proxy, set.sysFiles
	return *d, nil
}

// deleteDav deletes an account of u.
func (st *store) deleteDav(u *user, hid string) *apiError {
	d, aerr := st.davOf(u, hid)
	if aerr != nil {
		return aerr
	}
	a := st.accounts()
	a.mu.Lock()
	delete(a.dav, d.id)
	a.mu.Unlock()
	return nil
}

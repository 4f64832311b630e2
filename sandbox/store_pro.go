package sandbox

import "github.com/cloudreve-connect/facade/gen/cloudreveapi"

// The commercial edition's file operations: audit trails, explicit
// permissions, mounted storage policies.

// ownedTargets resolves the URIs of an owner-only batch. Callers hold mu.
func (st *store) ownedTargets(u *user, uris []string) ([]*fsNode, *apiError) {
	if len(uris) == 0 {
		return nil, bindErr("Uris cannot be empty")
	}
	var out []*fsNode
	agg := map[string]*apiError{}
	for _, raw := range uris {
		n, aerr := st.resolve(u, raw)
		if aerr != nil {
			agg[raw] = aerr
			continue
		}
		out = append(out, n)
	}
	if len(agg) > 0 {
		return nil, batchError(agg)
	}
	return out, nil
}

// activities lists the audit trail of a file u may read, by id; filter
// keeps u's own, the reads or the updates ("" keeps all).
func (st *store) activities(u *user, uri string, filter cloudreveapi.ListFileActivitiesParamsFilter) ([]activity, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	n, aerr := st.readNode(u, uri)
	if aerr != nil {
		return nil, aerr
	}
	var list []activity
	for _, a := range st.drive().activities[n.id] {
		switch {
		case filter == "":
		case filter == cloudreveapi.My && a.by != u:
			continue
		case filter == cloudreveapi.Reads && !a.read:
			continue
		case filter == cloudreveapi.Updates && a.read:
			continue
		}
		list = append(list, a)
	}
	return list, nil
}

// setPermissions sets (nil: removes) the explicit permissions of files of
// u; one unknown URI fails the batch.
func (st *store) setPermissions(u *user, uris []string, setting *cloudreveapi.PermissionSetting) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	nodes, aerr := st.ownedTargets(u, uris)
	if aerr != nil {
		return aerr
	}
	for _, n := range nodes {
		if setting == nil {
			n.perms = nil
			continue
		}
		copied := *setting
		n.perms = &copied
	}
	return nil
}

// mountPolicy mounts a storage policy on a folder of u.
func (st *store) mountPolicy(u *user, uri, policy string) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	n, aerr := st.resolve(u, uri)
	if aerr != nil {
		return aerr
	}
	if !n.folder {
		return errNotSupported()
	}
	n.mount = policy
	return nil
}

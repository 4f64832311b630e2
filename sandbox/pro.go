package sandbox

import (
	"context"
	"sort"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// File operations of the commercial edition, served minimally when the
// sandbox runs as Edition "pro" (a community sandbox never routes here).

// activityCursor is the opaque next_page_token of ListFileActivities.
type activityCursor struct {
	Offset int `json:"offset"`
}

// ListFileActivities is GET /file/activities: the file's audit trail as the
// sandbox records it (creation, renames, uploads, moves, versions, shares…).
func (s *cloudreve) ListFileActivities(ctx context.Context, req cloudreveapi.ListFileActivitiesRequestObject) (cloudreveapi.ListFileActivitiesResponseObject, error) {
	q := req.Params
	if q.PageSize < 10 {
		return nil, bindErr("PageSize must be at least 10")
	}
	var cur activityCursor
	if q.NextPageToken != nil && *q.NextPageToken != "" && (!decodeCursor(*q.NextPageToken, &cur) || cur.Offset < 0) {
		return nil, fail(upstream.CodeParamError, "Invalid next page token")
	}
	u := caller(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	n, aerr := s.readNode(u, q.Uri)
	if aerr != nil {
		return nil, aerr
	}
	var list []activity
	for _, a := range s.drive().activities[n.id] {
		switch {
		case q.Filter == nil:
		case *q.Filter == cloudreveapi.My && a.by != u:
			continue
		case *q.Filter == cloudreveapi.Reads && !a.read:
			continue
		case *q.Filter == cloudreveapi.Updates && a.read:
			continue
		}
		list = append(list, a)
	}
	desc := q.OrderDirection != nil && *q.OrderDirection == "desc"
	sort.SliceStable(list, func(i, j int) bool {
		if desc {
			return list[i].id > list[j].id
		}
		return list[i].id < list[j].id
	})
	out := cloudreveapi.FileActivitiesResponse{
		Activities: []cloudreveapi.Activity{},
		Pagination: cloudreveapi.PaginationResults{PageSize: q.PageSize, IsCursor: values.Ptr(true)},
	}
	end := min(cur.Offset+q.PageSize, len(list))
	for _, a := range list[min(cur.Offset, end):end] {
		item := cloudreveapi.Activity{Id: a.hid, CreatedAt: a.at, Content: a.entry}
		if a.by != nil {
			item.User = &cloudreveapi.User{Id: a.by.hid, Nickname: a.by.nickname, CreatedAt: a.by.created}
		}
		if a.version != "" {
			item.VersionId = values.Ptr(a.version)
		}
		out.Activities = append(out.Activities, item)
	}
	if end < len(list) {
		out.Pagination.NextToken = values.Ptr(encodeCursor(activityCursor{Offset: end}))
	}
	return cloudreveapi.ListFileActivities200JSONResponse{Data: &out}, nil
}

// ownedTargets resolves the URIs of an owner-only batch. Callers hold mu.
func (s *cloudreve) ownedTargets(u *user, uris []string) ([]*fsNode, *apiError) {
	if len(uris) == 0 {
		return nil, bindErr("Uris cannot be empty")
	}
	var out []*fsNode
	agg := map[string]*apiError{}
	for _, raw := range uris {
		n, aerr := s.resolve(u, raw)
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

// SetPermission is POST /file/permission.
func (s *cloudreve) SetPermission(ctx context.Context, req cloudreveapi.SetPermissionRequestObject) (cloudreveapi.SetPermissionResponseObject, error) {
	u := caller(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	nodes, aerr := s.ownedTargets(u, req.Body.Uris)
	if aerr != nil {
		return nil, aerr
	}
	for _, n := range nodes {
		setting := req.Body.Setting
		n.perms = &setting
	}
	return cloudreveapi.SetPermission200JSONResponse{}, nil
}

// DeletePermissionSetting is DELETE /file/permission.
func (s *cloudreve) DeletePermissionSetting(ctx context.Context, req cloudreveapi.DeletePermissionSettingRequestObject) (cloudreveapi.DeletePermissionSettingResponseObject, error) {
	u := caller(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	nodes, aerr := s.ownedTargets(u, req.Body.Uris)
	if aerr != nil {
		return nil, aerr
	}
	for _, n := range nodes {
		n.perms = nil
	}
	return cloudreveapi.DeletePermissionSettingResponseObject(cloudreveapi.DeletePermissionSetting200JSONResponse{}), nil
}

// MountStoragePolicy is PATCH /file/policy: the sandbox has one policy.
func (s *cloudreve) MountStoragePolicy(ctx context.Context, req cloudreveapi.MountStoragePolicyRequestObject) (cloudreveapi.MountStoragePolicyResponseObject, error) {
	b := req.Body
	switch {
	case b.Uri == "":
		return nil, bindErr("Uri cannot be empty")
	case b.PolicyId == "":
		return nil, bindErr("PolicyId cannot be empty")
	}
	if id, ok := s.ids.decode(kindPolicy, b.PolicyId); !ok || id != 1 {
		return nil, fail(upstream.CodeStoragePolicyMissing, "Storage policy not found")
	}
	u := caller(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	n, aerr := s.resolve(u, b.Uri)
	if aerr != nil {
		return nil, aerr
	}
	if !n.folder {
		return nil, errNotSupported()
	}
	n.mount = b.PolicyId
	return cloudreveapi.MountStoragePolicy200JSONResponse{}, nil
}

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
	var filter cloudreveapi.ListFileActivitiesParamsFilter
	if q.Filter != nil {
		filter = *q.Filter
	}
	list, aerr := s.store.activities(u, q.Uri, filter)
	if aerr != nil {
		return nil, aerr
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

// SetPermission is POST /file/permission.
func (s *cloudreve) SetPermission(ctx context.Context, req cloudreveapi.SetPermissionRequestObject) (cloudreveapi.SetPermissionResponseObject, error) {
	if aerr := s.store.setPermissions(caller(ctx), req.Body.Uris, &req.Body.Setting); aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.SetPermission200JSONResponse{}, nil
}

// DeletePermissionSetting is DELETE /file/permission.
func (s *cloudreve) DeletePermissionSetting(ctx context.Context, req cloudreveapi.DeletePermissionSettingRequestObject) (cloudreveapi.DeletePermissionSettingResponseObject, error) {
	if aerr := s.store.setPermissions(caller(ctx), req.Body.Uris, nil); aerr != nil {
		return nil, aerr
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
	if aerr := s.store.mountPolicy(caller(ctx), b.Uri, b.PolicyId); aerr != nil {
		return nil, aerr
	}
	return cloudreveapi.MountStoragePolicy200JSONResponse{}, nil
}

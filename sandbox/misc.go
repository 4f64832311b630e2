package sandbox

import (
	"context"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
)

// Small operations that cost nothing to serve faithfully.

// Ping is GET /site/ping: the server version.
func (s *cloudreve) Ping(ctx context.Context, req cloudreveapi.PingRequestObject) (cloudreveapi.PingResponseObject, error) {
	v := s.version.String()
	if s.pro() {
		v += "-pro"
	}
	return cloudreveapi.Ping200JSONResponse{Data: &v}, nil
}

// GetStorageCapacity is GET /user/capacity.
func (s *cloudreve) GetStorageCapacity(ctx context.Context, req cloudreveapi.GetStorageCapacityRequestObject) (cloudreveapi.GetStorageCapacityResponseObject, error) {
	u := caller(ctx)
	used := s.store.used(u)
	return cloudreveapi.GetStorageCapacity200JSONResponse{Data: &cloudreveapi.Capacity{Total: u.group().quota, Used: used}}, nil
}

// ListGroups is GET /group/list (commercial edition only).
func (s *cloudreve) ListGroups(ctx context.Context, req cloudreveapi.ListGroupsRequestObject) (cloudreveapi.ListGroupsResponseObject, error) {
	out := []cloudreveapi.GroupListItem{}
	for _, g := range []group{adminGroup, s.store.plainGroup()} {
		out = append(out, cloudreveapi.GroupListItem{Id: s.ids.encode(kindGroup, g.id), Name: g.name})
	}
	return cloudreveapi.ListGroups200JSONResponse{Data: &out}, nil
}

// Package group implements cloudreve.group.v1.GroupService (commercial
// edition only upstream).
package group

import (
	"context"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	groupv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/group/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/group/v1/groupv1connect"
	"github.com/cloudreve-connect/facade/internal/call"
)

// Service implements groupv1connect.GroupServiceHandler.
type Service struct {
	api cloudreveapi.ClientInterface
}

var _ groupv1connect.GroupServiceHandler = (*Service)(nil)

// New wires the service.
func New(api cloudreveapi.ClientInterface) *Service {
	return &Service{api: api}
}

func (s *Service) ListGroups(ctx context.Context, _ *groupv1.ListGroupsRequest) (*groupv1.ListGroupsResponse, error) {
	data, err := call.Op[[]cloudreveapi.GroupListItem]("listGroups").Do(s.api.ListGroups(ctx))
	if err != nil {
		return nil, err
	}
	out := &groupv1.ListGroupsResponse{}
	if data != nil {
		for _, g := range *data {
			out.Groups = append(out.Groups, &groupv1.Group{Id: g.Id, Name: g.Name})
		}
	}
	return out, nil
}

// Package group implements cloudreve.group.v1.GroupService (commercial
// edition only upstream).
package group

import (
	"context"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	groupv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/group/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/group/v1/groupv1connect"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Service implements groupv1connect.GroupServiceHandler.
type Service struct {
	client cloudreveapi.ClientWithResponsesInterface
}

var _ groupv1connect.GroupServiceHandler = (*Service)(nil)

// New wires the service.
func New(client cloudreveapi.ClientWithResponsesInterface) *Service {
	return &Service{client: client}
}

func (s *Service) ListGroups(ctx context.Context, _ *groupv1.ListGroupsRequest) (*groupv1.ListGroupsResponse, error) {
	resp, err := s.client.ListGroupsWithResponse(ctx)
	if err := upstream.Check("listGroups", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	out := &groupv1.ListGroupsResponse{}
	if resp.JSON200.Data != nil {
		for _, g := range *resp.JSON200.Data {
			out.Groups = append(out.Groups, &groupv1.Group{Id: g.Id, Name: g.Name})
		}
	}
	return out, nil
}

package group

import (
	"context"
	"testing"

	"connectrpc.com/connect/v2"

	groupv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/group/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/group/v1/groupv1connect"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/servicetest"
	"github.com/cloudreve-connect/facade/sandbox"
	"github.com/cloudreve-connect/facade/sandbox/sandboxtest"
)

func serve(t *testing.T, edition string) *servicetest.Server {
	t.Helper()
	up := sandboxtest.Start(t, sandbox.Options{Edition: edition})
	server := connect.NewServer()
	groupv1connect.RegisterGroupServiceHandler(server, New(up.NewAccount(t, "gus").Client))
	return servicetest.Serve(t, server)
}

func TestListGroups(t *testing.T) {
	t.Parallel()
	pro, community := serve(t, sandbox.EditionPro), serve(t, sandbox.EditionCommunity)
	for _, p := range servicetest.Protocols {
		t.Run(p.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			res, err := servicetest.Client(pro, p, groupv1connect.NewGroupServiceClient).ListGroups(ctx, &groupv1.ListGroupsRequest{})
			if err != nil {
				t.Fatal(err)
			}
			names := map[string]bool{}
			for _, g := range res.GetGroups() {
				if g.GetId() == "" {
					t.Errorf("a group without an id: %v", g)
				}
				names[g.GetName()] = true
			}
			if len(res.GetGroups()) != 2 || !names["Admin"] || !names["User"] {
				t.Errorf("groups: %v", res.GetGroups())
			}

			// A community server has no route for it: Unimplemented, and
			// the reason says why.
			_, err = servicetest.Client(community, p, groupv1connect.NewGroupServiceClient).ListGroups(ctx, &groupv1.ListGroupsRequest{})
			f := servicetest.WantUpstreamError(t, err, connect.CodeUnimplemented, "listGroups")
			if f.Info.GetReason() != rpcerror.ReasonProOnly {
				t.Errorf("reason %q", f.Info.GetReason())
			}
		})
	}
}

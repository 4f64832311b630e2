package file

import (
	"context"
	"fmt"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/call"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// checkPrevious stands in for the check servers before 4.11.0 skip: they
// open an upload session whatever `previous` says, so an upload meant for
// one version would silently replace a newer one. It checks now, and
// returns the same check to run again later (before the last chunk); both
// are nil where there is nothing to check: no previous, a server that
// checks it itself (it answers 40076), or a file that does not exist yet
// (the upload creates it, as on the servers that check).
func (s *Service) checkPrevious(ctx context.Context, uri, previous string) (again func(context.Context) error, err error) {
	if previous == "" {
		return nil, nil
	}
	older, err := call.Older(ctx, s.versions, upstream.FeatureUploadPrevious)
	if err != nil || !older {
		return nil, err
	}
	exists, err := s.isCurrent(ctx, uri, previous)
	if err != nil || !exists {
		return nil, err
	}
	return func(ctx context.Context) error {
		_, err := s.isCurrent(ctx, uri, previous)
		return err
	}, nil
}

// isCurrent fails like the server's own check (40076, FailedPrecondition)
// when previous is not the file's current version; false when there is no
// such file.
func (s *Service) isCurrent(ctx context.Context, uri, previous string) (exists bool, err error) {
	d, err := call.Op[cloudreveapi.FileResponse]("getFileInfo").Need(s.api.GetFileInfo(ctx, &cloudreveapi.GetFileInfoParams{Uri: &uri}))
	if connect.CodeOf(err) == connect.CodeNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if current := values.Deref(d.PrimaryEntity); current != previous {
		return true, rpcerror.FromUpstream(&upstream.Error{
			Op: "createUploadSession", Code: upstream.CodeStaleVersion,
			Msg: fmt.Sprintf("previous %q is not the file's current version %q (checked by the facade: the upstream's release does not check it)", previous, current),
		})
	}
	return true, nil
}

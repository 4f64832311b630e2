package file

import (
	"context"
	"fmt"

	"connectrpc.com/connect"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/call"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// previousGuard stands in for the check servers before 4.11.0 skip: they
// open an upload session whatever `previous` says, so an upload meant for
// one version would silently replace a newer one. It is nil where there is
// nothing to check (no previous, or a server that checks it itself, which
// answers 40076).
func (s *Service) previousGuard(ctx context.Context, uri, previous string) (func(context.Context) error, error) {
	if previous == "" {
		return nil, nil
	}
	older, err := call.Older(ctx, s.versions, upstream.FeatureUploadPrevious)
	if err != nil || !older {
		return nil, err
	}
	return func(ctx context.Context) error { return s.checkPrevious(ctx, uri, previous) }, nil
}

// checkPrevious fails like the server's own check (40076, FailedPrecondition)
// when previous is not the file's current version. A file that does not
// exist passes, as on the servers that check: the upload creates it.
func (s *Service) checkPrevious(ctx context.Context, uri, previous string) error {
	d, err := call.Op[cloudreveapi.FileResponse]("getFileInfo").Need(s.api.GetFileInfo(ctx, &cloudreveapi.GetFileInfoParams{Uri: &uri}))
	if connect.CodeOf(err) == connect.CodeNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if current := values.Deref(d.PrimaryEntity); current != previous {
		return rpcerror.FromUpstream(&upstream.Error{
			Op: "createUploadSession", Code: upstream.CodeStaleVersion,
			Msg: fmt.Sprintf("previous %q is not the file's current version %q (checked by the facade: the upstream's release does not check it)", previous, current),
		})
	}
	return nil
}

package call

import (
	"context"

	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Field is nil when the upstream's release honours the request field f, and
// a FailedPrecondition naming the field and both versions when it would
// drop it silently. Call it only when the caller set the field: it reads
// the version if nobody has yet. Without a tracker nothing is checked.
func Field(ctx context.Context, versions *upstream.VersionTracker, f upstream.Feature) error {
	if versions == nil {
		return nil
	}
	v, err := versions.Get(ctx)
	if err != nil {
		return rpcerror.FromUpstream(err)
	}
	if !f.In(v) {
		return rpcerror.FieldTooNew(f, v)
	}
	return nil
}

// Operation is an Unimplemented naming both versions when the upstream's
// release is known not to serve the operation f. It never calls the
// upstream: while the version is unknown the call goes ahead, and an
// upstream without the route answers 404, which is Unimplemented too.
func Operation(versions *upstream.VersionTracker, f upstream.Feature) error {
	if versions == nil {
		return nil
	}
	if v, ok := versions.Current(); ok && !f.In(v) {
		return rpcerror.OperationTooNew(f, v)
	}
	return nil
}

// Older reports whether the upstream's release lacks f, reading the version
// if nobody has yet. Without a tracker it reports false.
func Older(ctx context.Context, versions *upstream.VersionTracker, f upstream.Feature) (bool, error) {
	if versions == nil {
		return false, nil
	}
	v, err := versions.Get(ctx)
	if err != nil {
		return false, rpcerror.FromUpstream(err)
	}
	return !f.In(v), nil
}

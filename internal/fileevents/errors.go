package fileevents

import (
	"context"
	"errors"

	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Setting is the upstream's site setting that turns the channel on and off.
const Setting = "fs_event_push_enabled"

// Check is a FailedPrecondition when the upstream's release is known to
// lack the channel, without calling it.
func Check(ctx context.Context, versions *upstream.VersionTracker) error {
	if versions == nil {
		return nil
	}
	v, err := versions.Get(ctx)
	if err != nil {
		return rpcerror.FromUpstream(err)
	}
	if !upstream.FeatureFileEvents.In(v) {
		return rpcerror.FeatureTooNew(upstream.FeatureFileEvents, v)
	}
	return nil
}

// RPCError maps a failure of Open to what callers get: FailedPrecondition,
// naming the release, when the upstream has no channel (a 404) or turned it
// off (40019); the usual mapping otherwise (40016, a folder that is not
// there or not a folder, is NotFound).
func RPCError(err error, versions *upstream.VersionTracker) error {
	have := upstream.Version{}
	if versions != nil {
		have, _ = versions.Current()
	}
	var he *upstream.HTTPError
	if errors.As(err, &he) && he.RouteMissing() {
		return rpcerror.FeatureTooNew(upstream.FeatureFileEvents, have)
	}
	var ue *upstream.Error
	if errors.As(err, &ue) && ue.Code == upstream.CodeFeatureDisabled {
		return rpcerror.SwitchedOff(ue, "its file event channel", Setting, have)
	}
	return rpcerror.FromUpstream(err)
}

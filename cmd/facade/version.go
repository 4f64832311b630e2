package main

import (
	"context"
	"log/slog"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/telemetry"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// trackVersion reads the upstream's release at start and exports it as the
// facade_upstream_info metric; the tracker logs one line per release it
// reads. An upstream that is down at start does not stop the facade: the
// version is read when it first answers (the observed client tells), or
// when a service first needs it.
func trackVersion(ctx context.Context, client cloudreveapi.ClientInterface, tel *telemetry.Telemetry, log *slog.Logger) (*upstream.VersionTracker, error) {
	versions := upstream.NewVersionTracker(client, log.With("component", "upstream"))
	if err := tel.UpstreamInfo(func() (string, string, bool) {
		v, ok := versions.Current()
		return v.String(), v.Edition(), ok
	}); err != nil {
		return nil, err
	}
	if _, err := versions.Refresh(ctx); err != nil {
		log.Warn("the upstream version is not known yet: reading it when the upstream answers", "error", err)
	}
	return versions, nil
}

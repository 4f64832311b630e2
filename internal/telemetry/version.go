package telemetry

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
)

// UpstreamInfo reports which Cloudreve release the upstream runs, the
// Prometheus "info" way: facade_upstream_info{version="4.18.0",
// edition="community"} 1, and no series while the version is unknown. read
// is called at each scrape.
func (t *Telemetry) UpstreamInfo(read func() (version, edition string, ok bool)) error {
	_, err := t.facade.Int64ObservableGauge("facade.upstream.info",
		metric.WithDescription("The upstream Cloudreve release (always 1; the labels tell)"),
		metric.WithInt64Callback(func(_ context.Context, o metric.Int64Observer) error {
			if version, edition, ok := read(); ok {
				o.Observe(1, metric.WithAttributes(attribute.String("version", version), attribute.String("edition", edition)))
			}
			return nil
		}))
	return err
}

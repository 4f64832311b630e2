package telemetry

import (
	"context"

	"go.opentelemetry.io/otel/metric"

	"github.com/cloudreve-connect/facade/internal/filewatch"
)

// FileWatchStats is what the folder watches tell about themselves.
type FileWatchStats interface {
	Snapshot() filewatch.Stats
}

// ObserveFileWatches publishes the folder watches' counters, read at each
// scrape: subscriptions this replica holds and how many are connected,
// connections opened again, watches lost, and the file events published,
// dropped by JetStream as duplicates, or failed (and tried again).
func (t *Telemetry) ObserveFileWatches(w FileWatchStats) error {
	m := t.facade
	gauge := func(name, unit, desc string) (metric.Int64ObservableGauge, error) {
		return m.Int64ObservableGauge(name, metric.WithUnit(unit), metric.WithDescription(desc))
	}
	counter := func(name, unit, desc string) (metric.Int64ObservableCounter, error) {
		return m.Int64ObservableCounter(name, metric.WithUnit(unit), metric.WithDescription(desc))
	}
	held, err := gauge("facade.file_watches.held", "{watch}", "Folder watches whose subscription this replica holds")
	if err != nil {
		return err
	}
	connected, err := gauge("facade.file_watches.connected", "{watch}", "Folder watches connected to the upstream's event channel now")
	if err != nil {
		return err
	}
	reconnects, err := counter("facade.file_watches.reconnects", "{connection}", "Event channel connections opened again after one broke or failed")
	if err != nil {
		return err
	}
	lost, err := counter("facade.file_watches.lost", "{watch}", "Folder watches given up (credentials gone, folder gone, channel switched off)")
	if err != nil {
		return err
	}
	published, err := counter("facade.file_events.published", "{event}", "File events published on JetStream")
	if err != nil {
		return err
	}
	duplicates, err := counter("facade.file_events.deduplicated", "{event}", "File events JetStream dropped as already published")
	if err != nil {
		return err
	}
	failed, err := counter("facade.file_events.failed", "{event}", "Attempts to publish a file event that failed (tried again)")
	if err != nil {
		return err
	}
	_, err = m.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		s := w.Snapshot()
		o.ObserveInt64(held, int64(s.Held))
		o.ObserveInt64(connected, int64(s.Connected))
		o.ObserveInt64(reconnects, s.Reconnects)
		o.ObserveInt64(lost, s.Lost)
		o.ObserveInt64(published, s.Published)
		o.ObserveInt64(duplicates, s.Duplicates)
		o.ObserveInt64(failed, s.Failed)
		return nil
	}, held, connected, reconnects, lost, published, duplicates, failed)
	return err
}

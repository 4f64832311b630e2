package telemetry

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/metric"

	"github.com/cloudreve-connect/facade/internal/watcher"
)

// WatcherStats is what the watcher tells about itself.
type WatcherStats interface {
	Snapshot() watcher.Stats
	Active() int
}

// PollObserver returns the function the watcher calls after each poll
// round, recording facade.watcher.poll.duration.
func (t *Telemetry) PollObserver() (func(time.Duration), error) {
	h, err := t.facade.Float64Histogram("facade.watcher.poll.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of one poll round of the task watcher (all users, all pages)"),
		metric.WithExplicitBucketBoundaries(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
	if err != nil {
		return nil, err
	}
	return func(d time.Duration) { h.Record(context.Background(), d.Seconds()) }, nil
}

// ObserveWatcher publishes the watcher's counters, read at each scrape:
// tasks watched (in this replica's shards), poll rounds, lost watches, the
// events it published, that JetStream dropped as duplicates, that failed to
// publish or lost to another replica; the leases: shards owned, live
// replicas, the discovery lease, takeovers and failed renewals; and
// whether rounds read the admin task listing.
func (t *Telemetry) ObserveWatcher(w WatcherStats) error {
	m := t.facade
	watched, err := m.Int64ObservableGauge("facade.watcher.tasks_watched", metric.WithUnit("{task}"),
		metric.WithDescription("Tasks the watcher follows now"))
	if err != nil {
		return err
	}
	counter := func(name, unit, desc string) (metric.Int64ObservableCounter, error) {
		return m.Int64ObservableCounter(name, metric.WithUnit(unit), metric.WithDescription(desc))
	}
	rounds, err := counter("facade.watcher.poll_rounds", "{round}", "Poll rounds of the task watcher")
	if err != nil {
		return err
	}
	lost, err := counter("facade.watcher.watches_lost", "{task}", "Watches given up (task vanished, credentials gone, …)")
	if err != nil {
		return err
	}
	published, err := counter("facade.events.published", "{event}", "Task events published on JetStream")
	if err != nil {
		return err
	}
	duplicates, err := counter("facade.events.deduplicated", "{event}", "Task events JetStream dropped as already published")
	if err != nil {
		return err
	}
	failed, err := counter("facade.events.failed", "{event}", "Task events that could not be published (retried next round)")
	if err != nil {
		return err
	}
	conflicts, err := counter("facade.events.conflicts", "{event}", "Task events not appended because another replica had published the task's next event")
	if err != nil {
		return err
	}
	shards, err := m.Int64ObservableGauge("facade.watcher.shards_owned", metric.WithUnit("{shard}"),
		metric.WithDescription("Shards of the watches whose lease this replica holds (it polls their tasks)"))
	if err != nil {
		return err
	}
	replicas, err := m.Int64ObservableGauge("facade.watcher.replicas_live", metric.WithUnit("{replica}"),
		metric.WithDescription("Facade replicas this one saw renewing their heartbeat within a lease TTL, itself included"))
	if err != nil {
		return err
	}
	discovering, err := m.Int64ObservableGauge("facade.watcher.discovery_lease", metric.WithUnit("1"),
		metric.WithDescription("1 while this replica holds the lease to discover the service account's tasks"))
	if err != nil {
		return err
	}
	takeovers, err := counter("facade.watcher.lease_takeovers", "{lease}", "Leases taken over from a replica that stopped renewing them")
	if err != nil {
		return err
	}
	renewFailures, err := counter("facade.watcher.lease_renew_failures", "{renewal}", "Lease renewals that failed (lease lost or NATS unavailable)")
	if err != nil {
		return err
	}
	adminListing, err := m.Int64ObservableGauge("facade.watcher.admin_listing",
		metric.WithDescription("1 while poll rounds read all users' tasks with the admin task listing (the service account is an administrator), 0 while they read each user's listing"))
	if err != nil {
		return err
	}
	_, err = m.RegisterCallback(func(_ context.Context, o metric.Observer) error {
		s := w.Snapshot()
		o.ObserveInt64(watched, int64(w.Active()))
		o.ObserveInt64(rounds, s.PollRounds)
		o.ObserveInt64(lost, s.Lost)
		o.ObserveInt64(published, s.Published)
		o.ObserveInt64(duplicates, s.Duplicates)
		o.ObserveInt64(failed, s.PublishFailures)
		o.ObserveInt64(conflicts, s.Conflicts)
		o.ObserveInt64(shards, int64(s.Leases.OwnedShards))
		o.ObserveInt64(replicas, int64(s.Leases.LiveReplicas))
		o.ObserveInt64(discovering, boolGauge(s.Leases.Discovery))
		o.ObserveInt64(adminListing, boolGauge(s.AdminListing))
		o.ObserveInt64(takeovers, s.Leases.Takeovers)
		o.ObserveInt64(renewFailures, s.Leases.RenewFailures)
		return nil
	}, watched, rounds, lost, published, duplicates, failed, conflicts, shards, replicas, discovering, takeovers, renewFailures, adminListing)
	return err
}

func boolGauge(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

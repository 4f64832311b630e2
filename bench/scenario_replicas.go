package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"time"

	"github.com/cloudreve-connect/facade/internal/natsembed"
	"github.com/cloudreve-connect/facade/sandbox"
)

// replicasScenario: the task watcher of 1, 2 and 3 facade replicas sharing
// one NATS server and the watches of --watchers-users × --watchers-tasks
// processing remote downloads: upstream requests per poll round and CPU per
// replica, with one task listing per user and with the admin task listing
// (the service account is the sandbox's administrator either way; per-user
// sets run with --admin-task-listing=false).
type replicasScenario struct{}

func init() { registerStream(replicasScenario{}) }

func (replicasScenario) name() string { return "replicas" }
func (replicasScenario) describe() string {
	return "the task watcher on 1, 2 and 3 replicas sharing one NATS server, one listing per user against the admin task listing: upstream requests per poll round and CPU per replica"
}

// replicaSet is one measured configuration.
type replicaSet struct {
	admin bool
	n     int
}

func (c replicaSet) mode() string {
	if c.admin {
		return "admin listing"
	}
	return "per user"
}

// replicaFigures are one set's results: requests per round of all replicas
// together (each replica's requests over its own rounds, summed), and the
// replicas' mean CPU per round and per second.
type replicaFigures struct {
	rounds                         float64 // per replica, the fewest
	requests, listings, progress   float64
	other                          float64
	cpuPerRound                    time.Duration
	cores                          float64
	roundDuration, roundStartStart time.Duration
}

func (s replicasScenario) run(ctx context.Context, e *streamEnv) (streamResult, error) {
	o := e.o
	if o.upstream != "" {
		return streamResult{}, errors.New("replicas needs the sandbox (it creates accounts and steps the task queue); run it without --upstream")
	}
	// A paused queue and an hour-long tick: one step turns every download
	// processing, and then nothing moves, so the rounds measure polling
	// alone (no event to publish but the first of each task).
	up, _, err := e.upstream(ctx, sandbox.Options{Paused: true, Tick: time.Hour, UserPermissions: remoteDownloaders})
	if err != nil {
		return streamResult{}, err
	}
	defer up.close()
	ns, err := natsembed.Start(natsembed.Options{Listen: "127.0.0.1:0", StoreDir: filepath.Join(e.dir, "replicas-nats")})
	if err != nil {
		return streamResult{}, err
	}
	defer ns.Shutdown()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	// Every replica: the shared NATS and sealing key, and the sandbox's
	// administrator (bench@example.com, its first account) as service account.
	common := []string{"--nats-url", ns.ClientURL(), "--secret-key", base64.StdEncoding.EncodeToString(key),
		"--account-email", up.email, "--account-password", up.password}

	users, err := seedUsers(up.sandbox, o.watchersUsers)
	if err != nil {
		return streamResult{}, err
	}
	want := o.watchersUsers * o.watchersTasks
	var sets []replicaSet
	for _, admin := range []bool{false, true} {
		for _, n := range o.replicaCounts {
			sets = append(sets, replicaSet{admin: admin, n: n})
		}
	}
	sec := section{
		title: "Task watcher on several replicas",
		intro: fmt.Sprintf("%d watched tasks (%d accounts × %d remote downloads, all processing and standing still: the sandbox's queue is stepped once), "+
			"facade replicas sharing one NATS server (in the harness) and the sandbox's administrator as service account; per-user sets run with --admin-task-listing=false. "+
			"Facade defaults otherwise (--poll-active 1s, 64 shards, 1,000 tasks per admin listing page). Each replica's upstream requests are counted at the sandbox by its User-Agent, "+
			"over %d of its own rounds (facade_watcher_poll_rounds_total).", want, o.watchersUsers, o.watchersTasks, o.replicasRounds),
		cells: [][]string{{"listing", "replicas", "rounds per replica", "upstream requests/round, all replicas", "task listings/round", "GetTaskProgress/round", "other/round",
			"facade CPU ms/round per replica", "CPU cores per replica", "round duration (mean)", "round start to start"}},
	}
	requests := plotPanel{title: "upstream requests per round, all replicas", xLabel: "replicas", names: &[2]string{"one listing per user", "admin listing"}}
	cpu := plotPanel{title: "facade CPU ms per round, per replica", xLabel: "replicas", names: requests.names}
	for _, n := range o.replicaCounts {
		requests.xs = append(requests.xs, fmt.Sprint(n))
	}
	cpu.xs = requests.xs
	var perScrape time.Duration
	seeded := false
	for _, set := range sets {
		progress("replicas: %d replica(s), %s", set.n, set.mode())
		fs, err := startReplicas(ctx, e, up, set, common)
		if err != nil {
			return streamResult{sections: []section{sec}}, err
		}
		if !seeded {
			if perScrape, err = scrapeCost(ctx, fs[0], newMetricsScraper(fs[0].metricsURL), 200); err != nil {
				stopAll(fs)
				return streamResult{sections: []section{sec}}, err
			}
			progress("replicas: creating %d × %d downloads through the facade", o.watchersUsers, o.watchersTasks)
			if err := seedSlowDownloads(ctx, fs[0].url, users, o.watchersTasks); err != nil {
				stopAll(fs)
				return streamResult{sections: []section{sec}}, err
			}
			up.sandbox.Step() // every download starts: processing, from now on still
			seeded = true
		}
		fig, err := measureReplicas(ctx, fs, set, up, want, o.replicasRounds, perScrape)
		stopAll(fs)
		row := []string{set.mode(), fmt.Sprint(set.n)}
		if err != nil {
			sec.problems = append(sec.problems, fmt.Sprintf("%d replica(s), %s: %s", set.n, set.mode(), clip(err.Error())))
			for range len(sec.cells[0]) - len(row) {
				row = append(row, failedCell)
			}
			fig = replicaFigures{requests: math.NaN(), cpuPerRound: -1}
		} else {
			row = append(row, fmt.Sprintf("%.0f", fig.rounds), fmt.Sprintf("%.0f", fig.requests), fmt.Sprintf("%.0f", fig.listings),
				fmt.Sprintf("%.0f", fig.progress), fmt.Sprintf("%.0f", fig.other), fmt.Sprint(fig.cpuPerRound.Milliseconds()),
				fmt.Sprintf("%.2f", fig.cores), fig.roundDuration.Round(time.Millisecond).String(), fig.roundStartStart.Round(time.Millisecond).String())
		}
		sec.cells = append(sec.cells, row)
		series := &requests.facade
		cpuSeries := &cpu.facade
		if set.admin {
			series, cpuSeries = &requests.direct, &cpu.direct
		}
		*series = append(*series, fig.requests)
		*cpuSeries = append(*cpuSeries, orNaN(float64(fig.cpuPerRound.Milliseconds()), fig.cpuPerRound >= 0))
		if ctx.Err() != nil {
			return streamResult{sections: []section{sec}}, ctx.Err()
		}
	}
	sec.notes = append(sec.notes,
		"upstream requests/round, all replicas: each replica's requests divided by its rounds, summed over the replicas: what the upstream serves per round period. Task listings are GET /api/v4/workflow (per user) and POST /api/v4/admin/queue pages (admin listing); the service account's own three listings for discovery (on the replica holding the discovery lease) are among them.",
		"With the admin listing every replica reads all unfinished tasks (queued, suspending and processing pages) and publishes for its shards only; per user, each replica reads the listings of the users of its shards.",
		fmt.Sprintf("facade CPU ms/round per replica: each replica's CPU time (/proc/<pid>/stat) over its measured rounds, per round, less the harness's /metrics scrapes (%s of CPU each), averaged over the replicas; CPU cores: the same CPU time per second of wall time.", perScrape.Round(10*time.Microsecond)),
		"round duration: facade_watcher_poll_duration_seconds over the measured rounds; round start to start: wall time per round, the duration plus the 1 s pause.")
	return streamResult{sections: []section{sec}, panels: []plotPanel{requests, cpu}}, nil
}

// startReplicas starts a set's facades, r1 … rn, against the shared NATS.
func startReplicas(ctx context.Context, e *streamEnv, up *upstream, set replicaSet, common []string) ([]*facadeProcess, error) {
	var fs []*facadeProcess
	for i := 1; i <= set.n; i++ {
		args := append([]string{"--replica-id", fmt.Sprintf("r%d", i), fmt.Sprintf("--admin-task-listing=%v", set.admin)}, common...)
		f, err := e.facade(ctx, up, args...)
		if err != nil {
			stopAll(fs)
			return nil, err
		}
		fs = append(fs, f)
	}
	return fs, nil
}

func stopAll(fs []*facadeProcess) {
	for _, f := range fs {
		f.stop()
	}
}

// measureReplicas waits until the replicas hold every shard and watch
// every task between them, lets each finish two rounds (the first after a
// shard moves reads the tasks' newest events), then measures rounds rounds
// of each replica at once, each between its own round boundaries.
func measureReplicas(ctx context.Context, fs []*facadeProcess, set replicaSet, up *upstream, want, rounds int, perScrape time.Duration) (replicaFigures, error) {
	scrapers := make([]*metricsScraper, len(fs))
	for i, f := range fs {
		scrapers[i] = newMetricsScraper(f.metricsURL)
	}
	if err := waitReplicasSettled(ctx, scrapers, set, want, 3*time.Minute); err != nil {
		return replicaFigures{}, err
	}
	for _, sc := range scrapers {
		if _, err := nextRound(ctx, sc, 0); err != nil {
			return replicaFigures{}, err
		}
		if _, err := nextRound(ctx, sc, 0); err != nil {
			return replicaFigures{}, err
		}
	}
	type result struct {
		a, b roundMark
		err  error
	}
	results := make([]result, len(fs))
	done := make(chan struct{}, len(fs))
	for i, f := range fs {
		go func() {
			defer func() { done <- struct{}{} }()
			id := fmt.Sprintf("r%d", i+1)
			requests := func() map[string]int64 { return up.requests.replicaSnapshot(id) }
			mark := func(after float64) (roundMark, error) { return markRound(ctx, f, requests, scrapers[i], after) }
			a, err := mark(0)
			b := a
			for err == nil && b.rounds < a.rounds+float64(rounds) {
				b, err = mark(b.rounds)
			}
			results[i] = result{a, b, err}
		}()
	}
	for range fs {
		<-done
	}
	fig := replicaFigures{rounds: float64(rounds)}
	var cpu, wall, pollSum, pollCount float64
	for i, r := range results {
		if r.err != nil {
			return replicaFigures{}, fmt.Errorf("replica r%d: %w", i+1, r.err)
		}
		n := r.b.rounds - r.a.rounds
		fig.rounds = min(fig.rounds, n)
		per := func(route string) float64 { return float64(r.b.requests[route]-r.a.requests[route]) / n }
		fig.listings += per(routeListTasks) + per(routeListAdminTasks)
		fig.progress += per(routeGetTaskProgress)
		fig.other += per(routeOther)
		c := (r.b.cpu - r.a.cpu - time.Duration(r.b.scrapes-r.a.scrapes)*perScrape).Seconds()
		cpu += c / n
		wall += r.b.at.Sub(r.a.at).Seconds() / n
		fig.cores += c / r.b.at.Sub(r.a.at).Seconds()
		pollSum += r.b.pollSum - r.a.pollSum
		pollCount += r.b.pollCount - r.a.pollCount
	}
	k := float64(len(fs))
	fig.requests = fig.listings + fig.progress + fig.other
	fig.cpuPerRound = time.Duration(cpu / k * float64(time.Second))
	fig.cores /= k
	fig.roundStartStart = time.Duration(wall / k * float64(time.Second))
	if pollCount > 0 {
		fig.roundDuration = time.Duration(pollSum / pollCount * float64(time.Second))
	}
	return fig, nil
}

// waitReplicasSettled waits until the replicas own every shard, each some,
// watch want tasks between them, and, with the admin listing, all read it.
func waitReplicasSettled(ctx context.Context, scrapers []*metricsScraper, set replicaSet, want int, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		var shards, watched float64
		settled := true
		for _, sc := range scrapers {
			m, err := sc.scrape(ctx, metricShardsOwned, metricWatched, metricAdminListing)
			if err != nil {
				return err
			}
			shards += m[metricShardsOwned]
			watched += m[metricWatched]
			settled = settled && m[metricShardsOwned] > 0 && (!set.admin || m[metricAdminListing] == 1)
		}
		if settled && shards == 64 && int(watched) == want {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not settled after %s: %v shards owned, %v tasks watched (want 64 and %d)", limit, shards, watched, want)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(roundPoll):
		}
	}
}

// Metrics of the replicas.
const (
	metricShardsOwned  = "facade_watcher_shards_owned"
	metricAdminListing = "facade_watcher_admin_listing"
)

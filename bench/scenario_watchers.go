package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cloudreve-connect/facade/sandbox"
)

// watchersScenario: the task watcher's cost with many watched tasks of many
// users: upstream requests per poll round, by route, and the facade's CPU
// per round. The tasks are slow remote downloads created through the
// facade. The sandbox's tick is long (--watchers-tick): until its first
// tick every task is queued, after it every task is processing, so both
// states are measured, each over --watchers-rounds rounds.
type watchersScenario struct{}

func init() { registerStream(watchersScenario{}) }

func (watchersScenario) name() string { return "watchers" }
func (watchersScenario) describe() string {
	return "the task watcher with many watched tasks of many users: upstream requests (ListTasks, GetTaskProgress) and facade CPU per poll round"
}

// Metrics of the watcher's rounds.
const (
	metricPollSum   = "facade_watcher_poll_duration_seconds_sum"
	metricPollCount = "facade_watcher_poll_duration_seconds_count"
)

func (s watchersScenario) run(ctx context.Context, e *streamEnv) (streamResult, error) {
	o := e.o
	if o.upstream != "" {
		return streamResult{}, errors.New("watchers needs the sandbox (it creates accounts and sets the task queue's tick); run it without --upstream")
	}
	up, _, err := e.upstream(ctx, sandbox.Options{Tick: o.watchersTick, UserPermissions: remoteDownloaders})
	if err != nil {
		return streamResult{}, err
	}
	firstTick := time.Now().Add(o.watchersTick) // the queue's ticker started with the sandbox
	defer up.close()
	f, err := e.facade(ctx, up)
	if err != nil {
		return streamResult{}, err
	}
	defer f.stop()
	scraper := newMetricsScraper(f.metricsURL)
	// Nothing is watched yet: the watcher polls every 15 s at most.
	perScrape, err := scrapeCost(ctx, f, scraper, 200)
	if err != nil {
		return streamResult{}, err
	}

	users, err := seedUsers(up.sandbox, o.watchersUsers)
	if err != nil {
		return streamResult{}, err
	}
	want := o.watchersUsers * o.watchersTasks
	progress("watchers: creating %d × %d slow downloads through the facade", o.watchersUsers, o.watchersTasks)
	seedStart := time.Now()
	if err := seedSlowDownloads(ctx, f.url, users, o.watchersTasks); err != nil {
		return streamResult{}, err
	}
	seedTook := time.Since(seedStart)
	watched, err := waitWatched(ctx, scraper, want, time.Minute)
	if err != nil {
		return streamResult{}, err
	}

	sec := section{
		title: "Task watcher: poll rounds",
		intro: fmt.Sprintf("%d watched tasks (%d accounts × %d slow remote downloads, created through the facade in %s), facade defaults (--poll-active 1s, 4 users polled at once). "+
			"Sandbox tick %s: every task is queued until the first tick, processing after it. Upstream requests are counted at the sandbox's handler, by route; rounds are facade_watcher_poll_rounds_total.",
			watched, o.watchersUsers, o.watchersTasks, seedTook.Round(time.Second), o.watchersTick),
		cells: [][]string{{"task state", "rounds", "upstream requests/round", "ListTasks/round", "GetTaskProgress/round", "other/round",
			"facade CPU ms/round", "round duration (mean)", "round start to start"}},
	}
	measure := func(state string, notAfter time.Time) {
		progress("watchers: %d rounds with the tasks %s", o.watchersRounds, state)
		cells, err := measureRounds(ctx, f, up, scraper, o.watchersRounds, notAfter, perScrape)
		if err != nil {
			cells = []string{failedCell, failedCell, failedCell, failedCell, failedCell, failedCell, failedCell, failedCell}
			sec.problems = append(sec.problems, state+": "+clip(err.Error()))
		}
		sec.cells = append(sec.cells, append([]string{state}, cells...))
	}
	measure("queued", firstTick)
	if wait := time.Until(firstTick.Add(2 * time.Second)); wait > 0 {
		progress("watchers: waiting %s for the first tick", wait.Round(time.Second))
		select {
		case <-ctx.Done():
			return streamResult{sections: []section{sec}}, ctx.Err()
		case <-time.After(wait):
		}
	}
	// One whole round to see every task processing, then measure.
	if _, err := nextRound(ctx, scraper, 0); err != nil {
		return streamResult{sections: []section{sec}}, err
	}
	measure("processing", firstTick.Add(o.watchersTick))
	sec.notes = append(sec.notes,
		"ListTasks is GET /api/v4/workflow (the watcher reads the downloading and downloaded categories of each user's remote downloads); GetTaskProgress is GET /api/v4/workflow/progress/{id}, asked only for processing tasks.",
		fmt.Sprintf("facade CPU ms/round: the facade's CPU time (/proc/<pid>/stat) between the first and the last round boundary, per round, less the harness's /metrics scrapes (%d every second, %s of CPU each, measured while idle); it includes publishing the events of changed tasks.", time.Second/roundPoll, perScrape.Round(10*time.Microsecond)),
		"round duration: facade_watcher_poll_duration_seconds (sum ÷ count over the rounds); round start to start: wall time per round, the duration plus the 1 s pause.")
	return streamResult{sections: []section{sec}}, f.alive()
}

// waitWatched waits until the facade watches want tasks.
func waitWatched(ctx context.Context, scraper *metricsScraper, want int, limit time.Duration) (int, error) {
	deadline := time.Now().Add(limit)
	for {
		m, err := scraper.scrape(ctx, metricWatched)
		if err != nil {
			return 0, err
		}
		got, ok := m[metricWatched]
		if !ok {
			return 0, fmt.Errorf("the facade's /metrics has no %s", metricWatched)
		}
		if int(got) >= want {
			return int(got), nil
		}
		if time.Now().After(deadline) {
			return int(got), fmt.Errorf("the facade watches %d tasks, want %d", int(got), want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// roundPoll is how often the harness reads the round counter: well under
// the watcher's 1 s pause between rounds, so a boundary is seen before the
// next round starts, and seldom enough that its scrapes cost the facade
// little (that cost is measured and taken off).
const roundPoll = 250 * time.Millisecond

// scrapeCost measures the facade's CPU time per /metrics scrape, over n
// back-to-back scrapes while the watcher is idle.
func scrapeCost(ctx context.Context, f *facadeProcess, scraper *metricsScraper, n int) (time.Duration, error) {
	cpu0, err := processCPU(f.pid())
	if err != nil {
		return 0, err
	}
	for range n {
		if _, err := scraper.scrape(ctx, metricPollRounds); err != nil {
			return 0, err
		}
	}
	cpu1, err := processCPU(f.pid())
	if err != nil {
		return 0, err
	}
	return (cpu1 - cpu0) / time.Duration(n), nil
}

// nextRound waits until the poll round counter passes after (0: the value
// now) and returns it.
func nextRound(ctx context.Context, scraper *metricsScraper, after float64) (float64, error) {
	read := func() (float64, error) {
		m, err := scraper.scrape(ctx, metricPollRounds)
		if err != nil {
			return 0, err
		}
		v, ok := m[metricPollRounds]
		if !ok {
			return 0, fmt.Errorf("the facade's /metrics has no %s", metricPollRounds)
		}
		return v, nil
	}
	if after == 0 {
		v, err := read()
		if err != nil {
			return 0, err
		}
		after = v
	}
	deadline := time.Now().Add(5 * time.Minute)
	for {
		v, err := read()
		if err != nil {
			return 0, err
		}
		if v > after {
			return v, nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("no poll round ended in 5 minutes")
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(roundPoll):
		}
	}
}

// roundMark is the state at a round boundary.
type roundMark struct {
	at        time.Time
	rounds    float64
	scrapes   int64
	requests  map[string]int64
	cpu       time.Duration
	pollSum   float64
	pollCount float64
}

// markRound waits for the next round boundary and notes the state there;
// requests reads the upstream's request counts.
func markRound(ctx context.Context, f *facadeProcess, requests func() map[string]int64, scraper *metricsScraper, after float64) (roundMark, error) {
	r, err := nextRound(ctx, scraper, after)
	if err != nil {
		return roundMark{}, err
	}
	m := roundMark{at: time.Now(), rounds: r, requests: requests(), scrapes: scraper.count.Load()}
	if m.cpu, err = processCPU(f.pid()); err != nil {
		return roundMark{}, err
	}
	p, err := scraper.scrape(ctx, metricPollSum, metricPollCount)
	if err != nil {
		return roundMark{}, err
	}
	var ok1, ok2 bool
	m.pollSum, ok1 = p[metricPollSum]
	m.pollCount, ok2 = p[metricPollCount]
	if !ok1 || !ok2 {
		return roundMark{}, fmt.Errorf("the facade's /metrics has no %s", metricPollSum)
	}
	return m, nil
}

// measureRounds measures n whole rounds, which must end before notAfter
// (when the tasks change state).
func measureRounds(ctx context.Context, f *facadeProcess, up *upstream, scraper *metricsScraper, n int, notAfter time.Time, perScrape time.Duration) ([]string, error) {
	a, err := markRound(ctx, f, up.requests.snapshot, scraper, 0)
	if err != nil {
		return nil, err
	}
	b := a
	for b.rounds < a.rounds+float64(n) {
		if b, err = markRound(ctx, f, up.requests.snapshot, scraper, b.rounds); err != nil {
			return nil, err
		}
	}
	if b.at.After(notAfter) {
		return nil, fmt.Errorf("the rounds ended at %s, after the tasks changed state (%s): use a longer --watchers-tick", b.at.Format(time.TimeOnly), notAfter.Format(time.TimeOnly))
	}
	rounds := b.rounds - a.rounds
	per := func(route string) string {
		return fmt.Sprintf("%.0f", float64(b.requests[route]-a.requests[route])/rounds)
	}
	var total int64
	for route, v := range b.requests {
		total += v - a.requests[route]
	}
	pollMean := "n/a"
	if c := b.pollCount - a.pollCount; c > 0 {
		pollMean = (time.Duration((b.pollSum - a.pollSum) / c * float64(time.Second))).Round(time.Millisecond).String()
	}
	return []string{
		fmt.Sprintf("%.0f", rounds), fmt.Sprintf("%.0f", float64(total)/rounds),
		per(routeListTasks), per(routeGetTaskProgress), per(routeOther),
		fmt.Sprintf("%.0f", float64((b.cpu-a.cpu-time.Duration(b.scrapes-a.scrapes)*perScrape).Milliseconds())/rounds),
		pollMean, (b.at.Sub(a.at) / time.Duration(rounds)).Round(time.Millisecond).String(),
	}, nil
}

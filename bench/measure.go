package main

import (
	"context"
	"fmt"
	"time"
)

// Metric names read from the facade's /metrics.
const (
	metricMallocs         = "go_memstats_mallocs_total"
	metricUpstreamOpened  = "facade_upstream_connections_opened_total"
	calibrationSnapshots  = 5
	maxErrorMessageLength = 300
)

// counters are the facade-side totals read around every A phase.
type counters struct {
	cpu            time.Duration
	mallocs        float64
	upstreamOpened float64
	upstreamKnown  bool
}

// meter reads the facade's counters.
type meter struct {
	facade  *facadeProcess
	scraper *metricsScraper
	up      *upstream
	// scrapeMallocs is what reading the counters twice allocates in the
	// facade by itself (the /metrics handler allocates); it is taken off
	// every A phase so allocations per call are the RPCs' own.
	scrapeMallocs float64
}

func (m *meter) snapshot(ctx context.Context) (counters, error) {
	if err := m.facade.alive(); err != nil {
		return counters{}, err
	}
	cpu, err := processCPU(m.facade.pid())
	if err != nil {
		return counters{}, err
	}
	values, err := m.scraper.scrape(ctx, metricMallocs, metricUpstreamOpened)
	if err != nil {
		return counters{}, err
	}
	mallocs, ok := values[metricMallocs]
	if !ok {
		return counters{}, fmt.Errorf("the facade's /metrics has no %s", metricMallocs)
	}
	c := counters{cpu: cpu, mallocs: mallocs}
	if m.up.accepted != nil {
		// The sandbox's own count: exact, and there whatever the facade exposes.
		c.upstreamOpened, c.upstreamKnown = float64(m.up.accepted.Load()), true
	} else {
		c.upstreamOpened, c.upstreamKnown = values[metricUpstreamOpened]
	}
	return c, nil
}

// calibrate measures scrapeMallocs: the least of a few back-to-back
// snapshot pairs, when nothing else happens.
func (m *meter) calibrate(ctx context.Context) error {
	best := -1.0
	for range calibrationSnapshots {
		a, err := m.snapshot(ctx)
		if err != nil {
			return err
		}
		b, err := m.snapshot(ctx)
		if err != nil {
			return err
		}
		if d := b.mallocs - a.mallocs; best < 0 || d < best {
			best = d
		}
	}
	m.scrapeMallocs = max(best, 0)
	return nil
}

// row is the outcome of one case at one connection count.
type row struct {
	scenario, protocol string
	conns              int

	callsA, callsB     int64
	elapsedA, elapsedB time.Duration
	errorsA, errorsB   int64
	firstErr           string // the first error seen, A or B
	failed             string // why the case could not be measured at all

	cpuA                time.Duration // facade CPU over the A phases
	mallocsA            float64       // facade allocations over the A phases
	upstreamOpenedA     float64
	upstreamOpenedKnown bool

	latencyA, latencyB latencySummary
}

type latencySummary struct{ p50, p99 time.Duration }

// measureCase runs one case at one connection count: a warm-up, then
// rounds that alternate A and B in the order ABBA…, so a slow drift of the
// machine weighs on both sides alike.
func measureCase(ctx context.Context, m *meter, c abCase, conns int, o *options) (row, error) {
	r := row{scenario: c.scenario, protocol: c.protocol, conns: conns}
	noop := func() error { return nil }
	if o.warmup > 0 {
		for _, open := range []openWorker{c.facade, c.direct} {
			if _, err := runPhase(ctx, open, conns, o.warmup, noop, noop); err != nil {
				r.failed = "warm-up: " + clip(err.Error())
				return r, m.facade.alive()
			}
		}
	}
	var latA, latB []time.Duration
	for round := range o.rounds {
		order := []bool{true, false} // true is A
		if round%2 == 1 {
			order = []bool{false, true}
		}
		for _, isA := range order {
			if isA {
				var before, after counters
				p, err := runPhase(ctx, c.facade, conns, o.duration,
					func() (err error) { before, err = m.snapshot(ctx); return },
					func() (err error) { after, err = m.snapshot(ctx); return })
				if err != nil {
					r.failed = "A: " + clip(err.Error())
					return r, m.facade.alive()
				}
				r.callsA += p.calls
				r.elapsedA += p.elapsed
				r.errorsA += p.errors
				r.noteErr("A", p.firstErr)
				r.cpuA += after.cpu - before.cpu
				r.mallocsA += max(after.mallocs-before.mallocs-m.scrapeMallocs, 0)
				r.upstreamOpenedA += after.upstreamOpened - before.upstreamOpened
				r.upstreamOpenedKnown = after.upstreamKnown && before.upstreamKnown
				latA = append(latA, p.latencies...)
			} else {
				p, err := runPhase(ctx, c.direct, conns, o.duration, noop, noop)
				if err != nil {
					r.failed = "B: " + clip(err.Error())
					return r, m.facade.alive()
				}
				r.callsB += p.calls
				r.elapsedB += p.elapsed
				r.errorsB += p.errors
				r.noteErr("B", p.firstErr)
				latB = append(latB, p.latencies...)
			}
			if ctx.Err() != nil {
				return r, ctx.Err()
			}
		}
	}
	r.latencyA = summarize(latA)
	r.latencyB = summarize(latB)
	return r, nil
}

func (r *row) noteErr(side string, err error) {
	if err != nil && r.firstErr == "" {
		r.firstErr = side + ": " + clip(err.Error())
	}
}

func clip(s string) string {
	if len(s) > maxErrorMessageLength {
		return s[:maxErrorMessageLength] + "…"
	}
	return s
}

// Derived figures. Each answers ok=false when it cannot be computed, and
// the report then prints "n/a" rather than a made-up number.

func (r row) rpsA() (float64, bool) { return rate(r.callsA, r.elapsedA) }
func (r row) rpsB() (float64, bool) { return rate(r.callsB, r.elapsedB) }

func (r row) ratio() (float64, bool) {
	a, okA := r.rpsA()
	b, okB := r.rpsB()
	if !okA || !okB || b == 0 {
		return 0, false
	}
	return a / b, true
}

// cpuPerCall is facade CPU time per A call, in microseconds.
func (r row) cpuPerCall() (float64, bool) {
	if r.callsA == 0 {
		return 0, false
	}
	return float64(r.cpuA.Nanoseconds()) / 1e3 / float64(r.callsA), true
}

func (r row) allocsPerCall() (float64, bool) {
	if r.callsA == 0 {
		return 0, false
	}
	return r.mallocsA / float64(r.callsA), true
}

// upstreamConnsPer1k is upstream connections opened per 1,000 A calls.
func (r row) upstreamConnsPer1k() (float64, bool) {
	if r.callsA == 0 || !r.upstreamOpenedKnown {
		return 0, false
	}
	return r.upstreamOpenedA * 1000 / float64(r.callsA), true
}

func (r row) errors() int64 { return r.errorsA + r.errorsB }

// ok is false when any figure of the row is not to be trusted.
func (r row) ok() bool { return r.failed == "" && r.errors() == 0 }

func rate(calls int64, elapsed time.Duration) (float64, bool) {
	if elapsed <= 0 {
		return 0, false
	}
	return float64(calls) / elapsed.Seconds(), true
}

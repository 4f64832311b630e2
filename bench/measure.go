package main

import (
	"context"
	"fmt"
	"slices"
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

// meter reads the facade's counters, and the floor proxy's CPU.
type meter struct {
	facade  *facadeProcess
	floor   *floorProcess // nil with --floor=false
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

// floorCPU is the floor proxy's CPU time so far.
func (m *meter) floorCPU() (time.Duration, error) {
	if err := m.floor.alive(); err != nil {
		return 0, err
	}
	return processCPU(m.floor.pid())
}

// alive reports the first of the facade and the floor proxy that exited.
func (m *meter) alive() error {
	if err := m.facade.alive(); err != nil {
		return err
	}
	if m.floor != nil {
		return m.floor.alive()
	}
	return nil
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

// measureCase runs one case at one connection count: a warm-up, then
// rounds that alternate the sides, ABC then CBA (ABBA… without the floor),
// so a slow drift of the machine weighs on every side alike.
func measureCase(ctx context.Context, m *meter, c abCase, conns int, o *options) (row, error) {
	r := row{scenario: c.scenario, protocol: c.protocol, conns: conns, floorMeasured: c.floor != nil}
	sides := caseSides(c)
	noop := func() error { return nil }
	if o.warmup > 0 {
		for _, s := range sides {
			if _, err := runPhase(ctx, s.open, conns, o.warmup, noop, noop); err != nil {
				r.failed = "warm-up " + s.name + ": " + clip(err.Error())
				return r, m.alive()
			}
		}
	}
	for round := range o.rounds {
		for _, s := range roundOrder(sides, round) {
			if err := measureSide(ctx, m, &r, s, conns, o.duration); err != nil {
				return r, err
			}
			if r.failed != "" || ctx.Err() != nil {
				return r, ctx.Err()
			}
		}
	}
	for _, t := range []*callTally{&r.a, &r.b, &r.c} {
		t.latency = summarize(t.latencies)
		t.latencies = nil
	}
	return r, nil
}

// measureSide runs one phase of a side and adds it to the row: every side
// counts its calls, time, errors and latencies; A also reads the facade's
// CPU, allocations and upstream connections around its phase, C the floor
// proxy's CPU. A side that cannot run marks the row failed; the error is
// set only when the facade or the floor proxy died.
func measureSide(ctx context.Context, m *meter, r *row, s side, conns int, d time.Duration) error {
	noop := func() error { return nil }
	started, stopped, tally := noop, noop, &r.b
	var before, after counters
	var floorBefore, floorAfter time.Duration
	switch s.name {
	case "A":
		tally = &r.a
		started = func() (err error) { before, err = m.snapshot(ctx); return }
		stopped = func() (err error) { after, err = m.snapshot(ctx); return }
	case "C":
		tally = &r.c
		started = func() (err error) { floorBefore, err = m.floorCPU(); return }
		stopped = func() (err error) { floorAfter, err = m.floorCPU(); return }
	}
	p, err := runPhase(ctx, s.open, conns, d, started, stopped)
	if err != nil {
		r.failed = s.name + ": " + clip(err.Error())
		return m.alive()
	}
	tally.add(p)
	r.noteErr(s.name, p.firstErr)
	switch s.name {
	case "A":
		r.cpuA += after.cpu - before.cpu
		r.mallocsA += max(after.mallocs-before.mallocs-m.scrapeMallocs, 0)
		r.upstreamOpenedA += after.upstreamOpened - before.upstreamOpened
		r.upstreamOpenedKnown = after.upstreamKnown && before.upstreamKnown
	case "C":
		r.cpuC += floorAfter - floorBefore
	}
	return nil
}

// side is one way of doing a case's work, named as the report names it.
type side struct {
	name string
	open openWorker
}

// caseSides are A, B and, when the floor proxy runs, C, in the order of
// even rounds.
func caseSides(c abCase) []side {
	sides := []side{{"A", c.facade}, {"B", c.direct}}
	if c.floor != nil {
		sides = append(sides, side{"C", c.floor})
	}
	return sides
}

// roundOrder is the order of the sides in a round: as given in even rounds,
// reversed in odd ones (ABC, CBA; AB, BA).
func roundOrder[S any](sides []S, round int) []S {
	order := slices.Clone(sides)
	if round%2 == 1 {
		slices.Reverse(order)
	}
	return order
}

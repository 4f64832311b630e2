package main

import "time"

// row is the outcome of one case at one connection count.
type row struct {
	scenario, protocol string
	conns              int

	a, b, c  callTally // the facade, direct, the floor
	firstErr string    // the first error seen, A, B or C
	failed   string    // why the case could not be measured at all

	// floorMeasured is false with --floor=false: C's figures are then
	// unknown, not zero.
	floorMeasured bool
	cpuC          time.Duration // floor proxy CPU over the C phases

	cpuA                time.Duration // facade CPU over the A phases
	mallocsA            float64       // facade allocations over the A phases
	upstreamOpenedA     float64
	upstreamOpenedKnown bool
}

// callTally adds up one side's phases of a case.
type callTally struct {
	calls     int64
	elapsed   time.Duration
	errors    int64
	latency   latencySummary
	latencies []time.Duration // every call's, until the case ends
}

func (t *callTally) add(p phase) {
	t.calls += p.calls
	t.elapsed += p.elapsed
	t.errors += p.errors
	t.latencies = append(t.latencies, p.latencies...)
}

type latencySummary struct{ p50, p99 time.Duration }

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

func (r row) rpsA() (float64, bool) { return rate(r.a.calls, r.a.elapsed) }
func (r row) rpsB() (float64, bool) { return rate(r.b.calls, r.b.elapsed) }

func (r row) rpsC() (float64, bool) {
	if !r.floorMeasured {
		return 0, false
	}
	return rate(r.c.calls, r.c.elapsed)
}

// ratio is A's throughput over B's.
func (r row) ratio() (float64, bool) { return quotient(r.rpsA, r.rpsB) }

// floorRatio is C's throughput over B's: the share a bare proxy keeps.
func (r row) floorRatio() (float64, bool) { return quotient(r.rpsC, r.rpsB) }

// cpuPerCall is facade CPU time per A call, in microseconds.
func (r row) cpuPerCall() (float64, bool) { return microsPerCall(r.cpuA, r.a.calls) }

// floorCPUPerCall is the floor proxy's CPU time per C call, in microseconds.
func (r row) floorCPUPerCall() (float64, bool) {
	if !r.floorMeasured {
		return 0, false
	}
	return microsPerCall(r.cpuC, r.c.calls)
}

// cpuOverFloor is how many times the floor proxy's CPU per call the facade
// spends.
func (r row) cpuOverFloor() (float64, bool) { return quotient(r.cpuPerCall, r.floorCPUPerCall) }

// floorLatencyKnown is whether latencyC summarizes calls.
func (r row) floorLatencyKnown() bool { return r.floorMeasured && r.c.calls > 0 }

func microsPerCall(cpu time.Duration, calls int64) (float64, bool) {
	if calls == 0 {
		return 0, false
	}
	return float64(cpu.Nanoseconds()) / 1e3 / float64(calls), true
}

func quotient(num, den func() (float64, bool)) (float64, bool) {
	n, okN := num()
	d, okD := den()
	if !okN || !okD || d == 0 {
		return 0, false
	}
	return n / d, true
}

func (r row) allocsPerCall() (float64, bool) {
	if r.a.calls == 0 {
		return 0, false
	}
	return r.mallocsA / float64(r.a.calls), true
}

// upstreamConnsPer1k is upstream connections opened per 1,000 A calls.
func (r row) upstreamConnsPer1k() (float64, bool) {
	if r.a.calls == 0 || !r.upstreamOpenedKnown {
		return 0, false
	}
	return r.upstreamOpenedA * 1000 / float64(r.a.calls), true
}

func (r row) errors() int64 { return r.a.errors + r.b.errors + r.c.errors }

// ok is false when any figure of the row is not to be trusted.
func (r row) ok() bool { return r.failed == "" && r.errors() == 0 }

func rate(calls int64, elapsed time.Duration) (float64, bool) {
	if elapsed <= 0 {
		return 0, false
	}
	return float64(calls) / elapsed.Seconds(), true
}

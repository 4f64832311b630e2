package main

import (
	"fmt"
	"time"
)

// transferRow is one case of a transfer scenario: a direction, a protocol,
// a size.
type transferRow struct {
	direction, protocol string
	size                int64

	a, b, c          transferTally
	idleRSS, peakRSS int64 // bytes; peak over the A phases
	failed           string

	// floorMeasured is false when C did not run: its figures are then
	// unknown, not zero. floorMissing says why, unless it is --floor=false.
	floorMeasured bool
	floorMissing  string
}

// transferTally adds up one side's phases of a case.
type transferTally struct {
	count   int // whole transfers
	bytes   int64
	elapsed time.Duration
	// cpu is the CPU time of the process the side goes through: the
	// facade's for A, the floor proxy's for C; B has none.
	cpu time.Duration
}

func (t transferTally) mbps() (float64, bool) {
	if t.elapsed <= 0 || t.bytes == 0 {
		return 0, false
	}
	return float64(t.bytes) / 1e6 / t.elapsed.Seconds(), true
}

// cpuPerGiB is the side's process's CPU seconds per GiB moved through it.
func (t transferTally) cpuPerGiB() (float64, bool) {
	if t.bytes == 0 {
		return 0, false
	}
	return t.cpu.Seconds() / (float64(t.bytes) / (1 << 30)), true
}

func (r transferRow) mbpsA() (float64, bool) { return r.a.mbps() }
func (r transferRow) mbpsB() (float64, bool) { return r.b.mbps() }

func (r transferRow) mbpsC() (float64, bool) {
	if !r.floorMeasured {
		return 0, false
	}
	return r.c.mbps()
}

func (r transferRow) floorCPUPerGiB() (float64, bool) {
	if !r.floorMeasured {
		return 0, false
	}
	return r.c.cpuPerGiB()
}

var transferHeader = []string{
	"direction", "A protocol", "size", "A MB/s", "B MB/s", "C MB/s", "A÷B", "C÷B",
	"facade CPU s/GiB", "floor CPU s/GiB",
	"idle RSS MiB", "peak RSS MiB (A)", "peak growth MiB", "transfers A/B/C",
}

// transferCells renders rows; a failed row says FAILED in its ratios and
// n/a where nothing was measured, as does C where it did not run.
func transferCells(rows []transferRow) [][]string {
	out := [][]string{transferHeader}
	mib := func(n int64) string {
		if n <= 0 {
			return "n/a"
		}
		return fmt.Sprintf("%.0f", float64(n)/(1<<20))
	}
	for _, r := range rows {
		growth := "n/a"
		if r.peakRSS > 0 && r.idleRSS > 0 {
			growth = fmt.Sprintf("%+.0f", float64(r.peakRSS-r.idleRSS)/(1<<20))
		}
		countC := "–"
		if r.floorMeasured {
			countC = fmt.Sprint(r.c.count)
		}
		a, okA := r.mbpsA()
		b, okB := r.mbpsB()
		c, okC := r.mbpsC()
		out = append(out, []string{r.direction, r.protocol, formatSize(r.size),
			figure(a, okA)(0), figure(b, okB)(0), figure(c, okC)(0),
			transferRatio(r, true, r.mbpsA), transferRatio(r, r.floorMeasured, r.mbpsC),
			figure(r.a.cpuPerGiB())(2), figure(r.floorCPUPerGiB())(2),
			mib(r.idleRSS), mib(r.peakRSS), growth, fmt.Sprintf("%d/%d/%s", r.a.count, r.b.count, countC)})
	}
	return out
}

// transferRatio is a side's MB/s over B's, the row's headline: FAILED when
// the row failed or either figure is missing, n/a for a side not measured.
func transferRatio(r transferRow, measured bool, side func() (float64, bool)) string {
	if !measured {
		return "n/a"
	}
	v, ok := quotient(side, r.mbpsB)
	if r.failed != "" || !ok {
		return failedCell
	}
	return fmt.Sprintf("%.2f", v)
}

// transferPanels draws one panel per direction and protocol: MB/s against
// file size, with C as a third series where it ran.
func transferPanels(rows []transferRow) []plotPanel {
	var panels []plotPanel
	index := map[string]int{}
	for _, r := range rows {
		key := r.direction + " · " + r.protocol
		i, ok := index[key]
		if !ok {
			i = len(panels)
			index[key] = i
			panels = append(panels, plotPanel{title: key + " (MB/s)", xLabel: "file size"})
		}
		a, okA := r.mbpsA()
		b, okB := r.mbpsB()
		c, okC := r.mbpsC()
		if r.failed != "" {
			okA, okB, okC = false, false, false // a failed figure is not drawn
		}
		p := &panels[i]
		p.xs = append(p.xs, formatSize(r.size))
		p.facade = append(p.facade, orNaN(a, okA))
		p.direct = append(p.direct, orNaN(b, okB))
		p.floor = append(p.floor, orNaN(c, okC))
	}
	return panels
}

package main

import (
	"math"
	"slices"
	"time"
)

// percentile is the nearest-rank percentile (0 < p ≤ 100) of sorted
// durations: the smallest sample that at least p% of the samples do not
// exceed. It is 0 for no samples.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	// p*n/100 rather than p/100*n: 99*200/100 is exactly 198, 0.99*200 is not.
	rank := int(math.Ceil(p * float64(len(sorted)) / 100))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

func summarize(samples []time.Duration) latencySummary {
	slices.Sort(samples)
	return latencySummary{p50: percentile(samples, 50), p99: percentile(samples, 99)}
}

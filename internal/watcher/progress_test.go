package watcher

import (
	"testing"
	"time"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
)

func watchIn(status taskv1.TaskStatus, readAt time.Time) *watch {
	return &watch{last: &eventsv1.TaskEvent{Task: &taskv1.Task{Status: status}}, progressReadAt: readAt}
}

// A round reads the progress of a bounded number of processing tasks, the
// ones read longest ago first, and every task gets its turn.
func TestProgressBudgetTakesTheStalestFirst(t *testing.T) {
	w := &Watcher{cfg: Config{ProgressCallsPerRound: 3}}
	start := time.Unix(1000, 0)
	var ws []*watch
	for i := range 10 {
		ws = append(ws, watchIn(taskv1.TaskStatus_TASK_STATUS_PROCESSING, start.Add(time.Duration(i)*time.Second)))
	}
	ws = append(ws, watchIn(taskv1.TaskStatus_TASK_STATUS_QUEUED, time.Time{}))
	seen := map[*watch]int{}
	now := start.Add(time.Hour)
	for round := range 4 {
		w.planProgress(ws)
		var read []int
		for i, wt := range ws[:10] {
			if wt.takeProgressTurn(now.Add(time.Duration(round) * time.Second)) {
				read = append(read, i)
				seen[wt]++
			}
		}
		if len(read) != 3 {
			t.Fatalf("round %d read %v, want 3 tasks", round, read)
		}
		if round == 0 && (read[0] != 0 || read[1] != 1 || read[2] != 2) {
			t.Errorf("round 0 read %v, want the stalest 0, 1, 2", read)
		}
	}
	if len(seen) != 10 {
		t.Errorf("%d of 10 tasks had their progress read in 4 rounds of 3", len(seen))
	}
	// A task that only now turned processing has no progress yet: read it.
	fresh := watchIn(taskv1.TaskStatus_TASK_STATUS_QUEUED, time.Time{})
	if !fresh.takeProgressTurn(now) {
		t.Error("a task new to processing did not get its progress read")
	}
}

func TestProgressBudgetGrowsWithTasks(t *testing.T) {
	c := Config{}
	if got := c.progressBudget(10); got != minProgressCalls {
		t.Errorf("budget for 10 tasks %d", got)
	}
	if got := c.progressBudget(10_000); got != 100 {
		t.Errorf("budget for 10,000 tasks %d, want a hundredth", got)
	}
}

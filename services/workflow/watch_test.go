package workflow

import (
	"errors"
	"strings"
	"testing"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/internal/events"
)

func TestWatchEndedStatus(t *testing.T) {
	lagged := &events.ResumeError{After: 42, Err: events.ErrLagged}
	err := subscriptionEnded(lagged, "resume with after_sequence=42")
	if connect.CodeOf(err) != connect.CodeResourceExhausted || !strings.Contains(err.Error(), "after_sequence=42") {
		t.Errorf("lagged: %v", err)
	}
	lost := &events.ResumeError{After: 7, Err: errors.Join(events.ErrFeedLost, errors.New("nats: connection closed"))}
	err = subscriptionEnded(lost, "resume with after_sequence=7")
	if connect.CodeOf(err) != connect.CodeUnavailable || !strings.Contains(err.Error(), "after_sequence=7") {
		t.Errorf("feed lost: %v", err)
	}
}

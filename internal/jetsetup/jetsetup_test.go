package jetsetup

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/cloudreve-connect/facade/internal/natsembed/natstest"
)

// An attempt that gets no answer is made again; the first answer counts.
func TestCreateTriesAgainWhenAnAttemptTimesOut(t *testing.T) {
	attempt = 20 * time.Millisecond
	t.Cleanup(func() { attempt = Attempt })
	attempts := 0
	v, err := Create(context.Background(), func(ctx context.Context) (int, error) {
		attempts++
		if attempts < 3 {
			<-ctx.Done() // the reply never comes
			return 0, ctx.Err()
		}
		return 7, nil
	})
	if err != nil || v != 7 || attempts != 3 {
		t.Fatalf("got %d, %v after %d attempts; want 7 after 3", v, err, attempts)
	}
}

// Other errors are answers: no second attempt.
func TestCreateStopsOnAnAnswer(t *testing.T) {
	refused := errors.New("bad config")
	attempts := 0
	_, err := Create(context.Background(), func(context.Context) (int, error) {
		attempts++
		return 0, refused
	})
	if !errors.Is(err, refused) || attempts != 1 {
		t.Fatalf("%v after %d attempts", err, attempts)
	}
}

// The caller's deadline bounds every attempt together.
func TestCreateKeepsTheCallersDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Create(ctx, func(ctx context.Context) (int, error) {
		<-ctx.Done()
		return 0, ctx.Err()
	})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > Attempt {
		t.Fatalf("%v after %s", err, time.Since(start))
	}
}

// With a real JetStream: creating the same bucket twice is one bucket.
func TestCreateIsIdempotentOnJetStream(t *testing.T) {
	js, err := jetstream.New(natstest.Conn(t))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := Create(context.Background(), func(ctx context.Context) (jetstream.KeyValue, error) {
			return js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: "PROBE"})
		}); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	for name := range js.KeyValueStoreNames(context.Background()).Name() {
		names = append(names, name)
	}
	if len(names) != 1 {
		t.Fatalf("buckets %v, want one", names)
	}
}

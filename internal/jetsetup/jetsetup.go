// Package jetsetup creates the facade's JetStream streams and buckets
// patiently. Creating one replicated three times (a new Raft group on every
// node) can outlast the client's default 5 s on a busy cluster, and when two
// replicas start at once and create the same bucket, a reply can be lost
// altogether (seen on a 3-node cluster: both waited in vain while the bucket
// was made). Creating or updating is idempotent, so an attempt that times out
// is simply made again.
package jetsetup

import (
	"context"
	"errors"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

const (
	// Attempt bounds one request.
	Attempt = 5 * time.Second
	// Timeout bounds all attempts of one creation.
	Timeout = 30 * time.Second
)

// attempt is Attempt, shorter in tests.
var attempt = Attempt

// Create runs create (a CreateOrUpdate… call) until it answers, for at
// most Timeout (or ctx's deadline), each attempt bounded by Attempt.
func Create[T any](ctx context.Context, create func(context.Context) (T, error)) (T, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, Timeout)
		defer cancel()
	}
	for {
		one, cancel := context.WithTimeout(ctx, attempt)
		v, err := create(one)
		cancel()
		if err == nil || ctx.Err() != nil || !timedOut(err) {
			return v, err
		}
	}
}

func timedOut(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout)
}

// KeyValue creates or updates a bucket, patiently.
func KeyValue(ctx context.Context, js jetstream.JetStream, cfg jetstream.KeyValueConfig) (jetstream.KeyValue, error) {
	return Create(ctx, func(ctx context.Context) (jetstream.KeyValue, error) { return js.CreateOrUpdateKeyValue(ctx, cfg) })
}

// Stream creates or updates a stream, patiently.
func Stream(ctx context.Context, js jetstream.JetStream, cfg jetstream.StreamConfig) (jetstream.Stream, error) {
	return Create(ctx, func(ctx context.Context) (jetstream.Stream, error) { return js.CreateOrUpdateStream(ctx, cfg) })
}

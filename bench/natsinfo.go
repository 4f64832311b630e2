package main

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cloudreve-connect/facade/internal/events"
)

// consumerCounter reads how many JetStream consumers the facade's event
// stream has, through the facade's embedded NATS server.
type consumerCounter struct {
	nc     *nats.Conn
	stream jetstream.Stream
}

func newConsumerCounter(ctx context.Context, url string) (*consumerCounter, error) {
	nc, err := nats.Connect(url, nats.Name("facade-bench"))
	if err != nil {
		return nil, fmt.Errorf("the facade's NATS at %s: %w", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, err
	}
	st, err := js.Stream(ctx, events.Stream)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("stream %s: %w", events.Stream, err)
	}
	return &consumerCounter{nc: nc, stream: st}, nil
}

func (c *consumerCounter) count(ctx context.Context) (int, error) {
	info, err := c.stream.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("stream %s: %w", events.Stream, err)
	}
	return info.State.Consumers, nil
}

func (c *consumerCounter) close() { c.nc.Close() }

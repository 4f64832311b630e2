package watcher

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/cloudreve-connect/facade/internal/natsembed/natstest"
)

const testShards = 8

func leaseJetStream(t *testing.T) jetstream.JetStream {
	t.Helper()
	nc := natstest.Conn(t)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

func newTestLeases(t *testing.T, js jetstream.JetStream, id string, now *time.Time) *leases {
	t.Helper()
	l, err := openLeases(context.Background(), js, 1, id, 3*time.Second, testShards, func() time.Time { return *now }, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func owned(l *leases) map[string]bool {
	out := map[string]bool{}
	for _, key := range l.keys() {
		if l.owns(key) {
			out[key] = true
		}
	}
	return out
}

// assertExclusive: no lease is acted on by two replicas at one instant.
func assertExclusive(t *testing.T, ls ...*leases) {
	t.Helper()
	holder := map[string]string{}
	for _, l := range ls {
		for key := range owned(l) {
			if other, ok := holder[key]; ok {
				t.Fatalf("%s held by %s and %s at once", key, other, l.id)
			}
			holder[key] = l.id
		}
	}
}

// A second replica gets half the shards when it joins; when the first stops
// renewing, it stops acting on its shards before the second may take them,
// and the second takes them (and the discovery lease) after a TTL.
func TestLeasesShareAndTakeOver(t *testing.T) {
	js := leaseJetStream(t)
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 0)
	a := newTestLeases(t, js, "a", &now)
	b := newTestLeases(t, js, "b", &now)

	a.round(ctx)
	if got := a.snapshot(); got.OwnedShards != testShards || !got.Discovery {
		t.Fatalf("alone, a holds %+v", got)
	}
	b.round(ctx) // sees a: share 4, but nothing is free yet
	a.round(ctx) // sees b: releases what is beyond its share
	b.round(ctx)
	assertExclusive(t, a, b)
	if sa, sb := a.snapshot(), b.snapshot(); sa.OwnedShards != testShards/2 || sb.OwnedShards != testShards/2 || sb.Discovery {
		t.Fatalf("after b joined: a %+v, b %+v", sa, sb)
	}
	if sb := b.snapshot(); sb.Takeovers != 0 {
		t.Fatalf("released shards counted as takeovers: %+v", sb)
	}

	// a stops renewing (killed). Step through its lease TTL.
	for step := time.Duration(0); step <= 3*time.Second; step += 250 * time.Millisecond {
		now = now.Add(250 * time.Millisecond)
		b.round(ctx)
		assertExclusive(t, a, b)
	}
	if sa := a.snapshot(); sa.OwnedShards != 0 || sa.Discovery {
		t.Fatalf("a still acts on leases a TTL after its last renewal: %+v", sa)
	}
	sb := b.snapshot()
	if sb.OwnedShards != testShards || !sb.Discovery || sb.Takeovers != testShards/2+1 {
		t.Fatalf("b after a's TTL: %+v", sb)
	}
}

// A replica that finds another owner in its lease (taken while it stalled)
// stops acting on it at once.
func TestLeaseLostWhenAnotherReplicaWroteIt(t *testing.T) {
	js := leaseJetStream(t)
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 0)
	a := newTestLeases(t, js, "a", &now)
	a.round(ctx)
	key := shardKey(0)
	if _, err := a.kv.Put(ctx, key, []byte(`{"owner":"intruder"}`)); err != nil {
		t.Fatal(err)
	}
	a.round(ctx)
	if a.owns(key) {
		t.Fatal("a still owns a lease another replica wrote")
	}
	if s := a.snapshot(); s.OwnedShards != testShards-1 {
		t.Fatalf("a holds %+v", s)
	}
}

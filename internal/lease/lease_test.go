package lease

import (
	"context"
	"log/slog"
	"slices"
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

const discovery = "discovery"

func newTestLeases(t *testing.T, js jetstream.JetStream, id string, now *time.Time) *Keeper {
	t.Helper()
	l, err := Open(context.Background(), js, Config{
		Bucket: "TEST_LEASES", ReplicaID: id, TTL: 3 * time.Second, Shards: testShards, Singletons: []string{discovery},
		Now: func() time.Time { return *now }, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func owned(l *Keeper) map[string]bool {
	out := map[string]bool{}
	for _, key := range l.Keys() {
		if l.Owns(key) {
			out[key] = true
		}
	}
	return out
}

// assertExclusive: no lease is acted on by two replicas at one instant.
func assertExclusive(t *testing.T, ls ...*Keeper) {
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

	a.Round(ctx)
	if got := a.Snapshot(); got.OwnedShards != testShards || !holds(got, discovery) {
		t.Fatalf("alone, a holds %+v", got)
	}
	b.Round(ctx) // sees a: share 4, but nothing is free yet
	a.Round(ctx) // sees b: releases what is beyond its share
	b.Round(ctx)
	assertExclusive(t, a, b)
	if sa, sb := a.Snapshot(), b.Snapshot(); sa.OwnedShards != testShards/2 || sb.OwnedShards != testShards/2 || holds(sb, discovery) {
		t.Fatalf("after b joined: a %+v, b %+v", sa, sb)
	}
	if sb := b.Snapshot(); sb.Takeovers != 0 {
		t.Fatalf("released shards counted as takeovers: %+v", sb)
	}

	// a stops renewing (killed). Step through its lease TTL.
	for step := time.Duration(0); step <= 3*time.Second; step += 250 * time.Millisecond {
		now = now.Add(250 * time.Millisecond)
		b.Round(ctx)
		assertExclusive(t, a, b)
	}
	if sa := a.Snapshot(); sa.OwnedShards != 0 || holds(sa, discovery) {
		t.Fatalf("a still acts on leases a TTL after its last renewal: %+v", sa)
	}
	sb := b.Snapshot()
	if sb.OwnedShards != testShards || !holds(sb, discovery) || sb.Takeovers != testShards/2+1 {
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
	a.Round(ctx)
	key := ShardKey(0)
	if _, err := a.kv.Put(ctx, key, []byte(`{"owner":"intruder"}`)); err != nil {
		t.Fatal(err)
	}
	a.Round(ctx)
	if a.Owns(key) {
		t.Fatal("a still owns a lease another replica wrote")
	}
	if s := a.Snapshot(); s.OwnedShards != testShards-1 {
		t.Fatalf("a holds %+v", s)
	}
}

func holds(s Stats, singleton string) bool { return slices.Contains(s.Singletons, singleton) }

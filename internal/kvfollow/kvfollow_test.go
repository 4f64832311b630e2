package kvfollow

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/cloudreve-connect/facade/internal/natsembed/natstest"
)

// What was stored before is loaded, and every change after it is applied:
// a put, a delete, and a put made while the reader was loading.
func TestFollowLoadsThenAppliesEveryChange(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	js, err := jetstream.New(natstest.Conn(t))
	if err != nil {
		t.Fatal(err)
	}
	kv, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: "FOLLOWED"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kv.Put(ctx, "before", []byte("1")); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]string{}
	loaded := make(chan struct{})
	r := Reader{
		Load: func(ctx context.Context) error {
			keys, err := kv.ListKeys(ctx)
			if err != nil {
				return err
			}
			for k := range keys.Keys() {
				e, err := kv.Get(ctx, k)
				if err != nil {
					return err
				}
				mu.Lock()
				seen[k] = string(e.Value())
				mu.Unlock()
			}
			// A change while loading reaches Apply all the same.
			if _, err := kv.Put(ctx, "during", []byte("2")); err != nil {
				return err
			}
			close(loaded)
			return nil
		},
		Apply: func(_ context.Context, e jetstream.KeyValueEntry) {
			mu.Lock()
			defer mu.Unlock()
			if e.Operation() == jetstream.KeyValuePut {
				seen[e.Key()] = string(e.Value())
			} else {
				delete(seen, e.Key())
			}
		},
	}
	go Follow(ctx, kv, r, 10*time.Millisecond, slog.New(slog.DiscardHandler), "FOLLOWED")
	<-loaded
	if _, err := kv.Put(ctx, "after", []byte("3")); err != nil {
		t.Fatal(err)
	}
	if err := kv.Delete(ctx, "before"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		done := len(seen) == 2 && seen["during"] == "2" && seen["after"] == "3"
		snapshot := map[string]string{}
		for k, v := range seen {
			snapshot[k] = v
		}
		mu.Unlock()
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the reader holds %v, want during=2 and after=3", snapshot)
		}
		time.Sleep(10 * time.Millisecond) // the polling period
	}
}

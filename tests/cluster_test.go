package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
)

// natsCluster is a JetStream cluster of embedded nats-server instances
// routed on loopback, each with its own store directory.
type natsCluster struct {
	nodes []*server.Server
	// URL lists every node's client address, for clients that must survive
	// the loss of one.
	URL string
}

func startNATSCluster(t *testing.T, n int) *natsCluster {
	t.Helper()
	routes := make([]string, n)
	clusterPorts := make([]int, n)
	for i := range routes {
		_, port, _ := net.SplitHostPort(freePort(t))
		clusterPorts[i], _ = strconv.Atoi(port)
		routes[i] = "nats-route://127.0.0.1:" + port
	}
	c := &natsCluster{}
	var urls []string
	for i := 0; i < n; i++ {
		opts := &server.Options{
			ServerName: fmt.Sprintf("n%d", i+1),
			Host:       "127.0.0.1", Port: server.RANDOM_PORT,
			JetStream: true, StoreDir: t.TempDir(),
			NoSigs: true, NoLog: true,
			Cluster: server.ClusterOpts{Name: "facade-test", Host: "127.0.0.1", Port: clusterPorts[i]},
			Routes:  server.RoutesFromStr(strings.Join(routes, ",")),
		}
		s, err := server.NewServer(opts)
		if err != nil {
			t.Fatal(err)
		}
		go s.Start()
		t.Cleanup(s.Shutdown)
		c.nodes = append(c.nodes, s)
	}
	for _, s := range c.nodes {
		if !s.ReadyForConnections(10 * time.Second) {
			t.Fatalf("NATS node %s not ready", s.Name())
		}
		urls = append(urls, s.ClientURL())
	}
	c.URL = strings.Join(urls, ",")
	// Ready once the nodes elected a meta leader and all of them take part
	// in a replicated stream.
	js, err := jetstream.New(natsConnect(t, c.URL))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "a JetStream cluster that places three replicas", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "CLUSTER_PROBE", Replicas: n, Storage: jetstream.MemoryStorage}); err != nil {
			return false
		}
		return js.DeleteStream(ctx, "CLUSTER_PROBE") == nil
	})
	return c
}

// waitFor polls cond until it holds or the time is up.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %v", what, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// leaseOwners reads which replica holds each shard of the watches (free
// shards are left out).
func leaseOwners(t *testing.T, ctx context.Context, kv jetstream.KeyValue) map[string]string {
	t.Helper()
	owners := map[string]string{}
	lister, err := kv.ListKeysFiltered(ctx, "shard.>")
	if err != nil {
		return owners // none yet
	}
	for key := range lister.Keys() {
		entry, err := kv.Get(ctx, key)
		if err != nil {
			continue
		}
		var v struct {
			Owner string `json:"owner"`
		}
		if json.Unmarshal(entry.Value(), &v) == nil && v.Owner != "" {
			owners[key] = v.Owner
		}
	}
	return owners
}

// sharesSettled: all shards are held, each by one of ids, none by more
// than its fair share.
func sharesSettled(owners map[string]string, shards int, ids ...string) bool {
	if len(owners) != shards {
		return false
	}
	share := (shards + len(ids) - 1) / len(ids)
	count := map[string]int{}
	for _, o := range owners {
		count[o]++
	}
	for _, id := range ids {
		if count[id] == 0 || count[id] > share {
			return false
		}
	}
	return len(count) == len(ids)
}

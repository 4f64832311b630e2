package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"
	"connectrpc.com/grpchealth"
	"connectrpc.com/grpcreflect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/events"
	"github.com/cloudreve-connect/facade/internal/filewatch"
	"github.com/cloudreve-connect/facade/internal/secretbox"
	"github.com/cloudreve-connect/facade/internal/telemetry"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/watcher"
	"github.com/cloudreve-connect/facade/sandbox"
)

// run is the composition root: it starts the upstream (or the sandbox), NATS,
// the watcher and the Connect server, and stops them in reverse order.
func run(ctx context.Context, cfg *config, log *slog.Logger) error {
	tel, err := telemetry.New(ctx, telemetry.Options{OTLPEndpoint: cfg.OTLPEndpoint, Logger: log.With("component", "telemetry")})
	if err != nil {
		return err
	}
	defer tel.Shutdown(context.Background())

	useSandbox, err := cfg.servesSandbox()
	if err != nil {
		return err
	}
	upstreamURL := strings.TrimRight(cfg.Upstream, "/")
	if useSandbox {
		sb, err := sandbox.NewServer(sandbox.Options{Addr: cfg.SandboxListen, Tick: cfg.SandboxTick, Logger: log.With("component", "sandbox")})
		if err != nil {
			return fmt.Errorf("sandbox: %w", err)
		}
		defer sb.Close()
		if _, err := sb.CreateUser(cfg.SandboxEmail, cfg.SandboxPassword, "Demo"); err != nil {
			return fmt.Errorf("sandbox: %w", err)
		}
		upstreamURL = sb.URL()
		log.Warn("the upstream is the in-process SANDBOX Cloudreve: fake data, not a real server (set --upstream for one)",
			"sandbox_url", upstreamURL, "demo_account", cfg.SandboxEmail, "tick", cfg.SandboxTick)
	} else {
		log.Info("using the Cloudreve server", "upstream", upstreamURL)
	}

	nc, stopNATS, err := connectNATS(cfg, log)
	if err != nil {
		return err
	}
	defer stopNATS()

	key, err := loadSecretKey(cfg)
	if err != nil {
		return err
	}
	box, err := secretbox.New(key)
	if err != nil {
		return err
	}

	pool := upstream.NewPool(upstream.PoolOptions{MaxConns: cfg.UpstreamMaxConns, H2C: cfg.UpstreamH2C, ResponseHeaderTimeout: cfg.UpstreamTimeout})
	defer pool.CloseIdleConnections()
	if err := tel.CounterFunc("facade.upstream.connections_opened", "{connection}", "Connections opened to the upstream and storage hosts", pool.Dials); err != nil {
		return err
	}
	replicaID := cfg.ReplicaID
	if replicaID == "" {
		replicaID = watcher.NewReplicaID()
	}
	httpClient, err := upstreamHTTPClient(cfg, tel, pool, replicaID)
	if err != nil {
		return err
	}
	apiURL := upstreamURL + "/api/v4"
	pinger, err := cloudreveapi.NewClient(apiURL, cloudreveapi.WithHTTPClient(httpClient))
	if err != nil {
		return err
	}
	versions, err := trackVersion(ctx, pinger, tel, log)
	if err != nil {
		return err
	}
	// Every other call goes through the tracker's observer, so that the
	// version is read again once the upstream answers after an outage.
	observed := versions.Observe(httpClient)
	plain, err := cloudreveapi.NewClient(apiURL, cloudreveapi.WithHTTPClient(observed))
	if err != nil {
		return err
	}
	var account *auth.ServiceAccount
	if cfg.AccountEmail != "" || cfg.AccountRefreshToken != "" {
		store, err := newAccountStore(ctx, nc, box, apiURL, cfg)
		if err != nil {
			return err
		}
		account, err = auth.NewServiceAccount(auth.AccountConfig{
			Email: cfg.AccountEmail, Password: cfg.AccountPassword, RefreshToken: cfg.AccountRefreshToken, Store: store,
		}, plain)
		if err != nil {
			return err
		}
		if cfg.AccountSignOut {
			defer func() {
				if ctx.Err() == nil {
					return // not a shutdown: keep the session for the next start
				}
				signOutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				if err := account.SignOut(signOutCtx); err != nil {
					log.Warn("signing the service account out failed", "error", err)
					return
				}
				log.Info("signed the service account out")
			}()
		}
	}
	client, err := cloudreveapi.NewClient(apiURL, cloudreveapi.WithHTTPClient(&auth.Doer{Base: observed, Account: account}))
	if err != nil {
		return err
	}

	bus, err := events.Open(ctx, nc, events.Config{Source: apiURL, Replicas: cfg.NATSReplicas})
	if err != nil {
		return err
	}
	// Deletes the watch streams' shared consumer before NATS is stopped.
	defer bus.Close()
	if err := tel.Gauge("facade.events.subscribers", "{subscriber}", "Watch streams reading the shared event feed now", bus.Subscribers); err != nil {
		return err
	}
	onPoll, err := tel.PollObserver()
	if err != nil {
		return err
	}
	w, err := watcher.New(ctx, watcher.Config{
		ActiveInterval: cfg.PollActive, IdleInterval: cfg.PollIdle, ProgressInterval: cfg.ProgressInterval,
		Logger: log.With("component", "watcher"), OnPoll: onPoll,
		Replicas: cfg.NATSReplicas, ReplicaID: replicaID, LeaseTTL: cfg.LeaseTTL,
		DisableAdminListing: !cfg.AdminTaskListing,
	}, client, bus, box, account)
	if err != nil {
		return err
	}
	if err := tel.ObserveWatcher(w); err != nil {
		return err
	}
	watchCtx, stopWatching := context.WithCancel(context.Background())
	watchDone := make(chan error, 1)
	go func() { watchDone <- w.Run(watchCtx) }()
	defer func() { stopWatching(); <-watchDone }()
	select {
	case <-w.Ready():
	case <-time.After(cfg.LeaseTTL):
		log.Warn("no shard leases yet; serving anyway, watches wait for them", "replica", replicaID)
	}

	files, err := events.OpenFiles(ctx, nc, events.Config{Source: apiURL, Replicas: cfg.NATSReplicas})
	if err != nil {
		return err
	}
	defer files.Close()
	eventsHTTP, err := eventChannelClient(tel, pool, replicaID)
	if err != nil {
		return err
	}
	eventDoer := &auth.Doer{Base: versions.Observe(eventsHTTP), Account: account}
	fw, err := filewatch.New(ctx, filewatch.Config{
		APIBase: apiURL, Doer: eventDoer, API: client, Versions: versions, Folders: cfg.watchFolders,
		Replicas: cfg.NATSReplicas, ReplicaID: replicaID, LeaseTTL: cfg.LeaseTTL, Logger: log.With("component", "filewatch"),
	}, files, box, account)
	if err != nil {
		return err
	}
	if err := tel.ObserveFileWatches(fw); err != nil {
		return err
	}
	fileWatchDone := make(chan error, 1)
	go func() { fileWatchDone <- fw.Run(watchCtx) }()
	defer func() { stopWatching(); <-fileWatchDone }()
	select {
	case <-fw.Ready():
	case <-time.After(cfg.LeaseTTL):
		log.Warn("no folder watch leases yet; serving anyway", "replica", replicaID)
	}

	identity := newIdentity(account, client)

	mux := http.NewServeMux()
	streams := newStreamCloser(watchCtx.Done())
	rpcs, err := rpcServer(cfg, tel, log, streams, identity)
	if err != nil {
		return err
	}
	services := registerServices(rpcs, deps{
		client: client, watcher: w, bus: bus, identity: identity, account: account, log: log,
		fileWatches: fw, fileEvents: files, eventDoer: eventDoer,
		apiURL: apiURL, transfer: transferHTTPClient(pool), versions: versions,
	})
	connecthttp.Mount(mux, rpcs, mountOptions(cfg)...)
	checker := newHealthChecker(nc, plain, services)
	healthPath, healthHandler := grpchealth.NewHandler(checker)
	if useSandbox {
		healthHandler = sandboxHealth(healthHandler)
	}
	mux.Handle(healthPath, healthHandler)
	mountReflection(mux, append(services, grpchealth.HealthV1ServiceName))
	stopMetrics, err := serveMetrics(cfg, tel, mux, log)
	if err != nil {
		return err
	}
	defer stopMetrics()

	server, serve, err := listen(cfg, mux, log)
	if err != nil {
		return err
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- serve() }()
	log.Info("facade serving", "services", services, "replica", replicaID)

	select {
	case <-ctx.Done():
	case err := <-serveErr:
		return err
	}
	// The drain, in this order:
	//  1. health turns NOT_SERVING, so that load balancers and clients that
	//     probe it send new calls to other replicas;
	//  2. for --drain-grace calls are still served while they notice;
	//  3. the watches stop here (and, with leases across replicas, are left
	//     to the others), and the open streams end with Unavailable, a
	//     status the clients resume on elsewhere;
	//  4. the server shuts down, giving unary calls in flight time to end.
	log.Info("shutting down: draining", "drain_grace", cfg.DrainGrace)
	checker.drain()
	select {
	case <-time.After(cfg.DrainGrace):
	case err := <-serveErr:
		return err
	}
	stopWatching()
	if !streams.wait(5 * time.Second) {
		log.Warn("some streams did not end in time")
	}
	log.Info("shutting down the server")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return server.Shutdown(shutdownCtx)
}

func loadSecretKey(cfg *config) ([]byte, error) {
	if cfg.SecretKey != "" {
		return secretbox.ParseKey(cfg.SecretKey)
	}
	return secretbox.LoadOrCreateKeyFile(cfg.StateDir + "/secret.key")
}

// newIdentity proves bearer tokens with a login-only upstream call made with
// the token itself (the storage capacity): the upstream answers 401 to a
// token it cannot verify, which it would otherwise serve as a guest's.
func newIdentity(account *auth.ServiceAccount, client cloudreveapi.ClientInterface) *auth.Identifier {
	return auth.NewIdentifier(account, func(ctx context.Context) error {
		if err := upstream.Action("getStorageCapacity").Check(client.GetStorageCapacity(ctx)); err != nil {
			var ue *upstream.Error
			if errors.As(err, &ue) && ue.Code == upstream.CodeLoginRequired {
				return connect.NewError(connect.CodeUnauthenticated, "the upstream does not accept the bearer token (not signed by it, expired or revoked)")
			}
			var te *upstream.TransportError
			if errors.As(err, &te) && te.Canceled {
				return connect.NewError(connect.CodeCanceled, err.Error()).WithCause(err)
			}
			return connect.NewError(connect.CodeUnavailable, err.Error()).WithCause(err)
		}
		return nil
	})
}

// mountReflection serves gRPC reflection of the named services on a server
// of its own, outside the RPC interceptors (as the health service, which
// grpchealth still serves on connect-go v1).
func mountReflection(mux *http.ServeMux, services []string) {
	reflection := connect.NewServer()
	grpcreflect.Register(reflection, grpcreflect.WithNamer(grpcreflect.NamerFunc(func() []string { return services })))
	connecthttp.Mount(mux, reflection)
}

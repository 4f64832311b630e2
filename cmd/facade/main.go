// Command facade serves typed Connect, gRPC and gRPC-Web contracts in front of
// the Cloudreve v4 REST API on one h2c port, and publishes every change of the
// tasks it watches on NATS JetStream. With no flags it starts an embedded NATS
// server and an in-process sandbox Cloudreve, so it runs anywhere.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/cloudreve-connect/facade/internal/telemetry"
)

func main() {
	cfg, err := parseConfig(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "facade:", err)
		os.Exit(2)
	}
	log := newLogger(cfg)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, log); err != nil {
		log.Error("facade stopped", "error", err)
		os.Exit(1)
	}
}

func newLogger(cfg *config) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	// Attributes that name a secret are redacted, whatever logs them.
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: telemetry.RedactSecrets}
	if strings.EqualFold(cfg.LogFormat, "json") {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

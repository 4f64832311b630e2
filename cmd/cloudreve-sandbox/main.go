// Command cloudreve-sandbox serves the sandbox Cloudreve (package sandbox)
// on an address, for tests that are not written in Go or that need a
// Cloudreve in another process:
//
//	go run ./cmd/cloudreve-sandbox --listen 127.0.0.1:5212 --admin admin@example.com:secret --user ann@example.com:pw
//
// It logs its URL and accounts, then serves until SIGINT or SIGTERM.
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
	"time"

	"github.com/cloudreve-connect/facade/sandbox"
)

// credentials are the email:password pairs of a repeatable flag.
type credentials [][2]string

func (c *credentials) String() string { return fmt.Sprint(len(*c), " account(s)") }

func (c *credentials) Set(v string) error {
	email, password, ok := strings.Cut(v, ":")
	if !ok || email == "" || password == "" {
		return errors.New("want email:password")
	}
	*c = append(*c, [2]string{email, password})
	return nil
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "cloudreve-sandbox:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("cloudreve-sandbox", flag.ContinueOnError)
	var (
		opts          sandbox.Options
		users, admins credentials
		debug         bool
	)
	fs.StringVar(&opts.Addr, "listen", "127.0.0.1:5212", "address to serve on (port 0: a random one)")
	fs.StringVar(&opts.Version, "version", sandbox.Version, "Cloudreve release to imitate: "+sandbox.Version40+" or "+sandbox.Version)
	fs.StringVar(&opts.Edition, "edition", sandbox.EditionCommunity, "edition to imitate: community or pro")
	fs.DurationVar(&opts.Tick, "tick", time.Second, "the task queue's polling period (the real server's is 10s)")
	fs.DurationVar(&opts.EventDebounce, "event-debounce", 5*time.Second, "how long file events wait for quiet before GET /file/events sends them (the site setting fs_event_push_debounce)")
	fs.StringVar(&opts.StoragePolicy, "storage-policy", "local", "type of the default storage policy: local or s3")
	fs.Var(&users, "user", "an account to create, email:password (repeatable); without --admin the first one is the administrator, as on a fresh install")
	fs.Var(&admins, "admin", "an administrator to create, email:password (repeatable)")
	fs.BoolVar(&debug, "debug", false, "log every request")
	if err := fs.Parse(args); err != nil {
		return err
	}
	level := slog.LevelInfo
	if debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	opts.Logger = log

	sb, err := sandbox.NewServer(opts)
	if err != nil {
		return err
	}
	defer sb.Close()
	o := sb.Options()
	log.Info("sandbox Cloudreve serving: in-memory fake data, not a real server",
		"url", sb.URL(), "api", sb.APIURL(), "version", o.Version, "edition", o.Edition, "tick", o.Tick)
	for _, a := range admins {
		if _, err := sb.CreateAdmin(a[0], a[1], ""); err != nil {
			return fmt.Errorf("--admin %s: %w", a[0], err)
		}
		log.Info("account", "email", a[0], "group", "Admin")
	}
	for i, u := range users {
		if _, err := sb.CreateUser(u[0], u[1], ""); err != nil {
			return fmt.Errorf("--user %s: %w", u[0], err)
		}
		group := "User"
		if i == 0 && len(admins) == 0 {
			group = "Admin"
		}
		log.Info("account", "email", u[0], "group", group)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	log.Info("stopping")
	return nil
}

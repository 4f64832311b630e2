package sandbox

import (
	"fmt"
	"log/slog"
	"time"

	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// Editions a sandbox can pretend to be.
const (
	EditionCommunity = "community"
	EditionPro       = "pro"
)

// APIPrefix is where the sandbox serves the Cloudreve API.
const APIPrefix = "/api/v4"

// Options tune a sandbox. The zero value is a community server with the
// defaults listed on each field.
type Options struct {
	// Addr is where NewServer and Start listen; default "127.0.0.1:0" (a
	// random loopback port).
	Addr string
	// Tick is the task queue's polling period; real server 10s. Default 1s.
	// Phases of a task that take time rather than polls (upload progress,
	// a remote download's transfer) last a fraction of it in real time.
	Tick time.Duration
	// Paused starts the task queue paused: tasks move only when the test
	// calls Step or Drain (or Resume).
	Paused     bool
	AccessTTL  time.Duration // default 1h
	RefreshTTL time.Duration // default 14 days
	// Edition is "community" (default) or "pro". On community, operations the
	// spec marks `x-cloudreve-edition: pro` answer a text/plain HTTP 404.
	Edition   string
	ChunkSize int64 // upload chunk size; default 25 MiB
	// OffsetPagination turns the site setting use_cursor_pagination off:
	// folder listings page by offset (page, total_items), searches still
	// by cursor.
	OffsetPagination bool
	// StoragePolicy is the type of the default storage policy: "local"
	// (default) takes chunks through the API; "s3" hands out presigned part
	// URLs served by the sandbox itself and completes through the S3
	// callback, like a real S3 policy.
	StoragePolicy string
	// Captcha turns on the built-in image CAPTCHA for sign-in, sign-up and
	// reset mails (settings login_captcha, reg_captcha, forget_captcha).
	Captcha bool
	// EmailActivation makes sign-up answer 203 and leave the account
	// inactive until activated (setting email_active).
	EmailActivation bool
	// NoPasskeys turns passkeys off (setting authn_enabled): their
	// operations answer 40019.
	NoPasskeys bool
	// UserPermissions replaces the permissions of the User group, which
	// every account but the administrators is in, as a real site's
	// administrator may. Nil keeps a fresh real server's: share, share
	// download and redirected source (no archives, WebDAV or remote
	// downloads). The first account and CreateAdmin's are in the Admin group.
	UserPermissions []userv1.GroupPermission

	// EventDebounce is how long file events wait for quiet before they are
	// sent (site setting fs_event_push_debounce; real default 5s, the
	// default here too). Tests set a few milliseconds.
	EventDebounce time.Duration
	// EventKeepAlive is the period of the event channel's keep-alive
	// events. Default 30s, as on the real server.
	EventKeepAlive time.Duration
	// EventMaxAge is how long an offline event subscriber is kept, with
	// what happened meanwhile (fs_event_push_max_age). Default 14 days.
	EventMaxAge time.Duration
	// NoFileEvents turns the site setting fs_event_push_enabled off: the
	// event channel answers 40019.
	NoFileEvents bool
	// Version is the release imitated: Version (default) or Version40
	// (versions.go lists what differs).
	Version string
	Logger  *slog.Logger // optional
}

// checked fills in the defaults and rejects what the sandbox cannot imitate.
func (o Options) checked() (Options, upstream.Version, error) {
	if o.Addr == "" {
		o.Addr = "127.0.0.1:0"
	}
	if o.Tick <= 0 {
		o.Tick = time.Second
	}
	if o.AccessTTL <= 0 {
		o.AccessTTL = time.Hour
	}
	if o.RefreshTTL <= 0 {
		o.RefreshTTL = 14 * 24 * time.Hour
	}
	switch o.Edition {
	case "":
		o.Edition = EditionCommunity
	case EditionCommunity, EditionPro:
	default:
		return o, upstream.Version{}, fmt.Errorf("sandbox: Options.Edition %q: want %q or %q", o.Edition, EditionCommunity, EditionPro)
	}
	switch o.StoragePolicy {
	case "", "local", "s3":
	default:
		return o, upstream.Version{}, fmt.Errorf("sandbox: Options.StoragePolicy %q: want \"local\" or \"s3\"", o.StoragePolicy)
	}
	if o.EventDebounce <= 0 {
		o.EventDebounce = 5 * time.Second
	}
	if o.EventKeepAlive <= 0 {
		o.EventKeepAlive = 30 * time.Second
	}
	if o.EventMaxAge <= 0 {
		o.EventMaxAge = 14 * 24 * time.Hour
	}
	if o.ChunkSize <= 0 {
		o.ChunkSize = 25 << 20
	}
	v, err := parseVersion(o.Version)
	if o.Version == "" {
		o.Version = Version
	}
	return o, v, err
}

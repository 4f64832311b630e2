package fileevents

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
)

// namespace of the client ids the facade derives (a random UUID, fixed
// forever: changing it would make every durable watch a new subscriber).
var namespace = uuid.MustParse("6f0c1f1e-4b7e-4d55-9a0b-3c1e2f6d9a41")

// ClientID is the subscriber id of a watcher, the same whenever the same
// parts name it: a durable watch's is made of its user and folder, so a
// restarted facade (or another replica) resumes where the last connection
// stopped. The parts never leave the facade: the id is a name-based UUID
// (version 5) of them.
func ClientID(parts ...string) string {
	return uuid.NewSHA1(namespace, []byte(strings.Join(parts, "\x00"))).String()
}

// NewClientID is the id of a watcher that will not come back.
func NewClientID() string { return uuid.NewString() }

// ErrNotAFolderURI: a URI the facade cannot watch.
var ErrNotAFolderURI = errors.New("not a cloudreve:// folder URI")

// CanonicalFolder is the form of a folder URI that names it once:
// percent-encoded like Cloudreve's own URIs, without a trailing slash or
// query, so that "cloudreve://my/a b/" and "cloudreve://my/a%20b" are the
// same watch.
func CanonicalFolder(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "cloudreve" || u.Host == "" {
		return "", ErrNotAFolderURI
	}
	var elems []string
	for _, e := range strings.Split(u.Path, "/") {
		if e != "" {
			elems = append(elems, e)
		}
	}
	out := url.URL{Scheme: "cloudreve", User: u.User, Host: u.Host}
	return strings.TrimSuffix(out.String(), "/") + joinPath(elems), nil
}

// joinPath is "/a/b%20c" of the elements ("" for none).
func joinPath(elems []string) string {
	var b strings.Builder
	for _, e := range elems {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(e))
	}
	return b.String()
}

func pathUnescape(e string) (string, error) { return url.PathUnescape(e) }

// URIOf is the full URI of a path below a folder (a change's From or To).
func URIOf(folder, rel string) string {
	var elems []string
	for _, e := range strings.Split(rel, "/") {
		if e != "" {
			elems = append(elems, e)
		}
	}
	return folder + joinPath(elems)
}

// Target names the watch an event belongs to.
type Target struct {
	UserID string
	// Folder is the canonical URI of the watched folder.
	Folder  string
	WatchID string // empty for a WatchFiles stream
}

// Event is a change as the contracts describe it.
func Event(c Change, t Target, observed time.Time) *eventsv1.FileEvent {
	ev := &eventsv1.FileEvent{
		UserId: t.UserID, FileId: c.FileID, Path: c.From,
		Uri: URIOf(t.Folder, c.From), FolderUri: t.Folder, WatchId: t.WatchID, ObservedAt: timestamppb.New(observed),
	}
	switch c.Type {
	case TypeCreate:
		ev.Kind = eventsv1.FileEventKind_FILE_EVENT_KIND_CREATED
	case TypeModify:
		ev.Kind = eventsv1.FileEventKind_FILE_EVENT_KIND_MODIFIED
	case TypeRename:
		ev.Kind = eventsv1.FileEventKind_FILE_EVENT_KIND_RENAMED
		ev.NewPath, ev.PreviousUri, ev.Uri = c.To, ev.Uri, URIOf(t.Folder, c.To)
	case TypeDelete:
		ev.Kind = eventsv1.FileEventKind_FILE_EVENT_KIND_DELETED
	}
	return ev
}

// Known reports whether a change is of a type the facade understands;
// others (a newer server's) are skipped.
func Known(c Change) bool {
	switch c.Type {
	case TypeCreate, TypeModify, TypeRename, TypeDelete:
		return c.FileID != ""
	}
	return false
}

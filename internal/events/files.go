package events

import (
	"context"
	"strings"

	"github.com/nats-io/nats.go"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
)

const (
	// FileStream captures every file event of the durable folder watches.
	FileStream = "CLOUDREVE_FILES"
	// FileSubjectPrefix is followed by <user_id>.<kind>.
	FileSubjectPrefix = "cloudreve.v1.files"
	// FileEventSchema names the payload message.
	FileEventSchema = "cloudreve.events.v1.FileEvent"
)

// Files publishes and reads file events.
type Files struct {
	*Feed[*eventsv1.FileEvent]
}

// FileDelivered is a file event read from the stream.
type FileDelivered = Delivery[*eventsv1.FileEvent]

var fileSpec = Spec[*eventsv1.FileEvent]{
	Stream: FileStream, Prefix: FileSubjectPrefix,
	Description: "Cloudreve file events of the folders the facade watches",
	New:         func() *eventsv1.FileEvent { return &eventsv1.FileEvent{} },
}

// OpenFiles creates or updates the file stream.
func OpenFiles(ctx context.Context, nc *nats.Conn, cfg Config) (*Files, error) {
	f, err := openFeed(ctx, nc, cfg, fileSpec)
	if err != nil {
		return nil, err
	}
	return &Files{f}, nil
}

// KindName is the subject token and CloudEvents type suffix of a kind:
// created, modified, renamed, deleted, watch_lost.
func KindName(k eventsv1.FileEventKind) string {
	return strings.ToLower(strings.TrimPrefix(k.String(), "FILE_EVENT_KIND_"))
}

// FileSubject of an event: cloudreve.v1.files.<user_id>.<kind>.
func FileSubject(ev *eventsv1.FileEvent) string {
	return FileSubjectPrefix + "." + ev.GetUserId() + "." + KindName(ev.GetKind())
}

// Publish stores one file event under its id; republishing the same id
// within the duplicate window is acknowledged but dropped.
func (f *Files) Publish(ctx context.Context, ev *eventsv1.FileEvent) (Published, error) {
	subject := "files/" + ev.GetFileId()
	if ev.GetFileId() == "" {
		subject = "watches/" + ev.GetWatchId()
	}
	return f.publish(ctx, FileSubject(ev), ev, cloudEvent{
		id: ev.GetId(), typ: "cloudreve.file.v1." + KindName(ev.GetKind()), subject: subject,
		schema: FileEventSchema, time: ev.GetObservedAt().AsTime(),
	})
}

package filewatch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	"github.com/cloudreve-connect/facade/internal/fileevents"
	"github.com/cloudreve-connect/facade/internal/lent"
	"github.com/cloudreve-connect/facade/internal/upstream"
)

// holder is the subscription of one watch this replica holds: connect,
// publish every change, connect again when the connection breaks.
type holder struct {
	cancel context.CancelFunc
	done   chan struct{}
}

func (h *holder) stop() {
	h.cancel()
	<-h.done
}

func (m *Manager) startHolder(ctx context.Context, rec Record) *holder {
	ctx, cancel := context.WithCancel(ctx)
	h := &holder{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(h.done)
		m.hold(ctx, rec)
	}()
	return h
}

// errLost ends a holder whose watch cannot go on; the watch was ended.
var errLost = errors.New("filewatch: the watch was lost")

func (m *Manager) hold(ctx context.Context, rec Record) {
	log := m.cfg.Logger.With("watch_id", rec.WatchID, "user_id", rec.UserID)
	wait := m.cfg.RetryMin
	for ctx.Err() == nil {
		if !m.settle(ctx) {
			return
		}
		started := m.now()
		err := m.connection(ctx, rec)
		switch {
		case ctx.Err() != nil, errors.Is(err, errLost):
			return
		case m.now().Sub(started) > m.cfg.RetryMax:
			wait = m.cfg.RetryMin // it ran for a while: a new failure
		}
		log.Warn("the folder watch's connection ended; connecting again", "error", err, "after", max(wait, m.cfg.Settle))
		m.count(func(s *Stats) { s.Reconnects++ })
		if wait > m.cfg.Settle {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait - m.cfg.Settle):
			}
		}
		wait = min(2*wait, m.cfg.RetryMax)
	}
}

// settle waits Config.Settle before a connection; false when ctx ended.
func (m *Manager) settle(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(m.cfg.Settle):
		return true
	}
}

// connection is one connection of a watch: it returns when it broke, or
// errLost when the watch ended.
func (m *Manager) connection(ctx context.Context, rec Record) error {
	conn, ok, err := m.store.nextConnection(ctx, rec.UserID, rec.WatchID)
	if err != nil {
		return err
	}
	if !ok {
		return errLost // deleted meanwhile; the bucket feed stops this holder
	}
	ch, err := m.open(ctx, rec)
	if err != nil {
		return m.refused(ctx, rec, conn, err)
	}
	defer ch.Close()
	m.count(func(s *Stats) { s.Connects++; s.Connected++ })
	defer m.count(func(s *Stats) { s.Connected-- })
	// Cloudreve closes nothing when the token expires; reads of restored
	// files' places use the same credentials.
	uctx, err := m.credentialsOf(ctx, rec)
	if err != nil {
		uctx = ctx
	}
	target := fileevents.Target{UserID: rec.UserID, Folder: rec.URI, WatchID: rec.WatchID}
	for n := uint64(1); ; {
		c, err := ch.Next()
		if err != nil {
			return err
		}
		if !fileevents.Known(c) {
			continue
		}
		c = fileevents.FixRestored(uctx, m.cfg.API, rec.URI, c)
		ev := fileevents.Event(c, target, m.now())
		ev.Id = fmt.Sprintf("%s.%d.%d", rec.WatchID, conn, n)
		n++
		if !m.leases.OwnsShardOf(rec.WatchID) {
			return errors.New("the shard's lease ran out") // reconcile stops the holder
		}
		if err := m.publish(ctx, ev); err != nil {
			return err
		}
	}
}

// open connects with the watch's credentials, renewing the user's access
// token once when the upstream refuses it.
func (m *Manager) open(ctx context.Context, rec Record) (*fileevents.Channel, error) {
	uctx, err := m.credentialsOf(ctx, rec)
	if err != nil {
		return nil, err
	}
	ch, err := fileevents.Open(uctx, m.cfg.Doer, m.cfg.APIBase, rec.URI, rec.WatchID, m.cfg.IdleTimeout)
	if loginRefused(err) && !rec.Account && m.creds.Renew(ctx, m.cfg.API, rec.UserID) {
		if uctx, err = m.credentialsOf(ctx, rec); err != nil {
			return nil, err
		}
		ch, err = fileevents.Open(uctx, m.cfg.Doer, m.cfg.APIBase, rec.URI, rec.WatchID, m.cfg.IdleTimeout)
	}
	return ch, err
}

func (m *Manager) credentialsOf(ctx context.Context, rec Record) (context.Context, error) {
	if rec.Account {
		return ctx, nil
	}
	t, err := m.creds.Get(ctx, rec.UserID)
	if err != nil {
		return nil, err
	}
	return m.userContext(ctx, &lent.Tokens{AccessToken: t.AccessToken}), nil
}

func loginRefused(err error) bool {
	var ue *upstream.Error
	return errors.As(err, &ue) && (ue.Code == upstream.CodeLoginRequired || ue.Code == upstream.CodeCredentialInvalid)
}

// refused decides whether a failed connection ends the watch: credentials
// that cannot be renewed, a folder that is gone, a channel the upstream no
// longer has. Anything else (the upstream down) is tried again.
func (m *Manager) refused(ctx context.Context, rec Record, conn uint64, err error) error {
	var ue *upstream.Error
	var he *upstream.HTTPError
	reason := eventsv1.WatchLostReason_WATCH_LOST_REASON_UNSPECIFIED
	switch {
	case errors.Is(err, lent.ErrNone):
		reason = eventsv1.WatchLostReason_WATCH_LOST_REASON_CREDENTIALS_UNAVAILABLE
	case loginRefused(err):
		reason = eventsv1.WatchLostReason_WATCH_LOST_REASON_CREDENTIALS_EXPIRED
	case errors.As(err, &ue) && ue.Code == upstream.CodeParentNotExist:
		reason = eventsv1.WatchLostReason_WATCH_LOST_REASON_FOLDER_GONE
	case errors.As(err, &ue) && ue.Code == upstream.CodeFeatureDisabled, errors.As(err, &he) && he.RouteMissing():
		reason = eventsv1.WatchLostReason_WATCH_LOST_REASON_FEATURE_DISABLED
	case errors.As(err, &ue) && (ue.Code == upstream.CodeNoPermission || ue.Code == upstream.CodeGroupNotAllowed):
		reason = eventsv1.WatchLostReason_WATCH_LOST_REASON_PERMISSION_DENIED
	default:
		return err
	}
	m.lose(ctx, rec, conn, reason, upstream.WithoutURL(err).Error())
	return errLost
}

// lose publishes the watch's last event, then ends it.
func (m *Manager) lose(ctx context.Context, rec Record, conn uint64, reason eventsv1.WatchLostReason, detail string) {
	ev := &eventsv1.FileEvent{
		Id: fmt.Sprintf("%s.%d.lost", rec.WatchID, conn), UserId: rec.UserID, Kind: eventsv1.FileEventKind_FILE_EVENT_KIND_WATCH_LOST,
		FolderUri: rec.URI, WatchId: rec.WatchID, ObservedAt: timestamppb.New(m.now()),
		WatchLost: &eventsv1.WatchLost{Reason: reason, Detail: detail},
	}
	if err := m.publish(ctx, ev); err != nil {
		return // tried again on the next connection
	}
	m.count(func(s *Stats) { s.Lost++ })
	m.cfg.Logger.Info("folder watch lost", "watch_id", rec.WatchID, "user_id", rec.UserID, "reason", reason.String())
	if err := m.end(context.WithoutCancel(ctx), rec); err != nil {
		m.cfg.Logger.Warn("ending a lost folder watch failed", "watch_id", rec.WatchID, "error", err)
	}
}

// publish stores an event, trying again (under the same id, so JetStream
// drops a second copy) until it is stored or ctx ends.
func (m *Manager) publish(ctx context.Context, ev *eventsv1.FileEvent) error {
	wait := 50 * time.Millisecond
	for {
		pub, err := m.files.Publish(ctx, ev)
		if err == nil {
			m.count(func(s *Stats) {
				if pub.Duplicate {
					s.Duplicates++
				} else {
					s.Published++
				}
			})
			return nil
		}
		m.count(func(s *Stats) { s.Failed++ })
		m.cfg.Logger.Warn("publishing a file event failed; trying again", "event_id", ev.GetId(), "error", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Second)
	}
}

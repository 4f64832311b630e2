package file

import (
	"context"
	"errors"
	"time"

	"connectrpc.com/connect/v2"

	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1/filev1connect"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/fileevents"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
)

// reconnects bounds the connections WatchFiles opens again in a row after
// the upstream's broke; each resumes the same subscriber.
const reconnects = 3

// WatchFiles relays the folder's event channel, opened with the caller's
// own credentials, for as long as the caller's access token lasts (the
// upstream would go on after it expired).
func (s *Service) WatchFiles(ctx context.Context, req *filev1.WatchFilesRequest, stream filev1connect.FileServiceWatchFilesServerStream) error {
	caller, err := s.identity.Identify(ctx)
	if err != nil {
		return err
	}
	if err := fileevents.Check(ctx, s.versions); err != nil {
		return err
	}
	folder, err := fileevents.CanonicalFolder(req.GetUri())
	if err != nil {
		return rpcerror.InvalidField("uri", err.Error())
	}
	clientID := fileevents.NewClientID()
	if key := req.GetResumeKey(); key != "" {
		clientID = fileevents.ClientID("watch-files", caller.UserID, folder, key)
	}
	live, expired, stop := tokenLifetime(ctx, caller)
	defer stop()
	target := fileevents.Target{UserID: caller.UserID, Folder: folder}

	ch, err := fileevents.Open(live, s.events, s.apiBase, folder, clientID, s.eventIdle)
	for attempt := 0; ; {
		switch {
		case err != nil && expired():
			return tokenExpired(caller)
		case err != nil && ctx.Err() != nil:
			return errStreamEnded
		case err != nil:
			return fileevents.RPCError(err, s.versions)
		}
		began := time.Now()
		err = s.relay(ctx, live, ch, target, stream)
		ch.Close()
		if time.Since(began) > 30*time.Second {
			attempt = 0 // it worked for a while: a new failure
		}
		switch {
		case expired():
			return tokenExpired(caller)
		case ctx.Err() != nil:
			return errStreamEnded
		case connect.CodeOf(err) != connect.CodeUnknown || attempt >= reconnects:
			// The caller went away (a failed send), or the upstream keeps
			// breaking the connection.
			return connect.Errorf(connect.CodeUnavailable, "the upstream's event channel broke: %v", err).WithCause(err)
		}
		attempt++
		s.log.Warn("the file event channel broke; resuming it", "error", err, "attempt", attempt)
		select {
		case <-live.Done():
			continue // expired or canceled: said above on the next pass
		case <-time.After(time.Duration(attempt) * 200 * time.Millisecond):
		}
		ch, err = fileevents.Open(live, s.events, s.apiBase, folder, clientID, s.eventIdle)
	}
}

// relay sends the channel's state, then its changes, until it fails.
func (s *Service) relay(ctx, live context.Context, ch *fileevents.Channel, target fileevents.Target, stream filev1connect.FileServiceWatchFilesServerStream) error {
	state := filev1.WatchFilesState_WATCH_FILES_STATE_SUBSCRIBED
	if ch.Resumed {
		state = filev1.WatchFilesState_WATCH_FILES_STATE_RESUMED
	}
	if err := stream.Send(&filev1.WatchFilesResponse{Item: &filev1.WatchFilesResponse_State{State: state}}); err != nil {
		return connect.NewError(connect.CodeCanceled, err.Error()).WithCause(err)
	}
	for {
		c, err := ch.Next()
		if err != nil {
			return err
		}
		if !fileevents.Known(c) {
			continue
		}
		c = fileevents.FixRestored(live, s.api, target.Folder, c)
		ev := fileevents.Event(c, target, time.Now())
		if err := stream.Send(&filev1.WatchFilesResponse{Item: &filev1.WatchFilesResponse_Event{Event: ev}}); err != nil {
			return connect.NewError(connect.CodeCanceled, err.Error()).WithCause(err)
		}
	}
}

// tokenLifetime is ctx ended when the caller's access token expires (never
// for the service account, which renews its own), and whether that is why
// it ended.
func tokenLifetime(ctx context.Context, caller auth.Caller) (context.Context, func() bool, context.CancelFunc) {
	if caller.Token == "" {
		return ctx, func() bool { return false }, func() {}
	}
	claims, err := auth.ParseClaims(caller.Token)
	if err != nil { // Identify parsed it already
		return ctx, func() bool { return false }, func() {}
	}
	live, cancel := context.WithDeadline(ctx, claims.ExpiresAt())
	return live, func() bool { return ctx.Err() == nil && errors.Is(live.Err(), context.DeadlineExceeded) }, cancel
}

func tokenExpired(caller auth.Caller) error {
	at := ""
	if claims, err := auth.ParseClaims(caller.Token); err == nil {
		at = " at " + claims.ExpiresAt().UTC().Format(time.RFC3339)
	}
	return connect.Errorf(connect.CodeUnauthenticated,
		"the access token expired%s, and the stream with it; call again with a fresh token and the same resume_key to go on where this one stopped", at)
}

// errStreamEnded ends a stream the facade stopped serving (shutdown, or the
// caller went away): Unavailable tells a client to reconnect.
var errStreamEnded = connect.NewError(connect.CodeUnavailable, "the facade ended the stream (shutting down); call again with the same resume_key to go on")

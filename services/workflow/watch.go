package workflow

import (
	"context"
	"errors"
	"fmt"

	"connectrpc.com/connect/v2"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	eventsv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/events/v1"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/events"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/tasks"
	"github.com/cloudreve-connect/facade/internal/watcher"
)

// maxLookupPages bounds the listing read to find a task to watch.
const maxLookupPages = 20

func (s *Service) WatchTask(ctx context.Context, req *workflowv1.WatchTaskRequest, stream workflowv1connect.WorkflowServiceWatchTaskServerStream) error {
	caller, err := s.ensureWatched(ctx, req.GetId())
	if err != nil {
		return err
	}
	return s.follow(ctx, caller.UserID, req.GetId(), func(d events.Delivered) error {
		return stream.Send(&workflowv1.WatchTaskResponse{Event: d.Event, StreamSequence: d.StreamSequence})
	})
}

func (s *Service) WaitTask(ctx context.Context, req *workflowv1.WaitTaskRequest) (*workflowv1.WaitTaskResponse, error) {
	caller, err := s.ensureWatched(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	waitCtx := ctx
	if d := req.GetTimeout(); d != nil {
		var cancel context.CancelFunc
		waitCtx, cancel = context.WithTimeout(ctx, d.AsDuration())
		defer cancel()
	}
	var last *eventsv1.TaskEvent
	err = s.follow(waitCtx, caller.UserID, req.GetId(), func(d events.Delivered) error {
		last = d.Event
		return nil
	})
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return nil, connect.NewError(connect.CodeDeadlineExceeded, "the call's deadline passed before the task finished")
	case waitCtx.Err() == nil:
		return nil, err
	}
	if last == nil {
		return nil, connect.NewError(connect.CodeDeadlineExceeded, "no snapshot of the task arrived before the timeout")
	}
	return &workflowv1.WaitTaskResponse{
		Task:      last.GetTask(),
		Done:      tasks.Terminal(last.GetTask().GetStatus()),
		WatchLost: last.GetWatchLost(),
	}, nil
}

func (s *Service) WatchTasks(ctx context.Context, req *workflowv1.WatchTasksRequest, stream workflowv1connect.WorkflowServiceWatchTasksServerStream) error {
	caller, err := s.identity.Identify(ctx)
	if err != nil {
		return err
	}
	f := events.StartFilter(caller.UserID, req, stream.SendHeaders)
	for _, t := range req.GetTypes() {
		f.Types = append(f.Types, tasks.TypeName(t))
	}
	err = s.bus.Subscribe(ctx, f, func(d events.Delivered) (bool, error) {
		return true, stream.Send(&workflowv1.WatchTasksResponse{Event: d.Event, StreamSequence: d.StreamSequence})
	})
	if ctx.Err() != nil {
		return errStreamEnded
	}
	var resume *events.ResumeError
	if errors.As(err, &resume) {
		return subscriptionEnded(err, fmt.Sprintf("resume with after_sequence=%d", resume.After))
	}
	if errors.Is(err, events.ErrBadFilter) {
		return connect.NewError(connect.CodeInvalidArgument, err.Error()).WithCause(err)
	}
	return connect.NewError(connect.CodeUnavailable, err.Error()).WithCause(err)
}

// subscriptionEnded is the status of a subscription the event bus stopped
// serving: the caller fell behind (ResourceExhausted) or the live feed broke
// (Unavailable). Either way the caller can pick up where it was.
func subscriptionEnded(err error, resume string) error {
	if errors.Is(err, events.ErrLagged) {
		return connect.Errorf(connect.CodeResourceExhausted, "the stream fell behind; %s", resume)
	}
	return connect.Errorf(connect.CodeUnavailable, "the event feed was interrupted; %s", resume)
}

// errStreamEnded ends a stream the facade stopped serving (shutdown, or the
// caller went away): Unavailable tells a client to reconnect and resume.
var errStreamEnded = connect.NewError(connect.CodeUnavailable, "the facade ended the stream (shutting down); reconnect and resume after the last stream_sequence seen")

// follow delivers the newest event of a task and every later one, ending
// after the final event.
func (s *Service) follow(ctx context.Context, userID, taskID string, send func(events.Delivered) error) error {
	err := s.bus.Subscribe(ctx, events.Filter{UserID: userID, ID: taskID, LastPerSubject: true}, func(d events.Delivered) (bool, error) {
		if err := send(d); err != nil {
			return false, err
		}
		return !final(d.Event), nil
	})
	if err != nil && ctx.Err() != nil {
		return errStreamEnded
	}
	if err != nil {
		var ce *connect.Error
		if errors.As(err, &ce) {
			return err
		}
		var resume *events.ResumeError
		if errors.As(err, &resume) {
			// A task's watch always starts at its newest event.
			return subscriptionEnded(err, "call again to continue from the task's newest event")
		}
		if errors.Is(err, events.ErrBadFilter) {
			return connect.NewError(connect.CodeInvalidArgument, err.Error()).WithCause(err)
		}
		return connect.NewError(connect.CodeUnavailable, err.Error()).WithCause(err)
	}
	return nil
}

func final(ev *eventsv1.TaskEvent) bool {
	for _, c := range ev.GetChanges() {
		if c == eventsv1.Change_CHANGE_FINISHED || c == eventsv1.Change_CHANGE_WATCH_LOST {
			return true
		}
	}
	return false
}

// ensureWatched makes sure the caller's task has events to follow, and that
// it is the caller's: another user's task is reported as not found.
func (s *Service) ensureWatched(ctx context.Context, taskID string) (auth.Caller, error) {
	caller, err := s.identity.Identify(ctx)
	if err != nil {
		return caller, err
	}
	notFound := connect.Errorf(connect.CodeNotFound, "task %s not found", taskID)
	if owner, ok := s.watcher.Owner(taskID); ok {
		if owner != caller.UserID {
			return caller, notFound
		}
		return caller, nil
	}
	if last, err := s.bus.LastOfTask(ctx, caller.UserID, taskID); err != nil {
		return caller, connect.NewError(connect.CodeUnavailable, err.Error()).WithCause(err)
	} else if last != nil && final(last) {
		return caller, nil
	}
	t, err := s.lookup(ctx, taskID)
	if err != nil {
		return caller, err
	}
	if t == nil {
		return caller, notFound
	}
	var creds *watcher.Credentials
	if !caller.Account {
		creds = &watcher.Credentials{AccessToken: caller.Token, RefreshToken: caller.RefreshToken}
	}
	if _, err := s.watcher.Watch(ctx, caller.UserID, t, creds); err != nil {
		return caller, connect.NewError(connect.CodeUnavailable, err.Error()).WithCause(err)
	}
	return caller, nil
}

// lookup finds a task in the caller's own listing.
func (s *Service) lookup(ctx context.Context, taskID string) (*cloudreveapi.TaskResponse, error) {
	var hit *cloudreveapi.TaskResponse
	for _, cat := range []cloudreveapi.ListTaskCategory{cloudreveapi.ListTaskCategoryGeneral, cloudreveapi.ListTaskCategoryDownloading, cloudreveapi.ListTaskCategoryDownloaded} {
		_, err := tasks.Walk(ctx, s.api, cat, 100, maxLookupPages, func(_ int, page []cloudreveapi.TaskResponse) bool {
			for i := range page {
				if page[i].Id == taskID {
					hit = &page[i]
					return false
				}
			}
			return true
		})
		if err != nil {
			return nil, rpcerror.FromUpstream(err)
		}
		if hit != nil {
			return hit, nil
		}
	}
	return nil, nil
}

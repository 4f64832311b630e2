package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"

	userv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/user/v1"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
	"github.com/cloudreve-connect/facade/sandbox"
)

// Seeding for the watch scenarios: sandbox accounts with tokens, and
// long-running tasks created through the facade, which watches every task
// created through it.

type watchUser struct {
	id, token string
	tasks     []string
}

// seedUsers creates n accounts in the sandbox, each with an access token.
func seedUsers(sb *sandbox.Server, n int) ([]*watchUser, error) {
	stamp := time.Now().UnixNano()
	users := make([]*watchUser, n)
	for i := range users {
		id, err := sb.CreateUser(fmt.Sprintf("watch-%d-%d@example.com", stamp, i), "watch-password", "")
		if err != nil {
			return nil, fmt.Errorf("sandbox account %d: %w", i, err)
		}
		access, _, err := sb.IssueTokens(id)
		if err != nil {
			return nil, fmt.Errorf("sandbox token %d: %w", i, err)
		}
		users[i] = &watchUser{id: id, token: access}
	}
	return users, nil
}

// seedSlowDownloads creates perUser remote downloads of each user through
// the facade's WorkflowService/CreateRemoteDownload, one call per user with
// perUser sources. Their sources are the sandbox's slow downloader: each
// task is processing for 1,000 ticks after the first one, its progress
// moving four times a tick, until canceled.
func seedSlowDownloads(ctx context.Context, facadeURL string, users []*watchUser, perUser int) error {
	t := h2cTransport()
	defer t.CloseIdleConnections()
	hc := &http.Client{Transport: t}
	const workers = 8
	jobs := make(chan *watchUser)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for u := range jobs {
				client := workflowv1connect.NewWorkflowServiceClient(connect.NewClient(connecthttp.NewTransport(hc, facadeURL, connecthttp.WithGRPC()), bearer(u.token)))
				req := &workflowv1.CreateRemoteDownloadRequest{Dst: "cloudreve://my/"}
				for j := range perUser {
					req.Src = append(req.Src, fmt.Sprintf("%s/%s-%d", sandbox.DownloaderSlowPrefix, u.id, j))
				}
				callCtx, cancel := context.WithTimeout(ctx, time.Minute)
				res, err := client.CreateRemoteDownload(callCtx, req)
				cancel()
				if err == nil && len(res.GetTasks()) != perUser {
					err = fmt.Errorf("CreateRemoteDownload made %d tasks, want %d", len(res.GetTasks()), perUser)
				}
				if err != nil {
					errs <- fmt.Errorf("user %s: %w", u.id, err)
					for range jobs { // drain, so the feeder ends
					}
					return
				}
				for _, task := range res.GetTasks() {
					u.tasks = append(u.tasks, task.GetId())
				}
			}
		})
	}
	for _, u := range users {
		select {
		case jobs <- u:
		case err := <-errs:
			close(jobs)
			wg.Wait()
			return err
		}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	return errors.Join(drain(errs)...)
}

func drain(errs chan error) []error {
	var out []error
	for err := range errs {
		out = append(out, err)
	}
	return out
}

// cancelTasks cancels every task of the users with direct REST calls
// (DELETE /api/v4/workflow/download/{id}).
func cancelTasks(ctx context.Context, upstreamURL string, users []*watchUser) error {
	var errs []error
	for _, u := range users {
		c := newRESTClient(upstreamURL, u.token)
		for _, id := range u.tasks {
			if err := c.call(ctx, http.MethodDelete, "/workflow/download/"+id, nil, nil); err != nil {
				errs = append(errs, fmt.Errorf("canceling task %s: %w", id, err))
			}
		}
		c.close()
	}
	return errors.Join(errs...)
}

// remoteDownloaders lets the sandbox's users start remote downloads, which
// a fresh server's user group may not.
var remoteDownloaders = []userv1.GroupPermission{userv1.GroupPermission_GROUP_PERMISSION_REMOTE_DOWNLOAD}

// Package workflow implements cloudreve.workflow.v1.WorkflowService: it maps
// each RPC onto the Cloudreve REST operation of the same name, registers the
// tasks it starts with the watcher, and serves the watch RPCs from the event
// stream.
package workflow

import (
	"context"
	"log/slog"

	"connectrpc.com/connect"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/events"
	"github.com/cloudreve-connect/facade/internal/rpcerror"
	"github.com/cloudreve-connect/facade/internal/tasks"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
	"github.com/cloudreve-connect/facade/internal/watcher"
)

// Service implements workflowv1connect.WorkflowServiceHandler.
type Service struct {
	client   cloudreveapi.ClientWithResponsesInterface
	watcher  *watcher.Watcher
	bus      *events.Bus
	identity *auth.Identifier
	log      *slog.Logger
}

var _ workflowv1connect.WorkflowServiceHandler = (*Service)(nil)

// New wires the service.
func New(client cloudreveapi.ClientWithResponsesInterface, w *watcher.Watcher, bus *events.Bus, identity *auth.Identifier, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{client: client, watcher: w, bus: bus, identity: identity, log: log}
}

// started registers a task the caller just created with the watcher. The
// upstream accepted the caller's credentials for the creation, so the
// token's subject is the owner.
func (s *Service) started(ctx context.Context, t *cloudreveapi.TaskResponse) {
	caller, err := s.identity.Trusted(ctx)
	if err != nil {
		s.log.Warn("cannot tell who owns a new task; it is not watched", "task_id", t.Id, "error", err)
		return
	}
	var creds *watcher.Credentials
	if !caller.Account {
		creds = &watcher.Credentials{AccessToken: caller.Token, RefreshToken: caller.RefreshToken}
	}
	if _, err := s.watcher.Watch(ctx, caller.UserID, t, creds); err != nil {
		s.log.Warn("watching a new task failed", "task_id", t.Id, "error", err)
	}
}

func (s *Service) CreateArchive(ctx context.Context, req *workflowv1.CreateArchiveRequest) (*workflowv1.CreateArchiveResponse, error) {
	body := cloudreveapi.ArchiveWorkflowService{Src: req.GetSrc(), Dst: req.GetDst(), PreferredNodeId: values.NonZero(req.GetPreferredNodeId())}
	resp, err := s.client.CreateArchiveWithResponse(ctx, body)
	t, err := oneTask("createArchive", resp, err)
	if err != nil {
		return nil, err
	}
	s.started(ctx, t)
	return &workflowv1.CreateArchiveResponse{Task: tasks.FromResponse(t, nil)}, nil
}

func (s *Service) ExtractArchive(ctx context.Context, req *workflowv1.ExtractArchiveRequest) (*workflowv1.ExtractArchiveResponse, error) {
	body := cloudreveapi.ArchiveWorkflowService{
		Src: req.GetSrc(), Dst: req.GetDst(), Encoding: values.NonZero(req.GetEncoding()), Password: values.NonZero(req.GetPassword()),
		PreferredNodeId: values.NonZero(req.GetPreferredNodeId()),
	}
	if len(req.GetFileMask()) > 0 {
		mask := req.GetFileMask()
		body.FileMask = &mask
	}
	resp, err := s.client.ExtractArchiveWithResponse(ctx, body)
	t, err := oneTask("extractArchive", resp, err)
	if err != nil {
		return nil, err
	}
	s.started(ctx, t)
	return &workflowv1.ExtractArchiveResponse{Task: tasks.FromResponse(t, nil)}, nil
}

func (s *Service) CreateRemoteDownload(ctx context.Context, req *workflowv1.CreateRemoteDownloadRequest) (*workflowv1.CreateRemoteDownloadResponse, error) {
	body := cloudreveapi.DownloadWorkflowService{Dst: req.GetDst(), SrcFile: values.NonZero(req.GetSrcFile()), PreferredNodeId: values.NonZero(req.GetPreferredNodeId())}
	if len(req.GetSrc()) > 0 {
		src := req.GetSrc()
		body.Src = &src
	}
	resp, err := s.client.CreateRemoteDownloadWithResponse(ctx, body)
	if err := upstream.Check("createRemoteDownload", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	out := &workflowv1.CreateRemoteDownloadResponse{}
	if resp.JSON200.Data != nil {
		for i := range *resp.JSON200.Data {
			t := &(*resp.JSON200.Data)[i]
			s.started(ctx, t)
			out.Tasks = append(out.Tasks, tasks.FromResponse(t, nil))
		}
	}
	return out, nil
}

func (s *Service) SelectFilesToDownload(ctx context.Context, req *workflowv1.SelectFilesToDownloadRequest) (*workflowv1.SelectFilesToDownloadResponse, error) {
	body := cloudreveapi.SetDownloadFilesService{}
	for _, f := range req.GetFiles() {
		download := f.GetDownload()
		body.Files = append(body.Files, cloudreveapi.SetFileToDownloadArgs{Index: int(f.GetIndex()), Download: &download})
	}
	resp, err := s.client.SelectFilesToDownloadWithResponse(ctx, req.GetId(), body)
	if err := upstream.Check("selectFilesToDownload", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &workflowv1.SelectFilesToDownloadResponse{}, nil
}

func (s *Service) CancelTask(ctx context.Context, req *workflowv1.CancelTaskRequest) (*workflowv1.CancelTaskResponse, error) {
	resp, err := s.client.CancelTaskWithResponse(ctx, req.GetId())
	if err := upstream.Check("cancelTask", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	return &workflowv1.CancelTaskResponse{}, nil
}

var categories = map[workflowv1.TaskCategory]cloudreveapi.ListTaskCategory{
	workflowv1.TaskCategory_TASK_CATEGORY_GENERAL:     cloudreveapi.ListTaskCategoryGeneral,
	workflowv1.TaskCategory_TASK_CATEGORY_DOWNLOADING: cloudreveapi.ListTaskCategoryDownloading,
	workflowv1.TaskCategory_TASK_CATEGORY_DOWNLOADED:  cloudreveapi.ListTaskCategoryDownloaded,
}

func (s *Service) ListTasks(ctx context.Context, req *workflowv1.ListTasksRequest) (*workflowv1.ListTasksResponse, error) {
	params := &cloudreveapi.ListTasksParams{
		PageSize: int(req.GetPageSize()), Category: categories[req.GetCategory()], NextPageToken: values.NonZero(req.GetNextPageToken()),
	}
	resp, err := s.client.ListTasksWithResponse(ctx, params)
	if err := upstream.Check("listTasks", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	out := &workflowv1.ListTasksResponse{}
	if data := resp.JSON200.Data; data != nil {
		for i := range data.Tasks {
			out.Tasks = append(out.Tasks, tasks.FromResponse(&data.Tasks[i], nil))
		}
		out.NextPageToken = values.Deref(data.Pagination.NextToken)
	}
	return out, nil
}

func (s *Service) GetTaskProgress(ctx context.Context, req *workflowv1.GetTaskProgressRequest) (*workflowv1.GetTaskProgressResponse, error) {
	resp, err := s.client.GetTaskProgressWithResponse(ctx, req.GetId())
	if err := upstream.Check("getTaskProgress", resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	out := &workflowv1.GetTaskProgressResponse{}
	if resp.JSON200.Data != nil {
		out.Progress = tasks.FromProgress(*resp.JSON200.Data)
	}
	return out, nil
}

func (s *Service) RelocateStoragePolicy(ctx context.Context, req *workflowv1.RelocateStoragePolicyRequest) (*workflowv1.RelocateStoragePolicyResponse, error) {
	resp, err := s.client.RelocateStoragePolicyWithResponse(ctx, cloudreveapi.RelocateWorkflowService{Src: req.GetSrc(), DstPolicyId: req.GetDstPolicyId()})
	t, err := oneTask("relocateStoragePolicy", resp, err)
	if err != nil {
		return nil, err
	}
	s.started(ctx, t)
	return &workflowv1.RelocateStoragePolicyResponse{Task: tasks.FromResponse(t, nil)}, nil
}

func (s *Service) ImportExternalFiles(ctx context.Context, req *workflowv1.ImportExternalFilesRequest) (*workflowv1.ImportExternalFilesResponse, error) {
	recursive, media := req.GetRecursive(), req.GetExtractMediaMeta()
	body := cloudreveapi.ImportWorkflowService{
		Src: req.GetSrc(), Dst: req.GetDst(), UserId: req.GetUserId(), PolicyId: int(req.GetPolicyId()),
		Recursive: &recursive, ExtractMediaMeta: &media,
	}
	resp, err := s.client.ImportExternalFilesWithResponse(ctx, body)
	t, err := oneTask("importExternalFiles", resp, err)
	if err != nil {
		return nil, err
	}
	// The task belongs to the admin who asked for it, not to user_id.
	s.started(ctx, t)
	return &workflowv1.ImportExternalFilesResponse{Task: tasks.FromResponse(t, nil)}, nil
}

type taskResponse interface {
	upstream.Response
	GetJSON200() *cloudreveapi.TaskResponseEnvelope
}

// oneTask checks an answer whose data is one task.
func oneTask[R taskResponse](op string, resp R, err error) (*cloudreveapi.TaskResponse, error) {
	if err := upstream.Check(op, resp, err); err != nil {
		return nil, rpcerror.FromUpstream(err)
	}
	env := resp.GetJSON200()
	if env == nil || env.Data == nil {
		return nil, connect.NewError(connect.CodeInternal, &upstream.HTTPError{Op: op, StatusCode: resp.StatusCode(), Reason: "answer without a task"})
	}
	return env.Data, nil
}

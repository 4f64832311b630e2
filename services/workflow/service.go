// Package workflow implements cloudreve.workflow.v1.WorkflowService: it maps
// each RPC onto the Cloudreve REST operation of the same name, registers the
// tasks it starts with the watcher, and serves the watch RPCs from the event
// stream.
package workflow

import (
	"context"
	"log/slog"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	workflowv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1"
	"github.com/cloudreve-connect/facade/gen/go/cloudreve/workflow/v1/workflowv1connect"
	"github.com/cloudreve-connect/facade/internal/auth"
	"github.com/cloudreve-connect/facade/internal/call"
	"github.com/cloudreve-connect/facade/internal/events"
	"github.com/cloudreve-connect/facade/internal/pagetoken"
	"github.com/cloudreve-connect/facade/internal/tasks"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
	"github.com/cloudreve-connect/facade/internal/watcher"
)

// Service implements workflowv1connect.WorkflowServiceHandler.
type Service struct {
	api      cloudreveapi.ClientInterface
	watcher  *watcher.Watcher
	bus      *events.Bus
	identity *auth.Identifier
	versions *upstream.VersionTracker
	log      *slog.Logger
}

var _ workflowv1connect.WorkflowServiceHandler = (*Service)(nil)

// New wires the service; versions tells which request fields the upstream
// honours (nil: all of them).
func New(api cloudreveapi.ClientInterface, w *watcher.Watcher, bus *events.Bus, identity *auth.Identifier, versions *upstream.VersionTracker, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{api: api, watcher: w, bus: bus, identity: identity, versions: versions, log: log}
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
	t, err := task("createArchive").Need(s.api.CreateArchive(ctx, body))
	if err != nil {
		return nil, err
	}
	s.started(ctx, t)
	return &workflowv1.CreateArchiveResponse{Task: tasks.FromResponse(t, nil)}, nil
}

func (s *Service) ExtractArchive(ctx context.Context, req *workflowv1.ExtractArchiveRequest) (*workflowv1.ExtractArchiveResponse, error) {
	// Older servers would extract everything, or fail on an encrypted
	// archive only once the task runs.
	if req.GetPassword() != "" {
		if err := call.Field(ctx, s.versions, upstream.FeatureExtractPassword); err != nil {
			return nil, err
		}
	}
	if len(req.GetFileMask()) > 0 {
		if err := call.Field(ctx, s.versions, upstream.FeatureExtractFileMask); err != nil {
			return nil, err
		}
	}
	body := cloudreveapi.ArchiveWorkflowService{
		Src: req.GetSrc(), Dst: req.GetDst(), Encoding: values.NonZero(req.GetEncoding()), Password: values.NonZero(req.GetPassword()),
		PreferredNodeId: values.NonZero(req.GetPreferredNodeId()),
	}
	if len(req.GetFileMask()) > 0 {
		mask := req.GetFileMask()
		body.FileMask = &mask
	}
	t, err := task("extractArchive").Need(s.api.ExtractArchive(ctx, body))
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
	items := req.GetSrc()
	if f := req.GetSrcFile(); f != "" {
		items = append(append([]string(nil), items...), f)
	}
	data, err := call.Op[[]cloudreveapi.TaskResponse]("createRemoteDownload").Over(items).Do(s.api.CreateRemoteDownload(ctx, body))
	if err != nil {
		return nil, err
	}
	out := &workflowv1.CreateRemoteDownloadResponse{}
	if data != nil {
		for i := range *data {
			t := &(*data)[i]
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
	if err := call.Action("selectFilesToDownload").Do(s.api.SelectFilesToDownload(ctx, req.GetId(), body)); err != nil {
		return nil, err
	}
	return &workflowv1.SelectFilesToDownloadResponse{}, nil
}

func (s *Service) CancelTask(ctx context.Context, req *workflowv1.CancelTaskRequest) (*workflowv1.CancelTaskResponse, error) {
	if err := call.Action("cancelTask").Do(s.api.CancelTask(ctx, req.GetId())); err != nil {
		return nil, err
	}
	return &workflowv1.CancelTaskResponse{}, nil
}

var categories = map[workflowv1.TaskCategory]cloudreveapi.ListTaskCategory{
	workflowv1.TaskCategory_TASK_CATEGORY_GENERAL:     cloudreveapi.ListTaskCategoryGeneral,
	workflowv1.TaskCategory_TASK_CATEGORY_DOWNLOADING: cloudreveapi.ListTaskCategoryDownloading,
	workflowv1.TaskCategory_TASK_CATEGORY_DOWNLOADED:  cloudreveapi.ListTaskCategoryDownloaded,
}

func (s *Service) ListTasks(ctx context.Context, req *workflowv1.ListTasksRequest) (*workflowv1.ListTasksResponse, error) {
	tok, err := pagetoken.Parse("page_token", req.GetPageToken())
	if err != nil {
		return nil, err
	}
	params := &cloudreveapi.ListTasksParams{
		PageSize: int(req.GetPageSize()), Category: categories[req.GetCategory()], NextPageToken: tok.CursorParam(),
	}
	data, err := call.Op[cloudreveapi.TaskListResponse]("listTasks").Do(s.api.ListTasks(ctx, params))
	if err != nil {
		return nil, err
	}
	out := &workflowv1.ListTasksResponse{}
	if data != nil {
		for i := range data.Tasks {
			out.Tasks = append(out.Tasks, tasks.FromResponse(&data.Tasks[i], nil))
		}
		out.NextPageToken = pagetoken.Next(&data.Pagination)
	}
	return out, nil
}

func (s *Service) GetTaskProgress(ctx context.Context, req *workflowv1.GetTaskProgressRequest) (*workflowv1.GetTaskProgressResponse, error) {
	data, err := call.Op[map[string]cloudreveapi.Progress]("getTaskProgress").Do(s.api.GetTaskProgress(ctx, req.GetId()))
	if err != nil {
		return nil, err
	}
	out := &workflowv1.GetTaskProgressResponse{}
	if data != nil {
		out.Progress = tasks.FromProgress(*data)
	}
	return out, nil
}

func (s *Service) RelocateStoragePolicy(ctx context.Context, req *workflowv1.RelocateStoragePolicyRequest) (*workflowv1.RelocateStoragePolicyResponse, error) {
	t, err := task("relocateStoragePolicy").Need(s.api.RelocateStoragePolicy(ctx, cloudreveapi.RelocateWorkflowService{Src: req.GetSrc(), DstPolicyId: req.GetDstPolicyId()}))
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
	t, err := task("importExternalFiles").Need(s.api.ImportExternalFiles(ctx, body))
	if err != nil {
		return nil, err
	}
	// The task belongs to the admin who asked for it, not to user_id.
	s.started(ctx, t)
	return &workflowv1.ImportExternalFilesResponse{Task: tasks.FromResponse(t, nil)}, nil
}

// task is an operation whose answer is the one task it created.
type task = call.Op[cloudreveapi.TaskResponse]

package sandbox

import (
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/upstream"
	"github.com/cloudreve-connect/facade/internal/values"
)

// What the task operations ask of the store: queue a task of each type,
// list, watch and cancel. Answers are taskViews, copies taken under mu, so
// that handlers can render them while runners go on changing the tasks.

// taskView is a task as it was when the store answered.
type taskView struct {
	task
	download *cloudreveapi.DownloadTaskStatus // remote downloads only
}

// view copies t. Callers hold mu.
func (t *task) view() taskView {
	v := taskView{task: *t}
	v.progress = maps.Clone(t.progress)
	v.errHistory = slices.Clone(t.errHistory)
	v.cancel, v.dl = nil, nil
	if t.dl != nil {
		v.download = values.Ptr(t.dl.status())
	}
	return v
}

// queueTask registers a task of u and starts its timeline. Callers hold mu.
func (st *store) queueTask(u *user, typ cloudreveapi.TaskType, props cloudreveapi.TaskSummaryProps, run func(r *runner)) taskView {
	t := st.newTask(u, typ, props)
	st.startTask(t, run)
	return t.view()
}

// startArchive queues the compression of srcs into the new file dst.
func (st *store) startArchive(u *user, srcs []string, dstRaw string, dst *fsURI) (taskView, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if aerr := st.checkNewFile(u, dst); aerr != nil {
		return taskView{}, aerr
	}
	srcs = slices.Clone(srcs)
	props := cloudreveapi.TaskSummaryProps{SrcMultiple: &srcs, Dst: values.Ptr(dstRaw), Failed: values.Ptr(0)}
	return st.queueTask(u, cloudreveapi.TaskTypeCreateArchive, props, func(r *runner) { r.runArchive(srcs, dst) }), nil
}

// startExtract queues the extraction of an archive into the folder dst
// (created when missing); mask limits it to some entries.
func (st *store) startExtract(u *user, srcRaw, dstRaw string, src, dst *fsURI, mask []string) (taskView, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if n, aerr := st.lookup(u, dst); aerr == nil && !n.folder {
		return taskView{}, fail(upstream.CodeParamError, "Invalid destination")
	}
	props := cloudreveapi.TaskSummaryProps{Src: values.Ptr(srcRaw), Dst: values.Ptr(dstRaw)}
	return st.queueTask(u, cloudreveapi.TaskTypeExtractArchive, props, func(r *runner) { r.runExtract(src, dst, mask) }), nil
}

// startDownloads queues one remote download per source into the folder
// dst: the URLs of srcs, or the torrent file srcFile.
func (st *store) startDownloads(u *user, srcs []string, srcFile, dstRaw string, dst *fsURI) ([]taskView, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if n, aerr := st.lookup(u, dst); aerr != nil || !n.folder {
		return nil, fail(upstream.CodeParamError, "Invalid destination")
	}
	var plans []dlPlan
	if srcFile != "" {
		n, aerr := st.resolve(u, srcFile)
		if aerr != nil || n.folder {
			return nil, fail(upstream.CodeParamError, "Invalid source files")
		}
		plans = append(plans, st.planTorrent(n))
	}
	for _, src := range srcs {
		plans = append(plans, st.planDownload(src))
	}
	var out []taskView
	for _, plan := range plans {
		props := cloudreveapi.TaskSummaryProps{SrcStr: values.Ptr(plan.src), Src: values.Ptr(""), Dst: values.Ptr(dstRaw), Failed: values.Ptr(0)}
		if srcFile != "" {
			props.SrcStr, props.Src = values.Ptr(""), values.Ptr(srcFile)
		}
		out = append(out, st.queueTask(u, cloudreveapi.TaskTypeRemoteDownload, props, func(r *runner) { r.runDownload(plan, dst) }))
	}
	return out, nil
}

// startImport queues an administrator's import of external files into the
// drive of the account ownerHID.
func (st *store) startImport(u *user, ownerHID, src, dstPath string, policyID int) (taskView, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.ids.decode(kindUser, ownerHID); !ok {
		return taskView{}, fail(upstream.CodeParamError, "Failed to parse object ID")
	}
	if st.userByHID(ownerHID) == nil {
		return taskView{}, fail(upstream.CodeDBError, "Failed to get user")
	}
	if policyID != 1 {
		return taskView{}, fail(upstream.CodeStoragePolicyMissing, "Storage policy not found")
	}
	dst := "cloudreve://" + ownerHID + "@my/" + strings.TrimLeft(dstPath, "/")
	props := cloudreveapi.TaskSummaryProps{
		SrcStr: values.Ptr(src), Dst: values.Ptr(strings.TrimSuffix(dst, "/")), Failed: values.Ptr(0),
		DstPolicyId: values.Ptr(st.ids.encode(kindPolicy, 1)),
	}
	return st.queueTask(u, cloudreveapi.TaskTypeImport, props, func(r *runner) { r.runQuick("indexed") }), nil
}

// startRelocate queues the move of srcs to the storage policy policyHID.
func (st *store) startRelocate(u *user, srcs []string, policyHID string) (taskView, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, src := range srcs {
		if _, aerr := st.resolve(u, src); aerr != nil {
			return taskView{}, aerr
		}
	}
	srcs = slices.Clone(srcs)
	props := cloudreveapi.TaskSummaryProps{SrcMultiple: &srcs, DstPolicyId: values.Ptr(policyHID), Failed: values.Ptr(0)}
	return st.queueTask(u, cloudreveapi.TaskTypeRelocate, props, func(r *runner) { r.runQuick("relocate") }), nil
}

// tasksOf lists the tasks of u that match and whose id is below before (0:
// any), newest first.
func (st *store) tasksOf(u *user, match func(t *task) bool, before int64) []taskView {
	return st.taskViews(func(t *task) bool {
		return t.owner == u && match(t) && (before == 0 || t.id < before)
	}, true)
}

// taskViews lists every task that matches, by id.
func (st *store) taskViews(match func(t *task) bool, newestFirst bool) []taskView {
	st.mu.Lock()
	defer st.mu.Unlock()
	var list []*task
	for _, t := range st.tasks {
		if match(t) {
			list = append(list, t)
		}
	}
	sort.Slice(list, func(i, j int) bool { return (list[i].id < list[j].id) != newestFirst })
	out := make([]taskView, len(list))
	for i, t := range list {
		out[i] = t.view()
	}
	return out
}

// taskProgress is the counters of a processing task its owner (or an
// administrator) may see; nil in every other case.
func (st *store) taskProgress(u *user, hid string) map[string]cloudreveapi.Progress {
	st.mu.Lock()
	defer st.mu.Unlock()
	if id, ok := st.ids.decode(kindTask, hid); ok {
		if t := st.tasks[id]; t != nil && (t.owner == u || (u != nil && u.admin)) && t.status == cloudreveapi.TaskStatusProcessing {
			return maps.Clone(t.progress)
		}
	}
	return nil
}

// cancelTask cancels a running remote download of u; a running task of
// another type goes on, and that is no error either.
func (st *store) cancelTask(u *user, hid string) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	t, aerr := st.runningTask(u, hid)
	if aerr != nil {
		return aerr
	}
	if t.typ == cloudreveapi.TaskTypeRemoteDownload {
		st.finish(t, cloudreveapi.TaskStatusCanceled)
		close(t.cancel)
	}
	return nil
}

// dlSelection turns one file of a remote download on or off.
type dlSelection struct {
	index    int
	download bool
}

// selectDownloadFiles changes which files a remote download in its
// monitoring loop transfers.
func (st *store) selectDownloadFiles(u *user, hid string, sel []dlSelection) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	t, aerr := st.runningTask(u, hid)
	if aerr != nil {
		return aerr
	}
	if t.status != cloudreveapi.TaskStatusProcessing && t.status != cloudreveapi.TaskStatusSuspending {
		return fail(upstream.CodeNotFound, "Task not in processing state")
	}
	if t.phase != phaseMonitor || t.dl == nil {
		return fail(upstream.CodeNotFound, "Task not in monitoring loop")
	}
	for _, f := range sel {
		if f.index < 0 || f.index >= len(t.dl.files) {
			return fail(upstream.CodeInternalSetting, "Failed to select files: index %d out of range", f.index)
		}
	}
	for _, f := range sel {
		t.dl.files[f.index].selected = f.download
	}
	t.updated = time.Now()
	return nil
}

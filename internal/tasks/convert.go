// Package tasks converts Cloudreve task answers into the task contract
// (cloudreve.task.v1), for the workflow service and the task watcher alike.
package tasks

import (
	"encoding/json"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	taskv1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/task/v1"
	"github.com/cloudreve-connect/facade/internal/values"
)

var statuses = map[cloudreveapi.TaskStatus]taskv1.TaskStatus{
	"queued":     taskv1.TaskStatus_TASK_STATUS_QUEUED,
	"processing": taskv1.TaskStatus_TASK_STATUS_PROCESSING,
	"suspending": taskv1.TaskStatus_TASK_STATUS_SUSPENDING,
	"error":      taskv1.TaskStatus_TASK_STATUS_ERROR,
	"canceled":   taskv1.TaskStatus_TASK_STATUS_CANCELED,
	"completed":  taskv1.TaskStatus_TASK_STATUS_COMPLETED,
}

var types = map[cloudreveapi.TaskType]taskv1.TaskType{
	"create_archive":    taskv1.TaskType_TASK_TYPE_CREATE_ARCHIVE,
	"extract_archive":   taskv1.TaskType_TASK_TYPE_EXTRACT_ARCHIVE,
	"remote_download":   taskv1.TaskType_TASK_TYPE_REMOTE_DOWNLOAD,
	"import":            taskv1.TaskType_TASK_TYPE_IMPORT,
	"relocate":          taskv1.TaskType_TASK_TYPE_RELOCATE,
	"full_text_rebuild": taskv1.TaskType_TASK_TYPE_FULL_TEXT_REBUILD,
}

var downloadStates = map[cloudreveapi.DownloaderState]taskv1.DownloadState{
	"downloading": taskv1.DownloadState_DOWNLOAD_STATE_DOWNLOADING,
	"seeding":     taskv1.DownloadState_DOWNLOAD_STATE_SEEDING,
	"completed":   taskv1.DownloadState_DOWNLOAD_STATE_COMPLETED,
	"error":       taskv1.DownloadState_DOWNLOAD_STATE_ERROR,
	"unknown":     taskv1.DownloadState_DOWNLOAD_STATE_UNKNOWN,
}

// Terminal reports whether a task in this status will not change any more.
func Terminal(s taskv1.TaskStatus) bool {
	switch s {
	case taskv1.TaskStatus_TASK_STATUS_COMPLETED, taskv1.TaskStatus_TASK_STATUS_ERROR, taskv1.TaskStatus_TASK_STATUS_CANCELED:
		return true
	}
	return false
}

// TypeName is the upstream name of a task type ("create_archive", …), as used
// in event subjects; "unknown" for a type the contract does not name.
func TypeName(t taskv1.TaskType) string {
	for name, v := range types {
		if v == t {
			return string(name)
		}
	}
	return "unknown"
}

// FromResponse converts one upstream task. progress may be nil.
func FromResponse(r *cloudreveapi.TaskResponse, progress map[string]cloudreveapi.Progress) *taskv1.Task {
	t := &taskv1.Task{
		Id:           r.Id,
		Type:         types[r.Type],
		Status:       statuses[r.Status],
		Error:        values.Deref(r.Error),
		ErrorHistory: values.DerefSlice(r.ErrorHistory),
		CreatedAt:    values.Timestamp(r.CreatedAt),
		UpdatedAt:    values.Timestamp(r.UpdatedAt),
		Progress:     FromProgress(progress),
	}
	if r.RetryCount != nil {
		t.RetryCount = int32(*r.RetryCount)
	}
	if r.Duration != nil {
		t.Duration = durationpb.New(time.Duration(*r.Duration) * time.Millisecond)
	}
	if r.ResumeTime != nil && *r.ResumeTime > 0 {
		t.ResumeTime = timestamppb.New(time.Unix(*r.ResumeTime, 0))
	}
	if n := r.Node; n != nil {
		t.Node = &taskv1.Node{Id: n.Id, Name: n.Name, Capabilities: n.Capabilities}
		switch n.Type {
		case "master":
			t.Node.Type = taskv1.NodeType_NODE_TYPE_MASTER
		case "slave":
			t.Node.Type = taskv1.NodeType_NODE_TYPE_SLAVE
		}
	}
	if r.Summary != nil {
		t.Phase = values.Deref(r.Summary.Phase)
		if r.Summary.Props != nil {
			t.Summary = summary(r.Summary.Props)
		}
	}
	return t
}

// FromProgress converts a progress map; nil and empty give nil.
func FromProgress(progress map[string]cloudreveapi.Progress) map[string]*taskv1.Progress {
	if len(progress) == 0 {
		return nil
	}
	out := make(map[string]*taskv1.Progress, len(progress))
	for k, p := range progress {
		out[k] = &taskv1.Progress{Total: p.Total, Current: p.Current, Identifier: p.Identifier}
	}
	return out
}

func summary(p *cloudreveapi.TaskSummaryProps) *taskv1.TaskSummary {
	s := &taskv1.TaskSummary{
		SrcMultiple: values.DerefSlice(p.SrcMultiple),
		Src:         values.Deref(p.Src),
		SrcStr:      values.Deref(p.SrcStr),
		Dst:         values.Deref(p.Dst),
		DstPolicyId: values.Deref(p.DstPolicyId),
	}
	if p.Failed != nil {
		s.Failed = int32(*p.Failed)
	}
	if d := p.Download; d != nil {
		s.Download = &taskv1.DownloadStatus{
			Name: d.Name, State: downloadStates[d.State], Total: d.Total, Downloaded: d.Downloaded,
			DownloadSpeed: d.DownloadSpeed, Uploaded: d.Uploaded, UploadSpeed: d.UploadSpeed,
			Hash: values.Deref(d.Hash), ErrorMessage: values.Deref(d.ErrorMessage),
		}
		if d.NumPieces != nil {
			s.Download.NumPieces = int32(*d.NumPieces)
		}
		if d.Files != nil {
			for _, f := range *d.Files {
				s.Download.Files = append(s.Download.Files, &taskv1.DownloadFile{
					Index: int32(f.Index), Name: f.Name, Size: f.Size, Progress: f.Progress, Selected: f.Selected,
				})
			}
		}
	}
	s.Props = propsStruct(p)
	return s
}

// propsStruct is every prop, known or not, as the upstream sent it. It is
// built from the decoded fields rather than by encoding them to JSON and
// decoding that again: a task listing converts many of them.
func propsStruct(p *cloudreveapi.TaskSummaryProps) *structpb.Struct {
	m := make(map[string]any, len(p.AdditionalProperties)+8)
	for k, v := range p.AdditionalProperties {
		m[k] = v // decoded from JSON: already what structpb takes
	}
	putString := func(key string, v *string) {
		if v != nil {
			m[key] = *v
		}
	}
	putInt := func(key string, v *int) {
		if v != nil {
			m[key] = float64(*v) // a JSON number, as a decoder gives it
		}
	}
	putString("dst", p.Dst)
	putString("dst_policy_id", p.DstPolicyId)
	putString("src", p.Src)
	putString("src_str", p.SrcStr)
	putInt("failed", p.Failed)
	putInt("total", p.Total)
	if p.SrcMultiple != nil {
		list := make([]any, len(*p.SrcMultiple))
		for i, u := range *p.SrcMultiple {
			list[i] = u
		}
		m["src_multiple"] = list
	}
	if p.Download != nil {
		// Remote downloads only, and a nested object of its own: the
		// generic way is fine here.
		if v, ok := jsonValue(p.Download); ok {
			m["download"] = v
		}
	}
	st, err := structpb.NewStruct(m)
	if err != nil {
		return nil
	}
	return st
}

func jsonValue(v any) (any, bool) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, false
	}
	return out, true
}

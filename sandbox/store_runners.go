package sandbox

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
)

// Task timelines, scaled to Options.Tick like the real queue (which polls
// every 10 s): a queued task starts at the next poll, a suspended one resumes
// at the following poll.

const (
	phaseCompress = "compress_files"
	phaseUpload   = "upload_archive"
	progressSteps = 5
)

// step runs fn under mu unless the task finished; a non-empty result fails
// the task with that message. It reports whether the task goes on.
func (r *runner) step(fn func(t *task) string) bool {
	ok := false
	r.set(func(t *task) {
		if msg := fn(t); msg != "" {
			t.errMsg = msg
			t.errHistory = append(t.errHistory, msg)
			r.st.finish(t, cloudreveapi.TaskStatusError)
			return
		}
		ok = true
	})
	return ok
}

// runArchive: queued → suspending/compress_files → suspending/upload_archive
// → processing/upload_archive (upload progress, about half a tick) →
// completed, with a real zip at dst.
func (r *runner) runArchive(srcs []string, dst *fsURI) {
	if !r.waitTick() {
		return
	}
	var data []byte
	if !r.step(func(t *task) string {
		var nodes []*fsNode
		for _, src := range srcs {
			n, aerr := r.st.resolve(t.owner, src)
			if aerr != nil {
				return fmt.Sprintf("failed to compress files: failed to get file %q: %s", src, aerr.msg)
			}
			nodes = append(nodes, n)
		}
		var err error
		if data, err = zipNodes(nodes); err != nil {
			return "failed to compress files: " + err.Error()
		}
		r.suspend(t, phaseCompress)
		return ""
	}) || !r.waitTick() {
		return
	}
	if !r.set(func(t *task) { r.suspend(t, phaseUpload) }) || !r.waitTick() {
		return
	}
	total := int64(len(data))
	if !r.progress(cloudreveapi.TaskStatusProcessing, phaseUpload, "upload", total, r.st.opts.Tick/2) {
		return
	}
	r.step(func(t *task) string {
		if _, aerr := r.st.writeFile(t.owner, dst, data, nil, ""); aerr != nil {
			return "failed to upload archive: " + aerr.msg
		}
		r.st.finish(t, cloudreveapi.TaskStatusCompleted)
		return ""
	})
}

func (r *runner) suspend(t *task, phase string) {
	t.status, t.phase = cloudreveapi.TaskStatusSuspending, phase
	t.progress = nil
	t.resume = time.Now().Add(r.st.opts.Tick)
}

// progress puts the task in status/phase and grows one counter to total over
// d, in a few steps.
func (r *runner) progress(status cloudreveapi.TaskStatus, phase, key string, total int64, d time.Duration) bool {
	if !r.set(func(t *task) {
		t.status, t.phase, t.resume = status, phase, time.Time{}
		t.progress = nil
		t.setProgress(key, total, 0)
	}) {
		return false
	}
	for i := int64(1); i <= progressSteps; i++ {
		if !r.sleep(d/progressSteps) || !r.set(func(t *task) { t.setProgress(key, total, total*i/progressSteps) }) {
			return false
		}
	}
	return true
}

// runExtract: queued → processing (extract_count/extract_size grow, total 0)
// → completed with the entries created under dst.
func (r *runner) runExtract(src, dst *fsURI, mask []string) {
	if !r.waitTick() {
		return
	}
	var files []*zip.File
	if !r.step(func(t *task) string {
		t.status, t.phase = cloudreveapi.TaskStatusProcessing, ""
		t.setProgress("extract_count", 0, 0)
		t.setProgress("extract_size", 0, 0)
		n, aerr := r.st.lookup(t.owner, src)
		if aerr != nil {
			return "failed to get archive file: " + aerr.msg
		}
		var data []byte
		if !n.folder && n.entity != nil {
			data = n.entity.data // entity data is never modified in place
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return "failed to open archive: " + err.Error()
		}
		if _, aerr := r.st.mkdirs(t.owner, dst.elems, ""); aerr != nil {
			return "failed to create destination folder: " + aerr.msg
		}
		files = zr.File
		return ""
	}) {
		return
	}
	pause := r.st.opts.Tick / 2 / time.Duration(max(len(files), progressSteps))
	var count, size int64
	if !r.sleep(pause) {
		return
	}
	for _, f := range files {
		elems := entryPath(f.Name)
		if elems == nil || !masked(mask, strings.Join(elems, "/")) {
			continue
		}
		var data []byte
		if !f.FileInfo().IsDir() {
			rc, err := f.Open()
			if err == nil {
				data, err = io.ReadAll(rc)
				rc.Close()
			}
			if err != nil {
				r.fail(fmt.Sprintf("failed to extract %q: %v", f.Name, err))
				return
			}
		}
		if !r.sleep(pause) || !r.step(func(t *task) string {
			p := &fsURI{fs: "my", elems: append(append([]string(nil), dst.elems...), elems...)}
			if f.FileInfo().IsDir() {
				r.st.mkdirs(t.owner, p.elems, "")
			} else if _, aerr := r.st.writeFile(t.owner, p, data, nil, ""); aerr == nil {
				count++
				size += int64(len(data))
			}
			t.setProgress("extract_count", 0, count)
			t.setProgress("extract_size", 0, size)
			return ""
		}) {
			return
		}
	}
	r.complete()
}

// entryPath cleans an archive entry name into path elements (nil if empty).
func entryPath(name string) []string {
	clean := strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(name, "\\", "/")), "/")
	if clean == "" {
		return nil
	}
	return strings.Split(clean, "/")
}

func masked(mask []string, name string) bool {
	if len(mask) == 0 {
		return true
	}
	for _, m := range mask {
		m = strings.Trim(m, "/")
		if name == m || strings.HasPrefix(name, m+"/") {
			return true
		}
	}
	return false
}

// runQuick: queued → processing (one counter) for half a tick → completed.
// Used by import and relocate, which have nothing to move in a sandbox.
func (r *runner) runQuick(key string) {
	if !r.waitTick() {
		return
	}
	if r.progress(cloudreveapi.TaskStatusProcessing, "", key, 0, r.st.opts.Tick/2) {
		r.complete()
	}
}

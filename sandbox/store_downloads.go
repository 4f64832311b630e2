package sandbox

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/values"
)

// The simulated downloader behind remote-download tasks.
//
// Sources are not fetched. A source registered with SetDownloaderFiles
// yields those files; http://sandbox.invalid/fail… fails in the downloader;
// http://sandbox.invalid/slow… keeps downloading for 1000 ticks; a magnet:
// link (or a torrent file, src_file) is a torrent of three files; any other
// URL yields one generated file named after the URL's last path element.

const (
	phaseMonitor  = "monitor"
	phaseTransfer = "transfer"

	monitorTicks     = 3
	slowMonitorTicks = 1000
	updatesPerTick   = 4
	generatedSize    = 16 << 10
)

// DownloaderFailPrefix and DownloaderSlowPrefix are the sources that make the
// simulated downloader fail or stall.
const (
	DownloaderFailPrefix = "http://sandbox.invalid/fail"
	DownloaderSlowPrefix = "http://sandbox.invalid/slow"
)

type dlFile struct {
	name     string // relative path under the task's dst
	data     []byte
	selected bool
}

// dlPlan is what the downloader will do for one source.
type dlPlan struct {
	src   string
	name  string
	hash  string
	files []dlFile
	ticks int
	fail  bool
}

// download is the downloader status shown in summary.props.download.
type download struct {
	name       string
	hash       string
	files      []dlFile
	downloaded int64
	speed      int64
	state      cloudreveapi.DownloaderState
	errMsg     string
}

func (d *download) total() int64 {
	var n int64
	for _, f := range d.files {
		if f.selected {
			n += int64(len(f.data))
		}
	}
	return n
}

func (d *download) status() cloudreveapi.DownloadTaskStatus {
	out := cloudreveapi.DownloadTaskStatus{
		Name: d.name, State: d.state, Total: d.total(), Downloaded: d.downloaded, DownloadSpeed: d.speed,
	}
	if d.hash != "" {
		out.Hash = values.Ptr(d.hash)
	}
	if d.errMsg != "" {
		out.ErrorMessage = values.Ptr(d.errMsg)
	}
	files := make([]cloudreveapi.DownloadTaskFile, len(d.files))
	total := d.total()
	for i, f := range d.files {
		progress := 0.0
		if total > 0 && f.selected {
			progress = min(1, float64(d.downloaded)/float64(total))
		}
		files[i] = cloudreveapi.DownloadTaskFile{Index: i, Name: f.name, Size: int64(len(f.data)), Progress: progress, Selected: f.selected}
	}
	out.Files = &files
	return out
}

// planDownload decides what a source yields. Callers hold mu.
func (st *store) planDownload(src string) dlPlan {
	p := dlPlan{src: src, ticks: monitorTicks}
	if files, ok := st.dlFiles[src]; ok {
		p.name = baseName(src)
		p.files = append(p.files, files...)
		return p
	}
	switch {
	case strings.HasPrefix(src, DownloaderFailPrefix):
		p.name, p.fail = baseName(src), true
	case strings.HasPrefix(src, DownloaderSlowPrefix):
		p.name, p.ticks = baseName(src), slowMonitorTicks
		p.files = []dlFile{{name: p.name, data: generated(src, generatedSize)}}
	case strings.HasPrefix(src, "magnet:"):
		name := "magnet-download"
		if u, err := url.Parse(src); err == nil && u.Query().Get("dn") != "" {
			name = u.Query().Get("dn")
		}
		p = torrentPlan(src, name)
	default:
		p.name = baseName(src)
		p.files = []dlFile{{name: p.name, data: generated(src, generatedSize)}}
	}
	return p
}

// planTorrent plans the download of a torrent file stored in Cloudreve.
func (st *store) planTorrent(n *fsNode) dlPlan {
	return torrentPlan(n.uri(), strings.TrimSuffix(n.name, path.Ext(n.name)))
}

func torrentPlan(src, name string) dlPlan {
	sum := sha1.Sum([]byte(src))
	p := dlPlan{src: src, name: name, hash: hex.EncodeToString(sum[:]), ticks: monitorTicks}
	for i, size := range []int{1 << 10, 2 << 10, 4 << 10} {
		fn := fmt.Sprintf("%s/file%d.bin", name, i+1)
		p.files = append(p.files, dlFile{name: fn, data: generated(src+fn, size)})
	}
	return p
}

func baseName(src string) string {
	name := ""
	if u, err := url.Parse(src); err == nil {
		name = path.Base(u.Path)
	}
	if name == "" || name == "." || name == "/" {
		name = "index.html"
	}
	return name
}

func generated(seed string, size int) []byte {
	line := "sandbox remote download of " + seed + "\n"
	return []byte(strings.Repeat(line, size/len(line)+1)[:size])
}

// runDownload: queued → processing/monitor (download status advancing over a
// few ticks) → processing/transfer (upload progress, half a tick) →
// completed with the selected files under dst.
func (r *runner) runDownload(p dlPlan, dst *fsURI) {
	if !r.waitTick() {
		return
	}
	if !r.set(func(t *task) {
		t.status, t.phase = cloudreveapi.TaskStatusProcessing, phaseMonitor
		d := &download{name: p.name, hash: p.hash, state: cloudreveapi.DownloaderStateDownloading}
		for _, f := range p.files {
			f.selected = true
			d.files = append(d.files, f)
		}
		t.dl = d
	}) {
		return
	}
	step := r.st.opts.Tick / updatesPerTick
	if p.fail {
		if r.sleep(step) {
			r.step(func(t *task) string {
				t.dl.state, t.dl.errMsg = cloudreveapi.DownloaderStateError, "simulated download failure"
				return "downloader error: simulated download failure for " + p.src
			})
		}
		return
	}
	steps := int64(p.ticks * updatesPerTick)
	for i := int64(1); i <= steps; i++ {
		if !r.sleep(step) || !r.set(func(t *task) {
			total := t.dl.total()
			next := total * i / steps
			t.dl.speed = int64(float64(next-t.dl.downloaded) / step.Seconds())
			t.dl.downloaded = next
		}) {
			return
		}
	}
	var files []dlFile
	var total int64
	if !r.set(func(t *task) {
		t.dl.state, t.dl.speed, t.dl.downloaded = cloudreveapi.DownloaderStateCompleted, 0, t.dl.total()
		for _, f := range t.dl.files {
			if f.selected {
				files = append(files, f)
				total += int64(len(f.data))
			}
		}
	}) {
		return
	}
	if !r.progress(cloudreveapi.TaskStatusProcessing, phaseTransfer, "upload", total, r.st.opts.Tick/2) {
		return
	}
	r.step(func(t *task) string {
		failed := 0
		for _, f := range files {
			target := &fsURI{fs: "my", elems: append(append([]string(nil), dst.elems...), strings.Split(f.name, "/")...)}
			if _, aerr := r.st.writeFile(t.owner, target, f.data, nil, ""); aerr != nil {
				failed++
			}
		}
		t.props.Failed = values.Ptr(failed)
		r.st.finish(t, cloudreveapi.TaskStatusCompleted)
		return ""
	})
}

// sortedFiles turns a name → content map into downloader files.
func sortedFiles(m map[string][]byte) []dlFile {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]dlFile, len(names))
	for i, n := range names {
		out[i] = dlFile{name: n, data: append([]byte(nil), m[n]...)}
	}
	return out
}

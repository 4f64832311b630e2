package sandbox

import (
	"archive/zip"
	"bytes"
	"io"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	"github.com/cloudreve-connect/facade/internal/values"
)

// findTask looks a task up through listTasks.
func findTask(t *testing.T, c *cloudreveapi.ClientWithResponses, cat cloudreveapi.ListTaskCategory, id string) *cloudreveapi.TaskResponse {
	t.Helper()
	r := must(c.ListTasksWithResponse(bg, &cloudreveapi.ListTasksParams{PageSize: 100, Category: cat}))
	code(t, "list tasks", r.JSON200.Code, 0, r.JSON200.Msg)
	for _, task := range r.JSON200.Data.Tasks {
		if task.Id == id {
			return &task
		}
	}
	return nil
}

func phaseOf(task *cloudreveapi.TaskResponse) string {
	if task.Summary == nil || task.Summary.Phase == nil {
		return ""
	}
	return *task.Summary.Phase
}

// waitTask polls until the task is finished and returns it.
func waitTask(t *testing.T, c *cloudreveapi.ClientWithResponses, cat cloudreveapi.ListTaskCategory, id string) *cloudreveapi.TaskResponse {
	t.Helper()
	var task *cloudreveapi.TaskResponse
	waitFor(t, "task "+id, 10*time.Second, func() bool {
		if task = findTask(t, c, cat, id); task == nil {
			task = findTask(t, c, "downloaded", id)
		}
		return task != nil && (task.Status == "completed" || task.Status == "error" || task.Status == "canceled")
	})
	return task
}

func downloadURI(t *testing.T, c *cloudreveapi.ClientWithResponses, uri string) []byte {
	t.Helper()
	r := must(c.CreateDownloadUrlWithResponse(bg, nil, cloudreveapi.CreateDownloadUrlJSONRequestBody{Uris: []string{uri}}))
	code(t, "download url "+uri, r.JSON200.Code, 0, r.JSON200.Msg)
	return []byte(fetch(t, r.JSON200.Data.Urls[0].Url, "", 200))
}

func TestArchiveTimeline(t *testing.T) {
	e := newEnv(t, Options{Tick: 200 * time.Millisecond})
	_, c := e.user("ann@example.com")
	put(t, c, "cloudreve://my/src/a.txt", "alpha")
	put(t, c, "cloudreve://my/src/sub/b.txt", "beta")
	put(t, c, "cloudreve://my/c.txt", "gamma")

	exists := must(c.CreateArchiveWithResponse(bg, cloudreveapi.CreateArchiveJSONRequestBody{Src: []string{"cloudreve://my/c.txt"}, Dst: "cloudreve://my/c.txt"}))
	code(t, "archive onto an existing file", exists.JSON200.Code, 40004, exists.JSON200.Msg)

	r := must(c.CreateArchiveWithResponse(bg, cloudreveapi.CreateArchiveJSONRequestBody{
		Src: []string{"cloudreve://my/src", "cloudreve://my/c.txt"}, Dst: "cloudreve://my/out/all.zip"}))
	code(t, "create archive", r.JSON200.Code, 0, r.JSON200.Msg)
	created := r.JSON200.Data
	if created.Status != "queued" || created.Type != "create_archive" || created.Id == "" {
		t.Fatalf("created %+v", created)
	}
	if p := created.Summary.Props; p == nil || p.Dst == nil || *p.Dst != "cloudreve://my/out/all.zip" || p.SrcMultiple == nil || len(*p.SrcMultiple) != 2 {
		t.Errorf("props %+v", created.Summary.Props)
	}

	seen := []string{string(created.Status) + "/"}
	sawUpload := false
	waitFor(t, "archive", 5*time.Second, func() bool {
		// Progress first, then the list: progress seen non-empty means the
		// task was processing, so the later list shows processing or completed.
		prog := must(c.GetTaskProgressWithResponse(bg, created.Id)).JSON200.Data
		task := findTask(t, c, "general", created.Id)
		state := string(task.Status) + "/" + phaseOf(task)
		if len(seen) == 0 || seen[len(seen)-1] != state {
			seen = append(seen, state)
		}
		if up, ok := (*prog)["upload"]; ok {
			sawUpload = up.Total > 0 && up.Current <= up.Total
		}
		if len(*prog) != 0 && task.Status != "processing" && task.Status != "completed" {
			t.Errorf("progress %v, then %s", *prog, state)
		}
		if task.Node == nil || task.Node.Type != "master" {
			t.Errorf("listed task without master node: %+v", task.Node)
		}
		return task.Status == "completed" || task.Status == "error"
	})
	want := []string{"queued/", "suspending/compress_files", "suspending/upload_archive", "processing/upload_archive", "completed/upload_archive"}
	if strings.Join(seen, " ") != strings.Join(want, " ") {
		t.Fatalf("timeline %v, want %v", seen, want)
	}
	if !sawUpload {
		t.Error("no upload progress while processing")
	}
	if p := must(c.GetTaskProgressWithResponse(bg, created.Id)).JSON200.Data; len(*p) != 0 {
		t.Errorf("progress after completion %v", *p)
	}

	// A real zip at dst.
	data := downloadURI(t, c, "cloudreve://my/out/all.zip")
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		got[f.Name] = string(b)
	}
	if len(got) != 3 || got["src/a.txt"] != "alpha" || got["src/sub/b.txt"] != "beta" || got["c.txt"] != "gamma" {
		t.Errorf("zip content %v", got)
	}

	// Extract it back somewhere else.
	x := must(c.ExtractArchiveWithResponse(bg, cloudreveapi.ExtractArchiveJSONRequestBody{Src: []string{"cloudreve://my/out/all.zip"}, Dst: "cloudreve://my/unpacked"}))
	code(t, "extract", x.JSON200.Code, 0, x.JSON200.Msg)
	if done := waitTask(t, c, "general", x.JSON200.Data.Id); done.Status != "completed" {
		t.Fatalf("extract ended %+v", done)
	}
	if b, err := e.s.ReadFile(claimsOf(t, tokenOf(t, e, "ann@example.com"))["sub"].(string), "cloudreve://my/unpacked/src/sub/b.txt"); err != nil || string(b) != "beta" {
		t.Errorf("extracted b.txt %q %v", b, err)
	}
}

func tokenOf(t *testing.T, e *env, email string) string {
	t.Helper()
	e.s.c.store.mu.Lock()
	u := e.s.c.store.byEmail[email]
	e.s.c.store.mu.Unlock()
	access, _, err := e.s.IssueTokens(u.hid)
	if err != nil {
		t.Fatal(err)
	}
	return access
}

func TestArchiveAndExtractFailures(t *testing.T) {
	e := newEnv(t, Options{Tick: 20 * time.Millisecond})
	_, c := e.user("ann@example.com")
	put(t, c, "cloudreve://my/notes.txt", "just text")

	r := must(c.CreateArchiveWithResponse(bg, cloudreveapi.CreateArchiveJSONRequestBody{Src: []string{"cloudreve://my/ghost"}, Dst: "cloudreve://my/g.zip"}))
	code(t, "archive of a missing source", r.JSON200.Code, 0, r.JSON200.Msg)
	if r.JSON200.Data.Status != "queued" {
		t.Errorf("status %q", r.JSON200.Data.Status)
	}
	task := waitTask(t, c, "general", r.JSON200.Data.Id)
	if task.Status != "error" || task.Error == nil || !strings.Contains(*task.Error, "ghost") || task.ErrorHistory == nil || len(*task.ErrorHistory) == 0 {
		t.Errorf("archive of a missing source ended %+v", task)
	}

	x := must(c.ExtractArchiveWithResponse(bg, cloudreveapi.ExtractArchiveJSONRequestBody{Src: []string{"cloudreve://my/notes.txt"}, Dst: "cloudreve://my/out"}))
	code(t, "extract a text file", x.JSON200.Code, 0, x.JSON200.Msg)
	task = waitTask(t, c, "general", x.JSON200.Data.Id)
	if task.Status != "error" || task.Error == nil || *task.Error != "failed to open archive: zip: not a valid zip file" {
		t.Errorf("extract of a text file ended %+v (%v)", task, task.Error)
	}
	empty := must(c.ExtractArchiveWithResponse(bg, cloudreveapi.ExtractArchiveJSONRequestBody{Src: []string{}, Dst: "cloudreve://my/out"}))
	code(t, "extract without src", empty.JSON200.Code, 40001, empty.JSON200.Msg)
}

func TestRemoteDownloads(t *testing.T) {
	e := newEnv(t, Options{Tick: 20 * time.Millisecond})
	uid, c := e.user("ann@example.com")
	mkdir(t, c, "cloudreve://my/dl")
	e.s.SetDownloaderFiles("https://example.com/pack", map[string][]byte{"pack/one.txt": []byte("1"), "pack/two.txt": []byte("22")})

	r := must(c.CreateRemoteDownloadWithResponse(bg, cloudreveapi.CreateRemoteDownloadJSONRequestBody{
		Src: &[]string{"https://example.com/files/report.pdf", DownloaderFailPrefix, DownloaderSlowPrefix + "/big.iso", "magnet:?xt=urn:btih:abc&dn=show", "https://example.com/pack"},
		Dst: "cloudreve://my/dl"}))
	code(t, "create downloads", r.JSON200.Code, 0, r.JSON200.Msg)
	tasks := *r.JSON200.Data
	if len(tasks) != 5 || tasks[0].Type != "remote_download" || tasks[0].Node != nil {
		t.Fatalf("created %+v", tasks)
	}
	plain, failing, slow, magnet, pack := tasks[0].Id, tasks[1].Id, tasks[2].Id, tasks[3].Id, tasks[4].Id

	// The magnet reports three files; drop the second while monitoring.
	var mon *cloudreveapi.TaskResponse
	waitFor(t, "magnet monitoring", 5*time.Second, func() bool {
		mon = findTask(t, c, "downloading", magnet)
		return mon != nil && phaseOf(mon) == phaseMonitor
	})
	d := mon.Summary.Props.Download
	if d == nil || d.Files == nil || len(*d.Files) != 3 || d.State != "downloading" {
		t.Fatalf("magnet status %+v", d)
	}
	sel := must(c.SelectFilesToDownloadWithResponse(bg, magnet, cloudreveapi.SelectFilesToDownloadJSONRequestBody{
		Files: []cloudreveapi.SetFileToDownloadArgs{{Index: 1, Download: values.Ptr(false)}}}))
	code(t, "select files", sel.JSON200.Code, 0, sel.JSON200.Msg)

	// All downloads are listed while running, whatever the page size.
	running := must(c.ListTasksWithResponse(bg, &cloudreveapi.ListTasksParams{PageSize: 10, Category: "downloading"}))
	if n := len(running.JSON200.Data.Tasks); n == 0 || running.JSON200.Data.Pagination.NextToken != nil {
		t.Errorf("downloading list: %d tasks", n)
	}

	if task := waitTask(t, c, "downloading", plain); task.Status != "completed" {
		t.Errorf("plain download ended %+v", task)
	}
	if b, err := e.s.ReadFile(uid, "cloudreve://my/dl/report.pdf"); err != nil || len(b) == 0 {
		t.Errorf("downloaded file: %v", err)
	}
	if task := waitTask(t, c, "downloading", failing); task.Status != "error" || task.Error == nil || !strings.Contains(*task.Error, "downloader error") {
		t.Errorf("failing download ended %+v", task)
	}
	if task := waitTask(t, c, "downloading", magnet); task.Status != "completed" {
		t.Errorf("magnet ended %+v", task)
	}
	for name, want := range map[string]bool{"file1.bin": true, "file2.bin": false, "file3.bin": true} {
		_, err := e.s.ReadFile(uid, "cloudreve://my/dl/show/"+name)
		if (err == nil) != want {
			t.Errorf("%s present=%v, want %v", name, err == nil, want)
		}
	}
	if task := waitTask(t, c, "downloading", pack); task.Status != "completed" {
		t.Errorf("pack ended %+v", task)
	}
	if b, err := e.s.ReadFile(uid, "cloudreve://my/dl/pack/two.txt"); err != nil || string(b) != "22" {
		t.Errorf("pack/two.txt %q %v", b, err)
	}
	late := must(c.SelectFilesToDownloadWithResponse(bg, magnet, cloudreveapi.SelectFilesToDownloadJSONRequestBody{Files: []cloudreveapi.SetFileToDownloadArgs{}}))
	code(t, "select on a finished task", late.JSON200.Code, 404, late.JSON200.Msg)

	// The slow one is still downloading: cancel it.
	if task := findTask(t, c, "downloading", slow); task == nil || task.Status != "processing" || phaseOf(task) != phaseMonitor {
		t.Fatalf("slow download %+v", task)
	}
	cancel := must(c.CancelTaskWithResponse(bg, slow))
	code(t, "cancel", cancel.JSON200.Code, 0, cancel.JSON200.Msg)
	if task := findTask(t, c, "downloaded", slow); task == nil || task.Status != "canceled" {
		t.Errorf("canceled download %+v", task)
	}
	again := must(c.CancelTaskWithResponse(bg, slow))
	code(t, "cancel twice", again.JSON200.Code, 404, again.JSON200.Msg)
	unknown := must(c.CancelTaskWithResponse(bg, e.s.c.ids.encode(kindTask, 999)))
	code(t, "cancel unknown", unknown.JSON200.Code, 404, unknown.JSON200.Msg)

	// Cancelling another kind of task succeeds and does nothing.
	put(t, c, "cloudreve://my/a.txt", "a")
	arch := must(c.CreateArchiveWithResponse(bg, cloudreveapi.CreateArchiveJSONRequestBody{Src: []string{"cloudreve://my/a.txt"}, Dst: "cloudreve://my/a.zip"}))
	noop := must(c.CancelTaskWithResponse(bg, arch.JSON200.Data.Id))
	code(t, "cancel an archive", noop.JSON200.Code, 0, noop.JSON200.Msg)
	if task := waitTask(t, c, "general", arch.JSON200.Data.Id); task.Status != "completed" {
		t.Errorf("archive after cancel %+v", task)
	}

	nosrc := must(c.CreateRemoteDownloadWithResponse(bg, cloudreveapi.CreateRemoteDownloadJSONRequestBody{Dst: "cloudreve://my/dl"}))
	code(t, "no source", nosrc.JSON200.Code, 40001, nosrc.JSON200.Msg)
}

func TestTaskListAndProgress(t *testing.T) {
	e := newEnv(t, Options{Tick: 20 * time.Millisecond})
	_, c := e.user("ann@example.com")
	put(t, c, "cloudreve://my/a.txt", "a")

	for _, p := range []cloudreveapi.ListTasksParams{{PageSize: 9, Category: "general"}, {PageSize: 101, Category: "general"}, {PageSize: 10, Category: "bogus"}} {
		r := must(c.ListTasksWithResponse(bg, &p))
		if r.JSON200.Code != 40001 || r.JSON200.CorrelationId != nil {
			t.Errorf("list %+v: %+v", p, r.JSON200)
		}
	}

	created := map[string]bool{}
	for i := range 25 {
		r := must(c.CreateArchiveWithResponse(bg, cloudreveapi.CreateArchiveJSONRequestBody{
			Src: []string{"cloudreve://my/a.txt"}, Dst: "cloudreve://my/zips/" + string(rune('a'+i)) + ".zip"}))
		code(t, "archive", r.JSON200.Code, 0, r.JSON200.Msg)
		created[r.JSON200.Data.Id] = true
	}
	var ids []string
	var seq []int64
	token := ""
	pages := 0
	for {
		p := &cloudreveapi.ListTasksParams{PageSize: 10, Category: "general"}
		if token != "" {
			p.NextPageToken = &token
		}
		r := must(c.ListTasksWithResponse(bg, p))
		code(t, "list page", r.JSON200.Code, 0, r.JSON200.Msg)
		pages++
		for _, task := range r.JSON200.Data.Tasks {
			ids = append(ids, task.Id)
			n, _ := e.s.c.ids.decode(kindTask, task.Id)
			seq = append(seq, n)
		}
		if r.JSON200.Data.Pagination.NextToken == nil {
			break
		}
		token = *r.JSON200.Data.Pagination.NextToken
	}
	dups := map[string]bool{}
	for _, id := range ids {
		if dups[id] || !created[id] {
			t.Errorf("unexpected or duplicate task %q", id)
		}
		dups[id] = true
	}
	if pages != 3 || len(ids) != 25 || !sort.SliceIsSorted(seq, func(i, j int) bool { return seq[i] > seq[j] }) {
		t.Errorf("%d pages, %d tasks, order %v", pages, len(ids), seq)
	}
	if e.s.TaskCount() != 25 {
		t.Errorf("TaskCount %d", e.s.TaskCount())
	}

	// Progress is {} for unknown and garbage ids, never an error.
	for _, id := range []string{e.s.c.ids.encode(kindTask, 777), "!!garbage"} {
		r := must(c.GetTaskProgressWithResponse(bg, id))
		if r.JSON200.Code != 0 || r.JSON200.Data == nil || len(*r.JSON200.Data) != 0 {
			t.Errorf("progress of %q: %+v", id, r.JSON200)
		}
	}
	if !strings.Contains(string(must(c.GetTaskProgressWithResponse(bg, e.s.c.ids.encode(kindTask, 778))).Body), `"data":{}`) {
		t.Error("progress data is not {}")
	}
	waitFor(t, "tasks to finish", 10*time.Second, func() bool { return e.s.RunningTaskCount() == 0 })
}

func TestImportIsForAdmins(t *testing.T) {
	e := newEnv(t, Options{Tick: 20 * time.Millisecond})
	adminID, admin := e.user("root@example.com")
	_, user := e.user("ann@example.com")
	body := cloudreveapi.ImportExternalFilesJSONRequestBody{Src: "/data", Dst: "/", UserId: adminID, PolicyId: 1}
	denied := must(user.ImportExternalFilesWithResponse(bg, body))
	code(t, "import by a user", denied.JSON200.Code, 403, denied.JSON200.Msg)
	r := must(admin.ImportExternalFilesWithResponse(bg, body))
	code(t, "import", r.JSON200.Code, 0, r.JSON200.Msg)
	if p := r.JSON200.Data.Summary.Props; p.DstPolicyId == nil || p.Dst == nil || !strings.Contains(*p.Dst, adminID+"@my") {
		t.Errorf("import props %+v", p)
	}
	if task := waitTask(t, admin, "general", r.JSON200.Data.Id); task.Status != "completed" {
		t.Errorf("import ended %+v", task)
	}
}

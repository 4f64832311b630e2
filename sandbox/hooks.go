package sandbox

import (
	"errors"
	"time"
)

// Test hooks: small ways for tests (and the facade's demo mode) to seed or
// inspect the sandbox without going through HTTP.

// TaskCount is the number of tasks ever created, in any state.
func (s *Server) TaskCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.tasks)
}

// RunningTaskCount is the number of tasks not yet completed, failed or canceled.
func (s *Server) RunningTaskCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, t := range s.tasks {
		if !t.finished() {
			n++
		}
	}
	return n
}

// SetDownloaderFiles makes the simulated downloader produce these files
// (relative paths under the task's dst → content) for a remote-download
// source URL. Files left out of a later selectFilesToDownload are skipped.
func (s *Server) SetDownloaderFiles(src string, files map[string][]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dlFiles[src] = sortedFiles(files)
}

// WriteFile stores content at a cloudreve://my/... URI of an account,
// creating missing folders, as PUT /file/content would.
func (s *Server) WriteFile(userID, uri string, content []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userByHID(userID)
	if u == nil {
		return errors.New("sandbox: no such user " + userID)
	}
	p, aerr := s.myURI(u, uri)
	if aerr != nil {
		return aerr
	}
	_, aerr = s.writeFile(u, p, append([]byte(nil), content...), nil)
	if aerr != nil {
		return aerr
	}
	return nil
}

// ReadFile returns the current content of a file of an account.
func (s *Server) ReadFile(userID, uri string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userByHID(userID)
	if u == nil {
		return nil, errors.New("sandbox: no such user " + userID)
	}
	n, aerr := s.resolve(u, uri)
	if aerr != nil {
		return nil, aerr
	}
	if n.folder {
		return nil, errors.New("sandbox: " + uri + " is a folder")
	}
	if n.entity == nil {
		return []byte{}, nil
	}
	return append([]byte(nil), n.entity.data...), nil
}

// Tick is the task queue's polling period in use.
func (s *Server) Tick() time.Duration { return s.opts.Tick }

package sandbox

import "errors"

// What the public hooks (hooks.go) ask of the store: seeding and reading
// state without HTTP. Accounts are named by their hashid.

// seedFile writes content at a cloudreve://my/... URI of an account,
// creating missing folders, as PUT /file/content would.
func (st *store) seedFile(userID, uri string, content []byte) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	u := st.userByHID(userID)
	if u == nil {
		return errNoUser(userID)
	}
	p, aerr := myURI(u, uri)
	if aerr != nil {
		return aerr
	}
	if _, aerr = st.writeFile(u, p, append([]byte(nil), content...), nil, ""); aerr != nil {
		return aerr
	}
	return nil
}

// fileContent is a copy of the current content of a file of an account.
func (st *store) fileContent(userID, uri string) ([]byte, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	u := st.userByHID(userID)
	if u == nil {
		return nil, errNoUser(userID)
	}
	n, aerr := st.resolve(u, uri)
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

func errNoUser(userID string) error { return errors.New("sandbox: no such user " + userID) }

// setDownloaderFiles registers what the simulated downloader yields for a
// source.
func (st *store) setDownloaderFiles(src string, files map[string][]byte) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.dlFiles[src] = sortedFiles(files)
}

// taskCount is the number of tasks ever created.
func (st *store) taskCount() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.tasks)
}

package upstream

// Feature is a part of the REST API that older 4.x servers lack: an
// operation they answer with a 404, or a request field they silently
// ignore. The releases come from the Cloudreve source at each tag; 4.0.0
// and 4.18.0 were also checked against running servers.
type Feature struct {
	// Name is what errors call it: the facade's request field, or the
	// operationId.
	Name string
	// Since is the first release that has it.
	Since Version
}

// In reports whether v has the feature. An unknown version counts as new
// enough: the facade then forwards as it always did.
func (f Feature) In(v Version) bool { return !v.Known() || !v.Before(f.Since) }

// Operations older servers do not route.
var (
	FeatureDeleteDirectLink   = Feature{Name: "deleteDirectLink", Since: V(4, 1, 0)}
	FeatureGetArchiveFileList = Feature{Name: "getArchiveFileList", Since: V(4, 7, 0)}
	// GET /file/events, the server-sent file events of a folder (not in
	// the API documents).
	FeatureFileEvents = Feature{Name: "file events", Since: V(4, 11, 0)}
)

// Request fields older servers drop without a word.
var (
	// createShareLink, editShareLink.
	FeatureShareShowReadme = Feature{Name: "show_readme", Since: V(4, 2, 0)}
	// updatePreferenceSetting.
	FeatureShareLinksInProfile = Feature{Name: "share_links_in_profile", Since: V(4, 5, 0)}
	// extractArchive.
	FeatureExtractPassword = Feature{Name: "password", Since: V(4, 6, 0)}
	FeatureExtractFileMask = Feature{Name: "file_mask", Since: V(4, 7, 0)}
	// createDavAccount, updateDavAccount.
	FeatureDavDisableSysFiles = Feature{Name: "disable_sys_files", Since: V(4, 8, 0)}
	// createUploadSession: older servers open the session whatever the
	// file's current version is.
	FeatureUploadPrevious = Feature{Name: "previous", Since: V(4, 11, 0)}
)

// Answer fields older servers do not send.
var (
	// Share: password_protected; before it, the share URL carried the
	// password for callers who had not unlocked the link.
	FeatureSharePasswordProtected = Feature{Name: "password_protected", Since: V(4, 5, 0)}
	// Share: size of a shared file.
	FeatureShareSize = Feature{Name: "size", Since: V(4, 12, 0)}
)

// Package files converts Cloudreve's file-area models (files, versions,
// storage policies, views, share links, …) into the cloudreve.file.v1
// contract, for the file and share services alike, and back where requests
// carry them.
package files

import (
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/cloudreve-connect/facade/gen/cloudreveapi"
	filev1 "github.com/cloudreve-connect/facade/gen/go/cloudreve/file/v1"
	"github.com/cloudreve-connect/facade/internal/boolset"
	"github.com/cloudreve-connect/facade/internal/values"
)

// FileType maps the upstream's 0 (file) and 1 (folder).
func FileType(t cloudreveapi.FileType) filev1.FileType {
	switch t {
	case cloudreveapi.FileTypeFile:
		return filev1.FileType_FILE_TYPE_FILE
	case cloudreveapi.FileTypeFolder:
		return filev1.FileType_FILE_TYPE_FOLDER
	}
	return filev1.FileType_FILE_TYPE_UNSPECIFIED
}

// Capabilities decodes a navigator capability boolset; bits without a name
// are left out. A Capability's number is its bit position plus one.
func Capabilities(raw string) []filev1.Capability {
	set, err := boolset.Decode(raw)
	if err != nil {
		return nil
	}
	var out []filev1.Capability
	for _, bit := range set.Bits() {
		c := filev1.Capability(bit + 1)
		if _, named := filev1.Capability_name[int32(c)]; named {
			out = append(out, c)
		}
	}
	return out
}

// File converts a FileResponse.
func File(f *cloudreveapi.FileResponse) *filev1.File {
	if f == nil {
		return nil
	}
	out := &filev1.File{
		Type:          FileType(f.Type),
		Id:            f.Id,
		Name:          f.Name,
		CreatedAt:     values.Timestamp(f.CreatedAt),
		UpdatedAt:     values.Timestamp(f.UpdatedAt),
		Size:          f.Size,
		Path:          values.Deref(f.Path),
		Shared:        values.Deref(f.Shared),
		Capability:    values.Deref(f.Capability),
		Capabilities:  Capabilities(values.Deref(f.Capability)),
		Owned:         values.Deref(f.Owned),
		PrimaryEntity: values.Deref(f.PrimaryEntity),
		FolderSummary: folderSummary(f.FolderSummary),
		ExtendedInfo:  ExtendedInfo(f.ExtendedInfo),
		Permission:    values.Deref(f.Permission),
	}
	if f.Metadata != nil && len(*f.Metadata) > 0 {
		out.Metadata = *f.Metadata
	}
	return out
}

// Files converts a list of FileResponse.
func Files(list []cloudreveapi.FileResponse) []*filev1.File {
	out := make([]*filev1.File, 0, len(list))
	for i := range list {
		out = append(out, File(&list[i]))
	}
	return out
}

func folderSummary(s *cloudreveapi.FolderSummary) *filev1.FolderSummary {
	if s == nil {
		return nil
	}
	return &filev1.FolderSummary{Size: s.Size, Files: int64(s.Files), Folders: int64(s.Folders), Completed: s.Completed, CalculatedAt: values.Timestamp(s.CalculatedAt)}
}

// ExtendedInfo converts the extended details of a file.
func ExtendedInfo(e *cloudreveapi.ExtendedInfo) *filev1.ExtendedInfo {
	if e == nil {
		return nil
	}
	out := &filev1.ExtendedInfo{
		StoragePolicy:          StoragePolicy(e.StoragePolicy),
		StorageUsed:            e.StorageUsed,
		View:                   View(e.View),
		StoragePolicyInherited: values.Deref(e.StoragePolicyInherited),
		Permissions:            PermissionSetting(e.Permissions),
	}
	if e.Shares != nil {
		for i := range *e.Shares {
			out.Shares = append(out.Shares, Share(&(*e.Shares)[i]))
		}
	}
	if e.Entities != nil {
		for i := range *e.Entities {
			out.Entities = append(out.Entities, Entity(&(*e.Entities)[i]))
		}
	}
	if e.DirectLinks != nil {
		for _, l := range *e.DirectLinks {
			out.DirectLinks = append(out.DirectLinks, &filev1.DirectLink{Id: l.Id, Url: l.Url, Downloaded: int32(l.Downloaded), CreatedAt: values.Timestamp(l.CreatedAt)})
		}
	}
	return out
}

var entityTypes = map[cloudreveapi.EntityType]filev1.EntityType{
	cloudreveapi.EntityTypeVersion:   filev1.EntityType_ENTITY_TYPE_VERSION,
	cloudreveapi.EntityTypeThumbnail: filev1.EntityType_ENTITY_TYPE_THUMBNAIL,
	cloudreveapi.EntityTypeLivePhoto: filev1.EntityType_ENTITY_TYPE_LIVE_PHOTO,
}

// Entity converts one blob of a file.
func Entity(e *cloudreveapi.Entity) *filev1.Entity {
	out := &filev1.Entity{
		Id: e.Id, Size: e.Size, Type: entityTypes[e.Type], CreatedAt: values.Timestamp(e.CreatedAt),
		StoragePolicy: StoragePolicy(e.StoragePolicy), CreatedBy: User(e.CreatedBy),
	}
	if e.EncryptedWith != nil {
		out.EncryptedWith = string(*e.EncryptedWith)
	}
	return out
}

// StoragePolicy converts the public view of a storage policy.
func StoragePolicy(p *cloudreveapi.StoragePolicy) *filev1.StoragePolicy {
	if p == nil {
		return nil
	}
	out := &filev1.StoragePolicy{
		Id: p.Id, Name: p.Name, Type: string(p.Type), MaxSize: p.MaxSize, Relay: values.Deref(p.Relay),
		AllowedSuffix: values.DerefSlice(p.AllowedSuffix), DeniedSuffix: values.DerefSlice(p.DeniedSuffix),
		AllowedNameRegexp: values.Deref(p.AllowedNameRegexp), DeniedNameRegexp: values.Deref(p.DeniedNameRegexp),
		Encryption: values.Deref(p.Encryption), Weight: values.Deref(p.Weight),
	}
	if p.ChunkConcurrency != nil {
		out.ChunkConcurrency = int32(*p.ChunkConcurrency)
	}
	if p.Children != nil {
		for i := range *p.Children {
			out.Children = append(out.Children, StoragePolicy(&(*p.Children)[i]))
		}
	}
	return out
}

// User converts the redacted view of an account.
func User(u *cloudreveapi.User) *filev1.User {
	if u == nil {
		return nil
	}
	out := &filev1.User{Id: u.Id, Email: values.Deref(u.Email), Nickname: u.Nickname, CreatedAt: values.Timestamp(u.CreatedAt)}
	if u.Avatar != nil {
		out.Avatar = string(*u.Avatar)
	}
	if u.Group != nil {
		out.Group = &filev1.UserGroup{Id: u.Group.Id, Name: u.Group.Name}
	}
	if u.ShareLinksInProfile != nil {
		out.ShareLinksInProfile = string(*u.ShareLinksInProfile)
	}
	return out
}

// NavigatorProps converts what a listed filesystem supports.
func NavigatorProps(p cloudreveapi.NavigatorProps) *filev1.NavigatorProps {
	return &filev1.NavigatorProps{
		Capability: p.Capability, Capabilities: Capabilities(p.Capability), MaxPageSize: int32(p.MaxPageSize),
		OrderByOptions: values.DerefSlice(p.OrderByOptions), OrderDirectionOptions: values.DerefSlice(p.OrderDirectionOptions),
	}
}

// View converts a stored explorer view.
func View(v *cloudreveapi.ExplorerView) *filev1.ExplorerView {
	if v == nil {
		return nil
	}
	out := &filev1.ExplorerView{PageSize: int32(v.PageSize), Order: values.Deref(v.Order), Thumbnail: values.Deref(v.Thumbnail)}
	if v.OrderDirection != nil {
		out.OrderDirection = string(*v.OrderDirection)
	}
	if v.View != nil {
		out.View = string(*v.View)
	}
	if v.GalleryWidth != nil {
		out.GalleryWidth = int32(*v.GalleryWidth)
	}
	if v.Columns != nil {
		for _, c := range *v.Columns {
			col := &filev1.ListViewColumn{Type: int32(c.Type)}
			if c.Width != nil {
				w := int32(*c.Width)
				col.Width = &w
			}
			if c.Props != nil {
				col.Props = &filev1.ListViewColumnProps{MetadataKey: values.Deref(c.Props.MetadataKey), CustomPropsId: values.Deref(c.Props.CustomPropsId)}
			}
			out.Columns = append(out.Columns, col)
		}
	}
	return out
}

// ViewToUpstream converts a view setting for PATCH /file/view.
func ViewToUpstream(v *filev1.ExplorerView) *cloudreveapi.ExplorerView {
	if v == nil {
		return nil
	}
	out := &cloudreveapi.ExplorerView{PageSize: int(v.GetPageSize()), Thumbnail: &v.Thumbnail}
	if v.GetOrder() != "" {
		out.Order = &v.Order
	}
	if v.GetOrderDirection() != "" {
		d := cloudreveapi.ExplorerViewOrderDirection(v.GetOrderDirection())
		out.OrderDirection = &d
	}
	if v.GetView() != "" {
		vv := cloudreveapi.ExplorerViewView(v.GetView())
		out.View = &vv
	}
	if v.GetGalleryWidth() != 0 {
		w := int(v.GetGalleryWidth())
		out.GalleryWidth = &w
	}
	if len(v.GetColumns()) > 0 {
		cols := make([]cloudreveapi.ListViewColumn, 0, len(v.GetColumns()))
		for _, c := range v.GetColumns() {
			col := cloudreveapi.ListViewColumn{Type: int(c.GetType())}
			if c.Width != nil {
				w := int(c.GetWidth())
				col.Width = &w
			}
			if p := c.GetProps(); p != nil {
				col.Props = &cloudreveapi.ListViewColumnProps{MetadataKey: values.NonZero(p.GetMetadataKey()), CustomPropsId: values.NonZero(p.GetCustomPropsId())}
			}
			cols = append(cols, col)
		}
		out.Columns = &cols
	}
	return out
}

// PermissionSetting converts explicit permissions.
func PermissionSetting(p *cloudreveapi.PermissionSetting) *filev1.PermissionSetting {
	if p == nil {
		return nil
	}
	return &filev1.PermissionSetting{
		SameGroup: values.Deref(p.SameGroup), Everyone: values.Deref(p.Everyone), Other: values.Deref(p.Other), Anonymous: values.Deref(p.Anonymous),
		UserExplicit: values.Deref(p.UserExplicit), GroupExplicit: values.Deref(p.GroupExplicit),
	}
}

// PermissionSettingToUpstream converts explicit permissions for a request.
func PermissionSettingToUpstream(p *filev1.PermissionSetting) *cloudreveapi.PermissionSetting {
	if p == nil {
		return nil
	}
	out := &cloudreveapi.PermissionSetting{SameGroup: values.NonZero(p.GetSameGroup()), Everyone: values.NonZero(p.GetEveryone()), Other: values.NonZero(p.GetOther()), Anonymous: values.NonZero(p.GetAnonymous())}
	if len(p.GetUserExplicit()) > 0 {
		m := p.GetUserExplicit()
		out.UserExplicit = &m
	}
	if len(p.GetGroupExplicit()) > 0 {
		m := p.GetGroupExplicit()
		out.GroupExplicit = &m
	}
	return out
}

// Share converts a share link. A link the caller has not unlocked never
// carries its password: older servers (4.0.0) put it in the URL anyway, so
// it is cut out here too.
func Share(s *cloudreveapi.Share) *filev1.Share {
	if s == nil {
		return nil
	}
	out := &filev1.Share{
		Id: s.Id, Name: values.Deref(s.Name), Visited: int32(s.Visited), Unlocked: s.Unlocked,
		PasswordProtected: passwordProtected(s), SourceType: FileType(cloudreveapi.FileType(s.SourceType)),
		Owner: User(&s.Owner), CreatedAt: values.Timestamp(s.CreatedAt), Expired: s.Expired, Url: s.Url,
		ShowReadme: values.Deref(s.ShowReadme), Size: s.Size, IsPrivate: values.Deref(s.IsPrivate), ShareView: values.Deref(s.ShareView),
		SourceUri: values.Deref(s.SourceUri), PermissionSetting: PermissionSetting(s.PermissionSetting),
	}
	if s.RemainDownloads != nil {
		r := int32(*s.RemainDownloads)
		out.RemainDownloads = &r
	}
	if s.Downloaded != nil {
		out.Downloaded = int32(*s.Downloaded)
	}
	if s.Expires != nil {
		out.Expires = values.Timestamp(*s.Expires)
	}
	if s.Price != nil {
		out.Price = int32(*s.Price)
	}
	if s.Unlocked {
		out.Password = values.Deref(s.Password)
	} else {
		out.Url = WithoutPassword(s.Url, s.Id)
	}
	return out
}

// passwordProtected is the server's password_protected, or, from servers
// before 4.5.0 that do not send it, what else tells: their share URL carries
// the password (…/s/<id>/<password>) whoever asks, the owner sees
// is_private, and an unlocking caller the password itself.
func passwordProtected(s *cloudreveapi.Share) bool {
	return values.Deref(s.PasswordProtected) || values.Deref(s.IsPrivate) || values.Deref(s.Password) != "" ||
		WithoutPassword(s.Url, s.Id) != s.Url
}

// WithoutPassword cuts the password segment out of a share URL
// (…/s/<id>/<password> becomes …/s/<id>).
func WithoutPassword(url, id string) string {
	marker := "/s/" + id + "/"
	if i := strings.LastIndex(url, marker); i >= 0 {
		rest := url[i+len(marker):]
		end := strings.IndexAny(rest, "?#")
		if end < 0 {
			return url[:i+len(marker)-1]
		}
		return url[:i+len(marker)-1] + rest[end:]
	}
	return url
}

// ShareID reads the share id out of a share URL (…/s/<id>[/<password>]).
func ShareID(url string) string {
	i := strings.LastIndex(url, "/s/")
	if i < 0 {
		return ""
	}
	rest := url[i+3:]
	if end := strings.IndexAny(rest, "/?#"); end >= 0 {
		rest = rest[:end]
	}
	return rest
}

// Activity converts one audit record.
func Activity(a *cloudreveapi.Activity) *filev1.Activity {
	return &filev1.Activity{Id: a.Id, CreatedAt: values.Timestamp(a.CreatedAt), User: User(a.User), VersionId: values.Deref(a.VersionId), Content: logEntry(&a.Content)}
}

func logEntry(e *cloudreveapi.LogEntry) *filev1.LogEntry {
	out := &filev1.LogEntry{
		Category: int32(e.Category), Failed: values.Deref(e.Failed), Error: values.Deref(e.Error), UserAgent: values.Deref(e.UserAgent),
		IsSystem: values.Deref(e.IsSystem), Reason: values.Deref(e.Reason), EmailTo: values.Deref(e.EmailTo), EmailTitle: values.Deref(e.EmailTitle),
		OriginalName: values.Deref(e.OriginalName), NewName: values.Deref(e.NewName), From: values.Deref(e.From), To: values.Deref(e.To),
		StoragePolicyId: values.Deref(e.StoragePolicyId), StoragePolicyName: values.Deref(e.StoragePolicyName), StoragePolicy: values.Deref(e.StoragePolicy),
		Account: values.Deref(e.Account), AccountUri: values.Deref(e.AccountUri), Sku: values.Deref(e.Sku), Expire: values.Deref(e.Expire),
		DirectLinkId: values.Deref(e.DirectLinkId), Sub: values.Deref(e.Sub), Name: values.Deref(e.Name),
		AccountId: num(e.AccountId), PaymentId: num(e.PaymentId), PointsChange: num(e.PointsChange), GroupId: num(e.GroupId),
		GroupIdFrom: num(e.GroupIdFrom), OpenidProvider: num(e.OpenidProvider), PasskeyId: num(e.PasskeyId),
		StorageSize: values.Deref(e.StorageSize),
	}
	if e.EntityCreateTime != nil {
		out.EntityCreateTime = values.Timestamp(*e.EntityCreateTime)
	}
	if e.Exts != nil {
		if s, err := structpb.NewStruct(*e.Exts); err == nil {
			out.Exts = s
		}
	}
	return out
}

// ArchivedFiles converts archive entries, in the upstream's order.
func ArchivedFiles(list *[]cloudreveapi.ArchivedFile) []*filev1.ArchivedFile {
	if list == nil {
		return nil
	}
	out := make([]*filev1.ArchivedFile, 0, len(*list))
	for _, f := range *list {
		a := &filev1.ArchivedFile{Name: f.Name, Size: f.Size, IsDirectory: f.IsDirectory}
		if f.UpdatedAt != nil {
			a.UpdatedAt = values.Timestamp(*f.UpdatedAt)
		}
		out = append(out, a)
	}
	return out
}

// UploadSession converts an upload session.
func UploadSession(s *cloudreveapi.UploadSessionResponse) *filev1.UploadSession {
	out := &filev1.UploadSession{
		SessionId: s.SessionId, UploadId: s.UploadId, ChunkSize: s.ChunkSize, Expires: values.Timestamp(time.Unix(s.Expires, 0)),
		UploadUrls: values.DerefSlice(s.UploadUrls), Credential: values.Deref(s.Credential), CompleteUrl: values.Deref(s.CompleteURL),
		StoragePolicy: StoragePolicy(s.StoragePolicy), Uri: s.Uri, CallbackSecret: s.CallbackSecret,
		MimeType: values.Deref(s.MimeType), UploadPolicy: values.Deref(s.UploadPolicy), Ak: values.Deref(s.Ak), KeyTime: values.Deref(s.KeyTime),
	}
	if m := s.EncryptMetadata; m != nil {
		out.EncryptMetadata = &filev1.EncryptMetadata{Algorithm: string(m.Algorithm), KeyPlainText: values.Deref(m.KeyPlainText), Iv: m.Iv}
	}
	return out
}

func num[T int | int64](n *T) int64 {
	if n == nil {
		return 0
	}
	return int64(*n)
}

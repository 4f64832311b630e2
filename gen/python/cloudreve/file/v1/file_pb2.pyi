from buf.validate import validate_pb2 as _validate_pb2
from cloudreve.common.v1 import validate_pb2 as _validate_pb2_1
from cloudreve.events.v1 import file_event_pb2 as _file_event_pb2
from cloudreve.file.v1 import models_pb2 as _models_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

ACTIVITY_FILTER_MY: ActivityFilter
ACTIVITY_FILTER_READS: ActivityFilter
ACTIVITY_FILTER_UNSPECIFIED: ActivityFilter
ACTIVITY_FILTER_UPDATES: ActivityFilter
DESCRIPTOR: _descriptor.FileDescriptor
LIST_ORDER_BY_CREATED_AT: ListOrderBy
LIST_ORDER_BY_NAME: ListOrderBy
LIST_ORDER_BY_SIZE: ListOrderBy
LIST_ORDER_BY_UNSPECIFIED: ListOrderBy
LIST_ORDER_BY_UPDATED_AT: ListOrderBy
WATCH_FILES_STATE_RESUMED: WatchFilesState
WATCH_FILES_STATE_SUBSCRIBED: WatchFilesState
WATCH_FILES_STATE_UNSPECIFIED: WatchFilesState

class CreateDirectLinksRequest(_message.Message):
    __slots__ = ["uris"]
    URIS_FIELD_NUMBER: _ClassVar[int]
    uris: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, uris: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateDirectLinksResponse(_message.Message):
    __slots__ = ["links"]
    LINKS_FIELD_NUMBER: _ClassVar[int]
    links: _containers.RepeatedCompositeFieldContainer[CreatedDirectLink]
    def __init__(self, links: _Optional[_Iterable[_Union[CreatedDirectLink, _Mapping]]] = ...) -> None: ...

class CreateDownloadUrlRequest(_message.Message):
    __slots__ = ["archive", "context_hint", "download", "entity", "no_cache", "skip_error", "uris", "use_primary_site_url"]
    ARCHIVE_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_HINT_FIELD_NUMBER: _ClassVar[int]
    DOWNLOAD_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    NO_CACHE_FIELD_NUMBER: _ClassVar[int]
    SKIP_ERROR_FIELD_NUMBER: _ClassVar[int]
    URIS_FIELD_NUMBER: _ClassVar[int]
    USE_PRIMARY_SITE_URL_FIELD_NUMBER: _ClassVar[int]
    archive: bool
    context_hint: str
    download: bool
    entity: str
    no_cache: bool
    skip_error: bool
    uris: _containers.RepeatedScalarFieldContainer[str]
    use_primary_site_url: bool
    def __init__(self, uris: _Optional[_Iterable[str]] = ..., download: bool = ..., entity: _Optional[str] = ..., use_primary_site_url: bool = ..., skip_error: bool = ..., archive: bool = ..., no_cache: bool = ..., context_hint: _Optional[str] = ...) -> None: ...

class CreateDownloadUrlResponse(_message.Message):
    __slots__ = ["expires", "urls"]
    EXPIRES_FIELD_NUMBER: _ClassVar[int]
    URLS_FIELD_NUMBER: _ClassVar[int]
    expires: _timestamp_pb2.Timestamp
    urls: _containers.RepeatedCompositeFieldContainer[EntityUrl]
    def __init__(self, urls: _Optional[_Iterable[_Union[EntityUrl, _Mapping]]] = ..., expires: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateFileRequest(_message.Message):
    __slots__ = ["err_on_conflict", "metadata", "type", "uri"]
    class MetadataEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ERR_ON_CONFLICT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    err_on_conflict: bool
    metadata: _containers.ScalarMap[str, str]
    type: _models_pb2.FileType
    uri: str
    def __init__(self, uri: _Optional[str] = ..., type: _Optional[_Union[_models_pb2.FileType, str]] = ..., metadata: _Optional[_Mapping[str, str]] = ..., err_on_conflict: bool = ...) -> None: ...

class CreateFileResponse(_message.Message):
    __slots__ = ["file"]
    FILE_FIELD_NUMBER: _ClassVar[int]
    file: _models_pb2.File
    def __init__(self, file: _Optional[_Union[_models_pb2.File, _Mapping]] = ...) -> None: ...

class CreateFolderWatchRequest(_message.Message):
    __slots__ = ["uri"]
    URI_FIELD_NUMBER: _ClassVar[int]
    uri: str
    def __init__(self, uri: _Optional[str] = ...) -> None: ...

class CreateFolderWatchResponse(_message.Message):
    __slots__ = ["watch"]
    WATCH_FIELD_NUMBER: _ClassVar[int]
    watch: FolderWatch
    def __init__(self, watch: _Optional[_Union[FolderWatch, _Mapping]] = ...) -> None: ...

class CreateUploadSessionRequest(_message.Message):
    __slots__ = ["encryption_supported", "entity_type", "last_modified", "metadata", "mime_type", "policy_id", "previous", "size", "uri"]
    class MetadataEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ENCRYPTION_SUPPORTED_FIELD_NUMBER: _ClassVar[int]
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    LAST_MODIFIED_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    encryption_supported: _containers.RepeatedScalarFieldContainer[str]
    entity_type: str
    last_modified: _timestamp_pb2.Timestamp
    metadata: _containers.ScalarMap[str, str]
    mime_type: str
    policy_id: str
    previous: str
    size: int
    uri: str
    def __init__(self, uri: _Optional[str] = ..., size: _Optional[int] = ..., last_modified: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., mime_type: _Optional[str] = ..., policy_id: _Optional[str] = ..., metadata: _Optional[_Mapping[str, str]] = ..., entity_type: _Optional[str] = ..., encryption_supported: _Optional[_Iterable[str]] = ..., previous: _Optional[str] = ...) -> None: ...

class CreateUploadSessionResponse(_message.Message):
    __slots__ = ["session"]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: UploadSession
    def __init__(self, session: _Optional[_Union[UploadSession, _Mapping]] = ...) -> None: ...

class CreateViewerSessionRequest(_message.Message):
    __slots__ = ["parent_uri", "preferred_action", "uri", "version", "viewer_id"]
    PARENT_URI_FIELD_NUMBER: _ClassVar[int]
    PREFERRED_ACTION_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    VIEWER_ID_FIELD_NUMBER: _ClassVar[int]
    parent_uri: str
    preferred_action: str
    uri: str
    version: str
    viewer_id: str
    def __init__(self, uri: _Optional[str] = ..., viewer_id: _Optional[str] = ..., preferred_action: _Optional[str] = ..., version: _Optional[str] = ..., parent_uri: _Optional[str] = ...) -> None: ...

class CreateViewerSessionResponse(_message.Message):
    __slots__ = ["session", "wopi_src"]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    WOPI_SRC_FIELD_NUMBER: _ClassVar[int]
    session: ViewerSession
    wopi_src: str
    def __init__(self, session: _Optional[_Union[ViewerSession, _Mapping]] = ..., wopi_src: _Optional[str] = ...) -> None: ...

class CreatedDirectLink(_message.Message):
    __slots__ = ["file_url", "link"]
    FILE_URL_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    file_url: str
    link: str
    def __init__(self, link: _Optional[str] = ..., file_url: _Optional[str] = ...) -> None: ...

class DeleteDirectLinkRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteDirectLinkResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class DeleteFileVersionRequest(_message.Message):
    __slots__ = ["uri", "version"]
    URI_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    uri: str
    version: str
    def __init__(self, uri: _Optional[str] = ..., version: _Optional[str] = ...) -> None: ...

class DeleteFileVersionResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class DeleteFilesRequest(_message.Message):
    __slots__ = ["skip_soft_delete", "unlink", "uris"]
    SKIP_SOFT_DELETE_FIELD_NUMBER: _ClassVar[int]
    UNLINK_FIELD_NUMBER: _ClassVar[int]
    URIS_FIELD_NUMBER: _ClassVar[int]
    skip_soft_delete: bool
    unlink: bool
    uris: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, uris: _Optional[_Iterable[str]] = ..., unlink: bool = ..., skip_soft_delete: bool = ...) -> None: ...

class DeleteFilesResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class DeleteFolderWatchRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteFolderWatchResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class DeletePermissionRequest(_message.Message):
    __slots__ = ["uris"]
    URIS_FIELD_NUMBER: _ClassVar[int]
    uris: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, uris: _Optional[_Iterable[str]] = ...) -> None: ...

class DeletePermissionResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class DeletePinRequest(_message.Message):
    __slots__ = ["uri"]
    URI_FIELD_NUMBER: _ClassVar[int]
    uri: str
    def __init__(self, uri: _Optional[str] = ...) -> None: ...

class DeletePinResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class DeleteUploadSessionRequest(_message.Message):
    __slots__ = ["id", "uri"]
    ID_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    id: str
    uri: str
    def __init__(self, id: _Optional[str] = ..., uri: _Optional[str] = ...) -> None: ...

class DeleteUploadSessionResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class DownloadFileRequest(_message.Message):
    __slots__ = ["entity", "length", "offset", "skip_sha256", "uri"]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    SKIP_SHA256_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    entity: str
    length: int
    offset: int
    skip_sha256: bool
    uri: str
    def __init__(self, uri: _Optional[str] = ..., entity: _Optional[str] = ..., offset: _Optional[int] = ..., length: _Optional[int] = ..., skip_sha256: bool = ...) -> None: ...

class DownloadFileResponse(_message.Message):
    __slots__ = ["data", "info"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    INFO_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    info: DownloadInfo
    def __init__(self, info: _Optional[_Union[DownloadInfo, _Mapping]] = ..., data: _Optional[bytes] = ...) -> None: ...

class DownloadInfo(_message.Message):
    __slots__ = ["content_type", "length", "name", "offset", "size"]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    content_type: str
    length: int
    name: str
    offset: int
    size: int
    def __init__(self, name: _Optional[str] = ..., content_type: _Optional[str] = ..., size: _Optional[int] = ..., offset: _Optional[int] = ..., length: _Optional[int] = ...) -> None: ...

class EncryptMetadata(_message.Message):
    __slots__ = ["algorithm", "iv", "key_plain_text"]
    ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    IV_FIELD_NUMBER: _ClassVar[int]
    KEY_PLAIN_TEXT_FIELD_NUMBER: _ClassVar[int]
    algorithm: str
    iv: str
    key_plain_text: str
    def __init__(self, algorithm: _Optional[str] = ..., key_plain_text: _Optional[str] = ..., iv: _Optional[str] = ...) -> None: ...

class EntityUrl(_message.Message):
    __slots__ = ["stream_saver_display_name", "url"]
    STREAM_SAVER_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    stream_saver_display_name: str
    url: str
    def __init__(self, url: _Optional[str] = ..., stream_saver_display_name: _Optional[str] = ...) -> None: ...

class FolderWatch(_message.Message):
    __slots__ = ["configured", "create_time", "id", "uri", "user_id"]
    CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    configured: bool
    create_time: _timestamp_pb2.Timestamp
    id: str
    uri: str
    user_id: str
    def __init__(self, id: _Optional[str] = ..., uri: _Optional[str] = ..., user_id: _Optional[str] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., configured: bool = ...) -> None: ...

class ForceUnlockRequest(_message.Message):
    __slots__ = ["tokens"]
    TOKENS_FIELD_NUMBER: _ClassVar[int]
    tokens: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tokens: _Optional[_Iterable[str]] = ...) -> None: ...

class ForceUnlockResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetArchiveFileListRequest(_message.Message):
    __slots__ = ["entity", "text_encoding", "uri"]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    TEXT_ENCODING_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    entity: str
    text_encoding: str
    uri: str
    def __init__(self, uri: _Optional[str] = ..., entity: _Optional[str] = ..., text_encoding: _Optional[str] = ...) -> None: ...

class GetArchiveFileListResponse(_message.Message):
    __slots__ = ["files"]
    FILES_FIELD_NUMBER: _ClassVar[int]
    files: _containers.RepeatedCompositeFieldContainer[_models_pb2.ArchivedFile]
    def __init__(self, files: _Optional[_Iterable[_Union[_models_pb2.ArchivedFile, _Mapping]]] = ...) -> None: ...

class GetFileInfoRequest(_message.Message):
    __slots__ = ["extended", "folder_summary", "id", "uri"]
    EXTENDED_FIELD_NUMBER: _ClassVar[int]
    FOLDER_SUMMARY_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    extended: bool
    folder_summary: bool
    id: str
    uri: str
    def __init__(self, uri: _Optional[str] = ..., id: _Optional[str] = ..., extended: bool = ..., folder_summary: bool = ...) -> None: ...

class GetFileInfoResponse(_message.Message):
    __slots__ = ["file"]
    FILE_FIELD_NUMBER: _ClassVar[int]
    file: _models_pb2.File
    def __init__(self, file: _Optional[_Union[_models_pb2.File, _Mapping]] = ...) -> None: ...

class GetThumbnailUrlRequest(_message.Message):
    __slots__ = ["context_hint", "uri"]
    CONTEXT_HINT_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    context_hint: str
    uri: str
    def __init__(self, uri: _Optional[str] = ..., context_hint: _Optional[str] = ...) -> None: ...

class GetThumbnailUrlResponse(_message.Message):
    __slots__ = ["expires", "obfuscated", "url"]
    EXPIRES_FIELD_NUMBER: _ClassVar[int]
    OBFUSCATED_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    expires: _timestamp_pb2.Timestamp
    obfuscated: bool
    url: str
    def __init__(self, url: _Optional[str] = ..., expires: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., obfuscated: bool = ...) -> None: ...

class ListFileActivitiesRequest(_message.Message):
    __slots__ = ["filter", "order_direction", "page_size", "page_token", "purchase_ticket", "uri"]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    ORDER_DIRECTION_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PURCHASE_TICKET_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    filter: ActivityFilter
    order_direction: _models_pb2.OrderDirection
    page_size: int
    page_token: str
    purchase_ticket: str
    uri: str
    def __init__(self, uri: _Optional[str] = ..., page_size: _Optional[int] = ..., order_direction: _Optional[_Union[_models_pb2.OrderDirection, str]] = ..., page_token: _Optional[str] = ..., filter: _Optional[_Union[ActivityFilter, str]] = ..., purchase_ticket: _Optional[str] = ...) -> None: ...

class ListFileActivitiesResponse(_message.Message):
    __slots__ = ["activities", "next_page_token"]
    ACTIVITIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    activities: _containers.RepeatedCompositeFieldContainer[_models_pb2.Activity]
    next_page_token: str
    def __init__(self, activities: _Optional[_Iterable[_Union[_models_pb2.Activity, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListFilesRequest(_message.Message):
    __slots__ = ["order_by", "order_direction", "page_size", "page_token", "uri"]
    ORDER_BY_FIELD_NUMBER: _ClassVar[int]
    ORDER_DIRECTION_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    order_by: ListOrderBy
    order_direction: _models_pb2.OrderDirection
    page_size: int
    page_token: str
    uri: str
    def __init__(self, uri: _Optional[str] = ..., page_size: _Optional[int] = ..., order_by: _Optional[_Union[ListOrderBy, str]] = ..., order_direction: _Optional[_Union[_models_pb2.OrderDirection, str]] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListFilesResponse(_message.Message):
    __slots__ = ["context_hint", "files", "mixed_type", "next_page_token", "parent", "props", "recursion_limit_reached", "single_file_view", "storage_policy", "total_size", "view"]
    CONTEXT_HINT_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    MIXED_TYPE_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    PROPS_FIELD_NUMBER: _ClassVar[int]
    RECURSION_LIMIT_REACHED_FIELD_NUMBER: _ClassVar[int]
    SINGLE_FILE_VIEW_FIELD_NUMBER: _ClassVar[int]
    STORAGE_POLICY_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    context_hint: str
    files: _containers.RepeatedCompositeFieldContainer[_models_pb2.File]
    mixed_type: bool
    next_page_token: str
    parent: _models_pb2.File
    props: _models_pb2.NavigatorProps
    recursion_limit_reached: bool
    single_file_view: bool
    storage_policy: _models_pb2.StoragePolicy
    total_size: int
    view: _models_pb2.ExplorerView
    def __init__(self, files: _Optional[_Iterable[_Union[_models_pb2.File, _Mapping]]] = ..., parent: _Optional[_Union[_models_pb2.File, _Mapping]] = ..., props: _Optional[_Union[_models_pb2.NavigatorProps, _Mapping]] = ..., context_hint: _Optional[str] = ..., recursion_limit_reached: bool = ..., mixed_type: bool = ..., single_file_view: bool = ..., storage_policy: _Optional[_Union[_models_pb2.StoragePolicy, _Mapping]] = ..., view: _Optional[_Union[_models_pb2.ExplorerView, _Mapping]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class ListFolderWatchesRequest(_message.Message):
    __slots__ = ["page_size", "page_token"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListFolderWatchesResponse(_message.Message):
    __slots__ = ["next_page_token", "watches"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    WATCHES_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    watches: _containers.RepeatedCompositeFieldContainer[FolderWatch]
    def __init__(self, watches: _Optional[_Iterable[_Union[FolderWatch, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class MetadataPatch(_message.Message):
    __slots__ = ["key", "private", "remove", "value"]
    KEY_FIELD_NUMBER: _ClassVar[int]
    PRIVATE_FIELD_NUMBER: _ClassVar[int]
    REMOVE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    key: str
    private: bool
    remove: bool
    value: str
    def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ..., private: bool = ..., remove: bool = ...) -> None: ...

class MountStoragePolicyRequest(_message.Message):
    __slots__ = ["policy_id", "uri"]
    POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    policy_id: str
    uri: str
    def __init__(self, uri: _Optional[str] = ..., policy_id: _Optional[str] = ...) -> None: ...

class MountStoragePolicyResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class MoveFilesRequest(_message.Message):
    __slots__ = ["copy", "dst", "uris"]
    COPY_FIELD_NUMBER: _ClassVar[int]
    DST_FIELD_NUMBER: _ClassVar[int]
    URIS_FIELD_NUMBER: _ClassVar[int]
    copy: bool
    dst: str
    uris: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, uris: _Optional[_Iterable[str]] = ..., dst: _Optional[str] = ..., copy: bool = ...) -> None: ...

class MoveFilesResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class PatchMetadataRequest(_message.Message):
    __slots__ = ["patches", "uris"]
    PATCHES_FIELD_NUMBER: _ClassVar[int]
    URIS_FIELD_NUMBER: _ClassVar[int]
    patches: _containers.RepeatedCompositeFieldContainer[MetadataPatch]
    uris: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, uris: _Optional[_Iterable[str]] = ..., patches: _Optional[_Iterable[_Union[MetadataPatch, _Mapping]]] = ...) -> None: ...

class PatchMetadataResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class PinToSidebarRequest(_message.Message):
    __slots__ = ["name", "uri"]
    NAME_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    name: str
    uri: str
    def __init__(self, uri: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class PinToSidebarResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class RenameFileRequest(_message.Message):
    __slots__ = ["new_name", "uri"]
    NEW_NAME_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    new_name: str
    uri: str
    def __init__(self, uri: _Optional[str] = ..., new_name: _Optional[str] = ...) -> None: ...

class RenameFileResponse(_message.Message):
    __slots__ = ["file"]
    FILE_FIELD_NUMBER: _ClassVar[int]
    file: _models_pb2.File
    def __init__(self, file: _Optional[_Union[_models_pb2.File, _Mapping]] = ...) -> None: ...

class RestoreFilesRequest(_message.Message):
    __slots__ = ["uris"]
    URIS_FIELD_NUMBER: _ClassVar[int]
    uris: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, uris: _Optional[_Iterable[str]] = ...) -> None: ...

class RestoreFilesResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class SetFileVersionRequest(_message.Message):
    __slots__ = ["uri", "version"]
    URI_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    uri: str
    version: str
    def __init__(self, uri: _Optional[str] = ..., version: _Optional[str] = ...) -> None: ...

class SetFileVersionResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class SetPermissionRequest(_message.Message):
    __slots__ = ["setting", "uris"]
    SETTING_FIELD_NUMBER: _ClassVar[int]
    URIS_FIELD_NUMBER: _ClassVar[int]
    setting: _models_pb2.PermissionSetting
    uris: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, uris: _Optional[_Iterable[str]] = ..., setting: _Optional[_Union[_models_pb2.PermissionSetting, _Mapping]] = ...) -> None: ...

class SetPermissionResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class StreamFilesRequest(_message.Message):
    __slots__ = ["order_by", "order_direction", "page_size", "uri"]
    ORDER_BY_FIELD_NUMBER: _ClassVar[int]
    ORDER_DIRECTION_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    order_by: ListOrderBy
    order_direction: _models_pb2.OrderDirection
    page_size: int
    uri: str
    def __init__(self, uri: _Optional[str] = ..., page_size: _Optional[int] = ..., order_by: _Optional[_Union[ListOrderBy, str]] = ..., order_direction: _Optional[_Union[_models_pb2.OrderDirection, str]] = ...) -> None: ...

class StreamFilesResponse(_message.Message):
    __slots__ = ["files", "page", "parent"]
    FILES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    files: _containers.RepeatedCompositeFieldContainer[_models_pb2.File]
    page: int
    parent: _models_pb2.File
    def __init__(self, files: _Optional[_Iterable[_Union[_models_pb2.File, _Mapping]]] = ..., parent: _Optional[_Union[_models_pb2.File, _Mapping]] = ..., page: _Optional[int] = ...) -> None: ...

class UpdateFileContentRequest(_message.Message):
    __slots__ = ["content", "previous", "uri"]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    content: bytes
    previous: str
    uri: str
    def __init__(self, uri: _Optional[str] = ..., previous: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class UpdateFileContentResponse(_message.Message):
    __slots__ = ["file"]
    FILE_FIELD_NUMBER: _ClassVar[int]
    file: _models_pb2.File
    def __init__(self, file: _Optional[_Union[_models_pb2.File, _Mapping]] = ...) -> None: ...

class UpdateViewSettingRequest(_message.Message):
    __slots__ = ["uri", "view"]
    URI_FIELD_NUMBER: _ClassVar[int]
    VIEW_FIELD_NUMBER: _ClassVar[int]
    uri: str
    view: _models_pb2.ExplorerView
    def __init__(self, uri: _Optional[str] = ..., view: _Optional[_Union[_models_pb2.ExplorerView, _Mapping]] = ...) -> None: ...

class UpdateViewSettingResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class UploadFileChunkRequest(_message.Message):
    __slots__ = ["content", "index", "session_id"]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    content: bytes
    index: int
    session_id: str
    def __init__(self, session_id: _Optional[str] = ..., index: _Optional[int] = ..., content: _Optional[bytes] = ...) -> None: ...

class UploadFileChunkResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class UploadFileHeader(_message.Message):
    __slots__ = ["last_modified", "metadata", "mime_type", "overwrite", "policy_id", "previous", "size", "skip_sha256", "uri"]
    class MetadataEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    LAST_MODIFIED_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    OVERWRITE_FIELD_NUMBER: _ClassVar[int]
    POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    SKIP_SHA256_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    last_modified: _timestamp_pb2.Timestamp
    metadata: _containers.ScalarMap[str, str]
    mime_type: str
    overwrite: bool
    policy_id: str
    previous: str
    size: int
    skip_sha256: bool
    uri: str
    def __init__(self, uri: _Optional[str] = ..., size: _Optional[int] = ..., mime_type: _Optional[str] = ..., last_modified: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., overwrite: bool = ..., previous: _Optional[str] = ..., policy_id: _Optional[str] = ..., metadata: _Optional[_Mapping[str, str]] = ..., skip_sha256: bool = ...) -> None: ...

class UploadFileRequest(_message.Message):
    __slots__ = ["chunk", "header"]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    HEADER_FIELD_NUMBER: _ClassVar[int]
    chunk: bytes
    header: UploadFileHeader
    def __init__(self, header: _Optional[_Union[UploadFileHeader, _Mapping]] = ..., chunk: _Optional[bytes] = ...) -> None: ...

class UploadFileResponse(_message.Message):
    __slots__ = ["chunks", "file", "sha256"]
    CHUNKS_FIELD_NUMBER: _ClassVar[int]
    FILE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    chunks: int
    file: _models_pb2.File
    sha256: str
    def __init__(self, file: _Optional[_Union[_models_pb2.File, _Mapping]] = ..., sha256: _Optional[str] = ..., chunks: _Optional[int] = ...) -> None: ...

class UploadSession(_message.Message):
    __slots__ = ["ak", "callback_secret", "chunk_size", "complete_url", "credential", "encrypt_metadata", "expires", "key_time", "mime_type", "session_id", "storage_policy", "upload_id", "upload_policy", "upload_urls", "uri"]
    AK_FIELD_NUMBER: _ClassVar[int]
    CALLBACK_SECRET_FIELD_NUMBER: _ClassVar[int]
    CHUNK_SIZE_FIELD_NUMBER: _ClassVar[int]
    COMPLETE_URL_FIELD_NUMBER: _ClassVar[int]
    CREDENTIAL_FIELD_NUMBER: _ClassVar[int]
    ENCRYPT_METADATA_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_FIELD_NUMBER: _ClassVar[int]
    KEY_TIME_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    STORAGE_POLICY_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_ID_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_POLICY_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_URLS_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    ak: str
    callback_secret: str
    chunk_size: int
    complete_url: str
    credential: str
    encrypt_metadata: EncryptMetadata
    expires: _timestamp_pb2.Timestamp
    key_time: str
    mime_type: str
    session_id: str
    storage_policy: _models_pb2.StoragePolicy
    upload_id: str
    upload_policy: str
    upload_urls: _containers.RepeatedScalarFieldContainer[str]
    uri: str
    def __init__(self, session_id: _Optional[str] = ..., upload_id: _Optional[str] = ..., chunk_size: _Optional[int] = ..., expires: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., upload_urls: _Optional[_Iterable[str]] = ..., credential: _Optional[str] = ..., complete_url: _Optional[str] = ..., storage_policy: _Optional[_Union[_models_pb2.StoragePolicy, _Mapping]] = ..., uri: _Optional[str] = ..., callback_secret: _Optional[str] = ..., mime_type: _Optional[str] = ..., upload_policy: _Optional[str] = ..., encrypt_metadata: _Optional[_Union[EncryptMetadata, _Mapping]] = ..., ak: _Optional[str] = ..., key_time: _Optional[str] = ...) -> None: ...

class ViewerSession(_message.Message):
    __slots__ = ["access_token", "expires", "id"]
    ACCESS_TOKEN_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    access_token: str
    expires: _timestamp_pb2.Timestamp
    id: str
    def __init__(self, id: _Optional[str] = ..., access_token: _Optional[str] = ..., expires: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class WatchFileEventsRequest(_message.Message):
    __slots__ = ["after_sequence", "all_retained", "kinds", "new_only", "since_time", "watch_id"]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    ALL_RETAINED_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    NEW_ONLY_FIELD_NUMBER: _ClassVar[int]
    SINCE_TIME_FIELD_NUMBER: _ClassVar[int]
    WATCH_ID_FIELD_NUMBER: _ClassVar[int]
    after_sequence: int
    all_retained: bool
    kinds: _containers.RepeatedScalarFieldContainer[_file_event_pb2.FileEventKind]
    new_only: bool
    since_time: _timestamp_pb2.Timestamp
    watch_id: str
    def __init__(self, kinds: _Optional[_Iterable[_Union[_file_event_pb2.FileEventKind, str]]] = ..., watch_id: _Optional[str] = ..., new_only: bool = ..., all_retained: bool = ..., after_sequence: _Optional[int] = ..., since_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class WatchFileEventsResponse(_message.Message):
    __slots__ = ["event", "stream_sequence"]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    STREAM_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    event: _file_event_pb2.FileEvent
    stream_sequence: int
    def __init__(self, event: _Optional[_Union[_file_event_pb2.FileEvent, _Mapping]] = ..., stream_sequence: _Optional[int] = ...) -> None: ...

class WatchFilesRequest(_message.Message):
    __slots__ = ["resume_key", "uri"]
    RESUME_KEY_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    resume_key: str
    uri: str
    def __init__(self, uri: _Optional[str] = ..., resume_key: _Optional[str] = ...) -> None: ...

class WatchFilesResponse(_message.Message):
    __slots__ = ["event", "state"]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    event: _file_event_pb2.FileEvent
    state: WatchFilesState
    def __init__(self, state: _Optional[_Union[WatchFilesState, str]] = ..., event: _Optional[_Union[_file_event_pb2.FileEvent, _Mapping]] = ...) -> None: ...

class ListOrderBy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ActivityFilter(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class WatchFilesState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

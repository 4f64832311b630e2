from buf.validate import validate_pb2 as _validate_pb2
from cloudreve.common.v1 import validate_pb2 as _validate_pb2_1
from cloudreve.events.v1 import task_event_pb2 as _task_event_pb2
from cloudreve.task.v1 import task_pb2 as _task_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
TASK_CATEGORY_DOWNLOADED: TaskCategory
TASK_CATEGORY_DOWNLOADING: TaskCategory
TASK_CATEGORY_GENERAL: TaskCategory
TASK_CATEGORY_UNSPECIFIED: TaskCategory

class CancelTaskRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class CancelTaskResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class CreateArchiveRequest(_message.Message):
    __slots__ = ["dst", "preferred_node_id", "src"]
    DST_FIELD_NUMBER: _ClassVar[int]
    PREFERRED_NODE_ID_FIELD_NUMBER: _ClassVar[int]
    SRC_FIELD_NUMBER: _ClassVar[int]
    dst: str
    preferred_node_id: str
    src: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, src: _Optional[_Iterable[str]] = ..., dst: _Optional[str] = ..., preferred_node_id: _Optional[str] = ...) -> None: ...

class CreateArchiveResponse(_message.Message):
    __slots__ = ["task"]
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: _task_pb2.Task
    def __init__(self, task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ...) -> None: ...

class CreateRemoteDownloadRequest(_message.Message):
    __slots__ = ["dst", "preferred_node_id", "src", "src_file"]
    DST_FIELD_NUMBER: _ClassVar[int]
    PREFERRED_NODE_ID_FIELD_NUMBER: _ClassVar[int]
    SRC_FIELD_NUMBER: _ClassVar[int]
    SRC_FILE_FIELD_NUMBER: _ClassVar[int]
    dst: str
    preferred_node_id: str
    src: _containers.RepeatedScalarFieldContainer[str]
    src_file: str
    def __init__(self, src: _Optional[_Iterable[str]] = ..., src_file: _Optional[str] = ..., dst: _Optional[str] = ..., preferred_node_id: _Optional[str] = ...) -> None: ...

class CreateRemoteDownloadResponse(_message.Message):
    __slots__ = ["tasks"]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[_task_pb2.Task]
    def __init__(self, tasks: _Optional[_Iterable[_Union[_task_pb2.Task, _Mapping]]] = ...) -> None: ...

class ExtractArchiveRequest(_message.Message):
    __slots__ = ["dst", "encoding", "file_mask", "password", "preferred_node_id", "src"]
    DST_FIELD_NUMBER: _ClassVar[int]
    ENCODING_FIELD_NUMBER: _ClassVar[int]
    FILE_MASK_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    PREFERRED_NODE_ID_FIELD_NUMBER: _ClassVar[int]
    SRC_FIELD_NUMBER: _ClassVar[int]
    dst: str
    encoding: str
    file_mask: _containers.RepeatedScalarFieldContainer[str]
    password: str
    preferred_node_id: str
    src: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, src: _Optional[_Iterable[str]] = ..., dst: _Optional[str] = ..., encoding: _Optional[str] = ..., password: _Optional[str] = ..., file_mask: _Optional[_Iterable[str]] = ..., preferred_node_id: _Optional[str] = ...) -> None: ...

class ExtractArchiveResponse(_message.Message):
    __slots__ = ["task"]
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: _task_pb2.Task
    def __init__(self, task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ...) -> None: ...

class FileSelection(_message.Message):
    __slots__ = ["download", "index"]
    DOWNLOAD_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    download: bool
    index: int
    def __init__(self, index: _Optional[int] = ..., download: bool = ...) -> None: ...

class GetTaskProgressRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetTaskProgressResponse(_message.Message):
    __slots__ = ["progress"]
    class ProgressEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _task_pb2.Progress
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_task_pb2.Progress, _Mapping]] = ...) -> None: ...
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    progress: _containers.MessageMap[str, _task_pb2.Progress]
    def __init__(self, progress: _Optional[_Mapping[str, _task_pb2.Progress]] = ...) -> None: ...

class ImportExternalFilesRequest(_message.Message):
    __slots__ = ["dst", "extract_media_meta", "policy_id", "recursive", "src", "user_id"]
    DST_FIELD_NUMBER: _ClassVar[int]
    EXTRACT_MEDIA_META_FIELD_NUMBER: _ClassVar[int]
    POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    RECURSIVE_FIELD_NUMBER: _ClassVar[int]
    SRC_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    dst: str
    extract_media_meta: bool
    policy_id: int
    recursive: bool
    src: str
    user_id: str
    def __init__(self, src: _Optional[str] = ..., dst: _Optional[str] = ..., user_id: _Optional[str] = ..., policy_id: _Optional[int] = ..., recursive: bool = ..., extract_media_meta: bool = ...) -> None: ...

class ImportExternalFilesResponse(_message.Message):
    __slots__ = ["task"]
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: _task_pb2.Task
    def __init__(self, task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ...) -> None: ...

class ListTasksRequest(_message.Message):
    __slots__ = ["category", "page_size", "page_token"]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    category: TaskCategory
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., category: _Optional[_Union[TaskCategory, str]] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTasksResponse(_message.Message):
    __slots__ = ["next_page_token", "tasks"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    tasks: _containers.RepeatedCompositeFieldContainer[_task_pb2.Task]
    def __init__(self, tasks: _Optional[_Iterable[_Union[_task_pb2.Task, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RelocateStoragePolicyRequest(_message.Message):
    __slots__ = ["dst_policy_id", "src"]
    DST_POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    SRC_FIELD_NUMBER: _ClassVar[int]
    dst_policy_id: str
    src: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, src: _Optional[_Iterable[str]] = ..., dst_policy_id: _Optional[str] = ...) -> None: ...

class RelocateStoragePolicyResponse(_message.Message):
    __slots__ = ["task"]
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: _task_pb2.Task
    def __init__(self, task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ...) -> None: ...

class SelectFilesToDownloadRequest(_message.Message):
    __slots__ = ["files", "id"]
    FILES_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    files: _containers.RepeatedCompositeFieldContainer[FileSelection]
    id: str
    def __init__(self, id: _Optional[str] = ..., files: _Optional[_Iterable[_Union[FileSelection, _Mapping]]] = ...) -> None: ...

class SelectFilesToDownloadResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class WaitTaskRequest(_message.Message):
    __slots__ = ["id", "timeout"]
    ID_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    id: str
    timeout: _duration_pb2.Duration
    def __init__(self, id: _Optional[str] = ..., timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class WaitTaskResponse(_message.Message):
    __slots__ = ["done", "task", "watch_lost"]
    DONE_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    WATCH_LOST_FIELD_NUMBER: _ClassVar[int]
    done: bool
    task: _task_pb2.Task
    watch_lost: _task_event_pb2.WatchLost
    def __init__(self, task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ..., done: bool = ..., watch_lost: _Optional[_Union[_task_event_pb2.WatchLost, _Mapping]] = ...) -> None: ...

class WatchTaskRequest(_message.Message):
    __slots__ = ["id"]
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class WatchTaskResponse(_message.Message):
    __slots__ = ["event", "stream_sequence"]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    STREAM_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    event: _task_event_pb2.TaskEvent
    stream_sequence: int
    def __init__(self, event: _Optional[_Union[_task_event_pb2.TaskEvent, _Mapping]] = ..., stream_sequence: _Optional[int] = ...) -> None: ...

class WatchTasksRequest(_message.Message):
    __slots__ = ["after_sequence", "all_retained", "new_only", "since_time", "types"]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    ALL_RETAINED_FIELD_NUMBER: _ClassVar[int]
    NEW_ONLY_FIELD_NUMBER: _ClassVar[int]
    SINCE_TIME_FIELD_NUMBER: _ClassVar[int]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    after_sequence: int
    all_retained: bool
    new_only: bool
    since_time: _timestamp_pb2.Timestamp
    types: _containers.RepeatedScalarFieldContainer[_task_pb2.TaskType]
    def __init__(self, types: _Optional[_Iterable[_Union[_task_pb2.TaskType, str]]] = ..., new_only: bool = ..., all_retained: bool = ..., after_sequence: _Optional[int] = ..., since_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class WatchTasksResponse(_message.Message):
    __slots__ = ["event", "stream_sequence"]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    STREAM_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    event: _task_event_pb2.TaskEvent
    stream_sequence: int
    def __init__(self, event: _Optional[_Union[_task_event_pb2.TaskEvent, _Mapping]] = ..., stream_sequence: _Optional[int] = ...) -> None: ...

class TaskCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

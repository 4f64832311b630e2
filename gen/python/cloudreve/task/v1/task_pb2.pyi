from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
DOWNLOAD_STATE_COMPLETED: DownloadState
DOWNLOAD_STATE_DOWNLOADING: DownloadState
DOWNLOAD_STATE_ERROR: DownloadState
DOWNLOAD_STATE_SEEDING: DownloadState
DOWNLOAD_STATE_UNKNOWN: DownloadState
DOWNLOAD_STATE_UNSPECIFIED: DownloadState
NODE_TYPE_MASTER: NodeType
NODE_TYPE_SLAVE: NodeType
NODE_TYPE_UNSPECIFIED: NodeType
TASK_STATUS_CANCELED: TaskStatus
TASK_STATUS_COMPLETED: TaskStatus
TASK_STATUS_ERROR: TaskStatus
TASK_STATUS_PROCESSING: TaskStatus
TASK_STATUS_QUEUED: TaskStatus
TASK_STATUS_SUSPENDING: TaskStatus
TASK_STATUS_UNSPECIFIED: TaskStatus
TASK_TYPE_CREATE_ARCHIVE: TaskType
TASK_TYPE_EXTRACT_ARCHIVE: TaskType
TASK_TYPE_FULL_TEXT_REBUILD: TaskType
TASK_TYPE_IMPORT: TaskType
TASK_TYPE_RELOCATE: TaskType
TASK_TYPE_REMOTE_DOWNLOAD: TaskType
TASK_TYPE_UNSPECIFIED: TaskType

class DownloadFile(_message.Message):
    __slots__ = ["index", "name", "progress", "selected", "size"]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    SELECTED_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    index: int
    name: str
    progress: float
    selected: bool
    size: int
    def __init__(self, index: _Optional[int] = ..., name: _Optional[str] = ..., size: _Optional[int] = ..., progress: _Optional[float] = ..., selected: bool = ...) -> None: ...

class DownloadStatus(_message.Message):
    __slots__ = ["download_speed", "downloaded", "error_message", "files", "hash", "name", "num_pieces", "state", "total", "upload_speed", "uploaded"]
    DOWNLOADED_FIELD_NUMBER: _ClassVar[int]
    DOWNLOAD_SPEED_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NUM_PIECES_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    UPLOADED_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_SPEED_FIELD_NUMBER: _ClassVar[int]
    download_speed: int
    downloaded: int
    error_message: str
    files: _containers.RepeatedCompositeFieldContainer[DownloadFile]
    hash: str
    name: str
    num_pieces: int
    state: DownloadState
    total: int
    upload_speed: int
    uploaded: int
    def __init__(self, name: _Optional[str] = ..., state: _Optional[_Union[DownloadState, str]] = ..., total: _Optional[int] = ..., downloaded: _Optional[int] = ..., download_speed: _Optional[int] = ..., uploaded: _Optional[int] = ..., upload_speed: _Optional[int] = ..., hash: _Optional[str] = ..., files: _Optional[_Iterable[_Union[DownloadFile, _Mapping]]] = ..., num_pieces: _Optional[int] = ..., error_message: _Optional[str] = ...) -> None: ...

class Node(_message.Message):
    __slots__ = ["capabilities", "id", "name", "type"]
    CAPABILITIES_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    capabilities: str
    id: str
    name: str
    type: NodeType
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., type: _Optional[_Union[NodeType, str]] = ..., capabilities: _Optional[str] = ...) -> None: ...

class Progress(_message.Message):
    __slots__ = ["current", "identifier", "total"]
    CURRENT_FIELD_NUMBER: _ClassVar[int]
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    current: int
    identifier: str
    total: int
    def __init__(self, total: _Optional[int] = ..., current: _Optional[int] = ..., identifier: _Optional[str] = ...) -> None: ...

class Task(_message.Message):
    __slots__ = ["created_at", "duration", "error", "error_history", "id", "node", "phase", "progress", "resume_time", "retry_count", "status", "summary", "type", "updated_at"]
    class ProgressEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: Progress
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[Progress, _Mapping]] = ...) -> None: ...
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    ERROR_HISTORY_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    PHASE_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    RESUME_TIME_FIELD_NUMBER: _ClassVar[int]
    RETRY_COUNT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    duration: _duration_pb2.Duration
    error: str
    error_history: _containers.RepeatedScalarFieldContainer[str]
    id: str
    node: Node
    phase: str
    progress: _containers.MessageMap[str, Progress]
    resume_time: _timestamp_pb2.Timestamp
    retry_count: int
    status: TaskStatus
    summary: TaskSummary
    type: TaskType
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., type: _Optional[_Union[TaskType, str]] = ..., status: _Optional[_Union[TaskStatus, str]] = ..., phase: _Optional[str] = ..., summary: _Optional[_Union[TaskSummary, _Mapping]] = ..., progress: _Optional[_Mapping[str, Progress]] = ..., error: _Optional[str] = ..., error_history: _Optional[_Iterable[str]] = ..., retry_count: _Optional[int] = ..., node: _Optional[_Union[Node, _Mapping]] = ..., duration: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., resume_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TaskSummary(_message.Message):
    __slots__ = ["download", "dst", "dst_policy_id", "failed", "props", "src", "src_multiple", "src_str"]
    DOWNLOAD_FIELD_NUMBER: _ClassVar[int]
    DST_FIELD_NUMBER: _ClassVar[int]
    DST_POLICY_ID_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    PROPS_FIELD_NUMBER: _ClassVar[int]
    SRC_FIELD_NUMBER: _ClassVar[int]
    SRC_MULTIPLE_FIELD_NUMBER: _ClassVar[int]
    SRC_STR_FIELD_NUMBER: _ClassVar[int]
    download: DownloadStatus
    dst: str
    dst_policy_id: str
    failed: int
    props: _struct_pb2.Struct
    src: str
    src_multiple: _containers.RepeatedScalarFieldContainer[str]
    src_str: str
    def __init__(self, src_multiple: _Optional[_Iterable[str]] = ..., src: _Optional[str] = ..., src_str: _Optional[str] = ..., dst: _Optional[str] = ..., failed: _Optional[int] = ..., dst_policy_id: _Optional[str] = ..., download: _Optional[_Union[DownloadStatus, _Mapping]] = ..., props: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class TaskStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class TaskType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class NodeType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class DownloadState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

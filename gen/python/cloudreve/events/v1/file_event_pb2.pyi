from cloudreve.events.v1 import task_event_pb2 as _task_event_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
FILE_EVENT_KIND_CREATED: FileEventKind
FILE_EVENT_KIND_DELETED: FileEventKind
FILE_EVENT_KIND_MODIFIED: FileEventKind
FILE_EVENT_KIND_RENAMED: FileEventKind
FILE_EVENT_KIND_UNSPECIFIED: FileEventKind
FILE_EVENT_KIND_WATCH_LOST: FileEventKind

class FileEvent(_message.Message):
    __slots__ = ["file_id", "folder_uri", "id", "kind", "new_path", "observed_at", "path", "previous_uri", "uri", "user_id", "watch_id", "watch_lost"]
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    FOLDER_URI_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NEW_PATH_FIELD_NUMBER: _ClassVar[int]
    OBSERVED_AT_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_URI_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    WATCH_ID_FIELD_NUMBER: _ClassVar[int]
    WATCH_LOST_FIELD_NUMBER: _ClassVar[int]
    file_id: str
    folder_uri: str
    id: str
    kind: FileEventKind
    new_path: str
    observed_at: _timestamp_pb2.Timestamp
    path: str
    previous_uri: str
    uri: str
    user_id: str
    watch_id: str
    watch_lost: _task_event_pb2.WatchLost
    def __init__(self, id: _Optional[str] = ..., user_id: _Optional[str] = ..., kind: _Optional[_Union[FileEventKind, str]] = ..., file_id: _Optional[str] = ..., path: _Optional[str] = ..., new_path: _Optional[str] = ..., uri: _Optional[str] = ..., previous_uri: _Optional[str] = ..., folder_uri: _Optional[str] = ..., watch_id: _Optional[str] = ..., observed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., watch_lost: _Optional[_Union[_task_event_pb2.WatchLost, _Mapping]] = ...) -> None: ...

class FileEventKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

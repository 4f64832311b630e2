from cloudreve.task.v1 import task_pb2 as _task_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

CHANGE_FINISHED: Change
CHANGE_FIRST_SEEN: Change
CHANGE_PHASE: Change
CHANGE_PROGRESS: Change
CHANGE_STATUS: Change
CHANGE_UNSPECIFIED: Change
CHANGE_WATCH_LOST: Change
DESCRIPTOR: _descriptor.FileDescriptor
WATCH_LOST_REASON_CREDENTIALS_EXPIRED: WatchLostReason
WATCH_LOST_REASON_CREDENTIALS_UNAVAILABLE: WatchLostReason
WATCH_LOST_REASON_FEATURE_DISABLED: WatchLostReason
WATCH_LOST_REASON_FOLDER_GONE: WatchLostReason
WATCH_LOST_REASON_PERMISSION_DENIED: WatchLostReason
WATCH_LOST_REASON_TASK_GONE: WatchLostReason
WATCH_LOST_REASON_UNSPECIFIED: WatchLostReason

class TaskEvent(_message.Message):
    __slots__ = ["changes", "id", "observed_at", "previous_phase", "previous_status", "sequence", "task", "user_id", "watch_lost"]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    OBSERVED_AT_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_PHASE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    WATCH_LOST_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedScalarFieldContainer[Change]
    id: str
    observed_at: _timestamp_pb2.Timestamp
    previous_phase: str
    previous_status: _task_pb2.TaskStatus
    sequence: int
    task: _task_pb2.Task
    user_id: str
    watch_lost: WatchLost
    def __init__(self, id: _Optional[str] = ..., user_id: _Optional[str] = ..., task: _Optional[_Union[_task_pb2.Task, _Mapping]] = ..., changes: _Optional[_Iterable[_Union[Change, str]]] = ..., sequence: _Optional[int] = ..., observed_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., previous_status: _Optional[_Union[_task_pb2.TaskStatus, str]] = ..., previous_phase: _Optional[str] = ..., watch_lost: _Optional[_Union[WatchLost, _Mapping]] = ...) -> None: ...

class WatchLost(_message.Message):
    __slots__ = ["detail", "reason"]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    detail: str
    reason: WatchLostReason
    def __init__(self, reason: _Optional[_Union[WatchLostReason, str]] = ..., detail: _Optional[str] = ...) -> None: ...

class Change(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class WatchLostReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

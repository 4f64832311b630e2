from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

CLOUDREVE_URI_FIELD_NUMBER: _ClassVar[int]
DESCRIPTOR: _descriptor.FileDescriptor
HASHID_FIELD_NUMBER: _ClassVar[int]
UPLOAD_SESSION_ID_FIELD_NUMBER: _ClassVar[int]
cloudreve_uri: _descriptor.FieldDescriptor
hashid: _descriptor.FieldDescriptor
upload_session_id: _descriptor.FieldDescriptor

from buf.validate import validate_pb2 as _validate_pb2
from cloudreve.common.v1 import validate_pb2 as _validate_pb2_1
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
PAYMENT_PRODUCT_TYPE_GROUP: PaymentProductType
PAYMENT_PRODUCT_TYPE_POINTS: PaymentProductType
PAYMENT_PRODUCT_TYPE_SHARE_LINK: PaymentProductType
PAYMENT_PRODUCT_TYPE_STORAGE_PACK: PaymentProductType
PAYMENT_PRODUCT_TYPE_UNSPECIFIED: PaymentProductType
PAYMENT_STATUS_CANCELED: PaymentStatus
PAYMENT_STATUS_CREATED: PaymentStatus
PAYMENT_STATUS_FULFILLED: PaymentStatus
PAYMENT_STATUS_FULFILL_FAILED: PaymentStatus
PAYMENT_STATUS_PAID: PaymentStatus
PAYMENT_STATUS_UNSPECIFIED: PaymentStatus

class CheckGiftCodeRequest(_message.Message):
    __slots__ = ["code"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class CheckGiftCodeResponse(_message.Message):
    __slots__ = ["duration", "name", "qyt"]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    QYT_FIELD_NUMBER: _ClassVar[int]
    duration: int
    name: str
    qyt: int
    def __init__(self, name: _Optional[str] = ..., qyt: _Optional[int] = ..., duration: _Optional[int] = ...) -> None: ...

class CreatePaymentRequest(_message.Message):
    __slots__ = ["email", "language", "product", "provider_id", "quantity"]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    email: str
    language: str
    product: PaymentProduct
    provider_id: str
    quantity: int
    def __init__(self, product: _Optional[_Union[PaymentProduct, _Mapping]] = ..., quantity: _Optional[int] = ..., provider_id: _Optional[str] = ..., email: _Optional[str] = ..., language: _Optional[str] = ...) -> None: ...

class CreatePaymentResponse(_message.Message):
    __slots__ = ["payment", "request"]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    REQUEST_FIELD_NUMBER: _ClassVar[int]
    payment: Payment
    request: PaymentStep
    def __init__(self, payment: _Optional[_Union[Payment, _Mapping]] = ..., request: _Optional[_Union[PaymentStep, _Mapping]] = ...) -> None: ...

class GetPaymentStatusRequest(_message.Message):
    __slots__ = ["id", "trade_no"]
    ID_FIELD_NUMBER: _ClassVar[int]
    TRADE_NO_FIELD_NUMBER: _ClassVar[int]
    id: str
    trade_no: str
    def __init__(self, id: _Optional[str] = ..., trade_no: _Optional[str] = ...) -> None: ...

class GetPaymentStatusResponse(_message.Message):
    __slots__ = ["payment"]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    payment: Payment
    def __init__(self, payment: _Optional[_Union[Payment, _Mapping]] = ...) -> None: ...

class Payment(_message.Message):
    __slots__ = ["created_at", "id", "name", "price_id", "price_mark", "price_one_unit", "price_unit", "product_type", "qyt", "status", "ticket", "trade_no", "updated_at"]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PRICE_ID_FIELD_NUMBER: _ClassVar[int]
    PRICE_MARK_FIELD_NUMBER: _ClassVar[int]
    PRICE_ONE_UNIT_FIELD_NUMBER: _ClassVar[int]
    PRICE_UNIT_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_TYPE_FIELD_NUMBER: _ClassVar[int]
    QYT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TICKET_FIELD_NUMBER: _ClassVar[int]
    TRADE_NO_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    id: str
    name: str
    price_id: str
    price_mark: str
    price_one_unit: int
    price_unit: int
    product_type: PaymentProductType
    qyt: int
    status: PaymentStatus
    ticket: str
    trade_no: str
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., trade_no: _Optional[str] = ..., name: _Optional[str] = ..., status: _Optional[_Union[PaymentStatus, str]] = ..., qyt: _Optional[int] = ..., price_unit: _Optional[int] = ..., price_id: _Optional[str] = ..., price_mark: _Optional[str] = ..., price_one_unit: _Optional[int] = ..., created_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., product_type: _Optional[_Union[PaymentProductType, str]] = ..., ticket: _Optional[str] = ...) -> None: ...

class PaymentProduct(_message.Message):
    __slots__ = ["share_link_id", "sku_id", "type"]
    SHARE_LINK_ID_FIELD_NUMBER: _ClassVar[int]
    SKU_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    share_link_id: str
    sku_id: str
    type: PaymentProductType
    def __init__(self, type: _Optional[_Union[PaymentProductType, str]] = ..., share_link_id: _Optional[str] = ..., sku_id: _Optional[str] = ...) -> None: ...

class PaymentStep(_message.Message):
    __slots__ = ["payment_needed", "qr_code_preferred", "url"]
    PAYMENT_NEEDED_FIELD_NUMBER: _ClassVar[int]
    QR_CODE_PREFERRED_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    payment_needed: bool
    qr_code_preferred: bool
    url: str
    def __init__(self, payment_needed: bool = ..., url: _Optional[str] = ..., qr_code_preferred: bool = ...) -> None: ...

class RedeemGiftCodeRequest(_message.Message):
    __slots__ = ["code"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class RedeemGiftCodeResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class PaymentProductType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class PaymentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

"""The few protobuf messages of Anki's current package format, decoded with `protobuf`.

Declared here as descriptors (the field numbers are those of Anki's own
proto/anki/import_export.proto and notetypes.proto) instead of generated code; fields we
do not declare are kept by protobuf as unknown fields and ignored.
"""

from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_F = descriptor_pb2.FieldDescriptorProto


def _field(name: str, number: int, kind: int, repeated: bool = False, type_name: str = "") -> Any:
    field = _F(name=name, number=number, type=kind)
    field.label = _F.LABEL_REPEATED if repeated else _F.LABEL_OPTIONAL
    if type_name:
        field.type_name = type_name
    return field


def _build() -> dict[str, Any]:
    file = descriptor_pb2.FileDescriptorProto(name="quiz_anki.proto", package="quiz_anki")
    file.syntax = "proto3"
    messages = {
        # import_export.proto: PackageMetadata { Version version = 1; }
        "PackageMetadata": [_field("version", 1, _F.TYPE_INT32)],
        # import_export.proto: MediaEntries { repeated MediaEntry entries = 1; }
        "MediaEntry": [
            _field("name", 1, _F.TYPE_STRING),
            _field("size", 2, _F.TYPE_UINT32),
            _field("sha1", 3, _F.TYPE_BYTES),
        ],
        "MediaEntries": [
            _field("entries", 1, _F.TYPE_MESSAGE, repeated=True, type_name=".quiz_anki.MediaEntry")
        ],
        # notetypes.proto: Notetype.Config { Kind kind = 1; ... } (0 normal, 1 cloze)
        "NotetypeConfig": [_field("kind", 1, _F.TYPE_INT32)],
    }
    for name, fields in messages.items():
        file.message_type.add(name=name, field=fields)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return {
        name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"quiz_anki.{name}"))
        for name in messages
    }


_CLASSES = _build()
PACKAGE_VERSION_LATEST = 3  # PackageMetadata.Version.LATEST: collection.anki21b


def package_version(data: bytes) -> int:
    message = _CLASSES["PackageMetadata"]()
    message.ParseFromString(data)
    return int(message.version)


def media_names(data: bytes) -> list[str]:
    message = _CLASSES["MediaEntries"]()
    message.ParseFromString(data)
    return [str(entry.name) for entry in message.entries]


def notetype_is_cloze(config: bytes) -> bool:
    message = _CLASSES["NotetypeConfig"]()
    message.ParseFromString(config)
    return int(message.kind) == 1

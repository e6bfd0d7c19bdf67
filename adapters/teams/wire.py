"""botbuilder's schema models as JSON, without msrest's per-call set-up and per-value dispatch.

`Model.serialize()` builds a new msrest Serializer over every class of the schema package and
then walks each value through a validating dispatcher; for a reply carrying one Adaptive Card
that is about 1.5 ms of CPU, most of it spent re-describing the card's plain dict to itself.
`to_json` gives the same dict for the shapes botbuilder's schema declares (str, bool, int,
float, object, lists, dicts and nested models; tests compare it with msrest on every recorded
activity) and hands anything else (dates, enums, odd values) to msrest's own serializer, with
the dependencies `Model.serialize()` would use.

`from_json` is the way back: what `Model.deserialize()` builds from a JSON object. msrest
builds a new Deserializer, copies each attribute's description and runs two key extractors
per attribute for every activity that arrives (about a tenth of a Teams turn's CPU); here each
model class's attributes are planned once, plain values are taken as they are, and anything
else (dates, enums, polymorphic or flattened models, values of an unexpected type) is left to
msrest's own Deserializer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from msrest.serialization import Deserializer, Model, Serializer

# attribute name, JSON key ("" for msrest's additional_properties), msrest type
_Plan = tuple[tuple[str, str, Any], ...]

_PLANS: dict[type, _Plan | None] = {}
_SERIALIZERS: dict[type, Serializer] = {}
_SAME = {"str": str, "bool": bool, "int": int, "float": float}
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Reading:
    """How msrest reads one model class: (attribute, key, type), and what it sets apart."""

    entries: tuple[tuple[str, str, Any], ...]
    known: frozenset[str]
    set_after: frozenset[str]  # read-only and constant attributes: set, not passed


_READINGS: dict[type, _Reading | None] = {}
_DESERIALIZERS: dict[type, Deserializer] = {}


def to_json(model: Model) -> dict[str, Any]:
    """What `model.serialize()` returns."""
    root = type(model)
    serializer = _SERIALIZERS.get(root)
    if serializer is None:
        models = root._infer_class_models()  # type: ignore[no-untyped-call]
        serializer = _SERIALIZERS[root] = Serializer(models)  # type: ignore[no-untyped-call]
    try:
        found: dict[str, Any] = _model(model, serializer)
    except Exception:  # msrest's own error for a value it cannot take
        found = model.serialize()  # type: ignore[no-untyped-call]
    return found


def _plan(cls: Any) -> _Plan | None:
    """The attributes msrest writes, in its order; None when msrest must do it (XML, flattening)."""
    if cls in _PLANS:
        return _PLANS[cls]
    plan: _Plan | None = None
    if not cls.is_xml_model():
        entries: list[tuple[str, str, Any]] = []
        for attribute, description in cls._attribute_map.items():
            if cls._validation.get(attribute, {}).get("readonly", False):
                continue
            key = description["key"]
            if attribute == "additional_properties" and key == "":
                entries.append((attribute, "", None))
                continue
            if not key or "." in key:  # flattened keys: leave the nesting to msrest
                entries = []
                break
            entries.append((attribute, key, description["type"]))
        else:
            plan = tuple(entries)
    _PLANS[cls] = plan
    return plan


def _model(model: Model, serializer: Serializer) -> Any:
    plan = _plan(type(model))
    if plan is None:
        return serializer._serialize(model)  # type: ignore[no-untyped-call]
    out: dict[str, Any] = {}
    for attribute, key, kind in plan:
        if not key:
            extra = model.additional_properties
            if extra is not None:
                out.update(extra)  # msrest merges them as they are
            continue
        value = getattr(model, attribute)
        if value is not None and key not in out:  # msrest keeps the first value of a key
            out[key] = _value(value, kind, serializer)
    return out


def _value(value: Any, kind: Any, serializer: Serializer) -> Any:
    if isinstance(kind, str):
        same = _SAME.get(kind)
        if same is not None:
            if type(value) is same:
                return value
        elif kind == "object":
            return _object(value, serializer)
        elif kind[:1] == "[" and kind[-1:] == "]":
            if type(value) is list:
                inner = kind[1:-1]
                return [None if v is None else _value(v, inner, serializer) for v in value]
        elif kind[:1] == "{" and kind[-1:] == "}":
            if type(value) is dict and all(type(k) is str for k in value):
                inner = kind[1:-1]
                return {
                    k: None if v is None else _value(v, inner, serializer) for k, v in value.items()
                }
        elif (
            isinstance(value, Model)
            and kind not in serializer.serialize_type
            and not _is_enum(serializer.dependencies.get(kind, type(value)))
        ):  # a model-typed attribute: msrest serialises the value by its own class
            return _model(value, serializer)
    return serializer.serialize_data(value, kind)  # type: ignore[no-untyped-call]


def _object(value: Any, serializer: Serializer) -> Any:
    """msrest's `serialize_object` for JSON's own types; anything else goes to msrest."""
    kind = type(value)
    if kind is str or kind is bool or kind is int or kind is float or value is None:
        return value
    if kind is dict and all(type(k) is str for k in value):
        return {k: _object(v, serializer) for k, v in value.items()}
    if kind is list:
        return [_object(v, serializer) for v in value]
    if isinstance(value, Model):
        return _model(value, serializer)
    return serializer.serialize_object(value)  # type: ignore[no-untyped-call]


def _is_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, Enum)


def from_json(cls: type[M], data: Any) -> M:
    """What `cls().deserialize(data)` returns."""
    deserializer = _DESERIALIZERS.get(cls)
    if deserializer is None:
        models = cls._infer_class_models()  # type: ignore[no-untyped-call]
        deserializer = _DESERIALIZERS[cls] = Deserializer(models)  # type: ignore[no-untyped-call]
    try:
        found: M = _read(cls, data, deserializer)
    except Exception:  # msrest decides what happens to input it would not take either
        found = cls.deserialize(data)  # type: ignore[no-untyped-call]
    return found


def _reading(cls: Any) -> _Reading | None:
    """msrest's reading of a class; None when msrest must do it (XML, subtypes, flattening)."""
    if cls in _READINGS:
        return _READINGS[cls]
    reading = None
    if not cls.is_xml_model() and not getattr(cls, "_subtype_map", None):
        entries = []
        for attribute, description in cls._attribute_map.items():
            key = description["key"]
            if attribute == "additional_properties" and key == "":
                continue
            if not key or "." in key or "\\" in key:
                break
            entries.append((attribute, key, description["type"]))
        else:
            validation = cls._validation.items()
            reading = _Reading(
                tuple(entries),
                frozenset(key for _, key, _ in entries),
                frozenset(
                    name
                    for name, rule in validation
                    if rule.get("readonly") or rule.get("constant")
                ),
            )
    _READINGS[cls] = reading
    return reading


def _read(cls: Any, data: Any, deserializer: Deserializer) -> Any:
    reading = _reading(cls)
    if reading is None or type(data) is not dict:
        return deserializer._deserialize(cls, data)  # type: ignore[no-untyped-call]
    values = {}
    for attribute, key, kind in reading.entries:
        raw = data.get(key)
        values[attribute] = None if raw is None else _read_value(raw, kind, deserializer)
    passed = {k: v for k, v in values.items() if k not in reading.set_after}
    model = cls(**passed)
    for attribute in reading.set_after:
        setattr(model, attribute, values.get(attribute))
    extra = [key for key in data if key not in reading.known]
    if extra:  # msrest keeps keys the schema does not name
        model.additional_properties = {key: data[key] for key in extra}
    return model


def _read_value(raw: Any, kind: Any, deserializer: Deserializer) -> Any:
    if isinstance(kind, str):
        same = _SAME.get(kind)
        if same is not None:
            if type(raw) is same:
                return raw
        elif kind == "object":
            if _is_json(raw):
                return _copied(raw)
        elif kind[:1] == "[" and kind[-1:] == "]":
            if type(raw) is list:
                inner = kind[1:-1]
                return [None if v is None else _read_value(v, inner, deserializer) for v in raw]
        elif kind[:1] == "{" and kind[-1:] == "}":
            if type(raw) is dict:
                inner = kind[1:-1]
                return {
                    k: None if v is None else _read_value(v, inner, deserializer)
                    for k, v in raw.items()
                }
        else:
            target = deserializer.dependencies.get(kind)
            if (
                isinstance(target, type)
                and issubclass(target, Model)
                and type(raw) is dict
                and _reading(target) is not None
            ):
                return _read(target, raw, deserializer)
    return deserializer.deserialize_data(raw, kind)  # type: ignore[no-untyped-call]


def _is_json(value: Any) -> bool:
    """Only JSON's own types, the way json.loads builds them (msrest copies those as they are)."""
    kind = type(value)
    if kind is str or kind is bool or kind is int or kind is float or value is None:
        return True
    if kind is dict:
        return all(type(k) is str and _is_json(v) for k, v in value.items())
    if kind is list:
        return all(_is_json(v) for v in value)
    return False


def _copied(value: Any) -> Any:
    """A fresh copy of JSON's containers, as msrest's `deserialize_object` makes."""
    if type(value) is dict:
        return {k: _copied(v) for k, v in value.items()}
    if type(value) is list:
        return [_copied(v) for v in value]
    return value

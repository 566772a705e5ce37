"""Base classes and shared field types for API schemas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

SLUG_PATTERN = r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$"
KEY_PATTERN = r"^[a-z][a-z0-9_-]{0,62}$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN)]
NO_NUL_PATTERN = r"^[^\x00]*$"  # Postgres text cannot hold NUL


def _strip_ascii_whitespace(value: str) -> str:
    return value.strip(" \t\n\r")


# Stripped of ASCII whitespace only, and must hold something else: a rule the JSON schema
# states exactly (str.strip() would also eat "\x85" and others a schema pattern cannot match
# the same way in every regex dialect).
Name = Annotated[
    str,
    # Anchored and NUL-free: something other than whitespace, and no NUL anywhere.
    StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00]*[^ \t\n\r\x00][^\x00]*$"),
    AfterValidator(_strip_ascii_whitespace),
]
LabelKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,62}$")]
LabelValue = Annotated[str, StringConstraints(pattern=r"^[a-zA-Z0-9_.-]{0,63}$")]


def _json_integer(value: Any) -> Any:
    # Lax mode would take `true` for 1 and `"7"` for 7, which the JSON schema (`integer`)
    # does not allow; 7.0 is an integer in JSON Schema and stays accepted.
    if isinstance(value, bool | str):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


INT32_MAX = 2**31 - 1  # integer columns
INT64_MAX = 2**63 - 1  # bigint columns: a larger number would make Postgres raise
Integer = Annotated[int, BeforeValidator(_json_integer)]
# Bounds inside the type: next to a validator, pydantic renders `Field(ge=…)` on an optional
# field as `ge` instead of `minimum` in the JSON schema.
NonNegativeInteger = Annotated[int, Field(ge=0), BeforeValidator(_json_integer)]
NonNegativeInt32 = Annotated[int, Field(ge=0, le=INT32_MAX), BeforeValidator(_json_integer)]
PositiveInt32 = Annotated[int, Field(ge=1, le=INT32_MAX), BeforeValidator(_json_integer)]


def _reject_nul(value: Any) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("text must not contain NUL (\\u0000) characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            _reject_nul(key)
            _reject_nul(item)
    elif isinstance(value, list):
        for item in value:
            _reject_nul(item)


def _no_nul_in_schema(node: Any) -> None:
    """Say in the schema what `_reject_nul` enforces: a free-form string holds no NUL.

    A string with a pattern, an enum, a const or a structured format (uuid, email, date-time)
    already excludes NUL (the patterns of this API are anchored character classes, or
    `Name`'s, which is NUL-free by itself); `password` is free-form text like any other.
    """
    each_schema_object(node, _no_nul_in_string)


def _no_nul_in_string(node: dict[str, Any]) -> None:
    structured = node.keys() & {"pattern", "enum", "const"} or node.get("format") not in (
        None,
        "password",
    )
    if node.get("type") == "string" and not structured:
        node["pattern"] = NO_NUL_PATTERN


def each_schema_object(node: Any, visit: Callable[[dict[str, Any]], None]) -> None:
    """Call `visit` on every object of a JSON schema tree, each before the values it holds then
    (so a value that `visit` adds is visited too)."""
    if isinstance(node, list):
        for item in node:
            each_schema_object(item, visit)
    elif isinstance(node, dict):
        visit(node)
        for value in node.values():
            each_schema_object(value, visit)


class InputModel(BaseModel):
    """Request bodies: unknown fields are rejected so callers cannot set what they must not."""

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # Here rather than in `json_schema_extra`, which a subclass's own config replaces.
        schema = handler(core_schema)
        _no_nul_in_schema(handler.resolve_ref_schema(schema).get("properties", {}))
        return schema

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        # Postgres text cannot hold NUL; refuse it here (422) rather than fail on insert (500).
        _reject_nul(data)
        return data


class PatchModel(InputModel):
    """PATCH bodies: an omitted field stays as it is; `null` only for fields listed `nullable`.

    The Python types stay `X | None` (None: not given), but the JSON schema of a field that is
    not nullable has no null branch, and an explicit null is refused (422) instead of reaching
    the merge with the stored resource.
    """

    nullable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _null_only_where_nullable(cls, data: Any) -> Any:
        if isinstance(data, dict):
            nulls = sorted(
                name
                for name in cls.model_fields
                if name not in cls.nullable and name in data and data[name] is None
            )
            if nulls:
                raise PydanticCustomError(
                    "null_not_allowed",
                    "{fields}: omit a field to leave it unchanged; null is not a value for it",
                    {"fields": ", ".join(nulls)},
                )
        return data

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler.resolve_ref_schema(handler(core_schema))
        for name, prop in schema.get("properties", {}).items():
            branches = prop.get("anyOf")
            if name in cls.nullable or not branches or {"type": "null"} not in branches:
                continue
            rest = [b for b in branches if b != {"type": "null"}]
            del prop["anyOf"]
            prop.pop("default", None)
            if len(rest) == 1:
                prop.update(rest[0])
            else:
                prop["anyOf"] = rest
        return schema


class OutputModel(BaseModel):
    """Response bodies, built from ORM rows."""

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def from_row(cls, row: object, **overrides: Any) -> Self:
        """The model of `row`: each field from the row's attribute of the same name, except the
        ones in `overrides` (renamed or computed). Validated like any other construction."""
        values = {name: getattr(row, name) for name in cls.model_fields if name not in overrides}
        return cls(**values, **overrides)

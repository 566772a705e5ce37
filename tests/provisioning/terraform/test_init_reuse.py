"""`init_reuse`: one stack's `terraform init` result serves the next stack of the same files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from paybill_control_plane.provisioning.terraform import TerraformError, TerraformRunner
from paybill_control_plane.provisioning.terraform import init_reuse as reuse
from paybill_control_plane.provisioning.terraform.init_reuse import InitReuse, init_key
from tests.provisioning.terraform.conftest import SCHEMA, StackFactory
from tests.provisioning.terraform.helpers import silo_inputs

TFVARS = "paybill.auto.tfvars.json"


def test_the_key_ignores_the_variables_and_follows_everything_else() -> None:
    files = {"main.tf": b"a", "backend.tf.json": b"{}", TFVARS: b'{"x": 1}'}
    key = init_key(("terraform",), files, TFVARS)
    assert init_key(("terraform",), {**files, TFVARS: b'{"x": 2}'}, TFVARS) == key
    assert init_key(("terraform",), {**files, "main.tf": b"b"}, TFVARS) != key
    assert init_key(("terraform",), {**files, "extra.tf": b""}, TFVARS) != key
    assert init_key(("tofu",), files, TFVARS) != key


def _fake_init(workdir: Path, *, lock: bool = True) -> None:
    (workdir / ".terraform" / "modules").mkdir(parents=True)
    (workdir / ".terraform" / "terraform.tfstate").write_text('{"backend": {"type": "pg"}}')
    (workdir / ".terraform" / "modules" / "modules.json").write_text("{}")
    (workdir / ".terraform" / "environment").write_text("someone-elses-workspace")
    os.symlink("/plugin-cache/provider", workdir / ".terraform" / "provider")
    if lock:
        (workdir / ".terraform.lock.hcl").write_text("# lock")


def test_restore_writes_what_init_left_but_the_selected_workspace(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    _fake_init(first)
    kept = InitReuse()
    assert not kept.restore("k", second)
    assert kept.remember("k", first) and "k" in kept
    assert kept.restore("k", second)
    data = second / ".terraform"
    assert (data / "terraform.tfstate").read_text() == '{"backend": {"type": "pg"}}'
    assert (data / "modules" / "modules.json").read_text() == "{}"
    assert os.readlink(data / "provider") == "/plugin-cache/provider"
    assert (second / ".terraform.lock.hcl").read_text() == "# lock"
    assert not (data / "environment").exists()  # TF_WORKSPACE names each stack's own
    assert sorted(p.name for p in second.iterdir()) == [".terraform", ".terraform.lock.hcl"]


def test_restore_replaces_an_older_init_and_its_lock_file(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    _fake_init(first, lock=False)
    (second / ".terraform" / "providers").mkdir(parents=True)
    (second / ".terraform" / "providers" / "old").write_text("old")
    (second / ".terraform.lock.hcl").write_text("# old lock")
    kept = InitReuse()
    kept.remember("k", first)
    kept.restore("k", second)
    assert not (second / ".terraform" / "providers").exists()
    assert not (second / ".terraform.lock.hcl").exists()
    assert (second / ".terraform" / "terraform.tfstate").exists()


def test_large_or_missing_results_are_not_kept(tmp_path: Path) -> None:
    kept = InitReuse()
    assert not kept.remember("none", tmp_path)  # init left nothing
    (tmp_path / ".terraform").mkdir()
    (tmp_path / ".terraform" / "provider-binary").write_bytes(b"\0" * (reuse.MAX_BYTES + 1))
    assert not kept.remember("big", tmp_path)
    assert "big" not in kept


def test_leftovers_of_a_killed_restore_are_cleared(tmp_path: Path) -> None:
    """A worker killed inside `restore` leaves a staging or trash directory beside a whole
    `.terraform/` (or none): the next run's directory setup removes them."""
    (tmp_path / ".terraform.1234abcd.tmp" / "modules").mkdir(parents=True)
    (tmp_path / ".terraform.5678abcd.old").mkdir()
    (tmp_path / ".terraform").mkdir()
    reuse.clear_leftovers(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".terraform"]


@pytest.mark.terraform
async def test_a_reused_init_plans_and_applies_a_new_stack(
    make_stack: StackFactory, tf_conn_str: str
) -> None:
    """Real Terraform: the second stack never runs init, and plans and applies in its own new
    workspace; a stack whose directory holds another backend's init is refused by Terraform."""
    env = {"PG_CONN_STR": tf_conn_str, "PG_SCHEMA_NAME": SCHEMA}
    runner = TerraformRunner(extra_env=env)
    first = make_stack("silo", silo_inputs(), name="first")
    await runner.init(first)
    kept = InitReuse()
    assert kept.remember("silo", first)

    second = make_stack("silo", silo_inputs(), name="second")
    assert kept.restore("silo", second)
    workspace = TerraformRunner(extra_env={**env, "TF_WORKSPACE": f"reuse-{os.getpid()}"})
    plan = await workspace.plan(second, creates_workspace=True)
    assert plan.add == 5
    applied = await workspace.apply(second, plan.plan_file.name)
    assert applied.changes is not None and applied.changes.add == 5

    # A directory whose recorded backend is not its configuration's: Terraform refuses it.
    other = make_stack("silo", silo_inputs(), name="other")
    (other / "backend.tf.json").write_text('{"terraform": {"backend": {"local": {}}}}')
    assert kept.restore("silo", other)
    with pytest.raises(TerraformError, match=r"(?i)init"):
        await workspace.plan(other)

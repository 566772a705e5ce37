"""`Alongside`: work started during a run's Terraform phase is settled with it, never lost."""

from __future__ import annotations

import asyncio

import pytest

from paybill_control_plane.provisioning._data_overlap import Alongside, overlapped_data_tier
from paybill_control_plane.provisioning.planner import StackSpec


class WorkFailed(Exception):
    pass


class BlockFailed(Exception):
    pass


async def work(done: list[str], gate: asyncio.Event, fail: bool = False) -> None:
    await gate.wait()
    if fail:
        raise WorkFailed
    done.append("work")


def test_the_block_end_waits_for_the_work() -> None:
    async def scenario() -> list[str]:
        done: list[str] = []
        gate = asyncio.Event()
        async with Alongside() as alongside:
            alongside.start(work(done, gate))
            assert alongside.started
            gate.set()  # the work finishes only after the block's own statements
            done.append("block")
        return done

    assert asyncio.run(scenario()) == ["block", "work"]


def test_the_works_failure_fails_a_successful_block() -> None:
    async def scenario() -> None:
        gate = asyncio.Event()
        gate.set()
        async with Alongside() as alongside:
            alongside.start(work([], gate, fail=True))

    with pytest.raises(WorkFailed):
        asyncio.run(scenario())


@pytest.mark.parametrize("work_fails", [False, True])
def test_a_failed_block_still_waits_for_the_work_and_raises_its_own(work_fails: bool) -> None:
    done: list[str] = []

    async def scenario() -> None:
        gate = asyncio.Event()
        async with Alongside() as alongside:
            alongside.start(work(done, gate, fail=work_fails))
            asyncio.get_running_loop().call_soon(gate.set)
            raise BlockFailed

    with pytest.raises(BlockFailed):
        asyncio.run(scenario())
    assert done == ([] if work_fails else ["work"])


def test_cancelling_the_block_cancels_the_work() -> None:
    async def scenario() -> asyncio.Task[None]:
        started = asyncio.Event()
        never = asyncio.Event()
        holder: list[asyncio.Task[None]] = []

        async def block() -> None:
            async with Alongside() as alongside:
                alongside.start(work([], never))
                holder.append(alongside._task)  # type: ignore[arg-type]
                started.set()
                await never.wait()

        task = asyncio.create_task(block())
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return holder[0]

    assert asyncio.run(scenario()).cancelled()


def test_only_a_local_apply_overlaps() -> None:
    def spec(cloud: str) -> StackSpec:
        return StackSpec("silo", cloud, f"{cloud}/silo", {}, {}, "r")

    assert overlapped_data_tier(spec("local"), "apply")
    assert not overlapped_data_tier(spec("local"), "destroy")  # snapshot, drop, then destroy
    assert not overlapped_data_tier(spec("aws"), "apply")  # needs the module's outputs

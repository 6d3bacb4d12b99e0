"""The worker pool on the event loop: every answer reaches its own request, in turn, within the limit.

``run_async`` reads a reply in the loop's callback and hands the freed worker, with the next
request's job already sent, to the longest-waiting request; these tests hold it to that while
requests time out, are cancelled and wait in threads (``run``) at the same time.
"""

from __future__ import annotations

import asyncio
import os
import random
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

from summitkg.errors import QueryTimeoutError
from summitkg.server.workers import WorkerPool

T = TypeVar("T")


def echo(_state: object, tag: int, delay: float = 0.0, size: int = 10) -> tuple[int, int, bytes]:
    if delay:
        time.sleep(delay)
    return tag, os.getpid(), b"x" * size


def run(main: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """``asyncio.run`` in a thread of its own: other tests (Playwright) may leave a loop running here."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, main()).result()


@pytest.fixture
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool(lambda: None, {"echo": echo}, size=2, timeout=0.3)
    workers.start()
    yield workers
    workers.close()


def test_each_request_gets_its_own_answer_amid_timeouts_cancellations_and_threads(pool: WorkerPool) -> None:
    rng = random.Random(7)
    outcomes = {"ok": 0, "timeout": 0, "wrong": 0}

    async def one(tag: int) -> None:
        delay = rng.choice([0] * 8 + [0.002, 0.6])  # 0.6 s passes the 0.3 s limit
        size = rng.choice([10, 10, 400_000])  # large answers are read in a thread
        try:
            got, _, body = await pool.run_async("echo", tag, delay, size)
        except QueryTimeoutError:
            outcomes["timeout"] += 1
            return
        outcomes["ok" if (got, len(body)) == (tag, size) else "wrong"] += 1

    def in_a_thread(base: int) -> None:
        for tag in range(base, base + 20):
            assert pool.run("echo", tag)[0] == tag

    async def main() -> None:
        tasks = [asyncio.ensure_future(one(tag)) for tag in range(100)]
        threads = [threading.Thread(target=in_a_thread, args=(base,)) for base in (1000, 2000)]
        for thread in threads:
            thread.start()
        for tag in range(0, 100, 7):
            await asyncio.sleep(0.005)
            tasks[tag].cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.to_thread(lambda: [t.join() for t in threads])

    run(main)
    assert outcomes["wrong"] == 0
    assert outcomes["ok"] > 50 and outcomes["timeout"] > 0, outcomes

    async def after() -> list[int]:
        return [r[0] for r in await asyncio.gather(*(pool.run_async("echo", tag) for tag in range(40)))]

    assert run(after) == list(range(40))
    assert pool.stats["workers"] <= 2


def test_a_freed_worker_goes_to_the_longest_waiting_request() -> None:
    single = WorkerPool(lambda: None, {"echo": echo}, size=1, timeout=5)
    single.start()
    finished: list[int] = []

    async def one(tag: int) -> None:
        await single.run_async("echo", tag, 0.05 if tag == 0 else 0.0)
        finished.append(tag)

    async def main() -> None:
        tasks = []
        for tag in range(6):
            tasks.append(asyncio.ensure_future(one(tag)))
            await asyncio.sleep(0.005)  # arrive in this order
        await asyncio.gather(*tasks)

    try:
        run(main)
    finally:
        single.close()
    assert finished == list(range(6))


def test_a_timed_out_or_cancelled_request_stops_its_worker(pool: WorkerPool) -> None:
    first = {worker.pid for worker in pool._idle}

    async def main() -> list[int]:
        with pytest.raises(QueryTimeoutError):
            await pool.run_async("echo", 0, 5.0)
        slow = asyncio.ensure_future(pool.run_async("echo", 1, 5.0))
        await asyncio.sleep(0.1)
        slow.cancel()
        await asyncio.gather(slow, return_exceptions=True)
        return [r[0] for r in await asyncio.gather(*(pool.run_async("echo", tag, 0.01) for tag in range(4)))]

    assert run(main) == [0, 1, 2, 3]
    stopped = first - {worker.pid for worker in pool._idle}
    assert stopped
    for pid in stopped:
        assert _gone(pid)


def _gone(pid: int) -> bool:
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.01)
    return False

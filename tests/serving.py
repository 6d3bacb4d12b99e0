"""Run the real `summitkg serve` process on a free port for tests, and stop it afterwards."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT, free_port, wait_for_http


@dataclass
class Served:
    url: str
    process: subprocess.Popen


@contextmanager
def summitkg_server(*args: str, home: Path | None = None, startup: float = 90.0) -> Iterator[Served]:
    """``python -m summitkg serve --host 127.0.0.1 --port P *args``, running until the block ends."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUMMITKG_")}
    if home is not None:
        env["SUMMITKG_HOME"] = str(home)
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen([sys.executable, "-m", "summitkg", "serve", "--host", "127.0.0.1", "--port", str(port),
                                    *args], stdout=subprocess.DEVNULL, stderr=log, env=env, cwd=ROOT)
        try:
            try:
                wait_for_http(f"http://127.0.0.1:{port}/sparql", timeout=startup, process=process)
            except (RuntimeError, TimeoutError) as error:
                log.seek(0)
                raise RuntimeError(f"{error}\n{log.read().decode(errors='replace')}") from None
            yield Served(f"http://127.0.0.1:{port}", process)
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` now (Linux /proc); record them while the server runs."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    living = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            living.add(pid)
    return living


def wait_until(condition, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()

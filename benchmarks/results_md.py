"""Shared by the benchmark scripts: the machine line, and writing one section of RESULTS.md."""

from __future__ import annotations

import platform
from importlib.metadata import version
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def machine() -> str:
    return (f"{platform.system()} {platform.release()} {platform.machine()}, Python {platform.python_version()}, "
            f"rdflib {version('rdflib')}, pyoxigraph {version('pyoxigraph')}, summitkg {version('summitkg')}")


def write_section(heading: str, body: str, *, first: bool = False) -> None:
    """Replace the section under ``heading`` in RESULTS.md (or add it: last, or ``first``), keeping the others."""
    text = RESULTS.read_text() if RESULTS.exists() else ""
    if not text.strip():
        text = "# Benchmark results\n\n" + body
    elif heading not in text:
        top = text.find("\n## ")
        if first and top >= 0:
            text = text[:top + 1] + body + text[top + 1:]
        else:
            text = text.rstrip() + "\n\n" + body
    else:
        start = text.index(heading)
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + body + ("" if end < 0 else text[end + 1:])
    RESULTS.write_text(text)

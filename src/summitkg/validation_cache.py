"""Remember which exact graph passed validation, so ``serve`` need not run pyshacl again.

Validation (pyshacl) is the slowest part of ``serve``'s first start; the graph usually has not
changed since it last passed. The key is a SHA-256 over every input of ``validate_dataset`` —
the RDF files, the shapes, the source texts, the checks' own code — and the versions of summitkg
and pyshacl, so any change to any of them means a full validation again. Only a pass is
remembered: a failing graph is validated every time, so its problems are always shown.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .config import Settings
from .loading import Source

__all__ = ["cache_dir", "graph_digest", "passed_before", "remember_pass"]


def cache_dir() -> Path:
    """``$SUMMITKG_CACHE``, else ``$XDG_CACHE_HOME/summitkg``, else ``~/.cache/summitkg``."""
    if os.environ.get("SUMMITKG_CACHE"):
        return Path(os.environ["SUMMITKG_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "summitkg"


def graph_digest(settings: Settings, sources: Iterable[Source]) -> str:
    """SHA-256 over everything validation reads, file names included, in a fixed order."""
    digest = hashlib.sha256()
    for package in ("summitkg", "pyshacl", "rdflib"):
        digest.update(f"{package}={_version(package)}\n".encode())
    # validate.py too: a check changed under the same version number (as when inference was dropped
    # and check_typed added) must not be skipped on a pass the old checks recorded.
    inputs = [s.path for s in sources] + [settings.ontology_dir / "shapes.ttl", Path(__file__).with_name("validate.py")]
    if settings.sources_dir.is_dir():
        inputs += sorted(p for p in settings.sources_dir.iterdir() if p.is_file())
    for path in inputs:
        digest.update(f"{path.name}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def passed_before(digest: str) -> dict | None:
    """What was recorded when this exact graph last passed, or None."""
    try:
        return json.loads((cache_dir() / "validated" / f"{digest}.json").read_text())
    except (OSError, ValueError):
        return None


def remember_pass(digest: str, *, nodes: int, quotes: int) -> None:
    """Record a pass; a cache that cannot be written only costs the next start a validation."""
    folder = cache_dir() / "validated"
    record = {"nodes": nodes, "quotes": quotes, "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f"{digest}.json.part"
        partial.write_text(json.dumps(record))
        partial.replace(folder / f"{digest}.json")
    except OSError:
        pass


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"

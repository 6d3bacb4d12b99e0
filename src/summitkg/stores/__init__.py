"""Stores by name: ``memory``, ``oxigraph[:PATH]``, ``sparql:URL``. Imported only when chosen."""

from __future__ import annotations

import importlib

from ..config import Settings
from ..errors import ConfigError
from .base import Backend

__all__ = ["Backend", "BACKENDS", "open_store", "parse_store_spec"]

#: scheme -> "module:Class", imported lazily (rdflib's plugin registry does the same).
BACKENDS: dict[str, str] = {
    "memory": "summitkg.stores.memory:MemoryBackend",
    "oxigraph": "summitkg.stores.oxigraph:OxigraphBackend",
    "sparql": "summitkg.stores.remote:RemoteBackend",
}


def parse_store_spec(spec: str) -> tuple[str, str]:
    """``"oxigraph:/data/kg"`` → ``("oxigraph", "/data/kg")``; a bare http(s) URL means ``sparql``."""
    if spec.startswith(("http://", "https://")):
        return "sparql", spec
    scheme, _, location = spec.partition(":")
    if scheme not in BACKENDS:
        raise ConfigError(f"unknown store {spec!r}; choose one of: memory, oxigraph, oxigraph:PATH, sparql:URL",
                          name="store")
    if scheme == "sparql" and not location:
        raise ConfigError("sparql needs an endpoint URL, as in sparql:http://localhost:7878/query", name="store")
    if scheme == "memory" and location:
        raise ConfigError("the memory store takes no location", name="store")
    return scheme, location


def backend_class(scheme: str) -> type[Backend]:
    module, _, name = BACKENDS[scheme].partition(":")
    return getattr(importlib.import_module(module), name)


def open_store(settings: Settings) -> Backend:
    """An empty (or, for remote and on-disk stores, existing) store as ``settings.store`` names it."""
    scheme, location = parse_store_spec(settings.store)
    cls = backend_class(scheme)
    if scheme == "sparql":
        return cls(location, timeout=settings.timeout)
    return cls(location)

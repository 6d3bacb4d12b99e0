"""summitkg: a sourced knowledge graph of Putin's state visit to India, with SPARQL and network views.

>>> import summitkg
>>> kg = summitkg.load()                      # doctest: +SKIP
>>> kg.query("trade_by_year")                 # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "load", "KnowledgeGraph", "Settings", "SummitError"]

if TYPE_CHECKING:
    from .config import Settings
    from .errors import SummitError
    from .kg import KnowledgeGraph, load

_LAZY = {
    "load": ("kg", "load"),
    "KnowledgeGraph": ("kg", "KnowledgeGraph"),
    "Settings": ("config", "Settings"),
    "SummitError": ("errors", "SummitError"),
}


def __getattr__(name: str) -> Any:
    """Import the heavy parts (rdflib, stores) only when first used."""
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'summitkg' has no attribute {name!r}")

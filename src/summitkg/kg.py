"""The knowledge graph as one object: loaded into a store, queried by SPARQL text or query name."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from rdflib import Literal
from rdflib.term import Identifier

from .config import Settings
from .errors import QueryError
from .formats import Format
from .loading import Source, discover
from .queries import NamedQuery, catalogue, find
from .results import QueryResult
from .stores import Backend, open_store

__all__ = ["KnowledgeGraph", "load"]

_QUERY_NAME = re.compile(r"^[A-Za-z0-9_\-]+$")


class KnowledgeGraph:
    """The summit graph in a store. ``kg.query("trade_by_year")`` or ``kg.query("SELECT …")``."""

    def __init__(self, backend: Backend, settings: Settings, sources: list[Source]) -> None:
        self.backend = backend
        self.settings = settings
        self.sources = sources

    @cached_property
    def named_queries(self) -> dict[str, NamedQuery]:
        return catalogue(self.settings.queries_dir)

    def resolve(self, query: str) -> tuple[str, NamedQuery | None]:
        """The SPARQL text for a query name, a ``.rq`` path or SPARQL itself."""
        if _QUERY_NAME.match(query):
            named = find(self.settings.queries_dir, query)
            return named.text, named
        if query.endswith(".rq") and "\n" not in query:
            path = Path(query)
            if not path.is_file():
                raise QueryError(f"{query}: no such query file")
            return path.read_text(encoding="utf-8"), None
        return query, None

    def query(self, query: str, /, **params: str | Identifier) -> QueryResult:
        """Run SPARQL text, a named query or a ``.rq`` file; ``params`` bind its variables.

        For a named query, string values are typed by its declared parameters; for
        other queries a string binds as a plain literal. rdflib terms bind as they are.
        """
        text, bindings = self._bound(query, params)
        return self.backend.query(text, bindings=bindings)

    def query_as(self, query: str, fmt: Format, /, **params: str | Identifier) -> bytes | QueryResult:
        """Like ``query``, but the store may hand back the answer already written in ``fmt``
        (Oxigraph writes SELECT/ASK results itself); a ``QueryResult`` otherwise."""
        text, bindings = self._bound(query, params)
        return self.backend.query_as(text, fmt, bindings=bindings)

    def _bound(self, query: str, params: dict[str, str | Identifier]) -> tuple[str, dict[str, Identifier]]:
        text, named = self.resolve(query)
        if named is not None:
            return text, named.bind(params)
        return text, {k: v if isinstance(v, Identifier) else Literal(v) for k, v in params.items()}

    def __len__(self) -> int:
        return len(self.backend)

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<KnowledgeGraph on {self.backend.description}: {len(self)} quads>"


def load(settings: Settings | None = None, *, store: str | None = None, home: str | Path | None = None) -> KnowledgeGraph:
    """Load the ontology and graph into the chosen store (default: embedded Oxigraph in memory).

    A remote store is used as it is; an on-disk Oxigraph store is filled only when empty.
    """
    settings = (settings or Settings()).replace(store=store, home=home)
    sources = discover(settings)
    backend = open_store(settings)
    if backend.writable and len(backend) == 0:
        backend.load(sources)
    return KnowledgeGraph(backend, settings, sources)

"""An embedded Oxigraph store (pyoxigraph), in memory or on disk; fast at any size."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..binding import inject_values
from ..errors import LoadError, QuerySyntaxError, StoreError
from ..loading import Source, strip_position
from ..namespaces import PREFIXES
from ..results import QueryResult, from_boolean, from_graph, from_sparql_json
from .base import Backend, Bindings

__all__ = ["OxigraphBackend", "query_syntax_error", "to_query_result"]

_ERROR_AT = re.compile(r"error at (\d+):(\d+): (.*)", re.S)


class OxigraphBackend(Backend):
    scheme = "oxigraph"

    def __init__(self, location: str = "") -> None:
        super().__init__(location)
        self.path = Path(location) if location else None
        try:
            self.store = ox.Store(str(self.path)) if self.path else ox.Store()
        except OSError as error:
            raise StoreError(f"cannot open the Oxigraph store: {error}", location=location) from error

    def load(self, sources: Sequence[Source]) -> None:
        # Load into a scratch in-memory store first so a bad file leaves this one untouched.
        scratch = ox.Store()
        for source in sources:
            try:
                scratch.bulk_load(path=str(source.path), format=ox.RdfFormat.from_extension(source.path.suffix[1:]),
                                  to_graph=ox.NamedNode(str(source.graph)))
            except SyntaxError as error:
                raise LoadError(strip_position(error.msg), path=source.path, line=error.lineno, column=error.offset) from error
        if self.path is None:
            self.store = scratch
            return
        self.store.clear()
        self.store.bulk_extend(scratch.quads_for_pattern(None, None, None, None))
        self.store.flush()

    def query(self, text: str, *, bindings: Bindings | None = None) -> QueryResult:
        try:
            result = self.store.query(inject_values(text, bindings or {}), prefixes=PREFIXES,
                                      use_default_graph_as_union=True)
        except SyntaxError as error:
            raise query_syntax_error(error) from error
        return to_query_result(result)

    def __len__(self) -> int:
        return len(self.store)

    def close(self) -> None:
        if self.path is not None:
            self.store.flush()


def query_syntax_error(error: SyntaxError) -> QuerySyntaxError:
    """pyoxigraph's "error at L:C: …" as a QuerySyntaxError with line and column."""
    match = _ERROR_AT.match(str(error.msg))
    if match:
        return QuerySyntaxError(match[3], line=int(match[1]), column=int(match[2]))
    return QuerySyntaxError(str(error.msg))


def to_query_result(result: ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean) -> QueryResult:
    """Hand a pyoxigraph result to rdflib through the W3C formats both speak."""
    if isinstance(result, ox.QueryBoolean):
        return from_boolean(bool(result))
    if isinstance(result, ox.QueryTriples):
        graph = Graph()
        graph.parse(data=result.serialize(format=ox.RdfFormat.N_TRIPLES), format="nt")
        return from_graph(graph)
    return from_sparql_json(result.serialize(format=ox.QueryResultsFormat.JSON))

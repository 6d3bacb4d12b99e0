"""The default store: an rdflib Dataset in memory, the union of its named graphs as default graph."""

from __future__ import annotations

from collections.abc import Sequence

from pyparsing import ParseException
from rdflib import Dataset
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import SPARQLError

from ..errors import QueryError, QuerySyntaxError
from ..loading import Source, load_dataset
from ..namespaces import PREFIXES
from ..results import QueryResult, from_rdflib
from .base import Backend, Bindings, evaluation_errors

__all__ = ["MemoryBackend", "parse_sparql"]


def parse_sparql(text: str):  # -> rdflib Query
    """Parse SPARQL with rdflib's parser, reporting errors by line and column."""
    try:
        return prepareQuery(text, initNs=PREFIXES)
    except ParseException as error:
        raise QuerySyntaxError(str(error.msg), line=error.lineno, column=error.col) from error
    except Exception as error:  # undefined prefix and similar, raised by the algebra translation
        if type(error).__module__.startswith(("rdflib", "pyparsing")):
            raise QuerySyntaxError(str(error)) from error
        raise


class MemoryBackend(Backend):
    scheme = "memory"

    def __init__(self, location: str = "", *, dataset: Dataset | None = None) -> None:
        super().__init__(location)
        self.dataset = dataset if dataset is not None else Dataset(default_union=True)

    def load(self, sources: Sequence[Source]) -> None:
        self.dataset = load_dataset(sources)  # parsed aside, swapped in whole

    def query(self, text: str, *, bindings: Bindings | None = None) -> QueryResult:
        prepared = parse_sparql(text)
        try:
            with evaluation_errors():
                return from_rdflib(self.dataset.query(prepared, initBindings=dict(bindings or {})))
        except (SPARQLError, RecursionError) as error:
            raise QueryError(f"rdflib could not evaluate this query ({type(error).__name__}: {error}); "
                             "the oxigraph store may (--store oxigraph)") from error

    def __len__(self) -> int:
        return sum(len(g) for g in self.dataset.graphs())

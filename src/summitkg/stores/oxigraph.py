"""An embedded Oxigraph store (pyoxigraph), in memory or on disk; fast at any size."""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef, Variable
from rdflib.term import Identifier

from ..binding import inject_values
from ..errors import LoadError, QueryError, QuerySyntaxError, StoreError
from ..formats import RESULT_FORMATS, Format
from ..loading import Source, strip_position
from ..namespaces import PREFIXES
from ..results import QueryResult, Row, from_boolean, from_graph
from .answer_graph import answer_graph
from .base import Backend, Bindings, evaluation_errors

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
        """Fill the store with ``sources``, all or nothing: a bad file leaves it as empty as it was.

        Files go straight into the store with ``bulk_load`` (no scratch copy: on disk that copy
        cost more than the load itself); on a syntax error the store is cleared again.
        """
        if len(self.store):
            raise StoreError("the store already holds data; load into an empty store", location=self.location)
        try:
            for source in sources:
                self.store.bulk_load(path=str(source.path), format=ox.RdfFormat.from_extension(source.path.suffix[1:]),
                                     to_graph=ox.NamedNode(str(source.graph)))
        except SyntaxError as error:
            self.store.clear()
            raise LoadError(strip_position(error.msg), path=source.path, line=error.lineno, column=error.offset) from error
        except BaseException:
            self.store.clear()
            raise
        if self.path is not None:
            self.store.flush()

    def query(self, text: str, *, bindings: Bindings | None = None) -> QueryResult:
        with evaluation_errors():
            return to_query_result(self._evaluate(text, bindings))

    def query_as(self, text: str, fmt: Format, *, bindings: Bindings | None = None) -> bytes | QueryResult:
        """SELECT and ASK answers in a W3C results format are written by pyoxigraph, as the endpoint
        writes them; answer graphs go through rdflib (its Turtle, JSON-LD, prefixes)."""
        with evaluation_errors():
            result = self._evaluate(text, bindings)
            if isinstance(result, ox.QueryTriples) or RESULT_FORMATS.get(fmt.name) != fmt or fmt.name == "table":
                return to_query_result(result)
            return result.serialize(format=ox.QueryResultsFormat.from_media_type(fmt.media_type))

    def _evaluate(self, text: str, bindings: Bindings | None) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
        try:
            return self.store.query(inject_values(text, bindings or {}), prefixes=PREFIXES,
                                    use_default_graph_as_union=True)
        except SyntaxError as error:
            raise query_syntax_error(error) from error

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
    """A pyoxigraph result as rdflib terms, exactly as its W3C SPARQL JSON form would parse."""
    if isinstance(result, ox.QueryBoolean):
        return from_boolean(bool(result))
    with _no_gc_pauses():
        return _convert(result, _TermConverter())


@contextlib.contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """Hold the cyclic collector while a result is converted: it makes only acyclic objects (terms,
    rows, index dicts), yet their sheer number sets off full collections, ~15% of a large result."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _convert(result: ox.QuerySolutions | ox.QueryTriples, converter: _TermConverter) -> QueryResult:
    if isinstance(result, ox.QueryTriples):
        return from_graph(answer_graph(_distinct_triples(result, converter)))
    return _from_solutions(result, converter)


def _distinct_triples(triples: ox.QueryTriples,
                      converter: _TermConverter) -> list[tuple[Identifier, Identifier, Identifier]]:
    # An answer graph is a set. Oxigraph drops repeats but forgets what it sent past a million
    # triples, so they are dropped here too, on Oxigraph's triples (hashed in Rust, far cheaper
    # than rdflib's terms).
    to_rdflib = converter.convert
    seen: set[ox.Triple] = set()
    out = []
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            subject, predicate, obj = triple
            out.append((to_rdflib(subject), to_rdflib(predicate), to_rdflib(obj)))
    return out


#: Converted terms kept across queries, at most this many. Terms are immutable and queries repeat
#: (the explorer, the same named query with other parameters), and building an rdflib Literal costs
#: ~9 µs, more than Oxigraph takes to find it. About 150 bytes a term: 30 MB when full.
TERM_CACHE_SIZE = 200_000
_converted: dict[object, Identifier] = {}


class _TermConverter:
    """pyoxigraph terms to rdflib, each distinct term converted once (results repeat terms a lot)."""

    def __init__(self) -> None:
        if len(_converted) > TERM_CACHE_SIZE:
            _converted.clear()
        self.converted = _converted

    def convert(self, value: object) -> Identifier:
        term = self.converted.get(value)
        if term is None:
            term = self.converted[value] = _to_rdflib(value)
        return term


def _from_solutions(solutions: ox.QuerySolutions, converter: _TermConverter) -> QueryResult:
    # Plain loops with the cache lookup inlined: for a small answer this conversion is most of
    # what summitkg adds to Oxigraph's own time (a generator and a call per term cost ~20% more).
    names = [Variable(v.value) for v in solutions.variables]
    converted = converter.converted
    bindings = []
    for solution in solutions:
        row = Row()
        for name, value in zip(names, solution):
            if value is not None:
                term = converted.get(value)
                if term is None:
                    term = converted[value] = _to_rdflib(value)
                row[name] = term
        bindings.append(row)
    out = QueryResult("SELECT")
    out.vars = names
    out.bindings = bindings
    return out


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _to_rdflib(term: object) -> Identifier:
    """The rdflib term a W3C SPARQL JSON result would give (a plain literal for xsd:string)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise QueryError(f"a result holds an RDF 1.2 triple term ({term}), which rdflib cannot represent")

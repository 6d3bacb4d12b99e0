"""Inside a worker: run SPARQL on the loaded store and write the answer as bytes, in that process.

Each store gets a small engine that knows what the generic ``Backend.query`` does not: the
protocol's ``default-graph-uri``/``named-graph-uri``, a row limit that stops reading early, the
store's own serializers (pyoxigraph writes its results natively), and a last policy check on the
parsed query — rdflib's parse tree is checked for SERVICE and FROM before it is evaluated.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import rdflib.plugins.sparql
from rdflib import Graph, URIRef, Variable
from rdflib.plugins.sparql.algebra import traverse
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from ..errors import QuerySyntaxError, StoreError
from ..formats import RDF_FORMATS, Format, serialize
from ..kg import KnowledgeGraph
from ..namespaces import PREFIXES
from ..results import QueryResult, from_graph, from_rdflib
from ..stores.base import evaluation_errors
from ..stores.memory import MemoryBackend, parse_sparql
from ..stores.oxigraph import OxigraphBackend
from .errors import (
    GraphNotHeld,
    NotFound,
    ProtocolError,
    QueryRefused,
    UnsupportedMediaType,
)
from .guard import Plan, Policy

__all__ = ["Answer", "DatasetSpec", "State", "engine_for"]

# rdflib would otherwise fetch every FROM / FROM NAMED IRI it does not hold (file: URLs included).
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


@dataclass(frozen=True)
class DatasetSpec:
    """The protocol's ``default-graph-uri`` and ``named-graph-uri`` values; they replace FROM clauses."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    body: bytes
    truncated: bool = False


@dataclass
class State:
    """What a worker holds: the graph, its engine, the operator's policy. Lives in the zygote first."""

    kg: KnowledgeGraph
    policy: Policy
    max_rows: int
    cache: dict[str, Any] = field(default_factory=dict)
    #: Graphs of at most this many quads get their entity network in the zygote, before serving;
    #: larger ones are served at once and get it from a background build (``pagedata.build_network``).
    network_prebuild_quads: int = 50_000
    quads: int = 0  # in every named graph; set by the server, and again after each update

    def __post_init__(self) -> None:
        self.engine = engine_for(self.kg)

    def refresh(self) -> None:
        """After an update, in the process that becomes the next zygote: the graphs it now holds
        (the exact FROM check uses them) and the page tables."""
        from .pagedata import warm

        counts = graph_counts(self)
        self.policy = dataclasses.replace(self.policy, graphs=frozenset(counts))
        self.quads = sum(counts.values())
        self.cache.clear()
        warm(self)

    @property
    def network_in_zygote(self) -> bool:
        """Whether the entity network is built before serving (small graphs) or in the background."""
        return self.quads <= self.network_prebuild_quads

    def select(self, text: str, **bindings: Any) -> list[Any]:
        """Rows of one of *our* SELECT queries (pages, statistics), variables bound as values."""
        return self.engine.select(text, bindings)


def engine_for(kg: KnowledgeGraph) -> Engine:
    if isinstance(kg.backend, MemoryBackend):
        return RdflibEngine(kg)
    if isinstance(kg.backend, OxigraphBackend):
        return OxigraphEngine(kg)
    return Engine(kg)


class Engine:
    """Any store, through ``kg.query`` and rdflib's serializers; read-only. Used for remote stores."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        self.kg = kg

    def query(self, text: str, plan: Plan, fmt: Format, *, dataset: DatasetSpec | None, policy: Policy,
              max_rows: int) -> Answer:
        if dataset is not None:
            raise QueryRefused("default-graph-uri / named-graph-uri are not supported when serving a remote store")
        return _write_rdflib(self.kg.backend.query(text), fmt, max_rows)

    def select(self, text: str, bindings: dict[str, Any]) -> list[Any]:
        return self.kg.query(text, **bindings).bindings

    def verify(self, text: str, plan: Plan, policy: Policy) -> None:
        """The parser-level policy check, for work that runs a request's query through ``kg.query``."""
        if plan.unverified or plan.services:
            _verify_with_rdflib(text, policy, update=False)

    def update(self, text: str, plan: Plan, policy: Policy) -> None:
        raise QueryRefused("this store is read-only")

    def read_graph(self, graph: str | None, fmt: Format) -> bytes:
        raise QueryRefused("the Graph Store Protocol is not available for a remote store; query it with SPARQL")

    def write_graph(self, graph: str, data: bytes, media_type: str, *, replace: bool) -> bool:
        raise QueryRefused("this store is read-only")

    def drop_graph(self, graph: str) -> None:
        raise QueryRefused("this store is read-only")


# -- rdflib -------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _prepared(text: str) -> Query:
    """rdflib parses slowly; a worker keeps the queries it has seen (they are reusable)."""
    return parse_sparql(text)


class RdflibEngine(Engine):
    def __init__(self, kg: KnowledgeGraph) -> None:
        super().__init__(kg)
        self.dataset = kg.backend.dataset

    def query(self, text: str, plan: Plan, fmt: Format, *, dataset: DatasetSpec | None, policy: Policy,
              max_rows: int) -> Answer:
        prepared = _prepared(text)
        _check_parse_tree(prepared.algebra, policy)
        if dataset is not None:
            prepared = _with_dataset(prepared, dataset)
        with evaluation_errors():
            return _write_rdflib(self.dataset.query(prepared), fmt, max_rows)

    def select(self, text: str, bindings: dict[str, Any]) -> list[Any]:
        return from_rdflib(self.dataset.query(_prepared(text), initBindings=bindings)).bindings

    def verify(self, text: str, plan: Plan, policy: Policy) -> None:
        _check_parse_tree(_prepared(text).algebra, policy)

    def update(self, text: str, plan: Plan, policy: Policy) -> None:
        from pyparsing import ParseException
        from rdflib.plugins.sparql import prepareUpdate

        try:
            parsed = prepareUpdate(text, initNs=PREFIXES)
        except ParseException as error:
            raise QuerySyntaxError(str(error.msg), line=error.lineno, column=error.col, source="update") from error
        _check_parse_tree(parsed.algebra, policy)
        self.dataset.update(parsed)

    def read_graph(self, graph: str | None, fmt: Format) -> bytes:
        if graph is None:
            union = Graph()
            for triple in self.dataset.triples((None, None, None)):
                union.add(triple)
            return serialize(from_graph(union), fmt.name)
        if URIRef(graph) not in {g.identifier for g in self.dataset.graphs()}:
            raise NotFound(f"graph <{graph}> does not exist")
        return serialize(from_graph(self.dataset.graph(URIRef(graph))), fmt.name)

    def write_graph(self, graph: str, data: bytes, media_type: str, *, replace: bool) -> bool:
        fmt = _triples_format(media_type)
        incoming = Graph()
        try:
            incoming.parse(data=data, format="nt" if fmt.name == "nt" else fmt.library_name, publicID=graph)
        except Exception as error:
            raise ProtocolError(f"the {fmt.media_type} body does not parse: {str(error).splitlines()[0]}",
                                parameter="body") from error
        name = URIRef(graph)
        existed = name in {g.identifier for g in self.dataset.graphs()}
        target = self.dataset.graph(name)
        if replace:
            target.remove((None, None, None))
        for triple in incoming:
            target.add(triple)
        return not existed

    def drop_graph(self, graph: str) -> None:
        name = URIRef(graph)
        if name not in {g.identifier for g in self.dataset.graphs()}:
            raise NotFound(f"graph <{graph}> does not exist")
        self.dataset.remove_graph(name)


def _check_parse_tree(tree: Any, policy: Policy) -> None:
    """The exact check behind the guard's scan: every SERVICE allowed, no LOAD, FROM only graphs we hold."""

    def visit(node: Any) -> None:
        if not isinstance(node, CompValue):
            return
        if node.name == "ServiceGraphPattern":
            target = node.get("term")
            if not (isinstance(target, URIRef) and policy.service_allowed(str(target))):
                raise QueryRefused(f"SERVICE {target.n3() if hasattr(target, 'n3') else target} is not allowed")
        elif node.name == "Load":
            raise QueryRefused("LOAD is not allowed: this endpoint never fetches a URL or file because a request names it")
        elif node.name == "DatasetClause":
            for key, clause in (("default", "FROM"), ("named", "FROM NAMED")):
                iri = node.get(key)
                if iri is not None and str(iri) not in policy.graphs:
                    raise GraphNotHeld(str(iri), clause=clause, held=sorted(policy.graphs))

    traverse(tree, visitPost=visit)


def _with_dataset(prepared: Query, spec: DatasetSpec) -> Query:
    algebra = CompValue(prepared.algebra.name, **prepared.algebra)
    algebra["datasetClause"] = ([CompValue("DatasetClause", default=URIRef(g)) for g in spec.default]
                                + [CompValue("DatasetClause", named=URIRef(g)) for g in spec.named])
    return Query(prepared.prologue, algebra)


def _write_rdflib(result: Any, fmt: Format, max_rows: int) -> Answer:
    """Serialize an rdflib result with at most ``max_rows`` rows (or triples), reading no further."""
    truncated = False
    if result.type == "SELECT":
        rows = list(itertools.islice(iter(result), max_rows + 1))
        truncated = len(rows) > max_rows
        limited = QueryResult("SELECT")
        limited.vars = list(result.vars or [])
        limited.bindings = [{Variable(k): v for k, v in row.asdict().items()} for row in rows[:max_rows]]
        result = limited
    elif result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph
        if len(graph) > max_rows:
            truncated = True
            graph = Graph()
            for triple in itertools.islice(result.graph, max_rows):
                graph.add(triple)
        result = from_graph(graph, result.type)
    elif not isinstance(result, QueryResult):
        answer = QueryResult("ASK")
        answer.askAnswer = result.askAnswer
        result = answer
    return Answer(serialize(result, fmt.name), truncated)


def _triples_format(media_type: str) -> Format:
    """The triples format a Graph Store body is written in (quads make no sense for one graph)."""
    import pyoxigraph as ox

    try:
        canonical = ox.RdfFormat.from_media_type(media_type)
    except ValueError:
        canonical = None
    for fmt in RDF_FORMATS.values():
        if canonical is not None and fmt.media_type == canonical.media_type and fmt.name not in ("nq", "trig"):
            return fmt
    accepted = [f.media_type for f in RDF_FORMATS.values() if f.name not in ("nq", "trig")]
    raise UnsupportedMediaType(media_type, accepted=accepted)


# -- Oxigraph -----------------------------------------------------------------------------------------


class _Enough(Exception):
    """Raised from inside pyoxigraph's writer once the row limit is passed."""


class _RowCounter:
    """A binary writer for pyoxigraph's TSV results that stops the serializer after ``limit`` rows.

    In SPARQL TSV every row is exactly one line (newlines in literals are escaped), so counting
    lines counts rows: the store stops producing solutions as soon as we have enough.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit + 1  # the header line
        self.parts: list[bytes] = []
        self.lines = 0

    def write(self, chunk: bytes) -> int:
        self.parts.append(bytes(chunk))
        self.lines += chunk.count(b"\n")
        if self.lines > self.limit:
            raise _Enough
        return len(chunk)

    def flush(self) -> None:
        pass

    def rows(self) -> tuple[bytes, bool]:
        data = b"".join(self.parts)
        if self.lines <= self.limit:
            return data, False
        lines = data.split(b"\n")
        return b"\n".join(lines[: self.limit]) + b"\n", True


class OxigraphEngine(Engine):
    def __init__(self, kg: KnowledgeGraph) -> None:
        super().__init__(kg)
        self.store = kg.backend.store

    def query(self, text: str, plan: Plan, fmt: Format, *, dataset: DatasetSpec | None, policy: Policy,
              max_rows: int) -> Answer:
        import pyoxigraph as ox

        if plan.unverified:
            _verify_with_rdflib(text, policy, update=False)
        options: dict[str, Any] = {"prefixes": PREFIXES}
        if dataset is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in dataset.default]
            options["named_graphs"] = [ox.NamedNode(g) for g in dataset.named]
        elif not (plan.from_default or plan.from_named):
            options["use_default_graph_as_union"] = True  # (it would also override FROM, so only without)
        with evaluation_errors():
            try:
                result = self.store.query(text, **options)
                if isinstance(result, ox.QueryBoolean):
                    return Answer(_ask_bytes(bool(result), fmt))
                if isinstance(result, ox.QueryTriples):
                    triples = list(itertools.islice(result, max_rows + 1))
                    body = ox.serialize(triples[:max_rows], format=ox.RdfFormat.from_media_type(fmt.media_type),
                                        prefixes=PREFIXES)
                    return Answer(body, len(triples) > max_rows)
                counter = _RowCounter(max_rows)
                try:
                    result.serialize(counter, format=ox.QueryResultsFormat.TSV)
                except _Enough:
                    pass
                tsv, truncated = counter.rows()
            except SyntaxError as error:
                from ..stores.oxigraph import query_syntax_error

                raise query_syntax_error(error) from error
        if fmt.name == "tsv":
            return Answer(tsv, truncated)
        target = ox.QueryResultsFormat.from_media_type(fmt.media_type)
        return Answer(ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=target), truncated)

    def update(self, text: str, plan: Plan, policy: Policy) -> None:
        from ..stores.oxigraph import query_syntax_error

        if plan.unverified:
            _verify_with_rdflib(text, policy, update=True)
        try:
            self.store.update(text, prefixes=PREFIXES)
        except SyntaxError as error:
            raise query_syntax_error(error) from error
        except OSError as error:
            raise StoreError(str(error), location="the update") from error

    def read_graph(self, graph: str | None, fmt: Format) -> bytes:
        import pyoxigraph as ox

        if graph is None:
            triples: Iterable[Any] = {quad.triple for quad in self.store}
        else:
            if not self.store.contains_named_graph(ox.NamedNode(graph)):
                raise NotFound(f"graph <{graph}> does not exist")
            triples = (quad.triple for quad in self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        return ox.serialize(list(triples), format=ox.RdfFormat.from_media_type(fmt.media_type), prefixes=PREFIXES)

    def write_graph(self, graph: str, data: bytes, media_type: str, *, replace: bool) -> bool:
        import pyoxigraph as ox

        fmt = _triples_format(media_type)
        name = ox.NamedNode(graph)
        try:
            quads = [ox.Quad(t.subject, t.predicate, t.object, name)
                     for t in ox.parse(data, format=ox.RdfFormat.from_media_type(fmt.media_type), base_iri=graph)]
        except SyntaxError as error:
            raise ProtocolError(f"the {fmt.media_type} body does not parse: {error.msg}", parameter="body") from error
        existed = self.store.contains_named_graph(name)
        if replace and existed:
            self.store.remove_graph(name)
        self.store.add_graph(name)
        self.store.extend(quads)
        return not existed

    def drop_graph(self, graph: str) -> None:
        import pyoxigraph as ox

        name = ox.NamedNode(graph)
        if not self.store.contains_named_graph(name):
            raise NotFound(f"graph <{graph}> does not exist")
        self.store.remove_graph(name)


def _ask_bytes(answer: bool, fmt: Format) -> bytes:
    from ..results import from_boolean

    return serialize(from_boolean(answer), fmt.name)


def _verify_with_rdflib(text: str, policy: Policy, *, update: bool) -> None:
    """For engines that hide their parse tree: parse with rdflib and check it, or refuse."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseUpdate(text) if update else parseQuery(text)
    except Exception as error:
        raise QueryRefused("the text mentions SERVICE or LOAD in a way the safety check cannot verify; "
                           f"rewrite it ({str(error).splitlines()[0]})") from error
    _check_parse_tree(tree, policy)


def graph_counts(state: State) -> dict[str, int]:
    """Triples per named graph, through SPARQL so that every store answers the same way."""
    rows = state.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    return {str(row["g"]): int(row["n"]) for row in rows}


def run_sparql(state: State, text: str, plan: Plan, fmt: Format, dataset: DatasetSpec | None) -> Answer:
    return state.engine.query(text, plan, fmt, dataset=dataset, policy=state.policy, max_rows=state.max_rows)


def run_update(state: State, text: str, plan: Plan) -> None:
    state.engine.update(text, plan, state.policy)


def read_graph(state: State, graph: str | None, fmt: Format) -> bytes:
    return state.engine.read_graph(graph, fmt)


def write_graph(state: State, graph: str, data: bytes, media_type: str, replace: bool) -> bool:
    return state.engine.write_graph(graph, data, media_type, replace=replace)


def drop_graph(state: State, graph: str) -> None:
    state.engine.drop_graph(graph)


def stats(state: State) -> dict[str, int]:
    return graph_counts(state)


def warm_up(state: State) -> None:
    """Run one query of each kind in each format, so serializers load before the sandbox closes."""
    from ..formats import RESULT_FORMATS
    from .guard import scan

    for text, formats in (("SELECT ?s WHERE { ?s a skg:Document } LIMIT 1", RESULT_FORMATS.values()),
                          ("ASK { ?s a skg:Document }", RESULT_FORMATS.values()),
                          ("CONSTRUCT { ?s a skg:Document } WHERE { ?s a skg:Document } LIMIT 1", RDF_FORMATS.values())):
        plan = scan(text, operation="query", prefixes=PREFIXES)
        for fmt in formats:
            if fmt.name != "table":
                run_sparql(state, text, plan, fmt, None)


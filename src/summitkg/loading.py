"""Find the ontology and graph files and parse them into a fresh rdflib Dataset.

Each file becomes one named graph: ``ontology/summitkg.ttl`` is
``graph:ontology`` and ``graph/<theme>.ttl`` is ``graph:<theme>``. A syntax error
anywhere raises ``LoadError`` with file, line and column, and nothing is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.util import guess_format

from .config import Settings
from .errors import LoadError
from .namespaces import GRAPH, PREFIXES

__all__ = ["Source", "discover", "load_dataset", "graph_name_for", "bind_prefixes", "parse_file"]

_RDF_SUFFIXES = (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf", ".owl")


@dataclass(frozen=True)
class Source:
    """One RDF file and the named graph it loads into."""

    path: Path
    graph: URIRef


def graph_name_for(path: Path) -> URIRef:
    """``ontology/summitkg.ttl`` → ``graph:ontology``; ``graph/x.ttl`` → ``graph:x``."""
    if path.parent.name == "ontology":
        return GRAPH["ontology"]
    return GRAPH[path.stem]


def discover(settings: Settings) -> list[Source]:
    """The ontology first, then every RDF file directly under graph/, in name order."""
    ontology = settings.ontology_dir / "summitkg.ttl"
    if not ontology.is_file():
        raise LoadError("the ontology file is missing", path=ontology)
    data = sorted(p for p in settings.graph_dir.glob("*") if p.suffix in _RDF_SUFFIXES)
    return [Source(p, graph_name_for(p)) for p in [ontology, *data]]


def bind_prefixes(dataset: Dataset) -> None:
    for prefix, iri in PREFIXES.items():
        dataset.bind(prefix, iri, override=True, replace=True)


def load_dataset(sources: Iterable[Source]) -> Dataset:
    """Parse every source into a new Dataset whose default graph is the union of all."""
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset)
    for source in sources:
        parse_into(dataset, source)
    return dataset


def parse_into(dataset: Dataset, source: Source) -> None:
    parse_file(source.path, dataset.graph(source.graph), public_id=str(source.graph))


def parse_file(path: Path, graph: Graph, *, public_id: str | None = None) -> Graph:
    """Parse ``path`` into ``graph``; a syntax error becomes ``LoadError`` naming path:line:col.

    pyoxigraph's Rust parser reads the file (about twice as fast as rdflib's, with exact
    positions); rdflib keeps the triples. Formats pyoxigraph lacks go through rdflib.
    """
    try:
        rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    except ValueError:
        rdf_format = None
    if rdf_format is None:
        return _parse_with_rdflib(path, graph, public_id=public_id)
    _read(path)  # reports unreadable files and invalid UTF-8 with their position
    try:
        quads = ox.parse(path=str(path), format=rdf_format, base_iri=public_id)
        graph.addN((_term(q.subject), _term(q.predicate), _term(q.object), graph) for q in quads)
    except SyntaxError as error:
        raise LoadError(strip_position(error.msg), path=path, line=error.lineno, column=error.offset) from error
    return graph


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_POSITION = re.compile(r"^Parser error (?:at line \d+ between columns \d+ and \d+|between line \d+ column \d+ and line \d+ column \d+): ")


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | BNode | Literal:
    """The rdflib term an rdflib Turtle parse would give for a pyoxigraph term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))


def strip_position(message: str) -> str:
    return _POSITION.sub("", message)


def _parse_with_rdflib(path: Path, graph: Graph, *, public_id: str | None) -> Graph:
    text = _read(path)
    try:
        graph.parse(data=text, format=guess_format(str(path)) or "turtle", publicID=public_id)
    except BadSyntax as error:
        line, column = _position(error)
        raise LoadError(error._why, path=path, line=line, column=column) from error
    except SyntaxError as error:  # RDF/XML (expat) and N-Triples report through SyntaxError
        raise LoadError(str(error), path=path, line=getattr(error, "lineno", None),
                        column=getattr(error, "offset", None)) from error
    except Exception as error:
        if type(error).__module__.startswith("rdflib") or isinstance(error, ValueError):
            raise LoadError(str(error).splitlines()[0], path=path) from error
        raise
    return graph


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        before = path.read_bytes()[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise LoadError("invalid UTF-8", path=path, line=line, column=column) from error
    except OSError as error:
        raise LoadError(error.strerror or str(error), path=path) from error


def _position(error: BadSyntax) -> tuple[int, int]:
    """1-based line and character column of a notation3 ``BadSyntax``."""
    data: bytes = error._str if isinstance(error._str, bytes) else str(error._str).encode()
    index: int = error._i
    line_start = data.rfind(b"\n", 0, index) + 1
    column = len(data[line_start:index].decode("utf-8", errors="replace")) + 1
    return error.lines + 1, column

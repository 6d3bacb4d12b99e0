"""Every output format in one table: name, media type, extension, and the library that writes it."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ConfigError
from .namespaces import PREFIXES
from .results import QueryResult

__all__ = ["Format", "RESULT_FORMATS", "RDF_FORMATS", "serialize", "result_format", "graph_format"]


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    library_name: str  # the name the library's serializer knows it by


RESULT_FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("json", "application/sparql-results+json", "srj", "json"),
    Format("xml", "application/sparql-results+xml", "srx", "xml"),
    Format("csv", "text/csv", "csv", "csv"),
    Format("tsv", "text/tab-separated-values", "tsv", "tsv"),
    Format("table", "text/plain", "txt", "txt"),
)}

RDF_FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("ttl", "text/turtle", "ttl", "turtle"),
    Format("nt", "application/n-triples", "nt", "nt11"),
    Format("nq", "application/n-quads", "nq", "nquads"),
    Format("trig", "application/trig", "trig", "trig"),
    Format("jsonld", "application/ld+json", "jsonld", "json-ld"),
    Format("xml", "application/rdf+xml", "rdf", "xml"),
)}


def result_format(name: str) -> Format:
    try:
        return RESULT_FORMATS[name]
    except KeyError:
        raise ConfigError(f"{name!r} is not a format for SELECT/ASK results; choose one of: "
                          f"{', '.join(RESULT_FORMATS)}", name="--format") from None


def graph_format(name: str) -> Format:
    try:
        return RDF_FORMATS[name]
    except KeyError:
        raise ConfigError(f"{name!r} is not a format for CONSTRUCT/DESCRIBE results; choose one of: "
                          f"{', '.join(RDF_FORMATS)}", name="--format") from None


def serialize(result: QueryResult, name: str) -> bytes:
    """Bytes of ``result`` in format ``name``, written by rdflib (or pyoxigraph for TSV)."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        fmt = graph_format(name)
        graph = result.graph
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri, override=True, replace=True)
        if fmt.name in ("nq", "trig"):  # quad formats need a dataset: the result is its default graph
            from rdflib import Dataset

            dataset = Dataset()
            for triple in graph:
                dataset.add(triple)
            return dataset.serialize(format=fmt.library_name, encoding="utf-8")
        if fmt.name == "jsonld":
            return graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True).encode("utf-8")
        return graph.serialize(format=fmt.library_name, encoding="utf-8")
    fmt = result_format(name)
    if fmt.name == "tsv" or (result.type == "ASK" and fmt.name == "csv"):
        return _via_oxigraph(result, fmt.name)
    return result.serialize(format=fmt.library_name, encoding="utf-8")


def _via_oxigraph(result: QueryResult, name: str) -> bytes:
    """rdflib has no TSV results writer (only a parser): pyoxigraph writes it from the JSON results."""
    import pyoxigraph as ox

    parsed = ox.parse_query_results(result.serialize(format="json"), format=ox.QueryResultsFormat.JSON)
    target = ox.QueryResultsFormat.TSV if name == "tsv" else ox.QueryResultsFormat.CSV
    return parsed.serialize(format=target)

"""Write the graph for the tools people already run: RDF stores, Protégé, Gephi, Cytoscape, spreadsheets.

RDF comes from rdflib's serializers. The quad formats (``nq``, ``trig``, ``jsonld``) keep every
named graph; the triple formats (``ttl``, ``nt``, ``xml``) hold their union. JSON-LD is compacted
with the shipped context ``ontology/context.jsonld``, so keys read ``label``, ``source``, ``quote``.
GraphML and GEXF are written by networkx and CSV by the csv module, all three from
``network.entity_network(kg)``: entities as nodes, direct relations as edges.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .errors import ConfigError, LoadError
from .formats import RDF_FORMATS
from .loading import bind_prefixes
from .namespaces import GRAPH, PREFIXES

if TYPE_CHECKING:
    import networkx as nx

    from .config import Settings
    from .kg import KnowledgeGraph

__all__ = ["ExportFormat", "EXPORT_FORMATS", "export_format", "dataset_of", "named_graphs", "ontology_graph",
           "load_context", "rdf_bytes", "network_bytes", "CSV_COLUMNS"]


@dataclass(frozen=True)
class ExportFormat:
    name: str
    media_type: str
    extensions: tuple[str, ...]
    #: ``rdf``: written by rdflib from the dataset; ``network``: from the entity network.
    kind: str
    #: Keeps each named graph apart (nq, trig, jsonld).
    quads: bool = False


_MORE_EXTENSIONS = {"xml": ("owl", "xml"), "jsonld": ("json",)}

EXPORT_FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    *(ExportFormat(rdf.name, rdf.media_type, (rdf.extension, *_MORE_EXTENSIONS.get(rdf.name, ())), "rdf",
                   quads=rdf.name in ("nq", "trig", "jsonld"))
      for rdf in RDF_FORMATS.values()),
    ExportFormat("graphml", "application/graphml+xml", ("graphml",), "network"),
    ExportFormat("gexf", "application/gexf+xml", ("gexf",), "network"),
    ExportFormat("csv", "text/csv", ("csv",), "network"),
)}

#: The columns of the CSV edge list, one edge per row.
CSV_COLUMNS = ("source", "source_label", "property", "property_label", "target", "target_label", "status", "document")


def export_format(name: str | None, path: Path | None = None) -> ExportFormat:
    """The format called ``name``, else the one ``path``'s extension names."""
    choices = ", ".join(EXPORT_FORMATS)
    if name:
        try:
            return EXPORT_FORMATS[name]
        except KeyError:
            raise ConfigError(f"unknown format {name!r}; choose one of: {choices}", name="--format") from None
    if path is None:
        raise ConfigError(f"give --format ({choices}) when writing to standard output", name="--format")
    suffix = path.suffix.lstrip(".").lower()
    for fmt in EXPORT_FORMATS.values():
        if suffix in fmt.extensions:
            return fmt
    raise ConfigError(f"cannot tell the format from {path.name!r}; give --format ({choices})", name="--format")


def dataset_of(kg: KnowledgeGraph) -> Dataset:
    """The graph's named graphs as an rdflib Dataset, whatever store holds them."""
    dataset = getattr(kg.backend, "dataset", None)
    if isinstance(dataset, Dataset):
        return dataset
    out = Dataset()
    bind_prefixes(out)
    for row in kg.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }").bindings:
        out.add((row["s"], row["p"], row["o"], row["g"]))
    return out


def named_graphs(dataset: Dataset) -> list[Graph]:
    """The non-empty named graphs, the ontology first, then by name (the default graph is empty)."""
    graphs = [g for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)]
    return sorted(graphs, key=lambda g: (g.identifier != GRAPH["ontology"], str(g.identifier)))


def ontology_graph(dataset: Dataset) -> Graph:
    """A copy of the ontology's named graph (``graph:ontology``), to change without touching the data."""
    return _copy(_ontology(dataset))


def _ontology(dataset: Dataset) -> Graph:
    for graph in named_graphs(dataset):
        if graph.identifier == GRAPH["ontology"]:
            return graph
    raise ConfigError(f"the store holds no ontology graph <{GRAPH['ontology']}>", name="--ontology-only")


def load_context(settings: Settings) -> dict[str, Any]:
    """The ``@context`` of the shipped ``ontology/context.jsonld``."""
    path = settings.ontology_dir / "context.jsonld"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise LoadError(error.strerror or str(error), path=path) from error
    except json.JSONDecodeError as error:
        raise LoadError(error.msg, path=path, line=error.lineno, column=error.colno) from error
    if not isinstance(document, dict) or not isinstance(document.get("@context"), dict):
        raise LoadError("expected an object with an @context object", path=path)
    return document["@context"]


def rdf_bytes(dataset: Dataset, fmt: ExportFormat, *, context: dict[str, Any] | None = None,
              ontology_only: bool = False) -> bytes:
    """``dataset`` (or its ontology alone) in an RDF format, written by rdflib."""
    library_name = RDF_FORMATS[fmt.name].library_name
    graphs = [_ontology(dataset)] if ontology_only else named_graphs(dataset)
    source: Graph | Dataset = _as_dataset(graphs) if fmt.quads else _copy(*graphs)
    if fmt.name == "jsonld":
        if context is None:
            raise ValueError("JSON-LD needs the context (load_context(settings))")
        return source.serialize(format=library_name, context=context, auto_compact=True).encode("utf-8")
    return source.serialize(format=library_name, encoding="utf-8")


def _copy(*graphs: Graph) -> Graph:
    out = Graph()
    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri, override=True, replace=True)
    for graph in graphs:
        out += graph
    return out


def _as_dataset(graphs: list[Graph]) -> Dataset:
    """A Dataset holding exactly ``graphs``: no union default graph to repeat every triple."""
    out = Dataset()
    bind_prefixes(out)
    for graph in graphs:
        target = out.graph(graph.identifier)
        target += graph
    return out


def network_bytes(network: nx.MultiDiGraph, fmt: ExportFormat) -> bytes:
    """The entity network as GraphML or GEXF (networkx) or a CSV edge list.

    Each edge also gets ``label`` (its property's label), which Gephi and Cytoscape show on it.
    """
    import networkx as nx

    if fmt.name == "csv":
        return _edge_csv(network)
    labelled = network.copy()
    for _, _, data in labelled.edges(data=True):
        data["label"] = data.get("property_label", "")
    buffer = io.BytesIO()
    if fmt.name == "graphml":
        nx.write_graphml(labelled, buffer, encoding="utf-8")
    elif fmt.name == "gexf":
        nx.write_gexf(labelled, buffer, encoding="utf-8")
    else:
        raise ValueError(f"{fmt.name} is not a network format")
    return buffer.getvalue()


def _edge_csv(network: nx.MultiDiGraph) -> bytes:
    from .network import curie

    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    nodes = network.nodes
    for source, target, data in sorted(network.edges(data=True), key=lambda e: (e[0], e[2].get("property", ""), e[1])):
        writer.writerow([nodes[source].get("curie", source), nodes[source].get("label", ""),
                         curie(data.get("property", "")), data.get("property_label", ""),
                         nodes[target].get("curie", target), nodes[target].get("label", ""),
                         data.get("status", ""), data.get("sources", "")])
    return text.getvalue().encode("utf-8")

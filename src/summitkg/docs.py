"""HTML documentation of the ontology, written by pyLODE, with examples taken from the data.

pyLODE lists every class and property with its label, comment, domain, range and super-classes.
Before it runs, a copy of the ontology gets ``skos:example`` values (which pyLODE shows) naming
up to three instances of each class and three uses of each property from the loaded graph, so a
reader sees how each term is really used. The page carries its CSS inline and loads nothing.
"""

from __future__ import annotations

import logging
from itertools import islice
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS, NamespaceManager

from .errors import ConfigError
from .export import named_graphs, ontology_graph
from .namespaces import PREFIXES

__all__ = ["EXAMPLES_PER_TERM", "with_examples", "write_docs"]

EXAMPLES_PER_TERM = 3
_CLASS_TYPES = (OWL.Class, RDFS.Class)
_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


def with_examples(dataset: Dataset) -> Graph:
    """A copy of the ontology whose classes and properties carry ``skos:example`` uses from the data."""
    ontology = ontology_graph(dataset)
    # pyLODE would merge each SKOS scheme's title and description into the ontology's metadata.
    ontology.remove((None, RDF.type, SKOS.ConceptScheme))
    data = Graph()
    for graph in named_graphs(dataset):
        data += graph
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        names.bind(prefix, iri)

    def show(term: object) -> str:
        if isinstance(term, URIRef):
            label = data.value(term, RDFS.label)
            return f"{term.n3(names)} ({_clip(str(label))})" if label is not None else term.n3(names)
        return f'"{_clip(str(term))}"'

    classes = {c for kind in _CLASS_TYPES for c in ontology.subjects(RDF.type, kind) if isinstance(c, URIRef)}
    for cls in sorted(classes):
        for instance in islice(sorted(set(data.subjects(RDF.type, cls))), EXAMPLES_PER_TERM):
            ontology.add((cls, SKOS.example, Literal(show(instance))))
    properties = {p for kind in _PROPERTY_TYPES for p in ontology.subjects(RDF.type, kind) if isinstance(p, URIRef)}
    for prop in sorted(properties):
        uses = sorted(data.subject_objects(prop), key=lambda so: (str(so[0]), str(so[1])))
        for subject, value in uses[:EXAMPLES_PER_TERM]:
            ontology.add((prop, SKOS.example, Literal(f"{show(subject)}\n  {prop.n3(names)}\n    {show(value)}")))
    return ontology


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_docs(dataset: Dataset, directory: Path) -> Path:
    """Write ``directory/index.html`` documenting the ontology; returns its path."""
    ontology = with_examples(dataset)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"cannot create {str(directory)!r}: {error.strerror or error}", name="--output") from error
    page = _ontpub()(ontology, sort_subjects=True).make_html()
    target = directory / "index.html"
    scratch = target.with_suffix(".html.tmp")
    scratch.write_text(page, encoding="utf-8")
    scratch.replace(target)
    return target


def _ontpub():
    """pyLODE's OntPub, imported without the DEBUG logging pyLODE switches on at import."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    from pylode import OntPub

    root.handlers[:] = handlers
    root.setLevel(level)
    return OntPub

"""Check the graph: SHACL shapes (pyshacl), quotes verbatim in their sources, terms declared, nodes typed.

The shapes run without RDFS inference, on the types the data states. Under inference an
``sh:class`` check on a property whose ``rdfs:range`` is that class could not fail (the range
supplied the class), and inference was two thirds of a validation's time. What inference gave the
targets instead, ``check_typed`` asks for: every node states its type, so every node meets its
shapes; ``sh:targetClass`` still reaches the instances of subclasses through ``rdfs:subClassOf``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL

from .config import Settings
from .loading import parse_file
from .namespaces import SKG

__all__ = ["Problem", "ValidationReport", "validate_dataset", "check_quotes", "check_declared_terms", "check_typed",
           "load_shapes"]

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Problem:
    """One thing wrong: which check found it, on what node, along which path, and why."""

    check: str
    focus: str
    message: str
    path: str = ""
    severity: str = "Violation"

    def __str__(self) -> str:
        where = f"{self.focus}" + (f" {self.path}" if self.path else "")
        return f"[{self.check}] {where}: {self.message}"


@dataclass
class ValidationReport:
    problems: list[Problem] = field(default_factory=list)
    checked_quotes: int = 0
    checked_nodes: int = 0

    @property
    def conforms(self) -> bool:
        return not any(p.severity == "Violation" for p in self.problems)


def load_shapes(settings: Settings) -> Graph:
    return parse_file(settings.ontology_dir / "shapes.ttl", Graph())


def _merged(dataset: Dataset) -> Graph:
    merged = Graph()
    for graph in dataset.graphs():
        merged.addN((s, p, o, merged) for s, p, o in graph)
    return merged


def validate_dataset(dataset: Dataset, settings: Settings) -> ValidationReport:
    """Run every check; the dataset itself is never modified."""
    from pyshacl import validate as shacl_validate

    data = _merged(dataset)
    report = ValidationReport(checked_nodes=len(set(data.subjects())))
    with _sparql_parsed_once():
        # inplace: ``data`` is already a copy made for this validation, so pyshacl need not clone it.
        conforms, results, _ = shacl_validate(data, shacl_graph=load_shapes(settings), inference="none", inplace=True,
                                              abort_on_first=False, allow_warnings=True, advanced=True)
    if not conforms:
        report.problems.extend(_shacl_problems(results))
    quote_problems, checked = check_quotes(data, settings.sources_dir)
    report.problems.extend(quote_problems)
    report.checked_quotes = checked
    report.problems.extend(check_declared_terms(data))
    report.problems.extend(check_typed(data))
    return report


@contextmanager
def _sparql_parsed_once() -> Iterator[None]:
    """Parse each SPARQL constraint once, not once per focus node.

    pyshacl hands rdflib a query string for every node a SPARQL-based constraint targets, and
    rdflib parses it again each time: 300 parses, over half of a validation's seconds.
    """
    from rdflib.plugins.sparql import processor

    evaluate = processor.SPARQLProcessor.query
    prepared: dict[tuple, object] = {}

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
            if key not in prepared:
                prepared[key] = processor.prepareQuery(strOrQuery, initNs, base)
            strOrQuery = prepared[key]
        return evaluate(self, strOrQuery, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = evaluate


def _shacl_problems(results: Graph) -> list[Problem]:
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        path = results.value(result, SH.resultPath)
        problems.append(Problem(
            check="shacl",
            focus=str(results.value(result, SH.focusNode)),
            path=_curie(path) if path is not None else "",
            message=str(results.value(result, SH.resultMessage) or "constraint violated"),
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        ))
    return sorted(problems, key=lambda p: (p.focus, p.path, p.message))


def _curie(term: object) -> str:
    text = str(term)
    return "skg:" + text[len(str(SKG._NS)):] if text.startswith(str(SKG._NS)) else text


def check_quotes(data: Graph, sources_dir: Path) -> tuple[list[Problem], int]:
    """Every reference's quote must occur verbatim in its document's text, and texts must match their hashes."""
    problems: list[Problem] = []
    texts: dict[URIRef, str] = {}
    for doc in data.subjects(RDF.type, SKG.Document):
        name = data.value(doc, SKG.fileName)
        if name is None:
            continue
        path = sources_dir / str(name)
        if not path.is_file():
            problems.append(Problem("sources", str(doc), f"text file {path} is missing"))
            continue
        raw = path.read_bytes()
        expected = data.value(doc, SKG.sha256)
        if expected is not None and hashlib.sha256(raw).hexdigest() != str(expected):
            problems.append(Problem("sources", str(doc), f"{path} does not match its recorded SHA-256"))
        texts[doc] = raw.decode("utf-8")
    checked = 0
    for ref in data.subjects(RDF.type, SKG.Reference):
        doc, quote = data.value(ref, SKG.source), data.value(ref, SKG.quote)
        if doc not in texts or quote is None:
            continue  # missing parts are SHACL's to report
        checked += 1
        if str(quote) not in texts[doc]:
            claims = sorted(str(c) for c in data.subjects(SKG.reference, ref)) or [str(ref)]
            for claim in claims:
                problems.append(Problem("quote", claim, f"quote not found verbatim in {data.value(doc, SKG.docKey) or doc}: "
                                                        f"{str(quote)!r}", path="skg:reference/skg:quote"))
    return problems, checked


def check_declared_terms(data: Graph) -> list[Problem]:
    """Every skg: class and property the data uses is declared with a label and a comment."""
    namespace = str(SKG._NS)
    used = {p for p in data.predicates() if str(p).startswith(namespace)}
    used |= {c for c in data.objects(None, RDF.type) if str(c).startswith(namespace)}
    problems = []
    for term in sorted(used):
        declared = any((term, RDF.type, kind) in data for kind in
                       (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property, OWL.AnnotationProperty))
        if not declared:
            problems.append(Problem("ontology", str(term), "used in the data but not declared in the ontology"))
        elif not isinstance(data.value(term, RDFS.label), Literal) or data.value(term, RDFS.comment) is None:
            problems.append(Problem("ontology", str(term), "declared without an rdfs:label and rdfs:comment"))
    return problems


def check_typed(data: Graph) -> list[Problem]:
    """Every subject states an rdf:type: an untyped node would meet no shape at all.

    The cells of RDF lists (``owl:unionOf ( … )`` in an ontology) are structure, not nodes to type.
    """
    untyped = set(data.subjects()) - set(data.subjects(RDF.type)) - set(data.subjects(RDF.first))
    return [Problem("typed", str(node), "has no rdf:type, so no shape checks it") for node in sorted(untyped, key=str)]

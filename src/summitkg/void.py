"""A VoID and DCAT description of the dataset, counted from the data itself.

It says how many triples the dataset and each named graph hold, how many entities each class
has, how often each property is used, under which licence the data is published, where its
SPARQL endpoint is and where each dump can be downloaded. Catalogues (and people) read it to
decide whether and how to load the data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import RDF, XSD, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, VOID

from .export import named_graphs
from .namespaces import BASE, ONTOLOGY_IRI, PREFIXES, RES, SKG

__all__ = ["DATASET_IRI", "Dump", "describe"]

#: The dataset the description is about.
DATASET_IRI = URIRef(BASE + "dataset")
_IANA = Namespace("https://www.iana.org/assignments/media-types/")
_DESCRIPTION = ("A knowledge graph of Russian President Vladimir Putin's two-day state visit to India for the "
                "23rd India–Russia Annual Summit, built from two news articles; every fact is sourced to a "
                "verbatim quote, and expected deals are never recorded as signed.")


@dataclass(frozen=True)
class Dump:
    """One downloadable file of the dataset. ``url`` may be relative to the description's own location."""

    url: str
    media_type: str
    byte_size: int | None = None


def describe(dataset: Dataset, *, dumps: Sequence[Dump] = (), sparql_endpoint: str | None = None) -> Graph:
    """The VoID + DCAT description of ``dataset``'s named graphs."""
    graphs = named_graphs(dataset)
    union = Graph()
    for graph in graphs:
        union += graph
    out = Graph()
    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri, override=True, replace=True)
    out.bind("void", VOID)
    out.bind("dcat", DCAT)

    ds = DATASET_IRI
    out.add((ds, RDF.type, VOID.Dataset))
    out.add((ds, RDF.type, DCAT.Dataset))
    out.add((ds, DCTERMS.title, Literal("summitkg", lang="en")))
    out.add((ds, DCTERMS.description, Literal(_DESCRIPTION, lang="en")))
    for licence in union.objects(ONTOLOGY_IRI, DCTERMS.license):
        out.add((ds, DCTERMS.license, licence))
    for version in union.objects(ONTOLOGY_IRI, OWL.versionIRI):
        out.add((ds, DCTERMS.conformsTo, version))
    for document in sorted(union.subjects(RDF.type, SKG.Document)):
        out.add((ds, DCTERMS.source, document))
    out.add((ds, VOID.vocabulary, URIRef(PREFIXES["skg"])))
    out.add((ds, VOID.uriSpace, Literal(str(RES))))

    out.add((ds, VOID.triples, _count(len(union))))
    out.add((ds, VOID.distinctSubjects, _count(len(set(union.subjects(unique=True))))))
    out.add((ds, VOID.distinctObjects, _count(len(set(union.objects(unique=True))))))
    # VoID's entities: the resources in the dataset's URI space (res:…, st:…, ref:…).
    entities = {s for s in union.subjects(unique=True) if str(s).startswith(str(RES))}
    out.add((ds, VOID.entities, _count(len(entities))))

    members: dict[URIRef, set] = {}
    for entity, cls in union.subject_objects(RDF.type):
        members.setdefault(cls, set()).add(entity)
    out.add((ds, VOID.classes, _count(len(members))))
    for cls in sorted(members):
        partition = BNode()
        out.add((ds, VOID.classPartition, partition))
        out.add((partition, VOID["class"], cls))
        out.add((partition, VOID.entities, _count(len(members[cls]))))

    uses = Counter(union.predicates())
    out.add((ds, VOID.properties, _count(len(uses))))
    for prop in sorted(uses):
        partition = BNode()
        out.add((ds, VOID.propertyPartition, partition))
        out.add((partition, VOID.property, prop))
        out.add((partition, VOID.triples, _count(uses[prop])))

    for graph in graphs:
        out.add((ds, VOID.subset, graph.identifier))
        out.add((graph.identifier, RDF.type, VOID.Dataset))
        out.add((graph.identifier, VOID.triples, _count(len(graph))))

    if sparql_endpoint:
        endpoint = URIRef(sparql_endpoint)
        out.add((ds, VOID.sparqlEndpoint, endpoint))
        service, access = BNode(), BNode()
        out.add((ds, DCAT.distribution, access))
        out.add((access, RDF.type, DCAT.Distribution))
        out.add((access, DCAT.accessURL, endpoint))
        out.add((access, DCAT.accessService, service))
        out.add((service, RDF.type, DCAT.DataService))
        out.add((service, DCAT.endpointURL, endpoint))
        out.add((service, DCAT.servesDataset, ds))
        out.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    for dump in dumps:
        url = URIRef(dump.url)
        out.add((ds, VOID.dataDump, url))
        distribution = BNode()
        out.add((ds, DCAT.distribution, distribution))
        out.add((distribution, RDF.type, DCAT.Distribution))
        out.add((distribution, DCAT.downloadURL, url))
        out.add((distribution, DCAT.mediaType, _IANA[dump.media_type]))
        if dump.byte_size is not None:
            out.add((distribution, DCAT.byteSize, Literal(dump.byte_size, datatype=XSD.nonNegativeInteger)))
    return out


def _count(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)

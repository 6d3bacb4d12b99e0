"""IRIs of summitkg's vocabulary and resources, and the prefixes queries use.

``SKG`` is closed: a misspelt term raises instead of quietly minting a new IRI.
It lists the terms the package's code refers to; the ontology has more.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/summitkg/"


class SKG(DefinedNamespace):
    """The summitkg ontology terms used by the package's code."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Agent: URIRef
    Arrangement: URIRef
    Claim: URIRef
    Document: URIRef
    Observation: URIRef
    Period: URIRef
    Reference: URIRef
    Statement: URIRef
    # claim and provenance properties
    claimId: URIRef
    observationId: URIRef
    alsoSubject: URIRef
    modality: URIRef
    alsoModality: URIRef
    period: URIRef
    timeNote: URIRef
    attributedTo: URIRef
    reference: URIRef
    source: URIRef
    quote: URIRef
    editorialNote: URIRef
    # observation properties
    hasObservation: URIRef
    observedEntity: URIRef
    measure: URIRef
    value: URIRef
    minValue: URIRef
    maxValue: URIRef
    comparator: URIRef
    unit: URIRef
    party: URIRef
    # entity and document properties
    mentionedIn: URIRef
    agreementStatus: URIRef
    docKey: URIRef
    fileName: URIRef
    sha256: URIRef
    sector: URIRef
    partOf: URIRef


ONTOLOGY_IRI = URIRef(BASE + "ontology")
RES = Namespace(BASE + "resource/")
ST = Namespace(BASE + "resource/statement/")
REF = Namespace(BASE + "resource/reference/")
PERIOD = Namespace(BASE + "resource/period/")
GRAPH = Namespace(BASE + "graph/")
MOD = Namespace(BASE + "vocab/modality/")
STATUS = Namespace(BASE + "vocab/agreement-status/")
MEASURE = Namespace(BASE + "vocab/measure/")
UNIT = Namespace(BASE + "vocab/unit/")
CMP = Namespace(BASE + "vocab/comparator/")
WD = Namespace("http://www.wikidata.org/entity/")

#: Prefixes known to every query, serializer and page.
PREFIXES: dict[str, str] = {
    "skg": str(SKG._NS),
    "res": str(RES),
    "st": str(ST),
    "ref": str(REF),
    "period": str(PERIOD),
    "graph": str(GRAPH),
    "mod": str(MOD),
    "status": str(STATUS),
    "measure": str(MEASURE),
    "unit": str(UNIT),
    "cmp": str(CMP),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "time": "http://www.w3.org/2006/time#",
    "wd": str(WD),
}


def sparql_prologue() -> str:
    """PREFIX lines for every known prefix, for engines that take no prefix map."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

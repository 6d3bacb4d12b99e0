"""Inside a worker: the data behind each explorer page, as plain dicts and lists the templates render.

Every value crosses back to the server pickled, so terms become small dicts (``term()``).
Labels, descriptions, types and searchable names are read once per store generation (in the zygote,
before workers fork) and shared by every page.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Any

from rdflib import RDF, Literal, URIRef

from ..formats import Format, serialize
from ..namespaces import SKG
from .engine import State, graph_counts
from .errors import NotFound, NotReady
from .guard import Plan

__all__ = ["OPERATIONS", "warm", "term", "entity_graph", "build_network"]

_PROLOGUE = """PREFIX skg: <https://w3id.org/summitkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

_NAMES = _PROLOGUE + """SELECT ?x ?p ?text WHERE {
  VALUES ?p { rdfs:label skos:prefLabel skos:altLabel skos:hiddenLabel rdfs:comment skos:definition
              dcterms:description skos:notation dcterms:title }
  ?x ?p ?text }"""
_TYPES = _PROLOGUE + "SELECT ?x ?type WHERE { ?x a ?type }"
_OUTGOING = _PROLOGUE + "SELECT ?p ?o WHERE { ?entity ?p ?o }"
_INCOMING = _PROLOGUE + "SELECT ?s ?p WHERE { ?s ?p ?entity }"
#: How a page picks its claims; ``?entity`` is bound, the text is ours (never a request's).
_CLAIMS_OF = {
    "about": "{ ?claim rdf:subject ?entity } UNION { ?claim skg:alsoSubject ?entity } UNION "
             "{ ?claim rdf:object ?entity } UNION { ?claim skg:observedEntity ?entity }",
    "self": "BIND(?entity AS ?claim)",
    "cites": "?claim skg:reference ?cited . ?cited skg:source ?entity .",
}
_CLAIM_PROPERTIES = _PROLOGUE + """SELECT ?claim ?p ?o WHERE {
  %s
  ?claim a ?kind ; ?p ?o . FILTER(?kind IN (skg:Statement, skg:Observation)) }"""
_CLAIM_REFERENCES = _PROLOGUE + """SELECT ?claim ?ref ?doc ?quote WHERE {
  %s
  ?claim skg:reference ?ref . ?ref skg:source ?doc ; skg:quote ?quote }"""
_CLASS_COUNTS = _PROLOGUE + """SELECT ?class (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?e a ?class FILTER(STRSTARTS(STR(?class), STR(skg:))) } GROUP BY ?class"""
_INSTANCES = _PROLOGUE + "SELECT DISTINCT ?e WHERE { ?e a ?class }"
_ONTOLOGY_TERMS = _PROLOGUE + """SELECT ?term ?kind ?super ?domain ?range WHERE {
  VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
  ?term a ?kind FILTER(STRSTARTS(STR(?term), STR(skg:)))
  OPTIONAL { ?term rdfs:subClassOf|rdfs:subPropertyOf ?super }
  OPTIONAL { ?term rdfs:domain ?domain }
  OPTIONAL { ?term rdfs:range ?range } }"""
_SCHEMES = _PROLOGUE + "SELECT ?scheme ?concept WHERE { ?concept skos:inScheme ?scheme }"
_ONTOLOGY = _PROLOGUE + "SELECT ?p ?o WHERE { ?o0 a owl:Ontology ; ?p ?o }"
_DOCUMENTS = _PROLOGUE + "SELECT ?doc ?key ?file WHERE { ?doc a skg:Document ; skg:docKey ?key ; skg:fileName ?file }"

_CLAIM_TYPES = {str(SKG.Statement), str(SKG.Observation)}


def warm(state: State) -> None:
    """Read the label, description, type and name tables; runs once per store generation."""
    labels: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    notations: dict[str, str] = {}
    names: list[tuple[str, str, int]] = []
    rank = {"label": 0, "prefLabel": 0, "title": 1, "altLabel": 2, "hiddenLabel": 3}
    for row in state.select(_NAMES):
        iri, prop, text = str(row["x"]), str(row["p"]), str(row["text"])
        local = prop.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if local in ("label", "prefLabel", "title") and (iri not in labels or local == "label"):
            labels[iri] = text
        elif local in ("comment", "definition", "description"):
            descriptions.setdefault(iri, text)
        elif local == "notation":
            notations[iri] = text
        if local in rank:
            names.append((iri, text, rank[local]))
    types: dict[str, list[str]] = defaultdict(list)
    for row in state.select(_TYPES):
        types[str(row["x"])].append(str(row["type"]))
    doc_keys = {str(row["doc"]): str(row["key"]) for row in state.select(_DOCUMENTS)}
    state.cache.update(labels=labels, descriptions=descriptions, notations=notations, names=names, types=dict(types),
                       doc_keys=doc_keys)
    if state.network_in_zygote:
        build_network(state)


def _tables(state: State) -> dict[str, Any]:
    if "labels" not in state.cache:
        warm(state)
    return state.cache


def term(state: State, value: Any) -> dict[str, Any]:
    """A term for a template: its kind, value, label and, for literals, language and datatype."""
    tables = _tables(state)
    if isinstance(value, Literal):
        return {"kind": "literal", "value": str(value), "lang": value.language or "",
                "datatype": str(value.datatype or "")}
    if isinstance(value, URIRef):
        iri = str(value)
        return {"kind": "iri", "value": iri, "label": tables["labels"].get(iri, ""),
                "notation": tables["notations"].get(iri, "")}
    return {"kind": "bnode", "value": str(value)}


def resource(state: State, iri: str) -> dict[str, Any]:
    """Everything the entity page shows: what it is, what is said about it and by which quote."""
    tables = _tables(state)
    node = URIRef(iri)
    outgoing = state.select(_OUTGOING, entity=node)
    incoming = state.select(_INCOMING, entity=node)
    if not outgoing and not incoming:
        raise NotFound(f"nothing is known about <{iri}>")
    types = tables["types"].get(iri, [])
    claim_types = [t for t in types if t in _CLAIM_TYPES]
    properties = [{"predicate": term(state, r["p"]), "object": term(state, r["o"])} for r in outgoing]
    hidden = _CLAIM_TYPES | {str(SKG.Reference)}  # claims and references are listed with their quotes
    relations_in = [{"subject": term(state, r["s"]), "predicate": term(state, r["p"])} for r in incoming
                    if not set(tables["types"].get(str(r["s"]), [])) & hidden]
    return {
        "iri": iri,
        "label": tables["labels"].get(iri, ""),
        "description": tables["descriptions"].get(iri, ""),
        "types": [term(state, URIRef(t)) for t in types],
        "properties": sorted(properties, key=lambda p: (p["predicate"]["value"] != str(RDF.type),
                                                         p["predicate"]["label"] or p["predicate"]["value"])),
        "incoming": sorted(relations_in, key=lambda r: (r["predicate"]["label"], r["subject"]["label"])),
        "claims": claims(state, iri, "self" if claim_types else "about"),
        "cited_by": claims(state, iri, "cites") if str(SKG.Document) in types else [],
        "is_claim": bool(claim_types),
        "doc_key": tables["doc_keys"].get(iri, ""),
        # None while a large graph's network is built in the background: the page says so.
        "in_network": iri in state.cache["network"] if "network" in state.cache else None,
    }


def claims(state: State, iri: str, selection: str) -> list[dict[str, Any]]:
    """The claims (statements and observations) a page lists, each with its references and quotes."""
    node = URIRef(iri)
    pattern = _CLAIMS_OF[selection]
    found: dict[str, dict[str, Any]] = {}
    for row in state.select(_CLAIM_PROPERTIES % pattern, entity=node):
        claim = found.setdefault(str(row["claim"]), {"iri": str(row["claim"]), "references": [], "values": defaultdict(list)})
        local = str(row["p"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        value = term(state, row["o"])
        if value not in claim["values"][local]:
            claim["values"][local].append(value)
    for row in state.select(_CLAIM_REFERENCES % pattern, entity=node):
        claim = found.get(str(row["claim"]))
        if claim is None:
            continue
        reference = {"iri": str(row["ref"]), "doc": term(state, row["doc"]), "quote": str(row["quote"]),
                     "doc_key": _tables(state)["doc_keys"].get(str(row["doc"]), "")}
        if reference not in claim["references"]:
            claim["references"].append(reference)
    result = []
    for claim in found.values():
        values = dict(claim.pop("values"))
        first = {k: v[0] for k, v in values.items()}
        claim.update(
            id=first.get("claimId", {}).get("value", ""),
            kind="Observation" if any(v["value"] == str(SKG.Observation) for v in values.get("type", [])) else "Statement",
            subject=first.get("subject") or first.get("observedEntity"),
            also_subjects=values.get("alsoSubject", []),
            predicate=first.get("predicate"),
            object=first.get("object"),
            modality=values.get("modality", []) + values.get("alsoModality", []),
            period=first.get("period"),
            time_note=first.get("timeNote", {}).get("value", ""),
            attributed_to=values.get("attributedTo", []),
            note=first.get("editorialNote", {}).get("value", ""),
            measure=first.get("measure"),
            value=_number(first.get("value")),
            min_value=_number(first.get("minValue")),
            max_value=_number(first.get("maxValue")),
            unit=first.get("unit"),
            comparator=first.get("comparator"),
        )
        claim["references"].sort(key=lambda r: r["iri"])
        result.append(claim)
    return sorted(result, key=lambda c: (c["id"] or c["iri"]))


def _number(value: dict[str, Any] | None) -> str:
    return value["value"] if value else ""


def classes(state: State) -> list[dict[str, Any]]:
    """Every class of the ontology that has instances, with its count, most populous first."""
    tables = _tables(state)
    rows = [{"iri": str(r["class"]), "count": int(r["n"]), "label": tables["labels"].get(str(r["class"]), ""),
             "description": tables["descriptions"].get(str(r["class"]), "")} for r in state.select(_CLASS_COUNTS)]
    return sorted(rows, key=lambda r: (-r["count"], r["label"]))


def instances(state: State, class_iri: str) -> dict[str, Any]:
    tables = _tables(state)
    if class_iri not in tables["labels"]:
        raise NotFound(f"no class <{class_iri}> in the ontology")
    members = [term(state, r["e"]) for r in state.select(_INSTANCES, **{"class": URIRef(class_iri)})]
    for member in members:
        member["description"] = tables["descriptions"].get(member["value"], "")
    return {"class": term(state, URIRef(class_iri)), "description": tables["descriptions"].get(class_iri, ""),
            "members": sorted(members, key=lambda m: (m["label"] or m["value"]).lower())}


def search(state: State, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Resources whose label or alias contains ``text`` (case-insensitive), best matches first."""
    tables = _tables(state)
    needle = text.casefold().strip()
    if not needle:
        return []
    best: dict[str, tuple[tuple[int, int, int], str]] = {}
    for iri, name, rank in tables["names"]:
        folded = name.casefold()
        position = folded.find(needle)
        if position < 0:
            continue
        score = (0 if folded == needle else 1 if position == 0 else 2, rank, len(name))
        if iri not in best or score < best[iri][0]:
            best[iri] = (score, name)
    ordered = sorted(best.items(), key=lambda item: (item[1][0], tables["labels"].get(item[0], item[0])))
    hits = []
    for iri, (_, matched) in itertools.islice(ordered, limit):
        hit = term(state, URIRef(iri))
        hit.update(matched=matched, description=tables["descriptions"].get(iri, ""),
                   types=[term(state, URIRef(t)) for t in tables["types"].get(iri, [])])
        hits.append(hit)
    return hits


def ontology(state: State) -> dict[str, Any]:
    """Classes, properties and concept schemes, for the documentation page."""
    tables = _tables(state)
    entries: dict[str, dict[str, Any]] = {}
    for row in state.select(_ONTOLOGY_TERMS):
        iri = str(row["term"])
        entry = entries.setdefault(iri, {"term": term(state, row["term"]), "kind": str(row["kind"]).rsplit("#", 1)[-1],
                                         "description": tables["descriptions"].get(iri, ""),
                                         "super": [], "domain": [], "range": []})
        for key in ("super", "domain", "range"):
            if row.get(key) is not None and isinstance(row[key], URIRef):
                value = term(state, row[key])
                if value not in entry[key]:
                    entry[key].append(value)
    schemes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in state.select(_SCHEMES):
        concept = term(state, row["concept"])
        concept["description"] = tables["descriptions"].get(concept["value"], "")
        schemes[str(row["scheme"])].append(concept)
    about = {str(r["p"]).rsplit("/", 1)[-1].rsplit("#", 1)[-1]: str(r["o"]) for r in state.select(_ONTOLOGY)}
    order = sorted(entries.values(), key=lambda e: (e["term"]["label"] or e["term"]["value"]).lower())
    return {
        "about": about,
        "classes": [e for e in order if e["kind"] == "Class"],
        "properties": [e for e in order if e["kind"] != "Class"],
        "schemes": [{"scheme": term(state, URIRef(s)), "description": tables["descriptions"].get(s, ""),
                     "concepts": sorted(c, key=lambda c: c["label"])} for s, c in sorted(schemes.items())],
    }


def documents(state: State) -> list[dict[str, Any]]:
    tables = _tables(state)
    return [{"iri": str(r["doc"]), "key": str(r["key"]), "file": str(r["file"]),
             "label": tables["labels"].get(str(r["doc"]), ""), "description": tables["descriptions"].get(str(r["doc"]), "")}
            for r in state.select(_DOCUMENTS)]


def summary(state: State) -> dict[str, Any]:
    tables = _tables(state)
    kinds = defaultdict(int)
    for types in tables["types"].values():
        for t in types:
            kinds[t] += 1
    return {"graphs": graph_counts(state), "statements": kinds[str(SKG.Statement)],
            "observations": kinds[str(SKG.Observation)], "references": kinds[str(SKG.Reference)],
            "documents": kinds[str(SKG.Document)]}


_DESCRIBE = _PROLOGUE + """CONSTRUCT { ?entity ?p ?o . ?s ?ip ?entity . ?claim ?cp ?co . ?ref ?rp ?ro . }
WHERE {
  { ?entity ?p ?o }
  UNION { ?s ?ip ?entity }
  UNION {
    { ?claim rdf:subject ?entity } UNION { ?claim skg:alsoSubject ?entity } UNION { ?claim rdf:object ?entity }
    UNION { ?claim skg:observedEntity ?entity } UNION { BIND(?entity AS ?claim) }
    ?claim a ?kind ; ?cp ?co . FILTER(?kind IN (skg:Statement, skg:Observation))
    OPTIONAL { ?claim skg:reference ?ref . ?ref ?rp ?ro }
  }
}"""


def describe(state: State, iri: str, fmt: Format) -> bytes:
    """The resource as linked data: its triples, the triples pointing at it, and the claims about
    it with their references (so every quote travels with the fact)."""
    result = state.kg.query(_DESCRIBE, entity=URIRef(iri))
    if len(result.graph) == 0:
        raise NotFound(f"nothing is known about <{iri}>")
    return serialize(result, fmt.name)


def build_network(state: State) -> int:
    """Build the entity network (``summitkg.network``) once per store generation; its number of entities.

    For a large graph this runs in the background, in a worker that then becomes the zygote
    (``WorkerPool.update(..., refresh=False)``): building it takes ~45 s at 1M triples, far past
    a request's time limit, and every worker forked afterwards inherits it.
    """
    from ..network import entity_network

    if "network" not in state.cache:
        state.cache["network"] = entity_network(state.kg)
    return state.cache["network"].number_of_nodes()


def entity_graph(state: State) -> Any:
    """The entity network, or ``NotReady`` while the background build of a large graph's runs."""
    if "network" not in state.cache:
        if not state.network_in_zygote:
            raise NotReady(f"the network views of this graph ({state.quads:,} quads) are still being built; "
                           "try again in a minute (GET /status tells when they are ready)")
        build_network(state)
    return state.cache["network"]


def ego_page(state: State, iri: str, depth: int) -> str:
    """The ego network of one entity as a self-contained page, drawn like ``summitkg viz --focus``."""
    from ..network import ego_network
    from ..visualize import NetworkView

    graph = entity_graph(state)
    if iri not in graph:
        raise NotFound(f"<{iri}> is not an entity of the network (only entities named in the sources are drawn)")
    ego = ego_network(graph, iri, depth)
    label = graph.nodes[iri].get("label") or iri
    return NetworkView(ego, title=f"{label}: ego network, depth {depth}", focus=iri).html()


def query_network_page(state: State, text: str, plan: Plan) -> str:
    """A CONSTRUCT/DESCRIBE query's graph as a network page, drawn like ``summitkg viz --query``."""
    from ..network import construct_network
    from ..visualize import NetworkView

    state.engine.verify(text, plan, state.policy)
    graph = construct_network(state.kg, text)
    if graph.number_of_nodes() == 0:
        raise NotFound("the query returned no relations between resources, so there is no network to draw")
    return NetworkView(graph, title="Query result as a network").html()


OPERATIONS = {
    "build_network": build_network,
    "describe": describe,
    "ego_page": ego_page,
    "query_network_page": query_network_page,
    "resource": resource,
    "classes": classes,
    "instances": instances,
    "search": search,
    "ontology": ontology,
    "documents": documents,
    "document_claims": lambda state, iri: claims(state, iri, "cites"),
    "summary": summary,
}

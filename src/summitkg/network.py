"""The summit as a network of entities: a networkx ``MultiDiGraph`` read from any store by SPARQL.

Nodes are the entities (everything with ``skg:mentionedIn``), edges the direct triples
between them; the claim nodes, references and observations behind them are folded into
attributes, so views show who is tied to whom, through which deal, on whose word.

Every id and attribute is a plain ``str`` (GraphML and GEXF reject ``URIRef``), and
many-valued attributes are joined: ``documents``, ``claims``, ``classes``, ``modality`` and
``sources`` by spaces; ``attributed_to`` (labels of whoever a claim relays) by "; ";
``alt_labels``, ``quotes``, ``observations`` and ``facts`` by newlines.
A quote line reads ``"<doc key> <claim id>: <verbatim quote>"`` (see ``quote_lines``).

>>> graph = entity_network(kg)                                  # doctest: +SKIP
>>> s400 = resolve_entity(graph, "S-400")                       # doctest: +SKIP
>>> ego = ego_network(graph, s400, 1)                           # doctest: +SKIP
>>> shortest_paths(graph, resolve_entity(graph, "Putin"), s400)  # doctest: +SKIP
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from .errors import ConfigError, QueryError, SummitError
from .namespaces import PREFIXES, RES

if TYPE_CHECKING:
    import networkx as nx

    from .kg import KnowledgeGraph

__all__ = [
    "entity_network",
    "construct_network",
    "ego_network",
    "resolve_entity",
    "shortest_paths",
    "path_network",
    "quote_lines",
    "lines",
    "curie",
    "Quote",
    "Relation",
    "Step",
    "Path",
    "UnknownEntityError",
    "EmptyNetworkError",
]

_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_SKOS = PREFIXES["skos"]
_SKG = PREFIXES["skg"]
_TYPE = _RDF + "type"
_LABEL = _RDFS + "label"
_COMMENT = _RDFS + "comment"
_ALT_LABEL = _SKOS + "altLabel"
_MENTIONED_IN = _SKG + "mentionedIn"
_STATUS = _SKG + "agreementStatus"
#: Properties that describe an entity rather than relate it; never drawn as edges or facts.
_NOT_RELATIONS = {_TYPE, _LABEL, _COMMENT, _ALT_LABEL, _SKOS + "hiddenLabel", _SKOS + "prefLabel", _MENTIONED_IN,
                  _STATUS, _SKG + "hasObservation", PREFIXES["owl"] + "sameAs"}
#: How much a modality commits to its claim, firmest first (the edge shows its firmest claim).
MODALITY_ORDER = ("stated", "scheduled", "expected", "offered", "reported", "sought", "hoped", "possible",
                  "interpretation", "attributed-opinion")

_ENTITY_TRIPLES = """
SELECT DISTINCT ?e ?p ?v WHERE { ?e skg:mentionedIn ?doc . ?e ?p ?v . }
"""
_LABELS = """
SELECT ?x ?p ?v WHERE { VALUES ?p { rdfs:label skos:notation } ?x ?p ?v . }
"""
_CLASSES = """
SELECT ?class ?super WHERE { ?class a owl:Class . OPTIONAL { ?class rdfs:subClassOf ?super } }
"""
_DOCUMENTS = """
SELECT ?doc ?key WHERE { ?doc a skg:Document . OPTIONAL { ?doc skg:docKey ?key } }
"""
_STATEMENTS = """
SELECT ?claim ?id ?s ?p ?o WHERE { ?claim rdf:predicate ?p ; rdf:subject ?s ; rdf:object ?o ; skg:claimId ?id . }
"""
_ALSO_SUBJECTS = """
SELECT ?claim ?s WHERE { ?claim skg:alsoSubject ?s }
"""
_MODALITIES = """
SELECT ?claim ?modality WHERE { ?claim skg:modality ?modality }
"""
_ATTRIBUTIONS = """
SELECT ?claim ?who WHERE { ?claim skg:attributedTo ?who }
"""
# One row per property of each observation (OPTIONAL per qualifier is slow on rdflib).
_OBSERVATIONS = """
SELECT ?claim ?p ?v WHERE { ?claim skg:observedEntity ?e . ?claim ?p ?v }
"""
_REFERENCES = """
SELECT ?id ?doc ?quote WHERE {
  ?claim skg:claimId ?id ; skg:reference ?ref . ?ref skg:source ?doc ; skg:quote ?quote .
}
"""


class UnknownEntityError(SummitError):
    """No entity in the network matches the text; ``suggestions`` holds the closest labels."""

    def __init__(self, text: str, *, suggestions: Sequence[str] = (), where: str = "the graph") -> None:
        self.text = text
        self.suggestions = list(suggestions)
        hint = f" Did you mean: {'; '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"no entity {text!r} in {where}.{hint}")


class EmptyNetworkError(SummitError):
    """The view asked for has no entities or no path, so there is nothing to draw."""


class Quote(NamedTuple):
    """One verbatim quote behind a claim: ``doc`` is the document key (000, 004)."""

    doc: str
    claim: str
    text: str


@dataclass(frozen=True)
class Relation:
    """One edge of the network, as a path step crosses it."""

    subject: str
    object: str
    property: str
    label: str
    claims: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """From one entity to the next on a path; ``relations`` are every edge between the two."""

    source: str
    target: str
    relations: tuple[Relation, ...]


@dataclass(frozen=True)
class Path:
    """A shortest chain of relations, ``nodes[0]`` to ``nodes[-1]``."""

    nodes: tuple[str, ...]
    steps: tuple[Step, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.steps)


def curie(iri: str) -> str:
    """``https://w3id.org/summitkg/resource/S-400`` → ``res:S-400`` (the IRI itself if no prefix fits)."""
    best = ""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and len(base) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def lines(value: str | None) -> list[str]:
    """The items of a newline-joined attribute."""
    return [line for line in (value or "").split("\n") if line]


def quote_lines(value: str | None) -> list[Quote]:
    """Parse a ``quotes`` attribute back into ``Quote`` tuples."""
    out = []
    for line in lines(value):
        head, _, text = line.partition(": ")
        doc, _, claim = head.partition(" ")
        out.append(Quote(doc, claim, text))
    return out


def _join_quotes(quotes: Iterable[Quote]) -> str:
    ordered = sorted(set(quotes), key=lambda q: (q.claim, q.doc, q.text))
    return "\n".join(f"{q.doc} {q.claim}: {q.text}" for q in ordered)


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


class _Snapshot:
    """Everything the network needs, read from the store with a handful of SPARQL queries."""

    def __init__(self, kg: KnowledgeGraph) -> None:
        rows = kg.query(_LABELS).bindings
        self.labels = _by_language((str(r["x"]), r["v"]) for r in rows if str(r["p"]) == _LABEL)
        self.notations = _by_language((str(r["x"]), r["v"]) for r in rows if str(r["p"]) != _LABEL)
        self.superclasses: dict[str, set[str]] = defaultdict(set)
        for row in kg.query(_CLASSES).bindings:
            self.superclasses[str(row["class"])]
            if row.get("super") is not None and str(row["super"]).startswith(_SKG):
                self.superclasses[str(row["class"])].add(str(row["super"]))
        self.doc_keys = {str(r["doc"]): str(r.get("key") or _local(str(r["doc"])))
                         for r in kg.query(_DOCUMENTS).bindings}
        self.entity_triples: dict[str, list[tuple[str, object]]] = defaultdict(list)
        for row in kg.query(_ENTITY_TRIPLES).bindings:
            self.entity_triples[str(row["e"])].append((str(row["p"]), row["v"]))
        modality = {str(r["claim"]): str(r["modality"]) for r in kg.query(_MODALITIES).bindings}
        attributed: dict[str, list[str]] = defaultdict(list)
        for row in kg.query(_ATTRIBUTIONS).bindings:
            attributed[str(row["claim"])].append(str(row["who"]))
        subjects: dict[str, list[str]] = defaultdict(list)
        for row in kg.query(_ALSO_SUBJECTS).bindings:
            subjects[str(row["claim"])].append(str(row["s"]))
        self.statements = []
        for row in kg.query(_STATEMENTS).bindings:
            claim = str(row["claim"])
            for subject in [str(row["s"]), *subjects.get(claim, ())]:
                self.statements.append({"id": str(row["id"]), "s": subject, "p": str(row["p"]), "o": str(row["o"]),
                                        "modality": modality.get(claim),
                                        "attributed": sorted(self.label(w) for w in attributed.get(claim, ()))})
        self.observations: dict[str, dict[str, object]] = defaultdict(dict)
        for row in kg.query(_OBSERVATIONS).bindings:
            self.observations[str(row["claim"])].setdefault(_local(str(row["p"])), row["v"])
        self.references: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in kg.query(_REFERENCES).bindings:
            doc = self.doc_keys.get(str(row["doc"]), _local(str(row["doc"])))
            self.references[str(row["id"])].append((doc, str(row["quote"])))

    def label(self, iri: str) -> str:
        """The ``rdfs:label``; for an unlabelled term of our ontology, its name in words."""
        if iri in self.labels:
            return self.labels[iri]
        if iri.startswith(_SKG):
            return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", iri[len(_SKG):]).lower()
        return curie(iri)

    def ancestors(self, cls: str) -> set[str]:
        seen: set[str] = set()
        todo = [cls]
        while todo:
            for parent in self.superclasses.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def most_specific(self, types: set[str]) -> str:
        """The asserted class no other asserted class specialises (deepest first, then by IRI)."""
        inherited = set().union(*(self.ancestors(t) for t in types)) if types else set()
        candidates = (types - inherited) or types
        return min(candidates, key=lambda t: (-len(self.ancestors(t)), t)) if candidates else ""

    def resolve_class(self, text: str) -> str:
        """A class given as local name, CURIE, IRI or label (any case)."""
        wanted = text.strip()
        if wanted.startswith("skg:"):
            wanted = _SKG + wanted[4:]
        folded = wanted.casefold()
        for cls in self.superclasses:
            if folded in (cls.casefold(), _local(cls).casefold(), self.labels.get(cls, "").casefold()):
                return cls
        names = sorted(_local(c) for c in self.superclasses if c.startswith(_SKG))
        close = difflib.get_close_matches(text, names, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known classes: {', '.join(names)}"
        raise ConfigError(f"unknown class {text!r}{hint}", name="classes")

    def resolve_document(self, text: str) -> str:
        """A document key, name, CURIE or IRI → its key (000, 004)."""
        wanted = text.strip()
        for iri, key in self.doc_keys.items():
            if wanted in (key, iri, curie(iri), _local(iri)) or (wanted.isdigit() and wanted.zfill(3) == key):
                return key
        known = ", ".join(sorted(self.doc_keys.values()))
        raise ConfigError(f"unknown source document {text!r}; the documents are: {known}", name="source")


def _by_language(rows: Iterable[tuple[str, object]]) -> dict[str, str]:
    """One value per key: English first, then untagged, then any other language."""
    best: dict[str, tuple[int, str]] = {}
    for key, value in rows:
        language = getattr(value, "language", None)
        rank = 0 if language == "en" else 1 if language is None else 2
        if key not in best or rank < best[key][0]:
            best[key] = (rank, str(value))
    return {key: value for key, (_, value) in best.items()}


def _is_iri(term: object) -> bool:
    return type(term).__name__ == "URIRef"


def _number(term: object) -> str:
    text = str(term)
    return text[:-2] if text.endswith(".0") else text


def _observation_text(snapshot: _Snapshot, values: dict[str, object]) -> str:
    """``bilateral trade volume: ≈ 63.6 billion US dollars — 2024``."""
    def label(name: str) -> str:
        return snapshot.label(str(values[name])) if name in values else ""

    if "value" in values:
        amount = _number(values["value"])
    else:
        amount = "–".join(_number(values[k]) for k in ("minValue", "maxValue") if k in values)
    sign = snapshot.notations.get(str(values.get("comparator", "")), "")
    prefix = f"{sign} " if sign and sign not in ("=", "–") else ""
    period = f" — {label('period')}" if "period" in values else ""
    return f"{label('measure') or 'value'}: {prefix}{amount} {label('unit')}".rstrip() + period


def entity_network(kg: KnowledgeGraph, *, classes: Sequence[str] | None = None,
                   source: str | None = None) -> nx.MultiDiGraph:
    """The entities and their direct relations, with claims, quotes and observations folded in.

    ``classes`` keeps entities of those classes (or their subclasses), given by local name,
    CURIE, IRI or label; ``source`` keeps what one document (key, name or IRI) says: its
    entities, and relations it states. Works on every store: it only runs SPARQL.

    :raises ConfigError: an unknown class or document.
    """
    return _build(_Snapshot(kg), classes=classes, source=source)


def _build(snapshot: _Snapshot, *, classes: Sequence[str] | None, source: str | None) -> nx.MultiDiGraph:
    import networkx as nx

    wanted_classes = {snapshot.resolve_class(c) for c in classes or ()}
    doc = snapshot.resolve_document(source) if source else None

    def quotes_of(claim: str) -> list[Quote]:
        return [Quote(d, claim, q) for d, q in snapshot.references.get(claim, ()) if doc is None or d == doc]

    graph = nx.MultiDiGraph(name="summitkg entity network", source=doc or "", classes=" ".join(sorted(wanted_classes)))
    literal_facts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    relations: list[tuple[str, str, str]] = []
    for entity, pairs in snapshot.entity_triples.items():
        types = {str(v) for p, v in pairs if p == _TYPE and str(v).startswith(_SKG)}
        documents = sorted({snapshot.doc_keys.get(str(v), _local(str(v))) for p, v in pairs if p == _MENTIONED_IN})
        if doc is not None and doc not in documents:
            continue
        all_classes = types.union(*(snapshot.ancestors(t) for t in types)) if types else set()
        if wanted_classes and not wanted_classes & all_classes:
            continue
        primary = snapshot.most_specific(types)
        status = next((str(v) for p, v in pairs if p == _STATUS), "")
        alt = sorted({str(v) for p, v in pairs if p == _ALT_LABEL})
        comment = next((str(v) for p, v in pairs if p == _COMMENT), "")
        graph.add_node(entity, iri=entity, curie=curie(entity), label=snapshot.label(entity),
                       alt_labels="\n".join(alt), description=comment, documents=" ".join(documents),
                       **{"class": primary}, class_label=snapshot.labels.get(primary, _local(primary)),
                       classes=" ".join(sorted(all_classes)), status=_local(status) if status else "",
                       status_label=snapshot.label(status) if status else "")
        for p, v in pairs:
            if p in _NOT_RELATIONS:
                continue
            if _is_iri(v):
                relations.append((entity, p, str(v)))
            elif type(v).__name__ == "Literal":
                literal_facts[entity].append((p, str(v)))

    claims_by_triple: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    node_quotes: dict[str, set[Quote]] = defaultdict(set)
    node_claims: dict[str, set[str]] = defaultdict(set)
    for statement in snapshot.statements:
        claim = statement["id"]
        quotes = quotes_of(claim)
        if doc is not None and not quotes:
            continue
        claims_by_triple[(statement["s"], statement["p"], statement["o"])].append(statement)
        for end in (statement["s"], statement["o"]):
            if end in graph:
                node_quotes[end].update(quotes)
                node_claims[end].add(claim)

    for subject, prop, obj in relations:
        if obj not in graph:
            continue
        statements = claims_by_triple.get((subject, prop, obj), [])
        if doc is not None and not statements and doc not in graph.nodes[obj]["documents"].split():
            continue
        quotes = [q for s in statements for q in quotes_of(s["id"])]
        modalities = sorted({_local(s["modality"]) for s in statements if s["modality"]},
                            key=lambda m: MODALITY_ORDER.index(m) if m in MODALITY_ORDER else len(MODALITY_ORDER))
        touched = next((n for n in (obj, subject) if graph.nodes[n]["status"]), None)
        graph.add_edge(subject, obj, key=prop, property=prop, property_label=snapshot.label(prop),
                       claims=" ".join(sorted({s["id"] for s in statements})), modality=" ".join(modalities),
                       modality_label=", ".join(snapshot.label(_modality_iri(m)) for m in modalities),
                       status=graph.nodes[touched]["status"] if touched else "",
                       status_label=graph.nodes[touched]["status_label"] if touched else "",
                       attributed_to="; ".join(sorted({w for s in statements for w in s["attributed"]})),
                       sources=" ".join(sorted({q.doc for q in quotes})), quotes=_join_quotes(quotes))

    observations: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for claim_iri, values in snapshot.observations.items():
        entity, claim = str(values.get("observedEntity")), str(values.get("claimId", _local(claim_iri)))
        quotes = quotes_of(claim)
        if entity not in graph or (doc is not None and not quotes):
            continue
        observations[entity].append((claim, f"{_observation_text(snapshot, values)} [{claim}]"))
        node_quotes[entity].update(quotes)
        node_claims[entity].add(claim)

    for entity, data in graph.nodes(data=True):
        facts = []
        for prop, text in literal_facts.get(entity, ()):
            statements = claims_by_triple.get((entity, prop, text), [])
            if doc is not None and not statements:
                continue
            notes = sorted(s["id"] for s in statements)
            notes += [f"according to {w}" for w in sorted({w for s in statements for w in s["attributed"]})]
            facts.append(f"{snapshot.label(prop)}: {text}" + (f" [{', '.join(notes)}]" if notes else ""))
        data["facts"] = "\n".join(sorted(facts))
        data["observations"] = "\n".join(text for _, text in sorted(observations.get(entity, ())))
        data["claims"] = " ".join(sorted(node_claims.get(entity, ())))
        data["quotes"] = _join_quotes(node_quotes.get(entity, ()))
    return graph


def _modality_iri(name: str) -> str:
    return PREFIXES["mod"] + name


def construct_network(kg: KnowledgeGraph, query: str) -> nx.MultiDiGraph:
    """The network a CONSTRUCT (or DESCRIBE) query returns, by query name, ``.rq`` path or text.

    Entities keep the attributes ``entity_network`` gives them; other IRIs get the label and
    class the result states. Literal objects become ``facts``.

    :raises QueryError: the query is not graph-shaped.
    """
    import networkx as nx
    from rdflib import Graph, URIRef
    from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

    result = kg.query(query)
    if result.type not in ("CONSTRUCT", "DESCRIBE"):
        raise QueryError(f"a query view draws a CONSTRUCT or DESCRIBE query; {query!r} is a {result.type} query")
    snapshot = _Snapshot(kg)
    full = _build(snapshot, classes=None, source=None)
    drawn = Graph()
    for s, p, o in result.graph:
        if isinstance(o, URIRef) and str(p) not in _NOT_RELATIONS:
            drawn.add((s, p, o))
    graph = nx.MultiDiGraph(rdflib_to_networkx_multidigraph(drawn, edge_attrs=lambda s, p, o: {"key": str(p)},
                                                           transform_s=str, transform_o=str),
                            name=f"summitkg query view: {query}")
    facts: dict[str, list[str]] = defaultdict(list)
    for s, p, o in result.graph:
        if not isinstance(o, URIRef) and str(p) not in _NOT_RELATIONS:
            graph.add_node(str(s))
            facts[str(s)].append(f"{snapshot.label(str(p))}: {o}")
    for node, data in graph.nodes(data=True):
        if node in full:
            data.update(full.nodes[node])
        else:
            types = {str(t) for t in result.graph.objects(URIRef(node), URIRef(_TYPE))}
            primary = snapshot.most_specific(types) if types else ""
            label = next((str(x) for x in result.graph.objects(URIRef(node), URIRef(_LABEL))), snapshot.label(node))
            data.update(iri=node, curie=curie(node), label=label, alt_labels="", description="", documents="",
                        classes=" ".join(sorted(types)), status="", status_label="", claims="", quotes="",
                        observations="", **{"class": primary},
                        class_label=snapshot.labels.get(primary, _local(primary)) if primary else "")
        data["facts"] = "\n".join(sorted(set(lines(data.get("facts")) + facts.get(node, []))))
    for u, v, key, data in graph.edges(keys=True, data=True):
        if full.has_edge(u, v, key):
            data.update(full.edges[u, v, key])
        else:
            data.update(property=key, property_label=snapshot.label(key), claims="", modality="", modality_label="",
                        status="", status_label="", attributed_to="", sources="", quotes="")
    return graph


def resolve_entity(graph: nx.MultiDiGraph, text: str) -> str:
    """The node ``text`` names: an IRI, a CURIE (``res:S-400``), a local name or a label (any case).

    :raises UnknownEntityError: nothing matches, or an alternative label names several
        entities; the message lists the closest labels.
    """
    wanted = text.strip()
    prefix, colon, rest = wanted.partition(":")
    candidates = [wanted, str(RES) + wanted]
    if colon and prefix in PREFIXES:
        candidates.insert(0, PREFIXES[prefix] + rest)
    for candidate in candidates:
        if candidate in graph:
            return candidate
    folded = wanted.casefold()
    by_label = [n for n, d in graph.nodes(data=True) if d.get("label", "").casefold() == folded]
    if len(by_label) == 1:
        return by_label[0]
    by_alt = by_label or [n for n, d in graph.nodes(data=True)
                          if folded in (a.casefold() for a in lines(d.get("alt_labels")))]
    if len(by_alt) == 1:
        return by_alt[0]
    if len(by_alt) > 1:
        raise UnknownEntityError(text, suggestions=[_named(graph, n) for n in sorted(by_alt)],
                                 where="the graph as one entity (several match)")
    names: dict[str, str] = {}
    for node, data in graph.nodes(data=True):
        for name in [data.get("label", ""), data.get("curie", ""), *lines(data.get("alt_labels"))]:
            if name:
                names.setdefault(name.casefold(), node)
    close = difflib.get_close_matches(folded, list(names), n=5, cutoff=0.5)
    containing = [name for name in names if folded and folded in name and name not in close]
    suggestions = list(dict.fromkeys(_named(graph, names[c]) for c in close + containing))[:5]
    raise UnknownEntityError(text, suggestions=suggestions, where="this view" if graph.graph.get("classes") or
                             graph.graph.get("source") else "the graph")


def _named(graph: nx.MultiDiGraph, node: str) -> str:
    data = graph.nodes[node]
    return f"{data.get('label') or node} ({data.get('curie') or node})"


def ego_network(graph: nx.MultiDiGraph, node: str, depth: int = 1) -> nx.MultiDiGraph:
    """The entities within ``depth`` relations of ``node``, either direction, with their edges."""
    import networkx as nx

    if depth < 0:
        raise ConfigError(f"must be 0 or more, got {depth}", name="depth")
    ego = nx.ego_graph(graph, node, radius=depth, undirected=True)
    ego.graph.update(focus=node, depth=depth)
    return ego


def shortest_paths(graph: nx.MultiDiGraph, a: str, b: str, *, limit: int = 20) -> list[Path]:
    """The shortest chains of relations from ``a`` to ``b``, following edges either way.

    Each step lists every relation between its two entities. At most ``limit`` paths.

    :raises EmptyNetworkError: no chain connects them.
    """
    import itertools

    import networkx as nx

    undirected = graph.to_undirected(as_view=True)
    try:
        found = list(itertools.islice(nx.all_shortest_paths(undirected, a, b), limit))
    except nx.NetworkXNoPath:
        raise EmptyNetworkError(f"no chain of relations connects {_named(graph, a)} and {_named(graph, b)}") from None
    paths = []
    for nodes in sorted(found, key=lambda ns: [graph.nodes[n].get("label", n) for n in ns]):
        steps = []
        for u, v in itertools.pairwise(nodes):
            relations = [Relation(s, o, key, data.get("property_label", curie(key)),
                                  tuple(data.get("claims", "").split()))
                         for s, o in ((u, v), (v, u)) if graph.has_edge(s, o)
                         for key, data in graph.get_edge_data(s, o).items()]
            steps.append(Step(u, v, tuple(relations)))
        paths.append(Path(tuple(nodes), tuple(steps)))
    return paths


def path_network(graph: nx.MultiDiGraph, paths: Sequence[Path]) -> nx.MultiDiGraph:
    """The entities and relations on ``paths``, as a network of their own (for drawing)."""
    import networkx as nx

    edges = {(r.subject, r.object, r.property) for path in paths for step in path.steps for r in step.relations}
    sub = nx.MultiDiGraph(graph.edge_subgraph(edges)) if edges else nx.MultiDiGraph(graph.subgraph(paths[0].nodes))
    sub.graph.update(graph.graph, path_ends=" ".join((paths[0].nodes[0], paths[0].nodes[-1])) if paths else "")
    return sub

"""Who matters in the network: counts by class and property, centrality rankings, communities.

Everything is computed by networkx on the graph ``network.entity_network`` returns. Relations
count in both directions (a reader follows them either way), so betweenness, PageRank and
communities use the undirected simple graph; degree counts every relation.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["MEASURES", "DEFAULT_MAX_NODES", "centrality", "most_central", "network_stats", "NetworkStats",
           "ClassCount", "PropertyCount", "Ranked", "Community"]

#: The centrality measures ``centrality`` computes, by name.
MEASURES = ("degree", "betweenness", "pagerank")
#: The most entities a network view draws before it keeps only the most central.
DEFAULT_MAX_NODES = 1500
#: Above this many nodes, betweenness is estimated from a fixed-seed sample of sources.
EXACT_BETWEENNESS_LIMIT = 2000
_SAMPLE = 500


def centrality(graph: nx.MultiDiGraph, measure: str = "degree") -> dict[str, float]:
    """``measure`` for every node: relations (degree), betweenness or PageRank.

    :raises ConfigError: an unknown measure.
    """
    import networkx as nx

    if measure == "degree":
        return {node: float(value) for node, value in graph.degree()}
    simple = nx.Graph(graph)
    if measure == "betweenness":
        sample = _SAMPLE if simple.number_of_nodes() > EXACT_BETWEENNESS_LIMIT else None
        return nx.betweenness_centrality(simple, k=sample, seed=0)
    if measure == "pagerank":
        return nx.pagerank(simple) if simple.number_of_nodes() else {}
    raise ConfigError(f"unknown measure {measure!r}; choose one of: {', '.join(MEASURES)}", name="size")


def most_central(values: dict[str, float], limit: int, *, pinned: Sequence[str] = ()) -> list[str]:
    """The ``limit`` nodes with the highest ``values`` (ties by id), after the ``pinned`` ones."""
    ranked = sorted(values, key=lambda n: (-values[n], n))
    return list(dict.fromkeys([*pinned, *ranked]))[:max(limit, len(set(pinned)))]


@dataclass(frozen=True)
class ClassCount:
    """Entities of one (most specific) class and the relations that touch them."""

    cls: str
    label: str
    nodes: int
    edges: int


@dataclass(frozen=True)
class PropertyCount:
    property: str
    label: str
    edges: int


@dataclass(frozen=True)
class Ranked:
    node: str
    label: str
    class_label: str
    value: float


@dataclass(frozen=True)
class Community:
    """A group of entities more tied to each other than to the rest (Louvain, fixed seed)."""

    number: int
    size: int
    members: tuple[str, ...]


@dataclass
class NetworkStats:
    """The figures ``summitkg stats`` prints; ``to_json``/``to_csv`` for machines, HTML for notebooks."""

    nodes: int
    edges: int
    classes: list[ClassCount]
    properties: list[PropertyCount]
    top: dict[str, list[Ranked]]
    communities: list[Community]
    betweenness_sampled: bool = False
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def rows(self) -> list[tuple[str, int, str, str, str, str]]:
        """One long table: ``(section, rank, id, label, value, relations)``; ``relations`` only for classes."""
        out: list[tuple[str, int, str, str, str, str]] = [("total", 0, "nodes", "entities", str(self.nodes), ""),
                                                          ("total", 0, "edges", "relations", str(self.edges), "")]
        out += [("class", i, c.cls, c.label, str(c.nodes), str(c.edges)) for i, c in enumerate(self.classes, 1)]
        out += [("property", i, p.property, p.label, str(p.edges), "") for i, p in enumerate(self.properties, 1)]
        for measure, ranked in self.top.items():
            out += [(measure, i, r.node, r.label, _format(r.value), "") for i, r in enumerate(ranked, 1)]
        out += [("community", c.number, str(c.number), "; ".join(c.members), str(c.size), "")
                for c in self.communities]
        return out

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["section", "rank", "id", "label", "value", "relations"])
        writer.writerows(self.rows())
        return buffer.getvalue()

    def _repr_html_(self) -> str:
        def table(head: list[str], body: list[list[object]]) -> str:
            cells = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in body)
            return f"<table><tr>{''.join(f'<th>{html.escape(h)}</th>' for h in head)}</tr>{cells}</table>"

        parts = [f"<p><b>{self.nodes}</b> entities, <b>{self.edges}</b> relations</p>",
                 table(["class", "entities", "relations"], [[c.label, c.nodes, c.edges] for c in self.classes])]
        for measure, ranked in self.top.items():
            rows = [[r.label, r.class_label, _format(r.value)] for r in ranked]
            parts.append(f"<h4>top by {measure}</h4>" + table(["entity", "class", measure], rows))
        rows = [[c.number, c.size, ", ".join(c.members)] for c in self.communities]
        parts.append("<h4>communities</h4>" + table(["#", "size", "members"], rows))
        return "".join(parts)


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.4f}"


def network_stats(graph: nx.MultiDiGraph, *, top: int = 10, community_members: int = 8) -> NetworkStats:
    """Counts by class and property, the ``top`` entities by each measure, and communities."""
    import networkx as nx

    def class_of(node: str) -> str:
        return graph.nodes[node].get("class_label") or "(no class)"

    class_nodes = Counter(class_of(n) for n in graph)
    class_iri = {class_of(n): graph.nodes[n].get("class", "") for n in graph}
    class_edges: Counter[str] = Counter()
    for u, v in graph.edges():
        for cls in {class_of(u), class_of(v)}:
            class_edges[cls] += 1
    classes = [ClassCount(class_iri[c], c, n, class_edges[c]) for c, n in
               sorted(class_nodes.items(), key=lambda item: (-item[1], item[0]))]
    properties = Counter((key, data.get("property_label", key))
                         for _, _, key, data in graph.edges(keys=True, data=True))
    props = [PropertyCount(p, label, n) for (p, label), n in sorted(properties.items(), key=lambda i: (-i[1], i[0][1]))]

    rankings = {}
    for measure in MEASURES:
        values = centrality(graph, measure)
        best = sorted(values.items(), key=lambda item: (-item[1], graph.nodes[item[0]].get("label", item[0])))[:top]
        rankings[measure] = [Ranked(n, graph.nodes[n].get("label", n), graph.nodes[n].get("class_label", ""), v)
                             for n, v in best]

    degree = dict(graph.degree())
    isolated = [n for n, d in degree.items() if d == 0]
    connected = nx.Graph(graph)
    connected.remove_nodes_from(isolated)
    groups = nx.community.louvain_communities(connected, seed=0) if connected.number_of_nodes() else []
    ordered = sorted(groups, key=lambda g: (-len(g), min(graph.nodes[n].get("label", n) for n in g)))
    communities = []
    for number, group in enumerate(ordered, 1):
        members = sorted(group, key=lambda n: (-degree[n], graph.nodes[n].get("label", n)))[:community_members]
        communities.append(Community(number, len(group), tuple(graph.nodes[n].get("label", n) for n in members)))
    sampled = graph.number_of_nodes() > EXACT_BETWEENNESS_LIMIT
    notes = [f"betweenness estimated from {_SAMPLE} sampled sources"] if sampled else []
    if isolated:
        subject = f"{len(isolated)} entities have" if len(isolated) != 1 else "1 entity has"
        notes.append(f"{subject} no relation to another entity, so no community")
    return NetworkStats(graph.number_of_nodes(), graph.number_of_edges(), classes, props, rankings, communities,
                        sampled, notes)

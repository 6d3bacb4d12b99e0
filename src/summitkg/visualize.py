"""Draw a network as one self-contained HTML page: pyvis builds the data, our template the page.

pyvis 0.3.2's own template fetches Bootstrap from a CDN in every ``cdn_resources`` mode
(WestHealth/pyvis#228, #229), so the page is rendered through ``templates/viz/network.html``
(``Network.set_template_dir``), which inlines the vendored vis-network and forbids every
request with a Content-Security-Policy: the file works offline, opened from disk.

``STYLE`` (class → colour, shape) and ``EDGE_STYLE`` (how firm a relation is → line) are
shared with the web explorer.
"""

from __future__ import annotations

import html
import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import __version__
from .analytics import DEFAULT_MAX_NODES, centrality, most_central
from .errors import ConfigError
from .namespaces import PREFIXES
from .network import EmptyNetworkError, curie, lines, quote_lines
from .network import Path as RelationPath

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["STYLE", "FALLBACK_STYLE", "EDGE_STYLE", "NodeStyle", "EdgeStyle", "NetworkView", "style_key",
           "edge_kind", "write_text", "check_writable", "VIS_NETWORK_VERSION"]

VIS_NETWORK_VERSION = "10.1.5"
#: Quotes a hover tooltip shows before "+N more" (a click shows them all).
TOOLTIP_QUOTES = 6


class NodeStyle(NamedTuple):
    colour: str
    shape: str
    legend: str


class EdgeStyle(NamedTuple):
    colour: str
    dashes: bool | list[int]
    width: float
    legend: str


#: Class (local name in ``skg:``) → style, most specific first: a node takes the first class it has.
STYLE: dict[str, NodeStyle] = {
    "Leader": NodeStyle("#c0392b", "star", "leader"),
    "Person": NodeStyle("#e57373", "dot", "person"),
    "Position": NodeStyle("#f1a7a0", "triangleDown", "position"),
    "HistoricalState": NodeStyle("#8eaed0", "hexagon", "historical state"),
    "Country": NodeStyle("#1f5fa8", "hexagon", "country"),
    "Region": NodeStyle("#4a90c8", "hexagon", "region or bloc"),
    "Group": NodeStyle("#7fb6e3", "dot", "group"),
    "Organisation": NodeStyle("#138d75", "square", "organisation"),
    "InformationSource": NodeStyle("#6fc3b2", "square", "information source"),
    "Tariff": NodeStyle("#7d5a9b", "triangleDown", "tariff"),
    "Event": NodeStyle("#e67e22", "triangle", "event"),
    "Condition": NodeStyle("#f0b44c", "triangle", "condition"),
    "WeaponSystem": NodeStyle("#6c3483", "diamond", "weapon system"),
    "WeaponCategory": NodeStyle("#a569bd", "diamond", "weapon category"),
    "MilitaryInventory": NodeStyle("#c9a3d9", "diamond", "military inventory"),
    "Infrastructure": NodeStyle("#8d6e63", "square", "infrastructure"),
    "Arrangement": NodeStyle("#d81b60", "square", "arrangement (deal)"),
    "TradeFlow": NodeStyle("#2e8b57", "dot", "trade flow"),
    "Relationship": NodeStyle("#7f8c8d", "dot", "relationship"),
    "Sector": NodeStyle("#5cb85c", "dot", "sector"),
    "Commodity": NodeStyle("#a3b82c", "dot", "commodity"),
    "Technology": NodeStyle("#3fa796", "dot", "technology"),
    "Currency": NodeStyle("#b7950b", "dot", "currency"),
    "Policy": NodeStyle("#5d6d7e", "triangleDown", "policy"),
    "Concept": NodeStyle("#a6b5b6", "dot", "concept"),
}
FALLBACK_STYLE = NodeStyle("#95a5a6", "dot", "other")

#: How firm a relation is → how its line looks. See ``edge_kind``.
EDGE_STYLE: dict[str, EdgeStyle] = {
    "in-force": EdgeStyle("#1e8449", False, 3.0, "signed or existing arrangement"),
    "stated": EdgeStyle("#566573", False, 1.6, "stated or scheduled"),
    "tentative": EdgeStyle("#e67e22", [8, 6], 1.8, "expected, offered, reported, sought or possible"),
    "opinion": EdgeStyle("#8e44ad", [2, 5], 1.8, "interpretation or attributed opinion"),
    "description": EdgeStyle("#b3bfc0", False, 1.0, "entity description (no claim node)"),
}
_IN_FORCE = {"signed", "existing"}
_FIRM = {"stated", "scheduled"}
_OPINION = {"interpretation", "attributed-opinion"}
_SKG = PREFIXES["skg"]
_TEMPLATES = "templates/viz"
_VIS_JS = f"static/vendor/vis-network-{VIS_NETWORK_VERSION}/vis-network.min.js"


def style_key(classes: str | Sequence[str]) -> str:
    """The ``STYLE`` key for a node's classes (space-joined IRIs or a sequence); ``""`` if none fits."""
    names = {c.removeprefix(_SKG) for c in (classes.split() if isinstance(classes, str) else classes)}
    return next((key for key in STYLE if key in names), "")


def edge_kind(data: dict) -> str:
    """An ``EDGE_STYLE`` key: the arrangement's status first, then the firmest modality of the claims."""
    status = data.get("status", "")
    if status in _IN_FORCE:
        return "in-force"
    if status:
        return "tentative"
    modalities = data.get("modality", "").split()
    if not modalities:
        return "description"
    if modalities[0] in _FIRM:
        return "stated"
    return "opinion" if modalities[0] in _OPINION else "tentative"


@cache
def _vis_js() -> str:
    return resources.files("summitkg").joinpath(_VIS_JS).read_text(encoding="utf-8")


def _template_dir() -> str:
    return str(resources.files("summitkg").joinpath(_TEMPLATES))


@dataclass
class NetworkView:
    """A network ready to draw: ``.html()`` renders the page, ``.write(path)`` saves it, notebooks show it.

    Above ``max_nodes`` entities, the view keeps the most central by ``size_by`` (plus the focus
    and path ends) and the page says what it left out.
    """

    graph: nx.MultiDiGraph
    title: str = "summitkg network"
    subtitle: str = ""
    size_by: str = "degree"
    max_nodes: int = DEFAULT_MAX_NODES
    focus: str | None = None
    paths: Sequence[RelationPath] = ()
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.max_nodes < 1:
            raise ConfigError(f"must be at least 1, got {self.max_nodes}", name="max-nodes")
        if self.graph.number_of_nodes() == 0:
            raise EmptyNetworkError("the view is empty: no entity matches, so no page was written")

    def shown(self) -> tuple[nx.MultiDiGraph, dict[str, float]]:
        """The graph the page draws (capped at ``max_nodes``) and every node's size measure."""
        return self._shown

    @cached_property
    def _shown(self) -> tuple[nx.MultiDiGraph, dict[str, float]]:
        values = centrality(self.graph, self.size_by)
        if self.graph.number_of_nodes() <= self.max_nodes:
            return self.graph, values
        pinned = [n for n in [self.focus, *(n for p in self.paths for n in p.nodes)] if n]
        return self.graph.subgraph(most_central(values, self.max_nodes, pinned=pinned)).copy(), values

    def html(self) -> str:
        """The page: vis-network inlined, data as JSON, no request to any host."""
        from pyvis.network import Network

        shown, values = self.shown()
        notes = list(self.notes)
        left_nodes = self.graph.number_of_nodes() - shown.number_of_nodes()
        if left_nodes:
            left_edges = self.graph.number_of_edges() - shown.number_of_edges()
            relations = f" and {left_edges:,} relations" if left_edges else ""
            notes.insert(0, f"Showing the {shown.number_of_nodes():,} most central of {self.graph.number_of_nodes():,} "
                            f"entities (by {self.size_by}); {left_nodes:,} entities{relations} are left out. "
                            "Narrow the view by class, source document or a focus entity, or raise the limit.")
        net = Network(height="100%", width="100%", directed=True, heading=self.title, cdn_resources="in_line")
        net.set_template_dir(_template_dir(), "network.html")
        on_path = {(r.subject, r.object, r.property) for p in self.paths for s in p.steps for r in s.relations}
        ends = {p.nodes[0] for p in self.paths} | {p.nodes[-1] for p in self.paths}
        levels = {n: i for p in self.paths for i, n in enumerate(p.nodes)}
        for node, data in shown.nodes(data=True):
            value = 1.0 if self.paths else values[node]  # on a chain every entity counts the same
            net.add_node(node, **self._node(node, data, value, emphasised=node == self.focus or node in ends,
                                            level=levels.get(node)))
        parallel: Counter[frozenset[str]] = Counter()
        for u, v, key, data in shown.edges(keys=True, data=True):
            pair = frozenset((u, v))
            net.add_edge(u, v, **self._edge(u, v, key, data, index=parallel[pair], on_path=(u, v, key) in on_path))
            parallel[pair] += 1
        net.options = self._options(shown.number_of_nodes(), hierarchical=bool(self.paths))
        groups = Counter(n["cls"] for n in net.nodes)
        legend = [{"key": k, "label": s.legend, "colour": s.colour, "shape": s.shape, "count": groups[k]}
                  for k, s in [*STYLE.items(), ("", FALLBACK_STYLE)] if groups[k]]
        edge_legend = [{"key": k, "label": s.legend, "colour": s.colour, "dashes": s.dashes, "width": s.width}
                       for k, s in EDGE_STYLE.items()]
        net.templateEnv.globals.update(
            vis_js=_vis_js(), vis_version=VIS_NETWORK_VERSION, summitkg_version=__version__,
            subtitle=self.subtitle or self._counts(shown), notes=notes, legend=legend, edge_legend=edge_legend,
            focus=self.focus or "", path_text=[self._path_text(p) for p in self.paths],
            physics=not self.paths)
        return net.generate_html("network.html")

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Render and write the page atomically (nothing half-written); ``-`` means stdout."""
        return write_text(path, self.html())

    def _repr_html_(self) -> str:
        page = html.escape(self.html(), quote=True)
        return f'<iframe srcdoc="{page}" style="width:100%;height:680px;border:0" sandbox="allow-scripts"></iframe>'

    def _counts(self, shown: nx.MultiDiGraph) -> str:
        return f"{shown.number_of_nodes():,} entities · {shown.number_of_edges():,} relations"

    def _node(self, node: str, data: dict, value: float, *, emphasised: bool, level: int | None) -> dict:
        key = style_key(data.get("classes", "")) or style_key([data.get("class", "")])
        style = STYLE.get(key, FALLBACK_STYLE)
        options = {
            "label": data.get("label") or curie(node),
            "shape": style.shape,
            "color": {"background": style.colour, "border": "#1c2833" if emphasised else _darker(style.colour),
                      "highlight": {"background": style.colour, "border": "#111111"},
                      "hover": {"background": style.colour, "border": "#111111"}},
            "borderWidth": 4 if emphasised else 1.5,
            "value": value,
            "cls": key,
            "curie": data.get("curie") or curie(node),
            "classLabel": data.get("class_label", ""),
            "description": data.get("description", ""),
            "documents": data.get("documents", "").split(),
            "status": data.get("status_label", ""),
            "altLabels": lines(data.get("alt_labels")),
            "observations": lines(data.get("observations")),
            "facts": lines(data.get("facts")),
            "quotes": [list(q) for q in quote_lines(data.get("quotes"))],
        }
        if emphasised:
            options["font"] = {"size": 22, "face": "system-ui, sans-serif", "bold": True}
        if level is not None:
            options["level"] = level
        if emphasised and self.focus == node and not self.paths:
            options.update(x=0, y=0, physics=False)
        return options

    def _edge(self, u: str, v: str, key: str, data: dict, *, index: int, on_path: bool) -> dict:
        kind = edge_kind(data)
        style = EDGE_STYLE[kind]
        options = {
            "id": f"{u} {key} {v}",
            "label": data.get("property_label") or curie(key),
            "color": {"color": style.colour, "highlight": "#1c2833", "hover": "#1c2833", "opacity": 0.9},
            "dashes": style.dashes,
            "width": style.width * (2.2 if on_path else 1),
            "kind": kind,
            "property": curie(key),
            "claims": data.get("claims", "").split(),
            "modality": data.get("modality_label", ""),
            "status": data.get("status_label", ""),
            "attributedTo": data.get("attributed_to", ""),
            "quotes": [list(q) for q in quote_lines(data.get("quotes"))],
        }
        if index:
            options["smooth"] = {"enabled": True, "type": "curvedCW" if index % 2 else "curvedCCW",
                                 "roundness": 0.18 * ((index + 1) // 2)}
        return options

    def _options(self, nodes: int, *, hierarchical: bool) -> dict:
        large, small = nodes > 600, nodes <= 40
        options: dict = {
            "nodes": {"font": {"size": 16, "face": "system-ui, sans-serif", "strokeWidth": 4, "strokeColor": "#ffffff"},
                      "scaling": {"min": 10, "max": 42, "label": {"enabled": True, "min": 18, "max": 32,
                                                                   "drawThreshold": 4}}},
            "edges": {"font": {"size": 11, "face": "system-ui, sans-serif", "color": "#4d5656", "strokeWidth": 3,
                               "strokeColor": "#ffffff", "align": "middle"},
                      "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
                      "smooth": {"enabled": not large, "type": "continuous", "roundness": 0.2},
                      "selectionWidth": 2, "hoverWidth": 1.5},
            "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large, "keyboard": False,
                            "multiselect": False},
        }
        if hierarchical:
            options["layout"] = {"hierarchical": {"enabled": True, "direction": "LR", "levelSeparation": 420,
                                                  "nodeSpacing": 140, "sortMethod": "directed"}}
            options["physics"] = {"enabled": False}
            options["edges"]["smooth"] = {"enabled": False}
            options["edges"]["font"]["align"] = "horizontal"
        else:
            options["layout"] = {"randomSeed": 7, "improvedLayout": nodes <= 150}
            options["physics"] = {
                "solver": "forceAtlas2Based",
                "forceAtlas2Based": {"gravitationalConstant": -160 if small else -110 if large else -140,
                                     "centralGravity": 0.012,
                                     "springLength": 230 if small else 110 if large else 140,
                                     "springConstant": 0.05, "damping": 0.5, "avoidOverlap": 0.8 if small else 0.6},
                "maxVelocity": 60, "minVelocity": 1,
                "stabilization": {"enabled": True, "iterations": 300 if large else 900, "updateInterval": 20,
                                  "fit": True},
            }
        return options

    def _path_text(self, path: RelationPath) -> str:
        label = lambda n: self.graph.nodes[n].get("label", curie(n))  # noqa: E731
        parts = [label(path.nodes[0])]
        for step in path.steps:
            names = " / ".join(dict.fromkeys(r.label for r in step.relations))
            forward = any(r.subject == step.source for r in step.relations)
            parts.append(f"—{names}→" if forward else f"←{names}—")
            parts.append(label(step.target))
        return " ".join(parts)


def _darker(colour: str, factor: float = 0.72) -> str:
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{int(c * factor):02x}" for c in rgb)


def check_writable(path: str | os.PathLike[str]) -> None:
    """Fail before any work if ``path`` cannot be written (``-`` is stdout, always writable).

    :raises ConfigError: the folder is missing or not writable (named as ``output``).
    """
    if str(path) == "-":
        return
    target = Path(path)
    if target.is_dir():
        raise ConfigError(f"{str(target)!r} is a directory; give a file name such as network.html", name="output")
    try:
        with tempfile.NamedTemporaryFile(prefix=f".{target.name}.", dir=target.parent if str(target.parent) else "."):
            pass
    except OSError as error:
        raise ConfigError(f"cannot write {str(target)!r}: {error.strerror or error}", name="output") from None


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename it.

    :raises ConfigError: the folder is missing or not writable (named as ``output``).
    """
    import sys

    if str(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return Path("-")
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, scratch = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise ConfigError(f"cannot write {str(target)!r}: {error.strerror or error}", name="output") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(scratch, 0o644)
        os.replace(scratch, target)
    except OSError as error:
        Path(scratch).unlink(missing_ok=True)
        raise ConfigError(f"cannot write {str(target)!r}: {error.strerror or error}", name="output") from None
    return target

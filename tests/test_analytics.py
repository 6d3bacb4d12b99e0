"""Network figures: counts, centrality, communities; and the `stats` and `path` commands.

The hand-built graph below has values worked out by hand in the comments; the shipped graph
is checked against FACTS.md and against counts taken by SPARQL, not by the code under test.
"""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest

from conftest import run_cli
from summitkg.analytics import centrality, most_central, network_stats
from summitkg.errors import ConfigError
from summitkg.kg import KnowledgeGraph

P1, P2 = "https://example.org/p1", "https://example.org/p2"


@pytest.fixture
def hub() -> nx.MultiDiGraph:
    """H is a hub (country) with sectors A, B, C around it, D hangs off C, E (a concept) stands alone.

    Relations: H→A twice (p1, p2), H→B (p1), C→H (p2), C→D (p2).
    Degree: H 4, A 2, C 2, B 1, D 1, E 0.
    Betweenness (undirected, normalised by (n-1)(n-2)/2 = 10 pairs): H lies on A–B, A–C, A–D, B–C,
    B–D → 5/10 = 0.5; C on A–D, B–D, H–D → 3/10 = 0.3; the others 0.
    """
    g = nx.MultiDiGraph()
    g.add_node("H", label="Hub", class_label="country", **{"class": "C:Country"})
    for name in "ABCD":
        g.add_node(name, label=f"sector {name}", class_label="sector", **{"class": "C:Sector"})
    g.add_node("E", label="idea", class_label="concept", **{"class": "C:Concept"})
    g.add_edge("H", "A", key=P1, property_label="p one")
    g.add_edge("H", "A", key=P2, property_label="p two")
    g.add_edge("H", "B", key=P1, property_label="p one")
    g.add_edge("C", "H", key=P2, property_label="p two")
    g.add_edge("C", "D", key=P2, property_label="p two")
    return g


def test_degree_counts_every_relation(hub: nx.MultiDiGraph) -> None:
    assert centrality(hub, "degree") == {"H": 4, "A": 2, "B": 1, "C": 2, "D": 1, "E": 0}


def test_betweenness_by_hand(hub: nx.MultiDiGraph) -> None:
    values = centrality(hub, "betweenness")
    assert values["H"] == pytest.approx(0.5)
    assert values["C"] == pytest.approx(0.3)
    assert values["A"] == values["B"] == values["D"] == values["E"] == 0


def test_pagerank_puts_the_hub_first(hub: nx.MultiDiGraph) -> None:
    values = centrality(hub, "pagerank")
    assert max(values, key=values.get) == "H"
    assert sum(values.values()) == pytest.approx(1.0)


def test_unknown_measure() -> None:
    with pytest.raises(ConfigError, match="size: unknown measure 'fame'"):
        centrality(nx.MultiDiGraph(), "fame")


def test_most_central_keeps_pinned_nodes_first() -> None:
    values = {"a": 3.0, "b": 2.0, "c": 1.0, "d": 2.0}
    assert most_central(values, 2) == ["a", "b"]
    assert most_central(values, 2, pinned=["c"]) == ["c", "a"]


def test_stats_by_hand(hub: nx.MultiDiGraph) -> None:
    stats = network_stats(hub, top=2)
    assert (stats.nodes, stats.edges) == (6, 5)
    assert [(c.label, c.nodes, c.edges) for c in stats.classes] == [("sector", 4, 5), ("concept", 1, 0),
                                                                    ("country", 1, 4)]
    assert [(p.label, p.edges) for p in stats.properties] == [("p two", 3), ("p one", 2)]
    assert [r.node for r in stats.top["degree"]] == ["H", "A"]  # A and C tie at 2: by label, "sector A" first
    assert [r.node for r in stats.top["betweenness"]] == ["H", "C"]
    assert stats.top["pagerank"][0].node == "H"
    assert sorted(m for c in stats.communities for m in c.members) == sorted(["Hub", "sector A", "sector B",
                                                                              "sector C", "sector D"])
    assert stats.notes == ["1 entity has no relation to another entity, so no community"]


def test_stats_as_json_and_csv(hub: nx.MultiDiGraph) -> None:
    stats = network_stats(hub, top=2)
    data = json.loads(stats.to_json())
    assert data["nodes"] == 6 and data["top"]["degree"][0]["label"] == "Hub"
    rows = list(csv.DictReader(io.StringIO(stats.to_csv())))
    assert {"section": "class", "rank": "1", "id": "C:Sector", "label": "sector", "value": "4",
            "relations": "5"} in rows
    assert {"section": "degree", "rank": "1", "id": "H", "label": "Hub", "value": "4", "relations": ""} in rows
    assert "<table>" in stats._repr_html_()


# --- the commands on the shipped graph ------------------------------------------------------------

def test_stats_command_counts_what_sparql_counts(kg: KnowledgeGraph) -> None:
    entities = int(kg.query("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e skg:mentionedIn ?d }").bindings[0]["n"])
    done = run_cli("stats", "--format", "json", "--top", "3")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["nodes"] == entities
    assert set(data["top"]) == {"degree", "betweenness", "pagerank"}
    assert all(len(ranked) == 3 for ranked in data["top"].values())
    leaders = [c for c in data["classes"] if c["label"] == "leader"]
    assert leaders[0]["nodes"] == 4  # FACTS §1.1: Putin, Modi, Trump, Xi


def test_stats_command_table_and_csv() -> None:
    table = run_cli("stats", "--top", "3")
    assert table.returncode == 0, table.stderr
    assert "Most central entities" in table.stdout and "Communities" in table.stdout
    done = run_cli("stats", "--format", "csv", "--classes", "Leader")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert {row["label"] for row in rows if row["section"] == "degree"} <= {
        "Vladimir Putin", "Narendra Modi", "Donald Trump", "Xi Jinping"}


def test_path_command_shows_each_step_with_its_property_label() -> None:
    done = run_cli("path", "Vladimir Putin", "res:President_of_Russia")
    assert done.returncode == 0, done.stderr
    assert "1 shortest chain(s) of 1 relation(s) from Vladimir Putin to President of Russia" in done.stdout
    assert "—holds position→ President of Russia" in done.stdout
    assert "C001" in done.stdout


def test_path_command_as_json() -> None:
    done = run_cli("path", "Putin", "President of Russia", "--format", "json")
    assert done.returncode == 0, done.stderr
    [chain] = json.loads(done.stdout)
    assert [n["label"] for n in chain["nodes"]] == ["Vladimir Putin", "President of Russia"]
    [relation] = chain["steps"][0]["relations"]
    assert relation["label"] == "holds position" and "C001" in relation["claims"]


@pytest.mark.parametrize(("args", "message"), [
    (("path", "Vladimir Puttin", "India"), "no entity 'Vladimir Puttin' in the graph. Did you mean: Vladimir Putin"),
    (("path", "India", "res:India"), "are the same entity (res:India)"),
    (("stats", "--classes", "TransportCorridor", "--source", "000"),
     "no entity of class TransportCorridor in document 000"),
    (("stats", "--source", "999"), "unknown source document '999'"),
])
def test_bad_input_says_what_and_exits_non_zero(args, message) -> None:
    done = run_cli(*args)
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr

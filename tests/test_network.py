"""The entity network read from the store: nodes, edges, folded claims, filters, lookups and paths.

Expected values come from tests/data/network_tiny.ttl (read by hand) and from FACTS.md.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from summitkg.config import Settings
from summitkg.errors import ConfigError
from summitkg.kg import KnowledgeGraph, load
from summitkg.network import (EmptyNetworkError, Quote, UnknownEntityError, ego_network, entity_network,
                              path_network, quote_lines, resolve_entity, shortest_paths)

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
RES = "https://w3id.org/summitkg/resource/"
SKG = "https://w3id.org/summitkg/ontology#"


def tiny_home(folder: Path) -> Path:
    """A project with the real ontology and documents and the hand-written tiny graph."""
    (folder / "ontology").mkdir(parents=True)
    (folder / "graph").mkdir()
    (folder / "queries").mkdir()
    shutil.copy(ROOT / "ontology" / "summitkg.ttl", folder / "ontology")
    shutil.copy(ROOT / "graph" / "sources.ttl", folder / "graph")
    shutil.copy(DATA / "network_tiny.ttl", folder / "graph" / "tiny.ttl")
    return folder


@pytest.fixture(scope="module")
def tiny_kg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeGraph]:
    graph = load(Settings(home=tiny_home(tmp_path_factory.mktemp("tiny"))))
    yield graph
    graph.close()


@pytest.fixture(scope="module")
def tiny(tiny_kg: KnowledgeGraph) -> nx.MultiDiGraph:
    return entity_network(tiny_kg)


@pytest.fixture(scope="module")
def summit(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    return entity_network(kg)


def r(name: str) -> str:
    return RES + name


# --- the hand-written graph ---------------------------------------------------------------------

def test_nodes_are_the_entities_and_nothing_else(tiny: nx.MultiDiGraph) -> None:
    assert set(tiny) == {r(n) for n in ("Alpha", "Beta", "Gamma", "Meet", "Deal", "Offer", "Lonely")}


def test_edges_are_the_direct_triples_between_entities(tiny: nx.MultiDiGraph) -> None:
    assert {(u, v, k) for u, v, k in tiny.edges(keys=True)} == {
        (r("Alpha"), r("Meet"), SKG + "participatesIn"),
        (r("Gamma"), r("Offer"), SKG + "expectedToSign"),
        (r("Gamma"), r("Meet"), SKG + "causedBy"),
        (r("Beta"), r("Meet"), SKG + "causedBy"),
        (r("Deal"), r("Beta"), SKG + "party"),
        (r("Deal"), r("Gamma"), SKG + "party"),
    }


def test_node_attributes(tiny: nx.MultiDiGraph) -> None:
    alpha = tiny.nodes[r("Alpha")]
    assert alpha["label"] == "Alpha Leader"
    assert alpha["curie"] == "res:Alpha"
    assert alpha["class"] == SKG + "Leader"
    assert alpha["class_label"] == "leader"
    assert set(alpha["classes"].split()) == {SKG + "Leader", SKG + "Person", SKG + "Agent"}
    assert alpha["description"] == "A leader of Betaland."
    assert alpha["documents"] == "000 004"
    assert alpha["alt_labels"].split("\n") == ["Alpha", "the leader"]
    assert alpha["claims"] == "T001"
    assert quote_lines(alpha["quotes"]) == [Quote("000", "T001", "Alpha took part in the meeting")]


def test_an_arrangement_carries_its_status(tiny: nx.MultiDiGraph) -> None:
    assert tiny.nodes[r("Deal")]["status"] == "signed"
    assert tiny.nodes[r("Offer")]["status_label"] == "offered"
    assert tiny.nodes[r("Beta")]["status"] == ""


def test_edge_attributes_fold_the_claim(tiny: nx.MultiDiGraph) -> None:
    edge = tiny.edges[r("Gamma"), r("Offer"), SKG + "expectedToSign"]
    assert edge["property_label"] == "expected to sign"  # no rdfs:label in the file: the name in words
    assert edge["claims"] == "T002"
    assert edge["modality"] == "expected"
    assert edge["status"] == "offered"  # the status of the arrangement it touches
    assert edge["sources"] == "004"
    assert quote_lines(edge["quotes"]) == [Quote("004", "T002", "Gammaland is expected to sign the offer")]


def test_a_claim_with_two_subjects_backs_both_edges(tiny: nx.MultiDiGraph) -> None:
    for subject in ("Gamma", "Beta"):
        edge = tiny.edges[r(subject), r("Meet"), SKG + "causedBy"]
        assert edge["claims"] == "T003"
        assert edge["modality"] == "attributed-opinion"
        assert edge["attributed_to"] == "Alpha Leader"  # on whose word
        assert edge["sources"] == "000 004"
        assert [q.text for q in quote_lines(edge["quotes"])] == ["the meeting, analysts said, caused it all",
                                                                "an “opinion” with typographic quotes"]


def test_a_relation_without_claim_node_still_shows(tiny: nx.MultiDiGraph) -> None:
    edge = tiny.edges[r("Deal"), r("Beta"), SKG + "party"]
    assert edge["property_label"] == "party"
    assert edge["claims"] == "" and edge["quotes"] == "" and edge["modality"] == ""
    assert edge["status"] == "signed"


def test_literals_and_observations_are_folded_into_the_node(tiny: nx.MultiDiGraph) -> None:
    beta = tiny.nodes[r("Beta")]
    assert beta["facts"] == "comes at: a sensitive moment [T004]"
    assert beta["observations"] == "population: ≲ 1.5 billion people — 2024 [T005]"
    assert beta["claims"] == "T003 T004 T005"
    assert {q.claim for q in quote_lines(beta["quotes"])} == {"T003", "T004", "T005"}


def test_every_id_and_attribute_is_a_plain_str_so_graphml_and_gexf_accept_them(tiny: nx.MultiDiGraph) -> None:
    for node, data in tiny.nodes(data=True):
        assert type(node) is str
        assert all(type(v) is str for v in data.values()), data
    for _, _, k, data in tiny.edges(keys=True, data=True):
        assert type(k) is str and all(type(x) is str for x in data.values()), data
    nx.write_graphml(tiny, io.BytesIO())
    nx.write_gexf(tiny, io.BytesIO())


@pytest.mark.parametrize(("classes", "expected"), [
    (["Country"], {"Beta", "Gamma"}),
    (["skg:Agent"], {"Alpha", "Beta", "Gamma"}),       # Leader ⊂ Person ⊂ Agent, Country ⊂ Agent
    (["arrangement"], {"Deal", "Offer"}),              # by label, any case
    (["Leader", "Meeting"], {"Alpha", "Meet"}),
])
def test_filter_by_class_includes_subclasses(tiny_kg: KnowledgeGraph, classes, expected) -> None:
    assert set(entity_network(tiny_kg, classes=classes)) == {r(n) for n in expected}


def test_filter_by_class_keeps_only_edges_inside(tiny_kg: KnowledgeGraph) -> None:
    graph = entity_network(tiny_kg, classes=["Country", "Contract"])
    assert {(u, v) for u, v in graph.edges()} == {(r("Deal"), r("Beta")), (r("Deal"), r("Gamma"))}


def test_filter_by_source_keeps_what_that_document_says(tiny_kg: KnowledgeGraph) -> None:
    graph = entity_network(tiny_kg, source="004")
    assert set(graph) == {r("Alpha"), r("Gamma"), r("Deal"), r("Offer")}
    assert {(u, v) for u, v in graph.edges()} == {(r("Gamma"), r("Offer")), (r("Deal"), r("Gamma"))}
    assert graph.nodes[r("Alpha")]["quotes"] == ""  # its only claim (T001) is quoted from 000
    same = entity_network(tiny_kg, source="res:Document_004")
    assert set(same) == set(graph)


def test_filter_by_source_000(tiny_kg: KnowledgeGraph) -> None:
    graph = entity_network(tiny_kg, source="000")
    assert set(graph) == {r("Alpha"), r("Beta"), r("Meet"), r("Lonely")}
    assert {(u, v) for u, v in graph.edges()} == {(r("Alpha"), r("Meet")), (r("Beta"), r("Meet"))}
    edge = graph.edges[r("Beta"), r("Meet"), SKG + "causedBy"]
    assert edge["sources"] == "000"


def test_unknown_class_and_document_name_the_option(tiny_kg: KnowledgeGraph) -> None:
    with pytest.raises(ConfigError, match=r"classes: unknown class 'Leeder'.*Leader"):
        entity_network(tiny_kg, classes=["Leeder"])
    with pytest.raises(ConfigError, match=r"source: unknown source document '007'.*000, 004"):
        entity_network(tiny_kg, source="007")


@pytest.mark.parametrize("text", ["res:Alpha", RES + "Alpha", "Alpha", "alpha leader", "ALPHA"])
def test_resolve_entity_by_iri_curie_name_or_label(tiny: nx.MultiDiGraph, text: str) -> None:
    assert resolve_entity(tiny, text) == r("Alpha")


def test_resolve_entity_suggests_the_closest_labels(tiny: nx.MultiDiGraph) -> None:
    with pytest.raises(UnknownEntityError) as caught:
        resolve_entity(tiny, "Gamaland")
    assert caught.value.suggestions[0] == "Gammaland (res:Gamma)"
    assert "Did you mean: Gammaland (res:Gamma)" in str(caught.value)


def test_resolve_entity_refuses_an_ambiguous_alternative_label(tiny: nx.MultiDiGraph) -> None:
    with pytest.raises(UnknownEntityError) as caught:
        resolve_entity(tiny, "the leader")
    assert caught.value.suggestions == ["Alpha Leader (res:Alpha)", "Betaland (res:Beta)"]


def test_ego_network_follows_relations_both_ways(tiny: nx.MultiDiGraph) -> None:
    assert set(ego_network(tiny, r("Meet"), 1)) == {r("Meet"), r("Alpha"), r("Beta"), r("Gamma")}
    assert set(ego_network(tiny, r("Meet"), 2)) == {r(n) for n in ("Meet", "Alpha", "Beta", "Gamma", "Deal", "Offer")}
    assert set(ego_network(tiny, r("Lonely"), 3)) == {r("Lonely")}


def test_shortest_paths_list_every_chain_with_property_labels(tiny: nx.MultiDiGraph) -> None:
    paths = shortest_paths(tiny, r("Alpha"), r("Deal"))
    assert [p.nodes for p in paths] == [(r("Alpha"), r("Meet"), r("Beta"), r("Deal")),
                                        (r("Alpha"), r("Meet"), r("Gamma"), r("Deal"))]
    first = paths[0]
    assert len(first) == 3
    assert [[rel.label for rel in step.relations] for step in first.steps] == [["participates in"], ["caused by"],
                                                                                ["party"]]
    backwards = first.steps[1].relations[0]
    assert (backwards.subject, backwards.object) == (r("Beta"), r("Meet"))
    assert backwards.claims == ("T003",)
    drawn = path_network(tiny, paths)
    assert set(drawn) == {r(n) for n in ("Alpha", "Meet", "Beta", "Gamma", "Deal")}
    assert drawn.number_of_edges() == 5


def test_no_path_says_so(tiny: nx.MultiDiGraph) -> None:
    with pytest.raises(EmptyNetworkError, match="no chain of relations connects Alpha Leader .* and lonely idea"):
        shortest_paths(tiny, r("Alpha"), r("Lonely"))


# --- the shipped graph (FACTS.md) ---------------------------------------------------------------

def test_putin_as_facts_describes_him(summit: nx.MultiDiGraph) -> None:
    putin = summit.nodes[r("Vladimir_Putin")]
    assert putin["label"] == "Vladimir Putin"
    assert putin["class"] == SKG + "Leader"
    assert putin["documents"] == "000 004"
    assert {"Putin", "President Putin", "Russian President Vladimir Putin"} <= set(putin["alt_labels"].split("\n"))
    assert Quote("000", "C001", "Russian President Vladimir Putin has begun a two-day visit to India") in \
        quote_lines(putin["quotes"])


def test_c001_putin_holds_the_office_of_president(summit: nx.MultiDiGraph) -> None:
    edge = summit.edges[r("Vladimir_Putin"), r("President_of_Russia"), SKG + "holdsPosition"]
    assert edge["property_label"] == "holds position"
    assert "C001" in edge["claims"].split()
    assert edge["modality"].split()[0] == "stated"
    assert edge["sources"] == "000 004"


def test_no_provenance_plumbing_becomes_a_node(summit: nx.MultiDiGraph, kg: KnowledgeGraph) -> None:
    entities = {str(row["e"]) for row in kg.query("SELECT DISTINCT ?e WHERE { ?e skg:mentionedIn ?d }").bindings}
    assert set(summit) == entities
    assert not [n for n in summit if "/statement/" in n or "/reference/" in n or "/period/" in n]
    assert r("Document_000") not in summit and r("Document_004") not in summit


def test_leaders_are_the_four_facts_names(kg: KnowledgeGraph) -> None:
    leaders = entity_network(kg, classes=["Leader"])
    assert set(leaders) == {r("Vladimir_Putin"), r("Narendra_Modi"), r("Donald_Trump"), r("Xi_Jinping")}


def test_source_000_leaves_out_what_only_004_names(kg: KnowledgeGraph) -> None:
    doc000 = entity_network(kg, source="000")
    assert r("Donald_Trump") in doc000       # named only in 000
    assert r("Pharmaceuticals") not in doc000  # named only in 004
    assert all("000" in data["documents"].split() for _, data in doc000.nodes(data=True))


def test_s400_resolves_by_curie_label_and_alternative_label(summit: nx.MultiDiGraph) -> None:
    assert resolve_entity(summit, "res:S-400") == r("S-400")
    assert resolve_entity(summit, "S-400") == r("S-400")
    assert resolve_entity(summit, "Putin") == r("Vladimir_Putin")
    with pytest.raises(UnknownEntityError, match="Vladimir Putin"):
        resolve_entity(summit, "Vladimir Puttin")


def test_same_network_on_every_store(any_kg: KnowledgeGraph, summit: nx.MultiDiGraph) -> None:
    other = entity_network(any_kg)
    assert dict(other.nodes(data=True)) == dict(summit.nodes(data=True))
    assert {(u, v, k): d for u, v, k, d in other.edges(keys=True, data=True)} == \
        {(u, v, k): d for u, v, k, d in summit.edges(keys=True, data=True)}

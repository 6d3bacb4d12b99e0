"""The answer graph of a CONSTRUCT on Oxigraph: an rdflib Graph in every way, indexed only when searched."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace
from rdflib.compare import isomorphic

from summitkg.stores.answer_graph import answer_graph
from summitkg.stores.oxigraph import to_query_result

EX = Namespace("https://example.org/")
TRIPLES = [(EX.modi, EX.meets, EX.putin), (EX.putin, EX.meets, EX.modi), (EX.putin, EX.name, Literal("Putin"))]


def test_a_read_through_needs_no_index() -> None:
    graph = answer_graph(list(TRIPLES))
    assert len(graph) == 3
    assert list(graph) == TRIPLES
    assert not graph.store.indexed


def test_a_lookup_by_pattern_indexes_and_answers() -> None:
    graph = answer_graph(list(TRIPLES))
    assert set(graph.objects(EX.putin, None)) == {EX.modi, Literal("Putin")}
    assert graph.store.indexed
    assert (EX.modi, EX.meets, EX.putin) in graph
    assert (EX.modi, EX.name, Literal("Putin")) not in graph
    assert len(graph) == 3


def test_changes_keep_what_arrived() -> None:
    graph = answer_graph(list(TRIPLES))
    graph.add((EX.modi, EX.name, Literal("Modi")))
    graph.add(TRIPLES[0])  # already there: a graph is a set
    assert len(graph) == 4
    graph.remove((EX.putin, EX.meets, None))
    assert set(graph) == {TRIPLES[0], TRIPLES[2], (EX.modi, EX.name, Literal("Modi"))}


def test_it_serializes_like_an_indexed_graph() -> None:
    plain = Graph()
    for triple in TRIPLES:
        plain.add(triple)
    for fmt in ("turtle", "nt", "json-ld"):
        text = answer_graph(list(TRIPLES)).serialize(format=fmt)
        assert isomorphic(Graph().parse(data=text, format=fmt), plain), fmt


def test_a_construct_repeating_a_triple_gives_it_once() -> None:
    store = ox.Store()
    for name in ("a", "b", "c"):
        store.add(ox.Quad(ox.NamedNode(f"https://example.org/{name}"), ox.NamedNode("https://example.org/p"),
                          ox.Literal(name)))
    answer = store.query("CONSTRUCT { <https://example.org/x> <https://example.org/seen> true } "
                         "WHERE { ?s ?p ?o }")
    graph = to_query_result(answer).graph
    assert len(graph) == 1
    assert list(graph) == [(EX.x, EX.seen, Literal(True))]

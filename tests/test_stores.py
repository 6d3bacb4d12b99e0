"""The same query gives the same answer on every store: rdflib, embedded Oxigraph, a real Oxigraph server."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from conftest import ROOT
from rdflib import XSD, BNode, Literal

from summitkg.errors import ConfigError, QuerySyntaxError, StoreError
from summitkg.kg import load
from summitkg.namespaces import RES, SKG
from summitkg.queries import catalogue
from summitkg.stores import parse_store_spec


def test_select_with_bound_variable(any_kg) -> None:
    result = any_kg.query("SELECT ?key WHERE { ?doc skg:docKey ?key }", doc=RES.Document_004)
    assert [str(row["key"]) for row in result] == ["004"]


def test_ask(any_kg) -> None:
    assert any_kg.query("ASK { res:Vladimir_Putin skg:holdsPosition res:President_of_Russia }").askAnswer is True
    assert any_kg.query("ASK { ?a skg:agreementStatus status:signed }").askAnswer is False


def test_construct(any_kg) -> None:
    result = any_kg.query("CONSTRUCT { ?d skg:docKey ?k } WHERE { ?d skg:docKey ?k }")
    assert set(result.graph) == {(RES.Document_000, SKG.docKey, Literal("000")),
                                 (RES.Document_004, SKG.docKey, Literal("004"))}


def test_named_graphs_are_kept(any_kg) -> None:
    result = any_kg.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    names = [str(row["g"]).rsplit("/", 1)[-1] for row in result]
    assert "ontology" in names and "sources" in names


def test_syntax_error_has_line_and_column(any_kg) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        any_kg.query("SELECT ?s\nWHERE { ?s ?p }")
    assert caught.value.line == 2


def test_counts_agree_across_stores(any_kg, kg) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert int(any_kg.query(text).bindings[0]["n"]) == int(kg.query(text).bindings[0]["n"])


def test_unreachable_endpoint_names_the_url(settings) -> None:
    from conftest import free_port

    url = f"http://127.0.0.1:{free_port()}/sparql"
    graph = load(settings, store=f"sparql:{url}")
    with pytest.raises(StoreError) as caught:
        graph.query("ASK {}")
    assert url in str(caught.value)


@pytest.mark.parametrize("spec, expected", [
    ("memory", ("memory", "")),
    ("oxigraph", ("oxigraph", "")),
    ("oxigraph:/tmp/kg", ("oxigraph", "/tmp/kg")),
    ("sparql:http://localhost:7878/query", ("sparql", "http://localhost:7878/query")),
    ("http://localhost:7878/query", ("sparql", "http://localhost:7878/query")),
])
def test_store_specs(spec, expected) -> None:
    assert parse_store_spec(spec) == expected


@pytest.mark.parametrize("spec", ["postgres", "sparql:", "memory:/x"])
def test_bad_store_spec_names_the_option(spec) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_store_spec(spec)
    assert str(caught.value).startswith("store:")


def test_on_disk_oxigraph_store_persists(settings, tmp_path) -> None:
    location = tmp_path / "store"
    first = load(settings, store=f"oxigraph:{location}")
    size = len(first)
    first.close()
    del first
    second = load(settings, store=f"oxigraph:{location}")
    assert len(second) == size > 0


# -- every named query, row for row, on rdflib's engine and on Oxigraph's -----------------------------

NAMED = sorted(catalogue(ROOT / "queries"))


@pytest.fixture(scope="module")
def oxigraph_kg(settings):
    graph = load(settings, store="oxigraph")
    yield graph
    graph.close()


def _rows(result, concatenated: set[str]) -> object:
    """Rows as comparable values: blank node labels are each store's own, the order inside a
    GROUP_CONCAT is the engine's choice, and numbers compare by value."""
    def value(name: str, term: object) -> object:
        if term is None:
            return None
        if isinstance(term, BNode):
            return "_:"
        if isinstance(term, Literal) and name in concatenated:
            return tuple(sorted(re.split(",? ", str(term))))
        if isinstance(term, Literal) and term.datatype in (XSD.decimal, XSD.double, XSD.float, XSD.integer):
            return (Decimal(str(term)).normalize(), term.datatype)
        return term
    if result.type == "ASK":
        return result.askAnswer
    if result.type == "CONSTRUCT":
        return sorted((value("", s), value("", p), value("", o)) for s, p, o in result.graph)
    return sorted((tuple(repr(value(str(v), row.get(v))) for v in result.vars) for row in result.bindings))


@pytest.mark.parametrize("name", NAMED)
def test_every_named_query_answers_the_same_on_rdflib_and_oxigraph(name: str, kg, oxigraph_kg) -> None:
    concatenated = set(re.findall(r"GROUP_CONCAT\(.*?\)\s*AS\s*\?(\w+)", (ROOT / "queries" / f"{name}.rq").read_text(),
                                  re.S | re.I))
    on_rdflib, on_oxigraph = kg.query(name), oxigraph_kg.query(name)
    assert on_rdflib.type == on_oxigraph.type
    assert _rows(on_rdflib, concatenated) == _rows(on_oxigraph, concatenated)

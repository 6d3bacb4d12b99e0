"""VALUES injection finds the WHERE pattern, not a brace in a comment, string, IRI or CONSTRUCT template."""

from __future__ import annotations

from rdflib import Literal, URIRef

from summitkg.binding import inject_values

X = {"x": URIRef("http://example.org/a")}
BLOCK = "VALUES (?x) { (<http://example.org/a>) }"


def test_select_without_where_keyword() -> None:
    assert inject_values("SELECT * { ?x ?p ?o }", X) == "SELECT * { " + BLOCK + "  ?x ?p ?o }"


def test_construct_template_is_skipped() -> None:
    out = inject_values("CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }", X)
    assert out == "CONSTRUCT { ?x ?p ?o } WHERE { " + BLOCK + "  ?x ?p ?o }"


def test_braces_and_where_in_comments_strings_and_iris_are_ignored() -> None:
    text = ('# a comment { WHERE\nPREFIX e: <http://e/{x}>\nSELECT ("WHERE {" AS ?s) '
            "WHERE { ?x e:p '''}''' }")
    out = inject_values(text, X)
    assert out.startswith(text[: text.index("WHERE { ?x") + 7] + " " + BLOCK)


def test_values_are_escaped_by_rdflib() -> None:
    out = inject_values("ASK { ?x ?p ?o }", {"x": Literal('say "hi" } ')})
    assert 'VALUES (?x) { ("say \\"hi\\" } ") }' in out


def test_no_bindings_leaves_text_alone() -> None:
    assert inject_values("ASK {}", {}) == "ASK {}"

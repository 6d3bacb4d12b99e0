"""Results display themselves in Jupyter (``_repr_html_``) and rows read by variable name."""

from __future__ import annotations

from summitkg import load


def test_select_renders_as_an_html_table(kg) -> None:
    html = kg.query("trade_by_year")._repr_html_()
    assert html.startswith("<table>")
    assert "<th>year</th>" in html and "from $8.1 billion in 2020" in html
    assert "<p>3 rows</p>" in html


def test_ask_and_construct_render(kg) -> None:
    assert "False" in kg.query("signed_agreements")._repr_html_()
    html = kg.query("CONSTRUCT { ?d skg:docKey ?k } WHERE { ?d skg:docKey ?k }")._repr_html_()
    assert "<th>subject</th>" in html and "Document_004" in html


def test_rows_by_name_on_every_store(any_kg) -> None:
    row = any_kg.query("SELECT ?k WHERE { res:Document_000 skg:docKey ?k }").bindings[0]
    assert str(row["k"]) == str(row.get("k")) == "000"


def test_public_load_is_lazy_and_typed() -> None:
    import summitkg

    assert summitkg.__all__ == ["__version__", "load", "KnowledgeGraph", "Settings", "SummitError"]
    assert load is summitkg.load

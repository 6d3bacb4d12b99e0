"""`summitkg docs`: the ontology's HTML documentation, opened in a real headless Chromium."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from rdflib import RDF, RDFS, Graph
from rdflib.namespace import OWL, SKOS

from summitkg.docs import EXAMPLES_PER_TERM, with_examples, write_docs
from summitkg.export import dataset_of

SKG = "https://w3id.org/summitkg/ontology#"
ONTOLOGY = Graph().parse(ROOT / "ontology" / "summitkg.ttl")
CLASSES = sorted(c for c in ONTOLOGY.subjects(RDF.type, OWL.Class) if str(c).startswith(SKG))
PROPERTIES = sorted(p for kind in (OWL.ObjectProperty, OWL.DatatypeProperty) for p in ONTOLOGY.subjects(RDF.type, kind))

#: Every documented term: its IRI, and each table row's heading → text, read from the page.
_SECTIONS = """() => Array.from(document.querySelectorAll('div.entity')).map(div => ({
  iri: (div.querySelector('code') || {}).textContent,
  title: div.querySelector('h3').textContent.trim(),
  rows: Object.fromEntries(Array.from(div.querySelectorAll('tr')).map(tr =>
    [tr.querySelector('th').textContent.trim(), tr.querySelector('td').innerText.trim()]))
}))"""


@pytest.fixture(scope="module")
def docs_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("docs") / "ontology"
    done = run_cli("docs", "-o", str(target))
    assert done.returncode == 0, done.stderr
    return target / "index.html"


@pytest.fixture
def sections(page, docs_page: Path) -> dict[str, dict]:
    page.goto(docs_page.as_uri())
    return {section["iri"]: section for section in page.evaluate(_SECTIONS)}


def test_page_loads_nothing_from_the_network(page, sections) -> None:
    assert sections
    assert all(url.startswith(("file:", "data:")) for url in page.requested_urls), page.requested_urls


def test_every_class_and_property_is_documented(sections) -> None:
    for term in CLASSES + PROPERTIES:
        section = sections.get(str(term))
        assert section is not None, term
        assert section["title"].startswith(str(ONTOLOGY.value(term, RDFS.label))), term
        assert section["rows"]["Description"] == str(ONTOLOGY.value(term, RDFS.comment)), term


def test_property_shows_domain_range_and_uses(sections) -> None:
    holds = sections[SKG + "holdsPosition"]["rows"]
    # pyLODE marks each linked class with a superscript "c".
    assert holds["Domain"] == "person c" and holds["Range"] == "political position c"
    # FACTS.md C001 and C007: Putin holds the office of President of Russia, Modi that of Prime Minister of India.
    assert "res:Vladimir_Putin (Vladimir Putin)\n  skg:holdsPosition\n    res:President_of_Russia" in holds["Example"]
    assert "res:Narendra_Modi (Narendra Modi)\n  skg:holdsPosition\n    res:Prime_Minister_of_India" in holds["Example"]


def test_class_shows_superclass_and_instances(sections) -> None:
    leader = sections[SKG + "Leader"]["rows"]
    assert "person" in leader["Sub Class Of"]
    # FACTS.md §1 names four leaders; the page shows the first three by IRI.
    examples = leader["Example"].splitlines()
    assert examples == ["res:Donald_Trump (Donald Trump)", "res:Narendra_Modi (Narendra Modi)",
                        "res:Vladimir_Putin (Vladimir Putin)"]


def test_examples_are_capped_and_logging_left_alone(kg, tmp_path: Path) -> None:
    ontology = with_examples(dataset_of(kg))
    for term in set(ontology.subjects(SKOS.example, None)):
        assert len(list(ontology.objects(term, SKOS.example))) <= EXAMPLES_PER_TERM
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    write_docs(dataset_of(kg), tmp_path / "docs")
    assert (list(root.handlers), root.level) == before  # pyLODE turns on DEBUG logging at import
    assert not list(tmp_path.joinpath("docs").glob("*.tmp"))


def test_docs_into_a_file_path_is_refused(tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("not a directory")
    done = run_cli("docs", "-o", str(taken))
    assert done.returncode == 2
    assert "-o" in done.stderr and "Traceback" not in done.stderr
    assert taken.read_text() == "not a directory"


def test_docs_cli_says_where(tmp_path: Path) -> None:
    done = run_cli("docs", "-o", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    assert str(tmp_path / "site" / "index.html") in done.stderr
    assert (tmp_path / "site" / "index.html").is_file()

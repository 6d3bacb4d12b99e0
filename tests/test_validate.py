"""`summitkg validate`: the shipped graph conforms; each kind of breakage is caught and named."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import DATA, run_cli
from summitkg.config import Settings
from summitkg.loading import discover, load_dataset
from summitkg.validate import validate_dataset


def _report(home: Path):
    settings = Settings(home=home)
    return validate_dataset(load_dataset(discover(settings)), settings)


def test_shipped_graph_conforms(settings) -> None:
    report = _report(settings.home)
    assert report.problems == []
    assert report.conforms
    assert report.checked_quotes >= 163  # FACTS.md holds 163 quotes; each is one reference


def test_cli_validate_passes_on_shipped_graph() -> None:
    done = run_cli("validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "conforms" in done.stdout


def test_tampered_quote_is_named(project_copy: Path) -> None:
    original = "Putin and Modi share a strong personal rapport"
    tampered = "Putin and Modi share a weak personal rapport"
    files = [p for p in (project_copy / "graph").glob("*.ttl") if original in p.read_text(encoding="utf-8")]
    assert files, "the quote of C027 should be in the graph"
    for path in files:
        path.write_text(path.read_text(encoding="utf-8").replace(original, tampered), encoding="utf-8")
    report = _report(project_copy)
    quote_problems = [p for p in report.problems if p.check == "quote"]
    assert [p.focus for p in quote_problems] == ["https://w3id.org/summitkg/resource/statement/C027"]
    assert tampered in quote_problems[0].message
    done = run_cli("validate", home=project_copy)
    assert done.returncode == 1
    assert "statement/C027" in done.stdout and tampered in done.stdout


def test_claim_without_source_and_observation_without_unit(project_copy: Path) -> None:
    shutil.copy(DATA / "violations.ttl", project_copy / "graph" / "violations.ttl")
    problems = {(p.focus.rsplit("/", 1)[-1], p.path, p.message) for p in _report(project_copy).problems}
    assert ("C901", "skg:reference", "a claim needs at least one skg:reference (source document and quote)") in problems
    assert ("C902", "skg:unit", "an observation needs exactly one skg:unit") in problems
    done = run_cli("validate", home=project_copy)
    assert done.returncode == 1
    assert "statement/C902 skg:unit: an observation needs exactly one skg:unit" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_sparql_constraints_report_every_focus_node(project_copy: Path) -> None:
    # The shapes' SPARQL constraints are parsed once per validation; each node must still be checked.
    shutil.copy(DATA / "sparql_violations.ttl", project_copy / "graph" / "sparql_violations.ttl")
    problems = {(p.focus.rsplit("/", 1)[-1], p.message) for p in _report(project_copy).problems}
    assert ("C903", "the direct triple of this statement is missing") in problems
    assert ("C904", "the direct triple of this statement is missing") in problems
    assert not any(focus.startswith("C0") or focus.startswith("C1") for focus, _ in problems)


def test_types_are_stated_not_inferred(project_copy: Path) -> None:
    # The shapes see the types the data states: a range does not make a country a visitor who is a
    # person, and a node with no type is reported instead of meeting no shape.
    shutil.copy(DATA / "type_violations.ttl", project_copy / "graph" / "type_violations.ttl")
    problems = {(p.check, p.focus.rsplit("/", 1)[-1], p.path, p.message) for p in _report(project_copy).problems}
    assert ("shacl", "Test_Visit", "skg:visitor", "a visit needs a visitor who is a person") in problems
    assert ("typed", "Untyped_Thing", "", "has no rdf:type, so no shape checks it") in problems
    assert len(problems) == 2, problems


def test_syntax_error_names_file_line_and_column(project_copy: Path) -> None:
    shutil.copy(DATA / "bad_syntax.ttl", project_copy / "graph" / "bad_syntax.ttl")
    done = run_cli("validate", home=project_copy)
    assert done.returncode != 0
    # Line 3 of the fixture is `res:Broken skg:partOf res:India res:Russia .`; the parser stops at column 33.
    assert "bad_syntax.ttl:3:33" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_validation_leaves_rdflib_datatypes_alone(settings) -> None:
    # owlrl (RDFS inference, no longer used) installed a gMonth converter that rejects "--10"; a
    # second load and validation in the same process must still conform.
    from rdflib import XSD, Literal

    assert _report(settings.home).conforms
    assert not Literal("--10", datatype=XSD.gMonth).ill_typed
    assert _report(settings.home).problems == []


def test_list_cells_need_no_type() -> None:
    from rdflib import Graph

    from summitkg.validate import check_typed

    data = Graph().parse(format="turtle", data="""
        @prefix owl: <http://www.w3.org/2002/07/owl#> .  @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skg: <https://w3id.org/summitkg/ontology#> .  @prefix res: <https://w3id.org/summitkg/resource/> .
        skg:Party a owl:Class ; owl:unionOf ( skg:Person skg:Country ) .
        res:Loose rdfs:label "loose"@en .
    """)
    assert [p.focus for p in check_typed(data)] == ["https://w3id.org/summitkg/resource/Loose"]

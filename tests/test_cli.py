"""The `summitkg` command as a user runs it: answers, and clear errors without tracebacks."""

from __future__ import annotations

import csv
import io
import json

from conftest import ROOT, run_cli


def _no_traceback(done) -> None:
    assert "Traceback" not in done.stdout + done.stderr


def test_help_is_the_documentation() -> None:
    done = run_cli("--help")
    assert done.returncode == 0
    for command in ("validate", "query", "queries", "info"):
        assert command in done.stdout


def test_inline_query_csv() -> None:
    done = run_cli("query", "SELECT ?key WHERE { ?d skg:docKey ?key } ORDER BY ?key", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert [r["key"] for r in csv.DictReader(io.StringIO(done.stdout))] == ["000", "004"]


def test_query_from_stdin_json() -> None:
    done = run_cli("query", "-", "--format", "json", stdin="ASK { res:Narendra_Modi skg:holdsPosition res:Prime_Minister_of_India }")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["boolean"] is True


def test_query_file(tmp_path) -> None:
    path = tmp_path / "docs.rq"
    path.write_text("SELECT ?key WHERE { ?d skg:docKey ?key } ORDER BY ?key\n")
    done = run_cli("query", str(path), "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["key", "000", "004"]


def test_syntax_error_exit_2_with_line_and_column() -> None:
    done = run_cli("query", "SELECT ?s WHERE {\n  ?s ?p ?o\n  FILTER(?s = ) }")
    assert done.returncode == 2
    assert "line 3" in done.stderr and "column" in done.stderr
    _no_traceback(done)


def test_unknown_named_query_suggests_names() -> None:
    names = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    assert names, "named queries ship in queries/"
    misspelt = names[0][:-1] + "x"
    done = run_cli("query", misspelt)
    assert done.returncode == 2
    assert names[0] in done.stderr
    _no_traceback(done)


def test_bad_store_option_is_named() -> None:
    done = run_cli("query", "ASK {}", "--store", "postgres")
    assert done.returncode == 2
    assert "store" in done.stderr
    _no_traceback(done)


def test_unreachable_endpoint_fails_fast_naming_url() -> None:
    from conftest import free_port

    url = f"http://127.0.0.1:{free_port()}/sparql"
    done = run_cli("query", "ASK {}", "--store", f"sparql:{url}", timeout=30)
    assert done.returncode != 0
    assert url in done.stderr
    _no_traceback(done)


def test_info_counts_graphs_and_classes() -> None:
    done = run_cli("info")
    assert done.returncode == 0, done.stderr
    assert "https://w3id.org/summitkg/graph/sources" in done.stdout
    assert "skg:Leader" in done.stdout


def test_running_a_query_imports_no_heavy_library() -> None:
    import subprocess
    import sys

    code = ("import sys, summitkg.cli as c; c.main(['query', 'trade_by_year', '--format', 'csv']); "
            "heavy = {'pyvis', 'pyshacl', 'SPARQLWrapper', 'uvicorn', 'starlette', 'networkx', 'pylode'}; "
            "print('LOADED', sorted(heavy & {m.split('.')[0] for m in sys.modules}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("LOADED []"), done.stdout[-300:]


def test_a_query_on_oxigraph_loads_neither_rdflibs_sparql_engine_nor_other_commands() -> None:
    """Oxigraph evaluates and writes the answer, so a cold `query` skips rdflib's SPARQL package
    (its parser alone is most of a tenth of a second) and the modules of commands it does not run."""
    import subprocess
    import sys

    code = ("import sys, summitkg.cli as c; c.main(['query', 'trade_by_year', '--format', 'json']); "
            "print('LOADED', sorted(m for m in sys.modules if m.startswith('rdflib.plugins.sparql') "
            "or m.endswith(('serve_cli', 'viz_cli', 'export_cli', 'synth_cli'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("LOADED []"), done.stdout[-300:]


def test_commands_in_other_modules_still_run_and_document_themselves() -> None:
    listed = run_cli("--help").stdout
    for command in ("serve", "viz", "stats", "path", "export", "push", "docs", "synth"):
        assert f"  {command} " in listed
    done = run_cli("stats", "--help")
    assert done.returncode == 0 and "PageRank" in done.stdout
    unknown = run_cli("servee")
    assert unknown.returncode == 2 and "No such command" in unknown.stderr


def test_every_results_format_says_the_same_on_both_embedded_stores() -> None:
    """Oxigraph writes its own answers and rdflib writes the memory store's: the rows must agree."""
    query = "SELECT ?key ?year WHERE { ?d skg:docKey ?key . OPTIONAL { ?d skg:nothing ?year } } ORDER BY ?key"
    csv_rows = {store: list(csv.reader(io.StringIO(run_cli("query", query, "--format", "csv", "--store", store).stdout)))
                for store in ("memory", "oxigraph")}
    assert csv_rows["memory"] == csv_rows["oxigraph"] == [["key", "year"], ["000", ""], ["004", ""]]
    answers = {}
    for store in ("memory", "oxigraph"):
        done = run_cli("query", query, "--format", "json", "--store", store)
        assert done.returncode == 0, done.stderr
        answers[store] = json.loads(done.stdout)
    for answer in answers.values():
        assert answer["head"]["vars"] == ["key", "year"]
        assert [row["key"]["value"] for row in answer["results"]["bindings"]] == ["000", "004"]
        assert all("year" not in row for row in answer["results"]["bindings"])
    xml = run_cli("query", query, "--format", "xml", "--store", "oxigraph")
    assert xml.returncode == 0 and "<literal>004</literal>" in xml.stdout

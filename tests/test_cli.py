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

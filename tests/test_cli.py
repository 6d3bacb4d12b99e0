"""The `summitkg` command as a user runs it: answers, and clear errors without tracebacks."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

from conftest import ROOT, run_cli, user_env


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
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=user_env(),
                          timeout=60)
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
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=user_env(),
                          timeout=60)  # the default store, Oxigraph
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
    """Oxigraph writes its own answers and rdflib writes the memory store's: in every results
    format both must say what the W3C formats say of these two rows (hand-written below)."""
    query = ("SELECT ?key ?n ?year WHERE { ?d skg:docKey ?key . BIND(STRLEN(?key) AS ?n) "
             "OPTIONAL { ?d skg:nothing ?year } } ORDER BY ?key")
    integer = "http://www.w3.org/2001/XMLSchema#integer"
    for store in ("memory", "oxigraph"):
        answers = {}
        for fmt in ("csv", "tsv", "json", "xml"):
            done = run_cli("query", query, "--format", fmt, "--store", store)
            assert done.returncode == 0, (store, fmt, done.stderr)
            answers[fmt] = done.stdout
        assert list(csv.reader(io.StringIO(answers["csv"]))) == [["key", "n", "year"], ["000", "3", ""], ["004", "3", ""]], store
        assert answers["tsv"].splitlines() == ["?key\t?n\t?year", '"000"\t3\t', '"004"\t3\t'], store
        answer = json.loads(answers["json"])
        assert answer["head"]["vars"] == ["key", "n", "year"], store
        assert answer["results"]["bindings"] == [
            {"key": {"type": "literal", "value": key}, "n": {"type": "literal", "value": "3", "datatype": integer}}
            for key in ("000", "004")], store
        results = ElementTree.fromstring(answers["xml"].encode())
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        assert [v.get("name") for v in results.findall("r:head/r:variable", ns)] == ["key", "n", "year"], store
        rows = [{b.get("name"): (b[0].text, b[0].get("datatype")) for b in result.findall("r:binding", ns)}
                for result in results.findall("r:results/r:result", ns)]
        assert rows == [{"key": (key, None), "n": ("3", integer)} for key in ("000", "004")], store


def test_every_answer_ends_its_last_line_so_the_shell_prompt_starts_on_a_new_one() -> None:
    select, construct = "SELECT ?key WHERE { ?d skg:docKey ?key }", "CONSTRUCT WHERE { ?d skg:docKey ?key }"
    for store in ("memory", "oxigraph"):
        for query, formats in ((select, ("csv", "tsv", "json", "xml")), (construct, ("ttl", "nt", "jsonld", "xml"))):
            for fmt in formats:
                done = run_cli("query", query, "--format", fmt, "--store", store)
                assert done.returncode == 0, (store, fmt, done.stderr)
                assert done.stdout.endswith("\n") and not done.stdout.endswith("\n\n\n"), (store, fmt, done.stdout[-40:])


def test_a_service_that_cannot_be_reached_is_a_clear_error_on_both_embedded_stores() -> None:
    from conftest import free_port

    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{free_port()}/sparql> {{ ?s ?p ?o }} }}"
    for store in ("memory", "oxigraph"):
        for fmt in ("json", "table"):
            done = run_cli("query", query, "--format", fmt, "--store", store, timeout=60)
            assert done.returncode == 1, (store, fmt, done.stderr)
            assert "the query evaluation" in done.stderr, (store, fmt, done.stderr)
            _no_traceback(done)

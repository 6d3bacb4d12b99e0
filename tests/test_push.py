"""`summitkg push` into real stores — an Oxigraph server started here, Virtuoso when installed — and back.

Every store is a real process on 127.0.0.1; the 401 store is a real HTTP server in this process.
"""

from __future__ import annotations

import http.server
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import free_port, require, run_cli, wait_for_http
from rdflib import Dataset, Literal, URIRef
from rdflib.term import BNode

from summitkg.errors import StoreError
from summitkg.export import dataset_of
from summitkg.kg import KnowledgeGraph, load
from summitkg.push import PushTarget, push

GRAPH = "https://w3id.org/summitkg/graph/"
#: Graph files in graph/ (and the ontology), pushed in name order.
# Push order: the ontology first, then the data graphs by name (graph/*.ttl file names).
FIRST_GRAPH, SECOND_GRAPH = GRAPH + "ontology", GRAPH + "deals_and_agreements"


class OxigraphServer:
    """`oxigraph serve` (read-write) or `serve-read-only` on a fixed port, stoppable and restartable."""

    def __init__(self, location: Path, *, read_only: bool = False) -> None:
        binary = shutil.which("oxigraph")
        require(binary is not None, "the `oxigraph` server (PyPI package oxigraph) is not on PATH")
        self.binary = binary
        self.location = location
        self.read_only = read_only
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> OxigraphServer:
        mode = "serve-read-only" if self.read_only else "serve"
        extra = [] if self.read_only else ["--union-default-graph"]
        self.process = subprocess.Popen([self.binary, mode, "--location", str(self.location),
                                         "--bind", f"127.0.0.1:{self.port}", *extra],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_http(f"{self.base}/query?query=ASK%7B%7D", process=self.process)
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[OxigraphServer]:
    """An empty read-write Oxigraph server of this test's own."""
    server = OxigraphServer(tmp_path / "store").start()
    try:
        yield server
    finally:
        server.kill()


def _store_count(base: str) -> int:
    remote = load(store=f"sparql:{base}/query")
    return len(remote)


def _comparable(term: object) -> object:
    """Numbers by value (stores write 23.0 as 23); GROUP_CONCAT parts in any order (the engine picks it),
    and without the language tag some engines drop from a concatenation."""
    if isinstance(term, Literal) and isinstance(term.toPython(), (int, float, Decimal)):
        return ("number", Decimal(str(term.toPython())).normalize())
    if isinstance(term, Literal) and term.datatype is None:
        # An empty GROUP_CONCAT is "" on Virtuoso and unbound on Oxigraph.
        return ("text", tuple(sorted(re.split(r",? ", str(term))))) if str(term) else None
    if isinstance(term, BNode):
        return "_:"
    return term


def _rows(kg: KnowledgeGraph, name: str) -> object:
    result = kg.query(name)
    if result.type == "ASK":
        return result.askAnswer
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return sorted((tuple(_comparable(t) for t in triple) for triple in result.graph), key=repr)
    return sorted((tuple(_comparable(row.get(v)) for v in result.vars) for row in result.bindings), key=repr)


@pytest.fixture(scope="module")
def embedded(settings) -> Iterator[KnowledgeGraph]:
    """The graph on the embedded Oxigraph store, to compare a remote store's answers with."""
    graph = load(settings, store="oxigraph")
    yield graph
    graph.close()


def _assert_same_rows(remote: KnowledgeGraph, embedded: KnowledgeGraph) -> None:
    """Every named query (with its default parameters) gives the same rows on both stores."""
    names = sorted(embedded.named_queries)
    assert len(names) >= 10
    for name in names:
        assert _rows(remote, name) == _rows(embedded, name), name


def test_push_replaces_and_queries_back(oxigraph: OxigraphServer, kg: KnowledgeGraph, embedded, settings) -> None:
    args = ("push", "--endpoint", f"{oxigraph.base}/store", "--query", f"{oxigraph.base}/query")
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr
    assert f"{len(kg)} triples sent" in first.stderr
    assert _store_count(oxigraph.base) == len(kg)

    again = run_cli(*args)
    assert again.returncode == 0, again.stderr
    assert _store_count(oxigraph.base) == len(kg)  # replaced, not duplicated

    remote = load(settings, store=f"sparql:{oxigraph.base}/query")
    _assert_same_rows(remote, embedded)
    # FACTS.md §1: the four leaders the documents name.
    assert sorted(str(row["name"]) for row in remote.query("leaders")) == [
        "Donald Trump", "Narendra Modi", "Vladimir Putin", "Xi Jinping"]


def test_push_without_query_endpoint_reads_graphs_back(oxigraph: OxigraphServer, kg: KnowledgeGraph) -> None:
    report = push(dataset_of(kg), PushTarget(f"{oxigraph.base}/store"))
    assert [g.method for g in report.graphs] == ["gsp"] * len(report.graphs)
    assert report.sent == report.held == len(kg)


def test_falls_back_to_sparql_update_in_batches(oxigraph: OxigraphServer, kg: KnowledgeGraph) -> None:
    # PUT to the query URL answers 404: this URL has no Graph Store Protocol, so INSERT DATA is used.
    target = PushTarget(f"{oxigraph.base}/query", update=f"{oxigraph.base}/update", query=f"{oxigraph.base}/query")
    batches: list[int] = []
    report = push(dataset_of(kg), target, batch_size=200, on_sent=lambda graph, n: batches.append(n))
    assert {g.method for g in report.graphs} == {"update"}
    assert max(batches) <= 200 and len(batches) > len(report.graphs)
    assert _store_count(oxigraph.base) == len(kg)
    push(dataset_of(kg), target, batch_size=200)
    assert _store_count(oxigraph.base) == len(kg)


def test_batches_keep_blank_node_structures_whole(oxigraph: OxigraphServer) -> None:
    dataset = Dataset()
    graph = dataset.graph(URIRef("http://example.org/g"))
    for i in range(30):
        node, inner = BNode(), BNode()
        graph.add((URIRef(f"http://example.org/s{i}"), URIRef("http://example.org/p"), node))
        graph.add((node, URIRef("http://example.org/q"), inner))
        graph.add((inner, URIRef("http://example.org/r"), Literal(i)))
    target = PushTarget(f"{oxigraph.base}/query", update=f"{oxigraph.base}/update", query=f"{oxigraph.base}/query")
    push(dataset, target, batch_size=4)
    remote = load(store=f"sparql:{oxigraph.base}/query")
    chains = remote.query("SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p>/<http://example.org/q>/"
                          "<http://example.org/r> ?v }")
    assert int(chains.bindings[0]["n"]) == 30


def test_no_graph_store_protocol_and_no_update_url(oxigraph: OxigraphServer, kg: KnowledgeGraph) -> None:
    done = run_cli("push", "--endpoint", f"{oxigraph.base}/query")
    assert done.returncode == 1
    assert f"{oxigraph.base}/query" in done.stderr and f"<{FIRST_GRAPH}>" in done.stderr
    assert "--update" in done.stderr and "Traceback" not in done.stderr


def test_unreachable_store_names_url_and_graph() -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    done = run_cli("push", "--endpoint", url)
    assert done.returncode == 1
    assert url in done.stderr and f"<{FIRST_GRAPH}>" in done.stderr and "cannot connect" in done.stderr
    assert "Traceback" not in done.stderr


def test_read_only_store_rejects_the_graph(tmp_path: Path, kg: KnowledgeGraph) -> None:
    server = OxigraphServer(tmp_path / "ro", read_only=True)
    (tmp_path / "ro").mkdir()
    subprocess.run([server.binary, "load", "--location", str(tmp_path / "ro"), "--file",
                    str(kg.sources[0].path)], check=True, capture_output=True)
    server.start()
    try:
        done = run_cli("push", "--endpoint", f"{server.base}/store")
    finally:
        server.kill()
    assert done.returncode == 1
    message = " ".join(done.stderr.split())
    assert f"{server.base}/store" in message and f"<{FIRST_GRAPH}>" in message
    assert "HTTP 403" in message and "read-only" in message
    assert "Traceback" not in done.stderr


def test_store_rejects_a_bad_graph(oxigraph: OxigraphServer) -> None:
    dataset = Dataset()
    bad = URIRef("http://example.org/bad-graph")
    # rdflib writes this IRI as it is; Oxigraph's parser rejects the malformed percent-encoding.
    dataset.graph(bad).add((URIRef("http://example.org/100%zz"), URIRef("http://example.org/p"), Literal("x")))
    with pytest.raises(StoreError) as caught:
        push(dataset, PushTarget(f"{oxigraph.base}/store"))
    message = str(caught.value)
    assert message.startswith(f"{oxigraph.base}/store: graph <{bad}>: HTTP 400")
    assert "Invalid IRI percent encoding" in message  # Oxigraph's own parse error, passed on


def test_push_cut_off_half_way_then_rerun(oxigraph: OxigraphServer, kg: KnowledgeGraph) -> None:
    target = PushTarget(f"{oxigraph.base}/store", query=f"{oxigraph.base}/query")
    confirmed: list[str] = []

    def stop_after_first(done) -> None:
        confirmed.append(done.graph)
        oxigraph.kill()

    with pytest.raises(StoreError) as caught:
        push(dataset_of(kg), target, on_graph=stop_after_first)
    assert confirmed == [FIRST_GRAPH]
    message = str(caught.value)
    assert f"{oxigraph.base}/store" in message and f"<{SECOND_GRAPH}>" in message and "run the push again" in message

    oxigraph.start()  # same port, same on-disk store: the first graph is still there
    assert _store_count(oxigraph.base) == len(kg.backend.dataset.graph(URIRef(FIRST_GRAPH)))
    report = push(dataset_of(kg), target)
    assert report.held == len(kg)
    assert _store_count(oxigraph.base) == len(kg)


class _Refuses(http.server.BaseHTTPRequestHandler):
    """A store that asks for Basic credentials and refuses every one, remembering what it was sent."""

    seen: list[str | None] = []

    def _refuse(self) -> None:
        type(self).seen.append(self.headers.get("Authorization"))
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = b"Unauthorized: wrong user or password\n"
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="summitkg test"')
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_PUT = do_GET = do_POST = _refuse

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def refusing_store() -> Iterator[str]:
    _Refuses.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Refuses)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/store"
    finally:
        server.shutdown()
        server.server_close()


def test_401_without_credentials_asks_for_them(refusing_store: str) -> None:
    done = run_cli("push", "--endpoint", refusing_store)
    assert done.returncode == 1
    message = " ".join(done.stderr.split())
    assert refusing_store in message and f"<{FIRST_GRAPH}>" in message and "HTTP 401" in message
    assert "--user" in message and "Traceback" not in done.stderr


def test_401_with_credentials_from_the_environment(refusing_store: str) -> None:
    done = run_cli("push", "--endpoint", refusing_store,
                   env={"SUMMITKG_PUSH_USER": "alice", "SUMMITKG_PUSH_PASSWORD": "secret"})
    assert done.returncode == 1
    message = " ".join(done.stderr.split())
    assert "refused the credentials of user 'alice'" in message and f"<{FIRST_GRAPH}>" in message
    assert "Basic YWxpY2U6c2VjcmV0" in _Refuses.seen  # base64 of alice:secret, sent after the challenge
    assert "secret" not in done.stderr


def test_bad_endpoint_url_names_the_option() -> None:
    done = run_cli("push", "--endpoint", "localhost:7878/store")
    assert done.returncode == 2
    assert "--endpoint" in done.stderr and "Traceback" not in done.stderr


# -- Virtuoso (Debian's virtuoso-opensource), when installed -----------------------------------------

_VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Virtuoso 7 server with its database in a temporary directory; yields its HTTP base URL."""
    binary = shutil.which("virtuoso-t")
    require(binary is not None and _VIRTUOSO_INI.is_file(),
            "Virtuoso is not installed (apt-get install virtuoso-opensource)")
    import re

    home = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = free_port(), free_port()
    ini = _VIRTUOSO_INI.read_text()
    ini = ini.replace("/var/lib/virtuoso-opensource-7/db/", f"{home}/")
    ini = re.sub(r"(?m)^(\[Parameters\][^\[]*?^ServerPort\s*=\s*)\S+", rf"\g<1>127.0.0.1:{sql_port}", ini)
    ini = re.sub(r"(?m)^(\[HTTPServer\][^\[]*?^ServerPort\s*=\s*)\S+", rf"\g<1>127.0.0.1:{http_port}", ini)
    (home / "virtuoso.ini").write_text(ini)
    process = subprocess.Popen([binary, "-f", "-c", str(home / "virtuoso.ini")], cwd=home,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_for_http(f"{base}/sparql?query=ASK%7B%7D", timeout=120, process=process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_virtuoso_round_trip(virtuoso: str, kg: KnowledgeGraph, embedded, settings) -> None:
    args = ("push", "--endpoint", f"{virtuoso}/sparql-graph-crud-auth", "--query", f"{virtuoso}/sparql",
            "--user", "dba", "--password", "dba")
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr
    again = run_cli(*args)
    assert again.returncode == 0, again.stderr
    remote = load(settings, store=f"sparql:{virtuoso}/sparql")
    count = f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH}")) }}'
    assert int(remote.query(count).bindings[0]["n"]) == len(kg)
    _assert_same_rows(remote, embedded)

"""`summitkg serve` as clients see it: the real server process, spoken to over HTTP.

The SPARQL 1.1 Protocol (every way to send a query, every result format parsed back, the
service description, CORS, the protocol's errors), the security cases (no file or URL is ever
fetched because a query names it, runaway queries are stopped and the server keeps answering),
100 concurrent clients, SPARQLWrapper and rdflib's SPARQLStore as clients, linked data, updates.
Expected values come from the source documents (FACTS.md), never from the code under test.
"""

from __future__ import annotations

import csv
import http.server
import io
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, free_port, run_cli
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from rdflib.query import Result
from serving import alive, descendants, stop, summitkg_server, wait_until

SKG = Namespace("https://w3id.org/summitkg/ontology#")
RES = Namespace("https://w3id.org/summitkg/resource/")
GRAPH = Namespace("https://w3id.org/summitkg/graph/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")

TIMEOUT = 3  # seconds per query on the test servers
MAX_ROWS = 1000

#: FACTS.md §2.10, O08–O10: the bilateral trade figures and their years.
TRADE = {"2020": "8.1", "2024": "63.6", "2025": "68.7"}
TRADE_QUERY = (ROOT / "queries" / "trade_by_year.rq").read_text(encoding="utf-8")
#: FACTS.md C001: Putin is President of Russia, quoted in both documents.
C001_QUOTE = "Russian President Vladimir Putin has begun a two-day visit to India"
LEADERS = "SELECT ?leader WHERE { ?leader a skg:Leader } ORDER BY ?leader"
PUTIN_OFFICE = "CONSTRUCT { res:Vladimir_Putin skg:holdsPosition ?office } WHERE { res:Vladimir_Putin skg:holdsPosition ?office }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def server(request: pytest.FixtureRequest) -> Iterator[str]:
    """The endpoint on the default store and on the embedded Oxigraph store (short limits for tests)."""
    with summitkg_server("--store", request.param, "--no-validate", "--timeout", str(TIMEOUT),
                         "--max-rows", str(MAX_ROWS), "--workers", "3", "--max-memory", "400") as served:
        yield served.url


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=60) as session:
        yield session


def sparql(server: str) -> str:
    return server + "/sparql"


def trade_years(rows: list[dict[str, str]]) -> dict[str, str]:
    return {row["year"]: row["value"] for row in rows}


def plain(result: Result) -> list[dict[str, str]]:
    """Rows of an rdflib result as plain strings by variable name."""
    return [{str(k): str(v) for k, v in row.items()} for row in result.bindings]


# -- the three ways to send a query --------------------------------------------------------------


def test_query_by_get(server: str, client: httpx.Client) -> None:
    response = client.get(sparql(server), params={"query": TRADE_QUERY})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    rows = [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]
    assert trade_years(rows) == TRADE


def test_query_by_post_form(server: str, client: httpx.Client) -> None:
    response = client.post(sparql(server), data={"query": TRADE_QUERY}, headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.text
    assert trade_years(list(csv.DictReader(io.StringIO(response.text)))) == TRADE


def test_query_by_post_body(server: str, client: httpx.Client) -> None:
    response = client.post(sparql(server), content=TRADE_QUERY.encode(),
                           headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+xml"})
    assert response.status_code == 200, response.text
    result = Result.parse(io.BytesIO(response.content), format="xml")
    assert trade_years(plain(result)) == TRADE


# -- every result format, parsed back -------------------------------------------------------------


@pytest.mark.parametrize("media_type, parse", [
    ("application/sparql-results+json", lambda b: Result.parse(io.BytesIO(b), format="json")),
    ("application/sparql-results+xml", lambda b: Result.parse(io.BytesIO(b), format="xml")),
    ("text/tab-separated-values", lambda b: Result.parse(io.StringIO(b.decode()), format="tsv")),
])
def test_select_formats_parse_back(server: str, client: httpx.Client, media_type: str, parse) -> None:
    response = client.get(sparql(server), params={"query": TRADE_QUERY}, headers={"Accept": media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert trade_years(plain(parse(response.content))) == TRADE


def test_select_csv_parses_back(server: str, client: httpx.Client) -> None:
    response = client.get(sparql(server), params={"query": LEADERS, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    leaders = [row["leader"] for row in csv.DictReader(io.StringIO(response.text))]
    assert str(RES.Vladimir_Putin) in leaders and str(RES.Narendra_Modi) in leaders


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_ask_formats(server: str, client: httpx.Client, fmt: str) -> None:
    response = client.get(sparql(server), params={"query": "ASK { res:Vladimir_Putin a skg:Leader }", "format": fmt})
    assert response.status_code == 200, response.text
    if fmt == "json":
        assert response.json()["boolean"] is True
    elif fmt == "xml":
        assert Result.parse(io.BytesIO(response.content), format="xml").askAnswer is True
    else:
        assert response.text.strip().lower() == "true"


@pytest.mark.parametrize("media_type, rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"), ("application/n-quads", "nquads"), ("application/trig", "trig"),
])
def test_construct_formats_parse_back(server: str, client: httpx.Client, media_type: str, rdflib_format: str) -> None:
    response = client.get(sparql(server), params={"query": PUTIN_OFFICE}, headers={"Accept": media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    parsed = Dataset() if rdflib_format in ("nquads", "trig") else Graph()
    parsed.parse(data=response.content, format=rdflib_format)
    triples = set(parsed.triples((None, None, None)))
    assert (RES.Vladimir_Putin, SKG.holdsPosition, RES.President_of_Russia) in triples


def test_accept_aliases_and_the_format_parameter(server: str, client: httpx.Client) -> None:
    as_json = client.get(sparql(server), params={"query": LEADERS}, headers={"Accept": "application/json"})
    assert as_json.headers["content-type"].startswith("application/sparql-results+json")
    by_name = client.get(sparql(server), params={"query": PUTIN_OFFICE, "format": "nt"})
    assert by_name.headers["content-type"].startswith("application/n-triples")
    quality = client.get(sparql(server), params={"query": LEADERS},
                         headers={"Accept": "text/csv;q=0.5, application/sparql-results+xml;q=0.9"})
    assert quality.headers["content-type"].startswith("application/sparql-results+xml")


@pytest.mark.parametrize("params, headers", [
    ({"query": LEADERS}, {"Accept": "image/png"}),
    ({"query": PUTIN_OFFICE}, {"Accept": "text/csv"}),
    ({"query": LEADERS, "format": "pdf"}, {}),
])
def test_what_we_cannot_produce_is_406(server: str, client: httpx.Client, params, headers) -> None:
    response = client.get(sparql(server), params=params, headers=headers)
    assert response.status_code == 406
    assert "available" in response.text


# -- the dataset: default-graph-uri and named-graph-uri -------------------------------------------


def test_default_graph_uri_selects_the_graph(server: str, client: httpx.Client) -> None:
    ask = "ASK { res:Vladimir_Putin a skg:Leader }"
    people = client.get(sparql(server), params={"query": ask, "default-graph-uri": str(GRAPH.people)})
    ontology = client.get(sparql(server), params={"query": ask, "default-graph-uri": str(GRAPH.ontology)})
    assert people.json()["boolean"] is True
    assert ontology.json()["boolean"] is False


def test_named_graph_uri_limits_graph_patterns(server: str, client: httpx.Client) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    response = client.post(sparql(server), data={"query": query, "named-graph-uri": [str(GRAPH.people), str(GRAPH.visit)]})
    graphs = [b["g"]["value"] for b in response.json()["results"]["bindings"]]
    assert graphs == [str(GRAPH.people), str(GRAPH.visit)]


def test_a_graph_we_do_not_hold_is_refused(server: str, client: httpx.Client) -> None:
    response = client.get(sparql(server), params={"query": "ASK {}", "default-graph-uri": "http://example.org/nope"})
    assert response.status_code == 400
    assert "no such graph" in response.text


# -- service description, CORS ----------------------------------------------------------------------


def test_service_description_in_turtle(server: str, client: httpx.Client) -> None:
    response = client.get(sparql(server))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    service = URIRef(sparql(server))
    assert (service, RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in graph
    formats = set(graph.objects(service, SD.resultFormat))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert URIRef("http://www.w3.org/ns/formats/Turtle") in formats
    names = set(graph.objects(None, SD.name))
    files = {p.stem for p in (ROOT / "graph").glob("*.ttl")}
    assert {GRAPH[name] for name in files} | {GRAPH.ontology} == names
    dataset = next(graph.objects(service, SD.defaultDataset))
    assert int(graph.value(dataset, VOID.triples)) > 0


def test_cors_lets_other_origins_call(server: str, client: httpx.Client) -> None:
    preflight = client.options(sparql(server), headers={"Origin": "http://notebook.example",
                                                        "Access-Control-Request-Method": "POST",
                                                        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    simple = client.get(sparql(server), params={"query": "ASK {}"}, headers={"Origin": "http://notebook.example"})
    assert simple.headers["access-control-allow-origin"] == "*"


# -- the protocol's errors ----------------------------------------------------------------------------


def test_syntax_error_says_line_and_column(server: str, client: httpx.Client) -> None:
    response = client.get(sparql(server), params={"query": "SELECT ?s\nWHERE { ?s ?p }"})
    assert response.status_code == 400
    assert "line 2" in response.text and "column" in response.text


@pytest.mark.parametrize("send, status, says", [
    (lambda c, u: c.get(u, params=[("query", "ASK {}"), ("query", "ASK {}")]), 400, "2 times"),
    (lambda c, u: c.post(u, data={"query": "ASK {}", "update": "CLEAR ALL"}), 400, "not both"),
    (lambda c, u: c.post(u, content=b"ASK {}", headers={"Content-Type": "text/plain"}), 415, "Content-Type"),
    (lambda c, u: c.post(u, content=b"ASK {}", headers={"Content-Type": "application/sparql-query; charset=latin-1"}),
     415, "charset"),
    (lambda c, u: c.get(u, params={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}), 400, "update"),
    (lambda c, u: c.post(u, data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}), 403, "read-only"),
    (lambda c, u: c.get(u, params={"update": "CLEAR ALL"}), 400, "POST"),
    (lambda c, u: c.post(u, content=b"", headers={"Content-Type": "application/sparql-query"}), 400, "empty"),
    (lambda c, u: c.post(u, content=b"x" * 2_000_000, headers={"Content-Type": "application/sparql-query"}),
     413, "at most"),
    (lambda c, u: c.get(u + "?query=ASK%zz%7B%7D"), 400, "percent-encoding"),
    (lambda c, u: c.get(u + "?query=ASK%C3%28%7B%7D"), 400, "UTF-8"),
    (lambda c, u: c.post(u, content=b"ASK { \xff }", headers={"Content-Type": "application/sparql-query"}), 400, "UTF-8"),
    (lambda c, u: c.post(u, data={"query": "SELECT * WHERE " + "{" * 5000 + "}" * 5000}), 400, "deep"),
    (lambda c, u: c.post(u, data={"query": "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }"}),
     400, "deep"),
    (lambda c, u: c.post(u, data={"query": "ASK { " + "?s ?p ?o . " * 20_000 + "}"}), 413, "at most"),
    (lambda c, u: c.delete(u), 405, ""),
])
def test_protocol_errors_are_4xx(server: str, client: httpx.Client, send, status: int, says: str) -> None:
    response = send(client, sparql(server))
    assert response.status_code == status, response.text
    assert says in response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s " + "/".join(["<urn:p>"] * 5000) + " ?o }",  # crashes Oxigraph's parser on an 8 MB stack
    "SELECT * WHERE { ?s <urn:p> " + "(" * 2000 + "?o" + ")" * 2000 + " }",
    "SELECT * WHERE { FILTER(" + "!" * 20_000 + "true) }",
    "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 7000) + " }",
])
def test_hostile_shapes_never_cost_a_500_or_the_server(server: str, client: httpx.Client, query: str) -> None:
    response = client.post(sparql(server), data={"query": query})
    assert response.status_code != 500 and response.status_code < 600, response.text
    assert "Traceback" not in response.text


def test_a_huge_request_line_is_refused(server: str) -> None:
    import socket
    from urllib.parse import urlsplit

    address = urlsplit(server)
    with socket.create_connection((address.hostname, address.port), timeout=30) as raw:
        raw.sendall(b"GET /sparql?query=ASK%7B%7D" + b"%20" * 300_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        assert raw.recv(64).startswith(b"HTTP/1.1 4")


def test_nothing_above_breaks_the_server(server: str, client: httpx.Client) -> None:
    for _ in range(3):
        client.post(sparql(server), data={"query": "SELECT * WHERE " + "{" * 5000 + "}" * 5000})
    assert client.get(sparql(server), params={"query": "ASK { res:Vladimir_Putin a skg:Leader }"}).json()["boolean"]


# -- never fetch what a query names -------------------------------------------------------------------


@pytest.fixture(scope="module")
def trap() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request: nothing may ever reach it."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.end_headers()
            self.wfile.write(b"<urn:trap> <urn:was> <urn:fetched> .\n")

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()


@pytest.mark.parametrize("query", [
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "BASE <file:///etc/> SELECT * FROM <passwd> WHERE { ?s ?p ?o }",
    "PREFIX f: <file:///etc/> SELECT * FROM f:passwd WHERE { ?s ?p ?o }",
])
def test_from_a_file_returns_no_file_content(server: str, client: httpx.Client, query: str) -> None:
    response = client.get(sparql(server), params={"query": query})
    assert response.status_code == 400
    assert "root:" not in response.text
    assert "no such graph" in response.text


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{trap}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{trap}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{trap}/sparql> {{ ?s ?p ?o }} }}",
    "PREFIX t: <{trap}/> SELECT * WHERE {{ service t:sparql {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{trap}/sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * FROM <{trap}/data.ttl> WHERE {{ ?s ?p ?o }}",
])
def test_no_url_is_fetched_because_a_query_names_it(server: str, client: httpx.Client, trap, template: str) -> None:
    url, hits = trap
    before = len(hits)
    response = client.get(sparql(server), params={"query": template.format(trap=url)})
    assert response.status_code in (400, 403), response.text
    assert "urn:fetched" not in response.text
    assert len(hits) == before


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def federating(request: pytest.FixtureRequest, oxigraph_server: str) -> Iterator[tuple[str, str]]:
    """A server allowed to call one SERVICE: a real Oxigraph server holding the same graph."""
    with summitkg_server("--store", request.param, "--no-validate", "--service-allow", oxigraph_server,
                         "--timeout", "20", "--workers", "2") as served:
        yield served.url, oxigraph_server


def test_service_reaches_an_allowed_endpoint_only(federating, client: httpx.Client, trap) -> None:
    url, allowed = federating
    query = f"SELECT ?class WHERE {{ SERVICE <{allowed}> {{ <{RES.Vladimir_Putin}> a ?class }} }}"
    response = client.get(sparql(url), params={"query": query})
    assert response.status_code == 200, response.text
    assert [b["class"]["value"] for b in response.json()["results"]["bindings"]] == [str(SKG.Leader)]
    description = Graph().parse(data=client.get(sparql(url)).text, format="turtle")
    assert (URIRef(sparql(url)), SD.feature, SD.BasicFederatedQuery) in description
    trap_url, hits = trap
    before = len(hits)
    refused = client.get(sparql(url), params={"query": f"SELECT * WHERE {{ SERVICE <{trap_url}/sparql> {{ ?s ?p ?o }} }}"})
    assert refused.status_code == 403 and allowed in refused.text
    assert len(hits) == before


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_an_allowed_service_that_is_down_is_a_502_naming_the_evaluation(store: str, client: httpx.Client) -> None:
    down = f"http://127.0.0.1:{free_port()}/sparql"  # nothing listens there
    with summitkg_server("--store", store, "--no-validate", "--service-allow", down, "--workers", "2") as served:
        response = client.get(sparql(served.url), params={"query": f"SELECT * WHERE {{ SERVICE <{down}> {{ ?s ?p ?o }} }}"})
        assert response.status_code == 502, response.text
        assert "the query evaluation" in response.text and "Traceback" not in response.text
        assert client.get(sparql(served.url), params={"query": "ASK {}"}).status_code == 200  # still serving


# -- limits: time and rows ------------------------------------------------------------------------


def test_a_runaway_query_is_stopped_and_others_are_answered_meanwhile(server: str) -> None:
    answered_during: list[int] = []
    with httpx.Client(timeout=60) as slow, httpx.Client(timeout=60) as fast:
        started = time.monotonic()
        with ThreadPoolExecutor(1) as pool:
            runaway = pool.submit(slow.post, sparql(server), data={"query": RUNAWAY})
            time.sleep(0.5)
            while not runaway.done():
                answer = fast.get(sparql(server), params={"query": "ASK { res:Vladimir_Putin a skg:Leader }"})
                if not runaway.done():
                    answered_during.append(answer.status_code)
                time.sleep(0.2)
            stopped = runaway.result()
        elapsed = time.monotonic() - started
        assert stopped.status_code == 503
        assert f"{TIMEOUT} s time limit" in stopped.text
        assert elapsed < TIMEOUT + 15  # stopped at the limit, not left to finish
        assert answered_during and set(answered_during) == {200}
        after = fast.get(sparql(server), params={"query": TRADE_QUERY})
        assert after.status_code == 200
        assert trade_years([{k: v["value"] for k, v in b.items()} for b in after.json()["results"]["bindings"]]) == TRADE


def test_a_query_that_wants_too_much_memory_fails_alone(server: str, client: httpx.Client) -> None:
    hungry = client.post(sparql(server), data={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f ?b"})
    assert hungry.status_code == 503
    assert "memory" in hungry.text or "time limit" in hungry.text
    assert client.get(sparql(server), params={"query": "ASK { res:Vladimir_Putin a skg:Leader }"}).json()["boolean"]


def test_long_answers_are_cut_at_the_row_limit(server: str, client: httpx.Client) -> None:
    response = client.get(sparql(server), params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "json"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == MAX_ROWS
    assert response.headers["x-sparql-maxrows"] == str(MAX_ROWS)
    construct = client.get(sparql(server), params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
    assert len(construct.text.strip().splitlines()) == MAX_ROWS
    short = client.get(sparql(server), params={"query": LEADERS})
    assert "x-sparql-maxrows" not in short.headers


def test_a_hundred_concurrent_clients(server: str) -> None:
    def one(i: int) -> bool:
        with httpx.Client(timeout=120) as session:
            if i % 2:
                response = session.get(sparql(server), params={"query": TRADE_QUERY})
                rows = [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]
                return response.status_code == 200 and trade_years(rows) == TRADE
            response = session.post(sparql(server), data={"query": "ASK { res:Narendra_Modi a skg:Leader }"},
                                    headers={"Accept": "text/csv"})
            return response.status_code == 200 and response.text.strip() == "true"

    with ThreadPoolExecutor(100) as pool:
        answers = list(pool.map(one, range(100)))
    assert answers == [True] * 100


# -- other clients: SPARQLWrapper and rdflib's SPARQLStore ---------------------------------------


def test_sparqlwrapper_as_a_client(server: str) -> None:
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    wrapper = SPARQLWrapper(sparql(server))
    wrapper.setQuery(TRADE_QUERY)
    wrapper.setReturnFormat(JSON)
    rows = [{k: v["value"] for k, v in b.items()} for b in wrapper.queryAndConvert()["results"]["bindings"]]
    assert trade_years(rows) == TRADE
    wrapper.setQuery("PREFIX res: <https://w3id.org/summitkg/resource/>\nPREFIX skg: <https://w3id.org/summitkg/ontology#>\n"
                     + PUTIN_OFFICE)
    wrapper.setReturnFormat(TURTLE)
    wrapper.setMethod("POST")
    graph = Graph().parse(data=wrapper.query().response.read(), format="turtle")
    assert (RES.Vladimir_Putin, SKG.holdsPosition, RES.President_of_Russia) in graph


def test_rdflib_sparqlstore_as_a_client(server: str) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(sparql(server), returnFormat="json"))
    assert (RES.Vladimir_Putin, RDF.type, SKG.Leader) in graph
    rows = graph.query(TRADE_QUERY)
    assert {str(r.year): str(r.value) for r in rows} == TRADE


# -- linked data: the resource IRIs' paths -----------------------------------------------------------


@pytest.mark.parametrize("media_type, rdflib_format", [
    ("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt"),
])
def test_resource_paths_return_rdf_when_asked(server: str, client: httpx.Client, media_type: str,
                                              rdflib_format: str) -> None:
    response = client.get(server + "/resource/Vladimir_Putin", headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert (RES.Vladimir_Putin, SKG.holdsPosition, RES.President_of_Russia) in graph
    assert Literal(C001_QUOTE) in set(graph.objects(None, SKG.quote))


def test_resource_paths_are_pages_for_browsers(server: str, client: httpx.Client) -> None:
    page = client.get(server + "/resource/Vladimir_Putin", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.headers["content-type"].startswith("text/html")
    assert "Vladimir Putin" in page.text and C001_QUOTE in page.text
    missing = client.get(server + "/resource/No_Such_Entity", headers={"Accept": "text/html"})
    assert missing.status_code == 404


# -- process hygiene ----------------------------------------------------------------------------------


def test_stopping_the_server_stops_every_worker() -> None:
    with summitkg_server("--no-validate", "--workers", "2", "--timeout", "30") as served:
        with httpx.Client(timeout=5) as session:
            try:
                session.post(sparql(served.url), data={"query": RUNAWAY})  # a worker is busy when we stop
            except httpx.TimeoutException:
                pass
        family = descendants(served.process.pid)
        assert len(family) >= 3  # the zygote and two workers
        stop(served.process)
        assert wait_until(lambda: not alive(family)), f"left running: {alive(family)}"


def test_a_taken_port_is_a_clear_error() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        done = run_cli("serve", "--no-validate", "--port", str(taken.getsockname()[1]))
    assert done.returncode != 0
    assert "cannot listen" in done.stderr and "--port" in done.stderr
    assert "Traceback" not in done.stderr


# -- the validation gate and --get ----------------------------------------------------------------------


def test_get_prints_one_response() -> None:
    done = run_cli("serve", "--no-validate", "--get", "/sparql?query=ASK%7Bres:Vladimir_Putin%20a%20skg:Leader%7D")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["boolean"] is True


def test_serve_refuses_a_graph_that_does_not_validate(project_copy: Path) -> None:
    people = project_copy / "graph" / "people.ttl"
    people.write_text(people.read_text(encoding="utf-8").replace("a skg:Leader", "a skg:NoSuchClass", 1), encoding="utf-8")
    refused = run_cli("serve", "--get", "/sparql?query=ASK%7B%7D", home=project_copy)
    assert refused.returncode != 0
    assert "not served" in refused.stderr and "--no-validate" in refused.stderr
    assert "Traceback" not in refused.stderr
    anyway = run_cli("serve", "--no-validate", "--get", "/sparql?query=ASK%7B%7D", home=project_copy)
    assert anyway.returncode == 0, anyway.stderr


def test_serve_names_the_place_when_the_shapes_do_not_parse(project_copy: Path, tmp_path: Path) -> None:
    # The broken file is named with its line and column, and nothing is served.
    shapes = project_copy / "ontology" / "shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\nskg:Broken sh:path .\n", encoding="utf-8")
    refused = run_cli("serve", "--get", "/sparql?query=ASK%7B%7D", home=project_copy,
                      env={"SUMMITKG_CACHE": str(tmp_path / "cache")})
    assert refused.returncode != 0
    assert "shapes.ttl:" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert refused.stdout == ""


def test_a_graph_that_passed_is_not_validated_again_until_it_changes(project_copy: Path, tmp_path: Path) -> None:
    cache = {"SUMMITKG_CACHE": str(tmp_path / "cache")}
    ask = "/sparql?query=ASK%7Bres:Vladimir_Putin%20a%20skg:Leader%7D"
    first = run_cli("serve", "--get", ask, home=project_copy, env=cache)
    assert first.returncode == 0, first.stderr
    assert "passed on" not in first.stderr
    assert len(list((tmp_path / "cache" / "validated").glob("*.json"))) == 1
    again = run_cli("serve", "--get", ask, home=project_copy, env=cache)
    assert again.returncode == 0 and json.loads(again.stdout)["boolean"] is True
    assert "this exact graph passed on" in again.stderr
    # A quote that no longer occurs verbatim in its document: the texts are part of what was checked.
    text = project_copy / "graph" / "sources" / "004_8d5b412fad35b7b5.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("S-400", "S-500"), encoding="utf-8")
    changed = run_cli("serve", "--get", ask, home=project_copy, env=cache)
    assert changed.returncode != 0 and "not served" in changed.stderr


# -- updates: only with --allow-update and the token ---------------------------------------------------


TOKEN = "test-token-3f9a"
SCRATCH = "http://example.org/graph/scratch"


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def writable(request: pytest.FixtureRequest) -> Iterator[str]:
    with summitkg_server("--store", request.param, "--no-validate", "--allow-update", "--token", TOKEN,
                         "--timeout", str(TIMEOUT), "--workers", "2") as served:
        yield served.url


def test_updates_need_the_token(writable: str, client: httpx.Client) -> None:
    update = {"update": "INSERT DATA { <urn:x:a> <urn:x:b> \"unauthorised\" }"}
    missing = client.post(sparql(writable), data=update)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    wrong = client.post(sparql(writable), data=update, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    ask = client.get(sparql(writable), params={"query": 'ASK { ?s ?p "unauthorised" }'})
    assert ask.json()["boolean"] is False


def test_an_update_with_the_token_changes_what_queries_see(writable: str, client: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    done = client.post(sparql(writable), content=b'INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> "inserted" } }',
                       headers={"Content-Type": "application/sparql-update", **auth})
    assert done.status_code == 204, done.text
    assert client.get(sparql(writable), params={"query": 'ASK { ?s ?p "inserted" }'}).json()["boolean"] is True
    assert client.get(writable + "/resource/Vladimir_Putin", headers={"Accept": "text/html"}).status_code == 200
    bad = client.post(sparql(writable), data={"update": "INSERT DATA { <urn:a> }"}, headers=auth)
    assert bad.status_code == 400 and "line 1" in bad.text


def test_load_is_refused_even_with_the_token(writable: str, client: httpx.Client, trap) -> None:
    url, hits = trap
    before = len(hits)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for target in ("file:///etc/passwd", f"{url}/data.ttl"):
        response = client.post(sparql(writable), data={"update": f"LOAD <{target}>"}, headers=auth)
        assert response.status_code == 403
    assert len(hits) == before


def test_graph_store_protocol(writable: str, client: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    store = writable + "/store"
    turtle = b'<urn:x:s> <urn:x:p> "first" .'
    assert client.put(store, params={"graph": SCRATCH}, content=turtle, headers={"Content-Type": "text/turtle"}).status_code == 401
    assert client.put(store, params={"graph": SCRATCH}, content=turtle,
                      headers={"Content-Type": "text/turtle", **auth}).status_code == 201
    assert client.post(store, params={"graph": SCRATCH}, content=b'<urn:x:s> <urn:x:p> "second" .',
                       headers={"Content-Type": "application/n-triples", **auth}).status_code == 204
    read = client.get(store, params={"graph": SCRATCH}, headers={"Accept": "application/n-triples"})
    assert sorted(str(o) for o in Graph().parse(data=read.text, format="nt").objects()) == ["first", "second"]
    assert client.put(store, params={"graph": SCRATCH}, content=b"<urn:x:s> <urn:x:p",
                      headers={"Content-Type": "text/turtle", **auth}).status_code == 400
    assert client.put(store, params={"graph": SCRATCH}, content=turtle,
                      headers={"Content-Type": "image/png", **auth}).status_code == 415
    assert client.delete(store, params={"graph": SCRATCH}, headers=auth).status_code == 204
    assert client.get(store, params={"graph": SCRATCH}).status_code == 404


def test_the_read_only_server_refuses_graph_store_writes(server: str, client: httpx.Client) -> None:
    response = client.put(server + "/store", params={"graph": SCRATCH}, content=b"<urn:a> <urn:b> <urn:c> .",
                          headers={"Content-Type": "text/turtle", "Authorization": "Bearer anything"})
    assert response.status_code == 403
    read = client.get(server + "/store", params={"graph": str(GRAPH.people)}, headers={"Accept": "text/turtle"})
    assert (RES.Vladimir_Putin, RDF.type, SKG.Leader) in Graph().parse(data=read.text, format="turtle")

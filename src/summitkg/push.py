"""Load the dataset into any SPARQL 1.1 store, one named graph at a time, and check what the store holds.

Each named graph goes in one SPARQL 1.1 Graph Store HTTP Protocol ``PUT ?graph=IRI``, which
*replaces* that graph, so pushing again never duplicates triples. A store without the Graph
Store Protocol (a 404, 405 or 501 to the PUT) gets ``DROP SILENT GRAPH`` then ``INSERT DATA`` in
batches through SPARQL 1.1 Update; blank nodes that link triples stay in one batch. After each
graph, the store is asked how many triples it holds there (a ``COUNT`` on the query endpoint, or
a GET of the graph) and a difference is an error.

httpx rather than SPARQLWrapper: the push needs PUT, GET and POST with one authentication that
answers either a Basic or a Digest challenge (Virtuoso asks for Digest).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field

import httpx
from rdflib import BNode, Dataset, Graph

from .errors import ConfigError, StoreError
from .export import named_graphs

__all__ = ["PushTarget", "GraphPushed", "PushReport", "push"]

#: PUT answers that mean "no Graph Store Protocol here", so SPARQL Update is tried instead.
_NO_GSP = (404, 405, 501)
#: N-Triples is a subset of Turtle, and every store reads Turtle.
_TURTLE = "text/turtle; charset=utf-8"


@dataclass(frozen=True)
class PushTarget:
    """Where to push: the Graph Store Protocol URL, and optionally the Update and query endpoints."""

    gsp: str
    update: str | None = None
    query: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 60.0

    def __post_init__(self) -> None:
        for option, url in (("--endpoint", self.gsp), ("--update", self.update), ("--query", self.query)):
            if url is not None and not url.startswith(("http://", "https://")):
                raise ConfigError(f"expected an http:// or https:// URL, got {url!r}", name=option)
        if self.password is not None and self.user is None:
            raise ConfigError("a password needs a user name too", name="--user")


@dataclass(frozen=True)
class GraphPushed:
    graph: str
    sent: int
    held: int
    #: ``gsp`` (one PUT) or ``update`` (INSERT DATA batches).
    method: str


@dataclass
class PushReport:
    target: PushTarget
    graphs: list[GraphPushed] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return sum(g.sent for g in self.graphs)

    @property
    def held(self) -> int:
        return sum(g.held for g in self.graphs)

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(g.graph)}</td><td>{g.sent}</td><td>{g.held}</td><td>{g.method}</td></tr>"
                       for g in self.graphs)
        return (f"<p>pushed to {html.escape(self.target.gsp)}: {self.sent} triples sent, {self.held} held</p>"
                f"<table><tr><th>named graph</th><th>sent</th><th>in store</th><th>by</th></tr>{rows}</table>")


def push(dataset: Dataset, target: PushTarget, *, batch_size: int = 5000,
         on_sent: Callable[[str, int], None] | None = None,
         on_graph: Callable[[GraphPushed], None] | None = None) -> PushReport:
    """Send every named graph of ``dataset`` to ``target`` and check the store's counts.

    ``on_sent(graph, n)`` is told as triples leave (for a progress bar); ``on_graph`` as each
    graph is confirmed.

    :raises StoreError: naming the URL and the graph, when the store cannot be reached, refuses
        the credentials, rejects a graph or holds a different number of triples afterwards.
    """
    if batch_size < 1:
        raise ConfigError(f"must be at least 1, got {batch_size}", name="--batch-size")
    report = PushReport(target)
    auth = _ChallengeAuth(target.user, target.password or "") if target.user else None
    with httpx.Client(timeout=target.timeout, auth=auth) as client:
        session = _Session(client, target)
        for graph in named_graphs(dataset):
            name = str(graph.identifier)
            method = session.put(graph)
            if method == "update":
                for batch in _batches(graph, batch_size):
                    session.insert(name, batch)
                    if on_sent:
                        on_sent(name, len(batch))
            elif on_sent:
                on_sent(name, len(graph))
            held = session.count(name)
            if held != len(graph):
                raise StoreError(f"graph <{name}>: the store holds {held} triples after the push, "
                                 f"{len(graph)} were sent", location=session.count_url)
            done = GraphPushed(name, len(graph), held, method)
            report.graphs.append(done)
            if on_graph:
                on_graph(done)
    return report


class _Session:
    """The HTTP exchanges of one push, each turning a failure into a StoreError naming URL and graph."""

    def __init__(self, client: httpx.Client, target: PushTarget) -> None:
        self.client = client
        self.target = target
        self.use_update = False

    @property
    def count_url(self) -> str:
        return self.target.query or self.target.gsp

    def put(self, graph: Graph) -> str:
        """PUT the graph; ``"update"`` when the store has no Graph Store Protocol and Update must be used."""
        name = str(graph.identifier)
        if not self.use_update:
            body = graph.serialize(format="nt11", encoding="utf-8")
            response = self._send("PUT", self.target.gsp, name, params={"graph": name}, content=body,
                                  headers={"Content-Type": _TURTLE})
            if response.is_success:
                return "gsp"
            if response.status_code not in _NO_GSP:
                self._fail(response, self.target.gsp, name)
            if self.target.update is None:
                raise StoreError(f"graph <{name}>: HTTP {response.status_code} to a Graph Store Protocol PUT "
                                 f"({_reason(response)}); this URL does not take PUT ?graph=…: give the store's "
                                 "Graph Store Protocol URL, or --update URL to push with SPARQL Update",
                                 location=self.target.gsp)
            self.use_update = True
        self.update(name, f"DROP SILENT GRAPH <{name}>")
        return "update"

    def insert(self, name: str, triples: list) -> None:
        batch = Graph()
        for triple in triples:
            batch.add(triple)
        body = batch.serialize(format="nt11")
        self.update(name, f"INSERT DATA {{ GRAPH <{name}> {{\n{body}}} }}")

    def update(self, name: str, text: str) -> None:
        url = self.target.update or ""
        response = self._send("POST", url, name, content=text.encode("utf-8"),
                              headers={"Content-Type": "application/sparql-update; charset=utf-8"})
        if not response.is_success:
            self._fail(response, url, name)

    def count(self, name: str) -> int:
        """How many triples the store holds in graph ``name``."""
        if self.target.query:
            text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
            response = self._send("POST", self.target.query, name, data={"query": text},
                                  headers={"Accept": "application/sparql-results+json"})
            if not response.is_success:
                self._fail(response, self.target.query, name)
            try:
                return int(json.loads(response.content)["results"]["bindings"][0]["n"]["value"])
            except (ValueError, KeyError, IndexError, TypeError) as error:
                raise StoreError(f"graph <{name}>: the count query did not return SPARQL JSON results",
                                 location=self.target.query) from error
        response = self._send("GET", self.target.gsp, name, params={"graph": name},
                              headers={"Accept": "application/n-triples, text/turtle;q=0.9"})
        if not response.is_success:
            self._fail(response, self.target.gsp, name)
        media_type = response.headers.get("Content-Type", "text/turtle").split(";")[0].strip()
        held = Graph()
        try:
            held.parse(data=response.content, format="nt" if media_type == "application/n-triples" else "turtle")
        except Exception as error:
            raise StoreError(f"graph <{name}>: could not read the graph back ({media_type}): {error}",
                             location=self.target.gsp) from error
        return len(held)

    def _send(self, method: str, url: str, name: str, **kwargs) -> httpx.Response:
        try:
            return self.client.request(method, url, **kwargs)
        except httpx.TimeoutException as error:
            raise self._unreachable(url, name, f"no answer within {self.target.timeout:g} s") from error
        except httpx.ConnectError as error:
            raise self._unreachable(url, name, f"cannot connect ({_cause(error)})") from error
        except httpx.TransportError as error:
            raise self._unreachable(url, name, f"the connection broke off ({_cause(error)})") from error

    @staticmethod
    def _unreachable(url: str, name: str, problem: str) -> StoreError:
        return StoreError(f"graph <{name}>: {problem}. Graphs confirmed before it are in the store; run the "
                          "push again when the store is back: each graph is replaced, never duplicated",
                          location=url)

    def _fail(self, response: httpx.Response, url: str, name: str) -> None:
        status = response.status_code
        if status == 401:
            hint = (f"the store refused the credentials of user {self.target.user!r}" if self.target.user else
                    "the store wants credentials: give --user and --password "
                    "(or SUMMITKG_PUSH_USER and SUMMITKG_PUSH_PASSWORD)")
        elif status == 403:
            hint = "the store refuses to write (read-only, or the user may not write)"
        else:
            hint = "the store rejected it"
        raise StoreError(f"graph <{name}>: HTTP {status} {response.reason_phrase}: {hint}. "
                         f"The store said: {_reason(response)}", location=url)


class _ChallengeAuth(httpx.Auth):
    """Basic or Digest, whichever the store's first 401 challenge asks for."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._schemes = {"basic": httpx.BasicAuth(user, password), "digest": httpx.DigestAuth(user, password)}
        self._chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._chosen is None:
            response = yield request
            if response.status_code != 401:
                return
            scheme = response.headers.get("WWW-Authenticate", "basic").split(" ", 1)[0].lower()
            self._chosen = self._schemes.get(scheme, self._schemes["basic"])
        yield from self._chosen.auth_flow(request)


def _batches(graph: Graph, size: int) -> Iterator[list]:
    """Triples in batches of about ``size``; triples joined by a blank node stay together."""
    parent: dict[BNode, BNode] = {}

    def root(node: BNode) -> BNode:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    triples = sorted(graph)
    for triple in triples:
        blanks = [t for t in triple if isinstance(t, BNode)]
        for other in blanks[1:]:
            parent[root(other)] = root(blanks[0])
    groups: dict[object, list] = {}
    for triple in triples:
        blank = next((t for t in triple if isinstance(t, BNode)), None)
        groups.setdefault(root(blank) if blank is not None else triple, []).append(triple)
    batch: list = []
    for group in groups.values():
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


def _reason(response: httpx.Response) -> str:
    text = response.text.strip()
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return (line[:300] + "…" if len(line) > 300 else line) or "(no message)"


def _cause(error: Exception) -> str:
    text = str(error).strip()
    return text or type(error).__name__


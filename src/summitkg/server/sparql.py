"""The SPARQL 1.1 Protocol at ``/sparql`` and the Graph Store Protocol at ``/store``.

Query by GET ``?query=``, POST form or POST ``application/sparql-query``; update by POST form or
``application/sparql-update`` (only with ``--allow-update`` and the bearer token). Parameters are
decoded strictly (bad percent-encoding or UTF-8 is a 400, never silently replaced), the result
format is negotiated from ``Accept`` or ``format``, and the work runs in a worker process.
GET ``/sparql`` with no query answers with the service description and VoID statistics.
"""

from __future__ import annotations

import functools
import hmac
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import unquote_to_bytes, urlencode, urlsplit

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ..formats import RDF_FORMATS, RESULT_FORMATS, Format
from ..namespaces import PREFIXES, RES, SKG
from .engine import Answer, DatasetSpec
from .errors import (
    NotAcceptable,
    PayloadTooLarge,
    ProtocolError,
    QueryRefused,
    Unauthorized,
    UnsupportedMediaType,
)

if TYPE_CHECKING:
    from . import Server

__all__ = ["sparql_endpoint", "graph_store", "negotiate", "read_body", "parse_params", "single", "service_description"]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")

QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
FORM_BODY = "application/x-www-form-urlencoded"

#: Results and graphs, least preferred first (``mimeparse`` breaks ties towards the end).
SELECT_OFFER = [RESULT_FORMATS[n] for n in ("tsv", "csv", "xml", "json")]
GRAPH_OFFER = [RDF_FORMATS[n] for n in ("xml", "jsonld", "trig", "nq", "nt", "ttl")]
#: The W3C's identifiers for the formats, for the service description.
FORMAT_IRIS = {"application/sparql-results+json": "SPARQL_Results_JSON", "application/sparql-results+xml": "SPARQL_Results_XML",
               "text/csv": "SPARQL_Results_CSV", "text/tab-separated-values": "SPARQL_Results_TSV",
               "text/turtle": "Turtle", "application/n-triples": "N-Triples", "application/n-quads": "N-Quads",
               "application/trig": "TriG", "application/ld+json": "JSON-LD", "application/rdf+xml": "RDF_XML"}

_BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")
#: Query strings and form bodies up to this size are decoded once and kept (see ``parse_params``).
_CACHED_PARAMS_BYTES = 16_384
#: Accept headers up to this size have their negotiated format kept (see ``negotiate``).
_CACHED_HEADER_BYTES = 1_024


# -- decoding ---------------------------------------------------------------------------------------


def _decode(raw: bytes, *, where: str) -> str:
    raw = raw.replace(b"+", b" ")
    bad = _BAD_PERCENT.search(raw)
    if bad:
        raise ProtocolError(f"malformed percent-encoding {raw[bad.start():bad.start() + 3]!r}", parameter=where)
    data = unquote_to_bytes(raw)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(f"not valid UTF-8 (byte {error.start} after decoding)", parameter=where) from None


def parse_params(raw: bytes, *, source: str) -> list[tuple[str, str]]:
    """``a=1&b=2`` as ordered pairs, strictly decoded; ``source`` names where they came from in errors.

    Short inputs are decoded once and kept (by their exact bytes): decoding a percent-encoded
    query of a few KB costs ~0.2 ms of the event loop, and clients repeat the same URL.
    """
    if len(raw) <= _CACHED_PARAMS_BYTES:
        return list(_parse_params_cached(raw, source))
    return _parse_params(raw, source)


@functools.lru_cache(maxsize=256)
def _parse_params_cached(raw: bytes, source: str) -> tuple[tuple[str, str], ...]:
    return tuple(_parse_params(raw, source))


def _parse_params(raw: bytes, source: str) -> list[tuple[str, str]]:
    pairs = []
    for part in raw.split(b"&"):
        if not part:
            continue
        name, _, value = part.partition(b"=")
        key = _decode(name, where=source)
        pairs.append((key, _decode(value, where=key)))
    return pairs


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than ``limit`` bytes before reading them all."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise ProtocolError(f"{declared!r} is not a length", parameter="Content-Length")
        if int(declared) > limit:
            raise PayloadTooLarge(f"the body is {int(declared):,} bytes; this endpoint accepts at most {limit:,}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the body is larger than the limit of {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _media_type(request: Request) -> tuple[str, dict[str, str]]:
    header = request.headers.get("content-type", "")
    kind, *params = header.split(";")
    options = {}
    for param in params:
        key, _, value = param.partition("=")
        options[key.strip().lower()] = value.strip().strip('"').lower()
    return kind.strip().lower(), options


def _text_body(body: bytes, media_type: str, options: dict[str, str], parameter: str) -> str:
    charset = options.get("charset", "utf-8")
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"{media_type}; charset={charset}", accepted=[f"{media_type}; charset=utf-8"])
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(f"the body is not valid UTF-8 (byte {error.start})", parameter=parameter) from None


def single(params: Sequence[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in params if k == name]
    if len(values) > 1:
        raise ProtocolError(f"given {len(values)} times; send exactly one", parameter=name)
    return values[0] if values else None


def _iris(params: Sequence[tuple[str, str]], name: str) -> tuple[str, ...]:
    values = tuple(v for k, v in params if k == name)
    for value in values:
        parts = urlsplit(value)
        if not parts.scheme or any(c in value for c in ' <>"{}|\\^`'):
            raise ProtocolError(f"{value!r} is not an absolute IRI", parameter=name)
    return values


# -- negotiation ------------------------------------------------------------------------------------


def negotiate(offered: Sequence[Format], accept: str | None, format_param: str | None, *,
              html: bool = False, html_default: bool = False) -> Format | None:
    """The format to answer in, from ``format`` (name or media type) or else ``Accept``.

    ``None`` means HTML: only when ``html`` is allowed and the client prefers it, or, with
    ``html_default`` (pages), when it has no preference. Aliases the stores know
    (``application/json``, ``text/xml``, ``application/x-turtle`` …) count as their formats.
    Decisions for short headers are kept: clients send the same few, and mimeparse is slow.
    """
    if len(accept or "") + len(format_param or "") > _CACHED_HEADER_BYTES:
        return _negotiate(tuple(offered), accept, format_param, html, html_default)
    return _negotiate_cached(tuple(offered), accept, format_param, html, html_default)


def _negotiate(offered: tuple[Format, ...], accept: str | None, format_param: str | None, html: bool,
               html_default: bool) -> Format | None:
    import mimeparse

    if format_param:
        wanted = format_param.strip().lower()
        for fmt in offered:
            if wanted in (fmt.name, fmt.extension, fmt.media_type, fmt.library_name):
                return fmt
        alias = _alias(wanted, offered)
        if alias is None:
            raise NotAcceptable(format_param, offered=[f.name for f in offered], source="format")
        return alias
    if not accept or not accept.strip():
        return None if html_default else offered[-1]
    formats = [f.media_type for f in offered]
    supported = (formats + ["text/html"] if html_default else ["text/html"] + formats) if html else formats
    aliases: dict[str, Format] = {}
    try:
        for media_range in accept.split(","):
            if not media_range.strip():
                continue
            kind, subtype, _ = mimeparse.parse_media_range(media_range)
            asked = f"{kind}/{subtype}"
            if "*" not in asked and asked not in supported:
                alias = _alias(asked, offered)
                if alias is not None:
                    aliases[asked] = alias
        best = mimeparse.best_match(list(aliases) + supported, accept)
    except ValueError as error:
        raise ProtocolError(f"malformed header ({error})", parameter="Accept") from None
    if not best:
        raise NotAcceptable(accept, offered=[f.media_type for f in offered])
    if best == "text/html":
        return None
    return aliases.get(best) or next(f for f in offered if f.media_type == best)


_negotiate_cached = functools.lru_cache(maxsize=256)(_negotiate)


def _alias(media_type: str, offered: Sequence[Format]) -> Format | None:
    import pyoxigraph as ox

    for kind in (ox.QueryResultsFormat, ox.RdfFormat):
        try:
            canonical = kind.from_media_type(media_type)
        except ValueError:
            continue
        if canonical is None:
            continue
        for fmt in offered:
            if fmt.media_type == canonical.media_type:
                return fmt
    return None


def respond(answer: Answer, fmt: Format, *, max_rows: int) -> Response:
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers["X-SPARQL-MaxRows"] = str(max_rows)
    return Response(answer.body, media_type=fmt.media_type, headers=headers)


# -- the endpoint -----------------------------------------------------------------------------------


async def sparql_endpoint(request: Request) -> Response:
    """SPARQL 1.1 Protocol: query and update operations, and the service description."""
    server: Server = request.app.state.server
    query_string = parse_params(request.scope.get("query_string", b""), source="the URL's query string")
    if request.method in ("GET", "HEAD"):
        params = query_string
        if single(params, "update") is not None:
            raise ProtocolError("an update must be sent with POST", parameter="update")
        if single(params, "query") is None:
            return await run_in_threadpool(_describe_service, server, request, params)
        return await _query(server, request, params)
    media_type, options = _media_type(request)
    body = await read_body(request, server.options.max_request_bytes)
    if media_type == FORM_BODY:
        params = parse_params(body, source="the form body") + query_string
    elif media_type == QUERY_BODY:
        if any(k in ("query", "update") for k, _ in query_string):
            raise ProtocolError("the query is the body; do not also send it in the URL", parameter="query")
        params = [("query", _text_body(body, media_type, options, "query"))] + query_string
    elif media_type == UPDATE_BODY:
        if any(k in ("query", "update") for k, _ in query_string):
            raise ProtocolError("the update is the body; do not also send it in the URL", parameter="update")
        params = [("update", _text_body(body, media_type, options, "update"))] + query_string
    else:
        raise UnsupportedMediaType(media_type, accepted=[FORM_BODY, QUERY_BODY, UPDATE_BODY])
    query, update = single(params, "query"), single(params, "update")
    if query is not None and update is not None:
        raise ProtocolError("a request carries either `query` or `update`, not both", parameter="update")
    if update is not None:
        return await run_in_threadpool(_update, server, request, params)
    if query is None:
        raise ProtocolError("missing: send the SPARQL query as `query`", parameter="query")
    return await _query(server, request, params)


async def _query(server: Server, request: Request, params: list[tuple[str, str]]) -> Response:
    """Checks on the event loop (the guard's scan is cached per text), the query in a worker.

    No thread hand-off: the loop waits for the worker's reply itself (``WorkerPool.run_async``).
    """
    text = single(params, "query") or ""
    if not text.strip():
        raise ProtocolError("the query is empty", parameter="query")
    default, named = _iris(params, "default-graph-uri"), _iris(params, "named-graph-uri")
    policy = server.policy
    plan = policy.check(text, operation="query")
    policy.check_graphs(default, "default-graph-uri")
    policy.check_graphs(named, "named-graph-uri")
    offered = GRAPH_OFFER if plan.graph_shaped else SELECT_OFFER
    fmt = negotiate(offered, request.headers.get("accept"), single(params, "format"), html=request.method == "GET")
    if fmt is None:
        return RedirectResponse("/?" + urlencode({"query": text}), status_code=303)
    dataset = DatasetSpec(default, named) if default or named else None
    answer = await server.pool.run_async("sparql", text, plan, fmt, dataset)
    return respond(answer, fmt, max_rows=server.options.max_rows)


def authorize(server: Server, request: Request) -> None:
    """Changes need ``--allow-update`` and ``Authorization: Bearer <token>``."""
    if not server.options.allow_update:
        raise QueryRefused("this endpoint is read-only (start `summitkg serve` with --allow-update to accept changes)")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), server.options.token.encode()):
        raise Unauthorized("send `Authorization: Bearer <token>` with the token the server was started with")


def _update(server: Server, request: Request, params: list[tuple[str, str]]) -> Response:
    authorize(server, request)
    text = single(params, "update") or ""
    if not text.strip():
        raise ProtocolError("the update is empty", parameter="update")
    for name in ("using-graph-uri", "using-named-graph-uri"):
        if single(params, name) is not None:
            raise ProtocolError("not supported; write USING / USING NAMED in the update itself", parameter=name)
    plan = server.policy.check(text, operation="update")
    server.pool.update("update", text, plan)
    server.refresh()
    return Response(status_code=204)


# -- Graph Store Protocol ---------------------------------------------------------------------------


async def graph_store(request: Request) -> Response:
    """Graph Store Protocol (indirect identification): ``/store?graph=IRI`` or ``/store?default``."""
    server: Server = request.app.state.server
    params = parse_params(request.scope.get("query_string", b""), source="the URL's query string")
    graphs = _iris(params, "graph")
    default = any(k == "default" for k, _ in params)
    if len(graphs) > 1 or (graphs and default) or not (graphs or default):
        raise ProtocolError("name exactly one graph: ?graph=IRI, or ?default for the default graph (the union)",
                            parameter="graph")
    graph = graphs[0] if graphs else None
    if request.method in ("GET", "HEAD"):
        fmt = negotiate(GRAPH_OFFER, request.headers.get("accept"), single(params, "format"))
        body = await run_in_threadpool(server.pool.run, "read_graph", graph, fmt)
        return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})
    authorize(server, request)
    if graph is None:
        raise QueryRefused("the default graph is the union of the named graphs and cannot be written; "
                           "name a graph with ?graph=IRI")
    if request.method == "DELETE":
        await run_in_threadpool(server.pool.update, "drop_graph", graph)
        await run_in_threadpool(server.refresh)
        return Response(status_code=204)
    media_type, _ = _media_type(request)
    body = await read_body(request, server.options.max_request_bytes)
    if not body.strip():
        raise ProtocolError("the body is empty", parameter="body")
    created = await run_in_threadpool(server.pool.update, "write_graph", graph, body, media_type,
                                      request.method == "PUT")
    await run_in_threadpool(server.refresh)
    return Response(status_code=201 if created else 204)


# -- service description ----------------------------------------------------------------------------


def _describe_service(server: Server, request: Request, params: list[tuple[str, str]]) -> Response:
    fmt = negotiate(GRAPH_OFFER, request.headers.get("accept"), single(params, "format"))
    endpoint = str(request.url.replace(query="", fragment=""))
    graph = service_description(server, endpoint)
    from ..formats import serialize
    from ..results import from_graph

    return Response(serialize(from_graph(graph), fmt.name), media_type=fmt.media_type, headers={"Vary": "Accept"})


def service_description(server: Server, endpoint: str) -> Graph:
    """SPARQL 1.1 Service Description with VoID statistics for the dataset behind ``endpoint``."""
    graph = Graph()
    for prefix, iri in {**PREFIXES, "sd": str(SD), "void": str(VOID), "formats": str(W3C_FORMATS)}.items():
        graph.bind(prefix, iri, override=True, replace=True)
    service, dataset, default = URIRef(endpoint), URIRef(endpoint + "#dataset"), BNode()
    base = endpoint.rsplit("/", 1)[0]
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if server.options.allow_update:
        graph.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    if server.options.services:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    for fmt in SELECT_OFFER + GRAPH_OFFER:
        graph.add((service, SD.resultFormat, W3C_FORMATS[FORMAT_IRIS[fmt.media_type]]))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("summitkg: Putin's state visit to India, 23rd India–Russia Annual Summit", lang="en")))
    graph.add((dataset, VOID.sparqlEndpoint, service))
    graph.add((dataset, VOID.uriSpace, Literal(str(RES))))
    graph.add((dataset, VOID.vocabulary, URIRef(str(SKG._NS))))
    graph.add((dataset, VOID.exampleResource, RES["Vladimir_Putin"]))
    graph.add((dataset, VOID.rootResource, URIRef(base + "/")))
    counts = server.graph_counts
    graph.add((dataset, VOID.triples, Literal(sum(counts.values()), datatype=XSD.integer)))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, DCTERMS.description, Literal("The union of the named graphs.", lang="en")))
    for name, triples in counts.items():
        named, described = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, Literal(triples, datatype=XSD.integer)))
        graph.add((described, VOID.dataDump, URIRef(f"{base}/store?{urlencode({'graph': name})}")))
    return graph


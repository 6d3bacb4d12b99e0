"""The explorer's pages: the SPARQL editor, entity pages (also as RDF), browsing, search, the
ontology, and the two source documents with every quoted span highlighted.

Handlers are plain functions (Starlette runs them in its thread pool); the data comes from a
worker (``pagedata``) and is rendered with Jinja2, autoescaped. No page requests another host.
"""

from __future__ import annotations

import html
import itertools
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from .. import __version__
from ..binding import inject_values
from ..namespaces import BASE, PREFIXES, SKG
from .errors import NotFound, ProtocolError, UnsupportedMediaType
from .sparql import FORM_BODY, GRAPH_OFFER, negotiate, parse_params, read_body, single

if TYPE_CHECKING:
    from . import Server

__all__ = ["routes", "error_page", "YASGUI_VERSION"]

YASGUI_VERSION = "4.6.2"
TEMPLATES = Path(__file__).resolve().parent / "templates"
_IRI_FORBIDDEN = set(' <>"{}|\\^`') | {chr(c) for c in range(0x20)}


def routes() -> list[Route]:
    return [
        Route("/", explorer),
        Route("/resource/{path:path}", resource_page, methods=["GET", "HEAD"]),
        Route("/vocab/{path:path}", resource_page, methods=["GET", "HEAD"]),
        Route("/classes", classes_page),
        Route("/classes/{name}", class_page),
        Route("/search", search_page),
        Route("/ontology", ontology_page),
        Route("/documents", documents_page),
        Route("/documents/{key}", document_page),
        Route("/network", network_page, methods=["GET", "POST"]),
    ]


# -- rendering --------------------------------------------------------------------------------------


@cache
def _environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.globals.update(href=href, curie=curie, version=__version__, yasgui_version=YASGUI_VERSION,
                       modality_kind=modality_kind, local_name=local_name)
    env.filters["quote_url"] = lambda value: quote(str(value), safe="")
    return env


#: Pages load only from this host (the browser enforces it, too).
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
               "font-src 'self' data:; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; "
               "form-action 'self'")
#: The network pages inline vis-network and their data (as `summitkg viz` files do) and load nothing.
NETWORK_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; "
                  "base-uri 'none'; form-action 'none'; frame-ancestors 'self'")


def render(request: Request, name: str, status_code: int = 200, headers: dict[str, str] | None = None,
           **context: Any) -> HTMLResponse:
    page = _environment().get_template(name).render(request=request, **context)
    return HTMLResponse(page, status_code=status_code,
                        headers={"Content-Security-Policy": PAGE_POLICY, **(headers or {})})


def error_page(request: Request, status: int, message: str, *, headers: dict[str, str] | None = None) -> HTMLResponse:
    return render(request, "error.html", status_code=status, headers=headers, status=status, message=message,
                  title=f"{status} · summitkg")


def script_json(value: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``</script>`` can close it early."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def href(iri: str) -> str:
    """The explorer's own path for an IRI of ours; other IRIs stay as they are (plain links)."""
    if iri.startswith(BASE):
        rest = iri[len(BASE):]
        if rest.startswith("ontology#"):
            return "/ontology#" + rest[len("ontology#"):]
        if rest.startswith("graph/"):
            return "/store?graph=" + quote(iri, safe="")
        return "/" + quote(rest, safe="/#-_.~")
    return iri


def curie(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def modality_kind(notation: str) -> str:
    """``stated``, ``tentative`` or ``opinion``: the line styles of the network view, for badges."""
    from ..visualize import edge_kind

    return edge_kind({"modality": notation})


def _server(request: Request) -> Server:
    return request.app.state.server


def _query_params(request: Request) -> list[tuple[str, str]]:
    return parse_params(request.scope.get("query_string", b""), source="the URL's query string")


def _one(params: list[tuple[str, str]], name: str, default: str = "") -> str:
    value = single(params, name)
    return default if value is None else value


# -- pages ------------------------------------------------------------------------------------------


def explorer(request: Request) -> Response:
    """The SPARQL editor (YASGUI), with the named queries one click away."""
    server = _server(request)
    params = _query_params(request)
    queries = []
    for named in server.named_queries.values():
        bound = named.bind({}) if named.params else {}
        queries.append({"name": named.name, "title": named.title, "description": named.description,
                        "text": _strip_header(inject_values(named.text, bound)),
                        "params": [{"name": p.name, "default": p.default or ""} for p in named.params]})
    prologue = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("skg", "res", "rdf", "rdfs", "skos"))
    start = _one(params, "query") or (prologue + "\nSELECT ?leader ?label WHERE {\n  ?leader a skg:Leader ;\n"
                                      "          rdfs:label ?label .\n}\nORDER BY ?label\n")
    longest_first = dict(sorted(PREFIXES.items(), key=lambda item: -len(item[1])))  # st: before res:
    config = {"endpoint": "/sparql", "queries": queries, "prefixes": longest_first, "start": start,
              "run": bool(_one(params, "query")), "open": _one(params, "named")}
    return render(request, "explorer.html", title="summitkg · SPARQL explorer", config=script_json(config),
                  queries=queries, summary=server.graph_counts, wide=True)


def _strip_header(text: str) -> str:
    """The query without its ``#+`` catalogue header (title and parameters are shown beside it)."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("#+")).strip() + "\n"


def resource_page(request: Request) -> Response:
    """An entity (or statement, concept, document) page; RDF for clients that ask for it."""
    server = _server(request)
    path = request.path_params["path"]
    prefix = request.url.path.split("/", 2)[1]
    iri = f"{BASE}{prefix}/{path}"
    if not path or set(iri) & _IRI_FORBIDDEN:
        raise NotFound(f"{request.url.path} is not the path of a resource")
    params = _query_params(request)
    fmt = negotiate(GRAPH_OFFER, request.headers.get("accept"), _one(params, "format") or None,
                    html=True, html_default=True)
    if fmt is not None:
        body = server.pool.run("describe", iri, fmt)
        return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept", "Link": f'<{iri}>; rel="canonical"'})
    data = server.pool.run("resource", iri)
    formats = [(f.name, f.media_type) for f in GRAPH_OFFER if f.name in ("ttl", "jsonld", "nt")]
    return render(request, "resource.html", title=f"{data['label'] or curie(iri)} · summitkg", r=data,
                  formats=formats, headers={"Vary": "Accept"})


def classes_page(request: Request) -> Response:
    rows = _server(request).pool.run("classes")
    return render(request, "classes.html", title="Browse by class · summitkg", classes=rows)


def class_page(request: Request) -> Response:
    name = request.path_params["name"]
    data = _server(request).pool.run("instances", str(SKG._NS) + name)
    return render(request, "class.html", title=f"{data['class']['label'] or name} · summitkg", c=data)


def search_page(request: Request) -> Response:
    text = _one(_query_params(request), "q").strip()
    hits = _server(request).pool.run("search", text) if text else []
    return render(request, "search.html", title=f"Search: {text} · summitkg" if text else "Search · summitkg",
                  q=text, hits=hits)


def ontology_page(request: Request) -> Response:
    server = _server(request)
    fmt = negotiate(GRAPH_OFFER, request.headers.get("accept"), _one(_query_params(request), "format") or None,
                    html=True, html_default=True)
    if fmt is not None:
        body = server.pool.run("read_graph", str(BASE) + "graph/ontology", fmt)
        return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})
    data = server.pool.run("ontology")
    return render(request, "ontology.html", title="Ontology · summitkg", o=data, headers={"Vary": "Accept"})


def documents_page(request: Request) -> Response:
    docs = _server(request).pool.run("documents")
    return render(request, "documents.html", title="Source documents · summitkg", docs=docs)


def document_page(request: Request) -> Response:
    """A source text as published, every quoted span highlighted and linked to its claims."""
    server = _server(request)
    key = request.path_params["key"]
    doc = next((d for d in server.pool.run("documents") if d["key"] == key), None)
    if doc is None:
        raise NotFound(f"no source document {key!r}")
    path = server.settings.sources_dir / doc["file"]
    if path.parent != server.settings.sources_dir or not path.is_file():
        raise NotFound(f"the text of document {key} is not available")
    text = path.read_text(encoding="utf-8")
    claims = server.pool.run("document_claims", doc["iri"])
    quotes = [{"ref": r["iri"], "quote": r["quote"], "claim": c["id"], "claim_iri": c["iri"]}
              for c in claims for r in c["references"] if r["doc"]["value"] == doc["iri"]]
    marked, found = highlight(text, quotes)
    summaries = {c["id"]: {"href": href(c["iri"]), "text": claim_text(c)} for c in claims}
    return render(request, "document.html", title=f"{doc['label']} · summitkg", doc=doc, marked=marked,
                  claims=claims, quotes=quotes, found=found, summaries=script_json(summaries))


def claim_text(claim: dict[str, Any]) -> str:
    """One line for a claim: ``Vladimir Putin — holds position → President of Russia``."""
    def name(term: dict[str, Any] | None) -> str:
        if not term:
            return ""
        return term.get("label") or (term["value"] if term["kind"] == "literal" else curie(term["value"]))

    if claim["kind"] == "Observation":
        amount = claim["value"] or "–".join(v for v in (claim["min_value"], claim["max_value"]) if v)
        unit = (claim["unit"] or {}).get("notation") or name(claim["unit"])
        return f"{name(claim['subject'])}: {name(claim['measure'])} {amount} {unit}".strip()
    return f"{name(claim['subject'])} — {name(claim['predicate'])} → {name(claim['object'])}"


def highlight(text: str, quotes: list[dict[str, str]]) -> tuple[str, set[str]]:
    """``text`` as HTML with each quote's occurrences in ``<mark>``; overlapping quotes split the span.

    Every segment lists the claims of all quotes covering it; the first segment of each quote
    carries the anchor ``ref-<reference>`` that statement pages link to. Returns the HTML and the
    references found.
    """
    spans: list[tuple[int, int, dict[str, str]]] = []
    for item in quotes:
        start = text.find(item["quote"])
        while start >= 0 and item["quote"]:
            spans.append((start, start + len(item["quote"]), item))
            start = text.find(item["quote"], start + 1)
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    anchored: set[str] = set()
    parts = []
    for a, b in itertools.pairwise(cuts):
        covering = [item for s, e, item in spans if s <= a and e >= b]
        piece = html.escape(text[a:b])
        if not covering:
            parts.append(piece)
            continue
        claims = sorted({item["claim"] for item in covering})
        anchors = "".join(f'<span id="ref-{html.escape(local_name(item["ref"]))}"></span>'
                          for item in covering if item["ref"] not in anchored)
        anchored.update(item["ref"] for item in covering)
        depth = min(len(claims), 3)
        parts.append(f'{anchors}<mark class="q q{depth}" tabindex="0" data-claims="{" ".join(claims)}" '
                     f'title="{html.escape("Quoted by " + ", ".join(claims))}">{piece}</mark>')
    return "".join(parts), anchored


async def network_page(request: Request) -> Response:
    """A network drawn like ``summitkg viz``: an entity's ego network (GET ``?entity=IRI&depth=1``),
    or the graph of a CONSTRUCT/DESCRIBE query (POST form ``query=…``, as the explorer sends it)."""
    server = _server(request)
    params = _query_params(request)
    if request.method == "POST":
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != FORM_BODY:
            raise UnsupportedMediaType(media_type, accepted=[FORM_BODY])
        body = await read_body(request, server.options.max_request_bytes)
        text = _one(parse_params(body, source="the form body"), "query")
        if not text.strip():
            raise ProtocolError("missing: the CONSTRUCT or DESCRIBE query to draw", parameter="query")
        plan = server.policy.check(text, operation="query")
        if not plan.graph_shaped:
            raise ProtocolError(f"a network is drawn from a CONSTRUCT or DESCRIBE query, not {plan.form}",
                                parameter="query")
        page = await run_in_threadpool(server.pool.run, "query_network_page", text, plan)
        return HTMLResponse(page, headers={"Content-Security-Policy": NETWORK_POLICY})
    entity = _one(params, "entity")
    if not entity:
        raise ProtocolError("missing: the entity IRI whose network to draw", parameter="entity")
    depth = _one(params, "depth", "1")
    if depth not in ("1", "2", "3"):
        raise ProtocolError(f"must be 1, 2 or 3, not {depth!r}", parameter="depth")
    page = await run_in_threadpool(server.pool.run, "ego_page", entity, int(depth))
    return HTMLResponse(page, headers={"Content-Security-Policy": NETWORK_POLICY})

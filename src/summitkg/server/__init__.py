"""The SPARQL endpoint and web explorer behind ``summitkg serve``.

``create_app(settings, kg, options)`` forks the query workers (see ``workers``) and returns a
Starlette app: ``/sparql`` (SPARQL 1.1 Protocol), ``/store`` (Graph Store Protocol), the explorer
pages and the vendored static files. Every ``SummitError`` becomes one HTTP status, in ``STATUS``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..config import Settings
from ..errors import (
    ConfigError,
    LoadError,
    ParameterError,
    QueryError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreError,
    SummitError,
    UnknownQueryError,
)
from ..kg import KnowledgeGraph
from .errors import (
    GraphNotHeld,
    NotAcceptable,
    NotFound,
    NotReady,
    PayloadTooLarge,
    ProtocolError,
    QueryRefused,
    ResourceLimit,
    TooDeeplyNested,
    Unauthorized,
    UnsupportedMediaType,
    WorkerCrashed,
)
from .guard import Policy
from .workers import Sandbox, WorkerPool

__all__ = ["ServerOptions", "Server", "create_app", "STATUS"]

STATIC = Path(__file__).resolve().parents[1] / "static"

#: The one table from error to HTTP status; the most specific class in an error's MRO wins.
STATUS: dict[type[SummitError], int] = {
    ProtocolError: 400,
    QuerySyntaxError: 400,
    ParameterError: 400,
    GraphNotHeld: 400,
    TooDeeplyNested: 400,
    UnsupportedMediaType: 415,
    NotAcceptable: 406,
    PayloadTooLarge: 413,
    Unauthorized: 401,
    QueryRefused: 403,
    NotFound: 404,
    NotReady: 503,
    UnknownQueryError: 404,
    QueryTimeoutError: 503,
    ResourceLimit: 503,
    WorkerCrashed: 503,
    StoreError: 502,
    QueryError: 400,
    LoadError: 400,
    ConfigError: 400,
    SummitError: 400,
}


@dataclass(frozen=True)
class ServerOptions:
    """The operator's limits and switches (``summitkg serve --help`` documents each)."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_request_bytes: int = 1_000_000
    max_query_bytes: int = 100_000
    max_depth: int = 64
    workers: int = 2
    max_memory_mb: int = 2048
    allow_update: bool = False
    token: str = ""
    services: tuple[str, ...] = ()
    #: Graphs up to this many quads get their network views before the server answers; larger
    #: ones are served at once and get them from a background build.
    network_prebuild_quads: int = 50_000


#: The background build of a large graph's network views may take this long (10M triples: minutes).
NETWORK_BUILD_SECONDS = 3600.0


class Server:
    """What the request handlers share: settings, limits, the worker pool and the dataset's shape."""

    def __init__(self, settings: Settings, kg: KnowledgeGraph, options: ServerOptions,
                 announce: Callable[[str], None] | None = None) -> None:
        from .engine import State, graph_counts

        self.settings = settings
        self.options = options
        self.named_queries = kg.named_queries
        self.announce = announce or (lambda message: None)
        state = State(kg, Policy(graphs=frozenset()), options.max_rows,
                      network_prebuild_quads=options.network_prebuild_quads)
        self.graph_counts = graph_counts(state)
        state.quads = sum(self.graph_counts.values())
        self.policy = Policy(graphs=frozenset(self.graph_counts), services=options.services,
                             max_query_bytes=options.max_query_bytes, max_depth=options.max_depth)
        state.policy = self.policy
        #: ``ready``, ``building``, ``waiting`` (to be built once the workers run) or ``failed: why``.
        self.network_status = "ready" if state.network_in_zygote else "waiting"
        sandbox = Sandbox(urls=options.services + _remote_urls(settings))
        self.pool = WorkerPool(lambda: _warm(state), _operations(), size=options.workers,
                               timeout=options.timeout, sandbox=sandbox, memory=options.max_memory_mb * 2**20)

    @property
    def quads(self) -> int:
        return sum(self.graph_counts.values())

    def refresh(self) -> None:
        """After a change: which graphs exist now, and how large they are; a large graph's network
        views are built again in the background."""
        self.graph_counts = self.pool.run("stats")
        self.policy = dataclasses.replace(self.policy, graphs=frozenset(self.graph_counts))
        if self.quads > self.options.network_prebuild_quads:
            self.network_status = "waiting"
            self.build_network_in_background()

    def build_network_in_background(self) -> None:
        """Start building the network views in a worker that then becomes the zygote, if they are due."""
        if self.network_status == "waiting":
            self.network_status = "building"
            threading.Thread(target=self._build_network, name="network views", daemon=True).start()

    def _build_network(self) -> None:
        started = time.perf_counter()
        self.announce(f"network views: building them for {self.quads:,} quads in the background "
                      "(entity pages and /network answer 503 until then) …")
        try:
            entities = self.pool.update("build_network", timeout=NETWORK_BUILD_SECONDS, refresh=False)
        except Exception as error:  # noqa: BLE001 — whatever stopped it, the endpoint keeps serving
            self.network_status = f"failed: {error}"
            if self.pool.closed:  # the server is stopping: nothing to report
                return
            self.announce(f"network views: not available: {error}")
            return
        self.network_status = "ready"
        self.announce(f"network views: ready ({entities:,} entities, {time.perf_counter() - started:.0f} s)")

    def status(self) -> dict[str, Any]:
        """What ``GET /status`` reports: enough for a health check and to know when everything is ready."""
        return {"store": self.settings.store, "quads": self.quads, "graphs": len(self.graph_counts),
                "network": self.network_status, **self.pool.stats}


def _remote_urls(settings: Settings) -> tuple[str, ...]:
    from ..stores import parse_store_spec

    scheme, location = parse_store_spec(settings.store)
    return (location,) if scheme == "sparql" else ()


def _operations() -> dict[str, Any]:
    from . import engine, pagedata

    return {"sparql": engine.run_sparql, "update": engine.run_update, "read_graph": engine.read_graph,
            "write_graph": engine.write_graph, "drop_graph": engine.drop_graph, "stats": engine.stats,
            **pagedata.OPERATIONS}


def _warm(state: Any) -> Any:
    """In the zygote, before workers fork: read the page tables and load every serializer once."""
    from . import engine, pagedata

    engine.warm_up(state)
    pagedata.warm(state)
    return state


def create_app(settings: Settings, kg: KnowledgeGraph, options: ServerOptions | None = None, *,
               announce: Callable[[str], None] | None = None) -> Starlette:
    """The app, with its worker processes already started (call before any thread starts).

    ``announce`` is told what happens in the background (the network views of a large graph).
    """
    from . import pages, sparql

    server = Server(settings, kg, options or ServerOptions(), announce)
    server.pool.start()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        server.build_network_in_background()
        try:
            yield
        finally:
            server.pool.close()

    async def status(request: Request) -> Response:
        return JSONResponse(server.status())

    routes = [
        Route("/sparql", sparql.sparql_endpoint, methods=["GET", "HEAD", "POST"]),
        Route("/status", status),
        Route("/store", sparql.graph_store, methods=["GET", "HEAD", "PUT", "POST", "DELETE"]),
        *pages.routes(),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE"],
                             allow_headers=["Accept", "Content-Type", "Authorization"],
                             expose_headers=["X-SPARQL-MaxRows", "Content-Type"], max_age=86400)]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={SummitError: _summit_error, HTTPException: _http_error})
    app.state.server = server
    return app


def status_for(error: SummitError) -> int:
    return next(STATUS[cls] for cls in type(error).__mro__ if cls in STATUS)


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith(("/sparql", "/store", "/static", "/network.json")):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept


async def _summit_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, SummitError)
    status = status_for(error)
    headers = {"WWW-Authenticate": 'Bearer realm="summitkg"'} if status == 401 else {}
    if _wants_html(request):
        from .pages import error_page

        return error_page(request, status, str(error), headers=headers)
    return PlainTextResponse(f"{error}\n", status_code=status, headers=headers)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    message = "no page at this address" if error.status_code == 404 else str(error.detail)
    if _wants_html(request):
        from .pages import error_page

        return error_page(request, error.status_code, message, headers=dict(error.headers or {}))
    return PlainTextResponse(f"{message}\n", status_code=error.status_code, headers=error.headers)


def default_workers() -> int:
    """One more than the CPUs, 2 to 8: a worker waits while its job and answer cross the sockets,
    and the spare keeps the cores busy meanwhile (2 cores: 3 workers answered 18% more provenance
    lookups/s than 2, benchmarks/RESULTS.md); two at least, so one slow query never blocks everyone."""
    return max(2, min(8, (os.cpu_count() or 1) + 1))

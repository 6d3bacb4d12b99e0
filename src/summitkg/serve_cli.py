"""``summitkg serve``: the SPARQL endpoint and the web explorer, in one command."""

from __future__ import annotations

import secrets
import socket
import sys

from typing import TYPE_CHECKING

import click

from .cli import _console, settings_from, store_option
from .errors import ConfigError, ValidationFailed

if TYPE_CHECKING:
    from .validation_fork import PendingValidation

__all__ = ["serve", "MEMORY_STORE_COMFORT"]

#: Past this many quads rdflib's store answers named queries in seconds (benchmarks/RESULTS.md), so serve warns.
MEMORY_STORE_COMFORT = 10_000


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. 0.0.0.0 puts the endpoint on your network.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one (the URL is printed).")
@store_option
@click.option("--timeout", type=float, metavar="SECONDS",
              help="Time limit for each query (default 10, or SUMMITKG_TIMEOUT); the query is stopped, not abandoned.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(1),
              help="Most rows (or triples) in one answer; a longer answer is cut and says so in X-SPARQL-MaxRows.")
@click.option("--workers", type=click.IntRange(1, 64), metavar="N",
              help="Query worker processes (default: one more than the CPUs, 2 to 8).")
@click.option("--max-memory", default=2048, show_default=True, type=click.IntRange(64), metavar="MB",
              help="Memory one query may use, in MB; past it the query fails instead of starving the machine.")
@click.option("--service-allow", "services", multiple=True, metavar="URL",
              help="Allow federated SERVICE calls to this endpoint (repeatable). By default none are allowed.")
@click.option("--allow-update", is_flag=True,
              help="Accept SPARQL Update and Graph Store writes, with a bearer token. Changes live in memory.")
@click.option("--token", envvar="SUMMITKG_TOKEN", metavar="TOKEN",
              help="The bearer token for updates (also SUMMITKG_TOKEN); generated and printed if not given.")
@click.option("--no-validate", is_flag=True, help="Serve even if the graph does not pass `summitkg validate`.")
@click.option("--network-prebuild", default=50_000, show_default=True, type=click.IntRange(0), metavar="QUADS",
              help="Build the explorer's network views before answering when the graph has at most this many "
                   "quads. A larger graph is served at once and its network views are built in the background "
                   "(~45 s at 1M triples); until then entity pages say so and /network answers 503. "
                   "GET /status tells when they are ready.")
@click.option("--get", "get_path", metavar="PATH",
              help="Answer one request for PATH (e.g. '/sparql?query=ASK{}'), print it and exit; for scripts.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, store: str | None, timeout: float | None, max_rows: int,
          workers: int | None, max_memory: int, services: tuple[str, ...], allow_update: bool, token: str | None, no_validate: bool,
          network_prebuild: int, get_path: str | None) -> None:
    """Serve the graph: a SPARQL 1.1 endpoint at /sparql and a web explorer at /.

    \b
    The endpoint speaks the SPARQL 1.1 Protocol (GET and POST, every standard result format,
    a service description at GET /sparql) and the Graph Store Protocol at /store. It is safe to put
    on a network: it never fetches a URL or file a query names (FROM, SERVICE, LOAD), each query runs
    in a worker process that is stopped at the time limit, and it is read-only unless --allow-update.
    The graph is validated first; the server refuses to start on a violation (see --no-validate).
    A graph that passed before, unchanged (its files, shapes, source texts and the versions of
    summitkg and pyshacl), is not validated again; the record lives in ~/.cache/summitkg
    (SUMMITKG_CACHE). `serve` uses the embedded Oxigraph store unless --store says otherwise.

    \b
    Examples:
      summitkg serve                                    http://127.0.0.1:8000/
      summitkg serve --workers 4                        more queries at once
      summitkg serve --get '/sparql?query=ASK{?s ?p ?o}'
      curl -s http://127.0.0.1:8000/status             health: quads, workers, network views
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE {?s a skg:Leader}' \\
           http://127.0.0.1:8000/sparql
    """
    from .server import ServerOptions, create_app, default_workers

    settings = settings_from(ctx, store=store, timeout=timeout)
    if token and not allow_update:
        raise ConfigError("a token only makes sense with --allow-update", name="--token")
    if allow_update and not token:
        token = secrets.token_urlsafe(24)
    options = ServerOptions(timeout=settings.timeout, max_rows=max_rows, workers=workers or default_workers(),
                            max_memory_mb=max_memory, network_prebuild_quads=network_prebuild,
                            allow_update=allow_update, token=token or "", services=tuple(_check_url(s) for s in services))
    listener = None if get_path else _listen(host, port)
    console = _console(stderr=True)
    with console.status("Loading the graph…") as status:
        kg, pending = _load(settings, validate=not no_validate, allow_update=allow_update, status=status)
        status.update(f"Starting {options.workers} query workers…")
        try:
            app = create_app(settings, kg, options, announce=console.print)
        except BaseException:
            if pending:
                pending.cancel()
            raise
        if pending:
            status.update("Validating the graph…")
            try:
                _verdict(*pending)
            except BaseException:
                app.state.server.pool.close()
                raise
    if get_path:
        _get(app, get_path)
        return
    assert listener is not None
    bound_host, bound_port = listener.getsockname()[:2]
    url = f"http://{_url_host(bound_host)}:{bound_port}"
    console.print(f"[bold]summitkg[/bold] on {settings.store}: explorer [link]{url}/[/link] · "
                  f"SPARQL endpoint [link]{url}/sparql[/link] · {options.workers} workers, "
                  f"{options.timeout:g} s per query")
    if allow_update:
        console.print(f"[yellow]updates allowed[/yellow] with the header  Authorization: Bearer {token}")
    if bound_host not in ("127.0.0.1", "::1", "localhost"):
        console.print(f"[yellow]listening on {bound_host}: reachable from other machines[/yellow]")
    console.print("Ctrl-C to stop.")
    _run(app, listener)


def _check_url(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"{url!r} is not an http(s) URL", name="--service-allow")
    return url


def _listen(host: str, port: int) -> socket.socket:
    """Bind now, before any work: a taken port is reported at once, and --port 0 gets a real port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted connections only for sockets that say
    # TCP; without it Nagle's algorithm meets delayed ACKs and every answer waits 40 ms.
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as error:
        listener.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {error.strerror or error}", name="--port") from None
    listener.listen(2048)
    listener.set_inheritable(True)
    return listener


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _load(settings, *, validate: bool, allow_update: bool, status):
    """The graph to serve, always in memory (an on-disk store is copied in), and the validation
    still running on it in a child process, if one is due (see ``_verdict``)."""
    from .loading import discover, load_dataset
    from .stores import parse_store_spec

    scheme, location = parse_store_spec(settings.store)
    if allow_update and (scheme == "sparql" or location):
        raise ConfigError("--allow-update needs the memory or oxigraph store; a remote or on-disk store is served "
                          "read-only", name="--allow-update")
    sources = discover(settings)
    dataset, pending = None, None
    if validate:
        from .validation_cache import graph_digest, passed_before

        digest = graph_digest(settings, sources)
        if passed_before(digest) is None:
            from .validation_fork import PendingValidation

            dataset = load_dataset(sources)
            status.stop()  # no other thread while forking
            try:
                pending = PendingValidation(dataset, settings), digest
            finally:
                status.start()
        else:  # this exact graph (files, shapes, texts, versions) passed before
            _console(stderr=True).print(f"validated: this exact graph passed on {passed_before(digest)['at']} "
                                        "(`summitkg validate` runs every check again)", style="dim", markup=False)
    try:
        return _in_memory(settings, scheme, location, sources, dataset), pending
    except BaseException:
        if pending:
            pending[0].cancel()
        raise


def _verdict(pending: PendingValidation, digest: str) -> None:
    """Wait for the validation; serve nothing unless it passed, and remember a pass."""
    from .validation_cache import remember_pass

    report = pending.report()
    if report.conforms:
        remember_pass(digest, nodes=report.checked_nodes, quotes=report.checked_quotes)
        return
    console = _console(stderr=True)
    problems = [p for p in report.problems if p.severity == "Violation"]
    for problem in problems[:20]:
        console.print(f"✗ {problem}", markup=False, style="red")
    raise ValidationFailed(report, f"the graph has {len(problems)} problem(s), so it is not served; "
                                   "fix them (summitkg validate) or start with --no-validate")


def _in_memory(settings, scheme: str, location: str, sources, dataset):
    from .kg import KnowledgeGraph, load
    from .stores.memory import MemoryBackend
    from .stores.oxigraph import OxigraphBackend

    if scheme == "memory":
        backend = MemoryBackend(dataset=dataset) if dataset is not None else None
        kg = KnowledgeGraph(backend, settings, sources) if backend else load(settings)
        if len(kg) > MEMORY_STORE_COMFORT:
            _console(stderr=True).print(
                f"[yellow]the memory store holds {len(kg):,} quads; past {MEMORY_STORE_COMFORT:,} its queries take "
                "seconds where the default oxigraph store takes milliseconds (benchmarks/RESULTS.md)[/yellow]")
        return kg
    kg = load(settings)
    if scheme == "oxigraph" and location:
        memory = OxigraphBackend()
        memory.store.extend(kg.backend.store.quads_for_pattern(None, None, None, None))
        kg.close()
        return KnowledgeGraph(memory, settings, sources)
    return kg


def _get(app, path: str) -> None:
    """One GET through the app itself, no socket (datasette's ``--get``)."""
    import asyncio

    try:
        status, body = asyncio.run(_call(app, path))
    finally:
        app.state.server.pool.close()
    sys.stdout.buffer.write(body)
    sys.stdout.flush()
    if status >= 400:
        raise SystemExit(1)


async def _call(app, target: str) -> tuple[int, bytes]:
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(target)
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": unquote(parts.path or "/"), "raw_path": (parts.path or "/").encode(), "root_path": "",
             "query_string": parts.query.encode(), "headers": [(b"host", b"127.0.0.1")],
             "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 80)}
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def _run(app, listener: socket.socket) -> None:
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[listener])

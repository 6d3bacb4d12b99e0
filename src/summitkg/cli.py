"""summitkg — a sourced knowledge graph of Putin's state visit to India, from the command line.

Every fact in the graph carries the verbatim quote it rests on; expected deals are never
recorded as signed. Run ``summitkg COMMAND --help`` for each command's documentation.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import click

from . import __version__
from .config import Settings, from_env
from .errors import ParameterError, SummitError

_STORE_HELP = ("Where the graph lives: oxigraph (embedded, in memory; the default, fastest at every size "
               "measured), oxigraph:PATH (embedded, on disk), memory (rdflib's own store) or sparql:URL "
               "(a remote SPARQL 1.1 endpoint). Also SUMMITKG_STORE.")


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def settings_from(ctx: click.Context, **flags: Any) -> Settings:
    """Flags beat ``SUMMITKG_*`` variables beat defaults; resolved once, here."""
    base: Settings = ctx.obj
    return base.replace(**flags)


def store_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--store", metavar="STORE", help=_STORE_HELP)(func)


class LazyGroup(click.Group):
    """A group whose heavier commands are imported when used: `summitkg query` need not load the
    server, the network views or the exporters (click's documented lazy-loading pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = LAZY_COMMANDS.get(cmd_name)
        if module is None:
            return super().get_command(ctx, cmd_name)
        from importlib import import_module

        return getattr(import_module(f"{__package__}.{module}"), cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="summitkg")
@click.option("--home", type=click.Path(file_okay=False), metavar="DIR",
              help="Project directory with ontology/, graph/ and queries/ (also SUMMITKG_HOME).")
@click.pass_context
def cli(ctx: click.Context, home: str | None) -> None:
    """A knowledge graph of Putin's two-day state visit to India for the 23rd India–Russia
    Annual Summit, built from two news articles, with every fact sourced to a verbatim quote.

    \b
    Typical use:
      summitkg validate                  check shapes, quotes and ontology
      summitkg queries                   list the named SPARQL queries
      summitkg query trade_by_year       run one (or inline SPARQL, a .rq file, - for stdin)
      summitkg info                      triples per named graph, entities per class
    """
    ctx.obj = from_env(os.environ, home=home)


@cli.command()
@click.pass_obj
def validate(settings: Settings) -> None:
    """Check the graph: SHACL shapes, every quote verbatim in its source, every term declared, every node typed.

    The shapes see the types the data states (no RDFS inference), so every node must state one.

    Exits 1 and lists each problem (focus node, path, message) when the graph does not conform;
    a syntax error in any file is reported as file:line:column.
    """
    from rich.markup import escape

    from .loading import discover, load_dataset
    from .validate import validate_dataset
    from .validation_cache import graph_digest, remember_pass

    console = _console()
    sources = discover(settings)
    dataset = load_dataset(sources)
    report = validate_dataset(dataset, settings)
    for problem in report.problems:
        mark = "[red]✗[/red]" if problem.severity == "Violation" else "[yellow]![/yellow]"
        console.print(f"{mark} {escape(str(problem))}")
    violations = sum(p.severity == "Violation" for p in report.problems)
    if violations:
        console.print(f"[red]{violations} problem(s)[/red] in {report.checked_nodes} nodes; "
                      f"{report.checked_quotes} quotes checked.")
        raise SystemExit(1)
    console.print(f"[green]✓ conforms[/green]: {report.checked_nodes} nodes, {report.checked_quotes} quotes verbatim "
                  "in their sources, every term declared, every node typed.")
    remember_pass(graph_digest(settings, sources), nodes=report.checked_nodes, quotes=report.checked_quotes)


@cli.command()
@click.argument("query")
@click.option("-f", "--format", "fmt", metavar="FORMAT",
              help="SELECT/ASK: table|csv|tsv|json|xml (table on a terminal, else tsv). "
                   "CONSTRUCT/DESCRIBE: ttl|nt|nq|trig|jsonld|xml (default ttl).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter of a named query (repeatable); typed as the query declares.")
@store_option
@click.pass_context
def query(ctx: click.Context, query: str, fmt: str | None, params: tuple[str, ...], store: str | None) -> None:
    """Run QUERY: a named query (see `summitkg queries`), a path to a .rq file, inline SPARQL, or - for stdin.

    \b
    Examples:
      summitkg query trade_by_year --format csv
      summitkg query entity_neighbourhood --param entity=res:S-400
      summitkg query 'SELECT ?s WHERE { ?s a skg:Leader }'
      summitkg query trade_by_year --store sparql:http://127.0.0.1:7878/query
    """
    from .formats import RESULT_FORMATS, serialize
    from .kg import load

    settings = settings_from(ctx, store=store)
    text = sys.stdin.read() if query == "-" else query
    bound = dict(_split_param(p) for p in params)
    rows_as = fmt or ("table" if sys.stdout.isatty() else "tsv")
    kg = load(settings)
    try:
        if rows_as in RESULT_FORMATS:
            result = kg.query_as(text, RESULT_FORMATS[rows_as], **bound)
        else:
            result = kg.query(text, **bound)
    finally:
        kg.close()
    if isinstance(result, bytes):  # written by the store itself
        _emit(result)
        return
    graph_shaped = result.type in ("CONSTRUCT", "DESCRIBE")
    name = fmt or ("ttl" if graph_shaped else rows_as)
    if name == "table" and not graph_shaped:
        _print_table(result)
        return
    _emit(serialize(result, name))


def _emit(answer: bytes) -> None:
    """The answer, ending in a newline as a shell expects (JSON, XML and JSON-LD writers stop at the
    closing bracket; the whitespace is insignificant to their parsers)."""
    sys.stdout.buffer.write(answer if not answer or answer.endswith(b"\n") else answer + b"\n")
    sys.stdout.flush()


def _split_param(raw: str) -> tuple[str, str]:
    name, eq, value = raw.partition("=")
    if not eq or not name:
        raise ParameterError(f"expected NAME=VALUE, got {raw!r}", name=name or raw)
    return name.strip(), value


def _print_table(result) -> None:
    from rdflib import URIRef
    from rich.table import Table

    from .namespaces import PREFIXES

    def short(term: Any) -> str:
        """IRIs as CURIEs where a known prefix fits; everything else as its text."""
        if term is None:
            return ""
        text = str(term)
        if isinstance(term, URIRef):
            for prefix, iri in PREFIXES.items():
                if text.startswith(iri):
                    return f"{prefix}:{text[len(iri):]}"
        return text

    console = _console()
    if result.type == "ASK":
        console.print(str(result.askAnswer).lower())
        return
    table = Table(*[str(v) for v in result.vars], show_lines=False)
    for row in result.bindings:
        table.add_row(*[short(row.get(v)) for v in result.vars])
    console.print(table)
    console.print(f"{len(result.bindings)} row(s)", style="dim")


@cli.command("queries")
@click.pass_obj
def list_queries(settings: Settings) -> None:
    """List the named queries in queries/ with their titles and parameters."""
    from rich.table import Table

    from .queries import catalogue

    table = Table("name", "title", "parameters")
    for named in catalogue(settings.queries_dir).values():
        params = ", ".join(f"{p.name}:{p.type}" + (f"={p.default}" if p.default else "") for p in named.params)
        table.add_row(named.name, named.title, params)
    _console().print(table)


@cli.command()
@store_option
@click.pass_context
def info(ctx: click.Context, store: str | None) -> None:
    """Show triples per named graph and entities per class."""
    from rich.table import Table

    from .kg import load

    kg = load(settings_from(ctx, store=store))
    try:
        graphs = kg.query("SELECT ?graph (COUNT(*) AS ?triples) WHERE { GRAPH ?graph { ?s ?p ?o } } "
                          "GROUP BY ?graph ORDER BY ?graph")
        classes = kg.query("SELECT ?class (COUNT(DISTINCT ?e) AS ?entities) WHERE { GRAPH ?g { ?e a ?class } "
                           "FILTER(STRSTARTS(STR(?class), STR(skg:))) } GROUP BY ?class ORDER BY DESC(?entities) ?class")
    finally:
        kg.close()
    console = _console()
    by_graph = Table("named graph", "triples", title=f"{kg.backend.description}")
    for row in graphs.bindings:
        by_graph.add_row(str(row["graph"]), str(row["triples"]))
    console.print(by_graph)
    by_class = Table("class", "entities")
    for row in classes.bindings:
        by_class.add_row("skg:" + str(row["class"]).split("#", 1)[-1], str(row["entities"]))
    console.print(by_class)


# Commands from other modules (each keeps its heavy imports inside the command body).
# -- commands in their own modules, imported only when run (or listed by --help) --
LAZY_COMMANDS: dict[str, str] = {
    "synth": "synth_cli", "export": "export_cli", "push": "export_cli", "docs": "export_cli",
    "viz": "viz_cli", "stats": "viz_cli", "path": "viz_cli", "serve": "serve_cli",
}


def main(argv: list[str] | None = None) -> None:
    """Entry point: user mistakes become one clear message and a non-zero exit, never a traceback."""
    try:
        cli.main(args=argv, prog_name="summitkg", standalone_mode=False)
    except SummitError as error:
        from rich.markup import escape

        _console(stderr=True).print(f"[red]error:[/red] {escape(str(error))}")
        raise SystemExit(error.exit_code) from None
    except click.exceptions.Abort:
        _console(stderr=True).print("aborted")
        raise SystemExit(130) from None
    except click.ClickException as error:
        error.show()
        raise SystemExit(error.exit_code) from None
    except SystemExit:
        raise

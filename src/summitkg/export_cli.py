"""The ``export``, ``push`` and ``docs`` commands: the graph out to files, SPARQL stores and HTML."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .config import Settings
from .errors import ConfigError

if TYPE_CHECKING:
    from rdflib import Dataset

    from .export import ExportFormat
    from .void import Dump

__all__ = ["export", "push", "docs"]

_STORE_HELP = ("Read the graph from this store instead of the project files, which are read as written "
               "(oxigraph[:PATH], sparql:URL).")


def _console(stderr: bool = True):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` beside ``path`` and rename, so a failure leaves no half-written file."""
    scratch = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch.write_bytes(data)
        scratch.replace(path)
    except OSError as error:
        scratch.unlink(missing_ok=True)
        raise ConfigError(f"cannot write {str(path)!r}: {error.strerror or error}", name="--output") from error


def void_path(output: Path) -> Path:
    """Where the VoID description of ``output`` goes: ``summitkg.trig`` → ``summitkg.trig.void.ttl``."""
    return output.with_name(output.name + ".void.ttl")


@click.command()
@click.option("-f", "--format", "fmt", metavar="FORMAT",
              help="ttl | nt | nq | trig | jsonld | xml (RDF) or graphml | gexf | csv (entity network). "
                   "Default: from the -o file's extension.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write to FILE (and its VoID description to FILE.void.ttl); default: standard output.")
@click.option("--ontology-only", is_flag=True, help="Write the ontology alone (RDF formats; xml opens in Protégé).")
@click.option("--void-only", is_flag=True, help="Write the VoID + DCAT description of the dataset alone.")
@click.option("--no-void", is_flag=True, help="Do not write FILE.void.ttl beside FILE.")
@click.option("--publish-url", metavar="URL",
              help="Where FILE will be downloadable, for the description's dump location "
                   "(default: FILE's name, relative to the description).")
@click.option("--sparql-endpoint", metavar="URL",
              help="The SPARQL endpoint serving the data, for the description (default: the --store URL if remote).")
@click.option("--store", metavar="STORE", help=_STORE_HELP)
@click.pass_obj
def export(settings: Settings, fmt: str | None, output: Path | None, ontology_only: bool, void_only: bool,
           no_void: bool, publish_url: str | None, sparql_endpoint: str | None, store: str | None) -> None:
    """Write the graph for another tool: an RDF file, compact JSON-LD, or the entity network.

    RDF formats keep the named graphs in nq, trig and jsonld (ttl, nt and xml hold their union).
    JSON-LD is compacted with ontology/context.jsonld, so keys read `label`, `source`, `quote`.
    GraphML and GEXF open in Gephi and Cytoscape with each entity's label and class and each
    relation's property and status; CSV lists one edge per row. A VoID + DCAT description of
    the dataset (triples, entities per class, properties, licence, endpoint, dump) is written
    beside every file.

    \b
    Examples:
      summitkg export -o dist/summitkg.trig          named graphs, + dist/summitkg.trig.void.ttl
      summitkg export --format ttl > summitkg.ttl
      summitkg export -o summitkg.jsonld
      summitkg export --ontology-only -o summitkg-ontology.rdf      for Protégé
      summitkg export -o network.gexf                 for Gephi; .graphml for Cytoscape
      summitkg export -o edges.csv
      summitkg export --void-only --sparql-endpoint https://example.org/sparql
    """
    from .export import EXPORT_FORMATS, dataset_of, export_format, load_context, network_bytes, rdf_bytes
    from .kg import load
    from .stores import parse_store_spec

    if ontology_only and void_only:
        raise ConfigError("choose one of --ontology-only and --void-only", name="--ontology-only")
    # Without --store, the project files as written (rdflib keeps each literal's lexical form;
    # Oxigraph would write 23.0 back as 23).
    settings = settings.replace(store=store or "memory")
    chosen = EXPORT_FORMATS["ttl"] if void_only and fmt is None and output is None else export_format(fmt, output)
    if (ontology_only or void_only) and chosen.kind != "rdf":
        flag = "--ontology-only" if ontology_only else "--void-only"
        raise ConfigError(f"{flag} writes RDF; {chosen.name} is a network format", name="--format")
    scheme, location = parse_store_spec(settings.store)
    endpoint = sparql_endpoint or (location if scheme == "sparql" else None)
    context = load_context(settings) if chosen.name == "jsonld" else None
    kg = load(settings)
    try:
        dataset = dataset_of(kg)
        if void_only:
            data = _void(dataset, chosen, context, endpoint=endpoint, dumps=())
        elif chosen.kind == "rdf":
            data = rdf_bytes(dataset, chosen, context=context, ontology_only=ontology_only)
        else:
            from .network import entity_network

            data = network_bytes(entity_network(kg), chosen)
    finally:
        kg.close()
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    _write_atomically(output, data)
    console = _console()
    console.print(f"[green]✓[/green] {output} ({chosen.name}, {len(data):,} bytes)")
    if no_void or ontology_only or void_only:
        return
    from .void import Dump

    url = f"{publish_url.rstrip('/')}/{output.name}" if publish_url else output.name
    description = _void(dataset, EXPORT_FORMATS["ttl"], None, endpoint=endpoint,
                        dumps=(Dump(url, chosen.media_type, len(data)),))
    _write_atomically(void_path(output), description)
    console.print(f"[green]✓[/green] {void_path(output)} (VoID + DCAT description)")


def _void(dataset: Dataset, fmt: ExportFormat, context: dict | None, *, endpoint: str | None,
          dumps: Sequence[Dump]) -> bytes:
    from .formats import RDF_FORMATS
    from .void import describe

    graph = describe(dataset, dumps=dumps, sparql_endpoint=endpoint)
    if fmt.name == "jsonld":
        return graph.serialize(format="json-ld", context=context, auto_compact=True).encode("utf-8")
    return graph.serialize(format=RDF_FORMATS[fmt.name].library_name, encoding="utf-8")


@click.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's SPARQL 1.1 Graph Store Protocol URL (Oxigraph: …/store, Fuseki: …/DATASET/data, "
                   "GraphDB: …/repositories/REPO/rdf-graphs/service, Virtuoso: …/sparql-graph-crud-auth).")
@click.option("--update", metavar="URL",
              help="SPARQL 1.1 Update endpoint, for stores without the Graph Store Protocol (INSERT DATA in batches).")
@click.option("--query", "query_url", metavar="URL",
              help="SPARQL query endpoint used to count what the store holds (default: GET each graph back).")
@click.option("--user", envvar="SUMMITKG_PUSH_USER", metavar="NAME", help="User name (also SUMMITKG_PUSH_USER).")
@click.option("--password", envvar="SUMMITKG_PUSH_PASSWORD", metavar="SECRET",
              help="Password (also SUMMITKG_PUSH_PASSWORD); Basic or Digest, as the store asks.")
@click.option("--batch-size", default=5000, show_default=True, metavar="N",
              type=click.IntRange(min=1), help="Triples per INSERT DATA request on the SPARQL Update fallback.")
@click.option("--timeout", default=60.0, show_default=True, metavar="SECONDS", type=click.FloatRange(min=0.1),
              help="Time limit for one HTTP request.")
@click.pass_obj
def push(settings: Settings, endpoint: str, update: str | None, query_url: str | None, user: str | None,
         password: str | None, batch_size: int, timeout: float) -> None:
    """Load the graph into a SPARQL 1.1 store and check how many triples it holds.

    One Graph Store Protocol PUT per named graph replaces that graph, so pushing again never
    duplicates anything; a store without the protocol gets SPARQL Update (DROP SILENT GRAPH, then
    INSERT DATA in batches) when --update is given. After each graph the store's count is
    checked against what was sent. Then query the store with `--store sparql:QUERY-URL`.

    \b
    Examples:
      summitkg push --endpoint http://127.0.0.1:7878/store --query http://127.0.0.1:7878/query
      summitkg push --endpoint http://localhost:3030/summitkg/data --user admin --password …
      summitkg push --endpoint http://localhost:8890/sparql-graph-crud-auth --user dba --password dba \\
                    --query http://localhost:8890/sparql
      summitkg query trade_by_year --store sparql:http://127.0.0.1:7878/query
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.table import Table

    from .export import dataset_of, named_graphs
    from .kg import load
    from .push import PushTarget
    from .push import push as push_dataset

    target = PushTarget(endpoint, update=update, query=query_url, user=user, password=password, timeout=timeout)
    kg = load(settings.replace(store="memory"))
    dataset = dataset_of(kg)
    total = sum(len(g) for g in named_graphs(dataset))
    console = _console()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("triples"))
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(f"pushing to {endpoint}", total=total)

        def sent(graph: str, n: int) -> None:
            progress.update(task, advance=n, description=f"graph <{graph}>")

        report = push_dataset(dataset, target, batch_size=batch_size, on_sent=sent)
    table = Table("named graph", "sent", "in store", "by", title=f"pushed to {endpoint}")
    for done in report.graphs:
        table.add_row(done.graph, str(done.sent), str(done.held), "PUT" if done.method == "gsp" else "INSERT DATA")
    console.print(table)
    console.print(f"[green]✓[/green] {report.sent} triples sent in {len(report.graphs)} named graphs; "
                  f"the store holds {report.held} in them.")


@click.command()
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Directory to write index.html into.")
@click.option("--store", metavar="STORE", help=_STORE_HELP)
@click.pass_obj
def docs(settings: Settings, output: Path, store: str | None) -> None:
    """Write HTML documentation of the ontology (pyLODE) to DIR/index.html.

    Every class and property with its label, comment, domain, range and super-classes, and up to
    three instances or uses of each from the data. The page needs no network.

    \b
    Example:
      summitkg docs -o site/ontology && xdg-open site/ontology/index.html
    """
    from .docs import write_docs
    from .export import dataset_of
    from .kg import load

    kg = load(settings.replace(store=store))
    try:
        page = write_docs(dataset_of(kg), output)
    finally:
        kg.close()
    _console().print(f"[green]✓[/green] {page}")

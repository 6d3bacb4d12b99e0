"""The ``viz``, ``stats`` and ``path`` commands: the summit as a network, in a browser or a terminal.

Heavy libraries (networkx, pyvis, rdflib stores) are imported inside the commands.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

import click

from .analytics import DEFAULT_MAX_NODES, MEASURES
from .cli import _console, settings_from, store_option

__all__ = ["viz", "stats", "path"]


def _split_classes(values: Sequence[str]) -> list[str]:
    return [c.strip() for value in values for c in value.split(",") if c.strip()]


def _filter_options(func):
    func = click.option("--source", metavar="DOC",
                        help="Only what one source document says: 000, 004, res:Document_004 …")(func)
    return click.option("--classes", multiple=True, metavar="CLASS[,CLASS…]",
                        help="Only entities of these classes or their subclasses (Leader, skg:Country, "
                             "'air-defence system' …); repeatable.")(func)


def _describe(classes: Sequence[str], source: str | None) -> str:
    parts = []
    if classes:
        parts.append(f"of class {', '.join(classes)}")
    if source:
        parts.append(f"in document {source}")
    return " ".join(parts) or "in the graph"


@click.command()
@click.option("-o", "--output", required=True, metavar="FILE.html", type=click.Path(dir_okay=False, allow_dash=True),
              help="The page to write (one self-contained file; - for stdout).")
@_filter_options
@click.option("--focus", metavar="ENTITY", help="Ego network around ENTITY (IRI, CURIE such as res:S-400, or label).")
@click.option("--depth", type=click.IntRange(0), metavar="N",
              help="With --focus: relations to follow outwards (default 1).")
@click.option("--path", "ends", nargs=2, metavar="A B", help="The shortest chains of relations between two entities.")
@click.option("--query", "query", metavar="NAME|FILE",
              help="Draw the graph a CONSTRUCT query returns (named query or .rq).")
@click.option("--size", "size_by", type=click.Choice(MEASURES), default="degree", show_default=True,
              help="What node size shows; above --max-nodes the view keeps the highest.")
@click.option("--max-nodes", type=click.IntRange(1), default=DEFAULT_MAX_NODES, show_default=True, metavar="N",
              help="Keep at most N entities (the most central); the page says what was left out.")
@click.option("--title", metavar="TEXT", help="Page heading (default: describes the view).")
@store_option
@click.pass_context
def viz(ctx: click.Context, output: str, classes: tuple[str, ...], source: str | None, focus: str | None,
        depth: int | None, ends: tuple[str, str] | None, query: str | None, size_by: str, max_nodes: int,
        title: str | None, store: str | None) -> None:
    """Draw the network as one HTML page that works offline: open it from disk in any browser.

    Nodes are entities, coloured and shaped by class; edges are relations labelled by property,
    solid when stated, dashed when expected, offered or reported, dotted for opinions. Hover
    for the sources and verbatim quotes; click for all of them; search and class toggles are
    on the page. vis-network is inlined and the page requests nothing from any host.

    \b
    Examples:
      summitkg viz -o summit.html                            whole graph
      summitkg viz -o defence.html --classes WeaponSystem,Country,Arrangement
      summitkg viz -o doc004.html --source 004               what document 004 says
      summitkg viz -o s400.html --focus res:S-400 --depth 2  ego network
      summitkg viz -o chain.html --path "Vladimir Putin" S-400
      summitkg viz -o edges.html --query network_edges       a CONSTRUCT query's graph
    """
    from .kg import load
    from .network import (
        EmptyNetworkError,
        construct_network,
        ego_network,
        entity_network,
        path_network,
        resolve_entity,
        shortest_paths,
    )
    from .visualize import NetworkView, check_writable

    class_list = _split_classes(classes)
    if focus and ends:
        raise click.UsageError("choose one view: --focus or --path, not both")
    if depth is not None and not focus:
        raise click.UsageError("--depth goes with --focus ENTITY")
    if query and (focus or ends or class_list or source):
        raise click.UsageError("--query draws the query's own graph; it does not combine with "
                               "--focus, --path, --classes or --source")
    check_writable(output)
    console = _console(stderr=True)
    with console.status("Loading the graph…") as status:
        kg = load(settings_from(ctx, store=store))
        try:
            status.update("Building the network…")
            graph = construct_network(kg, query) if query else entity_network(kg, classes=class_list, source=source)
        finally:
            kg.close()
        if graph.number_of_nodes() == 0:
            what = f"the query {query!r} returned no relations" if query else \
                f"no entity {_describe(class_list, source)}"
            raise EmptyNetworkError(f"{what}; no page was written")
        view_title, notes, paths, centre = "The summit network", [], [], None
        if query:
            view_title = f"Query view: {query}"
        if focus:
            centre = resolve_entity(graph, focus)
            graph = ego_network(graph, centre, 1 if depth is None else depth)
            view_title = f"{graph.nodes[centre]['label']}: ego network, depth {1 if depth is None else depth}"
        if ends:
            a, b = (resolve_entity(graph, end) for end in ends)
            paths = shortest_paths(graph, a, b)
            graph = path_network(graph, paths)
            view_title = f"{graph.nodes[a]['label']} → {graph.nodes[b]['label']}: shortest chains"
            notes.append(f"{len(paths)} shortest chain(s) of {len(paths[0])} relation(s).")
        if class_list or source:
            notes.append(f"Filtered: entities {_describe(class_list, source)}.")
        status.update("Rendering the page…")
        view = NetworkView(graph, title=title or view_title, size_by=size_by, max_nodes=max_nodes, focus=centre,
                           paths=paths, notes=notes)
        page = view.html()
    from .visualize import write_text

    written = write_text(output, page)
    if str(written) != "-":
        shown, _ = view.shown()
        console.print(f"wrote {written}: {shown.number_of_nodes():,} entities, {shown.number_of_edges():,} relations "
                      f"({len(page.encode()) / 1e6:.1f} MB, self-contained)")


@click.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="table for people, json or csv for programs (csv: section,rank,id,label,value,relations).")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="Entities per ranking.")
@_filter_options
@store_option
@click.pass_context
def stats(ctx: click.Context, fmt: str, top: int, classes: tuple[str, ...], source: str | None,
          store: str | None) -> None:
    """Network figures: entities and relations by class and property, the most central entities by
    degree, betweenness and PageRank, and communities (networkx, Louvain with a fixed seed).

    \b
    Examples:
      summitkg stats
      summitkg stats --format json --top 5
      summitkg stats --source 000 --format csv > doc000.csv
    """
    from .analytics import network_stats
    from .kg import load
    from .network import EmptyNetworkError, entity_network

    class_list = _split_classes(classes)
    kg = load(settings_from(ctx, store=store))
    try:
        graph = entity_network(kg, classes=class_list, source=source)
    finally:
        kg.close()
    if graph.number_of_nodes() == 0:
        raise EmptyNetworkError(f"no entity {_describe(class_list, source)}")
    result = network_stats(graph, top=top)
    if fmt == "json":
        sys.stdout.write(result.to_json() + "\n")
    elif fmt == "csv":
        sys.stdout.write(result.to_csv())
    else:
        _print_stats(result)


def _print_stats(result) -> None:
    from rich.table import Table

    console = _console()
    console.print(f"[bold]{result.nodes:,}[/bold] entities, [bold]{result.edges:,}[/bold] relations")
    by_class = Table("class", "entities", "relations", title="By class")
    for c in result.classes:
        by_class.add_row(c.label, str(c.nodes), str(c.edges))
    console.print(by_class)
    by_property = Table("property", "relations", title="By property")
    for p in result.properties:
        by_property.add_row(p.label, str(p.edges))
    console.print(by_property)
    ranking = Table("#", *[f"{m}" for m in result.top], title="Most central entities")
    columns = list(result.top.values())
    for i in range(max(map(len, columns), default=0)):
        cells = []
        for ranked in columns:
            r = ranked[i] if i < len(ranked) else None
            cells.append("" if r is None else f"{r.label} ({_fmt(r.value)})")
        ranking.add_row(str(i + 1), *cells)
    console.print(ranking)
    communities = Table("#", "size", "members (most connected first)", title="Communities")
    for c in result.communities:
        more = " …" if c.size > len(c.members) else ""
        communities.add_row(str(c.number), str(c.size), ", ".join(c.members) + more)
    console.print(communities)
    for note in result.notes:
        console.print(note, style="dim")


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"


@click.command()
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="At most this many chains.")
@store_option
@click.pass_context
def path(ctx: click.Context, a: str, b: str, fmt: str, limit: int, store: str | None) -> None:
    """The shortest chains of relations between entities A and B, each step with its property label.

    A and B are IRIs, CURIEs (res:S-400) or labels; relations are followed either way, and
    each step shows its direction (—label→ forward, ←label— backward) and the claims behind it.

    \b
    Examples:
      summitkg path "Vladimir Putin" S-400
      summitkg path res:India res:Oil --format json
    """
    from rich.markup import escape

    from .kg import load
    from .network import EmptyNetworkError, entity_network, resolve_entity, shortest_paths

    kg = load(settings_from(ctx, store=store))
    try:
        graph = entity_network(kg)
    finally:
        kg.close()
    start, end = resolve_entity(graph, a), resolve_entity(graph, b)
    if start == end:
        raise EmptyNetworkError(f"{a!r} and {b!r} are the same entity ({graph.nodes[start]['curie']})")
    paths = shortest_paths(graph, start, end, limit=limit)
    label = lambda n: graph.nodes[n]["label"]  # noqa: E731
    if fmt == "json":
        out = [{"length": len(p), "nodes": [{"id": n, "label": label(n)} for n in p.nodes],
                "steps": [{"from": s.source, "to": s.target,
                           "relations": [{"subject": r.subject, "property": r.property, "label": r.label,
                                          "object": r.object, "claims": list(r.claims)} for r in s.relations]}
                          for s in p.steps]} for p in paths]
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    console = _console()
    console.print(f"{len(paths)} shortest chain(s) of {len(paths[0])} relation(s) from "
                  f"[bold]{escape(label(start))}[/bold] to [bold]{escape(label(end))}[/bold]:")
    for number, p in enumerate(paths, 1):
        console.print(f"\n{number}. {escape(label(p.nodes[0]))}")
        for step in p.steps:
            for i, r in enumerate(step.relations):
                arrow = f"—{r.label}→" if r.subject == step.source else f"←{r.label}—"
                claims = f"  [dim]({', '.join(r.claims)})[/dim]" if r.claims else "  [dim](entity description)[/dim]"
                lead = "   " if i == 0 else "   or"
                console.print(f"{lead} {escape(arrow)} {escape(label(step.target))}{claims}")

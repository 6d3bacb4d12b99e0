"""`summitkg synth`: deterministic scale data for benchmarks and tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import click


@click.command()
@click.option("--triples", type=click.IntRange(min=1000), required=True, metavar="N",
              help="About how many triples to write (the real graph plus synthetic clusters).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, metavar="FILE",
              help="N-Triples file to write; the documents' texts go to sources/ beside it.")
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed: the same seed gives the same file.")
@click.pass_obj
def synth(settings, triples: int, output: Path, seed: int) -> None:
    """Generate scale data in summitkg's ontology with the shape of the real graph.

    Many state visits between countries across years, with leaders, summits, agreements with
    statuses, weapon systems, corridors, trade observations, and claims with modalities, periods,
    references and quotes (written into the documents' texts, so `validate` checks them).

    When FILE sits in a directory named graph/, the ontology and the named queries are copied
    beside it, so the parent directory is a ready project:

    \b
      summitkg synth --triples 100000 -o scale/graph/synth.nt
      summitkg --home scale validate
      summitkg --home scale query trade_by_year --store oxigraph
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from .errors import ConfigError
    from .synth import SynthSpec, synthesize

    spec = SynthSpec(triples=triples, seed=seed)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), transient=True) as progress:
            task = progress.add_task("clusters", total=None)
            written = synthesize(spec, output, settings,
                                 progress=lambda done, total: progress.update(task, completed=done, total=total))
        if output.parent.name == "graph":
            home = output.parent.parent
            for name in ("ontology", "queries"):
                shutil.copytree(settings.home / name, home / name, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("fragments"))
    except OSError as error:
        raise ConfigError(f"cannot write {output}: {error.strerror or error}", name="--output") from error
    click.echo(f"wrote {written:,} triples (seed {seed}) to {output}")

"""Load and query speed at every scale, per store, with pyoxigraph's own bulk_load as the yardstick.

For each size, `summitkg synth` writes a project; then, each in a fresh process so peak memory
is its own: load it into rdflib (memory), Oxigraph in memory and Oxigraph on disk through
summitkg, and into a bare pyoxigraph Store with `bulk_load` (the engine's own figure). Every
named query then runs on each store (median and p95 of repeated runs); rows are compared across
stores, not assumed equal. Writes tables and a log-log plot to benchmarks/.

    python benchmarks/bench_scale.py                      # 10k, 100k, 1M (rdflib up to 100k)
    python benchmarks/bench_scale.py --sizes 10000 --runs 5
    python benchmarks/bench_scale.py --with-10m           # adds 10M (Oxigraph only)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from results_md import machine, write_section
from rich.progress import Progress

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PLOT = HERE / "scaling.png"
HEADING = "## Load and query at scale (issue 7)"

# One worker process per (store, size): load, then time every named query; prints JSON.
WORKER = r"""
import json, resource, statistics, sys, time
from pathlib import Path
home, store, runs = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if store == "bulk_load":
    import pyoxigraph as ox
    start = time.perf_counter()
    s = ox.Store()
    for f in sorted((home / "graph").glob("*.nt")):
        s.bulk_load(path=str(f), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("urn:g"))
    load = time.perf_counter() - start
    size = len(s)
    print(json.dumps({"load": load, "triples": size,
                      "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base, "queries": {}}))
    raise SystemExit
from summitkg.config import Settings
from summitkg.kg import load as kg_load
from summitkg.queries import catalogue
settings = Settings(home=home)
if store == "oxigraph-disk":
    store = "oxigraph:" + str(home / "store")
start = time.perf_counter()
kg = kg_load(settings, store=store)
load = time.perf_counter() - start
size = len(kg)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base
out = {}
for name in catalogue(home / "queries"):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = kg.query(name)
        times.append(time.perf_counter() - t)
    rows = r.askAnswer if r.type == "ASK" else len(r.graph) if r.type == "CONSTRUCT" else len(r.bindings)
    times.sort()
    out[name] = {"median": statistics.median(times), "p95": times[min(len(times) - 1, int(0.95 * len(times)))],
                 "rows": rows}
print(json.dumps({"load": load, "triples": size, "rss_kb": rss, "queries": out}))
"""


def run_worker(home: Path, store: str, runs: int) -> dict:
    done = subprocess.run([sys.executable, "-c", WORKER, str(home), store, str(runs)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def synth(size: int, workdir: Path) -> Path:
    home = workdir / f"scale-{size}"
    subprocess.run([sys.executable, "-m", "summitkg", "--home", str(ROOT), "synth", "--triples", str(size),
                    "-o", str(home / "graph" / "synth.nt")], check=True, capture_output=True)
    return home




def plot(results: dict[tuple[str, int], dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (load_ax, query_ax) = plt.subplots(1, 2, figsize=(11, 4.2))
    for store in ("memory", "oxigraph", "oxigraph-disk", "bulk_load"):
        points = sorted((t, r) for (s, t), r in results.items() if s == store)
        if not points:
            continue
        sizes = [r["triples"] for _, r in points]
        load_ax.plot(sizes, [r["load"] for _, r in points], marker="o", label=store)
        if store != "bulk_load":
            query_ax.plot(sizes, [sum(q["median"] for q in r["queries"].values()) for _, r in points],
                          marker="o", label=store)
    for ax, title in ((load_ax, "load time (s)"), (query_ax, "all named queries, sum of medians (s)")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("triples")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(PLOT, dpi=110)




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--with-10m", action="store_true", help="add 10,000,000 triples (Oxigraph stores only)")
    parser.add_argument("--rdflib-max", type=int, default=100_000, help="largest size run on the rdflib store")
    parser.add_argument("--runs", type=int, default=5, help="runs per named query (median, p95)")
    args = parser.parse_args()
    sizes = args.sizes + ([10_000_000] if args.with_10m else [])
    results: dict[tuple[str, int], dict] = {}
    mismatches: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, Progress() as progress:
        cases = [(size, store) for size in sizes for store in ("bulk_load", "oxigraph", "oxigraph-disk", "memory")
                 if store != "memory" or size <= args.rdflib_max]
        task = progress.add_task("benchmarks", total=len(cases) + len(sizes))
        homes = {}
        for size in sizes:
            progress.update(task, description=f"synth {size:,}")
            homes[size] = synth(size, Path(tmp))
            progress.advance(task)
        for size, store in cases:
            progress.update(task, description=f"{store} @ {size:,}")
            results[(store, size)] = run_worker(homes[size], store, args.runs)
            progress.advance(task)
        for size in sizes:
            stores = [s for s in ("memory", "oxigraph", "oxigraph-disk") if (s, size) in results]
            for name in results[(stores[0], size)]["queries"]:
                rows = {s: results[(s, size)]["queries"][name]["rows"] for s in stores}
                if len(set(rows.values())) > 1:
                    mismatches.append(f"{name} @ {size:,}: {rows}")
    plot(results)
    lines = [HEADING, "", f"{date.today().isoformat()} · {machine()} · {args.runs} runs per query.", "",
             "### Load", "", "| triples | store | load (s) | triples/s | peak RSS (bytes/triple) | vs bulk_load |",
             "|---|---|---|---|---|---|"]
    for (store, size), r in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        bulk = results.get(("bulk_load", size))
        ratio = f"{bulk['load'] / r['load']:.2f}×" if bulk and store.startswith("oxigraph") else ""
        lines.append(f"| {r['triples']:,} | {store} | {r['load']:.2f} | {r['triples'] / r['load']:,.0f} | "
                     f"{r['rss_kb'] * 1024 / r['triples']:,.0f} | {ratio} |")
    lines += ["", "### Named queries (median / p95, ms)", ""]
    stores = ("memory", "oxigraph", "oxigraph-disk")
    for size in sizes:
        present = [s for s in stores if (s, size) in results]
        lines += [f"**{size:,} triples**", "", "| query | rows | " + " | ".join(present) + " |",
                  "|---|---|" + "---|" * len(present)]
        for name, q in results[(present[0], size)]["queries"].items():
            cells = [f"{results[(s, size)]['queries'][name]['median'] * 1000:.1f} / "
                     f"{results[(s, size)]['queries'][name]['p95'] * 1000:.1f}" for s in present]
            lines.append(f"| `{name}` | {q['rows']} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += ["Same number of rows on every store: " + ("yes, for every query and size." if not mismatches
              else "NO — " + "; ".join(mismatches)), "", f"![scaling plot]({PLOT.name})", ""]
    body = "\n".join(lines) + "\n"
    write_section(HEADING, body)
    print(body)


if __name__ == "__main__":
    main()

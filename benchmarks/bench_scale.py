"""Load and query speed at every scale, per store, with pyoxigraph's own bulk_load as the yardstick.

For each size, `summitkg synth` writes a project; then, each in a fresh process so peak memory
is its own: load it into rdflib (memory), Oxigraph in memory and Oxigraph on disk through
summitkg, and into a bare pyoxigraph Store with `bulk_load` (the engine's own figure). Every
named query then runs on each store (median and p95 of repeated runs); rows are compared across
stores, not assumed equal. Writes tables and a log-log plot to benchmarks/.

    python benchmarks/bench_scale.py                      # 10k, 100k, 1M on every store
    python benchmarks/bench_scale.py --sizes 10000 --runs 5
    python benchmarks/bench_scale.py --with-10m           # adds 10M (Oxigraph only)
"""

from __future__ import annotations

import argparse
import json
import os
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
import json, multiprocessing, os, resource, statistics, sys, time
from pathlib import Path
home, store, runs, caps = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
scratch, files, raw_target = Path(sys.argv[5]), json.loads(sys.argv[6]), float(sys.argv[7])

BUDGET = 0.15  # seconds of timed work per query before the run count stops growing
SLOW = 3.0  # past this many seconds of runs, 3 runs are enough (the slowest queries at 1M)
repeat = not (store == "memory" and caps)  # rdflib past the summit graph: `runs` runs, no more

def peak_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

if store.startswith("bulk_load"):
    # The engine alone, loading the same files into the same named graphs; nothing else imported.
    import pyoxigraph as ox
    base = peak_kb()  # memory is counted from here: what loading the data takes, not the imports
    start = time.perf_counter()
    s = ox.Store(str(scratch / "raw-store")) if store.endswith("disk") else ox.Store()
    for path, graph in files:
        s.bulk_load(path=path, format=ox.RdfFormat.from_extension(path.rsplit(".", 1)[1]), to_graph=ox.NamedNode(graph))
    s.flush()
    load = time.perf_counter() - start
    size = len(s)
    print(json.dumps({"load": load, "triples": size, "rss_kb": peak_kb() - base, "queries": {}}))
    raise SystemExit
from summitkg.binding import inject_values
from summitkg.config import Settings
from summitkg.kg import load as kg_load
from summitkg.namespaces import PREFIXES
from summitkg.queries import catalogue
import summitkg.loading, summitkg.stores.memory, summitkg.stores.oxigraph  # imported before counting memory
settings = Settings(home=home)
base = peak_kb()
spec = "oxigraph:" + str(scratch / "store") if store == "oxigraph-disk" else store
start = time.perf_counter()
kg = kg_load(settings, store=spec)
load = time.perf_counter() - start
size = len(kg)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base

def size_of(r):
    return r.askAnswer if r.type == "ASK" else len(r.graph) if r.type == "CONSTRUCT" else len(r.bindings)

def digest(r, concatenated=frozenset()):
    # The rows themselves, so that stores are compared on what they answer, not only how much.
    # Blank node labels are each store's own; numbers compare by value (rdflib may write 63.60
    # where Oxigraph writes 63.6); a GROUP_CONCAT's order is the engine's choice, and so is its
    # language tag (Oxigraph keeps a tag all the parts share, rdflib drops it): the same rules as
    # the row-for-row test in tests/test_stores.py.
    import hashlib
    import re
    from decimal import Decimal, InvalidOperation
    from rdflib import BNode, Literal
    def key(t, column=""):
        if t is None:
            return ""
        if isinstance(t, BNode):
            return "_:"
        if isinstance(t, Literal) and column in concatenated:
            return " ".join(sorted(re.split(",? ", str(t))))
        if isinstance(t, Literal):
            text = str(t)
            try:
                text = format(Decimal(text).normalize()) if t.datatype and "XMLSchema#" in t.datatype else text
            except InvalidOperation:
                pass
            return f"{text}|{t.datatype or ''}|{t.language or ''}"
        return str(t)
    if r.type == "ASK":
        rows = [str(r.askAnswer)]
    elif r.type == "CONSTRUCT":
        rows = sorted(tuple(key(x) for x in triple) for triple in r.graph)
    else:
        rows = sorted(tuple(key(b.get(v), str(v)) for v in r.vars) for b in r.bindings)
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]

def concatenated_columns(name):
    import re
    text = (home / "queries" / f"{name}.rq").read_text()
    return frozenset(re.findall(r"GROUP_CONCAT\(.*?\)\s*AS\s*\?(\w+)", text, re.S | re.I))

def timed(run, describe=lambda result: {"rows": result}, alongside=None):
    # `runs` runs (3 once they pass 3 s), more for fast queries (until ~0.15 s, at most 200), so a
    # sub-millisecond median is not three samples' luck. `alongside` (the raw pyoxigraph run) is
    # interleaved run for run, so both see the same machine and the same caches.
    times, other, result = [], [], None
    while (len(times) < runs and (len(times) < 3 or sum(times) + sum(other) < SLOW)) or (
            repeat and sum(times) + sum(other) < BUDGET and len(times) < 200):
        t = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t)
        if alongside is not None:
            t = time.perf_counter()
            alongside()
            other.append(time.perf_counter() - t)
    times.sort()
    return {"median": statistics.median(times), "p95": times[min(len(times) - 1, int(0.95 * len(times)))],
            "runs": len(times), **({"raw": statistics.median(other)} if other else {}), **describe(result)}

def answerer(name):
    columns = concatenated_columns(name)
    return lambda result: {"rows": size_of(result), "digest": digest(result, columns)}

def read_through(result):
    # A graph answer is read through once, as the raw run reads every value of every solution.
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        for _ in result.graph:
            pass
    return result

def answered(name):
    return read_through(kg.query(name))

def capped(name):
    # rdflib cannot be interrupted mid-query: run it in a forked child and stop that at the cap.
    parent, child = multiprocessing.Pipe(duplex=False)
    proc = multiprocessing.get_context("fork").Process(target=lambda: child.send(timed(lambda: answered(name), answerer(name))))
    proc.start()
    cap = caps.get(name, caps.get("", 0))
    if parent.poll(cap * runs):
        out = parent.recv()
        proc.join()
        return out
    proc.kill()
    proc.join()
    return {"median": None, "p95": None, "rows": None, "stopped_after": cap}

def raw(name):
    # The same SPARQL straight on pyoxigraph, every value of every solution read (as pyoxigraph terms).
    text, named = kg.resolve(name)
    full = inject_values(text, named.bind({}))
    def run():
        r = kg.backend.store.query(full, prefixes=PREFIXES, use_default_graph_as_union=True)
        return bool(r) if hasattr(r, "__bool__") and not hasattr(r, "__iter__") else len([tuple(s) for s in r])
    return run

out = {}
for name in catalogue(home / "queries"):
    out[name] = (capped(name) if store == "memory" and caps else
                 timed(lambda: answered(name), answerer(name), raw(name) if store == "oxigraph" else None))

def where_the_time_goes(name):
    # For a query over the ×raw target: summitkg's lookup and binding, Oxigraph (the raw run), and
    # building rdflib's objects from the answer, each timed on its own; then cProfile's top self times.
    import cProfile, pstats
    from summitkg.stores.oxigraph import to_query_result
    text, named = kg.resolve(name)
    full = inject_values(text, named.bind({}))
    def prepare():
        text, named = kg.resolve(name)
        return inject_values(text, named.bind({}))
    built = timed(lambda: read_through(to_query_result(kg.backend.store.query(full, prefixes=PREFIXES,
                                                                             use_default_graph_as_union=True))),
                  alongside=raw(name))
    profile = cProfile.Profile()
    profile.runcall(lambda: [answered(name) for _ in range(max(1, min(200, int(0.2 / out[name]["median"]))))])
    stats = pstats.Stats(profile).stats
    total = sum(tottime for _, _, tottime, _, _ in stats.values()) or 1
    top = sorted(((tottime / total, fn if file == "~" else f"{fn} ({Path(file).name})")
                  for (file, _, fn), (_, _, tottime, _, _) in stats.items()), reverse=True)[:4]
    return {"prepare": timed(prepare)["median"], "engine": built["raw"], "convert": max(0.0, built["median"] - built["raw"]),
            "profile": [(round(share, 3), where) for share, where in top]}

if store == "oxigraph":
    for name, q in out.items():
        if q["median"] > raw_target * q["raw"]:
            q["breakdown"] = where_the_time_goes(name)
print(json.dumps({"load": load, "triples": size, "rss_kb": rss, "queries": out}))
"""


def run_worker(home: Path, store: str, runs: int, caps: dict[str, float] | None = None) -> dict:
    """One store at one size, in a fresh process; ``caps``: seconds after which an rdflib query is
    stopped, by query name ("" for the rest)."""
    from summitkg.config import Settings
    from summitkg.loading import discover

    files = json.dumps([(str(s.path), str(s.graph)) for s in discover(Settings(home=home))])
    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run([sys.executable, "-c", WORKER, str(home), store, str(runs), json.dumps(caps or {}), scratch, files, str(TARGET_RAW)],
                              capture_output=True, text=True, check=True)
        if store.endswith("disk"):
            os.sync()  # the on-disk store's writes are done now, not during the next store's run
    return json.loads(done.stdout.strip().splitlines()[-1])


def synth(size: int, workdir: Path) -> Path:
    """A project of about ``size`` triples; size 0 is the summit graph itself."""
    if size == SUMMIT:
        return ROOT
    home = workdir / f"scale-{size}"
    subprocess.run([sys.executable, "-m", "summitkg", "--home", str(ROOT), "synth", "--triples", str(size),
                    "-o", str(home / "graph" / "synth.nt")], check=True, capture_output=True)
    return home




def plot(results: dict[tuple[str, int], dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (load_ax, query_ax) = plt.subplots(1, 2, figsize=(11, 4.2))
    for store in ("memory", "oxigraph", "oxigraph-disk", "bulk_load", "bulk_load-disk"):
        points = sorted((t, r) for (s, t), r in results.items() if s == store)
        if not points:
            continue
        sizes = [r["triples"] for _, r in points]
        load_ax.plot(sizes, [r["load"] for _, r in points], marker="o", label=store)
        if not store.startswith("bulk_load"):
            # A query rdflib was stopped on counts at the cap, so its line is a lower bound.
            totals = [sum(q["median"] if q["median"] is not None else q["stopped_after"] for q in r["queries"].values())
                      for _, r in points]
            label = store + (" (≥: stopped queries count at the cap)" if store == "memory" else "")
            query_ax.plot(sizes, totals, marker="o", label=label)
    for ax, title in ((load_ax, "load time (s)"), (query_ax, "all named queries, sum of medians (s)")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("triples")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(PLOT, dpi=110)




STORES = ("memory", "oxigraph", "oxigraph-disk")
SUMMIT = 0  # the size that stands for the shipped summit graph, not synthetic data


RDFLIB_CAP_FACTOR = 11.0


def rdflib_caps(oxigraph: dict, floor: float) -> dict[str, float]:
    """How long rdflib may take on each query: the floor, or long enough to show whether it is
    10x slower than the Oxigraph store (whose run at the same size comes first)."""
    return {"": floor, **{name: max(floor, RDFLIB_CAP_FACTOR * q["median"])
                         for name, q in oxigraph["queries"].items()}}


def size_arg(text: str) -> int:
    return SUMMIT if text == "summit" else int(text)


def size_label(size: int) -> str:
    return "the summit graph" if size == SUMMIT else f"{size:,} triples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=size_arg, nargs="+", default=[SUMMIT, 10_000, 100_000, 1_000_000],
                        help="triples per generated graph; 'summit' is the shipped graph itself")
    parser.add_argument("--with-10m", action="store_true", help="add 10,000,000 triples (Oxigraph stores only)")
    parser.add_argument("--rdflib-max", type=int, default=1_000_000, help="largest size run on the rdflib store")
    parser.add_argument("--rdflib-cap", type=float, default=3.0, metavar="SECONDS",
                        help="stop an rdflib query after this long (it cannot be interrupted, so it runs forked)")
    parser.add_argument("--runs", type=int, default=5, help="runs per named query (median, p95)")
    parser.add_argument("--no-write", action="store_true", help="print the section; leave RESULTS.md and the plot alone")
    args = parser.parse_args()
    sizes = args.sizes + ([10_000_000] if args.with_10m else [])
    results: dict[tuple[str, int], dict] = {}
    with tempfile.TemporaryDirectory() as tmp, Progress() as progress:
        cases = [(size, store) for size in sizes
                 # Each store right after the engine's own load on the same medium, so that the
                 # ratio compares neighbours, not a run made while an on-disk store was being written.
                 for store in ("bulk_load", "oxigraph", "bulk_load-disk", "oxigraph-disk", "memory")
                 if store != "memory" or size <= args.rdflib_max]
        task = progress.add_task("benchmarks", total=len(cases) + len(sizes))
        homes = {}
        for size in sizes:
            progress.update(task, description=f"synth {size_label(size)}")
            homes[size] = synth(size, Path(tmp))
            progress.advance(task)
        for size, store in cases:
            progress.update(task, description=f"{store} @ {size_label(size)}")
            # rdflib from 10k on: one run per query, each stopped at the cap. The on-disk store, whose
            # queries no target is about, gets 3 runs from 100k on and 1 from 1M on (fast queries still
            # repeat until 0.15 s): at 1M its runs were a fifth of the whole benchmark.
            runs = (1 if store == "memory" and size >= 10_000 else
                    1 if store == "oxigraph-disk" and size >= 1_000_000 else
                    min(3, args.runs) if store == "oxigraph-disk" and size >= 100_000 else args.runs)
            results[(store, size)] = run_worker(homes[size], store, runs,
                                                rdflib_caps(results[("oxigraph", size)], args.rdflib_cap)
                                                if store == "memory" else None)
            progress.advance(task)
    body = report(results, sizes, args)
    if not args.no_write:
        plot(results)
        write_section(HEADING, body)
    print(body)


def report(results: dict[tuple[str, int], dict], sizes: list[int], args: argparse.Namespace) -> str:
    lines = [HEADING, "", f"{date.today().isoformat()} · {machine()} · `python benchmarks/bench_scale.py` · "
             f"{args.runs} runs per query (3 when they pass 3 s; on the on-disk store 3 from 100k on, 1 from 1M on), more for fast ones (until 0.15 s of runs, at most 200; "
             "on the Oxigraph store each run is followed by the raw pyoxigraph run of the same query); 1 run on rdflib "
             f"from 10k on, each stopped after {args.rdflib_cap:g} s, or after "
             f"{RDFLIB_CAP_FACTOR:g}× the Oxigraph store's median when that is longer, so that the ≥ "
             f"{TARGET_RDFLIB:g}× target is decided, not left open).", "",
             "### Load", "", "Each store loads the generated project (ontology, curated graph and `synth.nt`); "
             "`bulk_load` is a bare pyoxigraph Store `bulk_load`ing the same files into the same named graphs, "
             "in a process that imports nothing else: the engine's own figure.", "",
             "| triples | store | load (s) | triples/s | peak RSS (bytes/triple) | vs bulk_load (same medium) |",
             "|---|---|---|---|---|---|"]
    for (store, size), r in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        bulk = results.get(("bulk_load-disk" if store.endswith("disk") else "bulk_load", size))
        rate = r["triples"] / r["load"]
        ratio = f"{rate / (bulk['triples'] / bulk['load']):.2f}×" if bulk and store.startswith("oxigraph") else ""
        lines.append(f"| {r['triples']:,} | {store} | {r['load']:.2f} | {rate:,.0f} | "
                     f"{r['rss_kb'] * 1024 / r['triples']:,.0f} | {ratio} |")
    lines += ["", "### Named queries (median / p95, ms)", "",
              "*raw* is the same SPARQL run straight on pyoxigraph, every value of every solution read; "
              "*×raw* is summitkg's Oxigraph store against it (target ≤ 1.5); *rdflib÷* is how many times "
              "faster the Oxigraph store is than rdflib (target ≥ 10 at 1M). A dash: rdflib was stopped at the cap.", ""]
    mismatches: list[str] = []
    for size in sizes:
        present = [s for s in STORES if (s, size) in results]
        lines += [f"**{size_label(size)}**", "", "| query | rows | " + " | ".join(present) + " | raw | ×raw | rdflib÷ |",
                  "|---|---|" + "---|" * (len(present) + 3)]
        for name in results[("oxigraph", size)]["queries"]:
            timings = {s: results[(s, size)]["queries"][name] for s in present}
            finished = {s: (q["rows"], q["digest"]) for s, q in timings.items() if q["median"] is not None}
            if len(set(finished.values())) > 1:
                mismatches.append(f"{name} @ {size_label(size)}: " + ", ".join(
                    f"{s} {rows} rows (digest {d})" for s, (rows, d) in finished.items()))
            ox = timings["oxigraph"]
            cells = [f"{q['median'] * 1000:.1f} / {q['p95'] * 1000:.1f}" if q["median"] is not None
                     else f"> {q['stopped_after'] * 1000:,.0f} (stopped)" for q in timings.values()]
            raw = f"{ox['raw'] * 1000:.1f} | {ox['median'] / ox['raw']:.2f}"
            slow = timings.get("memory")
            if slow is None:
                vs = ""
            elif slow["median"] is None:
                vs = f"> {slow['stopped_after'] / ox['median']:,.0f}"
            else:
                vs = f"{slow['median'] / ox['median']:,.0f}"
            lines.append(f"| `{name}` | {ox['rows']} | " + " | ".join(cells) + f" | {raw} | {vs} |")
        lines.append("")
    lines += ["Same rows on every store that finished (compared by a digest of the sorted rows, not only "
              "counted): " + ("yes, for every query and size." if not mismatches else "**NO** — " + "; ".join(mismatches)),
              "", f"![scaling plot]({PLOT.name})", ""]
    lines += targets(results, sizes)
    return "\n".join(lines) + "\n"


#: Issue 7 calls these selective (lookups, neighbourhoods, one statement's provenance, one topic):
#: under 100 ms median at 1M triples on the Oxigraph store. The rest read every agreement, document,
#: leader, observation or edge, and grow with the graph.
SELECTIVE = ("arms_dependence", "attributed_opinions", "claims_about", "entity_neighbourhood", "facts_in_both_documents",
             "instc", "oil_import_share", "only_in_document", "s400", "search_labels", "signed_agreements",
             "statement_provenance", "strategic_autonomy", "trade_by_year", "us_pressure", "wikidata_links")
TARGET_LOAD, TARGET_MEMORY, TARGET_SELECTIVE_MS, TARGET_RAW, TARGET_RDFLIB = 0.8, 1.2, 100.0, 1.5, 10.0


def targets(results: dict[tuple[str, int], dict], sizes: list[int]) -> list[str]:
    """Each of issue 7's store targets, met or missed and by how much, at the sizes where they apply."""
    def verdict(ok: bool, text: str) -> str:
        return f"{text} met" if ok else f"{text} **missed**"

    lines = ["### Targets", "", "| target | where | measured | verdict |", "|---|---|---|---|"]
    for size in sizes:
        ours, bulk = results.get(("oxigraph", size)), results.get(("bulk_load", size))
        if ours and bulk and size >= 100_000:  # below that both load in milliseconds and memory is noise
            load = (ours["triples"] / ours["load"]) / (bulk["triples"] / bulk["load"])
            memory = (ours["rss_kb"] / ours["triples"]) / (bulk["rss_kb"] / bulk["triples"]) if bulk["rss_kb"] else 0
            lines.append(f"| load ≥ {TARGET_LOAD}× bulk_load | {size_label(size)} | {load:.2f}× | "
                         f"{verdict(load >= TARGET_LOAD, f'{load:.2f}×')} |")
            if memory and size >= 1_000_000:  # below that a fixed ~19 MB (see the notes) decides the ratio
                lines.append(f"| memory ≤ {TARGET_MEMORY}× bulk_load's bytes/triple | {size_label(size)} | {memory:.2f}× | "
                             f"{verdict(memory <= TARGET_MEMORY, f'{memory:.2f}×')} |")
    misses = []
    for size in sizes:
        ours = results.get(("oxigraph", size))
        if not ours:
            continue
        queries = ours["queries"]
        over = [(n, q["median"] / q["raw"]) for n, q in queries.items() if q["median"] / q["raw"] > TARGET_RAW]
        worst_raw = max((q["median"] / q["raw"], n) for n, q in queries.items())
        lines.append(f"| every query ≤ {TARGET_RAW}× raw pyoxigraph | {size_label(size)}, oxigraph | worst `{worst_raw[1]}` "
                     f"{worst_raw[0]:.2f}× | " + (verdict(True, f"all {len(queries)}") if not over else
                                                 "**missed**: " + ", ".join(f"`{n}` {r:.2f}×" for n, r in over)) + " |")
        misses += [(size, n, queries[n]) for n, _ in over]
    big = max(sizes)
    ours = results.get(("oxigraph", big))
    if ours and big >= 1_000_000:
        queries = ours["queries"]
        slow = [(n, queries[n]["median"] * 1000) for n in SELECTIVE if n in queries
                and queries[n]["median"] * 1000 >= TARGET_SELECTIVE_MS]
        worst = max((queries[n]["median"] * 1000, n) for n in SELECTIVE if n in queries)
        lines.append(f"| selective queries < {TARGET_SELECTIVE_MS:g} ms median | {size_label(big)}, oxigraph | "
                     f"slowest `{worst[1]}` {worst[0]:.1f} ms | "
                     + (verdict(True, f"all {len(SELECTIVE)}") if not slow else
                        "**missed**: " + ", ".join(f"`{n}` {ms:.0f} ms" for n, ms in slow)) + " |")
        memory = results.get(("memory", big))
        if memory:
            under = []
            for n, q in queries.items():
                slow_q = memory["queries"][n]
                factor = (slow_q["median"] if slow_q["median"] is not None else slow_q["stopped_after"]) / q["median"]
                if factor < TARGET_RDFLIB:
                    under.append((n, factor, slow_q["median"] is None))
            lines.append(f"| every query ≥ {TARGET_RDFLIB:g}× faster than rdflib | {size_label(big)} | "
                         f"{len(queries) - len(under)} of {len(queries)} | " + (verdict(True, "all") if not under else
                         "**missed**: " + ", ".join(f"`{n}` {'≥ ' if lower else ''}{f:.1f}×" for n, f, lower in under))
                         + " |")
    return lines + [""] + where_the_time_goes(misses)


def where_the_time_goes(misses: list[tuple[int, str, dict]]) -> list[str]:
    """For each query over the ×raw target: the split of its time and cProfile's top self times."""
    if not misses:
        return []
    lines = ["### Where the time goes", "",
             f"Each query over {TARGET_RAW}× raw, timed in parts (median, µs): finding and binding the named query; "
             "Oxigraph evaluating it with every value read (the raw run); building the rdflib objects the Python "
             "API returns (terms and rows, or for a CONSTRUCT an rdflib Graph, read through once). Then cProfile's largest "
             "self times over repeated `kg.query` calls (its overhead inflates Python's share).", "",
             "| size | query | rows or triples | total | lookup + binding | Oxigraph | rdflib objects | top self time (cProfile) |",
             "|---|---|---|---|---|---|---|---|"]
    for size, name, q in misses:
        b = q.get("breakdown")
        if not b:
            continue
        top = "; ".join(f"`{where}` {share:.0%}" for share, where in b["profile"])
        lines.append(f"| {size_label(size)} | `{name}` | {q['rows']} | {q['median'] * 1e6:,.0f} | {b['prepare'] * 1e6:,.1f} | "
                     f"{b['engine'] * 1e6:,.0f} | {b['convert'] * 1e6:,.0f} | {top} |")
    lines += ["", "cProfile counts Oxigraph's evaluation, which runs lazily as an answer is read, as self time of the "
              "function reading it (`_from_solutions`, `_distinct_triples`). What is left after Oxigraph is building rdflib's "
              "objects, which is what the Python API returns: each distinct term is converted once and cached "
              "across queries, and a CONSTRUCT's answer graph keeps its triples as they arrive, building rdflib's "
              "three-way index in Python only at its first lookup by pattern (`summitkg.stores.answer_graph`). "
              "What would close the rest: callers taking pyoxigraph's own terms from `kg.backend.store`, with "
              "no rdflib objects at all. The SPARQL endpoint does not pay it: it writes Oxigraph's answers "
              "with Oxigraph's own serializers.", ""]
    return lines


if __name__ == "__main__":
    main()

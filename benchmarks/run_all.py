"""Every benchmark, one after the other, each writing its own section of RESULTS.md.

    python benchmarks/run_all.py              # sizes up to 1M: under 15 minutes on 2 cores
    python benchmarks/run_all.py --with-10m   # adds 10M triples to the scale benchmark (Oxigraph only)

Runs the scripts one at a time (never two at once: they would share the cores they measure),
then records the whole run's wall time at the top of RESULTS.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from results_md import machine, write_section

HERE = Path(__file__).resolve().parent
HEADING = "## This run"

STEPS: tuple[tuple[str, list[str]], ...] = (
    ("cold start of `summitkg query`", ["bench_cold_start.py"]),
    ("load and named queries at 10k, 100k, 1M", ["bench_scale.py"]),
    ("SPARQL endpoint under load, beside the Oxigraph server and rdflib-endpoint", ["bench_endpoint.py"]),
    ("network view of 50k triples", ["bench_viz.py", "--triples", "50000", "--repeat", "3"]),
)


def yardstick() -> float:
    """Seconds for a fixed pure-Python loop (best of 3): the same code on two machines, or on one
    machine on two days, so that runs whose wall times differ can be told apart by the machine."""
    best = float("inf")
    for _ in range(3):
        begin = time.perf_counter()
        total = 0
        for i in range(5_000_000):
            total += i
        best = min(best, time.perf_counter() - begin)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--with-10m", action="store_true", help="add 10,000,000 triples to the scale benchmark")
    args = parser.parse_args()
    timings = []
    speed = yardstick()
    started = time.perf_counter()
    for title, command in STEPS:
        if args.with_10m and command[0] == "bench_scale.py":
            command = [*command, "--with-10m"]
        print(f"\n=== {title}: python benchmarks/{' '.join(command)}", flush=True)
        begin = time.perf_counter()
        # A step that fails or misses its target (bench_viz exits 1 then) has still written its section:
        # the others run anyway, and the exit status says so at the end.
        status = subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]], cwd=HERE).returncode
        timings.append((title, command, time.perf_counter() - begin, status))
    total = time.perf_counter() - started
    lines = [HEADING, "", f"{date.today().isoformat()} · {machine()} · `python benchmarks/run_all.py"
             + (" --with-10m" if args.with_10m else "") + f"` took **{total / 60:.1f} min** (budget: 15 min up to 1M). Machine yardstick: a 5M-step "
             f"pure-Python loop took {speed:.2f} s (best of 3), to tell a slower machine from a slower summitkg "
             "when two runs differ; so does pyoxigraph's own `bulk_load` in the Load table.",
             "", "| step | command | wall time | exit status |", "|---|---|---|---|"]
    lines += [f"| {title} | `python benchmarks/{' '.join(command)}` | {seconds / 60:.1f} min | "
              f"{'0' if status == 0 else f'**{status}** (a target missed or an error: see its output)'} |"
              for title, command, seconds, status in timings]
    write_section(HEADING, "\n".join(lines) + "\n\n", first=True)
    print(f"\nall benchmarks: {total / 60:.1f} min")
    failed = [command[0] for _, command, _, status in timings if status != 0]
    if failed:
        raise SystemExit(f"{', '.join(failed)} exited with a non-zero status (a target missed or an error)")


if __name__ == "__main__":
    main()

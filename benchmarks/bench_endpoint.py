"""The SPARQL endpoint under load: `summitkg serve` beside Oxigraph's server and rdflib-endpoint.

Each server is measured on 127.0.0.1 on its own (never two under load at once: the machine has
2 cores; at 1M, rdflib-endpoint parses its files while summitkg builds its network views, then
waits idle until its turn), fed the same files, and asked the same three named queries (defaults
bound, every prefix declared, so all three servers receive identical text). Before timing, one
plain request per server and query checks that they all return the same rows. Then `wrk` (Debian
package `wrk`) runs in a second process with 1, 8 and 32 connections and reports answers/s and
exact p50/p99 latencies; non-2xx answers, time-outs and socket errors are counted and shown, and
are not counted as answers. The CPU time each server's processes used per answer is read from
/proc, and, when py-spy is installed, one extra run samples where summitkg's HTTP process spends
its time. Also times `summitkg serve` from process start to its first answer (cold start).
Writes a section of benchmarks/RESULTS.md.

    python benchmarks/bench_endpoint.py                          # the summit graph and 1M triples
    python benchmarks/bench_endpoint.py --sizes summit --duration 2
    python benchmarks/bench_endpoint.py --servers summitkg oxigraph --clients 8
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import quote

from results_md import machine, write_section
from rich.progress import Progress

from summitkg.binding import inject_values
from summitkg.config import Settings
from summitkg.loading import Source, discover
from summitkg.namespaces import sparql_prologue
from summitkg.queries import find
from summitkg.server import default_workers

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HEADING = "## SPARQL endpoint under load (issue 7)"
#: What each query stands for, and the named query that plays it.
QUERIES = {"label lookup": "search_labels", "GROUP BY": "modality_overview", "provenance": "statement_provenance"}
SERVERS = ("summitkg", "oxigraph", "rdflib-endpoint")
ACCEPT = "application/sparql-results+json"
PROBE = "ASK { ?s ?p ?o }"
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + name for name in ("decimal", "double", "float", "integer")}
WRK_TIMEOUT = 30  # seconds; a slower answer counts as a time-out
MAX_RUN = 15.0  # seconds: the longest run, for slow queries at many connections
#: Issue 7's targets at 8 clients: against Oxigraph's server on every query; against rdflib-endpoint by kind.
TARGET_OXIGRAPH = 0.5
TARGET_RDFLIB = {"label lookup": 5.0, "provenance": 5.0, "GROUP BY": 20.0}
TARGET_COLD = 2.0

# wrk builds the request once from these globals; done() prints exact figures as one JSON line.
LUA = """wrk.method = "GET"
wrk.path = "{path}"
wrk.headers["Accept"] = "{accept}"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
    .. '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d}}\\n', summary.requests,
    summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    endpoint: str  # the URL queries are sent to
    started: float = 0.0  # seconds from start until it answered with its data loaded
    ready: float = 0.0  # summitkg: seconds until its explorer's network views were built too


@dataclass
class Run:
    rps: float = 0.0  # answers with a 2xx status per second
    p50: float = 0.0  # ms
    p99: float = 0.0  # ms
    errors: dict[str, int] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)  # ms of CPU per answer, by process role
    seconds: float = 0.0  # how long the run was
    skipped: str = ""


# -- the data and the queries ----------------------------------------------------------------------


def synth(size: int, workdir: Path) -> Path:
    home = workdir / f"scale-{size}"
    subprocess.run([sys.executable, "-m", "summitkg", "--home", str(ROOT), "synth", "--triples", str(size),
                    "-o", str(home / "graph" / "synth.nt")], check=True, capture_output=True)
    return home


def query_text(home: Path, name: str) -> str:
    """A named query as any SPARQL server takes it: every prefix declared, defaults bound as VALUES."""
    named = find(Settings(home=home).queries_dir, name)
    return sparql_prologue() + inject_values(named.text, named.bind({}))


# -- starting and stopping servers -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, *, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": ACCEPT})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def query_url(endpoint: str, text: str) -> str:
    return f"{endpoint}?query={quote(text, safe='')}"


def spawn(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start a server in a session of its own, so that it and every process it forks can be stopped."""
    with open(log, "wb") as out:
        return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, env=env)


def wait_until_answering(server: Server, *, limit: float, start: float) -> None:
    while time.perf_counter() < start + limit:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited with status {server.process.returncode} before answering")
        try:
            get(query_url(server.endpoint, PROBE), timeout=5)
            server.started = time.perf_counter() - start
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.02)
    stop(server)
    raise SystemExit(f"{server.name} did not answer within {limit:.0f} s")


def start_summitkg(home: Path, sources: list[Source], log: Path,
                   while_building: Callable[[], None] | None = None) -> Server:
    """The Oxigraph-backed store, as the issue asks; validation is skipped (pyshacl on 1M takes minutes).

    ``while_building`` is called once if the network views are still being built after the first
    answer: that build keeps one core busy for a minute at 1M, and the other is free for work that
    is not measured under load (starting the next server)."""
    port = free_port()
    start = time.perf_counter()
    process = spawn([sys.executable, "-m", "summitkg", "--home", str(home), "serve", "--store", "oxigraph",
                     "--port", str(port), "--no-validate", "--timeout", "120", "--max-rows", "10000000"], log)
    server = Server("summitkg", process, f"http://127.0.0.1:{port}/sparql")
    wait_until_answering(server, limit=600, start=start)
    # A large graph is answered at once while its network views are built in the background on
    # one core; the load runs measure the steady state, after that.
    def building() -> bool:
        status = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=10).read())
        return status["network"] in ("waiting", "building")

    if while_building is not None and building():
        while_building()
    while building():
        if time.perf_counter() - start > 900:
            stop(server)
            raise SystemExit("summitkg's network views were not built within 15 minutes")
        time.sleep(0.25)
    server.ready = time.perf_counter() - start
    return server


def start_oxigraph(home: Path, sources: list[Source], log: Path) -> Server:
    """In memory like ours (no --location), filled over its Graph Store endpoint, one named graph per file."""
    port = free_port()
    start = time.perf_counter()
    # No --timeout-s: with it every query starts a thread that lives for the whole time limit, and
    # under load the server ran out of threads within seconds (HTTP 500, then it stopped).
    process = spawn(["oxigraph", "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"], log)
    server = Server("oxigraph", process, f"http://127.0.0.1:{port}/query")
    wait_until_answering(server, limit=60, start=start)
    media = {".ttl": "text/turtle", ".nt": "application/n-triples", ".trig": "application/trig"}
    for source in sources:
        with open(source.path, "rb") as body:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/store?graph={quote(str(source.graph), safe='')}", data=body, method="POST",
                headers={"Content-Type": media[source.path.suffix], "Content-Length": str(source.path.stat().st_size)})
            urllib.request.urlopen(request, timeout=600).close()
    server.started = time.perf_counter() - start
    return server


def start_rdflib_endpoint(home: Path, sources: list[Source], log: Path) -> Server:
    port = free_port()
    start = time.perf_counter()
    process = spawn(["rdflib-endpoint", "serve", "--host", "127.0.0.1", "--port", str(port),
                     *(str(s.path) for s in sources)], log)
    server = Server("rdflib-endpoint", process, f"http://127.0.0.1:{port}/")
    wait_until_answering(server, limit=900, start=start)
    return server


STARTERS = {"summitkg": start_summitkg, "oxigraph": start_oxigraph, "rdflib-endpoint": start_rdflib_endpoint}


def start_in_background(name: str, home: Path, sources: list[Source], log: Path) -> Callable[[], Server]:
    """Start a server in a thread; the returned call waits until it answers (or re-raises why not)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["server"] = STARTERS[name](home, sources, log)
        except BaseException as error:  # SystemExit from a server that did not start, too
            box["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def wait() -> Server:
        thread.join()
        if "error" in box:
            raise box["error"]
        return box["server"]

    return wait


def stop(server: Server) -> None:
    """Terminate the server's session (the server and what it forked), then kill what is left."""
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()
    except ProcessLookupError:
        pass


# -- measuring -------------------------------------------------------------------------------------


def rows_and_time(server: Server, text: str) -> tuple[tuple[int, str], float]:
    """Plain requests: the answer (its number of rows and a digest of the rows themselves), and the
    time of one answer (best of two if quick)."""
    times = []
    while True:
        start = time.perf_counter()
        body = get(query_url(server.endpoint, text), timeout=900)
        times.append(time.perf_counter() - start)
        if len(times) == 2 or times[0] > 1:
            bindings = json.loads(body)["results"]["bindings"]
            return (len(bindings), digest(bindings)), min(times)


def digest(bindings: list[dict]) -> str:
    """The rows of a SPARQL JSON answer, the same whichever server wrote them: blank node labels are
    each server's own, xsd:string is the same as no datatype (RDF 1.1), and numbers compare by value
    (rdflib writes an xsd:decimal 36 as "36.0", Oxigraph as "36")."""
    def term(value: dict) -> tuple[str, str, str, str]:
        kind = "literal" if value["type"] == "typed-literal" else value["type"]
        datatype = value.get("datatype", "")
        datatype = "" if datatype == XSD + "string" else datatype
        text = "" if kind == "bnode" else value["value"]
        if datatype in NUMERIC:
            try:
                text = format(Decimal(text).normalize())
            except InvalidOperation:
                pass
        return kind, text, datatype, value.get("xml:lang", "").lower()
    rows = sorted(sorted((name, term(value)) for name, value in row.items()) for row in bindings)
    return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def run_length(duration: float, clients: int, one: float, *, serial: bool) -> int:
    """Long enough for every connection to get a few answers: a server that works on all connections at
    once finishes its first answers only after ~clients × one request / CPUs, so a short run of slow
    queries would count almost nothing. At most ``MAX_RUN`` seconds."""
    cycle = clients * one / (1 if serial else os.cpu_count() or 1)
    return math.ceil(max(duration, min(MAX_RUN, 2 * cycle)))  # wrk takes whole seconds


def drain(server: Server, *, limit: float = 600) -> None:
    """Wait until the requests wrk left behind are done: the server answers a trivial query and its
    processes stop using CPU. (Oxigraph answers the probe at once while it still works on the others.)"""
    get(query_url(server.endpoint, PROBE), timeout=limit)
    deadline = time.perf_counter() + limit
    before = sum(cpu_seconds(server.process.pid).values())
    while time.perf_counter() < deadline:
        time.sleep(0.25)
        now = sum(cpu_seconds(server.process.pid).values())
        if now - before < 0.02:  # under 8% of one CPU
            return
        before = now


def cpu_seconds(session: int) -> dict[int, float]:
    """CPU seconds (user + system) of every live process in a session, by pid."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # fields after the name: state, ppid, pgrp, session, …
            found[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    return found


def load(server: Server, text: str, clients: int, duration: float, workdir: Path) -> Run:
    """One wrk run, and the CPU time the server's processes used meanwhile, per answer."""
    base, _, path = server.endpoint.partition("//")[2].partition("/")
    script = workdir / "request.lua"
    script.write_text(LUA.format(path=f"/{path}?query={quote(text, safe='')}", accept=ACCEPT))
    before = cpu_seconds(server.process.pid)
    done = subprocess.run(["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{duration:g}s",
                           "--timeout", f"{WRK_TIMEOUT}s", "--latency", "-s", str(script), f"http://{base}/"],
                          capture_output=True, text=True, check=False)
    after = cpu_seconds(server.process.pid)
    if done.returncode:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    r = json.loads(next(ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")).removeprefix("RESULT "))
    errors = {k: r[k] for k in ("status", "timeout", "connect", "read", "write") if r[k]}
    answers = r["requests"] - r["status"]
    used = {pid: after[pid] - before.get(pid, 0.0) for pid in after}
    main = used.pop(server.process.pid, 0.0)
    cpu = {"server": main, "workers": sum(used.values())} if server.name == "summitkg" else {"server": main}
    return Run(rps=answers / (r["duration_us"] / 1e6), p50=r["p50_us"] / 1000, p99=r["p99_us"] / 1000, errors=errors,
               cpu={k: 1000 * v / answers for k, v in cpu.items()} if answers else {})


def profile(server: Server, text: str, duration: float, workdir: Path) -> tuple[float, list[tuple[str, float]]]:
    """py-spy on summitkg's HTTP process during an extra 8-client run: the share of the run it held
    the GIL, and the functions it held it in (self time, share of those samples)."""
    out, rate = workdir / "profile.txt", 200
    spy = subprocess.Popen(["py-spy", "record", "--pid", str(server.process.pid), "--gil", "--nonblocking",
                            "--rate", str(rate), "--duration", f"{duration:g}", "--format", "raw", "-o", str(out)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(0.5)  # py-spy attaches
    load(server, text, 8, duration, workdir)
    _, err = spy.communicate(timeout=duration + 60)
    drain(server)
    if not out.exists():
        raise RuntimeError(f"py-spy failed: {err.decode(errors='replace').strip()[-300:]}")
    leaf: Counter[str] = Counter()
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frame = stack.rsplit(";", 1)[-1]
        leaf[re.sub(r":\d+\)", ")", frame)] += int(count)
    total = sum(leaf.values())
    return total / (rate * duration), [(f, n / total) for f, n in leaf.most_common(10)]


def cold_start(home: Path, args: list[str], text: str, env: dict[str, str]) -> float:
    """Seconds from starting `summitkg serve` to its first successful answer to ``text``."""
    port = free_port()
    url = query_url(f"http://127.0.0.1:{port}/sparql", text)
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "summitkg", "--home", str(home), "serve", "--port", str(port),
                                *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               env=env)
    server = Server("summitkg", process, "")
    try:
        while True:
            if process.poll() is not None:
                raise SystemExit(f"`summitkg serve {' '.join(args)}` exited with status {process.returncode}")
            try:
                get(url, timeout=30)
                return time.perf_counter() - start
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.01)
    finally:
        stop(server)


# -- the report ------------------------------------------------------------------------------------


def cell(run: Run | None, default: float) -> str:
    if run is None:
        return "—"
    if run.skipped:
        return f"skipped: {run.skipped}"
    rate = f"{run.rps:,.1f}" if run.rps < 100 else f"{run.rps:,.0f}"
    text = f"**{rate}** ({run.p50:,.1f} / {run.p99:,.1f})"
    if run.seconds > default:
        text += f" [{run.seconds:g} s run]"
    if run.errors:
        text += " ⚠ " + ", ".join(f"{n} {k}" for k, n in run.errors.items())
    return text


def ratio(ours: Run | None, other: Run | None, one_request: float | None = None) -> tuple[float | None, str]:
    """ours / other; where the other run was skipped, a lower bound from its one-request time
    (it answers one request at a time, so it manages at most 1 / that many per second)."""
    if ours is None or ours.skipped or other is None:
        return None, "—"
    if other.skipped or other.rps == 0:
        if one_request:
            return ours.rps * one_request, f"≥ {ours.rps * one_request:,.0f}×"
        return None, "—"
    return ours.rps / other.rps, f"{ours.rps / other.rps:,.2f}×"


def report(args: argparse.Namespace, m: dict) -> str:
    results, rows, single, started = m["results"], m["rows"], m["single"], m["started"]
    lines = [HEADING, "",
             (f"{date.today().isoformat()} · {machine()} · {os.cpu_count()} CPUs · wrk {_wrk_version()} · "
              f"{args.duration:g} s per run, connections {', '.join(map(str, args.clients))}."), "",
             ("`python benchmarks/bench_endpoint.py`. Each server is measured alone on 127.0.0.1 with the same files and gets "
              "identical query text (every prefix declared, parameters bound to their defaults); wrk runs beside it "
              f"on the same {os.cpu_count()} cores. **summitkg**: `summitkg serve --store oxigraph --no-validate` (Oxigraph in memory; "
              f"each query in a sandboxed worker process with a time limit, {default_workers()} workers). **oxigraph**: "
              "`oxigraph serve --union-default-graph`, in memory, filled through its Graph Store endpoint, run "
              "without a time limit (with `--timeout-s` it keeps one thread per query for the whole limit and fails "
              "under load). **rdflib-endpoint**: `rdflib-endpoint serve FILES`. Cells: **answers/s** (p50 / p99 "
              "latency, ms); ⚠ counts non-2xx answers, time-outs (30 s) and socket errors, which are not answers. "
              f"Slow queries get longer runs (2 × connections × one request / CPUs, at most {MAX_RUN:g} s; shown in "
              "brackets), since a server that works on every connection at once answers nothing for a while. "
              "rdflib-endpoint answers one request at a time, so its run is skipped where one request takes over half "
              f"the normal run or the queued work (connections × one request) would pass {2 * MAX_RUN:g} s; the "
              "ratio is then a lower bound from the one-request time."), ""]
    mismatches = []
    for dataset in args.sizes:
        label = "summit graph" if dataset == "summit" else f"{int(dataset):,} triples (synthetic)"
        here = [s for s in args.servers if (dataset, s) in started]
        lines += [f"### {label}", "",
                  "Start-up until the first answer, data loaded (s): "
                  + ", ".join(f"{s} {started[(dataset, s)]:.1f}" for s in here) + "."
                  + (f" summitkg's explorer network views were ready at {m['ready'][dataset]:.1f} s (built in the "
                     "background; the load runs start after that)." if m["ready"].get(dataset, 0) > started.get(
                         (dataset, "summitkg"), 0) + 0.5 else "")
                  + (" rdflib-endpoint parsed its files meanwhile (the background build keeps one core busy), then "
                     "waited idle, and was measured after the servers before it were stopped."
                     if dataset in m["alongside"] else ""), "",
                  "| query | rows | one request, ms (" + " / ".join(here) + ") |", "|---|---|---|"]
        for kind, name in QUERIES.items():
            answers = {s: rows[(dataset, s, kind)] for s in here if (dataset, s, kind) in rows}
            if len(set(answers.values())) > 1:
                mismatches.append(f"{name} on {label}: " + ", ".join(f"{s} {n} rows (digest {d})"
                                                                   for s, (n, d) in answers.items()))
            times = " / ".join(f"{1000 * single[(dataset, s, kind)]:,.1f}" for s in here if (dataset, s, kind) in single)
            counts = sorted({n for n, _ in answers.values()})
            lines.append(f"| {kind}: `{name}` | {' ≠ '.join(str(c) for c in counts)} | {times} |")
        lines += ["", "| query | clients | " + " | ".join(here) + " | ours / oxigraph | ours / rdflib-endpoint |",
                  "|---|---|" + "---|" * len(here) + "---|---|"]
        for kind, name in QUERIES.items():
            for clients in args.clients:
                runs = {s: results.get((dataset, s, kind, clients)) for s in here}
                _, vs_ox = ratio(runs.get("summitkg"), runs.get("oxigraph"))
                _, vs_rdf = ratio(runs.get("summitkg"), runs.get("rdflib-endpoint"),
                                  single.get((dataset, "rdflib-endpoint", kind)))
                lines.append(f"| {kind}: `{name}` | {clients} | " + " | ".join(cell(runs[s], args.duration) for s in here)
                             + f" | {vs_ox} | {vs_rdf} |")
        lines.append("")
    lines += ["Same rows on every server (compared by a digest of the sorted rows, not only counted): "
              + ("yes, for every query and dataset." if not mismatches else "**NO** — " + "; ".join(mismatches)), ""]
    lines += targets(args, m) + where_time_goes(args, m)
    return "\n".join(lines) + "\n"


def verdict(value: float | None, text: str, target: float) -> str:
    if value is None:
        return "—"
    if value >= target:
        return f"{text} met"
    if text.startswith("≥"):
        return f"{text} **not shown** (a lower bound, under {target:g}×)"
    return f"{text} **missed** ({100 * (1 - value / target):.0f}% short of {target:g}×)"


def targets(args: argparse.Namespace, m: dict) -> list[str]:
    results, single, colds = m["results"], m["single"], m["colds"]
    lines = []
    if 8 in args.clients and "summitkg" in args.servers:
        lines += ["### Targets", "",
                  (f"At 8 clients: ours / oxigraph ≥ {TARGET_OXIGRAPH}× on every query; ours / rdflib-endpoint ≥ 5× "
                   "on lookups and ≥ 20× on the aggregate."), "",
                  "| dataset | query | ours / oxigraph | ours / rdflib-endpoint |", "|---|---|---|---|"]
        for dataset in args.sizes:
            for kind in QUERIES:
                ours = results.get((dataset, "summitkg", kind, 8))
                ox = verdict(*ratio(ours, results.get((dataset, "oxigraph", kind, 8))), TARGET_OXIGRAPH)
                rdf = verdict(*ratio(ours, results.get((dataset, "rdflib-endpoint", kind, 8)),
                                     single.get((dataset, "rdflib-endpoint", kind))), TARGET_RDFLIB[kind])
                lines.append(f"| {dataset} | {kind} | {ox} | {rdf} |")
        lines.append("")
    if colds:
        lines += [(f"**Cold start** of `summitkg serve` on the summit graph, process start to the first answer to "
                   f"`{QUERIES['provenance']}` (target < {TARGET_COLD:g} s), median of {args.cold_runs}:"), ""]
        for how, times in colds.items():
            median = statistics.median(times)
            lines.append(f"- {how}: **{median:.2f} s** ({'met' if median < TARGET_COLD else 'missed'})")
        lines.append("")
    return lines


def where_time_goes(args: argparse.Namespace, m: dict) -> list[str]:
    results = m["results"]
    lines = ["### Where the time goes", "",
             ("CPU time per answer at 8 clients (ms), from /proc: summitkg's HTTP process (uvicorn, Starlette, the "
              "guard's checks, the hand-off to a worker) and its query workers (the query and its serialization); "
              "each other server is one process."), "",
             "| dataset | query | summitkg HTTP | summitkg workers | summitkg total | oxigraph | rdflib-endpoint |",
             "|---|---|---|---|---|---|---|"]
    for dataset in args.sizes:
        for kind in QUERIES:
            runs = {s: results.get((dataset, s, kind, 8)) for s in SERVERS}
            ours = runs["summitkg"].cpu if runs["summitkg"] and runs["summitkg"].cpu else {}
            cells = [f"{ours['server']:.2f}", f"{ours['workers']:.2f}", f"{ours['server'] + ours['workers']:.2f}"] \
                if ours else ["—"] * 3
            for other in ("oxigraph", "rdflib-endpoint"):
                run = runs[other]
                cells.append(f"{run.cpu['server']:.2f}" if run and run.cpu else "—")
            lines.append(f"| {dataset} | {kind} | " + " | ".join(cells) + " |")
    lines.append("")
    if m["profile"]:
        held, top = m["profile"]
        lines += [f"py-spy (`--gil`) on summitkg's HTTP process during an extra {args.duration:g} s run of "
                  f"`{QUERIES['provenance']}` at 8 clients on the {args.sizes[0]} data: it held the GIL "
                  f"{100 * held:.0f}% of the run, so it is not the bottleneck; where (self time, share of those "
                  "samples): " + "; ".join(f"`{f}` {100 * share:.0f}%" for f, share in top) + ".", ""]
    elif m["profile_error"]:
        lines += [f"(No py-spy profile: {m['profile_error']}.)", ""]
    return lines + gaps(args, m)


#: A one-off trial, not repeated by this script: it needed a patched server.
IN_PROCESS_TRIAL = (
    "Running the query in the HTTP process instead is not the way out: a prototype that ran repeated fast "
    "queries in a thread there (pyoxigraph releases the GIL while it evaluates) answered fewer requests on these "
    "2 cores, not more (8 clients, 2026-12-08: `search_labels` 1,890–2,020/s against 2,200–2,230/s, "
    "`statement_provenance` 1,840/s against 1,890–2,140/s), since the loop and the query threads then share one "
    "GIL. 2 or 4 workers answered fewer than 3 (2,000 and 1,960–2,060/s against 2,270/s).")


def gaps(args: argparse.Namespace, m: dict) -> list[str]:
    """For each kind of missed target: by how much, where the time goes, and what would close it."""
    results, single = m["results"], m["single"]
    notes = []
    missed_ox = [(d, k) for d in args.sizes for k in QUERIES
                 if (v := ratio(results.get((d, "summitkg", k, 8)), results.get((d, "oxigraph", k, 8)))[0]) is not None
                 and v < TARGET_OXIGRAPH]
    if missed_ox:
        d, k = missed_ox[0]
        ours, ox = results[(d, "summitkg", k, 8)], results[(d, "oxigraph", k, 8)]
        if ours.cpu and ox.cpu:
            notes.append(
                f"- **ours / oxigraph** missed on {', '.join(f'{q} ({s})' for s, q in missed_ox)}. On {k} ({d}) "
                f"summitkg spent {ours.cpu['server'] + ours.cpu['workers']:.2f} ms of CPU per answer "
                f"({ours.cpu['server']:.2f} in the HTTP process, {ours.cpu['workers']:.2f} in the worker, which "
                f"includes the same engine's query) against {ox.cpu['server']:.2f} ms for Oxigraph's whole server. "
                "The difference is the price of the safety design: a Python HTTP stack, and a second process per "
                "query so that a time limit can kill it. Pickling the job and the answer and passing them over "
                "the socket cost about 20 µs in Python (measured apart), so most of the hand-off's cost lies "
                "outside Python, in the socket calls and in waking the worker and the loop. " + IN_PROCESS_TRIAL
                + " What would close it is less Python per request: an HTTP front in compiled code.")
    missed_rdf = [(d, k) for d in args.sizes for k in QUERIES
                  if (v := ratio(results.get((d, "summitkg", k, 8)), results.get((d, "rdflib-endpoint", k, 8)),
                                 single.get((d, "rdflib-endpoint", k)))[0]) is not None and v < TARGET_RDFLIB[k]]
    for d, k in missed_rdf:
        rdf, ox = results[(d, "rdflib-endpoint", k, 8)], results.get((d, "oxigraph", k, 8))
        measured = not rdf.skipped and rdf.rps > 0
        rate = rdf.rps if measured else 1 / single[(d, "rdflib-endpoint", k)]
        need = TARGET_RDFLIB[k] * rate
        pace = (f"answers it at {rate:,.1f}/s" if measured else
                f"answers it at most at {rate:,.2f}/s (one request takes {1 / rate:.1f} s, and it takes one at a time)")
        if ox and ox.rps and ox.rps < need:
            close = f"more than Oxigraph's own server managed ({ox.rps:,.1f}/s)"
        elif ox and ox.rps:
            close = (f"and Oxigraph's own server managed {ox.rps:,.1f}/s, so it takes {need / ox.rps:.2f}× "
                     "Oxigraph rather than 0.5×")
            ours = results.get((d, "summitkg", k, 8))
            if (d, k) in missed_ox:
                close += "; closing it means closing most of the gap to Oxigraph (above)"
            elif ours and ours.cpu:
                spent = ours.cpu["server"] + ours.cpu["workers"]
                cpus = os.cpu_count() or 1
                close += (f". summitkg spent {spent:.2f} ms of CPU per answer ({ours.cpu['server']:.2f} in the HTTP "
                          f"process, {ours.cpu['workers']:.2f} in the worker; table above), and {need:,.0f} answers/s "
                          f"on {cpus} cores leave at most {1000 * cpus / need:.2f} ms each, wrk's share included: the "
                          "part to cut is the hand-off to a worker and the HTTP stack, not the query")
        else:
            close = "with no Oxigraph run to compare"
        small = (" The issue derived these ratios from 0.5× Oxigraph at 100k triples, where rdflib is slow; on a "
                 "graph this small it answers quickly.") if d == "summit" else ""
        notes.append(f"- **ours / rdflib-endpoint** below target on {k} ({d}): rdflib-endpoint {pace}, so "
                     f"{TARGET_RDFLIB[k]:g}× takes {need:,.1f}/s, {close}.{small}")
    colds = m["colds"]
    slow = {how: statistics.median(t) for how, t in colds.items() if statistics.median(t) >= TARGET_COLD}
    if slow:
        fast = [statistics.median(t) for how, t in colds.items() if how not in slow]
        split = m.get("validation")
        notes.append(f"- **cold start** missed for {', '.join(f'{h} ({t:.2f} s)' for h, t in slow.items())}, by "
                     f"{max(slow.values()) - TARGET_COLD:.2f} s: that start runs the SHACL validation"
                     + (f", {split['seconds']:.2f} s of it, {100 * split['sparql_share']:.0f}% of which is the shapes' "
                        "SPARQL-based constraints, one rdflib query per focus node (cProfile)" if split else "") + ". "
                     + (f"A graph that passed before is not validated again, and then `serve` answers in "
                        f"{min(fast):.2f} s. " if fast else "")
                     + "It already runs without RDFS inference, in a forked process while the store loads and the "
                       "query workers start; the rest of it is pyshacl evaluating the shapes node by node in Python. "
                       "What would close it: a faster machine, or fewer SPARQL-based constraints in the shapes "
                       "(each one costs an rdflib query per focus node).")
    return (["**What would close the gaps**", "", *notes, ""]) if notes else []


def _wrk_version() -> str:
    done = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    words = (done.stdout + done.stderr).split()
    return words[1] if len(words) > 1 and words[0] == "wrk" else "?"


# -- main ------------------------------------------------------------------------------------------


def measure_cold_starts(args: argparse.Namespace, workdir: Path, progress: Progress, task: int) -> dict[str, list[float]]:
    """First start ever (an empty validation cache: pyshacl runs), then starts of a graph validated before."""
    text = query_text(ROOT, QUERIES["provenance"])
    cache = workdir / "validation-cache"
    fresh = {**os.environ, "SUMMITKG_CACHE": str(cache)}
    cases = {"`serve`, first start (validates)": [], "`serve`, graph validated before": [],
             "`serve --store oxigraph`, validated before": []}
    for _ in range(args.cold_runs):
        shutil.rmtree(cache, ignore_errors=True)
        cases["`serve`, first start (validates)"].append(cold_start(ROOT, [], text, fresh))
        progress.advance(task)
    for how, flags in (("`serve`, graph validated before", []),
                       ("`serve --store oxigraph`, validated before", ["--store", "oxigraph"])):
        for _ in range(args.cold_runs):
            cases[how].append(cold_start(ROOT, flags, text, fresh))
            progress.advance(task)
    return cases


VALIDATION_SPLIT = r"""
import cProfile, json, pstats, time
from summitkg.config import Settings
from summitkg.loading import discover, load_dataset
from summitkg.validate import validate_dataset
settings = Settings()
dataset = load_dataset(discover(settings))
validate_dataset(dataset, settings)  # imports and first-use costs out of the way
start = time.perf_counter()
validate_dataset(dataset, settings)
seconds = time.perf_counter() - start
profile = cProfile.Profile()
profile.runcall(validate_dataset, dataset, settings)
stats = pstats.Stats(profile).stats
total = max(ct for (_, _, fn), (_, _, _, ct, _) in stats.items() if fn == "validate_dataset")
sparql = sum(ct for (_, _, fn), (_, _, _, ct, _) in stats.items() if fn == "_evaluate_sparql_constraint")
print(json.dumps({"seconds": seconds, "sparql_share": sparql / total}))
"""


def validation_split() -> dict[str, float]:
    """How long the summit graph's validation takes, and the SPARQL-based constraints' share of it (cProfile)."""
    done = subprocess.run([sys.executable, "-c", VALIDATION_SPLIT], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure_server(name: str, dataset: str, home: Path, texts: dict[str, str], args: argparse.Namespace,
                   workdir: Path, m: dict, progress: Progress, task: int) -> None:
    progress.update(task, description=f"{name} @ {dataset}: loading")
    sources = discover(Settings(home=home))
    if (dataset, name) in m["prestarted"]:
        server = m["prestarted"].pop((dataset, name))()
    elif name == "summitkg" and "rdflib-endpoint" in args.servers[args.servers.index(name):]:
        # rdflib-endpoint takes about a minute to parse 1M triples: it does so on the core that
        # summitkg's background network build leaves free, instead of after it.
        def prestart() -> None:
            m["prestarted"][(dataset, "rdflib-endpoint")] = start_in_background(
                "rdflib-endpoint", home, sources, workdir / "rdflib-endpoint.log")
            m["alongside"].add(dataset)

        server = start_summitkg(home, sources, workdir / f"{name}.log", while_building=prestart)
        if (dataset, "rdflib-endpoint") in m["prestarted"]:  # idle before our load runs begin
            try:
                started = m["prestarted"].pop((dataset, "rdflib-endpoint"))()
            except BaseException:
                stop(server)
                raise
            m["prestarted"][(dataset, "rdflib-endpoint")] = lambda: started
    else:
        server = STARTERS[name](home, sources, workdir / f"{name}.log")
    m["started"][(dataset, name)] = server.started
    if name == "summitkg":
        m["ready"][dataset] = server.ready
    try:
        for kind, text in texts.items():
            m["rows"][(dataset, name, kind)], one = rows_and_time(server, text)
            m["single"][(dataset, name, kind)] = one
            for clients in args.clients:
                progress.update(task, description=f"{name} @ {dataset}: {kind}, {clients} clients")
                if name == "rdflib-endpoint" and (one > args.duration / 2 or clients * one > 2 * MAX_RUN):
                    m["results"][(dataset, name, kind, clients)] = Run(skipped=f"one request {one:.1f} s")
                else:
                    seconds = run_length(args.duration, clients, one, serial=name == "rdflib-endpoint")
                    run = load(server, text, clients, seconds, workdir)
                    run.seconds = seconds
                    m["results"][(dataset, name, kind, clients)] = run
                    drain(server)
                progress.advance(task)
        if name == "summitkg" and dataset == args.sizes[0] and args.profile and not m["profile"]:
            progress.update(task, description=f"{name} @ {dataset}: py-spy")
            try:
                m["profile"] = profile(server, texts["provenance"], args.duration, workdir)
            except (RuntimeError, OSError, subprocess.SubprocessError) as error:
                m["profile_error"] = str(error)
    finally:
        stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=["summit", "1000000"],
                        help="'summit' (this project's graph) and/or synthetic sizes in triples")
    parser.add_argument("--servers", nargs="+", default=list(SERVERS), choices=SERVERS)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32], help="wrk connections per run")
    parser.add_argument("--duration", type=int, default=3, help="seconds per wrk run (default 3)")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold starts per way of starting (median; 0: none)")
    parser.add_argument("--no-profile", dest="profile", action="store_false", help="skip the py-spy run")
    parser.add_argument("--no-write", action="store_true", help="print the section, do not write RESULTS.md")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench_endpoint needs the load generator `wrk` (Debian package): apt-get install -y wrk")
    missing = [s for s in ("oxigraph", "rdflib-endpoint") if s in args.servers and shutil.which(s) is None]
    if missing:
        raise SystemExit(f"not on PATH: {', '.join(missing)} (pip install -e '.[bench]')")
    if args.profile and shutil.which("py-spy") is None:
        args.profile = False
    m: dict = {"results": {}, "rows": {}, "single": {}, "started": {}, "ready": {}, "colds": {}, "profile": None,
               "prestarted": {}, "alongside": set(),
               "profile_error": "py-spy is not installed (pip install py-spy)" if shutil.which("py-spy") is None else ""}
    with tempfile.TemporaryDirectory() as tmp, Progress() as progress:
        workdir = Path(tmp)
        cold = args.cold_runs * 3 if "summitkg" in args.servers else 0
        task = progress.add_task("endpoint", total=len(args.sizes) * len(args.servers) * len(QUERIES)
                                 * len(args.clients) + cold)
        if cold:
            progress.update(task, description="cold starts")
            m["colds"] = measure_cold_starts(args, workdir, progress, task)
            if any(statistics.median(t) >= TARGET_COLD for t in m["colds"].values()):
                m["validation"] = validation_split()
        for dataset in args.sizes:
            if dataset == "summit":
                home = ROOT
            else:
                progress.update(task, description=f"synth {int(dataset):,}")
                home = synth(int(dataset), workdir)
            texts = {kind: query_text(home, name) for kind, name in QUERIES.items()}
            try:
                for name in args.servers:
                    measure_server(name, dataset, home, texts, args, workdir, m, progress, task)
            finally:
                for wait in m["prestarted"].values():  # started alongside, never measured: an error came first
                    try:
                        stop(wait())
                    except BaseException:  # noqa: BLE001 — it did not start; the first error is the one to see
                        pass
                m["prestarted"].clear()
    body = report(args, m)
    if not args.no_write:
        write_section(HEADING, body)
    print(body)


if __name__ == "__main__":
    main()

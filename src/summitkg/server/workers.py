"""Run every query in a worker process that can be killed, so a time limit really stops the work.

A Python thread cannot be stopped, and neither rdflib nor pyoxigraph takes a deadline. So:

* At start a *zygote* process is forked from the still single-threaded server. It loads the
  store (``make_state``), warms it up, installs the sandbox and then only forks workers on request.
  Each worker inherits the loaded store by copy-on-write and runs one job at a time in a thread
  with a large stack (deep parses fail with an error instead of overflowing the stack).
* The server hands a job to an idle worker over a socket and waits at most ``timeout`` seconds.
  On time-out it kills that worker (SIGKILL) and the next request gets a freshly forked one;
  other workers keep answering meanwhile. A worker that dies for any other reason is replaced too.
* An update runs in a fresh worker forked for it. If it succeeds, that worker forks the *next*
  zygote from its changed store and every worker of the old generation is retired; if it fails or
  times out, it is killed and nothing changed: updates are all or nothing.
* Workers die with their zygote (``PR_SET_PDEATHSIG``) and a zygote exits when the server's end of
  its socket closes, so nothing outlives the server.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import socket
import sys
import sysconfig
import threading
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle, send_handle
from typing import Any
from urllib.parse import urlsplit

from ..errors import QueryTimeoutError, SummitError
from .errors import ResourceLimit, TooDeeplyNested, WorkerCrashed

__all__ = ["WorkerPool", "Sandbox", "Operation"]

#: A job a worker can run: ``operation(state, *args) -> picklable``.
Operation = Callable[..., Any]

_STACK_BYTES = 256 * 2**20  # reserved address space for the job thread; pages are used only as needed
_RECURSION_LIMIT = 20_000
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Sandbox:
    """What a worker may reach besides its own memory: these URL prefixes, nothing else.

    Installed as an audit hook (rdflib's documented defence, see its "Security considerations"):
    no ``urllib`` request or socket connection except to ``urls``, no file opened except Python's
    own modules, no subprocess. It backs up the guard's scan; it does not replace it.
    """

    urls: tuple[str, ...] = ()

    def install(self) -> None:
        hosts = _addresses(self.urls)
        roots = _module_roots()
        urls = self.urls

        def hook(event: str, args: tuple[Any, ...]) -> None:
            if event == "open":
                path, mode, flags = args
                if path is None or isinstance(path, int):
                    return
                name = os.fsdecode(path)
                writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or \
                    bool(flags and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
                if writing or not (name.endswith((".py", ".pyc")) or os.path.realpath(name).startswith(roots)):
                    raise PermissionError(f"summitkg's query sandbox refuses to open {name!r}")
            elif event == "urllib.Request":
                url = str(args[0])
                if not url.startswith(urls) or not urls:
                    raise PermissionError(f"summitkg's query sandbox refuses to fetch {url!r}")
            elif event == "socket.connect":
                address = args[1]
                if isinstance(address, tuple) and address[0] not in hosts:
                    raise PermissionError(f"summitkg's query sandbox refuses to connect to {address[0]!r}")
            elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn"):
                raise PermissionError("summitkg's query sandbox refuses to start a process")

        sys.addaudithook(hook)


def _addresses(urls: Iterable[str]) -> frozenset[str]:
    found: set[str] = set()
    for url in urls:
        host = urlsplit(url).hostname
        if not host:
            continue
        found.add(host)
        try:
            found.update(info[4][0] for info in socket.getaddrinfo(host, None))
        except OSError:
            pass
    return frozenset(found)


def _module_roots() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    roots = {os.path.realpath(paths[k]) for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths}
    roots.add(os.path.realpath(os.path.dirname(os.path.dirname(__file__))))
    return tuple(sorted(r.rstrip(os.sep) + os.sep for r in roots))


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _quiet_signals() -> None:
    """Ctrl-C reaches the whole process group; only the server decides when workers stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# -- the zygote and its workers (run in child processes) ---------------------------------------------


def _zygote_main(control: Connection, state: Any, operations: Mapping[str, Operation], memory: int) -> None:
    """Fork workers on request until told to retire or the server goes away."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    gc.freeze()  # keep the loaded store's pages shared with the workers
    while True:
        try:
            message = control.recv()
        except (EOFError, OSError):
            os._exit(0)
        if message[0] == "retire":
            control.close()
            _wait_for_children()
            os._exit(0)
        role = message[1]
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            control.close()
            ours.close()
            _child(_worker_main, Connection(theirs.detach()), state, operations, role=role, memory=memory)
        theirs.close()
        control.send(("spawned", pid))
        send_handle(control, ours.fileno(), 0)
        ours.close()


def _child(main: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run a forked child's ``main`` and exit; whatever happens, it never returns into the parent's code."""
    try:
        main(*args, **kwargs)
    except BaseException:
        traceback.print_exc()
        os._exit(1)
    os._exit(0)


def _wait_for_children() -> None:
    """With SIGCHLD ignored, ``wait`` returns (ECHILD) once every child has exited."""
    try:
        while True:
            os.wait()
    except ChildProcessError:
        pass


def _address_space() -> int:
    """This process's size in bytes of address space (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _limit_memory(limit: int) -> None:
    """Cap this worker's address space: a query that wants more fails with an error here
    instead of starving the machine."""
    import resource

    if limit <= 0:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))


def _worker_main(conn: Connection, state: Any, operations: Mapping[str, Operation], *, role: str,
                 memory: int) -> None:
    parent = os.getppid()
    _die_with_parent()
    if os.getppid() != parent:
        os._exit(0)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    _limit_memory(memory)
    if role == "update":
        # Runs in the main thread: this process may become the next zygote, which must fork
        # while single-threaded.
        _serve_jobs(conn, state, operations, promotable=True, memory=memory)
        os._exit(0)
    sys.setrecursionlimit(_RECURSION_LIMIT)
    threading.stack_size(_STACK_BYTES)
    thread = threading.Thread(target=_serve_jobs, args=(conn, state, operations), daemon=True)
    thread.start()
    thread.join()
    os._exit(0)


def _serve_jobs(conn: Connection, state: Any, operations: Mapping[str, Operation], *, promotable: bool = False,
                memory: int = 0) -> None:
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job[0] == "promote" and promotable:
            _become_zygote(conn, state, operations, memory)
            return
        name, args = job
        conn.send(_run(operations[name], state, args))


def _run(operation: Operation, state: Any, args: tuple[Any, ...]) -> tuple[Any, ...]:
    try:
        return ("ok", operation(state, *args))
    except SummitError as error:
        return ("error", type(error).__module__, type(error).__qualname__, str(error), _plain(vars(error)))
    except RecursionError:
        error = TooDeeplyNested("the request is nested too deeply for the query engine")
        return ("error", type(error).__module__, type(error).__qualname__, str(error), {})
    except MemoryError:
        error = ResourceLimit("the query needs more memory than this endpoint allows each query")
        return ("error", type(error).__module__, type(error).__qualname__, str(error), {})
    except Exception:
        return ("bug", traceback.format_exc())


def _plain(attributes: dict[str, Any]) -> dict[str, Any]:
    """The attributes of an error that survive pickling (locations, names, numbers)."""
    return {k: v for k, v in attributes.items() if isinstance(v, (str, int, float, bool, type(None), list, tuple))}


def _become_zygote(conn: Connection, state: Any, operations: Mapping[str, Operation], memory: int) -> None:
    """After a successful update: fork the next zygote from this changed store, hand it over, exit."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))  # a zygote only forks; its workers set their own
    refresh = getattr(state, "refresh", None)
    if refresh is not None:
        refresh()
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        conn.close()
        ours.close()
        _child(_zygote_main, Connection(theirs.detach()), state, operations, memory)
    theirs.close()
    conn.send(("promoted", pid))
    send_handle(conn, ours.fileno(), 0)
    ours.close()


# -- the server side ----------------------------------------------------------------------------------


@dataclass
class _Worker:
    pid: int
    conn: Connection
    generation: int


class WorkerPool:
    """``size`` worker processes answering jobs by name, each within a time limit."""

    def __init__(self, make_state: Callable[[], Any], operations: Mapping[str, Operation], *, size: int,
                 timeout: float, sandbox: Sandbox | None = None, memory: int = 0) -> None:
        self.make_state = make_state
        self.operations = dict(operations)
        self.size = max(1, size)
        self.timeout = timeout
        self.sandbox = sandbox or Sandbox()
        self.memory = memory
        self.generation = 0
        self._zygote: Connection | None = None
        self._zygote_pid = 0
        self._idle: list[_Worker] = []
        self._live = 0
        self._ready = threading.Condition()
        self._spawn_lock = threading.Lock()
        self._update_lock = threading.Lock()
        self._closed = False

    # lifecycle

    def start(self) -> None:
        """Fork the zygote (it loads the store) and the first workers. Call before starting threads."""
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            _child(self._zygote_child, Connection(theirs.detach()))
        theirs.close()
        control = Connection(ours.detach())
        reply = control.recv() if control.poll(None) else None
        if reply is None or reply[0] != "ok":
            os.waitpid(pid, 0)
            control.close()
            _raise(reply)
        self._zygote, self._zygote_pid = control, pid
        for _ in range(self.size):
            self._idle.append(self._spawn("query"))
            self._live += 1

    def _zygote_child(self, control: Connection) -> None:
        _die_with_parent()
        _quiet_signals()
        try:
            state = self.make_state()
            size = _address_space()
            memory = size + _STACK_BYTES + self.memory if size and self.memory else 0
            self.sandbox.install()
        except BaseException as error:  # report, never run the server's code in this process
            control.send(_run(_raiser(error), None, ()))
            os._exit(1)
        control.send(("ok",))
        _zygote_main(control, state, self.operations, memory)

    def close(self) -> None:
        """Stop every worker and the zygote."""
        with self._ready:
            self._closed = True
            idle, self._idle = self._idle, []
            self._ready.notify_all()
        for worker in idle:
            self._kill(worker)
        if self._zygote is not None:
            self._zygote.close()  # the zygote sees EOF and exits; its workers die with it
            self._zygote = None

    # running jobs

    def run(self, name: str, *args: Any, timeout: float | None = None) -> Any:
        """Run operation ``name`` in a worker; raises what it raised, ``QueryTimeoutError`` past the limit."""
        limit = self.timeout if timeout is None else timeout
        worker = self._checkout()
        try:
            reply = self._exchange(worker, (name, args), limit)
        except BaseException:
            self._discard(worker)
            raise
        self._checkin(worker)
        return _result(reply)

    def update(self, name: str, *args: Any, timeout: float | None = None) -> Any:
        """Run a changing operation in a fresh worker; on success its store becomes everyone's."""
        limit = self.timeout if timeout is None else timeout
        with self._update_lock:
            worker = self._spawn("update")
            try:
                reply = self._exchange(worker, (name, args), limit)
                result = _result(reply)
                worker.conn.send(("promote",))
                if not worker.conn.poll(max(limit, 30.0)):
                    raise WorkerCrashed("the updated store could not be handed over")
                worker.conn.recv()
                control = Connection(recv_handle(worker.conn))
            finally:
                worker.conn.close()
            self._promote(control)
            return result

    def _promote(self, control: Connection) -> None:
        with self._spawn_lock:
            old, self._zygote = self._zygote, control
            if old is not None:
                old.send(("retire",))
                old.close()
        with self._ready:
            self.generation += 1
            stale, self._idle = self._idle, []
            self._live -= len(stale)
            self._ready.notify_all()
        for worker in stale:
            self._kill(worker)

    def _exchange(self, worker: _Worker, job: tuple[Any, ...], limit: float) -> tuple[Any, ...]:
        try:
            worker.conn.send(job)
            if not worker.conn.poll(limit):
                raise QueryTimeoutError(limit)
            return worker.conn.recv()
        except (EOFError, OSError) as error:
            raise WorkerCrashed("the process running this request stopped (it may have run out of memory); "
                                "it has been replaced") from error

    # the pool

    def _checkout(self) -> _Worker:
        with self._ready:
            while True:
                if self._closed:
                    raise WorkerCrashed("the server is shutting down")
                while self._idle:
                    worker = self._idle.pop()
                    if worker.generation == self.generation:
                        return worker
                    self._live -= 1
                    self._kill(worker)
                if self._live < self.size:
                    self._live += 1
                    break
                self._ready.wait()
        try:
            return self._spawn("query")
        except BaseException:
            with self._ready:
                self._live -= 1
                self._ready.notify()
            raise

    def _checkin(self, worker: _Worker) -> None:
        with self._ready:
            if worker.generation == self.generation and not self._closed:
                self._idle.append(worker)
            else:
                self._live -= 1
                self._kill(worker)
            self._ready.notify()

    def _discard(self, worker: _Worker) -> None:
        self._kill(worker)
        with self._ready:
            self._live -= 1
            self._ready.notify()

    def _spawn(self, role: str) -> _Worker:
        with self._spawn_lock:
            if self._zygote is None:
                raise WorkerCrashed("the server is shutting down")
            try:
                self._zygote.send(("spawn", role))
                _, pid = self._zygote.recv()
                conn = Connection(recv_handle(self._zygote))
            except (EOFError, OSError) as error:
                raise WorkerCrashed("the process that starts query workers has stopped") from error
            return _Worker(pid, conn, self.generation)

    @staticmethod
    def _kill(worker: _Worker) -> None:
        try:
            os.kill(worker.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        worker.conn.close()

    @property
    def stats(self) -> dict[str, int]:
        with self._ready:
            return {"workers": self._live, "idle": len(self._idle), "generation": self.generation}


def _raiser(error: BaseException) -> Operation:
    def operation(_state: Any) -> Any:
        raise error

    return operation


def _result(reply: tuple[Any, ...] | None) -> Any:
    if reply is not None and reply[0] == "ok":
        return reply[1] if len(reply) > 1 else None
    _raise(reply)


def _raise(reply: tuple[Any, ...] | None) -> None:
    """Re-raise in the server what a worker raised: the same ``SummitError`` class and message."""
    if reply is None:
        raise WorkerCrashed("the worker process stopped before answering")
    if reply[0] == "error":
        _, module, qualname, message, attributes = reply
        cls = getattr(sys.modules.get(module) or __import__(module, fromlist=["_"]), qualname, SummitError)
        error = cls.__new__(cls)
        Exception.__init__(error, message)
        vars(error).update(attributes)
        raise error
    raise RuntimeError(f"a worker failed:\n{reply[1]}")

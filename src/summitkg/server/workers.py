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
  times out, it is killed and nothing changed: updates are all or nothing. The same path shares
  work done once for everyone, such as a large graph's entity network built after start-up.
* Workers die with their zygote (``PR_SET_PDEATHSIG``) and a zygote exits when the server's end of
  its socket closes, so nothing outlives the server.
"""

from __future__ import annotations

import asyncio
import collections
import ctypes
import gc
import os
import pickle
import signal
import socket
import struct
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
            _become_zygote(conn, state, operations, memory, refresh=job[1])
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


def _become_zygote(conn: Connection, state: Any, operations: Mapping[str, Operation], memory: int, *,
                   refresh: bool) -> None:
    """After a successful update: fork the next zygote from this changed store, hand it over, exit."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))  # a zygote only forks; its workers set their own
    if refresh and hasattr(state, "refresh"):
        state.refresh()
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
    #: The same socket as ``conn``, to look at the size of a reply without reading it.
    peek: socket.socket | None = None


#: What a waiting request is handed besides a worker: a free place (start a worker), or the end.
_SPAWN = "spawn"
_CLOSED = "closed"
#: Replies up to this size are read on the event loop; larger ones in a thread, so the loop never
#: waits while megabytes cross the socket.
_READ_ON_LOOP = 256 * 1024


class _Waiter:
    """A request waiting for a worker: a thread (woken by an Event) or a coroutine (a Future on its loop).

    A coroutine's waiter carries its job: a worker freed on the same loop is sent the job at once
    (``sent``), before the coroutine even resumes, so no worker idles while the loop is busy.
    """

    __slots__ = ("claim", "event", "future", "job", "loop", "sent")

    def __init__(self, loop: asyncio.AbstractEventLoop | None = None, job: bytes | None = None) -> None:
        self.loop = loop
        self.future: asyncio.Future[Any] | None = loop.create_future() if loop else None
        self.event = None if loop else threading.Event()
        self.claim: Any = None
        self.job = job
        self.sent = False

    def hand(self, claim: Any, pool: WorkerPool) -> bool:
        """Give ``claim`` to this waiter; False if nobody waits here any more (cancelled, or its loop closed)."""
        if self.event is not None:
            self.claim = claim
            self.event.set()
            return True
        assert self.loop is not None and self.future is not None
        if _running_loop() is not self.loop:
            try:
                self.loop.call_soon_threadsafe(self._deliver, claim, pool)
            except RuntimeError:
                return False
            return True
        if self.future.done():
            return False
        if isinstance(claim, _Worker) and self.job is not None:
            try:
                claim.conn.send_bytes(self.job)
                self.sent = True
            except OSError:
                pass  # the worker is gone; the request sends it again and learns so
        self.future.set_result(claim)
        return True

    def _deliver(self, claim: Any, pool: WorkerPool) -> None:
        """On the loop, for a hand-over from another thread."""
        assert self.future is not None
        if self.future.done():  # the request was cancelled meanwhile: the next one gets it
            pool._release(claim)
        else:
            self.future.set_result(claim)

    def give_back(self, pool: WorkerPool) -> None:
        """This request was cancelled after it was handed something: pass that on (a worker that was
        already sent its job is stopped, since nobody will read the answer)."""
        assert self.future is not None
        if not self.future.done() or self.future.cancelled():
            return
        claim = self.future.result()
        if isinstance(claim, _Worker) and self.sent:
            pool._discard(claim)
        else:
            pool._release(claim)


@dataclass
class _Pending:
    """One job on its way in a worker, for the event loop."""

    worker: _Worker
    reply: asyncio.Future[bytes | None]
    settled: bool = False  # the reader callback already freed (or discarded) the worker


class WorkerPool:
    """``size`` worker processes answering jobs by name, each within a time limit.

    Requests wait for a worker in one queue, first come first served, whether they wait in a
    thread (``run``) or on the event loop (``run_async``); a freed worker goes straight to the
    longest-waiting request.
    """

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
        self._live = 0  # workers that exist or are being started, idle or busy
        self._waiters: collections.deque[_Waiter] = collections.deque()
        self._lock = threading.Lock()
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
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            waiters, self._waiters = list(self._waiters), collections.deque()
        for waiter in waiters:
            waiter.hand(_CLOSED, self)
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
        self._release(worker)
        return _result(reply)

    async def run_async(self, name: str, *args: Any, timeout: float | None = None) -> Any:
        """``run`` for the event loop: no thread waits for the worker, the loop does.

        The reply is read by the loop's reader callback the moment the worker writes it, and the
        freed worker is sent the next waiting request's job right there, so workers do not idle
        while the loop is busy. The time limit, the kill and the replacement are as in ``run``.
        A cancelled request stops its worker, so the work it asked for stops too.
        """
        limit = self.timeout if timeout is None else timeout
        job = pickle.dumps((name, args), pickle.HIGHEST_PROTOCOL)
        worker, sent = await self._checkout_async(job)
        loop = asyncio.get_running_loop()
        pending = _Pending(worker, loop.create_future())
        try:
            if not sent:
                worker.conn.send_bytes(job)  # at most the query size limit; the idle worker reads it at once
            loop.add_reader(worker.conn.fileno(), self._on_reply, loop, pending)
            data = await asyncio.wait_for(pending.reply, limit)
            if data is None:  # a large reply: read in a thread, then the worker is free
                data = await asyncio.to_thread(worker.conn.recv_bytes)
                pending.settled = True
                self._release(worker)
        except BaseException as error:
            if not pending.settled:
                _stop_reading(loop, worker)
                self._discard(worker)
            if isinstance(error, asyncio.TimeoutError):
                raise QueryTimeoutError(limit) from None
            if isinstance(error, (EOFError, OSError)):
                raise WorkerCrashed("the process running this request stopped (it may have run out of memory); "
                                    "it has been replaced") from error
            raise
        return _result(pickle.loads(data))

    def _on_reply(self, loop: asyncio.AbstractEventLoop, pending: _Pending) -> None:
        """The worker has started to answer: read the answer and free the worker at once."""
        worker = pending.worker
        _stop_reading(loop, worker)
        if pending.reply.done():  # timed out or cancelled in this same turn: run_async discards it
            return
        if _reply_size(worker) > _READ_ON_LOOP:
            pending.reply.set_result(None)
            return
        pending.settled = True
        try:
            data = worker.conn.recv_bytes()
        except (EOFError, OSError) as error:
            self._discard(worker)
            pending.reply.set_exception(error)
            return
        self._release(worker)
        pending.reply.set_result(data)

    def update(self, name: str, *args: Any, timeout: float | None = None, refresh: bool = True) -> Any:
        """Run a changing operation in a fresh worker; on success its state becomes everyone's.

        ``refresh`` lets the state recompute what depends on the data (``state.refresh()``) before
        it is shared; an operation that only adds to the state (a cache) passes False.
        """
        limit = self.timeout if timeout is None else timeout
        with self._update_lock:
            worker = self._spawn("update")
            try:
                reply = self._exchange(worker, (name, args), limit)
                result = _result(reply)
                worker.conn.send(("promote", refresh))
                if not worker.conn.poll(max(limit, 30.0)):
                    raise WorkerCrashed("the updated store could not be handed over")
                worker.conn.recv()
                control = Connection(recv_handle(worker.conn))
            finally:
                worker.conn.close()
                if worker.peek is not None:
                    worker.peek.close()
            self._promote(control)
            return result

    def _promote(self, control: Connection) -> None:
        with self._spawn_lock:
            old, self._zygote = self._zygote, control
            if old is not None:
                old.send(("retire",))
                old.close()
        with self._lock:
            self.generation += 1
            stale, self._idle = self._idle, []
            for worker in stale:
                self._release_locked(worker)  # stale now: killed, and its place handed on

    def _exchange(self, worker: _Worker, job: tuple[Any, ...], limit: float) -> tuple[Any, ...]:
        try:
            worker.conn.send_bytes(pickle.dumps(job, pickle.HIGHEST_PROTOCOL))
            if not worker.conn.poll(limit):
                raise QueryTimeoutError(limit)
            return worker.conn.recv()
        except (EOFError, OSError) as error:
            raise WorkerCrashed("the process running this request stopped (it may have run out of memory); "
                                "it has been replaced") from error

    # the pool

    def _claim_locked(self) -> _Worker | str | None:
        """An idle worker, ``_SPAWN`` (a free place), ``_CLOSED``, or None: wait your turn."""
        if self._closed:
            return _CLOSED
        while self._idle:
            worker = self._idle.pop()
            if worker.generation == self.generation:
                return worker
            self._live -= 1
            self._kill(worker)
        if self._live < self.size:
            self._live += 1
            return _SPAWN
        return None

    def _release(self, claim: _Worker | str) -> None:
        with self._lock:
            self._release_locked(claim)

    def _release_locked(self, claim: _Worker | str) -> None:
        """A worker, or a free place, goes to the longest-waiting request, or else back to the pool."""
        if claim is _CLOSED:
            return
        if isinstance(claim, _Worker) and (self._closed or claim.generation != self.generation):
            self._kill(claim)
            claim = _SPAWN
        while self._waiters:
            if self._waiters.popleft().hand(claim, self):
                return
        if claim is _SPAWN:
            self._live -= 1
        else:
            assert isinstance(claim, _Worker)
            self._idle.append(claim)

    def _checkout(self) -> _Worker:
        with self._lock:
            claim = self._claim_locked()
            if claim is None:
                waiter = _Waiter()
                self._waiters.append(waiter)
        if claim is None:
            assert waiter.event is not None
            waiter.event.wait()
            claim = waiter.claim
        if claim is _CLOSED:
            raise WorkerCrashed("the server is shutting down")
        if isinstance(claim, _Worker):
            return claim
        try:
            return self._spawn("query")
        except BaseException:
            self._release(_SPAWN)
            raise

    async def _checkout_async(self, job: bytes) -> tuple[_Worker, bool]:
        """A worker for ``job``, and whether it was already sent the job (see ``_Waiter``)."""
        with self._lock:
            claim = self._claim_locked()
            if claim is None:
                waiter = _Waiter(asyncio.get_running_loop(), job)
                self._waiters.append(waiter)
        if claim is None:
            assert waiter.future is not None
            try:
                claim = await waiter.future
            except asyncio.CancelledError:
                self._abandon(waiter)
                raise
            if isinstance(claim, _Worker):
                return claim, waiter.sent
        if claim is _CLOSED:
            raise WorkerCrashed("the server is shutting down")
        if isinstance(claim, _Worker):
            return claim, False
        spawning = asyncio.ensure_future(asyncio.to_thread(self._spawn, "query"))  # a fork can take a while
        try:
            return await asyncio.shield(spawning), False
        except asyncio.CancelledError:
            spawning.add_done_callback(self._release_spawned)
            raise
        except BaseException:
            self._release(_SPAWN)
            raise

    def _abandon(self, waiter: _Waiter) -> None:
        """A cancelled request leaves the queue; what it was already handed goes to the next."""
        with self._lock:
            try:
                self._waiters.remove(waiter)
                return
            except ValueError:
                pass
        waiter.give_back(self)  # (a hand-over still on its way is passed on by ``_Waiter._deliver``)

    def _release_spawned(self, spawning: asyncio.Future[_Worker]) -> None:
        if spawning.cancelled() or spawning.exception() is not None:
            self._release(_SPAWN)
        else:
            self._release(spawning.result())

    def _discard(self, worker: _Worker) -> None:
        self._kill(worker)
        self._release(_SPAWN)

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
            return _Worker(pid, conn, self.generation, socket.socket(fileno=os.dup(conn.fileno())))

    @staticmethod
    def _kill(worker: _Worker) -> None:
        try:
            os.kill(worker.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        worker.conn.close()
        if worker.peek is not None:
            worker.peek.close()

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"workers": self._live, "idle": len(self._idle), "generation": self.generation}


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _stop_reading(loop: asyncio.AbstractEventLoop, worker: _Worker) -> None:
    fd = worker.conn.fileno() if not worker.conn.closed else -1
    if fd >= 0:
        loop.remove_reader(fd)
        os.set_blocking(fd, True)  # uvloop (libuv) made it non-blocking; the pool's reads wait


def _reply_size(worker: _Worker) -> int:
    """The length a worker's reply announces (multiprocessing's framing), read without consuming it."""
    assert worker.peek is not None
    try:
        header = worker.peek.recv(4, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return _READ_ON_LOOP + 1
    if len(header) < 4:
        return 0 if not header else _READ_ON_LOOP + 1  # nothing: the worker is gone; recv_bytes says so
    size = struct.unpack("!i", header)[0]
    return size if size >= 0 else _READ_ON_LOOP + 1


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

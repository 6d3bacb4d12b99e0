"""What every store offers: run a query, say how many quads it holds, close."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from typing import ClassVar

from rdflib.term import Identifier

from ..errors import StoreError
from ..formats import Format
from ..loading import Source
from ..results import QueryResult

__all__ = ["Backend", "Bindings", "evaluation_errors"]

#: Values for query variables, by variable name without the ``?``.
Bindings = Mapping[str, Identifier]


@contextlib.contextmanager
def evaluation_errors() -> Iterator[None]:
    """A query whose evaluation needs the network (a SERVICE, or rdflib fetching a FROM) fails with
    an OSError, which both engines raise while the answer is read or written: report it, with the
    same words in the CLI and the endpoint (502), never as a traceback."""
    try:
        yield
    except OSError as error:
        raise StoreError(str(error), location="the query evaluation") from error


class Backend:
    """A place the graph lives. ``query`` is the one method a store must implement."""

    #: The ``--store`` scheme that selects this backend.
    scheme: ClassVar[str]
    #: Stores that receive the files themselves (remote ones are filled by their operator).
    writable: ClassVar[bool] = True

    def __init__(self, location: str = "") -> None:
        self.location = location

    @property
    def description(self) -> str:
        return f"{self.scheme}:{self.location}" if self.location else self.scheme

    def load(self, sources: Sequence[Source]) -> None:
        """Replace the store's content with ``sources``; all or nothing."""
        raise NotImplementedError(f"the {self.scheme} store is read-only")

    def query(self, text: str, *, bindings: Bindings | None = None) -> QueryResult:
        raise NotImplementedError

    def query_as(self, text: str, fmt: Format, *, bindings: Bindings | None = None) -> bytes | QueryResult:
        """The answer already written in ``fmt`` where the store has its own writer for it, else a
        ``QueryResult`` for rdflib's writers. A store that writes natively saves the conversion to
        rdflib terms, and a cold process never imports rdflib's SPARQL package."""
        return self.query(text, bindings=bindings)

    def __len__(self) -> int:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the store holds open."""

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.description}>"

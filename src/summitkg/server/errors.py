"""The server's own user-facing errors; ``summitkg.server.STATUS`` gives each its HTTP status.

Hierarchy (all ``SummitError``)::

    RequestError              the HTTP request itself is wrong
    ├── ProtocolError         a SPARQL Protocol rule is broken (the parameter's name)
    ├── UnsupportedMediaType  a body in a media type we do not read
    ├── NotAcceptable         no format we can write satisfies Accept / format
    └── PayloadTooLarge       a body or query past the size limit
    QueryRefused              the operator's policy forbids it (SERVICE, LOAD, updates)
    ├── GraphNotHeld          FROM / default-graph-uri names a graph this endpoint does not hold
    └── TooDeeplyNested       brackets nested past the limit
    Unauthorized              an update without the right bearer token
    NotFound                  no page or resource at that path
    NotReady                  the page needs what the server is still building (retry later)
    ResourceLimit             the query needs more memory than a worker may use
    WorkerCrashed             the process running a request died (it is replaced)
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import SummitError

__all__ = ["RequestError", "ProtocolError", "UnsupportedMediaType", "NotAcceptable", "PayloadTooLarge",
           "QueryRefused", "GraphNotHeld", "TooDeeplyNested", "Unauthorized", "NotFound", "NotReady", "ResourceLimit",
           "WorkerCrashed"]


class RequestError(SummitError):
    """The request does not follow the protocol."""


class ProtocolError(RequestError):
    def __init__(self, message: str, *, parameter: str) -> None:
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}")


class UnsupportedMediaType(RequestError):
    def __init__(self, media_type: str, *, accepted: Sequence[str]) -> None:
        self.media_type = media_type
        super().__init__(f"Content-Type: cannot read {media_type or 'a body without a media type'!r}; "
                         f"send one of: {', '.join(accepted)}")


class NotAcceptable(RequestError):
    def __init__(self, asked: str, *, offered: Sequence[str], source: str = "Accept") -> None:
        self.asked = asked
        self.offered = list(offered)
        super().__init__(f"{source}: cannot produce {asked!r} for this result; available: {', '.join(offered)}")


class PayloadTooLarge(RequestError):
    pass


class QueryRefused(SummitError):
    """Well-formed, but this endpoint will not run it."""


class GraphNotHeld(QueryRefused):
    def __init__(self, graph: str, *, clause: str, held: Sequence[str]) -> None:
        self.graph = graph
        super().__init__(f"{clause} <{graph}>: this endpoint holds no such graph (and never fetches one); "
                         f"its graphs: {', '.join(f'<{g}>' for g in held)}")


class TooDeeplyNested(QueryRefused):
    pass


class Unauthorized(SummitError):
    pass


class NotFound(SummitError):
    pass


class NotReady(SummitError):
    """Asked for before it exists: the network views of a large graph are built after the server starts."""


class ResourceLimit(SummitError):
    pass


class WorkerCrashed(SummitError):
    pass

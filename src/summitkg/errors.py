"""The errors summitkg raises for user mistakes, each saying *where* it happened.

Hierarchy::

    SummitError                 base; ``str()`` is the one-line message a user sees
    ├── LoadError               a data file does not parse (path, line, column)
    ├── ConfigError             a setting or option has a bad value (the option's name)
    ├── QueryError              a query cannot be run
    │   ├── QuerySyntaxError    SPARQL does not parse (line, column)
    │   ├── UnknownQueryError   no named query by that name (closest names)
    │   ├── ParameterError      a ``--param`` is malformed or not declared (its name)
    │   └── QueryTimeoutError   the query ran past its time limit
    ├── StoreError              a store cannot be opened or reached (the URL or path)
    └── ValidationFailed        the data does not conform to the shapes or sources

The CLI turns any ``SummitError`` into a message and a non-zero exit, and the
server into a 4xx status; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "SummitError",
    "LoadError",
    "ConfigError",
    "QueryError",
    "QuerySyntaxError",
    "UnknownQueryError",
    "ParameterError",
    "QueryTimeoutError",
    "StoreError",
    "ValidationFailed",
]


class SummitError(Exception):
    """A user-facing error: its message says what went wrong and where."""

    exit_code = 1


class LoadError(SummitError):
    """A data file could not be parsed; nothing from the load is kept."""

    def __init__(self, message: str, *, path: Path | str, line: int | None = None, column: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.column = column
        where = str(self.path)
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")


class ConfigError(SummitError):
    """A setting has a value summitkg cannot use."""

    exit_code = 2

    def __init__(self, message: str, *, name: str) -> None:
        self.name = name
        super().__init__(f"{name}: {message}")


class QueryError(SummitError):
    """A query could not be run as given."""

    exit_code = 2


class QuerySyntaxError(QueryError):
    """SPARQL text that does not parse; line and column are 1-based."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None, source: str = "query") -> None:
        self.line = line
        self.column = column
        self.source = source
        where = source
        if line is not None:
            where += f" line {line}"
            if column is not None:
                where += f", column {column}"
        super().__init__(f"SPARQL syntax error in {where}: {message}")


class UnknownQueryError(QueryError):
    """No named query has that name."""

    def __init__(self, name: str, *, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = list(suggestions)
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"no named query {name!r}.{hint} ('summitkg queries' lists them all.)")


class ParameterError(QueryError):
    """A query parameter is malformed, undeclared or of the wrong type."""

    def __init__(self, message: str, *, name: str) -> None:
        self.name = name
        super().__init__(f"parameter {name!r}: {message}")


class QueryTimeoutError(QueryError):
    """The query ran longer than the time limit and was stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"query stopped after the {seconds:g} s time limit")


class StoreError(SummitError):
    """A store could not be opened, reached or written."""

    def __init__(self, message: str, *, location: str) -> None:
        self.location = location
        super().__init__(f"{location}: {message}")


class ValidationFailed(SummitError):
    """The graph does not conform; ``report`` holds every problem found."""

    def __init__(self, report: object, message: str = "the graph does not conform") -> None:
        self.report = report
        super().__init__(message)

"""Settings, declared once: name, default, help. Flags beat ``SUMMITKG_*`` env vars beat defaults.

Nothing below the CLI reads the environment; callers build a ``Settings`` and pass it down.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["Settings", "SETTINGS", "Setting", "default_home", "from_env"]


def default_home() -> Path:
    """The project directory holding ontology/, graph/ and queries/.

    A source checkout (editable install) is found next to the package; otherwise
    the current directory is used.
    """
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "ontology" / "summitkg.ttl").is_file():
        return checkout
    return Path.cwd()


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "SUMMITKG_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("home", None, "Project directory with ontology/, graph/ and queries/ (default: the checkout, else the current directory)."),
    Setting("store", "oxigraph", "Store: oxigraph | oxigraph:PATH | memory | sparql:URL."),
    Setting("timeout", 10.0, "Time limit for one query, in seconds."),
)


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to know, resolved once."""

    home: Path = field(default_factory=default_home)
    store: str = "oxigraph"
    timeout: float = 10.0

    @property
    def ontology_dir(self) -> Path:
        return self.home / "ontology"

    @property
    def graph_dir(self) -> Path:
        return self.home / "graph"

    @property
    def sources_dir(self) -> Path:
        return self.home / "graph" / "sources"

    @functools.cached_property
    def queries_dir(self) -> Path:
        # Cached: named queries are looked up here for every request.
        return self.home / "queries"

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied; ``None`` values are ignored (unset flags)."""
        given = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **_coerce(given))


def _coerce(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "home":
            path = Path(value).expanduser()
            if not (path / "ontology").is_dir():
                raise ConfigError(f"{str(path)!r} has no ontology/ directory", name="home")
            out[name] = path
        elif name == "timeout":
            try:
                seconds = float(value)
            except (TypeError, ValueError):
                raise ConfigError(f"expected a number of seconds, got {value!r}", name="timeout") from None
            if not seconds > 0:
                raise ConfigError(f"must be positive, got {value!r}", name="timeout")
            out[name] = seconds
        else:
            out[name] = str(value)
    return out


def from_env(environ: Mapping[str, str], **flags: Any) -> Settings:
    """Settings from ``SUMMITKG_*`` variables, overridden by explicit ``flags``."""
    from_environment = {s.name: environ[s.env] for s in SETTINGS if s.env in environ}
    return Settings().replace(**from_environment).replace(**flags)

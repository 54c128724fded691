"""Configuration: ``[tool.audit]`` in ``pyproject.toml`` or ``audit.toml``; flags win.

Unknown keys are an error that names the key, so a typo never silently disables a check.

Example ``audit.toml``::

    lang = "en"                      # default document language
    languages = ["en", "ru", "tr"]   # languages in play (language identification)
    lexicons = ["lexicons/extra.csv"]
    fail_on = "warning"
    name_style = "press"             # native | press
    [rules]
    whitespace = "off"               # off | on | error | warning | info
    calque = "error"
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import CATEGORIES, SEVERITIES
from .inputs import MAX_DOCUMENT_MB


class ConfigError(ValueError):
    """A configuration problem, with the file and key in its message."""


@dataclass
class Config:
    lang: str | None = None
    languages: list[str] = field(default_factory=lambda: ["en", "ru", "tr", "de", "fr", "uk"])
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    rules: dict[str, str] = field(default_factory=dict)
    lexicons: list[str] = field(default_factory=list)
    builtin_lexicons: bool = True
    fail_on: str = "warning"
    jobs: int = 0  # 0 = all cores
    text_column: str = "text"
    id_column: str = "id"
    lang_column: str = "lang"
    source_column: str = "source"
    source_lang: str | None = None
    name_style: str = "native"
    langid: str = "lingua"
    min_confidence: float = 0.0
    #: Documents larger than this many megabytes are skipped with an error (0: no limit).
    max_document_mb: float = MAX_DOCUMENT_MB
    #: Where the configuration came from (for messages); not a user key.
    origin: str = ""
    #: ``--source PATH`` of this run (aligned source texts); a flag, not a config key.
    source_path: str | None = None

    # -- rule selection -----------------------------------------------------------------
    def rule_enabled(self, name: str, category: str, default: bool = True) -> bool:
        setting = self.rules.get(name, self.rules.get(category))
        if self.select:
            chosen = name in self.select or category in self.select
        else:
            chosen = default or setting not in (None, "off")
        if name in self.ignore or category in self.ignore:
            return False
        if setting == "off" and not (self.select and name in self.select):
            return False
        return chosen

    def severity_for(self, name: str, category: str, default: str) -> str:
        setting = self.rules.get(name, self.rules.get(category))
        return setting if setting in SEVERITIES else default

    def replace(self, **changes: Any) -> "Config":
        """A copy with the given non-None fields changed (command-line flags)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


USER_KEYS = {f.name for f in dataclasses.fields(Config)} - {"origin", "source_path"}
RULE_SETTINGS = ("off", "on") + SEVERITIES


def _validate(data: dict[str, Any], origin: str) -> Config:
    from .detectors import DETECTORS

    unknown = sorted(set(data) - USER_KEYS)
    if unknown:
        raise ConfigError(f"{origin}: unknown key {unknown[0]!r} (known: {', '.join(sorted(USER_KEYS))})")
    defaults = Config()
    for key, value in data.items():
        expect = type(getattr(defaults, key))
        if getattr(defaults, key) is None:
            expect = str
        if expect is float and isinstance(value, int):
            continue
        if not isinstance(value, expect):
            raise ConfigError(f"{origin}: key {key!r} must be {expect.__name__}, got {type(value).__name__}")
    rules = {}
    for rule, setting in data.get("rules", {}).items():
        if rule not in DETECTORS and rule not in CATEGORIES:
            raise ConfigError(f"{origin}: unknown rule {rule!r} in [rules]")
        if isinstance(setting, bool):
            setting = "on" if setting else "off"
        if setting not in RULE_SETTINGS:
            raise ConfigError(f"{origin}: rules.{rule} must be one of {', '.join(RULE_SETTINGS)}")
        rules[rule] = setting
    for key in ("select", "ignore"):
        for rule in data.get(key, []):
            if rule not in DETECTORS and rule not in CATEGORIES:
                raise ConfigError(f"{origin}: unknown rule or category {rule!r} in {key}")
    if data.get("fail_on", "warning") not in SEVERITIES + ("never",):
        raise ConfigError(f"{origin}: fail_on must be error, warning, info or never")
    if data.get("name_style", "native") not in ("native", "press"):
        raise ConfigError(f"{origin}: name_style must be native or press")
    return dataclasses.replace(defaults, **{**data, "rules": rules}, origin=origin)


def find_config_file(start: Path | None = None) -> Path | None:
    """The nearest ``audit.toml``, or ``pyproject.toml`` with a ``[tool.audit]`` table."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "audit.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                if "audit" in tomllib.loads(candidate.read_text("utf-8")).get("tool", {}):
                    return candidate
            except tomllib.TOMLDecodeError:
                continue
    return None


def load_config(path: Path | None = None, *, discover: bool = True) -> Config:
    """Read a config file (or discover one from the working directory)."""
    if path is None and discover:
        path = find_config_file()
    if path is None:
        return Config()
    try:
        data = tomllib.loads(Path(path).read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    if Path(path).name == "pyproject.toml":
        data = data.get("tool", {}).get("audit", {})
        origin = f"{path} [tool.audit]"
    else:
        origin = str(path)
    config = _validate(data, origin)
    # lexicon paths are relative to the config file
    base = Path(path).resolve().parent
    config.lexicons = [str((base / p).resolve()) if not Path(p).is_absolute() else p for p in config.lexicons]
    return config

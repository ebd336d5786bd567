"""Feature definitions in Python, written as the documents common-agg reads (docs/features.md).

The classes only build documents: whether a definition is valid (types, CEL, windows against
keys...) is decided by the registry, which reports every problem with its JSON path
(``Client.validate``). What is checked here is what Python can tell at once: a window spelled
wrong, an unknown operation, a missing required field.

``to_json()`` gives the canonical JSON: the exact text common-agg's ``GroupByWriter.toJson`` /
``JoinWriter.toJson`` write for the same definition (golden files in
common-agg/src/test/resources/golden/definitions).
"""

import enum
import json
import re
import sys

__all__ = [
    "Operation", "Window", "Query", "EventSource", "Source", "Aggregation", "Streaming", "GroupBy",
    "LeftSource", "JoinPart", "Derivation", "Join", "canonical_json",
]


class Operation(str, enum.Enum):
    """The aggregation operations of DESIGN.md (common-agg ``Operation``)."""

    SUM = "SUM"
    COUNT = "COUNT"
    AVG = "AVG"
    MIN = "MIN"
    MAX = "MAX"
    VARIANCE = "VARIANCE"
    STDDEV = "STDDEV"
    SKEW = "SKEW"
    KURTOSIS = "KURTOSIS"
    FIRST = "FIRST"
    LAST = "LAST"
    FIRST_K = "FIRST_K"
    LAST_K = "LAST_K"
    TOP_K = "TOP_K"
    BOTTOM_K = "BOTTOM_K"
    UNIQUE_COUNT = "UNIQUE_COUNT"
    APPROX_UNIQUE_COUNT = "APPROX_UNIQUE_COUNT"
    APPROX_PERCENTILE = "APPROX_PERCENTILE"
    HISTOGRAM = "HISTOGRAM"
    APPROX_HISTOGRAM_K = "APPROX_HISTOGRAM_K"
    BOUNDED_UNIQUE_COUNT = "BOUNDED_UNIQUE_COUNT"

    @classmethod
    def of(cls, value):
        """An Operation from itself or its name, case-insensitively, AVERAGE meaning AVG (as common-agg reads it)."""
        if isinstance(value, Operation):
            return value
        name = str(value).strip().upper()
        try:
            return cls(name if name != "AVERAGE" else "AVG")
        except ValueError:
            raise ValueError(f"unknown operation '{value}' (expected one of {', '.join(o.value for o in cls)})") from None


_WINDOW = re.compile(r"([1-9][0-9]{0,8})([mhd])")
_DURATION = re.compile(r"([0-9]{1,9})([smhd])")
_UNIT_MILLIS = {"s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}
_MAX_WINDOW_MILLIS = 3660 * _UNIT_MILLIS["d"]


class Window:
    """A sliding window as written in a definition: ``30m``, ``1h``, ``7d``.

    The spelling is kept (``24h`` and ``1d`` cover the same time but name different features).
    ``Window.hours(1)`` and ``Window("1h")`` are the same window; Aggregation also takes plain strings.
    """

    def __init__(self, spec):
        m = _WINDOW.fullmatch(str(spec).strip())
        if not m:
            raise ValueError(f"bad window '{spec}': expected <n>m, <n>h or <n>d with n >= 1, e.g. 30m, 1h, 7d")
        self.spec = str(spec).strip()
        self.millis = int(m.group(1)) * _UNIT_MILLIS[m.group(2)]
        if self.millis > _MAX_WINDOW_MILLIS:
            raise ValueError(f"bad window '{spec}': longer than the maximum of 3660d")

    @classmethod
    def minutes(cls, n):
        return cls(f"{n}m")

    @classmethod
    def hours(cls, n):
        return cls(f"{n}h")

    @classmethod
    def days(cls, n):
        return cls(f"{n}d")

    def __eq__(self, other):
        return isinstance(other, Window) and other.spec == self.spec

    def __hash__(self):
        return hash(self.spec)

    def __repr__(self):
        return f"Window({self.spec!r})"

    def __str__(self):
        return self.spec


def _duration(spec, field):
    """A duration (``30s``, ``5m``, ``1h``, ``1d``) in its shortest spelling, as common-agg writes it."""
    m = _DURATION.fullmatch(str(spec).strip())
    if not m:
        raise ValueError(f"{field}: bad duration '{spec}': expected <n>s, <n>m, <n>h or <n>d, e.g. 5m")
    seconds = int(m.group(1)) * _UNIT_MILLIS[m.group(2)] // 1000
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _strings(values, field):
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    out = list(values)
    for v in out:
        if not isinstance(v, str):
            raise TypeError(f"{field}: expected strings, got {v!r}")
    return out


def _arg(value):
    """Aggregation arguments are strings in the document (``k: "5"``); lists become ``0.5,0.99``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(_arg(v) for v in value)
    return str(value)


def _schema(schema):
    return {str(column): str(getattr(t, "value", t)) for column, t in (schema or {}).items()}


class Query:
    """The projection of a source: CEL ``selects`` (column -> expression; none means every schema
    column as it is), CEL ``wheres`` (all must hold) and the event time column (epoch ms, UTC)."""

    def __init__(self, selects=None, wheres=None, time_column=None):
        self.selects = dict(selects or {})
        self.wheres = _strings(wheres, "wheres")
        self.time_column = time_column

    def to_tree(self):
        tree = {}
        if self.selects:
            tree["selects"] = {str(k): str(v) for k, v in self.selects.items()}
        if self.wheres:
            tree["wheres"] = list(self.wheres)
        if self.time_column is not None:
            tree["timeColumn"] = self.time_column
        return tree


class EventSource:
    """Events in a warehouse ``table`` or a ``parquet`` dataset (batch; exactly one) and a Kafka
    ``topic`` (stream; required when the GroupBy is online), rows of ``schema`` (column -> ``STRING``,
    ``LONG``, ``LIST<STRING>``...)."""

    def __init__(self, table=None, topic=None, schema=None, query=None, parquet=None):
        self.table = table
        self.parquet = parquet
        self.topic = topic
        self.schema = _schema(schema)
        self.query = query if query is not None else Query()

    def to_tree(self):
        events = {}
        if self.table is not None:
            events["table"] = self.table
        if self.parquet is not None:
            events["parquet"] = self.parquet
        if self.topic is not None:
            events["topic"] = self.topic
        events["schema"] = dict(self.schema)
        events["query"] = self.query.to_tree()
        return {"events": events}


def Source(events):
    """``Source(events=EventSource(...))`` as the seed writes it: the source is the EventSource."""
    if not isinstance(events, EventSource):
        raise TypeError(f"Source(events=...) wants an EventSource, got {type(events).__name__}")
    return events


class Aggregation:
    """An operation over an input column for each window (none: lifetime), optionally bucketed."""

    def __init__(self, input_column, operation, windows=None, buckets=None, args=None):
        if not input_column:
            raise ValueError("Aggregation: input_column is required")
        self.input_column = input_column
        self.operation = Operation.of(operation)
        self.windows = [w if isinstance(w, Window) else Window(w) for w in (windows or [])]
        self.buckets = _strings(buckets, "buckets")
        self.args = {str(k): _arg(v) for k, v in (args or {}).items()}

    def to_tree(self):
        tree = {"inputColumn": self.input_column, "operation": self.operation.value}
        if self.windows:
            tree["windows"] = [w.spec for w in self.windows]
        if self.buckets:
            tree["buckets"] = list(self.buckets)
        if self.args:
            tree["args"] = dict(self.args)
        return tree


class Streaming:
    """How the stream side treats time (DESIGN.md): tiles stay open ``watermark_delay``; an event
    older than its tile's end plus ``allowed_lateness`` is late."""

    def __init__(self, watermark_delay="5m", allowed_lateness="1h"):
        self.watermark_delay = _duration(watermark_delay, "watermark_delay")
        self.allowed_lateness = _duration(allowed_lateness, "allowed_lateness")

    def to_tree(self):
        return {"watermarkDelay": self.watermark_delay, "allowedLateness": self.allowed_lateness}


def _header(definition, kind):
    """The fields a GroupBy and a Join begin with, in the writers' order."""
    if not definition.name:
        raise ValueError(f"{kind} has no name: give name=... or compile it with python -m tessera compile")
    tree = {"name": definition.name}
    if definition.team is not None:
        tree["team"] = definition.team
    if definition.description is not None:
        tree["description"] = definition.description
    tree["online"] = definition.online
    return tree


def _defined_in():
    """The module that called the constructor: ``compile`` names only what a module defines itself."""
    frame = sys._getframe(2)
    return frame.f_globals.get("__name__")


class GroupBy:
    """A feature definition: events of ``sources``, keyed by ``keys``, aggregated by ``aggregations``.

    ``name`` may be left out: ``python -m tessera compile`` names a definition after the variable it
    is assigned to, as Chronon does.
    """

    kind = "groupby"

    def __init__(self, sources, keys, aggregations, online=False, name=None, team=None, description=None, streaming=None):
        self.name = name
        self.team = team
        self.description = description
        self.online = bool(online)
        self.keys = _strings(keys, "keys")
        self.sources = list(sources or [])
        for s in self.sources:
            if not isinstance(s, EventSource):
                raise TypeError(f"GroupBy sources: expected EventSource, got {type(s).__name__}")
        self.aggregations = list(aggregations or [])
        if isinstance(streaming, dict):
            streaming = Streaming(**streaming)
        self.streaming = streaming or Streaming()
        self._module = _defined_in()

    def to_tree(self):
        tree = _header(self, "GroupBy")
        tree["keys"] = list(self.keys)
        tree["sources"] = [s.to_tree() for s in self.sources]
        tree["aggregations"] = [a.to_tree() for a in self.aggregations]
        tree["streaming"] = self.streaming.to_tree()
        return tree

    def to_json(self):
        return canonical_json(self.to_tree())

    def __repr__(self):
        return f"GroupBy(name={self.name!r}, keys={self.keys!r})"


class LeftSource:
    """The rows of a Join that get features: a table or a ``parquet`` dataset, its time column
    (epoch ms) and its schema. ``topic`` names the Kafka topic an ingest job lands the table from
    (labels, checkouts); without one the table is kept outside Tessera and no job writes it."""

    def __init__(self, table, time_column, schema, parquet=None, topic=None):
        self.table = table
        self.parquet = parquet
        self.topic = topic
        self.time_column = time_column
        self.schema = _schema(schema)

    def to_tree(self):
        tree = {}
        if self.table is not None:
            tree["table"] = self.table
        if self.parquet is not None:
            tree["parquet"] = self.parquet
        if self.topic is not None:
            tree["topic"] = self.topic
        if self.time_column is not None:
            tree["timeColumn"] = self.time_column
        tree["schema"] = dict(self.schema)
        return tree


class JoinPart:
    """One GroupBy of a Join: ``key_mapping`` maps left columns to the GroupBy's keys; ``version``
    pins a version (default: the live one); ``prefix`` names the output columns (default: the GroupBy's name).
    ``group_by`` is a name or a GroupBy object (then its name, also one given by compile)."""

    def __init__(self, group_by, key_mapping, prefix=None, version=None):
        if not isinstance(group_by, (str, GroupBy)):
            raise TypeError(f"JoinPart group_by: expected a name or a GroupBy, got {type(group_by).__name__}")
        self.group_by = group_by
        self.key_mapping = dict(key_mapping or {})
        self.prefix = prefix
        self.version = version

    @property
    def group_by_name(self):
        name = self.group_by if isinstance(self.group_by, str) else self.group_by.name
        if not name:
            raise ValueError("JoinPart names a GroupBy without a name: give it name=... or compile both together")
        return name

    def to_tree(self):
        tree = {"groupBy": self.group_by_name}
        if self.version is not None:
            tree["version"] = int(self.version)
        tree["keyMapping"] = {str(k): str(v) for k, v in self.key_mapping.items()}
        if self.prefix is not None:
            tree["prefix"] = self.prefix
        return tree


class Derivation:
    """A derived output column of a Join: a CEL expression over its feature names and request fields."""

    def __init__(self, name, expression):
        self.name = name
        self.expression = expression

    def to_tree(self):
        return {"name": self.name, "expression": self.expression}


class Join:
    """A model's feature vector (DESIGN-joins.md): the ``left`` rows get every part's features as of
    their time, ``request`` fields are carried through and ``derivations`` add CEL columns."""

    kind = "join"

    def __init__(self, left, parts, request=None, derivations=None, online=False, name=None, team=None, description=None):
        self.name = name
        self.team = team
        self.description = description
        self.online = bool(online)
        self.left = left
        self.parts = list(parts or [])
        self.request = _strings(request, "request")
        self.derivations = list(derivations or [])
        self._module = _defined_in()

    def to_tree(self):
        tree = _header(self, "Join")
        if self.left is not None:
            tree["left"] = self.left.to_tree()
        tree["parts"] = [p.to_tree() for p in self.parts]
        if self.request:
            tree["request"] = list(self.request)
        if self.derivations:
            tree["derivations"] = [d.to_tree() for d in self.derivations]
        return tree

    def to_json(self):
        return canonical_json(self.to_tree())

    def __repr__(self):
        return f"Join(name={self.name!r}, parts={len(self.parts)})"


_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-f]{4})")


def _scalar(value):
    # Jackson writes control characters as \u00XX with upper-case hex, and everything else as is.
    text = json.dumps(value, ensure_ascii=False)
    return _UNICODE_ESCAPE.sub(lambda m: "\\u" + m.group(1).upper(), text) if isinstance(value, str) else text


def canonical_json(tree, _nesting=0):
    """A document tree as Jackson's default pretty printer writes it (common-agg ``TreeWriter.json``):
    objects one field a line, indented two spaces per object level, ``"name" : value``; arrays on
    one line, ``[ a, b ]``, their objects indented as their parent's fields."""
    if isinstance(tree, dict):
        if not tree:
            return "{ }"
        pad = "  " * (_nesting + 1)
        fields = [f"\n{pad}{_scalar(str(k))} : {canonical_json(v, _nesting + 1)}" for k, v in tree.items()]
        return "{" + ",".join(fields) + "\n" + "  " * _nesting + "}"
    if isinstance(tree, list):
        if not tree:
            return "[ ]"
        return "[ " + ", ".join(canonical_json(v, _nesting) for v in tree) + " ]"
    return _scalar(tree)

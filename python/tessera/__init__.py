"""Tessera from Python: define features as the seed does, register them, fetch them, build training sets.

    from tessera import GroupBy, EventSource, Query, Aggregation, Operation, Client

Definitions (``tessera.definitions``) need nothing but the standard library; the client
(``tessera.client``) uses urllib, and pandas only for ``Job.to_pandas()``.
"""

from tessera.definitions import (
    Aggregation,
    Derivation,
    EventSource,
    GroupBy,
    Join,
    JoinPart,
    LeftSource,
    Operation,
    Query,
    Source,
    Streaming,
    Window,
)
from tessera.client import ApiError, Client, DefinitionError, FetchError, Job, JobFailedError, Problem, RolloutError

__all__ = [
    "Aggregation", "Derivation", "EventSource", "GroupBy", "Join", "JoinPart", "LeftSource", "Operation", "Query",
    "Source", "Streaming", "Window", "Client", "Job", "ApiError", "DefinitionError", "FetchError", "JobFailedError", "Problem", "RolloutError",
]

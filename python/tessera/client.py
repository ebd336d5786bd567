"""A client of the Tessera services, as the CLI (cli/src/main/java/dev/tessera/cli) talks to them, with urllib only.

    client = Client()                       # TESSERA_REGISTRY_URL, _FETCHER_URL, _BATCH_URL, _USER, _PASSWORD, _TOKEN
    client.register(fraud_features)         # every problem at once, or published
    job = client.backfill(fraud_features, "2024-03-01", "2024-03-07")   # waits, with a progress line
    df = client.training_set(fraud_model, output_table="fraud_training").to_pandas()
    client.fetch(fraud_features, {"user_id": "u1"})                      # {"amount_avg_1h": 12.5, ...}

Errors are exceptions: ApiError (a service said no; its problem+json in ``problem``), DefinitionError
(invalid definitions: every problem with its JSON path), FetchError, JobFailedError.
"""

import base64
import datetime
import io
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from tessera.definitions import GroupBy, Join

__all__ = ["Client", "Job", "Problem", "ApiError", "DefinitionError", "FetchError", "JobFailedError"]

ENDED = {"COMPLETED", "FAILED", "STOPPED", "ABANDONED"}


class Problem:
    """One problem of a definition: which one (``source``), where in it (a JSON path) and what."""

    def __init__(self, source, path, message, line=None):
        self.source = source
        self.path = path
        self.message = message
        self.line = line

    def __eq__(self, other):
        return isinstance(other, Problem) and (self.source, self.path, self.message) == (other.source, other.path, other.message)

    def __repr__(self):
        return f"Problem({self.source!r}, {self.path!r}, {self.message!r})"

    def __str__(self):
        return f"{self.source} {self.path}: {self.message}"


class ApiError(Exception):
    """A service answered with an error: the HTTP ``status`` (0: not reached) and its problem+json body."""

    def __init__(self, message, status=0, problem=None):
        super().__init__(message)
        self.status = status
        self.problem = problem or {}


class DefinitionError(ApiError):
    """Definitions the registry refused; ``problems`` has every one, with its JSON path. Nothing was published."""

    def __init__(self, problems, status=400, problem=None):
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s), nothing published:\n{lines}", status, problem)


class FetchError(Exception):
    """Some rows of a fetch failed; ``results`` has every row's answer (status, features, error)."""

    def __init__(self, failures, results):
        super().__init__("; ".join(failures))
        self.results = results


class JobFailedError(Exception):
    """A job ended without completing; ``job`` is its last view (GET /api/v1/jobs/{id})."""

    def __init__(self, job):
        self.job = job
        super().__init__(failure_reason(job))


class RolloutError(Exception):
    """A rollout ended without serving its version: FAILED (``rollout["error"]`` says why; the old
    version is still served, ``Client.rollout`` again resumes it) or SUPERSEDED by a newer version."""

    def __init__(self, rollout):
        self.rollout = rollout
        failed = [s for s in rollout.get("steps") or [] if s.get("status") == "FAILED"]
        where = f" at step {failed[0]['step']}" if failed else ""
        why = rollout.get("error") or (failed[0].get("detail") if failed else None)
        super().__init__(f"rollout of {rollout.get('name')} version {rollout.get('version')} {rollout.get('state')}{where}"
                         + (f": {why}" if why else "") + f" (version {rollout.get('liveVersion')} is served)")


def failure_reason(job):
    """Why a job did not complete, in one line: its first error, else rejected rows by reason, else its status (as the CLI says it)."""
    head = f"{job.get('job', 'job')} {job.get('id', '?')} {job.get('status', 'UNKNOWN')}"
    errors = [str(e) for e in job.get("errors") or []]
    # Spring Batch's wrapper of a failed partition says less than the partition's own error
    errors.sort(key=lambda e: "Partition handler returned an unsuccessful step" in e)
    if errors:
        return f"{head}: {errors[0]}" + (f" (+{len(errors) - 1} more)" if len(errors) > 1 else "")
    rejections = job.get("rejections") or {}
    if rejections.get("total"):
        reasons = "; ".join(f"{r}: {n}" for r, n in (rejections.get("reasons") or {}).items())
        return f"{head}: {rejections['total']} rejected rows ({reasons})"
    return head


class Client:
    """The registry (definitions), the fetcher (online values) and the batch service (jobs and their output)."""

    def __init__(self, registry=None, fetcher=None, batch=None, user=None, password=None, token=None, timeout=60):
        env = os.environ.get
        self.registry = (registry or env("TESSERA_REGISTRY_URL") or "http://localhost:8081").rstrip("/")
        self.fetcher = (fetcher or env("TESSERA_FETCHER_URL") or "http://localhost:8080").rstrip("/")
        self.batch = (batch or env("TESSERA_BATCH_URL") or "http://localhost:8082").rstrip("/")
        token = token or env("TESSERA_TOKEN")
        user = user or env("TESSERA_USER")
        password = password if password is not None else env("TESSERA_PASSWORD", "")
        if token:
            self._authorization = "Bearer " + token
        elif user:
            self._authorization = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        else:
            self._authorization = None
        self.timeout = timeout

    # ---- HTTP -----------------------------------------------------------------------------------

    def _open(self, method, url, body=None, content_type="application/json", accept="application/json, application/problem+json"):
        data = None
        headers = {"Accept": accept}
        if body is not None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            headers["Content-Type"] = content_type
        if self._authorization:
            headers["Authorization"] = self._authorization
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as e:
            raw = e.read().decode("utf-8", "replace")
            try:
                problem = json.loads(raw) if raw.strip() else {}
            except ValueError:
                problem = raw
            raise self._error(method, url, e.code, problem) from None
        except urllib.error.URLError as e:
            where = urllib.parse.urlsplit(url)
            raise ApiError(f"cannot reach {where.scheme}://{where.netloc}: is the service running? ({e.reason})") from None

    def _json(self, method, url, body=None, content_type="application/json"):
        with self._open(method, url, body, content_type) as response:
            text = response.read().decode("utf-8")
        return json.loads(text) if text.strip() else {}

    @staticmethod
    def _error(method, url, status, problem):
        """``POST /api/v1/jobs/backfill -> 404 Unknown GroupBy: ... [field: message; ...]``, as the CLI describes it."""
        message = f"{method} {urllib.parse.urlsplit(url).path} -> {status}"
        if not isinstance(problem, dict):
            return ApiError(f"{message}: {str(problem)[:200]}", status, {"detail": problem})
        title, detail = problem.get("title"), problem.get("detail")
        if title:
            message += f" {title}"
        if detail and detail != title:
            message += f": {detail}"
        errors = [f"{e.get('path') or e.get('field')}: {e.get('message')}" for e in problem.get("errors") or []]
        if errors:
            message += " [" + "; ".join(errors) + "]"
        if problem.get("runningJobId") is not None:
            message += f" (running job {problem['runningJobId']})"
        return ApiError(message, status, problem)

    # ---- definitions ----------------------------------------------------------------------------

    def validate(self, *definitions):
        """Asks the registry whether the definitions are valid; returns what it says of each.

        Raises DefinitionError with every problem of every definition. A Join is checked against
        the registry's GroupBys; a part naming a GroupBy of the same call that the registry does
        not know yet is not an error (``register`` publishes the GroupBys first).
        """
        return self._check(_flatten(definitions))

    def register(self, *definitions, dry_run=False):
        """Validates, then publishes: the GroupBys all or nothing in one call, then the Joins (which
        may join those GroupBys). Nothing is published when any definition is invalid. Returns the
        registry's answer per definition (name, version, change)."""
        definitions = _flatten(definitions)
        checked = self._check(definitions)
        if dry_run:
            return checked
        group_bys = [d for d in definitions if isinstance(d, GroupBy)]
        results = []
        if group_bys:
            results += self._json("POST", f"{self.registry}/api/v1/groupbys:batch", _batch(group_bys)).get("items", [])
        for join in (d for d in definitions if isinstance(d, Join)):
            results.append(self._json("POST", f"{self.registry}/api/v1/joins", join.to_json()))
        return results

    def _check(self, definitions):
        problems = []
        answers = []
        group_bys = [d for d in definitions if isinstance(d, GroupBy)]
        if group_bys:
            try:
                answers += self._json("POST", f"{self.registry}/api/v1/groupbys:batch?dryRun=true", _batch(group_bys)).get("items", [])
            except ApiError as e:
                items = e.problem.get("items") if e.status == 400 else None
                if items is None:
                    raise
                for item in items:
                    problems += [Problem(item.get("source"), p.get("path"), p.get("message"), p.get("line")) for p in item.get("problems") or []]
        new_group_bys = {g.name for g in group_bys}
        for join in (d for d in definitions if isinstance(d, Join)):
            try:
                answers.append(self._json("POST", f"{self.registry}/api/v1/joins/validate", join.to_json()))
            except ApiError as e:
                if e.status != 400 or "errors" not in e.problem:
                    raise
                for p in e.problem["errors"]:
                    if not _about_part_of(join, p.get("path", ""), new_group_bys):
                        problems.append(Problem(f"join {join.name}", p.get("path"), p.get("message"), p.get("line")))
        if problems:
            raise DefinitionError(problems)
        return answers

    def group_by(self, name):
        """The live version of a registered GroupBy, as the registry shows it (definition, features...)."""
        return self._json("GET", f"{self.registry}/api/v1/groupbys/{_quote(_name(name))}")

    def join(self, name):
        """The live version of a registered Join (definition, parts, output columns...)."""
        return self._json("GET", f"{self.registry}/api/v1/joins/{_quote(_name(name))}")

    # ---- fetch ----------------------------------------------------------------------------------

    def fetch(self, definition, rows, at=None):
        """Online values: of a GroupBy for entities (``{"user_id": "u1"}``), or of a Join for rows
        (key columns and request fields). One dict gives one dict of values, a list gives a list.
        ``at``: as of this time (epoch ms, datetime or ISO-8601 text) instead of now."""
        is_join = isinstance(definition, Join)
        return self._fetch("join" if is_join else "groupby", definition, rows, at)

    def fetch_join(self, join, rows, at=None):
        """``fetch`` of a Join given by name."""
        return self._fetch("join", join, rows, at)

    def _fetch(self, kind, definition, rows, at):
        one = isinstance(rows, dict)
        body = [rows] if one else list(rows)
        url = f"{self.fetcher}/v1/features/{kind}/{_quote(_name(definition))}"
        if at is not None:
            url += f"?atMillis={epoch_millis(at)}"
        results = self._json("POST", url, body).get("results", [])
        failures = [f"{row}: {r.get('status')} {r.get('error', '')}".strip() for row, r in zip(body, results) if r.get("status") != "Success"]
        if failures:
            raise FetchError(failures, results)
        values = [r.get("features", {}) for r in results]
        return values[0] if one else values

    # ---- rollout --------------------------------------------------------------------------------

    def rollout(self, group_by, wait=True, progress=True, interval=1.0, out=None):
        """Serves the GroupBy's newest version once its data is complete (DESIGN.md "Version
        rollout"): a new version is held back when published; the registry uploads it as of the last
        complete day, waits for its stream job to catch up, then switches every fetch to it at once.
        Returns the rollout (``state``, ``liveVersion``, ``version``, ``steps``); with ``wait``, once it
        is LIVE. Nothing to roll out (the newest version is live) returns the rollout as it is.
        Raises RolloutError when it FAILED (the old version is still served; call again to resume)
        or was SUPERSEDED by a newer version."""
        url = f"{self.registry}/api/v1/groupbys/{_quote(_name(group_by))}/rollout"
        try:
            view = self._json("POST", url)
        except ApiError as e:
            if e.status != 409 or not str(e.problem.get("type", "")).endswith("/nothing-to-roll-out"):
                raise
            view = self._json("GET", url)
        out = out or sys.stderr
        shown = None
        while True:
            state = view.get("state")
            if progress:
                running = next((s for s in view.get("steps") or [] if s.get("status") in ("RUNNING", "FAILED")), None)
                line = f"rollout {view.get('name')} v{view.get('version')} {state}" + (
                    f"  {running['step']} {running['status']}: {running.get('detail') or ''}" if running else "")
                if line != shown:
                    out.write(line + "\n")
                    out.flush()
                    shown = line
            if state in ("FAILED", "SUPERSEDED", "RETIRED"):
                raise RolloutError(view)
            if state == "LIVE" or not wait:
                return view
            time.sleep(interval)
            view = self._json("GET", url)

    # ---- jobs -----------------------------------------------------------------------------------

    def backfill(self, group_by, start_date, end_date, wait=True, progress=True, **options):
        """Daily snapshots of a GroupBy, ``start_date..end_date`` (UTC days, both included).
        ``options``: parquet_path (one Parquet file), parquet_dataset (a folder: one file per day in
        ``ds=YYYY-MM-DD/``; both relative to the service's export directory), partitions,
        max_rejected_rows, max_rejected_fraction."""
        body = {"groupBy": _name(group_by), "startDate": str(start_date), "endDate": str(end_date)}
        return self._start("backfill", body, options, wait, progress)

    def training_set(self, definition, output_table, left_table=None, time_column=None, start_date=None, end_date=None,
                     wait=True, progress=True, left_parquet=None, **options):
        """A point-in-time correct training set: of a Join (its left table; optionally its rows of
        ``start_date..end_date``), or of a GroupBy with ``left_table`` (or ``left_parquet``, a Parquet
        dataset in the batch service's lake directory) and ``time_column``.
        ``options`` as for :meth:`backfill` (parquet_dataset: one file per day of the left rows' times)."""
        if left_table is not None and left_parquet is not None:
            raise ValueError("give left_table or left_parquet, not both")
        if left_table is None and left_parquet is None and time_column is None and not isinstance(definition, GroupBy):
            body = {"join": _name(definition), "outputTable": output_table}
            if start_date is not None:
                body["startDate"] = str(start_date)
            if end_date is not None:
                body["endDate"] = str(end_date)
        elif (left_table is None and left_parquet is None) or time_column is None:
            raise ValueError("a GroupBy's training set needs both left_table (or left_parquet) and time_column (a Join's needs neither)")
        elif left_parquet is not None:
            body = {"groupBy": _name(definition), "leftParquet": left_parquet, "timeColumn": time_column, "outputTable": output_table}
        else:
            body = {"groupBy": _name(definition), "leftTable": left_table, "timeColumn": time_column, "outputTable": output_table}
        return self._start("training-set", body, options, wait, progress)

    def upload(self, group_by, date, force=False, wait=True, progress=True, **options):
        """The batch IRs of every entity as of ``date`` to Redis, for the fetcher."""
        body = {"groupBy": _name(group_by), "date": str(date)}
        if force:
            body["force"] = True
        return self._start("upload", body, options, wait, progress)

    def consistency(self, definition, start_date, end_date, wait=True, progress=True, **options):
        """Served values of a GroupBy or a Join against batch values recomputed for the same times.
        A name is a Join when the registry knows a Join of that name (as the CLI decides)."""
        is_join = isinstance(definition, Join)
        if isinstance(definition, str):
            try:
                self.join(definition)
                is_join = True
            except ApiError as e:
                if e.status != 404:
                    raise
        body = {"join" if is_join else "groupBy": _name(definition), "startDate": str(start_date), "endDate": str(end_date)}
        return self._start("consistency", body, options, wait, progress)

    def job(self, job_id):
        """A job by id, to follow or read."""
        return Job(self, job_id)

    def _start(self, kind, body, options, wait, progress):
        for key, value in options.items():
            body[_camel(key)] = value
        accepted = self._submit(kind, body)
        job = Job(self, accepted["id"], accepted)
        return job.wait(progress=progress) if wait else job

    def _submit(self, kind, body, patience=30.0, interval=0.5):
        """Starts a job, waiting while the batch service has not read a GroupBy registered a moment
        ago: definitions reach it over the registry topic, so it answers 404 unknown-groupby (or 503
        while it loads them) for a short while after ``register`` (as tessera-local's BatchJobs)."""
        deadline = time.monotonic() + patience
        while True:
            try:
                return self._json("POST", f"{self.batch}/api/v1/jobs/{kind}", body)
            except ApiError as e:
                not_yet = e.status == 503 or (e.status == 404 and str(e.problem.get("type", "")).endswith("/unknown-groupby"))
                if not not_yet or time.monotonic() > deadline:
                    raise
            time.sleep(interval)


class Job:
    """A batch job: its last view (``view``), following it to its end, and its output table."""

    def __init__(self, client, job_id, view=None):
        self.client = client
        self.id = int(job_id)
        self.view = view or {}

    @property
    def status(self):
        return self.view.get("status")

    @property
    def result(self):
        return self.view.get("result") or {}

    def refresh(self):
        self.view = self.client._json("GET", f"{self.client.batch}/api/v1/jobs/{self.id}")
        return self

    def wait(self, progress=True, interval=0.5, out=None, raise_on_failure=True):
        """Polls until the job ends; with ``progress`` a line on stderr: redrawn in place with a bar
        on a terminal, else written when the status or partitions change and every 5 s (notebooks,
        logs). Raises JobFailedError when it did not complete (unless ``raise_on_failure=False``)."""
        out = out or sys.stderr
        terminal = progress and hasattr(out, "isatty") and out.isatty()
        start = time.monotonic()
        shown, last_key, last_plain = 0, None, float("-inf")
        while True:
            self.refresh()
            ended = self.status in ENDED
            if progress:
                now = time.monotonic()
                line = progress_line(self.view, now - start, bar=terminal)
                if terminal:
                    out.write("\r" + line + " " * max(0, shown - len(line)) + ("\n" if ended else ""))
                    shown = len(line)
                else:
                    p = self.view.get("progress") or {}
                    key = (self.status, p.get("partitionsDone"))
                    if key != last_key or now - last_plain >= 5 or ended:
                        out.write(line + "\n")
                        last_key, last_plain = key, now
                out.flush()
            if ended:
                break
            time.sleep(interval)
        if raise_on_failure and self.status != "COMPLETED":
            raise JobFailedError(self.view)
        return self

    def _download(self, fmt, table):
        query = {"format": fmt}
        if table:
            query["table"] = table
        url = f"{self.client.batch}/api/v1/jobs/{self.id}/output?{urllib.parse.urlencode(query)}"
        return self.client._open("GET", url, accept="text/csv, application/x-ndjson, application/problem+json")

    def rows(self, table=None):
        """The job's output table, row by row as dicts, streamed (JSON lines). Lists and maps are
        JSON text, as in the warehouse; ``table``: ``report`` or ``samples`` of a consistency job."""
        with self._download("jsonl", table) as response:
            for line in io.TextIOWrapper(response, encoding="utf-8"):
                if line.strip():
                    yield json.loads(line)

    def save(self, path, format="csv", table=None):
        """Writes the output table to a file (``csv`` or ``jsonl``), streamed; returns the path."""
        with self._download(format, table) as response, open(path, "wb") as f:
            while True:
                chunk = response.read(1 << 16)
                if not chunk:
                    break
                f.write(chunk)
        return path

    def to_pandas(self, table=None):
        """The output table as a pandas DataFrame (pandas is needed for this one call only)."""
        try:
            import pandas
        except ImportError:
            raise ImportError("Job.to_pandas() needs pandas: pip install 'tessera[pandas]' (or use Job.rows())") from None
        return pandas.DataFrame.from_records(list(self.rows(table)))

    def __repr__(self):
        return f"Job({self.id}, {self.view.get('job')}, {self.status})"


def progress_line(job, elapsed_seconds, bar=False):
    """``backfill 12 STARTED  [######----] 3/8 partitions  12,000 rows read  40 entities  3s``."""
    p = job.get("progress") or {}
    parts = [f"{job.get('job', 'job')} {job.get('id', '?')} {job.get('status', 'UNKNOWN')}"]
    done, total = p.get("partitionsDone", 0), p.get("partitionsTotal", 0)
    if total:
        filled = int(24 * min(1.0, max(0.0, done / total)))
        parts.append(("[" + "#" * filled + "-" * (24 - filled) + "] " if bar else "") + f"{done}/{total} partitions")
    parts.append(f"{p.get('rowsRead', 0):,} rows read")
    if p.get("entities"):
        parts.append(f"{p['entities']:,} entities")
    if p.get("rowsRejected"):
        parts.append(f"{p['rowsRejected']:,} rejected")
    parts.append(f"{int(elapsed_seconds)}s")
    return "  ".join(parts)


def epoch_millis(at):
    """Epoch milliseconds of an int, a datetime (naive means UTC), a date (its midnight UTC) or ISO-8601 text."""
    if isinstance(at, bool):
        raise TypeError("at: expected epoch millis, a datetime or ISO-8601 text")
    if isinstance(at, (int, float)):
        return int(at)
    if isinstance(at, str):
        text = at.strip()
        if text.lstrip("-").isdigit():
            return int(text)
        at = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if isinstance(at, datetime.date) and not isinstance(at, datetime.datetime):
        at = datetime.datetime(at.year, at.month, at.day)
    if isinstance(at, datetime.datetime):
        if at.tzinfo is None:
            at = at.replace(tzinfo=datetime.timezone.utc)
        return int(at.timestamp() * 1000)
    raise TypeError(f"at: expected epoch millis, a datetime or ISO-8601 text, got {type(at).__name__}")


def _flatten(definitions):
    out = []
    for d in definitions:
        out += list(d) if isinstance(d, (list, tuple)) else [d]
    for d in out:
        if not isinstance(d, (GroupBy, Join)):
            raise TypeError(f"expected GroupBy or Join definitions, got {type(d).__name__}")
    return out


def _batch(group_bys):
    # each labelled with its name, so a problem says which definition it is about
    return [{"file": f"{g.name}.json", "content": g.to_json()} for g in group_bys]


def _about_part_of(join, path, new_group_bys):
    """True for ``$.parts[i].groupBy`` (unknown GroupBy) of a part naming a GroupBy published in the same call.

    The registry's Join compiler reports an unresolved part there only, and then checks the
    derivations for syntax only, so nothing else is hidden by skipping it.
    """
    if not (path.startswith("$.parts[") and path.endswith("].groupBy")):
        return False
    try:
        part = join.parts[int(path[len("$.parts["):-len("].groupBy")])]
    except (ValueError, IndexError):
        return False
    return part.group_by_name in new_group_bys


def _name(definition):
    name = definition if isinstance(definition, str) else getattr(definition, "name", None)
    if not name:
        raise ValueError(f"{definition!r} has no name: give it name=... or compile it first")
    return name


def _quote(name):
    return urllib.parse.quote(name, safe="")


def _camel(snake):
    head, *rest = snake.split("_")
    return head + "".join(w.capitalize() for w in rest)

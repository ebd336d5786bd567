"""The client against a real local HTTP server (tests/stub_server.py) playing the services' REST answers."""

import base64
import datetime
import io
import json
import sys

import pytest
from conftest import golden
from stub_server import StubServer

from tessera import (Aggregation, ApiError, Client, DefinitionError, EventSource, GroupBy, Join, JoinPart, LeftSource, Operation,
                     Query)
from tessera.client import FetchError, JobFailedError, RolloutError, epoch_millis


def seed_group_by():
    g = GroupBy(name="fraud_features", online=True, keys=["user_id"],
                sources=[EventSource(table="purchases", topic="purchases", schema={"user_id": "STRING", "amount": "DOUBLE", "ts": "LONG"},
                                     query=Query(time_column="ts"))],
                aggregations=[Aggregation("amount", Operation.AVG, ["1h", "24h"])])
    return g


def model(group_by):
    return Join(name="fraud_model", left=LeftSource("checkouts", "ts", {"buyer": "STRING", "ts": "LONG"}),
                parts=[JoinPart(group_by, {"buyer": "user_id"}, prefix="buyer")])


@pytest.fixture
def stub():
    with StubServer() as s:
        yield s


@pytest.fixture
def client(stub):
    return Client(registry=stub.url, fetcher=stub.url, batch=stub.url, user="alice", password="s3cret")


def test_invalid_definitions_raise_one_error_listing_every_problem_and_nothing_is_published(stub, client):
    stub.on("POST", "/api/v1/groupbys:batch", 400, {
        "title": "Invalid GroupBy definitions", "detail": "2 of 2 definitions have problems; nothing was published",
        "items": [
            {"index": 0, "source": "fraud_features.json", "valid": False, "problems": [
                {"path": "$.aggregations[0].inputColumn", "message": "unknown column 'amout'", "line": 7},
                {"path": "$.sources[0].events.topic", "message": "an online GroupBy needs a topic"}]},
            {"index": 1, "source": "other.json", "valid": False, "problems": [{"path": "$.keys", "message": "at least one key"}]}]})
    stub.on("POST", "/api/v1/joins/validate", 400, {
        "title": "Invalid Join definition", "errors": [{"path": "$.derivations[0].expression", "message": "undeclared reference"}]})
    other = GroupBy(name="other", keys=[], sources=[], aggregations=[])
    with pytest.raises(DefinitionError) as e:
        client.register(seed_group_by(), other, model("fraud_features"))
    assert [(p.source, p.path, p.message) for p in e.value.problems] == [
        ("fraud_features.json", "$.aggregations[0].inputColumn", "unknown column 'amout'"),
        ("fraud_features.json", "$.sources[0].events.topic", "an online GroupBy needs a topic"),
        ("other.json", "$.keys", "at least one key"),
        ("join fraud_model", "$.derivations[0].expression", "undeclared reference"),
    ]
    assert "$.aggregations[0].inputColumn: unknown column 'amout'" in str(e.value)
    # only dry runs were sent
    assert [r.query for r in stub.sent("POST", "/api/v1/groupbys:batch")] == [{"dryRun": "true"}]
    assert not stub.sent("POST", "/api/v1/joins")


def test_register_publishes_the_groupbys_in_one_call_then_the_joins_over_them(stub, client):
    def batch(request):
        items = [{"index": 0, "source": "fraud_features.json", "name": "fraud_features", "valid": True, "change": "CREATED", "version": 1}]
        return 200, {"dryRun": request.query.get("dryRun") == "true", "valid": True, "items": items}

    stub.answer("POST", "/api/v1/groupbys:batch", batch)
    # the registry does not know the GroupBy yet: the Join is checked against it when published after it
    stub.on("POST", "/api/v1/joins/validate", 400, {"errors": [{"path": "$.parts[0].groupBy", "message": "unknown GroupBy 'fraud_features'"}]})
    stub.on("POST", "/api/v1/joins", 201, {"name": "fraud_model", "version": 1, "change": "CREATED"})
    g = seed_group_by()
    results = client.register(g, model(g))
    assert [(r["name"], r["change"]) for r in results] == [("fraud_features", "CREATED"), ("fraud_model", "CREATED")]
    published = [r for r in stub.requests if not r.query and not r.path.endswith("/validate")]
    assert [(r.method, r.path) for r in published] == [("POST", "/api/v1/groupbys:batch"), ("POST", "/api/v1/joins")]
    assert published[0].json() == [{"file": "fraud_features.json", "content": golden("seed_fraud_features").rstrip("\n")}]
    assert json.loads(published[1].body)["parts"][0]["groupBy"] == "fraud_features"
    assert published[0].headers["Authorization"] == "Basic " + base64.b64encode(b"alice:s3cret").decode()


def test_an_unknown_groupby_that_is_not_in_the_call_is_a_problem(stub, client):
    stub.on("POST", "/api/v1/joins/validate", 400, {"errors": [{"path": "$.parts[0].groupBy", "message": "unknown GroupBy 'nope'"}]})
    with pytest.raises(DefinitionError, match=r"\$.parts\[0\].groupBy: unknown GroupBy 'nope'"):
        client.validate(model("nope"))


def test_an_api_token_is_sent_as_bearer(stub):
    stub.on("GET", "/api/v1/groupbys/fraud_features", 200, {"name": "fraud_features"})
    Client(registry=stub.url, token="tk_123", user="ignored").group_by("fraud_features")
    assert stub.requests[0].headers["Authorization"] == "Bearer tk_123"


def test_fetch_one_entity_gives_its_values_and_many_give_a_list(stub, client):
    def features(request):
        rows = request.json()
        return 200, {"results": [{"entityKeys": r, "status": "Success", "features": {"amount_avg_1h": float(i)}} for i, r in enumerate(rows)]}

    stub.answer("POST", "/v1/features/groupby/fraud_features", features)
    assert client.fetch(seed_group_by(), {"user_id": "u1"}) == {"amount_avg_1h": 0.0}
    at = datetime.datetime(2024, 3, 1, tzinfo=datetime.timezone.utc)
    assert client.fetch("fraud_features", [{"user_id": "u1"}, {"user_id": "u2"}], at=at) == [{"amount_avg_1h": 0.0}, {"amount_avg_1h": 1.0}]
    assert stub.requests[-1].query == {"atMillis": "1709251200000"}
    assert stub.requests[-1].json() == [{"user_id": "u1"}, {"user_id": "u2"}]


def test_a_fetch_sends_the_token_as_every_other_call(stub):
    # a fetcher with tessera.fetcher.auth=registry checks it with the registry like batch and stream do
    stub.on("POST", "/v1/features/groupby/fraud_features", 200, {"results": [{"status": "Success", "features": {"x": 1}}]})
    Client(fetcher=stub.url, token="tk_123").fetch("fraud_features", {"user_id": "u1"})
    assert stub.sent("POST", "/v1/features/groupby/fraud_features")[0].headers["Authorization"] == "Bearer tk_123"


def test_a_join_is_fetched_from_its_own_endpoint_and_failed_rows_raise(stub, client):
    stub.on("POST", "/v1/features/join/fraud_model", 200, {"results": [
        {"status": "Success", "features": {"buyer_amount_avg_1h": 2.0}},
        {"status": "Failure", "error": "key 'buyer' is null"}]})
    with pytest.raises(FetchError, match="key 'buyer' is null") as e:
        client.fetch(model("fraud_features"), [{"buyer": "u1"}, {"buyer": None}])
    assert e.value.results[0]["features"] == {"buyer_amount_avg_1h": 2.0}
    stub.on("POST", "/v1/features/join/fraud_model", 200, {"results": [{"status": "Success", "features": {"x": 1}}]})
    assert client.fetch_join("fraud_model", {"buyer": "u1"}) == {"x": 1}


def test_times_are_epoch_millis_from_what_a_notebook_has():
    assert epoch_millis(1709251200000) == 1709251200000
    assert epoch_millis("2024-03-01T00:00:00Z") == 1709251200000
    assert epoch_millis(datetime.datetime(2024, 3, 1)) == 1709251200000
    assert epoch_millis(datetime.date(2024, 3, 1)) == 1709251200000
    with pytest.raises(TypeError):
        epoch_millis(True)


def job_views(*views):
    """Answers GET /api/v1/jobs/7 with each view in turn, then the last one again."""
    seen = []

    def answer(request):
        view = views[min(len(seen), len(views) - 1)]
        seen.append(view)
        return 200, dict({"id": 7, "job": "backfill"}, **view)

    return answer


def test_a_job_is_started_and_followed_to_its_end_with_a_progress_line(stub, client):
    stub.on("POST", "/api/v1/jobs/backfill", 202, {"id": 7, "job": "backfill", "status": "STARTING", "href": "/api/v1/jobs/7"})
    stub.answer("GET", "/api/v1/jobs/7", job_views(
        {"status": "STARTING"},
        {"status": "STARTED", "progress": {"partitionsDone": 1, "partitionsTotal": 2, "rowsRead": 1500, "entities": 40}},
        {"status": "COMPLETED", "progress": {"partitionsDone": 2, "partitionsTotal": 2, "rowsRead": 3000, "entities": 80},
         "result": {"outputTable": "fraud_features_v1_daily"}}))
    out = io.StringIO()
    job = client.backfill(seed_group_by(), "2024-03-01", "2024-03-07", wait=False, partitions=4, max_rejected_rows=10).wait(
        interval=0.01, out=out)
    assert stub.sent("POST", "/api/v1/jobs/backfill")[0].json() == {
        "groupBy": "fraud_features", "startDate": "2024-03-01", "endDate": "2024-03-07", "partitions": 4, "maxRejectedRows": 10}
    assert job.status == "COMPLETED" and job.result["outputTable"] == "fraud_features_v1_daily"
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("backfill 7 STARTING")
    assert lines[1].startswith("backfill 7 STARTED  1/2 partitions  1,500 rows read  40 entities")
    assert lines[-1].startswith("backfill 7 COMPLETED  2/2 partitions  3,000 rows read  80 entities")


def test_a_job_of_a_groupby_registered_a_moment_ago_starts_once_the_batch_service_has_it(stub, client):
    answers = [(404, {"type": "https://tessera.dev/problems/unknown-groupby", "title": "Unknown GroupBy"}),
               (503, {"type": "https://tessera.dev/problems/definitions-loading"}), (202, {"id": 7, "status": "STARTING"})]
    stub.answer("POST", "/api/v1/jobs/upload", lambda request: answers.pop(0))
    job = client.upload("fraud_features", "2024-03-07", wait=False)
    assert job.id == 7 and len(stub.sent("POST", "/api/v1/jobs/upload")) == 3


def test_a_failed_job_raises_with_its_most_telling_error(stub, client):
    stub.on("POST", "/api/v1/jobs/training-set", 202, {"id": 7})
    stub.answer("GET", "/api/v1/jobs/7", job_views({"status": "FAILED", "job": "training-set", "errors": [
        "compute: Partition handler returned an unsuccessful step", "compute.p1: partition 1/2 rejected 12 rows"]}))
    with pytest.raises(JobFailedError, match="training-set 7 FAILED: compute.p1: partition 1/2 rejected 12 rows \\(\\+1 more\\)"):
        client.training_set("fraud_model", output_table="fraud_training", progress=False)
    assert stub.sent("POST", "/api/v1/jobs/training-set")[0].json() == {"join": "fraud_model", "outputTable": "fraud_training"}


def test_a_groupby_training_set_needs_its_left_table_and_time_column(stub, client):
    stub.on("POST", "/api/v1/jobs/training-set", 202, {"id": 7})
    client.training_set(seed_group_by(), "out", left_table="labels", time_column="ts", wait=False)
    assert stub.requests[-1].json() == {"groupBy": "fraud_features", "leftTable": "labels", "timeColumn": "ts", "outputTable": "out"}
    with pytest.raises(ValueError, match="left_table \\(or left_parquet\\) and time_column"):
        client.training_set(seed_group_by(), "out")
    client.training_set(seed_group_by(), "out", left_parquet="labels/ds=*/*.parquet", time_column="ts", wait=False)
    assert stub.requests[-1].json() == {"groupBy": "fraud_features", "leftParquet": "labels/ds=*/*.parquet", "timeColumn": "ts",
                                        "outputTable": "out"}
    with pytest.raises(ValueError, match="not both"):
        client.training_set(seed_group_by(), "out", left_table="labels", left_parquet="labels", time_column="ts")


def test_a_parquet_dataset_output_is_passed_as_parquet_dataset(stub, client):
    stub.on("POST", "/api/v1/jobs/training-set", 202, {"id": 7})
    client.training_set("fraud_model", "out", wait=False, parquet_dataset="fraud_model/training")
    assert stub.requests[-1].json() == {"join": "fraud_model", "outputTable": "out", "parquetDataset": "fraud_model/training"}
    stub.on("POST", "/api/v1/jobs/backfill", 202, {"id": 8})
    client.backfill("fraud_features", "2024-03-01", "2024-03-31", wait=False, parquet_dataset="fraud/daily", parquet_path="fraud/march.parquet")
    assert stub.requests[-1].json() == {"groupBy": "fraud_features", "startDate": "2024-03-01", "endDate": "2024-03-31",
                                        "parquetDataset": "fraud/daily", "parquetPath": "fraud/march.parquet"}


def test_a_consistency_check_of_a_name_is_of_the_join_when_the_registry_has_one(stub, client):
    stub.on("POST", "/api/v1/jobs/consistency", 202, {"id": 7})
    stub.on("GET", "/api/v1/joins/fraud_model", 200, {"name": "fraud_model"})
    client.consistency("fraud_model", "2024-03-01", "2024-03-02", wait=False)
    client.consistency("fraud_features", "2024-03-01", "2024-03-02", wait=False)
    bodies = [r.json() for r in stub.sent("POST", "/api/v1/jobs/consistency")]
    assert [("join" in b, "groupBy" in b) for b in bodies] == [(True, False), (False, True)]


OUTPUT = '{"user_id":"u1","ds":"2024-03-01","amount_avg_1h":12.5,"label":1}\n{"user_id":"u2","ds":"2024-03-01","amount_avg_1h":null,"label":0}\n'


def test_a_jobs_output_is_read_row_by_row_from_json_lines(stub, client):
    stub.on("GET", "/api/v1/jobs/7/output", 200, OUTPUT, "application/x-ndjson")
    rows = list(client.job(7).rows())
    assert rows == [{"user_id": "u1", "ds": "2024-03-01", "amount_avg_1h": 12.5, "label": 1},
                    {"user_id": "u2", "ds": "2024-03-01", "amount_avg_1h": None, "label": 0}]
    assert stub.requests[-1].query == {"format": "jsonl"}


def test_a_jobs_output_as_a_dataframe(stub, client):
    pandas = pytest.importorskip("pandas")
    stub.on("GET", "/api/v1/jobs/7/output", 200, OUTPUT, "application/x-ndjson")
    df = client.job(7).to_pandas()
    assert list(df.columns) == ["user_id", "ds", "amount_avg_1h", "label"]
    assert df["amount_avg_1h"].iloc[0] == 12.5 and pandas.isna(df["amount_avg_1h"].iloc[1])


def test_without_pandas_the_dataframe_call_says_what_to_install(stub, client, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'tessera\[pandas\]'"):
        client.job(7).to_pandas()


def test_a_job_output_is_saved_to_a_file_as_it_streams(stub, client, tmp_path):
    stub.on("GET", "/api/v1/jobs/7/output", 200, "user_id,label\r\nu1,1\r\n", "text/csv")
    path = client.job(7).save(tmp_path / "training.csv")
    assert path.read_text() == "user_id,label\nu1,1\n" or path.read_bytes() == b"user_id,label\r\nu1,1\r\n"
    assert stub.requests[-1].query == {"format": "csv"}


def test_a_service_refusal_is_an_api_error_with_its_problem(stub, client):
    stub.on("GET", "/api/v1/jobs/7/output", 409, {"type": "https://tessera.dev/problems/job-state", "title": "Job state does not allow this",
                                                 "detail": "job 7 (backfill) is STARTED: its output can be read once it has COMPLETED"})
    with pytest.raises(ApiError) as e:
        list(client.job(7).rows())
    assert e.value.status == 409
    assert e.value.problem["type"] == "https://tessera.dev/problems/job-state"
    assert str(e.value) == ("GET /api/v1/jobs/7/output -> 409 Job state does not allow this:"
                            " job 7 (backfill) is STARTED: its output can be read once it has COMPLETED")


def test_invalid_job_requests_list_every_field(stub, client):
    stub.on("POST", "/api/v1/jobs/backfill", 400, {"title": "Invalid job request", "errors": [
        {"field": "startDate", "message": "not a date"}, {"field": "partitions", "message": "must be at least 1"}]})
    with pytest.raises(ApiError, match=r"\[startDate: not a date; partitions: must be at least 1\]"):
        client.backfill("fraud_features", "2024-02-30", "2024-03-01", partitions=0)


def test_a_service_that_is_not_running_is_named():
    with pytest.raises(ApiError, match="cannot reach http://127.0.0.1:9: is the service running?") as e:
        Client(batch="http://127.0.0.1:9", timeout=5).job(1).refresh()
    assert e.value.status == 0


def rollout_views(*views):
    """Answers GET .../rollout with each view in turn, then the last one again."""
    seen = []

    def answer(request):
        view = views[min(len(seen), len(views) - 1)]
        seen.append(view)
        return 200, dict({"name": "fraud_features", "liveVersion": 1, "version": 2}, **view)

    return answer


def test_a_rollout_is_started_and_followed_until_the_new_version_is_served(stub, client):
    path = "/api/v1/groupbys/fraud_features/rollout"
    stub.on("POST", path, 202, {"name": "fraud_features", "liveVersion": 1, "version": 2, "state": "PUBLISHED", "steps": []})
    stub.answer("GET", path, rollout_views(
        {"state": "UPLOADING", "steps": [{"step": "upload", "status": "RUNNING", "detail": "upload of 2026-12-06 (batch job 17)"}]},
        {"state": "CATCHING_UP", "steps": [{"step": "upload", "status": "DONE"}, {"step": "catch-up", "status": "RUNNING", "detail": "12 records"}]},
        {"state": "LIVE", "liveVersion": 2, "steps": [{"step": "switch", "status": "DONE"}, {"step": "purge", "status": "PENDING"}]}))
    out = io.StringIO()
    view = client.rollout(seed_group_by(), interval=0.01, out=out)
    assert view["state"] == "LIVE" and view["liveVersion"] == 2
    assert stub.sent("POST", path)[0].headers["Authorization"].startswith("Basic ")
    assert out.getvalue().splitlines() == [
        "rollout fraud_features v2 PUBLISHED",
        "rollout fraud_features v2 UPLOADING  upload RUNNING: upload of 2026-12-06 (batch job 17)",
        "rollout fraud_features v2 CATCHING_UP  catch-up RUNNING: 12 records",
        "rollout fraud_features v2 LIVE"]


def test_a_failed_rollout_raises_with_its_step_and_reason_and_nothing_to_roll_out_is_not_an_error(stub, client):
    path = "/api/v1/groupbys/fraud_features/rollout"
    stub.on("POST", path, 202, {"name": "fraud_features", "liveVersion": 1, "version": 2, "state": "UPLOADING", "steps": []})
    stub.answer("GET", path, rollout_views({"state": "FAILED", "error": "batch job 17 ended FAILED: table purchases is missing",
                                             "steps": [{"step": "upload", "status": "FAILED"}]}))
    with pytest.raises(RolloutError, match="version 2 FAILED at step upload: batch job 17 ended FAILED: table purchases is missing "
                                           "\\(version 1 is served\\)"):
        client.rollout("fraud_features", interval=0.01, progress=False)

    stub.on("POST", path, 409, {"type": "https://tessera.dev/problems/nothing-to-roll-out", "title": "Nothing to roll out"})
    stub.answer("GET", path, rollout_views({"state": "LIVE", "liveVersion": 2, "steps": []}))
    assert client.rollout("fraud_features", progress=False)["liveVersion"] == 2
    stub.on("POST", path, 404, {"type": "https://tessera.dev/problems/groupby-not-found", "title": "Unknown GroupBy"})
    with pytest.raises(ApiError, match="404"):
        client.rollout("fraud_features", progress=False)

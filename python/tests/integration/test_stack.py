"""The README's notebook walkthrough against a running stack, started by tessera-local's PythonClientIT.

It writes the case to a JSON file named by TESSERA_IT_CASE: the names to use, the day D whose
events are in the warehouse, the labels table, and for every label row the features the naive
oracle (common-agg's testkit) computes at its time. Service URLs and the admin login come as
TESSERA_REGISTRY_URL, TESSERA_FETCHER_URL, TESSERA_BATCH_URL, TESSERA_USER and TESSERA_PASSWORD.
"""

import json
import math
import os
import time

import pytest

from conftest import SEED_DEFINITIONS

from tessera import Aggregation, Client, DefinitionError, GroupBy, Operation

pytestmark = pytest.mark.stack

CASE = os.environ.get("TESSERA_IT_CASE")
if not CASE:
    pytest.skip("needs a running stack: run by tessera-local's PythonClientIT", allow_module_level=True)


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def test_define_register_backfill_train_and_fetch_from_python():
    case = json.loads(open(CASE, encoding="utf-8").read())
    client = Client()

    # the seed's example as written, on this test's tables
    definitions = {}
    exec(SEED_DEFINITIONS, definitions)
    purchase_events, fraud_features = definitions["purchase_events"], definitions["fraud_features"]
    purchase_events.table = purchase_events.topic = case["eventsTable"]
    fraud_features.name = case["groupBy"]

    # a broken definition: every problem with its JSON path, nothing published
    broken = GroupBy(name=case["groupBy"] + "_broken", keys=["user"], sources=[purchase_events], online=True,
                     aggregations=[Aggregation("amout", Operation.SUM, ["1h"])])
    with pytest.raises(DefinitionError) as invalid:
        client.register(broken)
    paths = {p.path for p in invalid.value.problems}
    assert any(p.startswith("$.aggregations[0]") for p in paths), invalid.value
    assert any(p.startswith("$.keys") for p in paths), invalid.value

    published = client.register(fraud_features)
    assert [(r["name"], r["version"]) for r in published] == [(case["groupBy"], 1)]

    backfill = client.backfill(fraud_features, case["date"], case["date"])
    daily = list(backfill.rows())
    assert daily and set(daily[0]) >= {"user_id", "amount_avg_1h", "amount_avg_24h", "ds"}

    training = client.training_set(fraud_features, output_table=case["groupBy"] + "_training",
                                   left_table=case["labelsTable"], time_column="ts")
    try:
        import pandas  # noqa: F401  (CI has it; without it the rows are read as dicts)
        df = training.to_pandas()
        rows = [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()} for r in df.to_dict("records")]
        assert len(df) == len(case["rows"])
    except ImportError:
        rows = list(training.rows())
    got = {(r["user_id"], int(r["ts"])): r for r in rows}
    assert len(got) == len(case["rows"])
    for want in case["rows"]:
        row = got[(want["user_id"], want["ts"])]
        assert row["label"] == want["label"]
        for feature, value in want["features"].items():
            assert close(row[feature], value), f"{want['user_id']} @{want['ts']} {feature}: {row[feature]} != oracle {value}"

    client.upload(fraud_features, case["date"])
    at = case["batchEnd"]
    users = sorted({w["user_id"] for w in case["rows"] if w["ts"] == at})
    fetched = client.fetch(fraud_features, [{"user_id": u} for u in users], at=at)
    for user, values in zip(users, fetched):
        for feature in ("amount_avg_1h", "amount_avg_24h"):
            assert close(values[feature], got[(user, at)][feature]), f"online {user} {feature}: {values[feature]} != training set"
    one = client.fetch(fraud_features, {"user_id": users[0]}, at=at)
    assert one == fetched[0]

    # a new version is held back when registered (version 1 is still served), then rolled out
    fraud_features.aggregations = [Aggregation("amount", Operation.AVG, ["1h", "24h", "7d"])]
    assert [(r["name"], r["version"]) for r in client.register(fraud_features)] == [(case["groupBy"], 2)]
    assert "amount_avg_7d" not in client.fetch(fraud_features, {"user_id": users[0]})
    rolled = client.rollout(fraud_features, interval=0.5)
    assert rolled["state"] == "LIVE" and rolled["liveVersion"] == 2, rolled
    deadline = time.monotonic() + 10   # the fetcher reads the switch from the registry topic
    while "amount_avg_7d" not in client.fetch(fraud_features, {"user_id": users[0]}):
        assert time.monotonic() < deadline, "the fetcher still serves version 1 after the switch"
        time.sleep(0.2)

"""Python definitions serialize to exactly the canonical JSON common-agg writes for the same YAML."""

import json

import pytest
from conftest import SEED_DEFINITIONS, golden

from tessera import (Aggregation, Derivation, EventSource, GroupBy, Join, JoinPart, LeftSource, Operation, Query, Source,
                     Streaming, Window)


def test_the_seeds_example_runs_as_written_and_gives_the_golden_json():
    namespace = {}
    exec(SEED_DEFINITIONS, namespace)
    fraud_features = namespace["fraud_features"]
    fraud_features.name = "fraud_features"  # what `python -m tessera compile` does from the variable
    assert fraud_features.to_json() + "\n" == golden("seed_fraud_features")


def test_every_field_and_its_normal_form_matches_common_agg():
    purchases = Source(events=EventSource(
        table="warehouse.purchases",
        schema={"user_id": "STRING", "country": "STRING", "merchant": "STRING", "amount": "DOUBLE", "items": "LIST<STRING>",
                "tags": "MAP<STRING,LONG>", "ts": "LONG"},
        query=Query(selects={"user_id": "user_id", "country": "country", "merchant": "merchant", "amount": "amount",
                             "big": "amount > 100.0 ? 1 : 0"},
                    wheres=['merchant != ""', "amount >= 0.0"], time_column="ts"),
    ))
    refunds = EventSource(table="refunds", topic="refunds",
                          schema={"user_id": "STRING", "country": "STRING", "merchant": "STRING", "amount": "DOUBLE", "ts": "LONG"},
                          query=Query(time_column="ts"))
    g = GroupBy(
        name="purchase_profile", team="risk", description='purchases per user: "how much, where"',
        keys=["user_id", "country"],
        sources=[purchases, refunds],
        aggregations=[
            Aggregation("amount", Operation.SUM, [Window.minutes(30), Window.hours(1), "7d"], buckets=["merchant"]),
            Aggregation("amount", "average", [Window.days(1)]),
            Aggregation("amount", Operation.APPROX_PERCENTILE, ["30d"], args={"percentiles": [0.5, 0.99], "k": 200}),
            Aggregation("merchant", Operation.LAST_K, args={"k": 5}),
            Aggregation("big", Operation.COUNT),
        ],
        streaming=Streaming(watermark_delay="300s", allowed_lateness="2h"),
    )
    assert g.to_json() + "\n" == golden("every_field")


def test_a_join_names_its_parts_groupbys_and_pins_versions():
    fraud_features = GroupBy(name="fraud_features", keys=["user_id"], sources=[], aggregations=[])
    j = Join(
        name="fraud_model", team="risk", online=True,
        left=LeftSource(table="checkouts", time_column="ts",
                        schema={"buyer": "STRING", "shop": "STRING", "amount_now": "DOUBLE", "channel": "STRING", "ts": "LONG",
                                "label": "LONG"}),
        parts=[JoinPart(fraud_features, key_mapping={"buyer": "user_id"}, prefix="buyer"),
               JoinPart("merchant_features", key_mapping={"shop": "merchant"}, version=2)],
        request=["amount_now", "channel"],
        derivations=[Derivation("amount_vs_avg", "amount_now / buyer_amount_avg_24h"), Derivation("web", 'channel == "web"')],
    )
    assert j.to_json() + "\n" == golden("fraud_model")


def test_a_parquet_dataset_stands_for_the_table_of_a_source_and_of_a_left():
    lake_purchases = GroupBy(
        name="lake_purchases", online=True, keys=["user_id"],
        sources=[EventSource(parquet="purchases/ds=*/*.parquet", topic="purchases",
                             schema={"user_id": "STRING", "amount": "DOUBLE", "ts": "LONG"}, query=Query(time_column="ts"))],
        aggregations=[Aggregation("amount", Operation.SUM, ["1d"])],
    )
    assert lake_purchases.to_json() + "\n" == golden("lake_events")
    j = Join(name="lake_model",
             left=LeftSource(table=None, parquet="/lake/checkouts/*/*.parquet", time_column="ts",
                             schema={"buyer": "STRING", "ts": "LONG", "label": "LONG"}),
             parts=[JoinPart(lake_purchases, key_mapping={"buyer": "user_id"})])
    assert j.to_json() + "\n" == golden("lake_model")


def test_canonical_json_is_json_of_the_same_tree():
    g = GroupBy(name="x", keys=[], sources=[EventSource(table="t", query=Query())], aggregations=[Aggregation("a", "count")])
    text = g.to_json()
    assert json.loads(text) == g.to_tree()
    # empty containers as Jackson writes them
    assert '"keys" : [ ]' in text and '"schema" : { }' in text and '"query" : { }' in text


def test_control_characters_are_escaped_as_jackson_escapes_them():
    g = GroupBy(name="x", description="tab\there\x1f", keys=["k"], sources=[], aggregations=[])
    assert '"description" : "tab\\there\\u001F"' in g.to_json()


@pytest.mark.parametrize("spec", ["0h", "1w", "1.5h", "h", "3661d", ""])
def test_a_window_spelled_wrong_is_refused_at_once(spec):
    with pytest.raises(ValueError, match="window"):
        Aggregation("amount", Operation.SUM, [spec])


def test_window_helpers_keep_the_spelling_that_names_the_feature():
    assert Window.hours(24) != Window.days(1)
    assert Window.hours(24).millis == Window.days(1).millis == 86_400_000
    assert str(Window("30m")) == "30m"


def test_an_unknown_operation_names_the_known_ones():
    with pytest.raises(ValueError, match="unknown operation 'MEDIAN'.*APPROX_PERCENTILE"):
        Aggregation("amount", "MEDIAN")


def test_a_definition_needs_a_name_to_be_written():
    g = GroupBy(keys=["k"], sources=[], aggregations=[])
    with pytest.raises(ValueError, match="no name"):
        g.to_json()
    with pytest.raises(ValueError, match="without a name"):
        Join(name="j", left=None, parts=[JoinPart(g, {"k": "k"})]).to_json()


def test_sources_must_be_event_sources():
    with pytest.raises(TypeError, match="EventSource"):
        GroupBy(keys=["k"], sources=["purchases"], aggregations=[])


def test_a_left_landed_by_an_ingest_names_its_topic():
    left = LeftSource("labels", "ts", {"buyer": "STRING", "ts": "LONG"}, topic="shop.labels")
    assert list(left.to_tree()) == ["table", "topic", "timeColumn", "schema"]
    assert left.to_tree()["topic"] == "shop.labels"
    assert "topic" not in LeftSource("labels", "ts", {"buyer": "STRING", "ts": "LONG"}).to_tree()

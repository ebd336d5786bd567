import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
# the package from this checkout, installed or not
sys.path.insert(0, str(HERE.parent))

# shared with common-agg's GoldenDefinitionsTest: the same definitions from YAML there, from Python here
GOLDEN = HERE.parent.parent / "common-agg" / "src" / "test" / "resources" / "golden" / "definitions"


def golden(name):
    return (GOLDEN / f"{name}.json").read_text(encoding="utf-8")


# The seed's example (SEED-lambda-architecture.md) as a file of definitions: the GroupBy verbatim,
# after the source it names. Compiled, it is golden seed_fraud_features.json.
SEED_DEFINITIONS = """
from tessera import Aggregation, EventSource, GroupBy, Operation, Query

purchase_events = EventSource(
    table="purchases",
    topic="purchases",
    schema={"user_id": "STRING", "amount": "DOUBLE", "ts": "LONG"},
    query=Query(time_column="ts"),
)

fraud_features = GroupBy(
    sources=[purchase_events],
    keys=["user_id"],
    aggregations=[Aggregation(input_column="amount", operation=Operation.AVG, windows=["1h", "24h"])],
    online=True,
)
"""

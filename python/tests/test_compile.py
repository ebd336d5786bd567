"""python -m tessera compile: a folder of Python definitions to the files `tessera register` takes."""

import subprocess
import sys
import textwrap

import pytest
from conftest import HERE, SEED_DEFINITIONS, golden

from tessera.compile import CompileError, compile_folder, main

GROUP_BYS = SEED_DEFINITIONS

JOINS = '''
from tessera import Join, JoinPart, LeftSource
from group_bys import fraud_features

model = Join(
    name="fraud_model_v2",
    left=LeftSource(table="checkouts", time_column="ts", schema={"buyer": "STRING", "ts": "LONG"}),
    parts=[JoinPart(fraud_features, key_mapping={"buyer": "user_id"}, prefix="buyer")],
)
'''


def write(folder, files):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text))
    return folder


def test_definitions_are_named_after_their_variables_and_written_once(tmp_path):
    src = write(tmp_path / "features", {"group_bys.py": GROUP_BYS, "joins.py": JOINS})
    out = tmp_path / "compiled"
    written = compile_folder(src, out)
    assert sorted(p.relative_to(out).as_posix() for p in written) == ["group_bys/fraud_features.json", "joins/fraud_model_v2.json"]
    # the seed's GroupBy, compiled, is the golden document common-agg reads
    assert (out / "group_bys" / "fraud_features.json").read_text() == golden("seed_fraud_features")
    assert '"groupBy" : "fraud_features"' in (out / "joins" / "fraud_model_v2.json").read_text()


def test_a_second_compile_sees_edits_and_drops_what_is_gone(tmp_path):
    src = write(tmp_path / "features", {"group_bys.py": GROUP_BYS, "joins.py": JOINS})
    out = tmp_path / "compiled"
    compile_folder(src, out)
    (src / "joins.py").unlink()
    write(src, {"group_bys.py": GROUP_BYS.replace('["1h", "24h"]', '["1h"]')})
    compile_folder(src, out)
    assert not (out / "joins" / "fraud_model_v2.json").exists()
    assert '"windows" : [ "1h" ]' in (out / "group_bys" / "fraud_features.json").read_text()


def test_every_problem_is_reported_and_nothing_written(tmp_path):
    src = write(tmp_path / "features", {
        "a.py": "import no_such_module\n",
        "b.py": "from tessera import GroupBy\nx = GroupBy(name='dup', keys=['k'], sources=[], aggregations=[])\n"
                "y = GroupBy(name='dup', keys=['k'], sources=[], aggregations=[])\n",
    })
    with pytest.raises(CompileError) as e:
        compile_folder(src, tmp_path / "out")
    assert len(e.value.problems) == 1 and "a.py: cannot import: ModuleNotFoundError" in e.value.problems[0]
    (src / "a.py").unlink()
    with pytest.raises(CompileError, match="'dup' is defined twice"):
        compile_folder(src, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_command_line_prints_what_it_wrote_and_fails_with_reasons(tmp_path, capsys):
    src = write(tmp_path / "features", {"group_bys.py": GROUP_BYS})
    assert main(["compile", str(src), "--out", str(tmp_path / "out")]) == 0
    assert "fraud_features.json" in capsys.readouterr().out
    assert main([str(tmp_path / "missing"), "--out", str(tmp_path / "out")]) == 1
    assert "no such folder" in capsys.readouterr().err


def test_python_dash_m_tessera_compile(tmp_path):
    src = write(tmp_path / "features", {"group_bys.py": GROUP_BYS})
    run = subprocess.run([sys.executable, "-m", "tessera", "compile", str(src), "--out", str(tmp_path / "out")],
                         cwd=HERE.parent, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "group_bys" / "fraud_features.json").read_text() == golden("seed_fraud_features")

"""ROADEF 2005: reader, objective components, checker, solver, command."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from taktplan.cli import app
from taktplan.errors import InputError
from taktplan.formats.roadef import read_roadef
from taktplan.sequence import SequenceCheckError
from taktplan.sequence.check_roadef import check_roadef
from taktplan.sequence.roadef import (
    components,
    paint_lower_bound,
    solve_roadef,
    weighted,
)

ROOT = Path(__file__).resolve().parents[1]
SET_A = next((p for p in (
    Path(os.environ.get("TAKTPLAN_ROADEF_SET_A", "/nonexistent")),
    ROOT.parent / "shared/data/carseq/roadef2005/set_A",
    ROOT.parent.parent / "shared/data/carseq/roadef2005/set_A",
) if p.is_dir()), Path("/nonexistent"))

FILES = {
    "ratios.txt": "Ratio;Prio;Ident;\n1/2;1;HPRC1;\n2/3;0;LPRC1;\n",
    "paint_batch_limit.txt": "limitation;\n2;\n",
    "optimization_objectives.txt": (
        "rank;objective name;\n"
        "1;high_priority_level_and_easy_to_satisfy_ratio_constraints;\n"
        "2;paint_color_batches;\n3;low_priority_level_ratio_constraints;\n"),
    "vehicles.txt": (
        "Date;SeqRank;Ident;Paint Color;HPRC1;LPRC1\n"
        "2003 1 1;1;Y1;1;1;0\n2003 1 1;2;Y2;2;0;1\n"
        "2003 1 2;3;A;1;1;1\n2003 1 2;4;B;1;0;0\n"
        "2003 1 2;5;C;2;1;0\n2003 1 2;6;D;2;0;1\n"),
}


def write(tmp_path: Path, **changes: str) -> Path:
    """Write the tiny instance, with some files replaced."""
    folder = tmp_path / "tiny"
    folder.mkdir(exist_ok=True)
    for name, text in {**FILES, **changes}.items():
        (folder / name).write_text(text)
    return folder


def test_reader_splits_yesterday_and_today(tmp_path: Path) -> None:
    """Yesterday's 2 cars are fixed, today's 4 are read in rank order."""
    inst = read_roadef(write(tmp_path))
    assert inst.idents == ("A", "B", "C", "D")
    assert inst.prev_colors.tolist() == [1, 2]
    assert inst.objective_order == ("EP", "RAF", "ENP")
    assert inst.paint_limit == 2
    assert inst.high.tolist() == [True, False]


def test_components_hand_worked(tmp_path: Path) -> None:
    """C A B D: 2 colour changes, one 1/2 excess (C A), no 2/3 excess."""
    inst = read_roadef(write(tmp_path))
    order = np.array([2, 0, 1, 3])
    assert components(inst, order) == (2, 1, 0)
    assert weighted(inst, (2, 1, 0)) == 1_002_000
    check = check_roadef(inst, order)
    assert (check.color_changes, check.high_violations,
            check.low_violations) == (2, 1, 0)
    assert check.objective == 1_002_000


def test_truncated_end_window_counts(tmp_path: Path) -> None:
    """Two 1/2 cars last: the window of the final pair counts 1."""
    inst = read_roadef(write(tmp_path))
    order = np.array([1, 3, 0, 2])
    assert components(inst, order)[1] == 1


def test_checker_rejects_long_batch(tmp_path: Path) -> None:
    """A run of 2 same-colour cars breaks a batch limit of 1."""
    inst = read_roadef(write(tmp_path, **{
        "paint_batch_limit.txt": "limitation;\n1;\n"}))
    with pytest.raises(SequenceCheckError, match="batch"):
        check_roadef(inst, np.array([0, 1, 2, 3]))


def test_solver_reaches_proved_optimum(tmp_path: Path) -> None:
    """C D A B (1 change, no excess) is optimal; the solver finds 1000."""
    inst = read_roadef(write(tmp_path))
    assert paint_lower_bound(inst) == 1
    res = solve_roadef(inst, time_limit=5, seed=0, max_iterations=100_000)
    assert res.objective == 1000
    assert res.status == "optimal"
    assert check_roadef(inst, res.order).objective == 1000


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("ratios.txt", "Ratio;Prio;Ident;\n3/2;1;HPRC1;\n", "3/2"),
        ("ratios.txt", "Ratio;Prio;Ident;\nx/2;1;HPRC1;\n", "'x'"),
        ("paint_batch_limit.txt", "limitation;\nten;\n", "'ten'"),
        ("optimization_objectives.txt", "rank;objective name;\n1;speed;\n",
         "unknown objective"),
        ("vehicles.txt", FILES["vehicles.txt"] + "2003 1 2;7;E;1;0\n",
         "fields"),
        ("vehicles.txt", FILES["vehicles.txt"] + "2003 1 2;7;E;1;0;5\n",
         "0/1"),
    ],
)
def test_reader_bad_input(tmp_path: Path, name: str, text: str,
                          words: str) -> None:
    """Bad files raise InputError naming the file."""
    folder = write(tmp_path, **{name: text})
    with pytest.raises(InputError, match=words) as info:
        read_roadef(folder)
    assert name in info.value.message


def test_reader_missing_file(tmp_path: Path) -> None:
    """A directory without ratios.txt is an InputError."""
    folder = write(tmp_path)
    (folder / "ratios.txt").unlink()
    with pytest.raises(InputError, match="missing file"):
        read_roadef(folder)


def test_cli_roadef_json(tmp_path: Path) -> None:
    """`taktplan sequence DIR --json` prints idents and the components."""
    result = CliRunner().invoke(app, [
        "sequence", str(write(tmp_path)), "--time-limit", "2", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert sorted(payload["sequence"]) == ["A", "B", "C", "D"]
    assert payload["objective"] == 1000
    assert payload["paint_color_changes"] == 1
    assert payload["high_priority_violations"] == 0
    assert payload["low_priority_violations"] == 0


@pytest.mark.skipif(not SET_A.is_dir(), reason="ROADEF set A not present")
def test_set_a_instance_checks() -> None:
    """A real set-A instance: solver and checker agree on the objective."""
    inst = read_roadef(SET_A / "064_38_2_EP_RAF_ENP_ch2")
    assert len(inst.idents) == 335
    res = solve_roadef(inst, time_limit=30, seed=0, max_iterations=300_000)
    check = check_roadef(inst, res.order)
    assert check.objective == res.objective
    assert check.longest_batch <= inst.paint_limit


#: File-order objectives reported by Renault's validator (quoted in a
#: public Java implementation's SolutionValidatorTest).
RENAULT = {
    "064_38_2_EP_RAF_ENP_ch2": 28_046_050,
    "022_3_4_RAF_EP_ENP": 11_048_005,
    "039_38_4_EP_RAF_ch1": 115_229_000,
}


@pytest.mark.skipif(not SET_A.is_dir(), reason="ROADEF set A not present")
@pytest.mark.parametrize(("name", "value"), sorted(RENAULT.items()))
def test_objective_matches_renault_validator(name: str, value: int) -> None:
    """The file order scores what Renault's validator said it scores."""
    inst = read_roadef(SET_A / name)
    order = np.arange(len(inst.idents))
    assert weighted(inst, components(inst, order)) == value
    assert check_roadef(inst, order).objective == value

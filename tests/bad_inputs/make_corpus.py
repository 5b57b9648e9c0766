"""Write the bad-input corpus and its manifest (run from the repo root).

``python tests/bad_inputs/make_corpus.py`` rewrites every corpus file
and ``manifest.toml``; the files are committed, this script only keeps
them reproducible. Each entry: reader folder, file name, bytes (or, for
ROADEF, a dict of the instance's files), the place the one-line error
must name (``""``: the whole file is at fault) and what is wrong.
"""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

SCENARIO = (ROOT / "tests/data/tiny_scenario.toml").read_text()
IN2 = "11\n6\n2\n5\n7\n1\n2\n3\n6\n5\n5\n4\n" + "".join(
    f"{a},{b}\n" for a, b in [(1, 2), (1, 3), (1, 4), (1, 5), (2, 6),
                              (3, 7), (4, 7), (5, 7), (6, 8), (7, 9),
                              (8, 10), (9, 11), (10, 11)]) + "-1,-1\n"
ALB = ("<number of tasks>\n4\n\n<cycle time>\n10\n\n<order strength>\n"
       "0,5\n\n<task times>\n1 3\n2 4\n3 5\n4 2\n\n"
       "<precedence relations>\n1,2\n1,3\n2,4\n3,4\n\n<end>\n")
CSPLIB = "5 2 3\n1 2\n2 3\n0 2 1 0\n1 2 0 1\n2 1 1 1\n"
LINE = ('buffers = [2]\nhorizon = 200.0\nwarmup = 10.0\nreplications = 2\n'
        '\n[[stations]]\nname = "M1"\ncycle_time = 1.0\nmtbf = 50.0\n'
        'mttr = 5.0\n\n[[stations]]\nname = "M2"\ncycle_time = 1.0\n')
ROADEF = {
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
BINARY = bytes(range(256)) * 4


def sub(text: str, old: str, new: str, count: int = 1) -> str:
    """Replace ``old`` (which must occur) by ``new``."""
    assert old in text, old
    return text.replace(old, new, count)


def lines_of(text: str, n: int) -> str:
    """The first ``n`` lines of ``text``."""
    return "".join(text.splitlines(keepends=True)[:n])


def scenario_entries() -> list[tuple[str, bytes, str, str]]:
    s = SCENARIO
    return [
        ("empty.toml", b"", "", "empty file"),
        ("binary.toml", BINARY, "line 1", "binary bytes"),
        ("latin1.toml", sub(s, '"Tiny plant"', '"Tiny plänt"')
         .encode("latin-1"), "line 3", "Latin-1, not UTF-8"),
        ("utf16.toml", s.encode("utf-16"), "line 1", "UTF-16 encoded"),
        ("truncated.toml", lines_of(s, 40).encode() + b"time_s = ",
         "line 41", "cut off in the middle of a key"),
        ("syntax_crlf.toml", sub(s, "shifts_per_day = 2\n",
                                 "shifts_per_day = = 2\n")
         .replace("\n", "\r\n").encode(), "line 8",
         "TOML syntax error in a CRLF file"),
        ("unknown_key.toml", sub(s, "shifts_per_day = 2",
                                 "shifts_per_dya = 2").encode(),
         "calendar.shifts_per_dya", "misspelt key"),
        ("time_text.toml", sub(s, "time_s = 40", 'time_s = "forty"')
         .encode(), "tasks[0]", "a string where a number is due"),
        ("time_negative.toml", sub(s, "time_s = 30", "time_s = -30")
         .encode(), "tasks[1]", "negative task time"),
        ("time_nan.toml", sub(s, "time_s = 50", "time_s = nan").encode(),
         "tasks[3]", "NaN task time"),
        ("volume_inf.toml", sub(s, "annual_volume = 60000",
                                "annual_volume = inf").encode(),
         "targets.annual_volume", "infinite volume"),
        ("volume_huge.toml", sub(s, "annual_volume = 60000",
                                 "annual_volume = 1" + "0" * 30).encode(),
         "targets.annual_volume", "a volume no plant can build (planning "
         "cycle 1e-23 s: no station can take any task)"),
        ("shifts_fraction.toml", sub(s, "shifts_per_day = 2",
                                     "shifts_per_day = 2.5").encode(),
         "calendar.shifts_per_day", "non-integer shift count"),
        ("availability_above_one.toml", sub(s, "availability = 0.9",
                                            "availability = 1.5").encode(),
         "targets.availability", "availability above 1"),
        ("cycle.toml", sub(s, 'id = "t1"\narea = "assembly"\ntime_s = 40\n',
                           'id = "t1"\narea = "assembly"\ntime_s = 40\n'
                           'predecessors = ["t6"]\n').encode(),
         "tasks", "precedence cycle t1 -> ... -> t6 -> t1"),
        ("unknown_predecessor.toml", sub(s, 'predecessors = ["t1"]',
                                         'predecessors = ["t99"]').encode(),
         "tasks[1]", "predecessor id out of range"),
        ("duplicate_task.toml", sub(s, 'id = "t6"', 'id = "t5"').encode(),
         "tasks[5].id", "two tasks with one id"),
        ("duplicate_variant.toml", sub(s, 'id = "B"', 'id = "A"').encode(),
         "variants[1].id", "two variants with one id"),
        ("orphan_area.toml", sub(s, 'id = "t6"\narea = "assembly"',
                                 'id = "t6"\narea = "paint"').encode(),
         "tasks[5]", "a task no segment can take (disconnected area)"),
        ("shares_sum.toml", sub(s, "share = 0.25", "share = 0.5").encode(),
         "variants", "demand shares that do not sum to 1"),
        ("variant_time_unknown.toml", sub(s, "times_s = { A = 20, B = 60 }",
                                          "times_s = { A = 20, Z = 60 }")
         .encode(), "tasks[2]", "a time for a variant that does not exist"),
    ]


def line_entries() -> list[tuple[str, bytes, str, str]]:
    s = LINE
    return [
        ("empty.toml", b"", "buffers", "empty file"),
        ("binary.toml", BINARY, "line 1", "binary bytes"),
        ("utf16.toml", s.encode("utf-16"), "line 1", "UTF-16 encoded"),
        ("truncated.toml", lines_of(s, 9).encode() + b"mttr = ",
         "line 10", "cut off in the middle of a key"),
        ("no_stations.toml", b"buffers = []\nhorizon = 100.0\n",
         "stations", "a line with no stations"),
        ("buffer_negative.toml", sub(s, "buffers = [2]", "buffers = [-1]")
         .encode(), "buffers[0]", "a buffer of -1"),
        ("buffer_fraction.toml", sub(s, "buffers = [2]", "buffers = [2.5]")
         .encode(), "buffers[0]", "non-integer buffer"),
        ("buffer_count.toml", sub(s, "buffers = [2]", "buffers = [2, 2]")
         .encode(), "buffers", "more buffers than gaps between stations"),
        ("buffer_huge.toml", sub(s, "buffers = [2]",
                                 "buffers = [100000000000]").encode(),
         "buffers[0]", "a buffer no memory can hold"),
        ("time_negative.toml", sub(s, "cycle_time = 1.0", "cycle_time = -1.0")
         .encode(), "stations[0].cycle_time", "negative cycle time"),
        ("time_nan.toml", sub(s, "cycle_time = 1.0", "cycle_time = nan")
         .encode(), "stations[0].cycle_time", "NaN cycle time"),
        ("mtbf_zero.toml", sub(s, "mtbf = 50.0", "mtbf = 0.0").encode(),
         "stations[0].mtbf", "zero MTBF"),
        ("mttr_missing.toml", sub(s, "mttr = 5.0\n", "").encode(),
         "stations[0].mttr", "MTBF without MTTR"),
        ("horizon_inf.toml", sub(s, "horizon = 200.0", "horizon = inf")
         .encode(), "horizon", "infinite horizon"),
        ("replications_zero.toml", sub(s, "replications = 2",
                                       "replications = 0").encode(),
         "replications", "zero replications"),
        ("duplicate_name.toml", sub(s, 'name = "M2"', 'name = "M1"')
         .encode(), "stations", "two stations with one name"),
        ("unknown_process.toml", sub(s, "cycle_time = 1.0\n",
                                     'cycle_time = 1.0\nprocess = "normal"\n')
         .encode(), "stations[0].process", "unknown distribution"),
        ("segment_out_of_range.toml", ("segments = [[0, 5]]\n" + s)
         .encode(), "segments", "a paced segment past the last station"),
        ("variant_out_of_range.toml", ("variant_sequence = [0, 3]\n" + s)
         .encode(), "variant_sequence", "a variant the stations lack"),
        ("all_times_zero.toml", s.replace("cycle_time = 1.0",
                                          "cycle_time = 0.0").encode(),
         "stations", "every processing time zero"),
    ]


def in2_entries() -> list[tuple[str, bytes, str, str]]:
    s = IN2
    body = s.splitlines(keepends=True)
    return [
        ("empty.IN2", b"", "", "empty file"),
        ("blank.IN2", b"\r\n\r\n  \r\n", "", "only blank lines"),
        ("binary.IN2", BINARY, "line 1", "binary bytes"),
        ("utf16.IN2", s.encode("utf-16"), "line 1", "UTF-16 encoded"),
        ("truncated_times.IN2", "".join(body[:6]).encode(), "line 6",
         "file ends inside the task times"),
        ("truncated_arcs.IN2", "".join(body[:16]).encode(), "line 16",
         "no -1,-1 terminator"),
        ("count_text.IN2", sub(s, "11\n", "eleven\n").encode(), "line 1",
         "task count not a number"),
        ("count_zero.IN2", b"0\n-1,-1\n", "line 1", "no tasks"),
        ("count_negative.IN2", b"-3\n-1,-1\n", "line 1",
         "negative task count"),
        ("time_fraction.IN2", sub(s, "\n5\n", "\n5.5\n").encode(), "line 4",
         "non-integer task time"),
        ("time_nan.IN2", sub(s, "\n7\n", "\nNaN\n").encode(), "line 5",
         "NaN task time"),
        ("time_negative.IN2", sub(s, "\n7\n", "\n-7\n").encode(), "line 5",
         "negative task time"),
        ("time_huge.IN2", sub(s, "\n7\n", "\n" + "9" * 30 + "\n").encode(),
         "line 5", "a task time beyond 64-bit integers"),
        ("time_too_long.IN2", sub(s, "\n7\n", "\n70\n").encode(), "line 5",
         "a task longer than the cycle time 10"),
        ("arc_out_of_range.IN2", sub(s, "9,11\n", "9,12\n").encode(),
         "line 24", "arc to task 12 of 11"),
        ("arc_zero.IN2", sub(s, "9,11\n", "0,11\n").encode(), "line 24",
         "task 0 (ids are 1-based)"),
        ("arc_self.IN2", sub(s, "9,11\n", "9,9\n").encode(), "line 24",
         "a task that precedes itself"),
        ("arc_cycle.IN2", sub(s, "-1,-1\n", "11,1\n-1,-1\n").encode(),
         "line", "precedence cycle"),
        ("arc_triple.IN2", sub(s, "9,11\n", "9,10,11\n").encode(),
         "line 24", "an arc with three numbers"),
        ("arc_text.IN2", sub(s, "9,11\n", "9,eleven\n").encode(), "line 24",
         "an arc with a word"),
        ("count_huge.IN2", sub(s, "11\n", "99999999999\n").encode(),
         "line", "a task count far beyond the file"),
    ]


def alb_entries() -> list[tuple[str, bytes, str, str]]:
    s = ALB
    return [
        ("empty.alb", b"", "", "empty file"),
        ("binary.alb", BINARY, "line 1", "binary bytes"),
        ("no_end.alb", sub(s, "<end>\n", "").encode(), "line",
         "no <end> (truncated)"),
        ("no_times.alb", sub(s, "<task times>\n1 3\n2 4\n3 5\n4 2\n\n", "")
         .encode(), "", "no <task times> section"),
        ("missing_time.alb", sub(s, "4 2\n", "").encode(), "",
         "a task without a time"),
        ("duplicate_time.alb", sub(s, "4 2\n", "3 2\n").encode(), "line 14",
         "task 3 given twice"),
        ("task_out_of_range.alb", sub(s, "4 2\n", "5 2\n").encode(),
         "line 14", "task 5 of 4"),
        ("time_fraction.alb", sub(s, "2 4\n", "2 4.5\n").encode(),
         "line 12", "non-integer task time"),
        ("time_huge.alb", sub(s, "2 4\n", "2 " + "9" * 30 + "\n").encode(),
         "line 12", "a task time beyond 64-bit integers"),
        ("cycle_text.alb", sub(s, "<cycle time>\n10\n",
                               "<cycle time>\nten\n").encode(), "line 5",
         "cycle time not a number"),
        ("cycle_negative.alb", sub(s, "<cycle time>\n10\n",
                                   "<cycle time>\n-10\n").encode(), "line 5",
         "negative cycle time"),
        ("cycle_short.alb", sub(s, "<cycle time>\n10\n",
                                "<cycle time>\n4\n").encode(), "line 13",
         "a task longer than the cycle time"),
        ("arc_cycle.alb", sub(s, "3,4\n", "3,4\n4,1\n").encode(), "line",
         "precedence cycle"),
        ("arc_out_of_range.alb", sub(s, "3,4\n", "3,9\n").encode(),
         "line 20", "arc to task 9 of 4"),
        ("count_huge.alb", sub(s, "<number of tasks>\n4\n",
                               "<number of tasks>\n9999999999\n").encode(),
         "line 2", "a task count far beyond the file"),
    ]


def csplib_entries() -> list[tuple[str, bytes, str, str]]:
    s = CSPLIB
    return [
        ("empty.txt", b"", "", "empty file"),
        ("binary.txt", BINARY, "line 1", "binary bytes"),
        ("latin1.txt", ("# Größe\n" + s).encode("latin-1"), "line 1",
         "Latin-1 comment, not UTF-8"),
        ("truncated.txt", lines_of(s, 4).encode(), "line 4",
         "class lines missing"),
        ("header_short.txt", sub(s, "5 2 3\n", "5 2\n").encode(), "line 1",
         "header with two numbers"),
        ("header_text.txt", sub(s, "5 2 3\n", "five 2 3\n").encode(),
         "line 1", "header not numbers"),
        ("counts_sum.txt", sub(s, "2 1 1 1\n", "2 4 1 1\n").encode(),
         "line 1", "class counts that do not sum to the cars"),
        ("p_above_q.txt", sub(s, "1 2\n2 3\n", "3 2\n2 3\n").encode(),
         "line 2", "p > q"),
        ("p_zero.txt", sub(s, "1 2\n2 3\n", "0 2\n2 3\n").encode(),
         "line 2", "p = 0"),
        ("q_short.txt", sub(s, "1 2\n2 3\n", "1 2\n2\n").encode(), "line 3",
         "one q for two options"),
        ("flag_two.txt", sub(s, "0 2 1 0\n", "0 2 2 0\n").encode(),
         "line 4", "option flag 2"),
        ("flags_short.txt", sub(s, "0 2 1 0\n", "0 2 1\n").encode(),
         "line 4", "a class with one flag for two options"),
        ("class_duplicate.txt", sub(s, "1 2 0 1\n", "0 2 0 1\n").encode(),
         "line 5", "class id repeated"),
        ("class_out_of_range.txt", sub(s, "2 1 1 1\n", "7 1 1 1\n")
         .encode(), "line 6", "class id 7 of 3"),
        ("count_negative.txt", sub(s, "2 1 1 1\n", "2 -1 1 1\n").encode(),
         "line 6", "negative count"),
        ("count_fraction.txt", sub(s, "2 1 1 1\n", "2 1.5 1 1\n").encode(),
         "line 6", "non-integer count"),
        ("count_huge.txt", ("5 2 3\n1 2\n2 3\n0 2 1 0\n1 2 0 1\n2 "
                            + "9" * 30 + " 1 1\n").encode(), "line 6",
         "a count beyond 64-bit integers"),
        ("q_huge.txt", sub(s, "1 2\n2 3\n", "1 2\n2 " + "9" * 30 + "\n")
         .encode(),
         "line 3", "a q beyond 64-bit integers"),
        ("extra_class.txt", (s + "3 0 1 1\n").encode(), "line 7",
         "more class lines than the header says"),
        ("classes_huge.txt", sub(s, "5 2 3\n", "5 2 99999999999\n")
         .encode(), "line", "a class count far beyond the file"),
    ]


def roadef_entries() -> list[tuple[str, dict[str, bytes], str, str]]:
    def inst(**changes: str | None) -> dict[str, bytes]:
        files = {**ROADEF, **changes}
        return {k: v.encode() for k, v in files.items() if v is not None}

    v = ROADEF["vehicles.txt"]
    return [
        ("empty_dir", {}, "ratios.txt", "a directory with no files"),
        ("no_vehicles", inst(**{"vehicles.txt": None}), "vehicles.txt",
         "vehicles.txt missing"),
        ("empty_ratios", inst(**{"ratios.txt": ""}), "ratios.txt",
         "empty ratios.txt"),
        ("binary_vehicles", {**inst(), "vehicles.txt": BINARY},
         "vehicles.txt: line 1", "binary vehicles.txt"),
        ("ratio_p_above_q", inst(**{"ratios.txt":
                                    "Ratio;Prio;Ident;\n3/2;1;HPRC1;\n"
                                    "2/3;0;LPRC1;\n"}), "line 2",
         "ratio 3/2"),
        ("ratio_text", inst(**{"ratios.txt": "Ratio;Prio;Ident;\nx/2;1;"
                               "HPRC1;\n2/3;0;LPRC1;\n"}), "line 2",
         "ratio not a number"),
        ("ratio_duplicate", inst(**{"ratios.txt": "Ratio;Prio;Ident;\n1/2;1;"
                                    "HPRC1;\n2/3;0;HPRC1;\n"}), "line 3",
         "one ratio ident twice"),
        ("ratio_huge", inst(**{"ratios.txt": "Ratio;Prio;Ident;\n1/"
                               + "9" * 30 + ";1;HPRC1;\n2/3;0;LPRC1;\n"}),
         "line 2", "a window beyond 64-bit integers"),
        ("limit_zero", inst(**{"paint_batch_limit.txt": "limitation;\n0;\n"}),
         "line 2", "paint batch limit 0"),
        ("limit_text", inst(**{"paint_batch_limit.txt":
                               "limitation;\nten;\n"}), "line 2",
         "paint batch limit not a number"),
        ("objective_unknown", inst(**{"optimization_objectives.txt":
                                      "rank;objective name;\n1;speed;\n"}),
         "line 2", "unknown objective"),
        ("objective_duplicate", inst(**{"optimization_objectives.txt":
                                        "rank;objective name;\n"
                                        "1;paint_color_batches;\n"
                                        "2;paint_color_batches;\n"}),
         "line 3", "one objective twice"),
        ("vehicle_flags_short", inst(**{"vehicles.txt": v
                                        + "2003 1 2;7;E;1;0\n"}), "line 8",
         "a vehicle with too few flags"),
        ("vehicle_flag_five", inst(**{"vehicles.txt": v
                                      + "2003 1 2;7;E;1;0;5\n"}), "line 8",
         "a flag of 5"),
        ("vehicle_duplicate_ident", inst(**{"vehicles.txt": v
                                            + "2003 1 2;7;A;1;0;0\n"}),
         "line 8", "one vehicle ident twice"),
        ("vehicle_rank_text", inst(**{"vehicles.txt": v
                                      + "2003 1 2;x;E;1;0;0\n"}), "line 8",
         "SeqRank not a number"),
        ("vehicle_no_ratio_column", inst(**{"vehicles.txt": v.replace(
            ";LPRC1\n", ";LPRC9\n", 1)}), "line 1",
         "no column for ratio LPRC1"),
        ("paint_infeasible", inst(**{"paint_batch_limit.txt":
                                     "limitation;\n1;\n", "vehicles.txt":
                                     "Date;SeqRank;Ident;Paint Color;HPRC1;"
                                     "LPRC1\n2003 1 2;1;A;1;0;0\n"
                                     "2003 1 2;2;B;1;0;0\n"}), "",
         "two cars of one colour and nothing else, paint batch limit 1"),
    ]


def write(folder: Path, name: str, data: bytes | dict[str, bytes]) -> None:
    target = folder / name
    if isinstance(data, dict):
        target.mkdir(parents=True)
        for file, content in data.items():
            (target / file).write_bytes(content)
    else:
        target.write_bytes(data)


def main() -> None:
    groups = {"scenario": scenario_entries(), "line": line_entries(),
              "in2": in2_entries(), "alb": alb_entries(),
              "csplib": csplib_entries(), "roadef": roadef_entries()}
    out = ["# The bad-input corpus: one table per file (written by",
           "# make_corpus.py). `where` is the place the error must name",
           "# (\"\": the whole file is at fault); `what` is what is wrong.",
           ""]
    for reader, entries in groups.items():
        folder = HERE / reader
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for name, data, where, what in entries:
            write(folder, name, data)
            out += [f'["{reader}/{name}"]', f"where = {where!r}",
                    f"what = {what!r}", ""]
    (HERE / "manifest.toml").write_text("\n".join(out))


if __name__ == "__main__":
    main()

"""The import graph of ``src/taktplan`` flows one way.

Every ``import`` and ``from ... import`` statement counts, wherever it
stands: at module top, inside a function (lazy imports are still
dependencies at run time) and under ``if TYPE_CHECKING:`` (a type a
module names is a module it knows about). ``from P import name`` is an
edge to ``P.name`` when that is a module, otherwise to ``P``.

Rules (see docs/architecture.md):

a. no cycle anywhere: neither between modules nor between packages
   (``plant`` -> ``precompile`` -> ``plant`` is a cycle even when no
   module of it is);
b. the solvers and readers (balance, sequence, simulate, capacity,
   formats, scenario) import none of the plan layer, the report, the
   experiments or the command line;
c. plant imports neither the report nor the plan layer above it
   (pipeline, plan result, JSON writer, plan check, compile-ahead);
   report imports neither pipeline, compare nor the command line;
d. no module imports a ``_private`` name (module or object) of another
   package.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "src" / "taktplan"

#: Packages that solve or read, and know nothing of plants or reports.
LOW = ("balance", "sequence", "simulate", "capacity", "formats",
       "scenario")
#: The plan layer and everything that uses it.
PLAN = ("pipeline", "plan_result", "plan_json", "plan_check",
        "precompile")
FORBIDDEN: dict[str, tuple[str, ...]] = {
    **{low: ("cli", "report", "experiment", "plant", *PLAN)
       for low in LOW},
    "plant": ("cli", "report", "experiment", *PLAN),
    "report": ("cli", "experiment", "pipeline", "compare", "plan_check",
               "precompile"),
}

Graph = Mapping[str, Iterable[tuple[str, str]]]


def module_name(path: Path, root: Path = ROOT) -> str:
    """``taktplan.a.b`` for ``root/a/b.py`` (packages by their
    ``__init__``)."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(root: Path = ROOT) -> dict[str, list[tuple[str, str]]]:
    """Each module's imports of taktplan modules: ``(target, name)`` pairs.

    ``name`` is the name imported from the target ("" for ``import X``
    or a submodule).
    """
    files = {module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, list[tuple[str, str]]] = {}
    for mod, path in files.items():
        is_pkg = path.name == "__init__.py"
        edges: list[tuple[str, str]] = []
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                edges += [(a.name, "") for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    here = mod.split(".")
                    keep = len(here) - node.level + (1 if is_pkg else 0)
                    base = ".".join(here[:keep] + ([base] if base else []))
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    edges.append((sub, "") if sub in files
                                 else (base, alias.name))
        graph[mod] = [(t, n) for t, n in edges
                      if t == "taktplan" or t.startswith("taktplan.")]
    return graph


def package(module: str) -> str:
    """The package a module belongs to: ``balance`` for
    ``taktplan.balance.exact``, ``pipeline`` for ``taktplan.pipeline``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _private(part: str) -> bool:
    return part.startswith("_") and not part.startswith("__")


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components with more than one module (or a
    module importing itself), each sorted (Tarjan's algorithm)."""
    succ = {m: sorted({t for t, _ in e if t in graph})
            for m, e in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in succ[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in succ[v]:
                found.append(sorted(comp))

    for v in sorted(succ):
        if v not in index:
            visit(v)
    return sorted(found)


def package_graph(graph: Graph) -> dict[str, list[tuple[str, str]]]:
    """The graph between packages (imports inside a package left out)."""
    out: dict[str, set[tuple[str, str]]] = {}
    for mod, edges in graph.items():
        mine = package(mod)
        out.setdefault(mine, set()).update(
            (package(t), "") for t, _ in edges if package(t) != mine)
    return {k: sorted(v) for k, v in out.items()}


def violations(graph: Graph) -> list[str]:
    """Every broken rule of the module docstring, one line each."""
    out = [f"import cycle: {' <-> '.join(c)}" for c in cycles(graph)]
    out += [f"package cycle: {' <-> '.join(c)}"
            for c in cycles(package_graph(graph))]
    for mod, edges in sorted(graph.items()):
        mine = package(mod)
        for target, name in edges:
            theirs = package(target)
            if theirs in FORBIDDEN.get(mine, ()):
                out.append(f"{mod} imports {target} ({mine} may not "
                           f"import {theirs})")
            parts = target.split(".")[1:] + ([name] if name else [])
            if theirs != mine and any(_private(p) for p in parts):
                shown = f"{target}.{name}" if name else target
                out.append(f"{mod} imports the private {shown} of "
                           f"package {theirs}")
    return out


def test_the_source_tree_keeps_the_rules() -> None:
    """No cycle, no upward import, no private import across packages."""
    graph = import_graph()
    assert "taktplan.pipeline" in graph and len(graph) > 50
    assert violations(graph) == []


def test_the_graph_sees_lazy_and_type_checking_imports(
        tmp_path: Path) -> None:
    """Function-local, TYPE_CHECKING and relative imports are edges."""
    pkg = tmp_path / "taktplan"
    (pkg / "balance").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "balance" / "__init__.py").write_text(
        "from .exact import solve\n")
    (pkg / "balance" / "exact.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from taktplan.pipeline import Plan\n"
        "def solve():\n    from taktplan.report import figures\n")
    (pkg / "pipeline.py").write_text("from taktplan.balance import solve\n")
    (pkg / "report").mkdir()
    (pkg / "report" / "__init__.py").write_text("")
    (pkg / "report" / "figures.py").write_text("")
    graph = import_graph(pkg)
    assert sorted(graph["taktplan.balance.exact"]) == [
        ("taktplan.pipeline", "Plan"), ("taktplan.report.figures", "")]
    assert graph["taktplan.balance"] == [("taktplan.balance.exact", "solve")]
    assert graph["taktplan.pipeline"] == [("taktplan.balance", "solve")]


def test_the_checker_finds_each_kind_of_fault() -> None:
    """A hand-made bad graph: one cycle, one upward import of each rule,
    one private import; and a good graph passes."""
    bad = {
        "taktplan.pipeline": [("taktplan.plant.verdict", "")],
        "taktplan.plant.verdict": [("taktplan.pipeline", "stage"),
                                   ("taktplan.report.figures", "")],
        "taktplan.report.figures": [("taktplan.plant.verdict", "")],
        "taktplan.balance.exact": [("taktplan.cli.app", ""),
                                   ("taktplan.balance._kernel", "")],
        "taktplan.balance._kernel": [],
        "taktplan.cli.app": [],
        "taktplan.experiment.evaluators": [
            ("taktplan.formats.line", "_build")],
        "taktplan.formats.line": [],
        "taktplan.scenario.load": [("taktplan.experiment.evaluators",
                                    "")],
    }
    found = violations(bad)
    assert found == [
        "import cycle: taktplan.pipeline <-> taktplan.plant.verdict <-> "
        "taktplan.report.figures",
        "package cycle: pipeline <-> plant <-> report",
        "taktplan.balance.exact imports taktplan.cli.app (balance may not "
        "import cli)",
        "taktplan.experiment.evaluators imports the private "
        "taktplan.formats.line._build of package formats",
        "taktplan.plant.verdict imports taktplan.pipeline (plant may not "
        "import pipeline)",
        "taktplan.plant.verdict imports taktplan.report.figures (plant "
        "may not import report)",
        "taktplan.scenario.load imports taktplan.experiment.evaluators "
        "(scenario may not import experiment)",
    ]
    good = {
        "taktplan.pipeline": [("taktplan.plant.verdict", "")],
        "taktplan.plant.verdict": [("taktplan.balance", "solve")],
        "taktplan.balance": [("taktplan.balance._kernel", "")],
        "taktplan.balance._kernel": [],
        "taktplan.report.figures": [("taktplan.plant.verdict", "")],
    }
    assert violations(good) == []
    assert cycles({"taktplan.a": [("taktplan.a", "")]}) == [["taktplan.a"]]
    # modules in no cycle, packages in one
    assert violations({
        "taktplan.plant.stage": [("taktplan.precompile", "")],
        "taktplan.plant.overload": [],
        "taktplan.precompile": [("taktplan.plant.overload", "")],
    })[0] == "package cycle: plant <-> precompile"


def test_heavy_libraries_load_with_the_work_not_on_import() -> None:
    """`taktplan --help`, and a plan or sweep whose input is bad, must not
    pay for numba and scipy.stats (seconds to import): the modules that
    need them import them inside the stage that runs them (the lazy
    imports docs/architecture.md lists)."""
    import subprocess
    import sys

    code = ("import sys, taktplan.cli, taktplan.pipeline, "
            "taktplan.experiment.runner, taktplan.experiment.buffer_plan; "
            "print(sorted(m for m in ('numba', 'scipy.stats', 'ortools') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"

"""The report in a real headless Chromium: charts render, no errors."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from taktplan.cli import app

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None,
                       reason="Debian's chromium is not installed "
                              "(make test installs it when run as root)"),
]

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _visit(html: Path, visit: Callable[[Page], None]) -> None:
    """Open ``html`` at 1,400 px, run ``visit`` on it; no console errors
    and no request leaves the file (the report works offline)."""
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("console", lambda m: errors.append(m.text)
                if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(html.as_uri())
        page.wait_for_load_state("load")
        visit(page)
        browser.close()
    assert errors == []
    assert all(u.startswith(("file:", "data:", "blob:")) for u in requests)


def test_report_renders_every_chart(tmp_path: Path) -> None:
    """Every figure holds an SVG, the verdict shows, no console errors."""
    report = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["plan", "--quiet", "--report",
                                      str(report)])
    assert result.exit_code == 0, result.output

    def visit(page: Page) -> None:
        figures = page.locator("div.figure")
        count = figures.count()
        assert count >= 1
        for i in range(count):
            fig = figures.nth(i)
            assert fig.locator("svg.main-svg").count() >= 1, i
        verdict = page.locator("#verdict").inner_text()
        assert "Verdict" in verdict
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)

    _visit(report, visit)
    assert (tmp_path / "report.png").stat().st_size > 10_000



def test_yamazumi_chart_is_drawn(tmp_path: Path) -> None:
    """#yamazumi holds plotly's SVG with stacked bars and the cycle line."""
    tiny = Path(__file__).parent / "data" / "tiny_scenario.toml"
    report = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["plan", str(tiny), "--quiet",
                                      "--replications", "2", "--report",
                                      str(report)])
    assert result.exit_code == 0, result.output

    def visit(page: Page) -> None:
        chart = page.locator("#yamazumi")
        assert chart.locator("svg.main-svg").count() >= 1
        # The tiny plant: 2 stations, 6 tasks -> 6 drawn task blocks.
        bars = chart.locator("g.trace.bars g.point path")
        heights = [b.bounding_box() for b in bars.all()]
        drawn = [h for h in heights if h is not None and h["height"] > 0.5]
        assert len(drawn) == 6
        title = chart.locator("g.g-gtitle").text_content() or ""
        assert title.startswith("2 stations"), title
        notes = chart.locator("g.annotation").all_text_contents()
        assert any(n.startswith("cycle") for n in notes), notes
        assert any(n.startswith("takt") for n in notes), notes
        assert chart.locator(".updatemenu-container").count() == 1

    _visit(report, visit)

DATA = Path(__file__).parent / "data"
DOCS = Path(__file__).parent.parent / "docs"
PLAN_CHARTS = ("states-gantt", "buffer-levels", "output-per-shift",
               "loss-tree", "sequence-strip", "annual-output",
               "changes-cost", "rampup-cumulative")
COMPARE_CHARTS = ("annual-output", "output-per-shift", "loss-tree")
# a chart is drawn with data: plotly filled its div, and some trace of
# it holds points
DRAWN = """id => {
  const el = document.getElementById(id);
  if (!el || !el.data || !el.querySelector('svg.main-svg')) return 0;
  let points = 0;
  // numpy arrays arrive as typed-array specs ({dtype, bdata}), which
  // plotly decodes into its full data
  for (const t of (el._fullData || el.data)) {
    for (const k of ['x', 'y', 'z']) {
      if (t[k] && t[k].length) points += t[k].length;
    }
  }
  return points;
}"""


def _open_and_shoot(html: Path, charts: tuple[str, ...],
                    shots: dict[str, str]) -> None:
    """Check every chart is drawn with data, save screenshots to docs/."""

    def visit(page: Page) -> None:
        for chart in charts:
            assert page.evaluate(DRAWN, chart) > 0, chart
        for chart, name in shots.items():
            page.locator(f"#{chart}").screenshot(path=str(DOCS / name))

    _visit(html, visit)

def test_engineer_charts_are_drawn(tmp_path: Path) -> None:
    """The plan's report draws every chart under its id with data and
    works offline; the compare report draws its overlaid charts.
    Screenshots of both go to docs/ (shown in the README)."""
    report = tmp_path / "report.html"
    tight = DATA / "tiny_scenario_tight.toml"
    result = CliRunner().invoke(app, ["plan", str(tight), "--quiet",
                                      "--replications", "3", "--report",
                                      str(report)])
    assert result.exit_code == 0, result.output
    _open_and_shoot(report, PLAN_CHARTS,
                    {"states-gantt": "test-report-states-gantt.png",
                     "loss-tree": "test-report-loss-tree.png"})
    compare = tmp_path / "compare.html"
    result = CliRunner().invoke(app, [
        "compare", str(DATA / "tiny_scenario.toml"), str(tight),
        "--replications", "3", "--report", str(compare)])
    assert result.exit_code == 0, result.output
    _open_and_shoot(compare, COMPARE_CHARTS,
                    {"annual-output": "test-compare-annual-output.png"})
    for name in ("test-report-states-gantt.png", "test-report-loss-tree.png",
                 "test-compare-annual-output.png"):
        assert (DOCS / name).stat().st_size > 10_000

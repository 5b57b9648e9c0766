"""The report in a real headless Chromium: charts render, no errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taktplan.cli import app

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


def test_report_renders_every_chart(tmp_path: Path) -> None:
    """Every figure holds an SVG, the verdict shows, no console errors."""
    from playwright.sync_api import sync_playwright

    report = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["plan", "--quiet", "--report",
                                      str(report)])
    assert result.exit_code == 0, result.output
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: errors.append(m.text)
                if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        figures = page.locator("div.figure")
        count = figures.count()
        assert count >= 1
        for i in range(count):
            fig = figures.nth(i)
            assert fig.locator("svg.main-svg").count() >= 1, i
        verdict = page.locator("#verdict").inner_text()
        assert "Verdict" in verdict
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        browser.close()
    assert errors == []
    assert all(u.startswith(("file:", "data:", "blob:")) for u in requests)
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_yamazumi_chart_is_drawn(tmp_path: Path) -> None:
    """#yamazumi holds plotly's SVG with stacked bars and the cycle line."""
    from playwright.sync_api import sync_playwright

    tiny = Path(__file__).parent / "data" / "tiny_scenario.toml"
    report = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["plan", str(tiny), "--quiet",
                                      "--replications", "2", "--report",
                                      str(report)])
    assert result.exit_code == 0, result.output
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
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
        browser.close()
    assert errors == []

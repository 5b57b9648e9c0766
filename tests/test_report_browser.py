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

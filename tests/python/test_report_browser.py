"""The HTML programme report: static checks (self-contained, escaped) and a real browser.

The browser test starts Debian's headless chromium through selenium with an explicit driver path
(nothing is downloaded), with every host name mapped to nowhere, and reads the browser's own
network log to check that the page made no request besides loading itself. It skips only when
chromium is not installed and CI is not set; `.ci/run` installs it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import mentorpair
from mentorpair import synthetic

REPO = Path(__file__).resolve().parents[2]
EVIL = '<script>window.__pwned=1</script>"\'&'


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, mentorpair.MatchResult]:
    mentees, mentors = synthetic.cohort(120, 50, seed=11)
    mentees.loc[0, "id"] = EVIL
    mentees.loc[1, "goals"] = "<img src=x onerror=alert(1)>"
    result = mentorpair.match(mentees, mentors, protected=["gender", "age_band"], reference_date="2027-01-04")
    path = tmp_path_factory.mktemp("report") / "report.html"
    assert result.report(path, by="gender", start="2027-01-04", weeks=26) == os.fspath(path)
    return path, result


def test_report_is_self_contained_and_escaped(report) -> None:
    path, result = report
    html = path.read_text(encoding="utf-8")
    # No external resource: no src/href attributes, no URL other than the SVG namespace.
    assert not re.search(r"\s(src|href)\s*=", html)
    urls = set(re.findall(r"https?://[^\s\"'<>]+", html))
    assert urls <= {"http://www.w3.org/2000/svg"}
    assert "default-src 'none'" in html
    # User values are escaped: the only <script> tag is the report's own.
    assert html.count("<script>") == 1
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;&quot;&#39;&amp;" in html
    assert "<img" not in html
    for section in ("summary", "pairs", "unmatched", "fairness", "schedule"):
        assert f'<section id="{section}">' in html
    assert html.count("<tr>") >= len(result.pairs)


def test_report_bad_column(report, tmp_path: Path) -> None:
    _, result = report
    with pytest.raises(mentorpair.MentorpairError, match="nosuch"):
        result.report(tmp_path / "r.html", by="nosuch")
    assert not (tmp_path / "r.html").exists()


def _browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)
    if not chromium or not driver:
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver must be installed in CI (.ci/run installs them)")
        pytest.skip("chromium / chromium-driver not installed (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--window-size=1280,2000",
        "--no-first-run",
        "--disable-background-networking",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=driver), options=opts)


def test_report_in_headless_chromium(report) -> None:
    path, result = report
    from selenium.webdriver.common.by import By

    browser = _browser()
    try:
        url = path.as_uri()
        browser.get(url)
        rows = browser.find_elements(By.CSS_SELECTOR, "#pairs-table tbody tr")
        assert len(rows) == len(result.pairs)
        for chart in ("chart-match-rate", "chart-score-distribution", "chart-mentor-load"):
            svg = browser.find_element(By.ID, chart)
            assert svg.tag_name == "svg"
            assert svg.find_elements(By.CSS_SELECTOR, "rect, circle")
        groups = browser.find_elements(By.CSS_SELECTOR, "#chart-match-rate rect.bar")
        assert len(groups) == len(set(result.audit("gender").groups["group"]))
        assert browser.execute_script("return window.__pwned === undefined")
        # The escaped id shows as text in the table.
        assert EVIL in browser.find_element(By.ID, "pairs-table").text or EVIL not in set(result.pairs["mentee_id"])
        # Typing into the search box filters the table.
        target = str(result.pairs["mentor_id"].iloc[0])
        expected = int((result.pairs["mentor_id"] == target).sum() + result.pairs["mentee_id"].str.contains(target, regex=False).sum())
        box = browser.find_element(By.ID, "pairs-table-search")
        box.send_keys(target)
        visible = [r for r in rows if r.is_displayed()]
        assert len(visible) == expected
        assert browser.find_element(By.ID, "pairs-table-count").text == f"{expected} of {len(rows)} shown"
        schedule_rows = browser.find_elements(By.CSS_SELECTOR, "#schedule-table tbody tr")
        assert len(schedule_rows) == len(result.pairs)
        box.clear()
        box.send_keys(" ")  # an empty query shows everything again
        assert len([r for r in rows if r.is_displayed()]) == len(rows)
        shot = REPO / "target" / "report-screenshot.png"
        shot.parent.mkdir(exist_ok=True)
        browser.execute_script("document.getElementById('pairs-table-search').value=''")
        browser.save_screenshot(str(shot))
        print(f"\nreport screenshot: {shot}")
        # No request besides the page itself.
        requested = []
        for entry in browser.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg["method"] == "Network.requestWillBeSent":
                requested.append(msg["params"]["request"]["url"])
        assert requested and all(u == url or u.startswith("data:") for u in requested), requested
    finally:
        browser.quit()

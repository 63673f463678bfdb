"""`quiz serve` end to end: the server started as a person starts it, the page opened in
headless Chromium (Debian's package, driven by Playwright; no browser is downloaded), a
question answered through the page, and the answer found in the database."""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from quiz.services.bank import import_banks
from quiz.services.database import open_database
from quiz.store.models import AnswerRecord, Profile
from quiz.web import is_loopback, where
from tests.conftest import MINI_BANK, NOW

CHROMIUM = "/usr/bin/chromium"
TAB_MEMORY_LIMIT_MB = 150  # the design's budget is 100 MB while studying; measured below


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def one_question_bank(folder: Path) -> Path:
    """The mini deck with only its short-answer question (so the first card is known)."""
    bank = yaml.safe_load(MINI_BANK.read_text())
    bank["questions"] = [q for q in bank["questions"] if q["id"] == "mini-signed"]
    shutil.copy(MINI_BANK.parent / bank["material"], folder / bank["material"])
    path = folder / "one.yaml"
    path.write_text(yaml.safe_dump(bank))
    return path


@pytest.fixture
def served(db_url: str, tmp_path: Path) -> Iterator[tuple[str, str, subprocess.Popen[str]]]:
    """`quiz serve` on a free loopback port and a one-question database (SQLite, and
    PostgreSQL when configured); its page URL."""
    url = db_url
    database = open_database(url, NOW, import_builtin=False)
    import_banks(database, [one_question_bank(tmp_path)], NOW)
    database.close()
    port = free_port()
    environment = {**os.environ, "QUIZ_IMPORT_BUILTIN_BANK": "false"}
    server = subprocess.Popen(
        [sys.executable, "-m", "quiz", "--db", url, "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
    )
    assert server.stdout is not None
    first = server.stdout.readline()
    assert first.startswith(f"serving quiz on http://127.0.0.1:{port} (this machine only")
    try:
        yield f"http://127.0.0.1:{port}/", url, server
    finally:
        server.terminate()
        server.wait(20)


def tab_processes(server_pid: int) -> list[int]:
    """The app processes the server started (one per open tab)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines())
            cmdline = (status.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            continue
        if b"--served" in cmdline and int(fields["PPid"]) in {server_pid, *found}:
            found.append(int(status.parent.name))
    return found


def memory_mb(pid: int) -> tuple[float, float]:
    """A process's resident memory and its proportional share (shared pages divided
    among the processes that map them: what one more tab costs), in MB."""
    found = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("Rss", "Pss"):
            found[name] = int(value.split()[0]) / 1024
    return found["Rss"], found["Pss"]


def test_a_question_answered_in_the_browser_is_in_the_database(
    served: tuple[str, str, subprocess.Popen[str]], tmp_path: Path
) -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (.ci/run does)")
        pytest.skip("needs Debian's chromium: apt-get install -y chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    page_url, db_url, server = served
    outside: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_page(viewport={"width": 1000, "height": 640})
        page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith((page_url, page_url.replace("http", "ws", 1)))
                else outside.append(request.url)
            ),
        )
        page.goto(page_url)
        page.click("#terminal")  # keys typed before the terminal has focus are lost
        page.wait_for_selector("body.-first-byte", timeout=30_000)
        page.wait_for_timeout(1500)  # the profile screen: "Who is studying?", name box focused
        page.keyboard.type("kim")
        page.keyboard.press("Enter")
        page.wait_for_timeout(1500)  # home, with one new card
        page.keyboard.press("Enter")  # study
        page.wait_for_timeout(1500)
        page.keyboard.type("30 March 1856")
        page.keyboard.press("Enter")  # check: graded and saved at once
        deadline = time.monotonic() + 20
        rows: list[AnswerRecord] = []
        database = open_database(db_url, NOW, import_builtin=False)
        try:
            while not rows and time.monotonic() < deadline:
                page.wait_for_timeout(300)
                with database.sessions() as session:
                    rows = list(session.scalars(select(AnswerRecord)))
                    names = list(session.scalars(select(Profile.name)))
        finally:
            database.close()
        page.screenshot(path=str(tmp_path / "served.png"))
        tabs = tab_processes(server.pid)
        memory = [memory_mb(pid) for pid in tabs]
        browser.close()
    print(f"screenshot {tmp_path / 'served.png'}; tab memory (RSS, PSS) {memory} MB")
    assert names == ["kim"]
    assert len(rows) == 1 and rows[0].correct
    assert rows[0].response is not None and "30 March 1856" in str(rows[0].response)
    assert outside == []  # nothing fetched from the internet (the font is served here)
    assert len(tabs) == 1 and 0 < memory[0][0] < TAB_MEMORY_LIMIT_MB


def test_the_server_says_where_it_listens_and_warns_off_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20")
    assert "this machine only" in where("127.0.0.1", 8000)
    warning = where("0.0.0.0", 8000)
    assert "open to every machine that can reach this one" in warning
    assert "serve only on a network you trust" in warning

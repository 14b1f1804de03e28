"""`python -m bot demo`, the README's first command, as a newcomer runs it: type, stop, go on."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.e2e.conftest import ROOT


def _demo(cwd, typed: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", "demo", *args],
        cwd=cwd,
        env=env,
        input=typed,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_demo_fills_in_stops_and_goes_on(tmp_path):
    first = _demo(tmp_path, "1\n2\nhallo\n4\n")
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "Hallo Sam!" in out and "[1] Alle 12 competenties" in out
    assert "totaal 1 van 48" in out and "[2] Meestal waar" in out
    assert "✅ Meestal waar" in out and "✅ Niet waar" in out
    assert "Of typ een cijfer" in out  # the hint for "hallo"
    assert "Tot ziens" in out
    assert "Traceback" not in first.stderr

    again = _demo(tmp_path, "")
    assert "Welkom terug, Sam!" in again.stdout and "totaal 3 van 48" in again.stdout

    fresh = _demo(tmp_path, "", "--fresh")
    assert "Hallo Sam!" in fresh.stdout

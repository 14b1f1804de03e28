"""`python -m bot demo` and the README's curl block, as a newcomer runs them: type, script,
stop, go on, paste."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys

import pytest

from tests.e2e.conftest import ROOT
from tests.ports import free_port

STATEMENT_1 = "Ik oordeel niet te snel, maar onderzoek eerst de feiten."


def _env() -> dict[str, str]:
    """This environment without the bot's settings, so nothing points the bot elsewhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _demo(cwd, script: str, *args: str, from_file: bool = False) -> subprocess.CompletedProcess:
    """The demo with ``script`` as what is typed: through a pipe, or as `< file` when
    ``from_file``."""
    command = [sys.executable, "-m", "bot", "demo", *args]
    run = {"cwd": cwd, "env": _env(), "capture_output": True, "text": True, "timeout": 120}
    if not from_file:
        return subprocess.run(command, input=script, **run)
    path = cwd / "script.txt"
    path.write_text(script)
    with path.open() as stdin:
        return subprocess.run(command, stdin=stdin, **run)


def _clean(run: subprocess.CompletedProcess) -> str:
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    return run.stdout


def test_the_demo_fills_in_stops_and_goes_on(tmp_path):
    out = _clean(_demo(tmp_path, "/start\n1\n2\nhallo\n4\n"))
    assert "Hallo Sam!" in out and "[1] Alle 12 competenties" in out
    assert "totaal 1 van 48" in out and "[2] Meestal waar" in out
    assert "✅ Meestal waar" in out and "✅ Niet waar" in out
    assert "Of typ een cijfer" in out  # the hint for "hallo"
    assert "Tot ziens" in out

    again = _clean(_demo(tmp_path, "/start\n"))
    assert "Welkom terug, Sam!" in again and "totaal 3 van 48" in again

    fresh = _clean(_demo(tmp_path, "/start\n", "--fresh"))
    assert "Hallo Sam!" in fresh


def test_a_script_from_a_file_is_the_conversation_and_ends_after_its_last_line(tmp_path):
    out = _clean(_demo(tmp_path, "/start\n1\n", "--fresh", from_file=True))
    # The lines are echoed, and the demo sends no /start of its own: one welcome.
    assert "\n/start\n\n   👋 Hallo Sam!" in out and out.count("Hallo Sam!") == 1
    assert "\n1\n   Je koos alle 12 competenties." in out
    # The bot answered the last line before the demo said goodbye.
    assert out.index(STATEMENT_1) < out.index("Tot ziens")


def test_an_answered_statement_shows_its_answer_and_a_rewritten_message_shows_in_full(tmp_path):
    out = _clean(_demo(tmp_path, "/start\n1\n2\n/wis\n1\n", "--fresh"))
    # Answering adds one line to the statement: only that line is printed again.
    assert f"{STATEMENT_1}\n   [1] Zeer waar" in out and out.count(STATEMENT_1) == 1
    assert "\n2\n   ✅ Meestal waar\n" in out
    # The delete confirmation is replaced by two new lines: both are shown.
    assert (
        "\n1\n\n   🗑 Alles is gewist. Er staat niets meer van je bij ons.\n"
        "   Wil je opnieuw beginnen? Typ /start.\n"
    ) in out


def test_statement_controls_keep_their_numbers_with_or_without_vorige(tmp_path):
    # 6 on the first statement (no Vorige there) is Uitleg; 2 answers; 7 is Pauze.
    out = _clean(_demo(tmp_path, "/start\n1\n6\n2\n7\n", "--fresh"))
    first, explained, second = re.findall(r"(?m)^   \[1\] Zeer waar\n(?:   \[\d\] .*\n)+", out)
    controls = "   [6] ℹ️ Uitleg\n   [7] ⏸ Pauze\n"
    assert first == explained
    assert first.endswith(f"   [4] Niet waar\n{controls}")
    assert second.endswith(f"   [4] Niet waar\n   [5] ⬅️ Vorige\n{controls}")
    assert "Zo zegt de brochure het:" in out  # Uitleg
    assert out.index("\n7\n") < out.index("Goed, we stoppen even.")  # Pauze, at the end


def _readme_block(after: str) -> str:
    readme = (ROOT / "README.md").read_text()
    (block,) = re.findall(rf"{re.escape(after)}.*?```sh\n(.*?)```", readme, re.DOTALL)
    return block


@pytest.mark.skipif(shutil.which("curl") is None, reason="the README's block uses curl")
def test_the_readme_curl_block_works_pasted_into_a_fresh_shell(tmp_path):
    """Pasted as it stands, except on a free port, into a folder with a .venv; twice, and the
    second conversation starts fresh too. It must stop what it started: otherwise the processes
    hold its output open and the run times out."""
    port = free_port()
    script = _readme_block("To watch the real process without Telegram").replace("8081", str(port))
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (bin_dir / "python").chmod(0o755)
    env = _env() | {"TMPDIR": str(tmp_path)}

    for _ in range(2):
        stdout, stderr = _paste(script, tmp_path, env)
        assert "Traceback" not in stderr, stderr
        answers = [json.loads(line) for line in stdout.splitlines() if line.startswith("[")]
        after_start, after_tap, chat = answers
        (welcome,) = after_start
        assert welcome["text"].startswith("👋 Hallo Jan!")
        assert [row[0][0] for row in welcome["buttons"]] == ["Alle 12 competenties", "Zelf kiezen"]
        assert [(m["message_id"], m["text"].splitlines()[0]) for m in after_tap] == [
            (2, "Je koos alle 12 competenties."),
            (3, "1. Signaleren en analyseren"),
        ]
        assert [(m["from_bot"], m["text"]) for m in chat[:2]] == [
            (False, "/start"),
            (True, "Je koos alle 12 competenties."),
        ]
        assert chat[2] == after_tap[1] and len(chat) == 3
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0  # the emulator is gone


def _paste(script: str, cwd, env: dict[str, str]) -> tuple[str, str]:
    """Run ``script`` in bash, in a process group of its own: if the script leaves processes
    behind, the test fails and they are stopped, all of them and nothing else."""
    shell = subprocess.Popen(
        ["bash", "-c", script],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = shell.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(shell.pid, signal.SIGKILL)
        shell.communicate()
        raise
    assert shell.returncode == 0, stdout + stderr
    return stdout, stderr

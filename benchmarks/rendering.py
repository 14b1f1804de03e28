"""Rendering time of the profile picture, the printout and the team picture, on one core.

    .venv/bin/python benchmarks/rendering.py [renders] [--save FOLDER]

Prints p50 and p95 over `renders` (default 50) of each, after one warm-up render, and the import
cost: importing the two modules (paid at the bot's start-up) and the first picture and printout
in a fresh process (paid by the first person to ask for one). The aims at the 95th percentile are
300 ms for the picture and 1 s for the printout, and 300 ms for the team picture of 30 members
(issue 8: 200 digests within 60 s). With --save, the sample picture, printout and team picture
are written to FOLDER to look at.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.heatmap import VERDICTS, HeatmapText, MemberRow, render_heatmap  # noqa: E402
from bot.picture import CompetencyBar, PictureText, render_profile  # noqa: E402
from bot.printout import Printout, render_printout  # noqa: E402

TEXT = PictureText(
    title="Jouw competenties",
    answers=("Zeer waar", "Meestal waar", "Beetje waar", "Niet waar"),
    verdicts={
        "suits": "ligt je goed",
        "between": "half om half",
        "develop": "om te groeien",
        "open": "nog niet af",
        "not_answered": "niet ingevuld",
    },
    previous="vorige keer",
    marked="gekozen door je collega",
)

# A second round of all twelve, with the first round's outlines and two colleague's choices:
# the most a picture draws.
BARS = (
    CompetencyBar("Signaleren en analyseren", (2, 2, 0, 0), "suits", 3),
    CompetencyBar("Sensitiviteit", (1, 2, 1, 0), "suits", 2, marked=True),
    CompetencyBar("Communicatie", (0, 2, 2, 0), "between", 1),
    CompetencyBar("Lef", (0, 0, 3, 1), "develop", 0),
    CompetencyBar("Creativiteit", (4, 0, 0, 0), "suits", 4),
    CompetencyBar("Onderhandelen", (0, 1, 1, 0), "open"),
    CompetencyBar("Overtuigingskracht", (1, 1, 1, 1), "between", 2, marked=True),
    CompetencyBar("Netwerken", (0, 0, 0, 0), "not_answered"),
    CompetencyBar("Samenwerken", (3, 1, 0, 0), "suits", 3),
    CompetencyBar("Zelfreflectie", (0, 1, 2, 1), "develop", 1),
    CompetencyBar("Stressbestendigheid", (0, 0, 1, 3), "develop", 2),
    CompetencyBar("Politiek/bestuurlijk inzicht", (1, 2, 0, 1), "suits"),
)

# A team of thirty sharing members, verdicts drawn at random: a weekly digest's picture.
TEAM_TEXT = HeatmapText(
    title="Team Cliëntenraad Zwolle: wie is sterk waarin?",
    competencies=tuple(bar.name for bar in BARS),
    verdicts={
        "suits": "sterk",
        "between": "half om half",
        "develop": "om te groeien",
        "open": "nog niet af",
        "not_answered": "niet ingevuld",
    },
    count="Sterk",
)
_draw = random.Random(8)
TEAM = tuple(
    MemberRow(f"Lid {n}", tuple(_draw.choice(VERDICTS) for _ in BARS)) for n in range(1, 31)
)


def printout(picture: bytes) -> Printout:
    return Printout(
        title="Scorelijst van Anna",
        subtitle="Ronde 2 · 29 november 2026",
        picture_png=picture,
        sections=(
            (
                "Dit ligt je goed",
                (
                    "Signaleren en analyseren",
                    "Sensitiviteit",
                    "Creativiteit",
                    "Samenwerken",
                    "Politiek/bestuurlijk inzicht",
                ),
            ),
            (
                "Je leerpunten",
                (
                    "Lef: Ik durf risico te nemen door een nieuwe aanpak uit te proberen.",
                    "Samenwerken: Ik deel mijn netwerk met andere belangenbehartigers; ik creëer "
                    "toegang voor anderen.",
                    "Stressbestendigheid: Ik ben in staat het bij mijn collega’s aan te geven als "
                    "taken mij teveel worden.",
                ),
            ),
            (
                "Taken die bij je passen",
                ("Taak 2.4: sluiten van coalities – 4 van de 4 competenties liggen je goed.",),
            ),
            ("Gekozen kaarten", ("Creativiteit", "Netwerken")),
            (
                "Om over na te denken",
                ("Waar ben je goed in?", "Wat wil je leren?", "Wie kan je daarbij helpen?"),
            ),
        ),
        footer="Gemaakt met Scorelijst · naar MOVISIE, Taken en kwaliteiten van "
        "belangenbehartigers",
    )


def timed(render: Callable[[], object], renders: int) -> list[float]:
    render()  # warm-up: the lazy imports and font caches are the import cost, measured apart
    times = []
    for _ in range(renders):
        started = time.perf_counter()
        render()
        times.append(time.perf_counter() - started)
    return times


def report(name: str, times: list[float], aim: float) -> None:
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
    verdict = "within" if p95 <= aim else "OVER"
    print(
        f"{name}: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
        f"({verdict} the aim of {aim * 1000:.0f} ms at p95), over {len(times)} renders"
    )


def fresh_process(code: str, runs: int = 5) -> float:
    """The median of what `code` prints (seconds), each run in a new interpreter; it inherits
    this process's one core."""
    results = []
    for _ in range(runs):
        output = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        results.append(float(output))
    return statistics.median(results)


IMPORT = """
import time; started = time.perf_counter()
import bot.picture, bot.printout
print(time.perf_counter() - started)
"""

FIRST_RENDER = """
import sys, time
sys.path.insert(0, "benchmarks")
import rendering as r
{setup}
started = time.perf_counter()
{call}
print(time.perf_counter() - started)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("renders", type=int, nargs="?", default=50)
    parser.add_argument("--save", type=Path, metavar="FOLDER")
    arguments = parser.parse_args()

    # One core, as on a small server: numbers must not lean on a second one.
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    picture = render_profile(BARS, TEXT)
    sample = printout(picture)
    if arguments.save:
        arguments.save.mkdir(parents=True, exist_ok=True)
        (arguments.save / "profile.png").write_bytes(picture)
        (arguments.save / "printout.pdf").write_bytes(render_printout(sample))
        (arguments.save / "team.png").write_bytes(render_heatmap(TEAM, TEAM_TEXT))
        print(f"wrote profile.png, printout.pdf and team.png to {arguments.save}")

    print(f"import bot.picture and bot.printout: {fresh_process(IMPORT) * 1000:.0f} ms")
    first_picture = FIRST_RENDER.format(setup="", call="r.render_profile(r.BARS, r.TEXT)")
    print(f"first picture in a fresh process: {fresh_process(first_picture) * 1000:.0f} ms")
    first_printout = FIRST_RENDER.format(
        setup="sample = r.printout(r.render_profile(r.BARS, r.TEXT))",
        call="r.render_printout(sample)",
    )
    print(f"first printout in a fresh process: {fresh_process(first_printout) * 1000:.0f} ms")

    report("picture", timed(lambda: render_profile(BARS, TEXT), arguments.renders), 0.3)
    report("printout", timed(lambda: render_printout(sample), arguments.renders), 1.0)
    report("team picture", timed(lambda: render_heatmap(TEAM, TEAM_TEXT), arguments.renders), 0.3)


if __name__ == "__main__":
    main()

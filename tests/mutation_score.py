"""Mutation score of the rules (domain/) and the use cases (services/), one score per folder.

    .venv/bin/pip install -e '.[test,mutation]' && .venv/bin/python tests/mutation_score.py

This starts mutmut afresh (its settings are in pyproject.toml: every function in domain/ and
services/ is changed in small ways, one "mutant" at a time, and the unit tests that reach the
function run against it; tests/e2e is left out). Then it prints, per folder, how many mutants
the tests killed out of those that can change behaviour, the equivalent survivors listed below
with why, and every other mutant the tests did not kill. It exits with 1 when a folder is under
95 %. Not a test itself (pytest collects test_*.py only) and not part of CI: it takes minutes.

A survivor: see it with `.venv/bin/mutmut show NAME`, then write a test that fails on it with an
expected value worked out by hand. Only a mutant that cannot change what the code does goes in
EQUIVALENT, with the reason (and in the README's list). Mutant names count the changes made to
one function, so after a function changes, its entries here may need renaming: the script says
when an entry names no surviving mutant.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
FOLDERS = ("domain", "services")
REQUIRED = 95.0

EQUIVALENT = {
    "domain.typed_answer.x_read_typed_answer__mutmut_9": (
        "`set(word) < digits` for `<=`: differs only for a word made of all ten digits, which"
        " is no answer value (1-4) as a number and no word of a label either way"
    ),
    "domain.typed_answer.x_read_typed_answer__mutmut_27": (
        "more runs of label words (`+ len(words)`): the extra slices run past the label's end,"
        " are shorter than the typed words and so never equal them"
    ),
    "domain.typed_answer.x_read_typed_answer__mutmut_28": (
        "one more run of label words (`+ 2`): that slice runs past the label's end, is shorter"
        " than the typed words and so never equals them"
    ),
    "domain.digest.x__duos__mutmut_2": (
        "every coach's count of duos starting at 1 instead of 0: the coach with the fewest is"
        " the same one when all counts are 1 higher"
    ),
    "domain.digest.x__duos__mutmut_22": (
        "counting duos in twos (`+= 2`): the coach with the fewest is the same one when all"
        " counts are doubled"
    ),
    "domain.schedule.x_after_quiet_hours__mutmut_8": (
        "`<=` for `<` against 09:00: only a quiet moment gets there, and 09:00 is not quiet"
    ),
    "domain.schedule.x_after_quiet_hours__mutmut_12": (
        "`.astimezone(None)` for UTC: the same moment in the server's zone; moments compare, and"
        " are stored (services/clock.py as_text), by the instant"
    ),
    "domain.schedule.x_days_later__mutmut_6": (
        "`.astimezone(None)` for UTC: the same moment in the server's zone, as above"
    ),
    "services.reminders.xǁDueStandstillOffersǁdue__mutmut_7": (
        "`now + STANDSTILL` for `-` in the query's cut-off: the query then lists more half-done"
        " rounds, and may_send(now, since + 3 days) leaves out exactly those"
    ),
    "services.profiles.xǁProfilesǁoverview__mutmut_10": (
        'another name than "" for a person the database does not know: such a person has no'
        " rounds (rounds reference users, ON DELETE CASCADE, read in the same transaction), so"
        " the overview is None or EXPIRED before the name is used"
    ),
    "domain.reaction.x__before__mutmut_3": (
        "`<=` for `<`: _before is asked only about a step other than the current one, never"
        " about two equal steps"
    ),
    "services.reactions.xǁReactionsǁopen_link__mutmut_28": (
        "`now` as created_at of somebody known: PeopleRepository.save never changes an existing"
        " person's created_at (ON CONFLICT updates name, language and last seen only)"
    ),
    "services.reactions.xǁReactionsǁremark__mutmut_15": (
        "`or 1` for `or 0` (a remark step whose message was never noted): differs only from a"
        " step message with id 1, and message 1 of a private chat is the person's own /start"
    ),
    "services.reactions.xǁReactionsǁ_sent__mutmut_7": (
        "no first name in the asker's overview: _sent reads only its results, cards and round"
    ),
    "services.codes.x_code_hash__mutmut_7": (
        '"ASCII" for "ascii": Python finds codecs by name regardless of case'
    ),
}

# mutmut's words for what happened to a mutant; a timeout means the tests noticed it too.
KILLED = {"killed", "timeout"}


def run_mutmut() -> None:
    shutil.rmtree(PROJECT / "mutants", ignore_errors=True)  # a fresh run: no stale results
    subprocess.run([sys.executable, "-m", "mutmut", "run"], cwd=PROJECT, check=True)


def results() -> dict[str, str]:
    """Every mutant's name (``domain.round.xǁRoundǁanswer__mutmut_3``) and its status."""
    listed = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=PROJECT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = {}
    for line in listed.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name.split(".")[0] in FOLDERS:
            found[name] = status
    return found


def report(statuses: dict[str, str]) -> bool:
    """Print the scores and what was not killed; True when every folder reaches REQUIRED."""
    good = True
    for folder in FOLDERS:
        mine = {n: s for n, s in statuses.items() if n.split(".")[0] == folder}
        equivalent = [n for n, s in mine.items() if s == "survived" and n in EQUIVALENT]
        killed = sum(1 for s in mine.values() if s in KILLED)
        counted = len(mine) - len(equivalent)
        score = 100.0 * killed / counted if counted else 0.0
        good = good and score >= REQUIRED
        print(
            f"{folder + ':':10} {killed} of {counted} mutants killed ({score:.1f} %),"
            f" {len(equivalent)} equivalent left out, {len(mine)} made"
        )
    counts = Counter(statuses.values())
    print("all mutants: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))

    print("\nequivalent survivors (they cannot change behaviour):")
    for name, why in EQUIVALENT.items():
        if statuses.get(name) == "survived":
            print(f"  {name}\n      {why}")
    stale = [n for n in EQUIVALENT if statuses.get(n) != "survived"]
    for name in stale:
        print(f"  (listed in EQUIVALENT but {statuses.get(name, 'not made')}: {name})")

    missed = [
        (n, s)
        for n, s in statuses.items()
        if s not in KILLED and not (s == "survived" and n in EQUIVALENT)
    ]
    print(f"\nnot killed: {len(missed) or 'none'}")
    for name, status in missed:
        print(f"  {name}: {status}    (see: .venv/bin/mutmut show {name})")
    return good


def main() -> int:
    run_mutmut()
    print()
    return 0 if report(results()) else 1


if __name__ == "__main__":
    sys.exit(main())

"""The pure computation of a team's digest: how long `digest_of` takes for a team, on one core.

    .venv/bin/python benchmarks/digest_compute.py [--teams 10] [--members 30] [--repeat 200]
        [--save FILE]

Fills a fresh database as benchmarks/digest_load.py does (its `fill`: every member shares and has
a whole round, a third also their cards), reads each team's sharing members and their rounds
once, then calls `services/teams.py` `digest_of` for every team `--repeat` times, after one
warm-up call each. This is the Python the bot runs on its event loop for each digest, without
the database; while it runs no tap is answered (benchmarks/digest_load.py measures that effect).

Prints the median and p95 per team over all calls, in milliseconds. With --save, writes per team
its digest's fingerprint and the digest's repr to FILE: two runs whose files are the same made
the same digests, field for field (compare a change with the code before it).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from digest_load import fill  # noqa: E402

from content import load_content  # noqa: E402
from content.model import Instrument  # noqa: E402
from domain.digest import Digest  # noqa: E402
from domain.round import Round  # noqa: E402
from domain.team import Member  # noqa: E402
from services.teams import digest_of  # noqa: E402
from storage.database import Database  # noqa: E402

Team = tuple[tuple[Member, ...], dict[int, list[Round]]]


async def read_teams(path: Path, teams: int) -> list[Team]:
    """Each team's sharing members with their rounds, as `sharing_digest` reads them."""
    database = await Database.open(path)
    found = []
    try:
        async with database.transaction() as tx:
            for team_id in range(1, teams + 1):
                team = await tx.teams.get(team_id)
                assert team is not None
                rounds = await tx.rounds.of_people([m.user_id for m in team.sharing])
                found.append((team.sharing, rounds))
    finally:
        await database.close()
    return found


async def time_digests(
    instrument: Instrument, teams: list[Team], repeat: int
) -> tuple[list[Digest], list[float]]:
    """Each team's digest (after one warm-up call each), and the milliseconds of every call."""
    digests = [await digest_of(instrument, members, rounds) for members, rounds in teams]
    times = []
    for _ in range(repeat):
        for members, rounds in teams:
            start = time.perf_counter()
            await digest_of(instrument, members, rounds)
            times.append((time.perf_counter() - start) * 1000)
    return digests, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=10)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--save", type=Path, help="write each digest's fingerprint and repr here")
    args = parser.parse_args()

    instrument = load_content().language().instrument
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "digest.sqlite3"
        asyncio.run(fill(path, args.teams, args.members, datetime.now(UTC)))
        teams = asyncio.run(read_teams(path, args.teams))

    digests, times = asyncio.run(time_digests(instrument, teams, args.repeat))

    p95 = statistics.quantiles(times, n=100, method="inclusive")[94]
    print(
        f"digest_of, {args.teams} teams of {args.members} sharing members, {len(times)} calls:"
        f" median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms per team"
    )
    if args.save:
        with args.save.open("w", encoding="utf-8") as out:
            for number, digest in enumerate(digests, 1):
                out.write(f"team {number} {digest.fingerprint}\n{digest!r}\n")
        print(f"digests written to {args.save}")


if __name__ == "__main__":
    main()

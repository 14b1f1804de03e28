from __future__ import annotations

import pytest

from content import Content, Language, load_content
from services.clock import Clock
from services.people import People
from services.profiles import Profiles
from services.rounds import Rounds
from storage import Database
from tests.use_cases import Hands


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="session")
def language(content) -> Language:
    return content.language()


@pytest.fixture(scope="session")
def instrument(language):
    return language.instrument


@pytest.fixture(scope="session")
def texts(language):
    return language.texts


# -- the use cases on a real SQLite file, on a clock the test moves (tests/use_cases.py) -------


@pytest.fixture
def hands() -> Hands:
    """A test module whose story starts at another moment overrides this."""
    return Hands()


@pytest.fixture
def clock(hands) -> Clock:
    return Clock(lambda: hands.at)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "bot.sqlite3"


@pytest.fixture
async def database(db_path):
    database = await Database.open(db_path)
    yield database
    await database.close()


@pytest.fixture
def rounds(database, instrument, clock) -> Rounds:
    return Rounds(database, instrument, clock)


@pytest.fixture
def people(database, content, clock) -> People:
    return People(database, content, clock)


@pytest.fixture
def profiles(database, instrument) -> Profiles:
    return Profiles(database, instrument)

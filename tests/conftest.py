from __future__ import annotations

import pytest

from content import Language, load_content


@pytest.fixture(scope="session")
def language() -> Language:
    return load_content().language()


@pytest.fixture(scope="session")
def instrument(language):
    return language.instrument


@pytest.fixture(scope="session")
def texts(language):
    return language.texts

"""Settings from the environment, and what `python -m bot` says without a token."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import DEFAULT_DB_PATH, Settings, SettingsError, Webhook

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "BOT_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no .env here
    return monkeypatch


def test_a_missing_token_says_how_to_get_one(clean_env):
    with pytest.raises(SettingsError, match="BotFather") as error:
        Settings.from_env()
    assert "python -m bot demo" in str(error.value)


def test_defaults(clean_env):
    clean_env.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    settings = Settings.from_env()
    assert settings.base_url is None and settings.base_file_url is None
    assert settings.db_path == DEFAULT_DB_PATH
    assert settings.messages_per_second == 28  # Telegram allows about 30 a second
    assert settings.webhook is None  # long polling
    assert settings.organisation is None and settings.contact is None
    assert settings.retention_days is None  # data is kept until the person wipes it
    assert settings.scheduler_seconds == 60  # the scheduler wakes up once a minute


def test_who_runs_the_bot_and_how_long_data_is_kept(clean_env):
    clean_env.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    clean_env.setenv("BOT_ORGANISATION", " Stichting Samen Sterk ")
    clean_env.setenv("BOT_CONTACT", "privacy@samensterk.nl")
    clean_env.setenv("BOT_RETENTION_DAYS", "365")
    settings = Settings.from_env()
    assert settings.organisation == "Stichting Samen Sterk"
    assert settings.contact == "privacy@samensterk.nl"
    assert settings.retention_days == 365


@pytest.mark.parametrize("days", ["0", "-3", "een jaar", "1.5", "²"])
def test_a_retention_that_is_not_a_number_of_days_is_refused(clean_env, days):
    clean_env.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    clean_env.setenv("BOT_RETENTION_DAYS", days)
    with pytest.raises(SettingsError, match="BOT_RETENTION_DAYS"):
        Settings.from_env()


@pytest.mark.parametrize(("value", "seconds"), [("1", 1.0), (" 0.5 ", 0.5), ("3600", 3600.0)])
def test_tests_make_the_scheduler_wake_up_more_often(clean_env, value, seconds):
    clean_env.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    clean_env.setenv("BOT_SCHEDULER_SECONDS", value)
    assert Settings.from_env().scheduler_seconds == seconds


@pytest.mark.parametrize("value", ["0", "-1", "vaak", "inf", "nan"])
def test_a_scheduler_interval_that_is_no_number_of_seconds_is_refused(clean_env, value):
    clean_env.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    clean_env.setenv("BOT_SCHEDULER_SECONDS", value)
    with pytest.raises(SettingsError, match="BOT_SCHEDULER_SECONDS"):
        Settings.from_env()


def test_base_url_gives_the_file_url(clean_env):
    clean_env.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    clean_env.setenv("TELEGRAM_BASE_URL", "http://127.0.0.1:8081/bot")
    clean_env.setenv("BOT_DB_PATH", "/tmp/x.sqlite3")
    settings = Settings.from_env()
    assert settings.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert settings.db_path == Path("/tmp/x.sqlite3")


@pytest.mark.parametrize(("value", "pace"), [("0", 0.0), ("100", 100.0), (" 2.5 ", 2.5)])
def test_the_pace_is_a_setting_and_0_turns_it_off(clean_env, value, pace):
    clean_env.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    clean_env.setenv("BOT_MESSAGES_PER_SECOND", value)
    assert Settings.from_env().messages_per_second == pace


@pytest.mark.parametrize("value", ["-1", "veel", "inf", "nan"])
def test_a_pace_that_is_no_number_of_messages_is_refused(clean_env, value):
    clean_env.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    clean_env.setenv("BOT_MESSAGES_PER_SECOND", value)
    with pytest.raises(SettingsError, match="BOT_MESSAGES_PER_SECOND"):
        Settings.from_env()


def test_webhook_settings(clean_env):
    clean_env.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    clean_env.setenv("BOT_WEBHOOK_URL", "https://bot.example.org/scorelijst/telegram")
    clean_env.setenv("BOT_WEBHOOK_SECRET", "Zg3_x-9")
    webhook = Settings.from_env().webhook
    assert webhook == Webhook(
        "https://bot.example.org/scorelijst/telegram", "Zg3_x-9", "127.0.0.1", 8080
    )
    assert webhook.path == "/scorelijst/telegram"
    assert "Zg3_x-9" not in repr(Settings.from_env())  # neither the secret nor the token
    assert "1:abc" not in repr(Settings.from_env())
    clean_env.setenv("BOT_WEBHOOK_LISTEN", "0.0.0.0")
    clean_env.setenv("BOT_WEBHOOK_PORT", "8443")
    assert Settings.from_env().webhook == Webhook(
        "https://bot.example.org/scorelijst/telegram", "Zg3_x-9", "0.0.0.0", 8443
    )


@pytest.mark.parametrize(
    ("url", "secret", "port", "complaint"),
    [
        ("https://bot.example.org/t", "", "", "BOT_WEBHOOK_SECRET must be set"),
        ("https://bot.example.org/t", "met spatie", "", "only A-Z"),
        ("https://bot.example.org/t", "x" * 257, "", "1 to 256"),
        ("bot.example.org/t", "geheim", "", "BOT_WEBHOOK_URL must be a URL"),
        ("https://bot.example.org/t", "geheim", "http", "BOT_WEBHOOK_PORT"),
        ("", "geheim", "", "BOT_WEBHOOK_URL is not"),
    ],
)
def test_incomplete_webhook_settings_are_refused_without_showing_the_secret(
    clean_env, url, secret, port, complaint
):
    clean_env.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    for name, value in [
        ("BOT_WEBHOOK_URL", url),
        ("BOT_WEBHOOK_SECRET", secret),
        ("BOT_WEBHOOK_PORT", port),
    ]:
        clean_env.setenv(name, value)
    with pytest.raises(SettingsError, match=complaint) as refused:
        Settings.from_env()
    assert not secret or secret not in str(refused.value)


def test_a_dotenv_file_is_read(clean_env, tmp_path):
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=2:from-dotenv\n")
    assert Settings.from_env().token == "2:from-dotenv"


def test_python_m_bot_without_token_exits_with_the_explanation(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in result.stderr
    assert "Traceback" not in result.stderr

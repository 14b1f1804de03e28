"""The database schema as numbered migrations, applied in order and recorded in user_version.

Later features (colleague feedback, repeated rounds compared, a coordinator's team view) add a
migration here; existing databases are brought up to date at start-up.
"""

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: people, their rounds of the score list, and one row per answer.
    (
        """
    CREATE TABLE users (
        user_id     INTEGER PRIMARY KEY,  -- Telegram user id
        first_name  TEXT NOT NULL,
        language    TEXT NOT NULL,
        created_at  TEXT NOT NULL
    )""",
        """
    -- AUTOINCREMENT: a round id is never used twice, also after /wis, so an old button can
    -- never point at somebody's new round.
    CREATE TABLE rounds (
        round_id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id           INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
        number            INTEGER NOT NULL,
        status            TEXT NOT NULL CHECK (status IN ('choosing', 'answering', 'complete')),
        selection         TEXT NOT NULL DEFAULT '',  -- chosen competency ids, comma-separated
        cursor            TEXT,     -- statement re-opened with "Vorige", NULL: first unanswered
        prompt_message_id INTEGER,  -- the message that carries the live answer buttons
        started_at        TEXT NOT NULL,
        completed_at      TEXT,
        UNIQUE (user_id, number)
    )""",
        """
    CREATE TABLE answers (
        round_id     INTEGER NOT NULL REFERENCES rounds (round_id) ON DELETE CASCADE,
        statement_id TEXT NOT NULL,
        value        INTEGER NOT NULL,
        answered_at  TEXT NOT NULL,
        PRIMARY KEY (round_id, statement_id)
    ) WITHOUT ROWID""",
    ),
)

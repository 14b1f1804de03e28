"""The database schema as numbered migrations, applied in order and recorded in user_version.

A new feature adds a migration here; existing databases are brought up to date at start-up.
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
    # 2: competencies picked but not started live apart from the chosen ones, so picking in a
    # complete round leaves it complete (domain/round.py); when a person was last seen, for the
    # retention rule.
    (
        "ALTER TABLE rounds ADD COLUMN picked TEXT NOT NULL DEFAULT ''",
        """
    UPDATE rounds SET picked = selection, selection = ''
    WHERE status = 'choosing'
      AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.round_id = rounds.round_id)""",
        # Version 1 sent a complete round back to 'choosing' when more was picked; with answers
        # it was complete before, so it is complete again with what it had.
        """
    UPDATE rounds SET status = 'complete', completed_at = COALESCE(completed_at, started_at),
        selection = ''
    WHERE status = 'choosing'""",
        "ALTER TABLE users ADD COLUMN last_seen_at TEXT NOT NULL DEFAULT ''",
        "UPDATE users SET last_seen_at = created_at",
        "CREATE INDEX users_last_seen ON users (last_seen_at)",
    ),
    # 3: the card exercise of a round: three strengths and three to grow, competency ids.
    (
        "ALTER TABLE rounds ADD COLUMN cards_strong TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE rounds ADD COLUMN cards_grow TEXT NOT NULL DEFAULT ''",
    ),
    # 4: a person's requests for a reaction, and what the colleague gave (domain/reaction.py).
    # The link's code is kept only as its SHA-256 hash. Both people's /wis remove the row.
    (
        """
    CREATE TABLE reaction_requests (
        request_id           INTEGER PRIMARY KEY AUTOINCREMENT,
        asker_id             INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
        code_hash            TEXT NOT NULL UNIQUE,
        shares_answers       INTEGER NOT NULL,  -- 1: the single answers and learning points too
        status               TEXT NOT NULL
            CHECK (status IN ('open', 'claimed', 'answered', 'declined', 'withdrawn')),
        created_at           TEXT NOT NULL,
        expires_at           TEXT NOT NULL,
        colleague_id         INTEGER REFERENCES users (user_id) ON DELETE CASCADE,
        colleague_step       TEXT,     -- where the colleague is, while claimed
        colleague_message_id INTEGER,  -- the colleague's message with the live buttons
        recognises           TEXT,     -- "Herken je dit beeld?": yes, partly or no
        suits_best           TEXT NOT NULL DEFAULT '',  -- 2 competency ids, comma-separated
        could_grow           TEXT,     -- 1 competency id, or NULL
        remark               TEXT,
        answered_at          TEXT
    )""",
        "CREATE INDEX reaction_requests_asker ON reaction_requests (asker_id)",
        "CREATE INDEX reaction_requests_colleague ON reaction_requests (colleague_id)",
    ),
)

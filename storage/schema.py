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
    # 5: teams: who is in which team as coordinator or member, whether they share (and since
    # when), the invite links (only their hash), the weekly digest's day and hour and what was
    # last sent, and a name a person was asked to type for a new team.
    (
        """
    -- AUTOINCREMENT: a team id is never used again, so an old button names no other team.
    CREATE TABLE teams (
        team_id                 INTEGER PRIMARY KEY AUTOINCREMENT,
        name                    TEXT NOT NULL,
        created_at              TEXT NOT NULL,
        digest_on               INTEGER NOT NULL DEFAULT 1 CHECK (digest_on IN (0, 1)),
        digest_weekday          INTEGER NOT NULL DEFAULT 0 CHECK (digest_weekday BETWEEN 0 AND 6),
        digest_hour             INTEGER NOT NULL DEFAULT 9 CHECK (digest_hour BETWEEN 0 AND 23),
        -- the last week ("2026-W49") whose digest was sent, or had nothing new to send
        digest_sent_period      TEXT,
        digest_sent_fingerprint TEXT   -- what it showed (domain/digest.py), to skip unchanged
    )""",
        """
    CREATE TABLE team_members (
        team_id    INTEGER NOT NULL REFERENCES teams (team_id) ON DELETE CASCADE,
        user_id    INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
        role       TEXT NOT NULL CHECK (role IN ('coordinator', 'member')),
        sharing    TEXT NOT NULL CHECK (sharing IN ('asked', 'yes', 'no')),
        joined_at  TEXT NOT NULL,
        consent_at TEXT,  -- when they last answered Ja or Nee to sharing
        PRIMARY KEY (team_id, user_id)
    )""",
        "CREATE INDEX team_members_user ON team_members (user_id)",
        """
    -- One live link per team and kind; a new one replaces it, so the old link opens nothing.
    CREATE TABLE team_invites (
        code_hash  TEXT PRIMARY KEY,  -- services/codes.py code_hash: never the code itself
        team_id    INTEGER NOT NULL REFERENCES teams (team_id) ON DELETE CASCADE,
        role       TEXT NOT NULL CHECK (role IN ('coordinator', 'member')),
        created_at TEXT NOT NULL,
        -- a co-coordinator link belongs to the first person who opens it
        claimed_by INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
        UNIQUE (team_id, role)
    )""",
        """
    CREATE TABLE team_name_requests (
        user_id  INTEGER PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
        asked_at TEXT NOT NULL
    )""",
    ),
    # 6: reminders, the messages the bot sends on its own (each claimed before it is sent and
    # settled after, so none is sent twice), and people who blocked the bot.
    (
        # When Telegram said the person blocked the bot; cleared when they write again.
        "ALTER TABLE users ADD COLUMN blocked_at TEXT",
        """
    CREATE TABLE reminders (
        user_id    INTEGER PRIMARY KEY REFERENCES users (user_id) ON DELETE CASCADE,
        due_at     TEXT,  -- the reminder the person asked for, not sent yet; NULL: none
        asked_at   TEXT,  -- when they asked for it
        offered_at TEXT,  -- the last time the bot offered a reminder
        off_at     TEXT   -- when they turned reminders off; NULL: on
    )""",
        "CREATE INDEX reminders_due ON reminders (due_at) WHERE due_at IS NOT NULL",
        """
    -- One row per message the bot sends on its own: a kind ('reminder', 'standstill'), to whom,
    -- and which one of its kind (a reminder's time, a standstill's start). Claimed before it is
    -- sent, settled after; the key makes a second claim of the same message fail.
    CREATE TABLE deliveries (
        kind       TEXT NOT NULL,
        recipient  INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
        period     TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        -- NULL while being sent
        outcome    TEXT CHECK (outcome IN ('sent', 'blocked', 'failed', 'unknown')),
        settled_at TEXT,
        PRIMARY KEY (kind, recipient, period)
    ) WITHOUT ROWID""",
        "CREATE INDEX deliveries_of_recipient ON deliveries (recipient, kind, claimed_at)",
    ),
    # 7: a message the sender found it had nothing to send after all ('skipped': the weekly
    # digest with nothing new since the last one shown), and what a message showed. SQLite
    # cannot change a CHECK, so the ledger is made anew and its rows copied over.
    (
        """
    CREATE TABLE deliveries_new (
        kind       TEXT NOT NULL,
        recipient  INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
        period     TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        -- NULL while being sent
        outcome    TEXT CHECK (outcome IN ('sent', 'blocked', 'failed', 'unknown', 'skipped')),
        settled_at TEXT,
        -- what the message showed, for its kind to compare with later: the digest's
        -- fingerprint (domain/digest.py); NULL: nothing to compare
        shown      TEXT,
        PRIMARY KEY (kind, recipient, period)
    ) WITHOUT ROWID""",
        """
    INSERT INTO deliveries_new (kind, recipient, period, claimed_at, outcome, settled_at)
    SELECT kind, recipient, period, claimed_at, outcome, settled_at FROM deliveries""",
        "DROP TABLE deliveries",
        "ALTER TABLE deliveries_new RENAME TO deliveries",
        "CREATE INDEX deliveries_of_recipient ON deliveries (recipient, kind, claimed_at)",
    ),
)

"""The Bot API emulator, driven by a real python-telegram-bot client over HTTP.

Each test checks that the emulator answers like Telegram (so the end-to-end tests that
lean on it are worth something) and that what it records for tests is right.
"""

import asyncio

import aiohttp
import pytest
from aiohttp import web
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MessageEntity,
    Update,
    WebhookInfo,
)
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from emulator import BotApiEmulator, EventKind
from emulator.formatting import FormattedText, format_text
from tests.ports import free_port

USER = 4242


class FakeClock:
    """Stands in for time.monotonic so tests can age callback queries without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def emulator(clock: FakeClock):
    async with BotApiEmulator(clock=clock) as emulator:
        yield emulator


@pytest.fixture
async def bot(emulator: BotApiEmulator):
    async with Bot(
        token="123:ABC", base_url=emulator.base_url, base_file_url=emulator.base_file_url
    ) as bot:
        yield bot


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=label.lower())] for label in labels]
    )


async def started_chat(emulator: BotApiEmulator, bot: Bot) -> None:
    """The user writes first (so the chat exists) and the bot confirms that update."""
    await emulator.send_text(USER, "/start", first_name="Anna")
    updates = await bot.get_updates()
    await bot.get_updates(offset=updates[-1].update_id + 1)


# -- the bot's side: answers like Telegram's -------------------------------------------


async def test_get_me_describes_the_bot_of_the_token(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123, True, "scorelijst_emulator_bot")
    assert me.can_join_groups and not me.can_read_all_group_messages


async def test_send_message_with_inline_keyboard_is_recorded(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    await started_chat(emulator, bot)
    sent = await bot.send_message(
        USER, "<b>Vraag 1</b> &lt;kies&gt;", parse_mode="HTML", reply_markup=keyboard("Ja", "Nee")
    )
    assert sent.message_id == 2 and sent.from_user.id == 123 and sent.chat.id == USER
    assert sent.text == "Vraag 1 <kies>"
    assert sent.entities == (MessageEntity(MessageEntity.BOLD, 0, 7),)
    assert sent.reply_markup == keyboard("Ja", "Nee")
    [record] = emulator.bot_messages(USER)
    assert record.text == "Vraag 1 <kies>"
    assert record.html == "<b>Vraag 1</b> &lt;kies&gt;"
    assert record.buttons == [[("Ja", "ja")], [("Nee", "nee")]]
    emulator.assert_no_rule_breaks()


async def test_a_text_field_is_never_json_decoded(emulator: BotApiEmulator, bot: Bot) -> None:
    await started_chat(emulator, bot)
    sent = await bot.send_message(USER, "1")
    assert sent.text == "1" and emulator.bot_messages(USER)[-1].text == "1"


async def test_unsupported_html_is_refused_with_telegrams_error(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    await started_chat(emulator, bot)
    with pytest.raises(BadRequest, match='unsupported start tag "br" at byte offset 5'):
        await bot.send_message(USER, "één<br>twee", parse_mode="HTML")
    with pytest.raises(BadRequest, match="unmatched end tag"):
        await bot.send_message(USER, "<b>vet</i>", parse_mode="HTML")
    assert [b.method for b in emulator.rule_breaks()] == ["sendMessage", "sendMessage"]
    assert emulator.bot_messages(USER) == []


async def test_text_length_counts_utf16_code_units(emulator: BotApiEmulator, bot: Bot) -> None:
    await started_chat(emulator, bot)
    await bot.send_message(USER, "x" * 4096)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(USER, "😀" * 2049)  # 2049 characters, 4098 UTF-16 units
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(USER, "  \n ")
    assert [b.description for b in emulator.rule_breaks()] == [
        "Bad Request: message is too long",
        "Bad Request: message text is empty",
    ]


async def test_callback_data_over_64_bytes_is_refused(emulator: BotApiEmulator, bot: Bot) -> None:
    await started_chat(emulator, bot)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("Té", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(USER, "Kies", reply_markup=too_long)
    [rule_break] = emulator.rule_breaks()
    assert rule_break.description == "Bad Request: BUTTON_DATA_INVALID"
    assert "reply_markup" in rule_break.params


async def test_unknown_chat_and_blocked_user_are_refused(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "hallo")
    await started_chat(emulator, bot)
    emulator.block(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "hallo")
    with pytest.raises(Forbidden):
        await bot.send_photo(USER, b"png")
    assert emulator.refused_for_block(USER) == ["sendMessage", "sendPhoto"]
    emulator.unblock(USER)
    await bot.send_message(USER, "hallo")
    assert emulator.refused_for_block(USER) == ["sendMessage", "sendPhoto"]
    assert emulator.refused_for_block(999) == []
    # the unknown chat is the bot's mistake; a block is the person's choice, not a rule break
    assert [b.description for b in emulator.rule_breaks()] == ["Bad Request: chat not found"]


async def test_editing_to_identical_content_is_not_modified(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    await started_chat(emulator, bot)
    sent = await bot.send_message(
        USER, "<b>Vraag</b>", parse_mode="HTML", reply_markup=keyboard("Ja")
    )
    with pytest.raises(BadRequest, match="Message is not modified"):
        # <strong> gives the same entities as <b>: Telegram sees no change either
        await sent.edit_text(
            "<strong>Vraag</strong>", parse_mode="HTML", reply_markup=keyboard("Ja")
        )
    [rule_break] = emulator.rule_breaks()
    assert rule_break.method == "editMessageText"
    assert rule_break.description.startswith("Bad Request: message is not modified")

    edited = await sent.edit_text("<b>Vraag</b>", parse_mode="HTML")  # no reply_markup: removed
    assert edited.reply_markup is None
    record = emulator.bot_messages(USER)[-1]
    assert (record.edited, record.buttons) == (1, [])


async def test_edit_and_delete_need_an_existing_bot_message(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    await started_chat(emulator, bot)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("nieuw", chat_id=USER, message_id=77)
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("nieuw", chat_id=USER, message_id=1)  # the user's /start
    sent = await bot.send_message(USER, "weg ermee")
    assert await sent.delete() is True
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await sent.delete()
    assert emulator.bot_messages(USER)[-1].deleted
    assert len(emulator.rule_breaks()) == 3


async def test_set_my_commands_is_stored_and_checked(emulator: BotApiEmulator, bot: Bot) -> None:
    await bot.set_my_commands([("start", "Begin de scorelijst"), ("help", "Uitleg")])
    assert emulator.commands() == [("start", "Begin de scorelijst"), ("help", "Uitleg")]
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Start", "Hoofdletters mogen niet")])
    assert len(emulator.rule_breaks()) == 1
    assert emulator.commands() == [("start", "Begin de scorelijst"), ("help", "Uitleg")]


# -- updates ---------------------------------------------------------------------------


async def test_get_updates_sees_a_command_and_a_tap(emulator: BotApiEmulator, bot: Bot) -> None:
    await emulator.send_text(USER, "/start@scorelijst_emulator_bot nu", first_name="Anna")
    [update] = await bot.get_updates()
    message = update.message
    assert (message.text, message.chat.type, message.from_user.first_name) == (
        "/start@scorelijst_emulator_bot nu",
        "private",
        "Anna",
    )
    assert message.entities == (MessageEntity(MessageEntity.BOT_COMMAND, 0, 30),)

    sent = await bot.send_message(USER, "Klaar?", reply_markup=keyboard("Ja, start", "Nee"))
    query = await emulator.tap(USER, "ja")  # loose match: the one label containing "ja"
    [_, update] = await bot.get_updates()
    callback = update.callback_query
    assert (callback.id, callback.data, callback.from_user.id) == (query.id, "ja, start", USER)
    assert callback.message.message_id == sent.message_id
    assert callback.message.reply_markup == sent.reply_markup


async def test_offset_confirms_and_forgets_updates(emulator: BotApiEmulator, bot: Bot) -> None:
    await emulator.send_text(USER, "een")
    await emulator.send_text(USER, "twee")
    first = await bot.get_updates()
    assert [u.message.text for u in first] == ["een", "twee"]
    assert [u.update_id for u in await bot.get_updates()] == [u.update_id for u in first]
    assert [u.message.text for u in await bot.get_updates(offset=first[0].update_id + 1)] == [
        "twee"
    ]
    assert await bot.get_updates(offset=first[1].update_id + 1) == ()


async def test_allowed_updates_filters_update_types(emulator: BotApiEmulator, bot: Bot) -> None:
    await started_chat(emulator, bot)
    await bot.send_message(USER, "Kies", reply_markup=keyboard("Ja"))
    await emulator.tap(USER, "Ja")
    await emulator.send_text(USER, "tekst")
    updates = await bot.get_updates(allowed_updates=["message"])
    assert [u.message.text for u in updates] == ["tekst"]


async def test_a_long_poll_waits_until_an_update_arrives(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    assert await bot.get_updates(timeout=0) == ()  # nothing there: answered at once, empty
    poll = asyncio.create_task(bot.get_updates(timeout=60))
    await emulator.wait_for(lambda: emulator.polls == 2)
    await bot.get_me()  # a later call is answered while the poll still waits
    assert not poll.done()
    await emulator.send_text(USER, "hallo")
    # The update ends the poll, long before its 60 s (the 10 s only guard against a hang).
    [update] = await asyncio.wait_for(poll, timeout=10)
    assert update.message.text == "hallo"


async def test_stopping_ends_a_waiting_long_poll(bot: Bot) -> None:
    emulator = BotApiEmulator()
    await emulator.start()
    async with Bot(token="123:ABC", base_url=emulator.base_url) as polling_bot:
        poll = asyncio.create_task(polling_bot.get_updates(timeout=60))
        await emulator.wait_for(lambda: emulator.polls == 1)
        assert not poll.done()
        await emulator.stop()
        # Answered (empty) by the stop, long before its 60 s: the 10 s only guard a hang.
        assert await asyncio.wait_for(poll, timeout=10) == ()


class WebhookReceiver:
    """A stand-in for a bot's webhook server: records what is posted, answers ``status``."""

    def __init__(self) -> None:
        self.posts: list[tuple[str | None, dict]] = []  # (secret header, update JSON)
        self.status = 200
        self.port = free_port()  # listened on only when started
        self._runner: web.AppRunner | None = None

    async def _receive(self, request: web.Request) -> web.Response:
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        self.posts.append((secret, await request.json()))
        return web.Response(status=self.status)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self._receive)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        await self._runner.cleanup()


async def test_a_webhook_gets_each_update_posted_with_the_secret_once_it_listens(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    receiver = WebhookReceiver()
    url = f"http://127.0.0.1:{receiver.port}/hook"
    assert await bot.set_webhook(url, secret_token="geheim_1-2", allowed_updates=["message"])
    assert emulator.webhooks_set == 1
    await emulator.send_text(USER, "een")

    async def first_error() -> WebhookInfo:
        while not (info := await bot.get_webhook_info()).last_error_message:
            await asyncio.sleep(0.05)
        return info

    info = await asyncio.wait_for(first_error(), timeout=10)
    assert (info.url, info.pending_update_count) == (url, 1)
    assert info.last_error_message.startswith("Connection failed")  # nobody listens yet

    await receiver.start()
    try:
        await emulator.send_text(USER, "twee")
        await emulator.send_text(USER + 1, "drie")
        await emulator.wait_for(lambda: len(receiver.posts) == 3)
        assert {secret for secret, _ in receiver.posts} == {"geheim_1-2"}
        mine = [
            u["message"]["text"] for _, u in receiver.posts if u["message"]["chat"]["id"] == USER
        ]
        assert mine == ["een", "twee"]  # one person's updates in order
        assert (await bot.get_webhook_info()).pending_update_count == 0
        with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
            await bot.get_updates()

        receiver.status = 403  # as a webhook with another secret answers
        await emulator.send_text(USER, "vier")
        await emulator.wait_for(lambda: len(receiver.posts) >= 5)  # tried, and tried again
        [waiting] = emulator.pending(USER)
        assert "(webhook: Wrong response from the webhook: 403 Forbidden)" in waiting
        assert [b.method for b in emulator.rule_breaks()] == ["getUpdates"]  # the Conflict
    finally:
        await receiver.stop()

    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()  # polling again; "vier" was dropped


async def test_a_webhook_must_be_on_this_machine(emulator: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="delivers only to"):
        await bot.set_webhook("https://example.org/hook")
    with pytest.raises(BadRequest, match="Secret token contains unallowed characters"):
        await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="geen spaties")
    assert len(emulator.rule_breaks()) == 2 and emulator.webhooks_set == 0


# -- callback queries ------------------------------------------------------------------


async def test_a_callback_query_can_be_answered_once(emulator: BotApiEmulator, bot: Bot) -> None:
    await started_chat(emulator, bot)
    await bot.send_message(USER, "Kies", reply_markup=keyboard("Ja"))
    query = await emulator.tap(USER, "Ja")
    assert await bot.answer_callback_query(query.id, text="Genoteerd") is True
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query.id)
    assert emulator.callback_answers(USER) == ["Genoteerd"]
    assert [b.method for b in emulator.rule_breaks()] == ["answerCallbackQuery"]


async def test_unanswered_callback_queries_become_rule_breaks_after_10_s(
    emulator: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    await started_chat(emulator, bot)
    await bot.send_message(USER, "Kies", reply_markup=keyboard("Ja", "Nee"))
    query = await emulator.tap(USER, "Nee")
    assert emulator.unanswered_callback_queries() == [query]
    clock.now += 9
    assert emulator.rule_breaks() == []
    clock.now += 2
    [overdue] = emulator.rule_breaks()
    assert "not answered after 11.0 s" in str(overdue)
    with pytest.raises(AssertionError, match="broke 1 Bot API rule"):
        emulator.assert_no_rule_breaks()

    await bot.answer_callback_query(query.id)  # late, but Telegram still accepts it
    assert emulator.unanswered_callback_queries() == []
    assert "answered after 11.0 s" in str(emulator.rule_breaks()[0])


async def test_taps_a_killed_bot_had_taken_are_lost_with_it(
    emulator: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    await started_chat(emulator, bot)
    await bot.send_message(USER, "Kies", reply_markup=keyboard("Ja", "Nee"))
    taken = await emulator.tap(USER, "Ja")
    [update] = await bot.get_updates()
    await bot.get_updates(offset=update.update_id + 1)  # confirmed: Telegram forgets it
    fetched = await emulator.tap(USER, "Nee")
    await bot.get_updates()  # fetched, not confirmed: Telegram sends it again
    emulator.bot_killed()
    assert emulator.unanswered_callback_queries() == [fetched]
    assert emulator.pending(USER) == [f"callback query {fetched.id} (data 'nee') not answered"]
    clock.now += 11
    [overdue] = emulator.rule_breaks()
    assert f"callback query {fetched.id}" in str(overdue) and taken.id not in str(overdue)


async def test_a_restarted_bot_may_once_redo_what_the_killed_one_did(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    """A bot killed right after it took a message's buttons away cannot have noted that; its
    next process takes them away again: refused as not modified, once, but no rule break."""
    await started_chat(emulator, bot)
    choice = await bot.send_message(USER, "Kies", reply_markup=keyboard("Ja"))
    await bot.edit_message_reply_markup(USER, choice.message_id)
    later = await bot.send_message(USER, "Nog een", reply_markup=keyboard("Nee"))
    record = emulator.bot_messages(USER)[-1]
    assert not emulator.left_by_a_kill(record)
    emulator.bot_killed()
    assert emulator.left_by_a_kill(record)
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_reply_markup(USER, choice.message_id)
    assert emulator.rule_breaks() == []
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_reply_markup(USER, choice.message_id)
    assert [b.method for b in emulator.rule_breaks()] == ["editMessageReplyMarkup"]
    await bot.edit_message_text("Nog een, anders", USER, later.message_id)
    assert not emulator.left_by_a_kill(record)  # changed since: this process knows it


async def test_tap_explains_which_buttons_are_visible(emulator: BotApiEmulator, bot: Bot) -> None:
    await started_chat(emulator, bot)
    await bot.send_message(USER, "Kies", reply_markup=keyboard("Score 1", "Score 2"))
    with pytest.raises(
        AssertionError, match=r"(?s)no inline button 'Stop'.*\[Score 1\] \| \[Score 2\]"
    ):
        await emulator.tap(USER, "Stop")
    with pytest.raises(AssertionError, match="matches several buttons"):
        await emulator.tap(USER, "score")
    stale = await emulator.tap_data(USER, 2, "vraag:999")
    assert stale.data == "vraag:999" and stale.message_id == 2


# -- files -----------------------------------------------------------------------------


async def test_send_document_keeps_filename_content_and_caption(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    await started_chat(emulator, bot)
    content = b"naam;score\nAnna;4\n"
    sent = await bot.send_document(
        USER, content, filename="scorelijst.csv", caption="<i>Jouw</i> lijst", parse_mode="HTML"
    )
    assert (sent.document.file_name, sent.document.file_size) == ("scorelijst.csv", len(content))
    assert sent.caption == "Jouw lijst"
    record = emulator.bot_messages(USER)[-1]
    assert (record.document.filename, record.document.content) == ("scorelijst.csv", content)
    assert record.caption == "Jouw lijst" and record.html == "<i>Jouw</i> lijst"
    downloaded = await (await bot.get_file(sent.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == content


async def test_caption_over_1024_is_refused(emulator: BotApiEmulator, bot: Bot) -> None:
    await started_chat(emulator, bot)
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(USER, b"png", caption="x" * 1025)
    assert len(emulator.rule_breaks()) == 1


async def test_the_bot_can_download_a_users_photo(emulator: BotApiEmulator, bot: Bot) -> None:
    await emulator.send_photo(USER, caption="mijn lijst", content=b"\xff\xd8jpeg")
    [update] = await bot.get_updates()
    assert update.message.caption == "mijn lijst"
    photo_file = await bot.get_file(update.message.photo[-1].file_id)
    assert bytes(await photo_file.download_as_bytearray()) == b"\xff\xd8jpeg"


async def test_users_send_locations_contacts_and_files_and_may_have_no_name(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    await emulator.send_location(USER, 52.37, 4.89, first_name="")
    await emulator.send_contact(USER, "+31201234567", "Kim", contact_user_id=77)
    await emulator.send_document(
        USER, filename="lijst.txt", content=b"mijn lijst", mime_type="text/plain", caption="hier"
    )
    location, contact, document = [u.message for u in await bot.get_updates()]
    assert location.from_user.first_name == "" and location.chat.first_name == ""
    assert (location.location.latitude, location.location.longitude) == (52.37, 4.89)
    assert (contact.contact.phone_number, contact.contact.first_name) == ("+31201234567", "Kim")
    assert contact.contact.user_id == 77
    assert (document.document.file_name, document.caption) == ("lijst.txt", "hier")
    downloaded = await (await bot.get_file(document.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == b"mijn lijst"
    assert "[location 52.37, 4.89]" in emulator.transcript(USER)


async def test_edits_and_channel_posts_come_only_to_a_bot_that_asks_for_them(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    sent = await emulator.send_text(USER, "3", first_name="Anna")
    await emulator.edit_text(USER, sent.message_id, "2")
    await emulator.send_channel_post(-1001, "/start nieuws")
    updates = await bot.get_updates()
    assert [u.message.text for u in updates if u.message] == ["3"]  # the text as sent
    edited = updates[1].edited_message
    assert (edited.message_id, edited.text, edited.from_user.first_name) == (1, "2", "Anna")
    assert edited.edit_date is not None
    post = updates[2].channel_post
    assert (post.chat.type, post.text, post.from_user) == ("channel", "/start nieuws", None)
    assert post.sender_chat.id == -1001

    await emulator.edit_text(USER, sent.message_id, "4")
    await emulator.send_channel_post(-1001, "meer nieuws")
    await emulator.send_text(USER, "klaar")
    offset = updates[-1].update_id + 1
    later = await bot.get_updates(offset=offset, allowed_updates=["message", "callback_query"])
    assert [u.message.text for u in later] == ["klaar"]
    assert emulator.pending(USER) == []  # nothing left that the bot will ever get


# -- simulated failures and flood limits -----------------------------------------------


async def test_fail_next_simulates_flood_control_and_bad_gateway(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    await started_chat(emulator, bot)
    emulator.fail_next("sendMessage", retry_after=3)
    emulator.fail_next("sendmessage", error_code=502)
    with pytest.raises(RetryAfter, match="Retry in 3 seconds"):
        await bot.send_message(USER, "een")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(USER, "twee")
    await bot.send_message(USER, "drie")
    assert [m.text for m in emulator.bot_messages(USER)] == ["drie"]
    emulator.assert_no_rule_breaks()  # simulated conditions are not the bot's fault


async def test_injected_faults_fail_calls_at_random_in_three_kinds(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    await started_chat(emulator, bot)
    emulator.inject_faults(0.5, seed=3, retry_after=2, delay=(0.2, 0.3))
    outcomes = []
    for number in range(20):
        before = dict(emulator.faults_injected), len(emulator.bot_messages(USER))
        call = asyncio.create_task(bot.send_message(USER, f"bericht {number}"))
        # Wait until the emulator drew a fault for the call or handled it.
        await emulator.wait_for(
            lambda: (emulator.faults_injected, len(emulator.bot_messages(USER))) != before  # noqa: B023
        )
        if emulator.faults_injected["delay"] > before[0]["delay"]:
            # A delay was drawn and the message is not there yet: it comes after the wait.
            assert len(emulator.bot_messages(USER)) == before[1] and not call.done()
            await call
            outcomes.append("delay")
            continue
        try:
            await call
        except RetryAfter as error:
            assert error.retry_after == 2
            outcomes.append("retry_after")
        except NetworkError as error:
            assert "Internal Server Error" in str(error)
            outcomes.append("server_error")
        else:
            outcomes.append("sent")
    counts = emulator.faults_injected
    assert counts == {
        kind: outcomes.count(kind) for kind in ("retry_after", "server_error", "delay")
    }
    assert all(counts.values()) and "sent" in outcomes  # every kind, and calls that went through
    # A delayed call is handled after its wait; the failed ones had no effect.
    sent = [f"bericht {n}" for n, outcome in enumerate(outcomes) if outcome in ("sent", "delay")]
    assert [m.text for m in emulator.bot_messages(USER)] == sent
    emulator.assert_no_rule_breaks()  # simulated conditions are not the bot's fault

    emulator.stop_faults()
    for number in range(10):
        await bot.send_message(USER, f"daarna {number}")
    assert emulator.faults_injected == counts
    assert len(emulator.bot_messages(USER)) == len(sent) + 10


async def test_injected_faults_replay_with_the_same_seed_and_spare_other_methods(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    await started_chat(emulator, bot)

    async def run() -> list[str]:
        emulator.inject_faults(0.5, methods=["getMe"], seed=11, delay=(0.0, 0.0))
        outcomes = []
        for _ in range(20):
            try:
                await bot.get_me()
                outcomes.append("ok")
            except (RetryAfter, NetworkError) as error:
                outcomes.append(type(error).__name__)
        return outcomes

    first = await run()
    assert await run() == first
    assert {"ok", "RetryAfter", "NetworkError"} <= set(first)
    for number in range(10):  # not in ``methods``: never fails
        await bot.send_message(USER, f"bericht {number}")
    with pytest.raises(ValueError, match="unknown Bot API method"):
        emulator.inject_faults(0.1, methods=["sendMesage"])
    with pytest.raises(ValueError, match="probability"):
        emulator.inject_faults(1.5)


async def test_a_call_tried_again_fails_at_most_so_many_times_in_a_row(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    await started_chat(emulator, bot)
    emulator.inject_faults(1.0, seed=7, at_most_in_a_row=2, delay=(0.0, 0.0))
    outcomes = []
    for _ in range(12):
        try:
            await bot.send_message(USER, "steeds hetzelfde")
            outcomes.append("sent")
        except (RetryAfter, NetworkError):
            outcomes.append("failed")
    # Every draw is a fault; the delays (no failure) go through, and the rest go through
    # after two failures in a row.
    runs = "".join("x" if outcome == "failed" else "." for outcome in outcomes).split(".")
    assert max(len(run) for run in runs) == 2
    with pytest.raises((RetryAfter, NetworkError)):
        for number in range(10):  # other calls: each starts anew
            await bot.send_message(USER, f"bericht {number}")


async def test_a_slow_answer_counts_when_the_bot_sent_the_message(
    emulator: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    """The flood limit is about the bot's pace: a message Telegram is slow to handle does not
    add to a later second."""
    await started_chat(emulator, bot)
    emulator.inject_faults(1.0, seed=0, at_most_in_a_row=0, delay=(1.0, 1.0))  # only slow
    first = [asyncio.create_task(bot.send_message(USER, f"een {n}")) for n in range(30)]
    await emulator.wait_for(
        lambda: emulator.faults_injected["delay"] + len(emulator.bot_messages(USER)) == 30
    )
    assert 0 < emulator.faults_injected["delay"] < 30  # some are still being handled
    emulator.stop_faults()
    clock.now += 1.5
    await asyncio.gather(*(bot.send_message(USER, f"twee {n}") for n in range(30)), *first)
    assert emulator.rule_breaks() == []


async def test_the_flood_limit_can_be_raised(clock: FakeClock) -> None:
    async with (
        BotApiEmulator(clock=clock, messages_per_second=50) as emulator,
        Bot(token="123:ABC", base_url=emulator.base_url) as bot,
    ):
        await started_chat(emulator, bot)
        for number in range(50):
            await bot.send_message(USER, f"bericht {number}")
        assert emulator.rule_breaks() == []
        await bot.send_message(USER, "een te veel")
        [rule_break] = emulator.rule_breaks()
        assert "more than 50 messages overall within one second" in rule_break.description


async def test_too_many_messages_to_a_group_are_recorded(
    emulator: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    await emulator.send_group_text(-100, USER, "/start")
    for number in range(21):
        clock.now += 2  # 21 messages in 42 s: fine overall, too many for one group
        await bot.send_message(-100, f"bericht {number}")
    [rule_break] = emulator.rule_breaks()
    assert "more than 20 messages to group chat -100" in rule_break.description


async def test_more_than_30_messages_in_one_second_are_recorded_once(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    await started_chat(emulator, bot)
    for number in range(32):  # the fake clock stands still: all within one second
        await bot.send_message(USER, f"bericht {number}")
    [rule_break] = emulator.rule_breaks()
    assert "more than 30 messages overall within one second" in rule_break.description
    assert len(emulator.bot_messages(USER)) == 32  # recorded, not refused


async def test_the_busiest_second_counts_sends_and_edits_in_any_second(
    emulator: BotApiEmulator, bot: Bot, clock: FakeClock
) -> None:
    await started_chat(emulator, bot)
    assert emulator.busiest_second == 0
    first = await bot.send_message(USER, "een")
    await bot.send_message(USER, "twee")
    clock.now += 0.6
    await bot.edit_message_text("een, anders", USER, first.message_id)
    await bot.send_message(USER, "drie")  # 4 within 0.6 s
    clock.now += 0.6
    await bot.send_message(USER, "vier")  # 1.2 s after the first two: 3 in this second
    await bot.send_chat_action(USER, "typing")  # shows nothing: not a message
    assert emulator.busiest_second == 4


async def test_group_privacy_mode_delivers_only_commands_and_mentions(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    await emulator.send_group_text(-100, USER, "gewoon gepraat")
    await emulator.send_group_text(-100, USER, "/start@een_andere_bot")
    await emulator.send_group_text(-100, USER, "/score")
    await emulator.send_group_text(-100, USER, "hoi @scorelijst_emulator_bot")
    updates = await bot.get_updates()
    assert [u.message.text for u in updates] == ["/score", "hoi @scorelijst_emulator_bot"]
    assert updates[0].message.chat.type == "group"
    assert len(emulator.messages(-100)) == 4


# -- the user's side: waiting for a real bot application -------------------------------


async def start_handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text("Welkom! Klaar?", reply_markup=keyboard("Ja", "Nee"))


async def button_handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer(f"Gekozen: {query.data}")
    await asyncio.sleep(0.1)  # some work between the answer and the edit
    await query.edit_message_text(f"Je koos {query.data}.")


@pytest.fixture
async def running_bot(emulator: BotApiEmulator):
    application = (
        Application.builder()
        .token("123:ABC")
        .base_url(emulator.base_url)
        .base_file_url(emulator.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", start_handler))
    application.add_handler(CallbackQueryHandler(button_handler))
    async with application:
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=5)
        yield application
        await application.updater.stop()
        await application.stop()


async def test_wait_idle_returns_what_the_bot_sent_or_edited(
    emulator: BotApiEmulator, running_bot: Application
) -> None:
    events = emulator.subscribe()
    await emulator.send_text(USER, "/start")
    [welcome] = await emulator.wait_idle(USER)
    assert welcome.text == "Welkom! Klaar?" and welcome.buttons == [
        [("Ja", "ja")],
        [("Nee", "nee")],
    ]
    assert await emulator.wait_idle(USER) == []  # nothing new since the previous wait

    await emulator.tap(USER, "Nee")
    [edited] = await emulator.wait_idle(USER)
    assert edited is welcome and edited.text == "Je koos nee." and edited.buttons == []
    assert emulator.callback_answers(USER) == ["Gekozen: nee"]
    kinds = [events.get_nowait().kind for _ in range(events.qsize())]
    assert kinds == [EventKind.MESSAGE_SENT, EventKind.CALLBACK_ANSWERED, EventKind.MESSAGE_EDITED]
    emulator.assert_no_rule_breaks()


async def test_wait_for_rechecks_on_every_change_and_dumps_the_chat_on_timeout(
    emulator: BotApiEmulator, bot: Bot
) -> None:
    await started_chat(emulator, bot)
    later = asyncio.create_task(bot.send_message(USER, "Je score: 4"))
    await emulator.wait_for(lambda: len(emulator.bot_messages(USER)) == 1, timeout=3)
    await later
    with pytest.raises(AssertionError, match=r"(?s)still false after 0.2 s.*#2 bot: Je score: 4"):
        await emulator.wait_for(lambda: False, timeout=0.2, chat_id=USER)


async def test_wait_idle_times_out_with_the_reason_when_nobody_polls(
    emulator: BotApiEmulator,
) -> None:
    await emulator.send_text(USER, "/start")
    with pytest.raises(AssertionError, match=r"(?s)not yet fetched by the bot.*#1 Anna: /start"):
        await emulator.wait_idle(USER, timeout=0.3)


# -- HTTP test API and raw HTTP ---------------------------------------------------------


async def test_http_test_api_acts_and_reports(emulator: BotApiEmulator, bot: Bot) -> None:
    base = f"http://127.0.0.1:{emulator.port}"
    async with aiohttp.ClientSession(base) as http:
        async with http.post(f"/_emulator/users/{USER}/text", json={"text": "/start"}) as answer:
            assert answer.status == 200 and (await answer.json())["text"] == "/start"
        await bot.send_message(USER, "Kies", reply_markup=keyboard("Ja"))
        async with http.post(f"/_emulator/users/{USER}/tap", json={"label": "Ja"}) as answer:
            assert (await answer.json())["data"] == "ja"
        async with http.post(f"/_emulator/users/{USER}/tap", json={"label": "Nee"}) as answer:
            assert answer.status == 400 and "no inline button" in (await answer.json())["error"]
        async with http.get(f"/_emulator/chats/{USER}/messages") as answer:
            messages = await answer.json()
        assert [(m["from_bot"], m["text"]) for m in messages] == [(False, "/start"), (True, "Kies")]
        assert messages[1]["buttons"] == [[["Ja", "ja"]]]

        async with http.post("/bot123:ABC/frobnicate", json={"chat_id": USER}) as answer:
            assert answer.status == 404
            assert await answer.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
        async with http.post(
            "/bot123:ABC/SENDMESSAGE", json={"chat_id": USER, "text": "2"}
        ) as answer:
            assert (await answer.json())["result"]["text"] == "2"
        async with http.get("/_emulator/rule-breaks") as answer:
            assert [b["method"] for b in await answer.json()] == ["frobnicate"]


def test_html_offsets_count_utf16_units_around_plain_text_and_a_bare_ampersand():
    # 😀 and 𝄞 are two UTF-16 units each; a "&" that starts no reference stays as it is.
    assert format_text("😀 <b>Zeer & waar</b> &amp; é 𝄞<i>x</i>", "HTML") == FormattedText(
        "😀 Zeer & waar & é 𝄞x",
        (
            {"type": "bold", "offset": 3, "length": 11},
            {"type": "italic", "offset": 21, "length": 1},
        ),
    )

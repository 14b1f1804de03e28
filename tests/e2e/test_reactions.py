"""A reaction from a trusted colleague, through the emulator with two and three people: asking
for it, sharing the link, the colleague's side (new to the bot or not), the reaction arriving
at once and beside the profile in the overview, and every way a link can fail."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from emulator import MessageRecord
from tests.e2e.conftest import Person, rows

LINK = re.compile(r"https://t\.me/scorelijst_emulator_bot\?start=(r-[A-Za-z0-9_-]{22})\b")
DEAD = (
    "Deze link werkt niet. Misschien is hij te oud, al gebruikt of ingetrokken.\n"
    "Vraag wie je de link stuurde om een nieuwe."
)
REMARK = "Je bent <b>sterk</b> in gesprekken & je luistert. Zie https://example.org"


async def fill_in(person: Person) -> None:
    """Lef (1 of 4 Zeer/Meestal waar: to grow), Netwerken (4 of 4: suits) and Samenwerken
    (3 of 4: suits), picked by the person, who then gets their overview."""
    await person.send("/start", until="Zelf kiezen")
    await person.tap("Zelf kiezen", until="Klaar, begin maar")
    for name in ("Lef", "Netwerken", "Samenwerken"):
        await person.tap(f"⬜ {name}", until=f"✅ {name}")
    await person.tap("Klaar, begin maar", until="totaal 1 van 12")
    answers = ["Niet waar", "Beetje waar", "Zeer waar", "Niet waar"]  # Lef
    answers += ["Zeer waar"] * 4  # Netwerken
    answers += ["Meestal waar", "Zeer waar", "Beetje waar", "Zeer waar"]  # Samenwerken
    for number, label in enumerate(answers, 1):
        await person.answer(label, until="Wie kan je daarbij helpen?" if number == 12 else None)


def photo_of(person: Person) -> MessageRecord:
    return [m for m in person.messages if m.attachment is not None and m.caption][-1]


async def ask_link(person: Person, *, answers: bool = False) -> str:
    """From the overview: the explanation, (the single answers too,) make a link. Returns the
    start parameter of the link, r-<code>."""
    await person.tap("💬 Vraag een reactie", photo_of(person).message_id, until="Wil je een link")
    screen = person.seen[-1]
    if answers:
        await person.tap("⬜ Ook mijn antwoord", screen.message_id, until="• je antwoord bij elke")
    await person.tap("Ja, maak een link", screen.message_id, until="Je link is klaar")
    (payload,) = LINK.findall(screen.text)
    return payload


async def ask_from_list(person: Person) -> str:
    """/reactie, "Vraag een reactie", make a link: a second link (the overview's button is a
    screen button, so a second tap on it within seconds counts as a double tap)."""
    (listed,) = await person.send("/reactie", until="Reacties van anderen")
    await person.tap("💬 Vraag een reactie", listed.message_id, until="Wil je een link")
    screen = person.seen[-1]
    await person.tap("Ja, maak een link", screen.message_id, until="Je link is klaar")
    (payload,) = LINK.findall(screen.text)
    return payload


async def open_link(colleague: Person, payload: str) -> list[MessageRecord]:
    return await colleague.send(f"/start {payload}", until="Wil je meedoen?")


async def react(colleague: Person, *, remark: str | None = None) -> None:
    """Ja, Deels, Lef and Netwerken, Samenwerken to grow, the remark (or none), send."""
    await colleague.tap("Ja, ik doe mee", until="Vraag 1 van 4")
    await colleague.tap("Deels", until="Vraag 2 van 4")
    await colleague.tap("⬜ Lef", until="✅ Lef")
    await colleague.tap("⬜ Netwerken", until="✅ Netwerken")
    await colleague.tap("Klaar, volgende", until="Vraag 3 van 4")
    await colleague.tap("⬜ Samenwerken", until="✅ Samenwerken")
    await colleague.tap("Klaar, volgende", until="Vraag 4 van 4")
    if remark is None:
        await colleague.tap("Overslaan", until="Klopt alles?")
    else:
        await colleague.send(remark, until="Klopt alles?")
    await colleague.tap("✅ Versturen", until="Verstuurd.")


def live_with(text: str):
    """Until: a message with buttons that says ``text`` arrived (not one that lost them)."""
    return lambda new: any(text in (m.text or "") and m.buttons for m in new)


def files(db_path) -> bytes:
    wal = db_path.with_name(db_path.name + "-wal")
    return db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def test_a_colleague_new_to_the_bot_reacts_and_the_person_sees_it_at_once_and_beside(
    anna, emulator, db_path, bot_log
):
    await fill_in(anna)
    # What the colleague will see, said before a link is made.
    await anna.tap("💬 Vraag een reactie", photo_of(anna).message_id, until="Wil je een link")
    screen = anna.seen[-1]
    for line in (
        "• je voornaam",
        "• het plaatje van je overzicht: per competentie hoe die je ligt",
        "Je antwoord bij elke zin en je leerpunten ziet die persoon niet.",
        "Jij ziet de voornaam en de antwoorden van die persoon.",
    ):
        assert line in screen.text
    await anna.tap("Ja, maak een link", screen.message_id, until="Je link is klaar")
    (payload,) = LINK.findall(screen.text)
    # The share sheet opens with the link; the link is there to copy as well.
    ((share_label, _),) = screen.buttons[0]
    assert share_label == "📤 Delen"
    share = screen.reply_markup["inline_keyboard"][0][0]["url"]
    assert urlsplit(share)[:3] == ("https", "t.me", "/share/url")
    assert parse_qs(urlsplit(share).query)["url"] == [
        f"https://t.me/scorelijst_emulator_bot?start={payload}"
    ]
    assert f"<code>https://t.me/scorelijst_emulator_bot?start={payload}</code>" in screen.html

    bo = Person(emulator, 2002, "Bo")  # never used the bot
    (intro,) = await open_link(bo, payload)
    assert "Annadorothea vraagt je om een reactie" in intro.text
    assert "Annadorothea ziet je voornaam en je antwoorden." in intro.text
    assert intro.button_labels == ["Ja, ik doe mee", "Nee, liever niet"]

    await bo.tap("Ja, ik doe mee", until="Vraag 1 van 4")
    picture = photo_of(bo)
    assert picture.attachment.content.startswith(b"\x89PNG")
    assert "Zo ziet Annadorothea zichzelf" in picture.caption
    assert "Dit ligt Annadorothea goed: Netwerken en Samenwerken." in picture.caption
    assert "Hier kan Annadorothea nog groeien: Lef." in picture.caption
    assert picture.button_labels == []  # single answers not shared
    assert bo.last.button_labels == ["Ja", "Deels", "Nee"]
    await bo.tap("Deels", until="Vraag 2 van 4")
    await bo.tap("⬜ Lef", until="✅ Lef")
    await bo.tap("Klaar, volgende", until=lambda new: True)  # one pick: not yet
    assert "Kies er 2." in emulator.callback_answers(bo.user_id)[-1]
    await bo.tap("⬜ Netwerken", until="✅ Netwerken")
    await bo.tap("⬜ Communicatie", until=lambda new: True)
    assert "Je hebt er al 2." in emulator.callback_answers(bo.user_id)[-1]
    await bo.tap("Klaar, volgende", until="Vraag 3 van 4")
    # Lef and Netwerken are picked already: the other ten to grow in.
    assert "⬜ Lef" not in bo.last.button_labels and len(bo.last.button_labels) == 11
    await bo.tap("⬜ Samenwerken", until="✅ Samenwerken")
    await bo.tap("Klaar, volgende", until="Vraag 4 van 4")
    await bo.send(REMARK, until="Klopt alles?")
    review = bo.last
    assert "Je bericht: " + REMARK in review.text  # shown as typed, as text
    assert "&lt;b&gt;sterk&lt;/b&gt;" in review.html
    arrived = await bo.tap("✅ Versturen", until="Verstuurd.")
    assert "Wil je de scorelijst zelf ook invullen? Typ /start." in arrived[-1].text

    # The person who asked: a message at once, the remark as text, no link previews.
    await emulator.wait_for(lambda: "Bo heeft gereageerd" in anna.last.text, timeout=30)
    message = anna.last
    for line in (
        "Herkent Bo je beeld? Deels.",
        "Dit past volgens Bo het best bij je: Lef en Netwerken.",
        "Daarover zijn jullie het eens: Netwerken.",
        "Dit ziet Bo in je, en jij zelf nog niet zo: Lef.",
        "Hierin kun je volgens Bo nog groeien: Samenwerken.",
        "Bo schreef: " + REMARK,
    ):
        assert line in message.text
    assert "Dat vind je zelf ook." not in message.text  # Samenwerken suits Anna
    assert "&lt;b&gt;sterk&lt;/b&gt;" in message.html and "<a " not in message.html
    assert message.link_preview_options == {"is_disabled": True}

    # The overview: the picks in the picture's words, and a detail beside the profile.
    await anna.send("/overzicht", until="Wie kan je daarbij helpen?")
    photo = photo_of(anna)
    assert "★ Volgens Bo past dit het best bij je: Lef en Netwerken." in photo.caption
    assert "↗ Hierin kun je volgens Bo nog groeien: Samenwerken." in photo.caption
    (detail,) = await anna.tap("👥 Reacties", photo.message_id, until="Wat anderen in je zien")
    assert "Daarover zijn jullie het eens: Netwerken." in detail.text
    assert len(detail.text) <= 1500

    # The code is nowhere in the database, nothing of the reaction in the log.
    assert payload[2:].encode() not in files(db_path)
    assert rows(db_path, "SELECT status, recognises, suits_best FROM reaction_requests") == [
        ("answered", "partly", "lef,netwerken")
    ]
    log = bot_log.read_text()
    assert payload[2:] not in log and "sterk" not in log and "Bo" not in log


async def test_saying_no_tells_the_person_without_a_name_and_uses_the_link_up(anna, emulator):
    await fill_in(anna)
    payload = await ask_link(anna)
    bo, chris = Person(emulator, 2002, "Bo"), Person(emulator, 3003, "Chris")
    await open_link(bo, payload)
    (said,) = await bo.tap("Nee, liever niet", until="je doet niet mee")
    assert "We sturen Annadorothea niets over jou." in said.text
    await emulator.wait_for(lambda: "Iemand opende je link" in anna.last.text, timeout=30)
    assert "Bo" not in anna.last.text
    (dead,) = await chris.send(f"/start {payload}", until="Deze link werkt niet")
    assert dead.text == DEAD
    (again,) = await bo.send(f"/start {payload}", until="Deze link werkt niet")
    assert again.text == DEAD


async def test_a_colleague_who_stops_goes_on_with_the_same_link(anna, emulator, db_path):
    await fill_in(anna)
    payload = await ask_link(anna)
    bo = Person(emulator, 2002, "Bo")
    await open_link(bo, payload)
    await bo.tap("Ja, ik doe mee", until="Vraag 1 van 4")
    await bo.tap("Ja", until="Vraag 2 van 4")
    await bo.tap("⬜ Lef", until="✅ Lef")
    old = bo.last
    await bo.send("/help", until="Zo werkt het")  # away for a while
    back = await bo.send(f"/start {payload}", until=live_with("Vraag 2 van 4"))
    assert old.buttons == []  # the old step lost its buttons: one live message
    assert any(m.caption and "Zo ziet Annadorothea zichzelf" in m.caption for m in back)
    assert "✅ Lef" in bo.last.button_labels  # where Bo was
    await bo.tap("⬜ Netwerken", until="✅ Netwerken")
    await bo.tap("Klaar, volgende", until="Vraag 3 van 4")
    await bo.tap("Overslaan", until="Vraag 4 van 4")
    await bo.tap("Overslaan", until="Klopt alles?")
    await bo.tap("✅ Versturen", until="Verstuurd.")
    await emulator.wait_for(lambda: "Bo heeft gereageerd" in anna.last.text, timeout=30)
    assert "Herkent Bo je beeld? Ja." in anna.last.text
    assert "groeien" not in anna.last.text and "schreef" not in anna.last.text
    # the same link once more: thanks, nothing else
    (thanks,) = await bo.send(f"/start {payload}", until="Je hebt al gereageerd")
    assert thanks.text == "Je hebt al gereageerd. Dank je wel!"
    assert rows(db_path, "SELECT could_grow, remark FROM reaction_requests") == [(None, None)]


async def test_used_forged_expired_and_withdrawn_links_get_one_kind_message(anna, emulator, clock):
    await fill_in(anna)
    used = await ask_link(anna)
    expiring, withdrawn = await ask_from_list(anna), await ask_from_list(anna)
    bo, chris = Person(emulator, 2002, "Bo"), Person(emulator, 3003, "Chris")
    await open_link(bo, used)  # Bo opened it first: it is Bo's
    (own,) = await anna.send(f"/start {expiring}", until="eigen link")
    assert own.text.startswith("Dit is je eigen link.")

    # At most 5 links that work; /reactie lists them, each with a button to take it back.
    await ask_from_list(anna)
    await ask_from_list(anna)
    (listed,) = await anna.send("/reactie", until="Reacties van anderen")
    assert "Je links (5 van de 5):" in listed.text
    assert "1. Gemaakt op " in listed.text and "Iemand is bezig met reageren." in listed.text
    assert listed.text.count("Nog niet geopend.") == 4
    assert "💬 Vraag een reactie" not in listed.button_labels
    assert "Je hebt 5 links die nog werken." in listed.text
    await anna.tap("Link 3 intrekken", listed.message_id, until="De link is ingetrokken")
    assert "Je links (4 van de 5):" in listed.text
    assert "💬 Vraag een reactie" in listed.button_labels

    forged = "r-" + "A" * 22
    said = []
    for payload in (used, forged, withdrawn, "r-", "r-" + "x" * 40):
        (answer,) = await chris.send(f"/start {payload}", until="Deze link werkt niet")
        said.append(answer.text)
    clock.advance(timedelta(days=30, seconds=1))
    (answer,) = await chris.send(f"/start {expiring}", until="Deze link werkt niet")
    said.append(answer.text)
    assert said == [DEAD] * 6
    # Bo, halfway on a link that expired meanwhile: the button says so and goes.
    intro = [m for m in bo.messages if m.buttons][-1]
    await bo.tap("Ja, ik doe mee", intro.message_id, until=lambda new: intro in new)
    assert emulator.callback_answers(bo.user_id)[-1] == "Deze link werkt niet meer."
    assert intro.buttons == []
    (listed,) = await anna.send("/reactie", until="Reacties van anderen")
    assert "Je links" not in listed.text


async def test_a_colleague_who_uses_the_bot_too_shares_answers_and_typing(anna, emulator, db_path):
    """Chris has a statement of his own open: his typed answers stay his, and only while the
    remark is asked does typed text become the remark. Anna shares her single answers."""
    await fill_in(anna)
    payload = await ask_link(anna, answers=True)
    chris = Person(emulator, 3003, "Chris")
    await chris.send("/start", until="Zelf kiezen")
    await chris.tap("Alle 12 competenties", until="totaal 1 van 48")
    await open_link(chris, payload)
    await chris.tap("Ja, ik doe mee", until="Vraag 1 van 4")
    picture = photo_of(chris)
    assert picture.button_labels == ["📝 Antwoorden van Annadorothea"]
    # the answers, and the question again below them, with the live buttons
    shown = await chris.tap(
        "📝 Antwoorden van Annadorothea", picture.message_id, until=live_with("Vraag 1 van 4")
    )
    shown = [m for m in shown if m.text and "Vraag 1 van 4" not in m.text]
    assert [m for m in chris.messages if m.buttons and "Vraag 1" in (m.text or "")] == [chris.last]
    text = "\n".join(m.text for m in shown)
    assert (
        "• Ik vind het leuk om vaste gewoontes of patronen te doorbreken. (Niet waar, leerpunt)"
        in text
    )
    assert all(len(m.text) <= 1500 for m in shown)
    await chris.tap("Nee", until="Vraag 2 van 4")
    await chris.send("2", until="totaal 2 van 48")  # an answer to his own statement
    await chris.tap("⬜ Creativiteit", until="✅ Creativiteit")
    await chris.tap("⬜ Communicatie", until="✅ Communicatie")
    await chris.tap("Klaar, volgende", until="Vraag 3 van 4")
    await chris.tap("Overslaan", until="Vraag 4 van 4")
    long = "x" * 1001
    (refused,) = await chris.send(long, until="te lang")
    assert "Je bericht heeft 1001 tekens." in refused.text
    await chris.send("meestal waar", until="Klopt alles?")  # the remark, not an answer
    await chris.send("Goed gedaan", until="Je bericht: Goed gedaan")  # a new remark
    review = chris.last
    assert [m for m in chris.messages if "Klopt alles?" in (m.text or "") and m.buttons] == [review]
    (sent,) = await chris.tap("✅ Versturen", review.message_id, until="Verstuurd.")
    assert "Typ /start" not in sent.text  # Chris uses the bot already
    await emulator.wait_for(lambda: "Chris heeft gereageerd" in anna.last.text, timeout=30)
    assert "Herkent Chris je beeld? Nee." in anna.last.text
    assert "Dit ziet Chris in je, en jij zelf nog niet zo: Communicatie en Creativiteit" in (
        anna.last.text
    )
    assert "Chris schreef: Goed gedaan" in anna.last.text
    assert rows(
        db_path,
        "SELECT COUNT(*) FROM answers a JOIN rounds r USING (round_id) WHERE r.user_id = 3003",
    ) == [(1,)]  # "2"; "meestal waar" was the remark


async def test_wis_of_either_person_and_what_each_gets_with_mijngegevens(anna, emulator, db_path):
    await fill_in(anna)
    payload = await ask_link(anna)
    bo, chris = Person(emulator, 2002, "Bo"), Person(emulator, 3003, "Chris")
    await open_link(bo, payload)
    await react(bo, remark="Dank je voor alles")
    await emulator.wait_for(lambda: "Bo heeft gereageerd" in anna.last.text, timeout=30)

    replies = await bo.send("/mijngegevens", until=lambda new: new and new[-1].document)
    given = json.loads(replies[-1].document.content)
    assert given["person"]["first_name"] == "Bo" and given["rounds"] == []
    ((reaction,),) = [given["reactions_given"]]
    assert (reaction["status"], reaction["recognises_the_picture"]) == ("answered", "partly")
    assert reaction["suits_best"] == ["Lef", "Netwerken"]
    assert reaction["could_grow_in"] == ["Samenwerken"]
    assert reaction["remark"] == "Dank je voor alles"
    replies = await anna.send("/mijngegevens", until=lambda new: new and new[-1].document)
    asked = json.loads(replies[-1].document.content)["reaction_requests"]
    assert [r["reaction"]["from"] for r in asked] == ["Bo"]
    assert asked[0]["reaction"]["remark"] == "Dank je voor alles"

    # Bo's /wis: what Bo gave is gone, also for Anna.
    await bo.send("/wis", until="Weet je het zeker?")
    await bo.tap("Ja, wis alles", until="Alles is gewist")
    (listed,) = await anna.send("/reactie", until="Reacties van anderen")
    assert "Reacties die je kreeg:\nNog geen." in listed.text
    await anna.send("/overzicht", until="Wie kan je daarbij helpen?")
    assert "★" not in photo_of(anna).caption
    assert "👥 Reacties" not in photo_of(anna).button_labels
    assert b"Dank je voor alles" not in files(db_path)

    # Anna's /wis: her links stop working.
    second = await ask_from_list(anna)
    await anna.send("/wis", until="Ook je links en reacties")
    await anna.tap("Ja, wis alles", until="Alles is gewist")
    (dead,) = await chris.send(f"/start {second}", until="Deze link werkt niet")
    assert dead.text == DEAD
    assert rows(db_path, "SELECT COUNT(*) FROM reaction_requests") == [(0,)]


async def test_a_person_who_blocked_the_bot_gets_the_reaction_in_the_overview_later(anna, emulator):
    await fill_in(anna)
    payload = await ask_link(anna)
    bo = Person(emulator, 2002, "Bo")
    await open_link(bo, payload)
    emulator.block(anna.user_id)
    await react(bo)  # Bo hears it is sent; nothing fails for Anna's block
    await bo.settle()
    emulator.unblock(anna.user_id)
    assert "Bo heeft gereageerd" not in anna.text()
    await anna.send("/overzicht", until="Wie kan je daarbij helpen?")
    assert "★ Volgens Bo past dit het best bij je: Lef en Netwerken." in photo_of(anna).caption


async def test_forged_reaction_buttons_change_nothing(anna, emulator, db_path):
    """Chris taps data naming a request that is Anna's (being answered by Bo), or that never
    existed: each is refused, nothing in the database changes."""
    await fill_in(anna)
    payload = await ask_link(anna)
    bo, chris = Person(emulator, 2002, "Bo"), Person(emulator, 3003, "Chris")
    await open_link(bo, payload)
    await bo.tap("Ja, ik doe mee", until=live_with("Vraag 1 van 4"))
    await bo.settle()  # the step's message is noted as the live one
    ((request_id,),) = rows(db_path, "SELECT request_id FROM reaction_requests")
    before = rows(db_path, "SELECT * FROM reaction_requests")
    (listed,) = await chris.send("/reactie", until="Reacties van anderen")
    for rid in (request_id, 999):
        for data in (
            f"rj|{rid}|1",
            f"rj|{rid}|0",
            f"rr|{rid}|yes",
            f"rp|{rid}|s|lef|1",
            f"rn|{rid}|picks",
            f"rs|{rid}",
            f"ra|{rid}",
            f"rw|{rid}",
            f"rf|{rid}|ask",
        ):
            await chris.tap_data(listed.message_id, data, until=lambda new: True)
            assert emulator.callback_answers(chris.user_id)[-1] == (
                "Deze knop werkt niet meer. Open de link nog eens om verder te gaan."
            ), data
    assert rows(db_path, "SELECT * FROM reaction_requests") == before
    # Bo's live step still works
    await bo.tap("Ja", until=live_with("Vraag 2 van 4"))

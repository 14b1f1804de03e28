"""Teams as people use them: a coordinator and three members, through the emulator.

The known profiles, and what the digest must say about them, worked out by hand from Bijlage 1
(content/instrument.yaml lists the same):

Ali: Zeer waar to all four statements of Signaleren, Sensitiviteit, Communicatie and Netwerken
(suit her), two Zeer and two Niet waar to Samenwerken (half om half), Niet waar to the rest
(to grow). Her cards: the bot lays out Signaleren, Sensitiviteit, Communicatie (the suiting
ones with most Zeer/Meestal, brochure order) and to grow Lef, Creativiteit, Onderhandelen (to
develop, fewest suiting, brochure order); she swaps Creativiteit for Overtuigingskracht.
  Tasks that fit (more than half of Bijlage 1's competencies suit): 1.1 (3 of 3), 1.2 (3 of 4:
  Samenwerken is only half), 1.3 (4 of 5), 2.3 (3 of 5), 3.3 (4 of 5). Not 2.1 (1 of 4), 4.1
  (2 of 5), nor any other.
Bo: Zeer waar to Onderhandelen, Overtuigingskracht, Zelfreflectie, Stressbestendigheid and
Politiek, Niet waar to the rest; no cards, so he "wants to grow" in what the bot would lay
out: the first three to develop in brochure order, Signaleren, Sensitiviteit, Communicatie.
  Tasks that fit: 3.2 (5 of 5), 3.4 (4 of 5), 3.5 (3 of 5). Not 2.4 (Onderhandelen and
  Politiek: 2 of 4), 3.1 (2 of 5), 4.1 (2 of 5).
Cem says Nee, so he is in nothing.

The digest of Ali and Bo, then:
- strengths: 1 each for the four of Ali and the five of Bo; 0 for Lef, Creativiteit and
  Samenwerken;
- phases: Signaleren (tasks 1.x) fits Ali; Strategie (2.3) Ali; Uitvoering (3.3; 3.2, 3.4,
  3.5) Ali and Bo; Evaluatie (4.1) nobody;
- tasks without a fit: 2.1, 2.2, 2.4, 3.1, 4.1;
- duos, per wish a member it suits: Bo learns Signaleren, Sensitiviteit and Communicatie from
  Ali; Ali learns Onderhandelen and Overtuigingskracht from Bo; Lef suits nobody: no duo.
When Bo stops sharing: 1 member; tasks without a fit also 3.2, 3.4, 3.5; no duos.
"""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from emulator import MessageRecord
from tests.e2e.conftest import Person, rows
from tests.e2e.test_filling_in import ORDER
from tests.e2e.test_reminders import FAST, amsterdam, blocked, eventually, ticks

ALI_STRONG = {"signaleren", "sensitiviteit", "communicatie", "netwerken"}
ALI_HALF = {"samenwerken"}
BO_STRONG = {"onderhandelen", "overtuigingskracht", "zelfreflectie", "stressbestendigheid"}
BO_STRONG |= {"politiek"}
TEAM = "Wmo-raad Zwolle"
LINK = re.compile(r"https://t\.me/scorelijst_emulator_bot\?start=t-([A-Za-z0-9_-]{22})")
DEAD = "Deze link werkt niet (meer). Vraag de coördinator om een nieuwe link."
# A statement, and a learning point of Ali's: never in anything a coordinator gets.
EVERYTHING = "📋 Alles per lid"
SECRETS = ("Ik oordeel niet te snel", "Ik vind het leuk om vaste gewoontes", "Leerpunt")


def people(emulator) -> tuple[Person, Person, Person, Person]:
    return (
        Person(emulator, 5001, "Carla"),
        Person(emulator, 5002, "Ali"),
        Person(emulator, 5003, "Bo"),
        Person(emulator, 5004, "Cem"),
    )


async def fill_in(person: Person, strong: set[str], half: set[str] = frozenset()) -> None:
    await person.send("/start", until="Zelf kiezen")
    await person.tap("Alle 12 competenties", until="totaal 1 van 48")
    for competency in ORDER:
        if competency in strong:
            labels = ["Zeer waar"] * 4
        elif competency in half:
            labels = ["Zeer waar", "Zeer waar", "Niet waar", "Niet waar"]
        else:
            labels = ["Niet waar"] * 4
        for n, label in enumerate(labels):
            last = competency == ORDER[-1] and n == 3
            await person.answer(label, until="Wie kan je daarbij helpen?" if last else None)


async def choose_alis_cards(ali: Person) -> None:
    (photo,) = [m for m in ali.messages if m.attachment is not None and m.caption]
    (cards,) = await ali.tap("🃏 Kaartjes kiezen", photo.message_id, until=lambda n: n)
    await ali.tap("Klaar, volgende", cards.message_id, until="waarin je wel wilt groeien")
    await ali.tap("✅ Creativiteit", cards.message_id, until="⬜ Creativiteit")
    await ali.tap("⬜ Overtuigingskracht", cards.message_id, until="✅ Overtuigingskracht")
    await ali.tap("Klaar", cards.message_id, until="Dit zijn je kwaliteiten")


async def make_team(carla: Person, name: str = TEAM) -> str:
    """Carla makes a team; the code of its member link."""
    await carla.send("/team", until="Nieuw team maken")
    await carla.tap("➕ Nieuw team maken", until="Hoe heet je team?")
    (made,) = await carla.send(name, until="is gemaakt")
    assert f"Team {name} is gemaakt. Jij bent de coördinator." in made.text
    return LINK.search(made.text)[1]


async def join(person: Person, code: str, *, share: bool) -> str:
    """Open the link and answer; the consent screen's text."""
    (consent,) = await person.send(f"/start t-{code}", until="Wil je dit delen")
    if share:
        await person.tap("Ja, ik deel dit", consent.message_id, until="Je deelt nu met team")
    else:
        await person.tap("Nee, liever niet", consent.message_id, until="Je deelt niets met")
    return consent.text


async def open_team(person: Person, label: str) -> None:
    await person.send("/team", until="Je teams")
    await person.tap(label, until=f"Team {TEAM}")


async def add_coordinator(carla: Person, dirk: Person) -> MessageRecord:
    """Carla makes a link for a second coordinator; Dirk opens it and says Ja. The offer."""
    await open_team(carla, f"{TEAM} · coördinator")
    (link,) = await carla.tap("👤 Tweede coördinator", until="Een link voor een tweede")
    (offer,) = await dirk.send(f"/start t-{LINK.search(link.text)[1]}", until="Coördinator worden")
    await dirk.tap("Ja, ik word coördinator", offer.message_id, until="Je bent nu coördinator")
    return offer


async def digest(carla: Person) -> tuple:
    """ "Overzicht nu": the picture with its caption, and the text messages after it (a line
    per member comes last, with the button to everything per member under it)."""
    new = await carla.tap("📊 Overzicht nu", until=lambda new: any(m.buttons for m in new))
    (photo,) = [m for m in new if m.attachment is not None]
    assert [m.button_labels for m in new] == [[]] * (len(new) - 1) + [[EVERYTHING]]
    return photo, [m.text for m in new if m.attachment is None]


async def everything_per_member(carla: Person, message_id: int | None = None) -> str:
    """The button under a digest: the block of every member who shares, in words."""
    new = await carla.tap(
        EVERYTHING,
        message_id,
        until=lambda new: any("Alles per lid" in (m.text or "") for m in new),
    )
    assert all(len(m.text) <= 4096 for m in new)
    return "\n".join(m.text for m in new)


@pytest.mark.parametrize("delivery", ["polling"])
async def test_invite_consent_digest_with_known_counts_and_withdrawing(
    emulator, start_bot, db_path
):
    await start_bot()
    carla, ali, bo, cem = people(emulator)
    await fill_in(ali, ALI_STRONG, ALI_HALF)
    await choose_alis_cards(ali)
    await fill_in(bo, BO_STRONG)
    code = await make_team(carla)

    consent = await join(ali, code, share=True)
    # Who sees it, what exactly, and never the answers.
    assert f"Uitnodiging van team {TEAM}" in consent
    assert "Coördinator: Carla." in consent
    assert "Ali · 12 van de 12 competenties ingevuld" in consent
    assert "Sterk: Signaleren en analyseren, Sensitiviteit, Communicatie en Netwerken" in consent
    assert "Half om half: Samenwerken" in consent
    assert (
        "Kaartjes: kwaliteiten Signaleren en analyseren, Sensitiviteit en Communicatie"
        " · groeien in Lef, Onderhandelen en Overtuigingskracht" in consent
    )
    assert not any(secret in consent for secret in SECRETS)
    await join(bo, code, share=True)
    # Cem never used the bot: the link is his way in; he says Nee.
    cem_consent = await join(cem, code, share=False)
    assert "Cem · 0 van de 12 competenties ingevuld" in cem_consent
    consents = rows(
        db_path, "SELECT user_id, role, sharing, consent_at IS NOT NULL FROM team_members"
    )
    assert sorted(consents) == [
        (5001, "coordinator", "asked", 0),
        (5002, "member", "yes", 1),
        (5003, "member", "yes", 1),
        (5004, "member", "no", 1),
    ]

    await open_team(carla, f"{TEAM} · coördinator")
    screen = carla.last.text
    assert "Leden die met je delen: 2." in screen
    assert "Klaar met invullen: Ali en Bo." in screen
    assert "Elke maandag om 9:00 krijg je een overzicht" in screen
    assert "Cem" not in screen

    photo, texts = await digest(carla)
    assert len(texts) == 2  # the picture, the team in words, a line per member
    assert photo.attachment.content.startswith(b"\x89PNG")
    assert len(photo.caption) <= 1024
    assert "Leden die delen: 2. Klaar met invullen: 2." in photo.caption
    assert "Nog niemand sterk in: Lef, Creativiteit en Samenwerken." in photo.caption
    assert all(len(t) <= 4096 for t in texts)
    text = "\n".join(texts)
    for line in (
        "1. Signaleren en analyseren: 1 (Ali)",
        "2. Sensitiviteit: 1 (Ali)",
        "3. Communicatie: 1 (Ali)",
        "4. Lef: 0",
        "5. Creativiteit: 0",
        "6. Onderhandelen: 1 (Bo)",
        "7. Overtuigingskracht: 1 (Bo)",
        "8. Netwerken: 1 (Ali)",
        "9. Samenwerken: 0",
        "10. Zelfreflectie: 1 (Bo)",
        "11. Stressbestendigheid: 1 (Bo)",
        "12. Politiek/bestuurlijk inzicht: 1 (Bo)",
        "1. Signaleren: past bij Ali.",
        "2. Strategie en plan van aanpak: past bij Ali.",
        "3. Uitvoering: past bij Ali en Bo.",
        "4. Evaluatie: past nog bij niemand.",
        "• Signaleren en analyseren: Bo kan leren van Ali.",
        "• Sensitiviteit: Bo kan leren van Ali.",
        "• Communicatie: Bo kan leren van Ali.",
        "• Onderhandelen: Ali kan leren van Bo.",
        "• Overtuigingskracht: Ali kan leren van Bo.",
        "Per lid: hoeveel competenties\n\n"
        "Ali · 12 van 12 ingevuld · sterk: 4 · half om half: 1 · om te groeien: 7\n"
        "Bo · 12 van 12 ingevuld · sterk: 5 · om te groeien: 7",
    ):
        assert line in text, line
    assert "Kaartjes" not in text
    without_fit = re.findall(r"• Taak (\d\.\d)", text)
    assert without_fit == ["2.1", "2.2", "2.4", "3.1", "4.1"]
    assert "• Taak 2.1 (in Bijlage 1: taak 2.3):" in text
    assert "Lef:" not in text.split("Duo's")[1].split("Per lid")[0]
    assert "Cem" not in photo.caption + text
    assert not any(secret in photo.caption + text for secret in SECRETS)
    # The button under it: everything per member, the picture's text alternative.
    blocks = await everything_per_member(carla)
    for line in (
        "Alles per lid",
        "Ali · 12 van de 12 competenties ingevuld",
        "Sterk: Signaleren en analyseren, Sensitiviteit, Communicatie en Netwerken",
        "Half om half: Samenwerken",
        "Bo · 12 van de 12 competenties ingevuld",
        "Sterk: Onderhandelen, Overtuigingskracht, Zelfreflectie, Stressbestendigheid en"
        " Politiek/bestuurlijk inzicht",
    ):
        assert line in blocks, line
    assert "Cem" not in blocks
    assert not any(secret in blocks for secret in SECRETS)

    # Bo stops sharing: at once, and not even counted.
    await open_team(bo, f"{TEAM} · je deelt")
    assert "Je deelt sinds" in bo.last.text
    await bo.tap("Stop met delen", until="Je deelt niets meer met team")
    await open_team(carla, f"{TEAM} · coördinator")
    assert "Leden die met je delen: 1." in carla.last.text
    photo, texts = await digest(carla)
    text = "\n".join(texts)
    assert "Leden die delen: 1. Klaar met invullen: 1." in photo.caption
    assert "Bo" not in photo.caption + text
    blocks = await everything_per_member(carla)
    assert "Ali · 12 van de 12 competenties ingevuld" in blocks
    assert "Bo" not in blocks
    assert re.findall(r"• Taak (\d\.\d)", text) == [
        "2.1",
        "2.2",
        "2.4",
        "3.1",
        "3.2",
        "3.4",
        "3.5",
        "4.1",
    ]
    assert "Nog geen duo's." in text
    assert rows(db_path, "SELECT sharing FROM team_members WHERE user_id = 5003") == [("no",)]

    # What Ali agreed to, in her export.
    replies = await ali.send("/mijngegevens", until=lambda new: new and new[-1].document)
    (team,) = json.loads(replies[-1].document.content)["teams"]
    assert team["team"] == TEAM
    assert (team["role"], team["sharing"]) == ("member", "yes")
    assert team["consent_answered_at"] is not None


async def test_a_renewed_or_forged_link_reveals_nothing_and_only_coordinators_act(
    emulator, start_bot, db_path, bot_log
):
    await start_bot()
    carla, ali, bo, _ = people(emulator)
    old = await make_team(carla)
    await open_team(carla, f"{TEAM} · coördinator")
    (renewed,) = await carla.tap("🔗 Nieuwe link voor leden", until="De oude link werkt nu niet")
    new = LINK.search(renewed.text)[1]
    assert new != old

    for payload in (f"t-{old}", "t-" + "A" * 22, "t-kort", "t-"):
        (reply,) = await ali.send(f"/start {payload}", until=DEAD)
        assert reply.text == DEAD
    await join(ali, new, share=True)
    # Only a hash is stored: no code is anywhere in the database.
    with sqlite3.connect(db_path) as db:
        dump = "\n".join(db.iterdump())
    assert old not in dump and new not in dump
    log = bot_log.read_text(errors="replace")
    assert old not in log and new not in log and TEAM not in log

    # Ali is no coordinator: a forged button does nothing and shows nothing.
    (team_id,) = rows(db_path, "SELECT team_id FROM teams")[0]
    before = len(ali.messages)
    for data, answer in (
        (f"tm|{team_id}|digest", "Alleen een coördinator van het team ziet dit."),
        (f"tm|{team_id}|members", "Alleen een coördinator van het team ziet dit."),
        (f"tm|{team_id}|invite", "Deze knop werkt niet meer"),
        (f"tw|{team_id}|day|2", "Deze knop werkt niet meer"),
    ):
        await ali.tap_data(ali.last.message_id, data, until=lambda new: True)
        await ali.settle()
        assert answer in emulator.callback_answers(ali.user_id)[-1]
    assert not any(m.attachment for m in ali.messages[before:])
    assert rows(db_path, "SELECT digest_weekday FROM teams") == [(0,)]
    # Bo is in no team: opening it by a forged button shows nothing either.
    await bo.send("/team", until="Nieuw team maken")
    await bo.tap_data(bo.last.message_id, f"tm|{team_id}|open", until=lambda new: True)
    await bo.settle()
    assert TEAM not in bo.text()

    # The weekly digest: another day and hour, then off.
    await carla.send("/team", until="Je teams")
    await carla.tap(f"{TEAM} · coördinator", until=f"Team {TEAM}")
    await carla.tap("🗓 Overzicht per week", until="Tik op een dag")
    await carla.tap("woensdag", until="✅ woensdag")
    await carla.tap("18:00", until="✅ 18:00")
    assert "Elke woensdag om 18:00 krijg je een overzicht" in carla.last.text
    assert rows(db_path, "SELECT digest_on, digest_weekday, digest_hour FROM teams") == [(1, 2, 18)]
    await carla.tap("Uitzetten", until="Je krijgt geen overzicht per week")
    assert rows(db_path, "SELECT digest_on FROM teams") == [(0,)]

    # Carla ends the team: Ali is told, and the team is gone.
    await carla.tap("Terug naar het team", until="Team opheffen")
    await carla.tap("🗑 Team opheffen", until="Weet je zeker")
    (ended,) = await carla.tap("Ja, hef het team op", until="is opgeheven")
    assert "We sturen 1 persoon uit het team een bericht." in ended.text  # Ali
    await ali.settle()
    assert "Team Wmo-raad Zwolle bestaat niet meer." in ali.text()
    assert rows(db_path, "SELECT COUNT(*) FROM teams") == [(0,)]
    await ali.send(f"/start t-{new}", until=DEAD)


async def test_wis_of_a_member_and_of_the_last_coordinator(emulator, start_bot, db_path):
    await start_bot()
    carla, ali, bo, cem = people(emulator)
    dirk = Person(emulator, 5005, "Dirk")
    code = await make_team(carla)
    other = await make_team(carla, "Cliëntenraad")
    await join(ali, code, share=True)
    await join(ali, other, share=True)
    await join(bo, code, share=True)
    await join(cem, code, share=False)

    # A second coordinator, by a link of its own; who shares is told.
    offer = await add_coordinator(carla, dirk)
    assert "Coördinator: Carla." in offer.text
    assert "Coördinatoren: Carla en Dirk." in dirk.last.text
    await ali.settle()
    assert "Dirk is nu ook coördinator van team Wmo-raad Zwolle" in ali.text()
    assert "Dirk is nu ook coördinator" not in cem.text()  # he shares nothing

    # Ali's /wis takes her out of both teams; she is told so before she says Ja.
    (confirm,) = await ali.send("/wis", until="Weet je het zeker?")
    assert (
        "Zit je in een team? Dan ga je uit al je teams. Ben je de enige coördinator van een"
        " team? Dan bestaat dat team niet meer. De leden krijgen daarover een bericht."
    ) in confirm.text
    await ali.tap("Ja, wis alles", until="Alles is gewist")
    assert rows(db_path, "SELECT COUNT(*) FROM team_members WHERE user_id = 5002") == [(0,)]
    await open_team(carla, f"{TEAM} · coördinator")
    assert "Leden die met je delen: 1." in carla.last.text

    # Carla leaves; Dirk is still coordinator, so the team goes on and nobody is told.
    await carla.send("/wis", until="Weet je het zeker?")
    await carla.tap("Ja, wis alles", until="Alles is gewist")
    assert rows(db_path, "SELECT name FROM teams") == [(TEAM,)]
    assert "bestaat niet meer" not in bo.text()

    # Dirk, the last coordinator, leaves: the team ends; Bo and Cem are told once each, and
    # Cem, who blocked the bot, breaks nothing: the bot notes the block.
    emulator.block(cem.user_id)
    await dirk.send("/wis", until="Weet je het zeker?")
    await dirk.tap("Ja, wis alles", until="Alles is gewist")
    await bo.settle()
    farewell = "Team Wmo-raad Zwolle bestaat niet meer. Wat je deelde, ziet niemand meer."
    assert sum(farewell in m.text for m in bo.messages if m.text) == 1
    await eventually(lambda: blocked(db_path) == [5004])
    assert blocked(db_path) == [5004]
    assert emulator.refused_for_block(cem.user_id) == ["sendMessage"]
    assert rows(db_path, "SELECT COUNT(*) FROM teams") == [(0,)]
    assert rows(db_path, "SELECT COUNT(*) FROM team_members") == [(0,)]
    assert rows(db_path, "SELECT COUNT(*) FROM team_invites") == [(0,)]
    await bo.send("/team", until="Nieuw team maken")
    emulator.unblock(cem.user_id)


@pytest.mark.parametrize("delivery", ["polling"])
async def test_retention_ends_the_team_of_its_last_coordinator_and_tells_its_members(
    emulator, start_bot, clock, db_path
):
    """The bot keeps data 30 days after somebody's last message. Carla made the team and never
    came back; Ali and Bo wrote on day 20, Cem did not. On day 32 Carla and Cem go, the team
    ends, and Ali is told once. Bo blocked the bot (it found out when it answered him on day
    20), so nothing is tried to him; Cem, gone himself, is told nothing."""
    clock.move_to(amsterdam(1, 10))
    await start_bot(**FAST, BOT_RETENTION_DAYS="30")
    carla, ali, bo, cem = people(emulator)
    code = await make_team(carla)
    for person in (ali, bo, cem):
        await join(person, code, share=True)
    cem_saw = len(cem.messages)

    clock.move_to(amsterdam(20, 10))
    await ali.send("/team", until="Je teams")
    emulator.block(bo.user_id)
    await emulator.send_text(bo.user_id, "hoi")
    await eventually(lambda: blocked(db_path) == [5003])
    assert blocked(db_path) == [5003]

    farewell = f"Team {TEAM} bestaat niet meer. Wat je deelde, ziet niemand meer."
    clock.move_to(amsterdam(32, 10))
    await emulator.wait_for(lambda: farewell in ali.text(), timeout=30)
    assert rows(db_path, "SELECT user_id FROM users ORDER BY user_id") == [(5002,), (5003,)]
    assert rows(db_path, "SELECT COUNT(*) FROM teams") == [(0,)]
    assert rows(db_path, "SELECT COUNT(*) FROM team_members") == [(0,)]
    await ticks()
    assert sum(farewell in (m.text or "") for m in ali.messages) == 1
    assert emulator.refused_for_block(bo.user_id) == ["sendMessage"]  # the answer to "hoi"
    assert len(cem.messages) == cem_saw

    # Bo writes again: the team is gone from his /team, and the code opens nothing.
    emulator.unblock(bo.user_id)
    await bo.send("/team", until="Nieuw team maken")
    assert TEAM not in bo.last.text
    await bo.send(f"/start t-{code}", until=DEAD)

"""The overview as a person gets it: a picture with the short version, details behind
buttons, what changed in a second round, the card exercise, and a page to print."""

from __future__ import annotations

import io
import json

from pypdf import PdfReader

from tests.e2e.conftest import Person
from tests.e2e.test_filling_in import ORDER, STRENGTHS

DETAILS = [
    "📝 Leerpunten",
    "🧩 Taken",
    "🔄 Stappen",
    "📋 Per competentie",
    "📈 Wat is veranderd",
]


async def _fill_in_everything(person: Person) -> None:
    await person.send("/start", until="Zelf kiezen")
    await person.tap("Alle 12 competenties", until="totaal 1 van 48")
    for competency in ORDER:
        for n in range(4):
            label = "Zeer waar" if competency in STRENGTHS else "Niet waar"
            last = competency == ORDER[-1] and n == 3
            await person.answer(label, until="Wie kan je daarbij helpen?" if last else None)


def _photo(person: Person):
    (photo,) = [m for m in person.messages if m.attachment is not None and m.caption]
    return photo


async def test_a_full_round_opens_with_a_picture_and_details_behind_buttons(anna):
    await _fill_in_everything(anna)
    photo = _photo(anna)
    assert photo.attachment.content.startswith(b"\x89PNG")
    caption = photo.caption
    assert len(caption) <= 1024
    assert (
        "Dit ligt je goed: Onderhandelen, Netwerken, Samenwerken en Politiek/bestuurlijk inzicht."
        in caption
    )
    # Task 2.4 fits 4 of 4; the other tasks none (at most 2 of 5 or 2 of 4): one task only.
    assert (
        "Taken die goed bij je passen: taak 2.4 "
        "(je zoekt samenwerking met anderen, binnen en buiten je eigen organisatie)." in caption
    )
    assert photo.button_labels[:5] == DETAILS[:2] + DETAILS[2:4] + DETAILS[4:5]
    for label in DETAILS:
        (detail,) = await anna.tap(label, photo.message_id, until=lambda new: new)
        assert len(detail.text) <= 1500, label
    text = anna.text()
    # Phases: each competency counted once, never more than 12.
    for line in (
        "2 van de 6 ingevulde competenties liggen je goed.",
        "4 van de 10 ingevulde competenties liggen je goed.",
        "3 van de 11 ingevulde competenties liggen je goed.",
        "1 van de 5 ingevulde competenties liggen je goed.",
    ):
        assert line in text
    assert "Bij de stap Strategie en plan van aanpak liggen je de meeste competenties goed." in text
    assert "Taak 2.4 (in Bijlage 1: taak 2.1):" in text
    print(text)
    assert "Omdat je goed bent in Onderhandelen, Netwerken, Samenwerken en Politiek" in text
    assert "Deze competenties vulde je voor het eerst in." in text
    print(text)


async def test_a_second_round_reports_what_changed_and_keeps_the_rest(anna):
    await _fill_in_everything(anna)
    await anna.send("/opnieuw", until="Zelf kiezen")
    await anna.tap("Zelf kiezen", until="⬜ Lef")
    await anna.tap("⬜ Lef", until="✅ Lef")
    await anna.tap("Klaar, begin maar", until="totaal 1 van 4")
    for _ in range(3):
        await anna.answer("Meestal waar")
    await anna.answer("Beetje waar", until="Wil je nog meer competenties invullen?")
    photo = [m for m in anna.messages if m.attachment is not None and m.caption][-1]
    # Lef now suits; the other eleven stay as the first round left them.
    assert "Dit ligt je goed: Lef, Onderhandelen, Netwerken, Samenwerken en Politiek" in (
        photo.caption
    )
    (changed,) = await anna.tap("📈 Wat is veranderd", photo.message_id, until=lambda n: n)
    assert "Lef: eerst om te groeien (0 van 4), nu ligt je goed (3 van 4)." in changed.text
    (per,) = await anna.tap("📋 Per competentie", photo.message_id, until=lambda n: n)
    assert per.text.count("Ingevuld op") == 12


async def test_the_card_exercise_is_stored_and_exported(anna):
    await _fill_in_everything(anna)
    photo = _photo(anna)
    (cards,) = await anna.tap("🃏 Kaartjes kiezen", photo.message_id, until=lambda n: n)
    # Suggested: the three strengths with most Zeer/Meestal (all 4), in brochure order.
    assert [b for b in cards.button_labels if b.startswith("✅")] == [
        "✅ Onderhandelen",
        "✅ Netwerken",
        "✅ Samenwerken",
    ]
    await anna.emulator.tap(
        anna.user_id, "⬜ Politiek/bestuurlijk inzicht", message_id=cards.message_id
    )
    await anna.settle()
    assert "Je hebt er al 3" in anna.emulator.callback_answers(anna.user_id)[-1]
    await anna.tap("✅ Samenwerken", cards.message_id, until="⬜ Samenwerken")
    await anna.tap("⬜ Politiek/bestuurlijk inzicht", cards.message_id, until="✅ Politiek")
    await anna.tap("Klaar, volgende", cards.message_id, until="waarin je wel wilt groeien")
    await anna.tap("Klaar", cards.message_id, until="Dit zijn je kwaliteiten")
    assert (
        "Dit zijn je kwaliteiten: Onderhandelen, Netwerken en Politiek/bestuurlijk inzicht."
        in cards.text
    )
    replies = await anna.send("/mijngegevens", until=lambda new: new and new[-1].document)
    data = json.loads(replies[-1].document.content)
    assert data["rounds"][0]["cards"]["strengths"] == [
        "Onderhandelen",
        "Netwerken",
        "Politiek/bestuurlijk inzicht",
    ]
    assert len(data["rounds"][0]["cards"]["to_develop"]) == 3


async def test_the_page_to_print_arrives_as_a_pdf_with_the_strengths(anna):
    await _fill_in_everything(anna)
    photo = _photo(anna)
    (document,) = await anna.tap(
        "🖨 Pagina om te printen", photo.message_id, until=lambda n: n and n[-1].document
    )
    assert document.document.filename == "scorelijst-annadorothea-ronde-1.pdf"
    pdf = PdfReader(io.BytesIO(document.document.content))
    # words as read, whatever line they were wrapped onto
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Scorelijst van Annadorothea" in text
    assert "Onderhandelen" in text and "Politiek/bestuurlijk inzicht" in text
    assert "Waar ben je goed in?" in text

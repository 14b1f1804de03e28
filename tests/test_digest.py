"""The team digest, with expected values worked out by hand from Bijlage 1.

Tasks and the competencies Bijlage 1 lists (chapter 1's numbers; a task fits when more than
half suit): 1.1 sig com net; 1.2 sig sen com sam; 1.3 sig sen com cre net; 2.1 pol sen cre sam;
2.2 lef cre sam zel; 2.3 sig com net sam zel; 2.4 ond pol net sam; 3.1 lef cre ove net pol;
3.2 ond ove pol zel str; 3.3 sig sen com ove net; 3.4 ond ove net zel str; 3.5 com lef ove zel
str; 4.1 sig sen sam zel str.
"""

from __future__ import annotations

from domain.cards import Cards
from domain.digest import (
    FEW,
    MemberProfile,
    build_digest,
    shared_profile,
    wants_to_grow,
)
from domain.round import GivenAnswer, Round, RoundStatus
from domain.scoring import Verdict, score_competencies

ALL = [
    "signaleren",
    "sensitiviteit",
    "communicatie",
    "lef",
    "creativiteit",
    "onderhandelen",
    "overtuigingskracht",
    "netwerken",
    "samenwerken",
    "zelfreflectie",
    "stressbestendigheid",
    "politiek",
]


def answers(strong=(), half=(), develop=None, open_=()):
    """Statement answers: strong 1,1,1,1; half 1,1,4,4; develop 4,4,4,4; open: two answers,
    one of each; a competency in none of them (when ``develop`` is given) is not answered."""
    develop = [c for c in ALL if c not in {*strong, *half, *open_}] if develop is None else develop
    given = {}
    for cid, values in (
        *((c, (1, 1, 1, 1)) for c in strong),
        *((c, (1, 1, 4, 4)) for c in half),
        *((c, (4, 4, 4, 4)) for c in develop),
        *((c, (1, 4)) for c in open_),
    ):
        for n, value in enumerate(values, 1):
            given[f"{cid}.{n}"] = value
    return given


NO_CARDS = Cards()
ALIS_CARDS = Cards(grow=("lef", "onderhandelen", "overtuigingskracht"))


def member(instrument, user_id, name, cards=NO_CARDS, **kinds) -> MemberProfile:
    return MemberProfile(user_id, name, score_competencies(instrument, answers(**kinds)), cards)


def ali(instrument, cards=ALIS_CARDS):
    return member(
        instrument,
        2,
        "Ali",
        cards,
        strong=("signaleren", "sensitiviteit", "communicatie", "netwerken"),
        half=("samenwerken",),
    )


def bo(instrument):
    strong = ("onderhandelen", "overtuigingskracht", "zelfreflectie", "stressbestendigheid")
    return member(instrument, 3, "Bo", strong=(*strong, "politiek"))


def test_a_team_where_nobody_shares_has_an_empty_digest(instrument):
    digest = build_digest(instrument, [])
    assert (digest.joined, digest.finished) == (0, 0)
    assert [s.members for s in digest.strengths] == [()] * 12
    assert [(p.phase_id, p.members, p.tasks) for p in digest.phases] == [
        ("1", (), ()),
        ("2", (), ()),
        ("3", (), ()),
        ("4", (), ()),
    ]
    assert len(digest.tasks_without_fit) == 13
    assert digest.duos == ()


def test_ali_and_bo(instrument):
    digest = build_digest(instrument, [ali(instrument), bo(instrument)])
    assert (digest.joined, digest.finished) == (2, 2)
    assert {s.competency_id: s.members for s in digest.strengths} == {
        "signaleren": (2,),
        "sensitiviteit": (2,),
        "communicatie": (2,),
        "lef": (),
        "creativiteit": (),
        "onderhandelen": (3,),
        "overtuigingskracht": (3,),
        "netwerken": (2,),
        "samenwerken": (),  # half om half is no strength
        "zelfreflectie": (3,),
        "stressbestendigheid": (3,),
        "politiek": (3,),
    }
    # Ali fits 1.1 (3/3), 1.2 (3/4), 1.3 (4/5), 2.3 (3/5), 3.3 (4/5);
    # Bo fits 3.2 (5/5), 3.4 (4/5), 3.5 (3/5); 2.4 is 2 of 4 for Bo: not more than half.
    assert [(p.phase_id, p.members, p.tasks) for p in digest.phases] == [
        ("1", (2,), ("1.1", "1.2", "1.3")),
        ("2", (2,), ("2.3",)),
        ("3", (2, 3), ("3.2", "3.3", "3.4", "3.5")),
        ("4", (), ()),
    ]
    assert digest.tasks_without_fit == ("2.1", "2.2", "2.4", "3.1", "4.1")
    # Ali's cards: Lef (nobody), Onderhandelen and Overtuigingskracht (Bo). Bo has no cards:
    # the bot's three to develop, first in brochure order: Signaleren, Sensitiviteit,
    # Communicatie (all Ali's).
    assert [(d.competency_id, d.learner, d.coach) for d in digest.duos] == [
        ("signaleren", 3, 2),
        ("sensitiviteit", 3, 2),
        ("communicatie", 3, 2),
        ("onderhandelen", 2, 3),
        ("overtuigingskracht", 2, 3),
    ]
    line = digest.members[0]
    assert line.label == "Ali" and line.complete == 12 and line.finished
    assert line.verdicts[8] is Verdict.BETWEEN
    assert line.verdicts[:4] == (Verdict.SUITS, Verdict.SUITS, Verdict.SUITS, Verdict.DEVELOP)


def test_wanting_to_grow_is_the_cards_else_the_bots_three(instrument):
    assert wants_to_grow(ali(instrument)) == ("lef", "onderhandelen", "overtuigingskracht")
    # without cards: to develop, fewest suiting first, then brochure order
    assert wants_to_grow(ali(instrument, Cards())) == ("lef", "creativiteit", "onderhandelen")
    # only strong cards chosen: the suggestion still
    strong_only = Cards(strong=("signaleren",))
    assert wants_to_grow(ali(instrument, strong_only)) == ("lef", "creativiteit", "onderhandelen")


def test_each_wish_gets_the_coach_with_fewest_duos_so_far(instrument):
    grow_lef = Cards(grow=("lef",))
    nobodys = Cards(grow=("creativiteit",))  # nobody is strong in it
    team = [
        member(instrument, 10, "Ann", nobodys, strong=("lef",)),
        member(instrument, 11, "Ben", nobodys, strong=("lef",)),
        member(instrument, 12, "Cor", grow_lef),
        member(instrument, 13, "Dan", grow_lef),
        member(instrument, 14, "Eef", grow_lef),
    ]
    digest = build_digest(instrument, team)
    # Cor: Ann and Ben have 0, Ann first. Dan: Ben has 0. Eef: 1 each, Ann first.
    assert [(d.learner, d.coach) for d in digest.duos] == [(12, 10), (13, 11), (14, 10)]


def test_a_coach_with_more_duos_is_passed_over(instrument):
    # Ann suits Lef and Creativiteit, Ben only Lef. Cor: Creativiteit, only Ann (Ann 1). Dan:
    # Lef, Ann 1 and Ben 0, so Ben (1 each). Eef: Creativiteit, only Ann (Ann 2). Fay: Lef,
    # Ann 2 and Ben 1, so Ben.
    nobodys = Cards(grow=("onderhandelen",))
    team = [
        member(instrument, 10, "Ann", nobodys, strong=("lef", "creativiteit")),
        member(instrument, 11, "Ben", nobodys, strong=("lef",)),
        member(instrument, 12, "Cor", Cards(grow=("creativiteit",))),
        member(instrument, 13, "Dan", Cards(grow=("lef",))),
        member(instrument, 14, "Eef", Cards(grow=("creativiteit",))),
        member(instrument, 15, "Fay", Cards(grow=("lef",))),
    ]
    duos = build_digest(instrument, team).duos
    # by competency in brochure order (Lef before Creativiteit), then learner
    assert [(d.competency_id, d.learner, d.coach) for d in duos] == [
        ("lef", 13, 11),
        ("lef", 15, 11),
        ("creativiteit", 12, 10),
        ("creativiteit", 14, 10),
    ]


def test_nobody_coaches_themselves(instrument):
    # Ann wants to grow in Lef, which suits her already; only Ben can coach her.
    ann = member(instrument, 10, "Ann", Cards(grow=("lef",)), strong=("lef",))
    assert build_digest(instrument, [ann]).duos == ()
    ben = member(instrument, 11, "Ben", Cards(grow=("creativiteit",)), strong=("lef",))
    assert [(d.learner, d.coach) for d in build_digest(instrument, [ann, ben]).duos] == [(10, 11)]


def test_a_phase_covered_by_few_members_names_them(instrument):
    # 1.1 fits whoever has Signaleren, Communicatie and Netwerken.
    signalers = [
        member(instrument, n, f"S{n}", strong=("signaleren", "communicatie", "netwerken"))
        for n in range(1, FEW + 2)
    ]
    assert FEW == 3
    few = build_digest(instrument, signalers[:FEW]).phases[0]
    many = build_digest(instrument, signalers).phases[0]
    assert (few.members, few.few) == ((1, 2, 3), True)
    assert (len(many.members), many.few) == (4, False)


def test_progress_counts_competencies_with_all_four_answered(instrument):
    busy = member(
        instrument,
        5,
        "Sam",
        strong=("lef",),
        half=(),
        develop=("creativiteit",),
        open_=("netwerken",),
    )
    (line,) = build_digest(instrument, [busy]).members
    assert line.complete == 2 and not line.finished
    assert line.verdicts[3:5] == (Verdict.SUITS, Verdict.DEVELOP)
    assert line.verdicts[7] is Verdict.OPEN
    assert line.verdicts[0] is Verdict.NOT_ANSWERED


def test_the_same_first_name_twice_is_told_apart(instrument):
    team = [member(instrument, n, "Sam") for n in (1, 2, 3)] + [member(instrument, 4, "Bo")]
    digest = build_digest(instrument, team)
    assert [m.label for m in digest.members] == ["Sam", "Sam (2)", "Sam (3)", "Bo"]
    assert digest.label(2) == "Sam (2)"


def test_the_fingerprint_changes_with_what_a_coordinator_sees_and_only_with_that(instrument):
    base = build_digest(instrument, [ali(instrument), bo(instrument)]).fingerprint
    assert build_digest(instrument, [ali(instrument), bo(instrument)]).fingerprint == base
    assert len(base) == 64
    # Meestal waar instead of Zeer waar everywhere: the same verdicts, nothing new to see
    mostly = {
        sid: 2 if value == 1 else value
        for sid, value in answers(
            strong=("signaleren", "sensitiviteit", "communicatie", "netwerken"),
            half=("samenwerken",),
        ).items()
    }
    ali_mostly = MemberProfile(
        2, "Ali", score_competencies(instrument, mostly), ali(instrument).cards
    )
    assert build_digest(instrument, [ali_mostly, bo(instrument)]).fingerprint == base
    # anything a coordinator would see is a change
    for changed in (
        [ali(instrument, Cards(grow=("lef",))), bo(instrument)],
        [bo(instrument), ali(instrument)],
        [ali(instrument)],
        [ali(instrument), member(instrument, 3, "Bob", strong=("onderhandelen",))],
        [ali(instrument), bo(instrument), member(instrument, 4, "Cem")],
    ):
        assert build_digest(instrument, changed).fingerprint != base


def test_a_shared_profile_is_the_living_profile_and_the_newest_cards(instrument):
    def given(values: dict[str, int]) -> dict[str, GivenAnswer]:
        return {sid: GivenAnswer(v, "2026-12-01T10:00:00+00:00") for sid, v in values.items()}

    first = Round(
        1,
        2,
        1,
        RoundStatus.COMPLETE,
        "2026-12-01T09:00:00+00:00",
        selection=tuple(ALL),
        answers=given(answers(strong=("lef",))),
        cards=Cards(("lef",), ("politiek",)),
    )
    second = Round(
        2,
        2,
        2,
        RoundStatus.COMPLETE,
        "2026-12-02T09:00:00+00:00",
        selection=("politiek",),
        answers=given({f"politiek.{n}": 1 for n in range(1, 5)}),
    )
    profile = shared_profile(instrument, 2, "Ali", [second, first])
    verdicts = {r.competency.id: r.verdict for r in profile.results}
    assert verdicts["lef"] is Verdict.SUITS
    assert verdicts["politiek"] is Verdict.SUITS  # the newer answers
    assert verdicts["signaleren"] is Verdict.DEVELOP  # kept from the first round
    assert profile.cards == Cards(("lef",), ("politiek",))  # the second has none

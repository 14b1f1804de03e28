"""Task fit from Bijlage 1, the tasks within reach, and the four phases.

The expected values below are worked out by hand from Bijlage 1 (content/instrument.yaml, with the
tasks of kerntaak 2 under chapter 1's numbers), never computed with the code under test:

    1.1  signaleren, communicatie, netwerken
    1.2  signaleren, sensitiviteit, communicatie, samenwerken
    1.3  signaleren, sensitiviteit, communicatie, creativiteit, netwerken
    2.1  politiek, sensitiviteit, creativiteit, samenwerken                  (Bijlage 1: 2.3)
    2.2  lef, creativiteit, samenwerken, zelfreflectie                       (Bijlage 1: 2.4)
    2.3  signaleren, communicatie, netwerken, samenwerken, zelfreflectie     (Bijlage 1: 2.2)
    2.4  onderhandelen, politiek, netwerken, samenwerken                     (Bijlage 1: 2.1)
    3.1  lef, creativiteit, overtuigingskracht, netwerken, politiek
    3.2  onderhandelen, overtuigingskracht, politiek, zelfreflectie, stressbestendigheid
    3.3  signaleren, sensitiviteit, communicatie, overtuigingskracht, netwerken
    3.4  onderhandelen, overtuigingskracht, netwerken, zelfreflectie, stressbestendigheid
    3.5  communicatie, lef, overtuigingskracht, zelfreflectie, stressbestendigheid
    4.1  signaleren, sensitiviteit, samenwerken, zelfreflectie, stressbestendigheid
"""

from __future__ import annotations

from domain.scoring import score_competencies
from domain.summary import summarise
from domain.task_fit import cover_phases, fit_tasks, fitting_task_ids

ZEER, NIET = 1, 4

# The strengths of the two hand-worked cases.
NEGOTIATOR = {"onderhandelen", "netwerken", "samenwerken", "politiek"}
VOORBEELD_2 = {"signaleren", "sensitiviteit", "communicatie", "samenwerken"}


def _all(instrument, suiting: set[str]) -> dict[str, int]:
    """Every statement answered: Zeer waar for the given competencies, Niet waar elsewhere."""
    return {
        s.id: ZEER if c.id in suiting else NIET
        for c in instrument.competencies
        for s in c.statements
    }


def _ranked(instrument, suiting):
    return fit_tasks(instrument, score_competencies(instrument, _all(instrument, suiting)))


def _fits(instrument, suiting):
    return {f.task.id: f for f in _ranked(instrument, suiting)}


def _phases(instrument, answers):
    """Per phase id: (suiting, answered, needed) counts of distinct competencies."""
    return {
        p.phase.id: (len(p.suiting), len(p.answered), len(p.needed))
        for p in cover_phases(instrument, score_competencies(instrument, answers))
    }


def test_a_task_fits_when_most_of_its_competencies_suit(instrument):
    # Task 1.1 needs signaleren, communicatie, netwerken.
    fits = _fits(instrument, {"signaleren", "communicatie"})
    assert fits["1.1"].fits
    assert fits["1.1"].suiting == ("signaleren", "communicatie")
    assert fits["1.1"].missing == ("netwerken",)
    # Task 3.5 needs five, none of which suit.
    assert not fits["3.5"].fits and not fits["3.5"].within_reach


def test_the_fitting_task_ids_are_the_tasks_most_of_whose_competencies_suit(instrument):
    """Voorbeeld 2 (signaleren, sensitiviteit, communicatie, samenwerken): 1.1 (2 of 3), 1.2
    (4 of 4), 1.3, 2.3, 3.3 and 4.1 (3 of 5); not 2.1 (2 of 4: half is not enough). The
    negotiator: only 2.4 (4 of 4)."""
    assert fitting_task_ids(instrument, VOORBEELD_2) == {"1.1", "1.2", "1.3", "2.3", "3.3", "4.1"}
    assert fitting_task_ids(instrument, NEGOTIATOR) == {"2.4"}
    assert fitting_task_ids(instrument, set()) == set()


def test_four_of_four_fits_and_ranks_first(instrument):
    """Strengths Onderhandelen, Netwerken, Samenwerken, Politiek: exactly what task 2.4 needs."""
    ranked = _ranked(instrument, NEGOTIATOR)
    first = ranked[0]
    assert first.task.id == "2.4"
    assert first.suiting == ("onderhandelen", "politiek", "netwerken", "samenwerken")
    assert first.missing == ()
    assert (len(first.suiting), first.needed) == (4, 4)
    assert first.share == 1
    assert first.fits and not first.within_reach


def test_negotiator_counts_per_task(instrument):
    """Strengths Onderhandelen, Netwerken, Samenwerken, Politiek: suiting of needed, per task."""
    fits = _fits(instrument, NEGOTIATOR)
    assert {tid: (len(f.suiting), f.needed) for tid, f in fits.items()} == {
        "1.1": (1, 3),  # netwerken
        "1.2": (1, 4),  # samenwerken
        "1.3": (1, 5),  # netwerken
        "2.1": (2, 4),  # politiek, samenwerken
        "2.2": (1, 4),  # samenwerken
        "2.3": (2, 5),  # netwerken, samenwerken
        "2.4": (4, 4),
        "3.1": (2, 5),  # netwerken, politiek
        "3.2": (2, 5),  # onderhandelen, politiek
        "3.3": (1, 5),  # netwerken
        "3.4": (2, 5),  # onderhandelen, netwerken
        "3.5": (0, 5),
        "4.1": (1, 5),  # samenwerken
    }


def test_negotiator_ranking_best_share_first(instrument):
    """Strengths Onderhandelen, Netwerken, Samenwerken, Politiek: shares 4/4, 2/4, 2/5 (four
    tasks, brochure order), 1/3, 1/4 (two), 1/5 (three), 0/5."""
    assert [f.task.id for f in _ranked(instrument, NEGOTIATOR)] == [
        "2.4",  # 4/4
        "2.1",  # 2/4
        "2.3",  # 2/5
        "3.1",  # 2/5
        "3.2",  # 2/5
        "3.4",  # 2/5
        "1.1",  # 1/3
        "1.2",  # 1/4
        "2.2",  # 1/4
        "1.3",  # 1/5
        "3.3",  # 1/5
        "4.1",  # 1/5
        "3.5",  # 0/5
    ]


def test_voorbeeld_2_ranking_with_several_fitting_tasks(instrument):
    """Strengths Signaleren, Sensitiviteit, Communicatie, Samenwerken: six tasks fit with
    different shares (4/4, 2/3, 3/5), so the order among the fitting tasks matters."""
    ranked = _ranked(instrument, VOORBEELD_2)
    assert [f.task.id for f in ranked] == [
        "1.2",  # 4/4
        "1.1",  # 2/3
        "1.3",  # 3/5
        "2.3",  # 3/5
        "3.3",  # 3/5
        "4.1",  # 3/5
        "2.1",  # 2/4
        "2.2",  # 1/4
        "2.4",  # 1/4
        "3.5",  # 1/5
        "3.1",  # 0/5
        "3.2",  # 0/5
        "3.4",  # 0/5
    ]
    assert [f.task.id for f in ranked if f.fits] == ["1.2", "1.1", "1.3", "2.3", "3.3", "4.1"]
    assert [f.task.id for f in ranked if f.within_reach] == ["2.1"]


def test_ties_more_competencies_needed_first_then_brochure_order(instrument):
    """Nothing suits (every share 0) and everything suits (every share 1): within equal shares,
    the tasks needing five come first, then four, then three; each group in brochure order."""
    by_evidence = [
        *("1.3", "2.3", "3.1", "3.2", "3.3", "3.4", "3.5", "4.1"),  # need 5
        *("1.2", "2.1", "2.2", "2.4"),  # need 4
        "1.1",  # needs 3
    ]
    nothing = _ranked(instrument, set())
    assert [f.task.id for f in nothing] == by_evidence
    assert not any(f.fits or f.within_reach for f in nothing)
    everything = _ranked(instrument, {c.id for c in instrument.competencies})
    assert [f.task.id for f in everything] == by_evidence
    assert all(f.fits for f in everything)


def test_half_is_not_most(instrument):
    # Task 2.4 needs onderhandelen, politiek, netwerken, samenwerken: 2 of 4 is not a fit yet,
    # but one more makes it one.
    fit = _fits(instrument, {"onderhandelen", "politiek"})["2.4"]
    assert (len(fit.suiting), fit.needed) == (2, 4)
    assert not fit.fits
    assert fit.within_reach
    assert fit.missing == ("netwerken", "samenwerken")


def test_one_of_four_is_not_within_reach(instrument):
    """Only Onderhandelen suits: task 2.4 has 1 of 4; one more gives 2 of 4, still not a fit."""
    fit = _fits(instrument, {"onderhandelen"})["2.4"]
    assert (len(fit.suiting), fit.needed) == (1, 4)
    assert not fit.fits
    assert not fit.within_reach


def test_three_of_four_fits(instrument):
    fit = _fits(instrument, {"onderhandelen", "politiek", "netwerken"})["2.4"]
    assert (len(fit.suiting), fit.needed) == (3, 4)
    assert fit.fits and not fit.within_reach
    assert fit.missing == ("samenwerken",)


def test_one_of_three_is_within_reach(instrument):
    """Only Netwerken suits: task 1.1 has 1 of 3; one more gives 2 of 3, a fit."""
    fit = _fits(instrument, {"netwerken"})["1.1"]
    assert (len(fit.suiting), fit.needed) == (1, 3)
    assert not fit.fits and fit.within_reach


def test_three_of_five_fits_two_of_five_is_within_reach(instrument):
    # Task 3.2: onderhandelen, overtuigingskracht, politiek, zelfreflectie, stressbestendigheid
    three = _fits(instrument, {"onderhandelen", "overtuigingskracht", "politiek"})["3.2"]
    assert three.fits and not three.within_reach
    two = _fits(instrument, {"onderhandelen", "overtuigingskracht"})["3.2"]
    assert not two.fits and two.within_reach


def test_one_of_five_is_not_within_reach(instrument):
    """Only Onderhandelen suits: task 3.2 has 1 of 5; one more gives 2 of 5, still not a fit."""
    fit = _fits(instrument, {"onderhandelen"})["3.2"]
    assert (len(fit.suiting), fit.needed) == (1, 5)
    assert not fit.fits and not fit.within_reach


def test_negotiator_fits_and_within_reach(instrument):
    """Strengths Onderhandelen, Netwerken, Samenwerken, Politiek: only 2.4 fits; within reach are
    2 of 4 (2.1), 2 of 5 (2.3, 3.1, 3.2, 3.4) and 1 of 3 (1.1), not 1 of 4 or 1 of 5."""
    ranked = _ranked(instrument, NEGOTIATOR)
    assert [f.task.id for f in ranked if f.fits] == ["2.4"]
    assert [f.task.id for f in ranked if f.within_reach] == [
        "2.1",
        "2.3",
        "3.1",
        "3.2",
        "3.4",
        "1.1",
    ]


def test_competencies_not_yet_filled_in_are_named_as_such(instrument):
    answers = {s.id: ZEER for s in instrument.competency("signaleren").statements}
    fits = {f.task.id: f for f in fit_tasks(instrument, score_competencies(instrument, answers))}
    assert fits["1.1"].within_reach
    assert fits["1.1"].undecided == ("communicatie", "netwerken")


def test_phases_count_each_competency_once(instrument):
    """A phase needs the competencies of its tasks, each counted once (so never more than 12):
    1: signaleren, sensitiviteit, communicatie, creativiteit, netwerken, samenwerken (6)
    2: all but overtuigingskracht and stressbestendigheid (10)
    3: all but samenwerken (11)
    4: signaleren, sensitiviteit, samenwerken, zelfreflectie, stressbestendigheid (5)
    Strengths Signaleren, Sensitiviteit, Communicatie, Samenwerken: 4 of 6, 4 of 10, 3 of 11,
    3 of 5."""
    assert _phases(instrument, _all(instrument, VOORBEELD_2)) == {
        "1": (4, 6, 6),
        "2": (4, 10, 10),
        "3": (3, 11, 11),
        "4": (3, 5, 5),
    }


def test_phases_of_the_negotiator(instrument):
    """Strengths Onderhandelen, Netwerken, Samenwerken, Politiek: 1: netwerken, samenwerken
    (2 of 6); 2: all four (4 of 10); 3: onderhandelen, netwerken, politiek (3 of 11);
    4: samenwerken (1 of 5). Shares 0.33, 0.40, 0.27, 0.20."""
    assert _phases(instrument, _all(instrument, NEGOTIATOR)) == {
        "1": (2, 6, 6),
        "2": (4, 10, 10),
        "3": (3, 11, 11),
        "4": (1, 5, 5),
    }
    summary = summarise(instrument, _all(instrument, NEGOTIATOR))
    assert summary.strongest_phase.phase.id == "2"
    assert summary.weakest_phase.phase.id == "4"


def test_phases_count_over_the_answered_competencies_only(instrument):
    """Only Lef (all Zeer waar) and Netwerken (all Niet waar) answered: Lef is needed in
    phases 2 and 3, Netwerken in 1, 2 and 3; phase 4 needs neither. No phase is called
    strongest or weakest while competencies are missing."""
    answers = {
        **{f"lef.{n}": ZEER for n in range(1, 5)},
        **{f"netwerken.{n}": NIET for n in range(1, 5)},
    }
    assert _phases(instrument, answers) == {
        "1": (0, 1, 6),
        "2": (1, 2, 10),
        "3": (1, 2, 11),
        "4": (0, 0, 5),
    }
    summary = summarise(instrument, answers)
    assert not summary.phases_complete
    assert summary.strongest_phase is None and summary.weakest_phase is None


def test_a_competency_in_between_counts_as_answered_an_open_one_does_not(instrument):
    """Lef all Zeer waar (suits), Netwerken all Niet waar (to develop), Communicatie two and two
    (in between: answered, not suiting), Signaleren one Zeer waar of four (open: not answered
    yet). Phase 1 needs Communicatie and Netwerken of those, 0 of 2 suit; phases 2 and 3 need
    Communicatie, Lef and Netwerken, 1 of 3; phase 4 needs none of them: nothing answered,
    share 0."""
    answers = {
        **{f"lef.{n}": ZEER for n in range(1, 5)},
        **{f"netwerken.{n}": NIET for n in range(1, 5)},
        "communicatie.1": ZEER,
        "communicatie.2": ZEER,
        "communicatie.3": NIET,
        "communicatie.4": NIET,
        "signaleren.1": ZEER,
    }
    phases = cover_phases(instrument, score_competencies(instrument, answers))
    assert [(p.answered, p.suiting) for p in phases] == [
        (("communicatie", "netwerken"), ()),
        (("communicatie", "lef", "netwerken"), ("lef",)),
        (("communicatie", "lef", "netwerken"), ("lef",)),
        ((), ()),
    ]
    assert [p.share for p in phases] == [0.0, 1 / 3, 1 / 3, 0.0]
    assert [p.complete for p in phases] == [False, False, False, False]


def test_one_phase_complete_is_not_enough_to_compare_them(instrument):
    """Exactly the five competencies of phase 4 answered (Signaleren, Sensitiviteit and
    Samenwerken Zeer waar; Zelfreflectie and Stressbestendigheid Niet waar): phase 4 is
    complete, 3 of 5; phase 1 has 3 of its 6, all suiting, but still misses three, so no
    phase is called strongest or weakest."""
    suiting = ("signaleren", "sensitiviteit", "samenwerken")
    answers = {
        f"{c}.{n}": ZEER if c in suiting else NIET
        for c in (*suiting, "zelfreflectie", "stressbestendigheid")
        for n in range(1, 5)
    }
    summary = summarise(instrument, answers)
    assert [p.complete for p in summary.phases] == [False, False, False, True]
    assert [(len(p.suiting), len(p.answered)) for p in summary.phases][3] == (3, 5)
    assert not summary.phases_complete
    assert summary.strongest_phase is None and summary.weakest_phase is None


def test_phases_are_in_cycle_order(instrument):
    phases = cover_phases(instrument, score_competencies(instrument, _all(instrument, NEGOTIATOR)))
    assert [p.phase.id for p in phases] == ["1", "2", "3", "4"]


def test_voorbeeld_2_strong_in_signalling_weak_in_execution(instrument):
    # The brochure's Voorbeeld 2: good at signaleren, sensitiviteit, samenwerken; less at
    # overtuigingskracht and onderhandelen.
    summary = summarise(
        instrument, _all(instrument, {"signaleren", "sensitiviteit", "samenwerken", "communicatie"})
    )
    assert summary.strongest_phase.phase.id == "1"
    assert summary.weakest_phase.phase.id == "3"


def test_even_phases_have_no_strongest_or_weakest(instrument):
    summary = summarise(instrument, _all(instrument, set()))
    assert summary.strongest_phase is None and summary.weakest_phase is None


def test_summary_lists_at_most_five_fitting_tasks_with_reasons_then_the_rest(instrument):
    """Everything suits: all 13 tasks fit; the five best (the first tasks needing five) come with
    their reason, the other eight by name."""
    everything = {c.id for c in instrument.competencies}
    summary = summarise(instrument, _all(instrument, everything))
    assert [f.task.id for f in summary.fitting_tasks] == ["1.3", "2.3", "3.1", "3.2", "3.3"]
    assert [f.task.id for f in summary.more_fitting_tasks] == [
        *("3.4", "3.5", "4.1"),
        *("1.2", "2.1", "2.2", "2.4"),
        "1.1",
    ]
    assert summary.tasks_within_reach == ()

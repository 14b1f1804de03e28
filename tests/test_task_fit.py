"""Task fit from Bijlage 1, the tasks within reach, and the four phases."""

from __future__ import annotations

from domain.scoring import score_competencies
from domain.summary import summarise
from domain.task_fit import cover_phases, fit_tasks

ZEER, NIET = 1, 4


def _all(instrument, suiting: set[str]) -> dict[str, int]:
    """Every statement answered: Zeer waar for the given competencies, Niet waar elsewhere."""
    return {
        s.id: ZEER if c.id in suiting else NIET
        for c in instrument.competencies
        for s in c.statements
    }


def _fits(instrument, suiting):
    return {
        f.task.id: f
        for f in fit_tasks(instrument, score_competencies(instrument, _all(instrument, suiting)))
    }


def test_a_task_fits_when_most_of_its_competencies_suit(instrument):
    # Task 1.1 needs signaleren, communicatie, netwerken.
    fits = _fits(instrument, {"signaleren", "communicatie"})
    assert fits["1.1"].fits
    assert fits["1.1"].suiting == ("signaleren", "communicatie")
    assert fits["1.1"].missing == ("netwerken",)
    # Task 3.5 needs five, none of which suit.
    assert not fits["3.5"].fits and not fits["3.5"].within_reach


def test_half_is_not_most(instrument):
    # Task 2.4 needs onderhandelen, politiek, netwerken, samenwerken: 2 of 4 is not a fit yet,
    # but one more makes it one.
    fit = _fits(instrument, {"onderhandelen", "politiek"})["2.4"]
    assert not fit.fits
    assert fit.within_reach
    assert set(fit.missing) == {"netwerken", "samenwerken"}


def test_three_of_five_fits_two_of_five_is_within_reach(instrument):
    # Task 3.2: onderhandelen, overtuigingskracht, politiek, zelfreflectie, stressbestendigheid
    assert _fits(instrument, {"onderhandelen", "overtuigingskracht", "politiek"})["3.2"].fits
    two = _fits(instrument, {"onderhandelen", "overtuigingskracht"})["3.2"]
    assert not two.fits and two.within_reach


def test_ranking_best_share_first_then_more_evidence(instrument):
    everything = {c.id for c in instrument.competencies}
    ranked = fit_tasks(instrument, score_competencies(instrument, _all(instrument, everything)))
    assert all(f.share == 1 for f in ranked)
    # all fit fully: tasks needing five come before tasks needing fewer, then brochure order
    assert [f.needed for f in ranked] == sorted((f.needed for f in ranked), reverse=True)
    assert ranked[0].task.id == "1.3"


def test_competencies_not_yet_filled_in_are_named_as_such(instrument):
    answers = {s.id: ZEER for s in instrument.competency("signaleren").statements}
    fits = {f.task.id: f for f in fit_tasks(instrument, score_competencies(instrument, answers))}
    assert fits["1.1"].within_reach
    assert fits["1.1"].undecided == ("communicatie", "netwerken")


def test_phases_count_what_their_tasks_need(instrument):
    signalling = {"signaleren", "sensitiviteit", "communicatie", "samenwerken"}
    fits = fit_tasks(instrument, score_competencies(instrument, _all(instrument, signalling)))
    phases = {p.phase.id: p for p in cover_phases(instrument, fits)}
    # Phase 1: tasks 1.1 (3), 1.2 (4), 1.3 (5) need 12; of those 2 + 4 + 3 suit.
    assert (phases["1"].suiting, phases["1"].needed) == (9, 12)
    assert phases["3"].needed == 25


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
    everything = {c.id for c in instrument.competencies}
    summary = summarise(instrument, _all(instrument, everything))
    assert len(summary.fitting_tasks) == 5
    assert len(summary.more_fitting_tasks) == 8
    assert summary.tasks_within_reach == ()

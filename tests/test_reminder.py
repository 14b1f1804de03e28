"""A person's reminders (domain/reminder.py): asking, going on, off for good, and one offer for
each standstill."""

from __future__ import annotations

from domain.reminder import Reminder

MON = "2026-01-12T09:00:00+00:00"
TUE = "2026-01-13T09:00:00+00:00"
WED = "2026-01-14T09:00:00+00:00"
THU = "2026-01-15T09:00:00+00:00"


def test_asking_sets_the_reminder_and_going_on_cancels_it():
    asked = Reminder(7).asked(THU, MON)
    assert asked == Reminder(7, due_at=THU, asked_at=MON)
    assert asked.cancelled() == Reminder(7)
    # asking again replaces it
    assert asked.asked(WED, TUE) == Reminder(7, due_at=WED, asked_at=TUE)


def test_off_for_good_cancels_a_waiting_reminder_and_stops_offers():
    off = Reminder(7, due_at=THU, asked_at=MON, offered_at=MON).turned_off(TUE)
    assert off == Reminder(7, offered_at=MON, off_at=TUE)
    assert not off.on
    assert not off.offers_at_standstill(WED)
    # tapped again later: it was off since Tuesday
    assert off.turned_off(THU).off_at == TUE


def test_on_again_by_the_button_or_by_asking_for_a_reminder():
    off = Reminder(7, off_at=TUE)
    assert off.turned_on() == Reminder(7)
    assert off.asked(THU, WED) == Reminder(7, due_at=THU, asked_at=WED)


def test_one_offer_for_each_standstill():
    # never offered: a standstill since Monday gets one
    assert Reminder(7).offers_at_standstill(MON)
    # offered on Tuesday (after Pauze, or at this standstill): not for a standstill since Monday
    offered = Reminder(7).offered(TUE)
    assert not offered.offers_at_standstill(MON)
    assert not offered.offers_at_standstill(TUE)
    # the person came back on Wednesday and stopped again: a new standstill, a new offer
    assert offered.offers_at_standstill(WED)
    # not while a reminder waits
    assert not offered.asked(THU, TUE).offers_at_standstill(WED)

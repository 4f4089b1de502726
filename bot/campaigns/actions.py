"""What the campaign feature's buttons and form steps are called.

Kept apart from the handlers so that every view drawing a campaign button (reports, summaries,
schedules, the advisor's "make it a campaign") can do so without importing the handlers.
"""

from __future__ import annotations

from enum import StrEnum

from bot.chat.kernel import ButtonMaker
from bot.chat.replies import Button
from models.campaigns import Campaign


class Action(StrEnum):
    """Buttons of /kampanye; the first argument is the campaign id unless noted."""

    LIST = "list"  # page
    NEW = "new"
    FROM_RECOMMENDATION = "from_recommendation"  # saved recommendation id
    DURATION = "duration"  # days, answering the dates question
    DETAIL = "detail"
    ADD_MEMBER = "add_member"
    REMOVE = "remove"  # page of members to pick from
    REMOVE_MEMBER = "remove_member"  # member id: asks for confirmation
    CONFIRM_REMOVE = "remove_yes"  # member id
    EDIT = "edit"
    EDIT_NAME = "edit_name"
    EDIT_BUDGET = "edit_budget"
    EDIT_DATES = "edit_dates"
    EDIT_BRIEF = "edit_brief"
    END = "end"
    CONFIRM_END = "end_yes"
    DELETE = "delete"
    CONFIRM_DELETE = "delete_yes"
    REPORT = "report"
    REPORT_CSV = "report_csv"


class Step(StrEnum):
    """Form steps whose free text the campaign feature reads (values as stored since v1)."""

    NAME = "k_name"
    BUDGET = "k_budget"
    DATES = "k_dates"
    ADD_MEMBER = "k_add"
    EDIT_NAME = "k_edit_name"
    EDIT_BUDGET = "k_edit_budget"
    EDIT_DATES = "k_edit_dates"
    EDIT_BRIEF = "k_edit_brief"


make = ButtonMaker("campaign", Action)


def choice(campaign: Campaign, data: str) -> Button:
    """A button that picks one of several campaigns ("#12 Promo Sambal")."""
    return Button(f"#{campaign.id} {campaign.name}"[:40], data)

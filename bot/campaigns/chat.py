"""/kampanye in the chat: the campaign feature's table of buttons and form steps.

Buttons read ``campaign.<action>:<campaign id>[:<arg>]``; the campaign is looked up with the
presser's id every time (see `guard`), so a forged id only reaches their own campaigns.
"""

from __future__ import annotations

from bot.campaigns import create, edits, views
from bot.campaigns.actions import Action, Step
from bot.campaigns.guard import guarded, managed, viewed
from bot.chat.kernel import Feature

FEATURE = Feature(
    name="campaign",
    actions=Action,
    buttons={
        Action.LIST: views.show_list,
        Action.NEW: create.new,
        Action.FROM_RECOMMENDATION: guarded(create.from_recommendation),
        Action.DURATION: guarded(create.duration),
        Action.DETAIL: viewed(views.show_detail),
        Action.REPORT: viewed(views.show_report),
        Action.REPORT_CSV: viewed(views.send_report_csv),
        Action.ADD_MEMBER: managed(edits.ask_member),
        Action.REMOVE: managed(edits.pick_member),
        Action.REMOVE_MEMBER: managed(edits.confirm_remove),
        Action.CONFIRM_REMOVE: managed(edits.remove),
        Action.EDIT: managed(edits.edit_menu),
        Action.EDIT_NAME: managed(edits.ask_name),
        Action.EDIT_BUDGET: managed(edits.ask_budget),
        Action.EDIT_DATES: managed(edits.ask_dates),
        Action.EDIT_BRIEF: managed(edits.ask_brief),
        Action.END: managed(edits.confirm_end),
        Action.CONFIRM_END: managed(edits.end),
        Action.DELETE: managed(edits.confirm_delete),
        Action.CONFIRM_DELETE: managed(edits.delete),
    },
    steps={
        Step.NAME: create.name_text,
        Step.BUDGET: create.budget_text,
        Step.DATES: create.dates_text,
        Step.ADD_MEMBER: edits.member_text,
        Step.EDIT_NAME: edits.name_text,
        Step.EDIT_BUDGET: edits.budget_text,
        Step.EDIT_DATES: edits.dates_text,
        Step.EDIT_BRIEF: edits.brief_text,
    },
)

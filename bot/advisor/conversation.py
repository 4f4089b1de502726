"""The advisor conversation: one question at a time, free text or buttons, state in the database.

Every entry point takes an open Session (one transaction per update) and returns an Outcome;
the handlers only translate Telegram updates into these calls and the Outcome back into messages.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from bot.advisor.engine import Recommendation
from bot.advisor.learning import OwnResults
from bot.advisor.recommendations import advise, nothing_fits_text
from bot.advisor.view import (
    STRATEGY_BY_CODE,
    csv_document,
    main_view,
    others_view,
    portfolio_view,
    strategies_view,
)
from bot.chat import callbacks
from bot.chat.callbacks import BadCallback, Callback
from bot.chat.formatting import compact, rupiah
from bot.chat.replies import Button, Outcome, Reply, rows
from bot.chat.texts import render
from bot.domain import NICHES, PLATFORM_LABELS, Brief, Goal, Location, Platform
from bot.language.parsing import (
    BriefDraft,
    extract_brief,
    is_ascii_digits,
    parse_budget,
    parse_goal,
    parse_location,
    parse_niche,
    parse_platform,
)
from bot.language.places import resolve_place
from bot.privacy import rules as privacy_rules
from bot.store.search import available_platforms
from bot.store.upload import scopes_for
from models.conversations import Conversation, load_conversation, save_conversation
from models.users import (
    UserAccount,
    add_recommendation,
    get_recommendation,
    list_saved,
    upsert_user,
)

log = logging.getLogger(__name__)

FIELDS = ("niche", "goal", "budget", "platform", "location")
QUESTION_STEPS = frozenset(FIELDS) | {"budget_confirm"}
RETENTION_DAYS = privacy_rules.UNSAVED_RECOMMENDATION_DAYS
SAVED_PAGE = 5
_GOAL_CODES = {"a": Goal.AWARENESS, "e": Goal.ENGAGEMENT, "s": Goal.SALES}
_GOAL_BUTTONS = (
    ("a", "📣 Biar makin dikenal"),
    ("e", "💬 Biar banyak interaksi"),
    ("s", "🛒 Biar penjualan naik"),
)
_BUDGET_PRESETS = (1_000_000, 3_000_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000)
_QUICK_CITIES = ("Jakarta", "Surabaya", "Bandung", "Medan", "Yogyakarta", "Makassar")
_EDIT_LABELS = {
    "niche": "Ubah bidang",
    "goal": "Ubah tujuan",
    "budget": "Ubah budget",
    "platform": "Ubah platform",
    "location": "Ubah lokasi",
}


@dataclass(frozen=True)
class Person:
    """The Telegram user behind an update, as the domain needs it."""

    id: int
    first_name: str
    chat_id: int
    bot_username: str = ""  # for deep links (t.me/<bot>?start=<code>)

    def __post_init__(self) -> None:
        # NUL never means anything in a name, and PostgreSQL cannot store it.
        object.__setattr__(self, "first_name", self.first_name.replace("\x00", ""))


# ---------------------------------------------------------------- entry points


def start(session: Session, person: Person) -> Outcome:
    """/start and /mulai: a fresh consultation."""
    upsert_user(session, user_id=person.id, first_name=person.first_name)
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    save_conversation(session, conv, step="niche", answers=_kept(conv.answers))
    outcome = Outcome()
    outcome.add(Reply(render("welcome", name=person.first_name or "")))
    outcome.add(_question(session, conv, "niche"))
    return outcome


def cancel(session: Session, person: Person) -> Outcome:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    save_conversation(session, conv, step="idle", answers=_kept(conv.answers))
    return Outcome().add(Reply(render("cancelled")))


def _kept(answers: dict[str, Any]) -> dict[str, Any]:
    """What survives a fresh start: the client a staff member works for."""
    return {key: answers[key] for key in ("acting_for",) if key in answers}


def help_text(session: Session, person: Person) -> Outcome:
    return Outcome().add(Reply(render("help")))


def privacy(session: Session, person: Person) -> Outcome:
    return Outcome().add(
        Reply(
            render(
                "privacy",
                retention_days=RETENTION_DAYS,
                update_days=privacy_rules.UPDATE_ID_DAYS,
                broadcast_days=privacy_rules.BROADCAST_DAYS,
            )
        )
    )


def request_deletion(session: Session, person: Person) -> Outcome:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    answers = dict(conv.answers)
    answers["resume_step"] = (
        conv.step if conv.step != "confirm_delete" else answers.get("resume_step", "idle")
    )
    save_conversation(session, conv, step="confirm_delete", answers=answers)
    data = privacy_rules.footprint(session, user_id=person.id)
    buttons = rows(
        Button("🗑 Ya, hapus semua", callbacks.conversation(conv.version, "del", "yes")),
        Button("Batal", callbacks.conversation(conv.version, "del", "no")),
    )
    return Outcome().add(Reply(render("delete_confirm", data=data), buttons=buttons))


def saved_list(session: Session, person: Person, page: int = 0, *, edit: bool = False) -> Outcome:
    items = list_saved(session, user_id=person.id)
    pages = max(1, -(-len(items) // SAVED_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = items[page * SAVED_PAGE : (page + 1) * SAVED_PAGE]
    first_index = page * SAVED_PAGE + 1
    views = [
        {
            "brief": Brief.from_dict(item.brief),
            "strategy": item.result.get("chosen"),
            "saved_at": item.saved_at,
        }
        for item in shown
    ]
    numbers = tuple(Button(str(first_index + i), f"o:{item.id}") for i, item in enumerate(shown))
    pager = []
    if page > 0:
        pager.append(Button("◀ Sebelumnya", f"t:{page - 1}"))
    if page < pages - 1:
        pager.append(Button("Berikutnya ▶", f"t:{page + 1}"))
    keyboard = tuple(row for row in (*rows(*numbers, per_row=5), tuple(pager)) if row)
    text = render(
        "saved_list",
        items=views,
        page=page,
        pages=pages,
        first_index=first_index,
        timezone=_timezone(session, person),
    )
    return Outcome().add(Reply(text, buttons=keyboard, edit=edit))


def text_message(session: Session, person: Person, text: str) -> Outcome:
    """Free text: answers the current question, and anything else it says is taken too."""
    upsert_user(session, user_id=person.id, first_name=person.first_name)
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    text = text.strip()
    if conv.step not in QUESTION_STEPS and conv.step != "recap":
        # idle, done, confirm_delete, or a step of another feature that did not take the text
        draft = extract_brief(text)
        if not draft.found():
            return Outcome().add(Reply(render("idle_hint")))
        return _absorb(session, conv, _kept(conv.answers), draft, current=None, text=text)
    if conv.step == "recap":
        draft = extract_brief(text)
        if not draft.found():
            return Outcome().add(_recap(conv))
        return _absorb(session, conv, dict(conv.answers), draft, current=None, text=text)
    if conv.step == "budget_confirm":
        conv_answers = dict(conv.answers)
        conv_answers.pop("pending_budget", None)
        save_conversation(session, conv, step="budget", answers=conv_answers)
        return text_message(session, person, text)
    return _answer_step(session, conv, conv.step, text)


def not_text(session: Session, person: Person) -> Outcome:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    outcome = Outcome().add(Reply(render("not_text")))
    if conv.step in QUESTION_STEPS:
        outcome.add(_question(session, conv, conv.step))
    return outcome


def button(session: Session, person: Person, data: str | None) -> Outcome:
    """A pressed inline button; forged or stale data gets a polite toast, never an error."""
    try:
        cb = callbacks.decode(data)
        if cb.kind == "c":
            return _conversation_button(session, person, cb)
        if cb.kind == "r":
            return _recommendation_button(session, person, cb)
        if cb.kind == "t":
            return saved_list(session, person, cb.int_at(0), edit=True)
        if cb.kind == "o":
            return _open_saved(session, person, cb.int_at(0))
    except BadCallback as exc:
        log.warning("refused callback data %r from user %s: %s", data, person.id, exc)
    return Outcome(toast=render("toast", kind="bad"))


# ---------------------------------------------------------------- questions


def _question(
    session: Session, conv: Conversation, step: str, *, retry: bool = False, text: str = ""
) -> Reply:
    v = conv.version
    if step == "niche":
        niche_buttons = [Button(n, callbacks.conversation(v, "n", i)) for i, n in enumerate(NICHES)]
        niche_buttons.append(Button("Lainnya ✍️", callbacks.conversation(v, "n", "x")))
        return Reply(render("ask_niche", retry=retry, text=text), buttons=rows(*niche_buttons))
    if step == "goal":
        goal_buttons = [
            Button(label, callbacks.conversation(v, "g", code)) for code, label in _GOAL_BUTTONS
        ]
        return Reply(render("ask_goal", retry=retry), buttons=rows(*goal_buttons, per_row=1))
    if step == "budget":
        presets = [
            Button(f"Rp{_short_juta(amount)}", callbacks.conversation(v, "b", amount))
            for amount in _BUDGET_PRESETS
        ]
        return Reply(render("ask_budget"), buttons=rows(*presets, per_row=3))
    if step == "budget_confirm":
        amount = int(conv.answers.get("pending_budget", 0))
        return Reply(
            render("budget_ambiguous", amount=amount),
            buttons=rows(
                Button(f"Ya, Rp{_short_juta(amount)}", callbacks.conversation(v, "b", amount)),
                Button("Bukan, saya ketik ulang", callbacks.conversation(v, "b", "retype")),
                per_row=1,
            ),
        )
    if step == "platform":
        platform_buttons = [
            Button(PLATFORM_LABELS[p], callbacks.conversation(v, "p", p.value))
            for p in available_platforms_for_buttons(session)
        ]
        return Reply(
            render("ask_platform", retry=retry), buttons=rows(*platform_buttons, per_row=3)
        )
    if step == "location":
        city_buttons = [
            Button(city, callbacks.conversation(v, "l", i)) for i, city in enumerate(_QUICK_CITIES)
        ]
        buttons = (
            *rows(*city_buttons, per_row=3),
            (Button("🇮🇩 Seluruh Indonesia", callbacks.conversation(v, "l", "nat")),),
        )
        return Reply(render("ask_location", retry=retry, text=text), buttons=buttons)
    raise ValueError(f"no question for step {step!r}")


def available_platforms_for_buttons(session: Session) -> list[Platform]:
    """Instagram, TikTok and YouTube always; Facebook and X only where the store has accounts."""
    present = available_platforms(session)
    core = [Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE]
    return core + [p for p in (Platform.FACEBOOK, Platform.X) if p in present]


def _short_juta(amount: int) -> str:
    return compact(amount)


def _next_step(answers: dict[str, Any]) -> str:
    for name in FIELDS:
        if answers.get(name) is None:
            return name
    return "recap"


def _recap(conv: Conversation) -> Reply:
    v = conv.version
    edit_buttons = [
        Button(label, callbacks.conversation(v, "e", name)) for name, label in _EDIT_LABELS.items()
    ]
    keyboard = (
        *rows(*edit_buttons, per_row=2),
        (Button("🎯 Lihat rekomendasi", callbacks.conversation(v, "go")),),
    )
    acting = conv.answers.get("acting_for") or {}
    client_name = acting.get("client_name")
    return Reply(
        render("recap", answers=_view_answers(conv.answers), client_name=client_name),
        buttons=keyboard,
    )


def _view_answers(answers: dict[str, Any]) -> dict[str, Any]:
    view = dict(answers)
    if isinstance(view.get("location"), dict):
        view["location"] = Location.from_dict(view["location"])
    return view


def _advance(
    session: Session, conv: Conversation, answers: dict[str, Any], outcome: Outcome
) -> Outcome:
    """Ask the next missing answer, or show the recap when everything is known."""
    step = _next_step(answers)
    if answers.pop("return_to_recap", False) and step != "recap":
        answers["return_to_recap"] = True
    save_conversation(session, conv, step=step, answers=answers)
    if step == "recap":
        outcome.add(_recap(conv))
    else:
        outcome.add(_question(session, conv, step))
    return outcome


def _set(answers: dict[str, Any], name: str, value: Any) -> None:
    if isinstance(value, Location):
        value = value.to_dict()
    elif isinstance(value, (Goal, Platform)):
        value = value.value
    answers[name] = value


def _absorb(
    session: Session,
    conv: Conversation,
    answers: dict[str, Any],
    draft: BriefDraft,
    *,
    current: str | None,
    text: str,
) -> Outcome:
    """Take every answer a free-text message gave, say so, then ask only what is missing."""
    found = [name for name in draft.found() if name != "budget" or draft.budget is not None]
    for name in found:
        _set(answers, name, getattr(draft, name))
    outcome = Outcome()
    if found:
        outcome.add(Reply(render("understood", fields=found, answers=_view_answers(answers))))
    if draft.budget is None and draft.budget_ambiguous_juta and answers.get("budget") is None:
        answers["pending_budget"] = draft.budget_ambiguous_juta
        save_conversation(session, conv, step="budget_confirm", answers=answers)
        return outcome.add(_question(session, conv, "budget_confirm"))
    if current is not None and current not in found and answers.get(current) is None:
        save_conversation(session, conv, step=current, answers=answers)
        return outcome.add(_question(session, conv, current, retry=True, text=text))
    return _advance(session, conv, answers, outcome)


def _answer_step(session: Session, conv: Conversation, step: str, text: str) -> Outcome:
    answers = dict(conv.answers)
    draft = extract_brief(text)
    if step == "budget":
        parsed = parse_budget(text)
        if parsed.amount is not None:
            draft = _with(draft, budget=parsed.amount, budget_ambiguous_juta=None)
        elif parsed.ambiguous_juta is not None:
            draft = _with(draft, budget=None, budget_ambiguous_juta=parsed.ambiguous_juta)
        elif not _others_found(draft, "budget"):
            save_conversation(session, conv, step="budget", answers=answers)
            return Outcome().add(
                Reply(render("budget_error", error=parsed.error, text=_clip(text)))
            )
    else:
        specific = {
            "niche": parse_niche,
            "goal": parse_goal,
            "platform": parse_platform,
            "location": parse_location,
        }[step](text)
        if specific is not None:
            draft = _with(draft, **{step: specific})
    answers.pop(step, None)
    return _absorb(session, conv, answers, draft, current=step, text=_clip(text))


def _others_found(draft: BriefDraft, step: str) -> bool:
    return any(name != step for name in draft.found())


def _with(draft: BriefDraft, **changes: Any) -> BriefDraft:
    return replace(draft, **changes)


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- buttons


def _conversation_button(session: Session, person: Person, cb: Callback) -> Outcome:
    conv = load_conversation(session, chat_id=person.chat_id, user_id=person.id)
    version = cb.int_at(0)
    action = cb.str_at(1)
    arg = cb.parts[2] if len(cb.parts) > 2 else ""
    if version != conv.version:
        return _stale(session, conv)
    answers = dict(conv.answers)
    if action == "del":
        return _deletion_answer(session, person, conv, arg)
    if action == "go":
        if conv.step != "recap" or _next_step(answers) != "recap":
            return _stale(session, conv)
        return _recommend(session, person, conv)
    if action == "e":
        if arg not in FIELDS or conv.step != "recap":
            raise BadCallback(f"bad edit field {arg!r}")
        answers["return_to_recap"] = True
        save_conversation(session, conv, step=arg, answers=answers)
        return Outcome().add(_question(session, conv, arg))
    chosen, label, field_name = _button_choice(session, action, arg, conv)
    outcome = Outcome()
    if field_name == "retype":
        answers.pop("pending_budget", None)
        save_conversation(session, conv, step="budget", answers=answers)
        return outcome.add(_question(session, conv, "budget"))
    if field_name == "niche_other":
        return outcome.add(Reply(render("ask_niche_other")))
    answers.pop("pending_budget", None)
    _set(answers, field_name, chosen)
    outcome.add(
        Reply(render("answered", question=_question_title(field_name), choice=label), edit=True)
    )
    return _advance(session, conv, answers, outcome)


def _button_choice(
    session: Session, action: str, arg: str, conv: Conversation
) -> tuple[Any, str, str]:
    if action == "n":
        if arg == "x":
            return None, "", "niche_other"
        index = int(arg) if is_ascii_digits(arg) else -1
        if not 0 <= index < len(NICHES):
            raise BadCallback("bad niche index")
        return NICHES[index], NICHES[index], "niche"
    if action == "g":
        goal = _GOAL_CODES.get(arg)
        if goal is None:
            raise BadCallback("bad goal")
        return goal, dict(_GOAL_BUTTONS)[arg], "goal"
    if action == "b":
        if arg == "retype":
            return None, "", "retype"
        if not is_ascii_digits(arg) or not 10_000 <= int(arg) <= 100_000_000_000:
            raise BadCallback("bad budget")
        return int(arg), rupiah(int(arg)), "budget"
    if action == "p":
        try:
            platform = Platform(arg)
        except ValueError as exc:
            raise BadCallback("bad platform") from exc
        return platform, PLATFORM_LABELS[platform], "platform"
    if action == "l":
        if arg == "nat":
            location = parse_location("seluruh indonesia")
        else:
            index = int(arg) if is_ascii_digits(arg) else -1
            if not 0 <= index < len(_QUICK_CITIES):
                raise BadCallback("bad city index")
            location = resolve_place(_QUICK_CITIES[index])
        if location is None:
            raise BadCallback("location did not resolve")
        return location, location.name, "location"
    raise BadCallback(f"unknown action {action!r}")


def _question_title(field_name: str) -> str:
    return {
        "niche": "Bidang usaha",
        "goal": "Tujuan kampanye",
        "budget": "Budget endorse",
        "platform": "Platform",
        "location": "Lokasi target",
    }[field_name]


def _stale(session: Session, conv: Conversation) -> Outcome:
    outcome = Outcome(toast=render("toast", kind="stale"))
    if conv.step in QUESTION_STEPS:
        outcome.add(_question(session, conv, conv.step))
    elif conv.step == "recap":
        outcome.add(_recap(conv))
    return outcome


def _deletion_answer(session: Session, person: Person, conv: Conversation, arg: str) -> Outcome:
    if conv.step != "confirm_delete":
        return _stale(session, conv)
    if arg == "yes":
        privacy_rules.forget_user(session, user_id=person.id, chat_id=person.chat_id)
        return Outcome().add(
            Reply(render("deleted", update_days=privacy_rules.UPDATE_ID_DAYS), edit=True)
        )
    answers = dict(conv.answers)
    resume = answers.pop("resume_step", "idle")
    save_conversation(session, conv, step=resume, answers=answers)
    outcome = Outcome().add(Reply(render("delete_kept"), edit=True))
    if resume in QUESTION_STEPS:
        outcome.add(_question(session, conv, resume))
    elif resume == "recap":
        outcome.add(_recap(conv))
    return outcome


def brief_from_answers(answers: dict[str, Any]) -> Brief:
    return Brief(
        niche=answers["niche"],
        goal=Goal(answers["goal"]),
        budget=int(answers["budget"]),
        platform=Platform(answers["platform"]),
        location=Location.from_dict(answers["location"]),
    )


def _recommend(session: Session, person: Person, conv: Conversation) -> Outcome:
    brief = brief_from_answers(conv.answers)
    scopes = scopes_for(session, user_id=person.id, chat_id=person.chat_id)
    advice = advise(session, brief, owner_id=person.id, scopes=scopes)
    rec = advice.recommendation
    outcome = Outcome()
    outcome.add(
        Reply(render("recap_done", answers=_view_answers(conv.answers)).split("\n")[0], edit=True)
    )
    if rec.chosen is None:
        save_conversation(session, conv, step="recap", answers=conv.answers)
        v = conv.version
        buttons = rows(
            Button("Ubah budget", callbacks.conversation(v, "e", "budget")),
            Button("Ubah platform", callbacks.conversation(v, "e", "platform")),
            Button("Ubah bidang", callbacks.conversation(v, "e", "niche")),
            Button("Ubah lokasi", callbacks.conversation(v, "e", "location")),
        )
        return outcome.add(Reply(nothing_fits_text(advice), buttons=buttons))
    row = add_recommendation(
        session,
        user_id=person.id,
        chat_id=person.chat_id,
        brief=brief.to_dict(),
        result={**rec.to_dict(), "own_results": advice.own.to_dict() if advice.own else None},
        sample_data=advice.sample_data,
    )
    save_conversation(session, conv, step="done", answers=conv.answers)
    return outcome.add(
        main_view(row.id, rec, sample_data=advice.sample_data, saved=False, own=advice.own)
    )


def _recommendation_button(session: Session, person: Person, cb: Callback) -> Outcome:
    rec_id = cb.int_at(0)
    view = cb.str_at(1)
    arg = cb.parts[2] if len(cb.parts) > 2 else ""
    row = get_recommendation(session, rec_id=rec_id, user_id=person.id)
    if row is None:
        log.warning(
            "user %s pressed a button of recommendation %s they do not own or that is gone",
            person.id,
            rec_id,
        )
        return Outcome(toast=render("toast", kind="gone"), alert=True)
    rec = Recommendation.from_dict(row.result)
    own = _own(row.result)
    saved = row.saved_at is not None
    if view == "m":
        page = int(arg) if is_ascii_digits(arg) else 0
        reply = main_view(row.id, rec, sample_data=row.sample_data, saved=saved, page=page, own=own)
        return Outcome().add(_as_edit(reply))
    if view == "s":
        return Outcome().add(_as_edit(strategies_view(row.id, rec, sample_data=row.sample_data)))
    if view == "v":
        strategy = STRATEGY_BY_CODE.get(arg[:2])
        if strategy is None or strategy not in rec.portfolios or not is_ascii_digits(arg[2:]):
            raise BadCallback("bad strategy view")
        return Outcome().add(_as_edit(portfolio_view(row.id, rec, strategy, int(arg[2:]))))
    if view == "k":
        page = int(arg) if is_ascii_digits(arg) else 0
        return Outcome().add(_as_edit(others_view(row.id, rec, page)))
    if view == "csv":
        return Outcome(toast=render("toast", kind="csv")).add(
            Reply(document=csv_document(row.id, rec))
        )
    if view == "save":
        if saved:
            return Outcome(toast=render("toast", kind="already_saved"))
        row.saved_at = datetime.now(UTC)
        session.add(row)
        reply = main_view(row.id, rec, sample_data=row.sample_data, saved=True, own=own)
        return Outcome(toast=render("toast", kind="saved")).add(_as_edit(reply))
    raise BadCallback(f"unknown view {view!r}")


def _as_edit(reply: Reply) -> Reply:
    return Reply(text=reply.text, buttons=reply.buttons, edit=True)


def _open_saved(session: Session, person: Person, rec_id: int) -> Outcome:
    row = get_recommendation(session, rec_id=rec_id, user_id=person.id)
    if row is None or row.saved_at is None:
        return Outcome(toast=render("toast", kind="gone"), alert=True)
    rec = Recommendation.from_dict(row.result)
    header = render("saved_header", saved_at=row.saved_at, timezone=_timezone(session, person))
    reply = main_view(row.id, rec, sample_data=row.sample_data, saved=True, own=_own(row.result))
    return Outcome().add(Reply(f"{header}\n\n{reply.text}", buttons=reply.buttons))


def _own(result: dict) -> OwnResults | None:
    data = result.get("own_results")
    return OwnResults.from_dict(data) if data else None


def _timezone(session: Session, person: Person) -> str:
    user = session.get(UserAccount, person.id)
    return user.timezone if user else "Asia/Jakarta"


def unknown_command(session: Session, person: Person) -> Outcome:
    return Outcome().add(Reply(render("unknown_command")))

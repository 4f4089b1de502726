"""Hundreds of real-looking owner messages, each read at its step as the conversation reads it.

The corpus (tests/unit/corpus/messages.txt) says, per message, what the advisor must take
from it: new answers, explicit corrections, values said in passing that are only asked
about, asides, unsure answers. Every quoted case of issue 11's "Understanding" is in it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.advisor.answers import Answers
from bot.advisor.interpret import Interpretation, interpret
from bot.domain import Location
from bot.language.places import resolve_place

CORPUS = Path(__file__).parent / "corpus" / "messages.txt"
STEP_OF_BLOCK = {"idle": ""}


def _answers(spec: str) -> Answers:
    values: dict[str, Any] = {}
    for item in spec.split():
        name, value = item.split("=", 1)
        value = value.replace("_", " ") if name == "niche" else value
        if name == "budget":
            values[name] = int(value)
        elif name == "location":
            values[name] = resolve_place(value)
        else:
            values[name] = value
    return Answers(**values)


def _cases() -> list[Any]:
    cases: list[Any] = []
    step, answers = "", Answers()
    for number, raw in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("# ") or line == "#":
            continue
        if line.startswith("## "):
            head, _, spec = line[3:].partition("|")
            step = STEP_OF_BLOCK.get(head.strip(), head.strip())
            answers = _answers(spec.replace("Properti & Rumah", "Properti_&_Rumah"))
            continue
        text, _, expected = line.rpartition(" -> ")
        cases.append(pytest.param(step, answers, text, expected.strip(), id=f"{number}:{text}"))
    return cases


def _label(value: Any) -> str:
    if isinstance(value, Location):
        return value.name
    return str(getattr(value, "value", value))


def describe(result: Interpretation) -> str:
    """The interpretation in the corpus's own notation."""
    if result.aside is not None:
        return f"aside {result.aside.value}"
    if result.unsure:
        return "unsure"
    items = [f"new {k}={_label(v)}" for k, v in result.new.items()]
    items += [f"change {k}={_label(v)}" for k, v in result.changes.items()]
    items += [f"ask {k}={_label(v)}" for k, v in result.ask.items()]
    items += [f"retract {name}" for name in result.retract]
    if result.budget_ambiguous_juta is not None:
        items.append(f"ambiguous {result.budget_ambiguous_juta}")
    if result.budget_error is not None:
        items.append(f"error {result.budget_error}")
    return "; ".join(sorted(items)) or "nothing"


def _normal(expected: str) -> str:
    return "; ".join(sorted(item.strip() for item in expected.split(";")))


@pytest.mark.parametrize(("step", "answers", "text", "expected"), _cases())
def test_message_is_read_as_expected(step: str, answers: Answers, text: str, expected: str) -> None:
    assert describe(interpret(step, text, answers)) == _normal(expected)


def test_the_corpus_is_large_and_covers_every_step() -> None:
    cases = _cases()
    assert len(cases) >= 200
    steps = {case.values[0] for case in cases}
    assert steps >= {"niche", "goal", "budget", "platform", "location", "business", "recap", ""}
    kinds = " ".join(case.values[3] for case in cases)
    for kind in ("change", "ask", "retract", "aside", "unsure", "ambiguous", "new business"):
        assert kind in kinds, kind


def test_the_issues_quoted_messages_are_in_the_corpus() -> None:
    texts = {case.values[2] for case in _cases()}
    quoted = {
        "tp plg penting org dateng beli",
        "di rumah aja kak jualannya online",
        "eh ga jadi tiktok, ig aja",
        "dua juta setengah",
        "500",
        "biar rame yg dateng ke warung",
        "biar followers ig nambah",
        "biar orang pada tau produk baru saya",
        "gatau",
        "terserah",
        "bedanya mikro sama makro apa kak?",
        "cara hubungin influencernya gimana kak?",
        "makasih kak",
    }
    assert quoted <= texts, quoted - texts

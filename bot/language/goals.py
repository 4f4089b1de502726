"""Campaign goals from chat words: "biar dikenal" is awareness, "biar laris" sales.

Owners state a goal as a wish, not a marketing term. Inside a longer message a weak word
("order", "like") counts as a goal only when a cue frames it ("biar banyak order"),
and "usaha penjualan keripik" describes the business, not what it wants.
"""

from __future__ import annotations

from bot.data import goal_words as words
from bot.domain import Goal
from bot.language.text import Hit, PhraseIndex, normalize, token_before


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


_FUZZY: dict[str, str] = {}
for _word in words.FUZZY_WORDS:
    for _variant in {_word, *_deletions(_word)}:
        _FUZZY.setdefault(_variant, _word)


def _canonical(token: str) -> str:
    """One spelling per word: slang, "-nya", "dateng2" and one-edit typos folded."""
    if len(token) > 3 and token.endswith("2") and not token[:-1].isdigit():
        token = token[:-1]
    if token in words.SPELLINGS:
        return words.SPELLINGS[token]
    if token.endswith("nya") and len(token) > 5:
        base = _canonical(token[:-3])
        if base in _SCENE_WORDS:
            return base
    if len(token) >= 7 and token not in words.REAL_NEIGHBOURS and not token.isdigit():
        for variant in (token, *_deletions(token)):
            word = _FUZZY.get(variant)
            if word is not None and abs(len(word) - len(token)) <= 1:
                return words.SPELLINGS.get(word, word)
    return token


def _canonical_tokens(tokens: list[str]) -> list[str]:
    return [_canonical(token) for token in tokens]


# (first word class, second word class, goal, needs a cue in a sentence)
_SCENES: tuple[tuple[frozenset[str], frozenset[str], Goal, bool], ...] = (
    (words.FOLLOWERS, words.GROW, Goal.AWARENESS, False),
    (words.GROW, words.FOLLOWERS, Goal.AWARENESS, False),
    (words.MANY, words.FOLLOWERS, Goal.AWARENESS, True),
    (words.FOLLOWERS, words.MANY, Goal.AWARENESS, True),
    (frozenset({"akun"}), words.GROW, Goal.AWARENESS, True),
    (words.GROW, frozenset({"akun"}), Goal.AWARENESS, True),
    (words.PEOPLE, words.KNOW, Goal.AWARENESS, False),
    (words.MANY, words.KNOW, Goal.AWARENESS, False),  # "biar banyak yg kenal"
    (words.BUSY, words.KNOW | words.FOLLOWS, Goal.AWARENESS, False),  # "rame yg follow"
    (words.BUYERS, words.BUY | words.BUSY, Goal.SALES, False),
    (words.BUSY | words.MANY, words.BUYERS, Goal.SALES, False),
    (words.BUSY, words.CUSTOMER_ACTS, Goal.SALES, False),
    (words.PEOPLE, words.BUY, Goal.SALES, True),
    (words.VISIT, words.PLACES, Goal.SALES, False),
    (words.PLACES, words.BUSY, Goal.SALES, True),
    (words.BUSY, words.PLACES, Goal.SALES, True),
    (words.BUSY, words.REACTIONS, Goal.ENGAGEMENT, False),
    (words.REACTIONS, words.BUSY, Goal.ENGAGEMENT, False),
)
_SCENE_GAP = 3
_SCENE_WORDS = frozenset().union(*(head | tail for head, tail, _, _ in _SCENES))


def _scene_hits(tokens: list[str], strict: bool) -> list[Hit[Goal]]:
    """Goals told as two related words with at most a few filler words between."""
    hits: list[Hit[Goal]] = []
    for i, first in enumerate(tokens):
        for head, tail, goal, weak in _SCENES:
            if first not in head:
                continue
            for j in range(i + 1, min(len(tokens), i + 2 + _SCENE_GAP)):
                if tokens[j] in tail:
                    if _scene_allowed(tokens, i, strict and weak):
                        hits.append(Hit(i, j + 1, " ".join(tokens[i : j + 1]), goal))
                    break
                if tokens[j] not in words.FILLER or tokens[j] in words.NEGATIONS:
                    break
    return hits


_NOT_AN_ACT = (
    words.AUDIENCE_ACTS
    | words.REACTIONS
    | words.FILLER
    | words.NEGATIONS
    | words.PEOPLE
    | words.KNOW
    | words.GOAL_CUES
)


def _busy_with_customers(tokens: list[str]) -> list[Hit[Goal]]:
    """ "rame yang <act>": people doing something at the business, which is buying by
    another name ("rame yg nyuci" at a laundry, "rame yang ngegym"), whatever the verb;
    acts of an online audience ("rame yg komen", "rame yg nonton") are left to the others."""
    hits: list[Hit[Goal]] = []
    for i, token in enumerate(tokens[:-2]):
        if token not in words.BUSY or tokens[i + 1] != "yang":
            continue
        j = i + 2
        while j < len(tokens) - 1 and tokens[j] in ("pada", "udah", "sudah", "mau"):
            j += 1  # "rame yang pada nyuci"
        act = tokens[j]
        is_act = act.isalpha() and len(act) > 2 and act not in _NOT_AN_ACT
        if is_act and _scene_allowed(tokens, i, False):
            hits.append(Hit(i, j + 1, " ".join(tokens[i : j + 1]), Goal.SALES))
    return hits


def _scene_allowed(tokens: list[str], start: int, needs_cue: bool) -> bool:
    before = {token_before(tokens, start), token_before(tokens, start, 2)}
    if before & (words.INFLUENCER_WORDS | words.NEGATIONS | words.QUESTION_WORDS):
        return False
    return not needs_cue or bool(before & _CUE_KEYS)


def _canonical_phrase(phrase: str) -> str:
    return " ".join(_canonical_tokens(normalize(phrase).split()))


_GOAL_INDEX: PhraseIndex[Goal] = PhraseIndex(
    {
        _canonical_phrase(phrase): goal
        for goal, phrases in words.GOAL_SYNONYMS.items()
        for phrase in phrases
    }
)
_WEAK_KEYS = frozenset(_canonical_phrase(word) for word in words.WEAK_GOAL_WORDS)
_CUE_KEYS = words.GOAL_CUES | frozenset(_canonical(cue) for cue in words.GOAL_CUES)


def find_goal(tokens: list[str], strict: bool) -> Goal | None:
    """The goal named in tokens; `strict` ignores weak words without a framing cue.

    A scene ("followers ig nambah") outranks a single word inside it ("rame" in "rame
    yang datang ke warung" is about buyers, not comments).
    """
    tokens = _canonical_tokens(tokens)
    candidates: list[Hit[Goal]] = []
    for hit in _GOAL_INDEX.scan(tokens):
        if hit.key == "penjualan" and token_before(tokens, hit.start) in words.BUSINESS_WORDS:
            continue
        if strict and hit.key in _WEAK_KEYS:
            cues = {token_before(tokens, hit.start), token_before(tokens, hit.start, 2)}
            if not cues & _CUE_KEYS:
                continue
        candidates.append(hit)
    candidates.extend(_scene_hits(tokens, strict))
    candidates.extend(_busy_with_customers(tokens))
    if not candidates:
        return None
    return max(candidates, key=lambda h: (len(h.key), -h.start)).value


def parse_goal(text: str) -> Goal | None:
    """Goal from its label, the enum value or chat words ("biar dikenal", "biar laris")."""
    if not text:
        return None
    key = normalize(text)
    exact = _GOAL_INDEX.get(" ".join(_canonical_tokens(key.split())))
    if exact is not None:
        return exact
    return find_goal(key.split(), strict=False)

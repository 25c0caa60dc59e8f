"""Reads how a note sounds: positive, neutral or negative, in German, English or both at once.

A lexicon and a few rules, in plain Python (about 20 µs a note, bench/sentiment.py):

1. The text is cut into words, numbers, emoji and punctuation; @handles, Slack mentions and
   links are left out, a #tag counts as its word. Words are folded (lower case, ä → ae,
   ö → oe, ü → ue, ß → ss), so "enttaeuscht" reads as "enttäuscht".
2. Each word is looked up in both languages' lists (words_de, words_en, words_emoji); a word
   not listed is tried without its language's endings ("tolle" → "toll", "loved" → "love"),
   as the end of a compound ("Lieferprobleme" → "probleme"; not a participle: "durchgefallen"
   is no "gefallen"), with "un-" turning a listed word around ("unreliable"), and one typo
   away: an inner letter missing or too many in a listed word of five letters or more
   ("zufriedn", "awsome"), or one wrong in a word of nine or more ("dissapointed").
3. Fixed expressions ("kein Problem", "no complaints", "weiter so") and emoji count as one
   piece that no negation turns around.
4. A negator turns around the sentiment words among the next few words of its clause: a
   positive one becomes as negative ("nicht zufrieden"), a negative one mildly positive
   ("nicht schlecht"), and an expected act not done is a complaint ("will nicht mehr
   posten", "keine Antwort"). When nothing follows it in its clause, it turns the word
   before it ("meldet sich nicht", "posted nothing").
5. An intensifier ("sehr", "really") makes the next sentiment word half as strong again;
   "zu"/"too" before a measure ("zu spät", "too low") is a complaint.
6. What comes before "aber", "but", "jedoch", "however" counts half.

The sum decides only when it is clear: at least THRESHOLD either way, else neutral.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.feedback.sentiment import words_de, words_emoji, words_en
from storage.feedback.models import Sentiment

THRESHOLD = 1.0  # the score a note needs to read as positive (or, below zero, negative)
NEGATION_REACH = 3  # words after a negator it turns around, within its clause
NEGATED_NEGATIVE = 0.5  # "nicht schlecht": a negative word turned around counts this much
UNDONE_DUTY = -2.0  # "meldet sich nicht", "hasn't posted"
TOO_MUCH = -2.0  # "zu spät", "too low"
BEFORE_CONTRAST = 0.5  # what came before "aber"/"but" counts this much
EMOJI_WEIGHT = 2.0
FUZZY_MIN = 5  # listed words this long (or longer) are found one letter more or less away
FUZZY_SWAP_MIN = 9  # words this long are also found with one letter wrong ("dissapointed")

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "’": "'", "‘": "'", "`": "'"})
_LEFT_OUT = re.compile(r"<[^>]*>|https?://\S+|@[\w.\-]+|[\ufe0f\u200d]")
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_TOKENS = re.compile(
    r"[^\W\d_]+(?:'[^\W\d_]+)*"  # words, with an inner apostrophe: didn't, she's
    r"|\d+(?:[.,]\d+)*"  # numbers
    r"|[:;]-?[()]|<3"  # emoticons
    r"|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55]"  # emoji, one each
    r"|[.,;:!?()\[\]/|–—-]"  # what ends a clause
)
_BREAKS = frozenset(".,;:!?()[]/|–—-")
# Endings dropped to find a listed word, each language's own endings for its own words only
# ("bombed" is no German "Bombe").
_ENDINGS = {"de": ("es", "en", "er", "em", "e", "s", "n"), "en": ("es", "ed", "ly", "s", "d")}


@dataclass(frozen=True, slots=True)
class Cue:
    """What one word does: its sentiment value, and the roles it can play."""

    value: float = 0.0
    negator: bool = False
    boost: float = 1.0  # an intensifier's (or downtoner's) factor for the next sentiment word
    contrast: bool = False
    duty: bool = False  # an act expected of a creator or seller: not doing it is a complaint
    too: bool = False  # "zu", "too"
    measure: bool = False  # what "too" can come before: "spät", "low"
    fixed: bool = False  # a phrase or emoji: no negation turns it around

    @property
    def sentiment(self) -> bool:
        return self.value != 0 or self.duty


NOTHING = Cue()
BREAK = Cue(contrast=True)  # ends a clause as a contrast does, without halving what came before


def fold(word: str) -> str:
    return word.lower().translate(_FOLD)


def _words(text: str) -> list[str]:
    return [fold(w) for w in text.split()]


def _only_value(cue: Cue, sign: float = 1.0) -> Cue:
    return Cue(value=sign * cue.value, duty=cue.duty)


def _merge(lexicon: dict[str, Cue], word: str, **roles: float | bool) -> None:
    current = lexicon.get(word, NOTHING)
    value = float(roles.pop("value", 0.0))
    if abs(value) > abs(current.value):
        current = replace(current, value=value)
    lexicon[word] = replace(current, **roles)  # type: ignore[arg-type]


def _build() -> tuple[dict[str, Cue], dict[tuple[str, ...], Cue], dict[str, dict[str, Cue]]]:
    lexicon: dict[str, Cue] = {}
    phrases: dict[tuple[str, ...], Cue] = {}
    stems: dict[str, dict[str, Cue]] = {}
    for code, language in (("de", words_de), ("en", words_en)):
        own = stems[code] = {}
        for table in (language.POSITIVE, language.NEGATIVE):
            for words in table.values():
                own.update(dict.fromkeys(_words(words), NOTHING))
        own.update(dict.fromkeys(_words(language.DUTIES), NOTHING))
        for sign, table in ((1, language.POSITIVE), (-1, language.NEGATIVE)):
            for weight, words in table.items():
                for word in _words(words):
                    _merge(lexicon, word, value=sign * weight)
        for word in _words(language.NEGATORS):
            _merge(lexicon, word, negator=True)
        for boosts in (language.INTENSIFIERS, language.DOWNTONERS):
            for factor, words in boosts.items():
                for word in _words(words):
                    _merge(lexicon, word, boost=factor)
        for word in _words(language.CONTRASTS):
            _merge(lexicon, word, contrast=True)
        for word in _words(language.DUTIES):
            _merge(lexicon, word, duty=True)
        for word in _words(language.TOO):
            _merge(lexicon, word, too=True)
        for word in _words(language.TOO_MUCH):
            _merge(lexicon, word, measure=True)
        for word in _words(language.NOT_SENTIMENT):
            lexicon.setdefault(word, NOTHING)
        for phrase, value in language.PHRASES.items():
            phrases[tuple(_words(phrase))] = Cue(value=float(value), fixed=True)
    for sign, marks in ((1, words_emoji.POSITIVE), (-1, words_emoji.NEGATIVE)):
        for mark in marks.split():
            lexicon[mark.replace("\ufe0f", "")] = Cue(value=sign * EMOJI_WEIGHT, fixed=True)
    lexicon["0"] = Cue(negator=True)  # "0 Sales"
    for own in stems.values():
        own.update({word: _only_value(lexicon[word]) for word in own})
    return lexicon, phrases, stems


LEXICON, PHRASES, _STEMS = _build()
_LONGEST_PHRASE = max(len(p) for p in PHRASES)
_PHRASE_STARTS = frozenset(p[0] for p in PHRASES)
_SENTIMENT_WORDS = {w: c for w, c in LEXICON.items() if c.value and not c.fixed}


def _one_letter_less(word: str) -> set[str]:
    """The word with one inner letter left out. Not the last: a word one letter longer or
    shorter at its end is another form ("please", "pleased"; "erfolgt", "erfolg"); not the
    first: "raise" is no typo of "praise"."""
    return {word[:i] + word[i + 1 :] for i in range(1, len(word) - 1)}


def _typo_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for word in _SENTIMENT_WORDS:
        if len(word) >= FUZZY_MIN:
            for shorter in _one_letter_less(word):
                index.setdefault(shorter, set()).add(word)
    return {k: frozenset(v) for k, v in index.items()}


_TYPOS = _typo_index()


def _one_typo_away(word: str) -> Cue:
    """The sentiment of the listed word one letter away (missing, extra, wrong or swapped),
    when every such word points the same way."""
    near: set[str] = set(_TYPOS.get(word, ()))  # a letter missing: "zufriedn"
    for shorter in _one_letter_less(word):
        if len(shorter) >= FUZZY_MIN and shorter in _SENTIMENT_WORDS:
            near.add(shorter)  # a letter too many
        if len(word) >= FUZZY_SWAP_MIN:
            near |= _TYPOS.get(shorter, frozenset())  # a letter wrong or two swapped
    signs = {_SENTIMENT_WORDS[w].value > 0 for w in near}
    if len(signs) != 1:
        return NOTHING
    return Cue(value=min((_SENTIMENT_WORDS[w].value for w in near), key=abs))


@lru_cache(maxsize=8192)
def cue(word: str) -> Cue:
    """What a folded word does, found as listed, without its ending, as the end of a
    compound, after "un-", or one typo away."""
    found = LEXICON.get(word)
    if found is not None:
        return found
    if not word[0].isalpha() or len(word) < 4:
        return NOTHING
    for code, endings in _ENDINGS.items():
        for ending in endings:
            stem = word[: -len(ending)]
            if word.endswith(ending) and len(stem) >= 3 and stem in _STEMS[code]:
                return _STEMS[code][stem]
    for start in range(3, len(word) - 4):
        tail = word[start:]
        if tail in _SENTIMENT_WORDS and not tail.startswith("ge"):  # "durchgefallen"
            return _only_value(_SENTIMENT_WORDS[tail])
    if word.startswith("un") and word[2:] in _SENTIMENT_WORDS:
        return _only_value(_SENTIMENT_WORDS[word[2:]], -1.0)
    return _one_typo_away(word)


def _cues(text: str) -> list[Cue]:
    cleaned = _INNER_HYPHEN.sub(" ", _LEFT_OUT.sub(" ", fold(text)))
    tokens = _TOKENS.findall(cleaned)
    cues: list[Cue] = []
    index, count = 0, len(tokens)
    while index < count:
        token = tokens[index]
        if token in _PHRASE_STARTS:
            for length in range(min(_LONGEST_PHRASE, count - index), 1, -1):
                phrase = PHRASES.get(tuple(tokens[index : index + length]))
                if phrase is not None:
                    cues.append(phrase)
                    index += length
                    break
            else:
                cues.append(cue(token))
                index += 1
            continue
        cues.append(BREAK if token in _BREAKS else cue(token))
        index += 1
    return cues


def _clause_score(clause: list[Cue]) -> float:
    """The sum of one clause's sentiment words, with its negations, boosts and "too"s."""
    turned = [False] * len(clause)
    boosts = [1.0] * len(clause)
    counted = [True] * len(clause)
    values = [c.value for c in clause]
    for i, c in enumerate(clause):
        if c.negator:
            reach = range(i + 1, min(len(clause), i + 1 + NEGATION_REACH))
            ahead = [j for j in reach if clause[j].sentiment and not clause[j].fixed]
            if not ahead:  # "meldet sich nicht": the word before
                back = range(i - 1, max(-1, i - 1 - NEGATION_REACH), -1)
                ahead = [j for j in back if clause[j].sentiment and not clause[j].fixed][:1]
            for j in ahead:
                turned[j] = not turned[j]
        if c.boost != 1.0:
            for j in range(i + 1, min(len(clause), i + 3)):
                if clause[j].value or clause[j].measure:
                    boosts[j] *= c.boost
                    counted[i] = False  # "super zufrieden": super only makes it stronger
                    break
        if c.too and i + 1 < len(clause) and clause[i + 1].measure:
            values[i + 1] = TOO_MUCH
    score = 0.0
    for j, c in enumerate(clause):
        value = values[j] if counted[j] else 0.0
        if turned[j]:
            if value > 0:
                value = -value
            elif value < 0:
                value = -value * NEGATED_NEGATIVE
            elif c.duty:
                value = UNDONE_DUTY
        score += value * boosts[j]
    return score


def sentiment_score(text: str) -> float:
    """How positive (above zero) or negative (below) the text sounds; see the module doc."""
    score = 0.0
    clause: list[Cue] = []
    for c in [*_cues(text), BREAK]:
        if c.contrast:
            score += _clause_score(clause)
            clause = []
            if c is not BREAK:
                score *= BEFORE_CONTRAST
        else:
            clause.append(c)
    return score


def read_sentiment(text: str) -> str:
    """positive, negative or neutral: the score when it is clear, else neutral."""
    score = sentiment_score(text)
    if score >= THRESHOLD:
        return str(Sentiment.POSITIVE)
    if score <= -THRESHOLD:
        return str(Sentiment.NEGATIVE)
    return str(Sentiment.NEUTRAL)

"""Topic and sentiment of a note, guessed only where it is obvious (both stay editable).

A tag decides first (`#samples` → samples, `#negative` → negative); otherwise the text decides
when it points one way only: words of exactly one topic, cues of exactly one sentiment. Cues
are read with their negation: "not happy" is negative, never positive.
"""

from __future__ import annotations

import re

from storage.feedback.models import Sentiment

GENERAL = "general"
# topic → its label, and the words (tags or text) that make it obvious
TOPICS: dict[str, tuple[str, frozenset[str]]] = {
    GENERAL: ("General", frozenset({"general"})),
    "samples": ("Samples", frozenset({"sample", "samples", "seeding", "unboxing"})),
    "commission": ("Commission", frozenset({"commission", "commissions", "rate", "rates"})),
    "product": ("Product", frozenset({"product", "products", "quality", "sizing", "packaging"})),
    "content": ("Content", frozenset({"content", "video", "videos", "live", "livestream"})),
    "logistics": (
        "Logistics",
        frozenset(
            {"logistics", "shipping", "delivery", "courier", "shipment", "tracking", "parcel"}
        ),
    ),
    "payments": ("Payments", frozenset({"payment", "payments", "payout", "payouts", "invoice"})),
    "platform": (
        "Platform",
        frozenset({"platform", "policy", "violation", "appeal", "ban", "banned", "showcase"}),
    ),
}
SENTIMENTS: dict[str, tuple[str, str]] = {
    Sentiment.POSITIVE: ("Positive", "🟢"),
    Sentiment.NEUTRAL: ("Neutral", "⚪"),
    Sentiment.NEGATIVE: ("Negative", "🔴"),
}
_SENTIMENT_TAGS = {
    "positive": Sentiment.POSITIVE,
    "praise": Sentiment.POSITIVE,
    "happy": Sentiment.POSITIVE,
    "win": Sentiment.POSITIVE,
    "neutral": Sentiment.NEUTRAL,
    "negative": Sentiment.NEGATIVE,
    "complaint": Sentiment.NEGATIVE,
    "issue": Sentiment.NEGATIVE,
    "problem": Sentiment.NEGATIVE,
    "unhappy": Sentiment.NEGATIVE,
}


def _cues(words: str) -> frozenset[str]:
    return frozenset(words.split())


_POSITIVE = _cues(
    "great love loves loved happy excellent amazing awesome perfect thanks thrilled "
    "delighted impressed 👍 😍 🎉 ❤ 🙌 🥰"
)
_NEGATIVE = _cues(
    "damaged broken late delayed delay delays angry upset complained complains complaint "
    "complaints refund missing unhappy disappointed disappointing frustrated poor terrible "
    "awful worst expensive overpriced ignored ghosted 👎 😡 😠 💔 😞"
)
# Words that turn the next few around: "not happy", "not so happy", "didn't post".
_NEGATORS = _cues(
    "not no never nor without cannot hardly dont didnt doesnt isnt wasnt werent hasnt havent "
    "hadnt wont cant couldnt wouldnt shouldnt aint"
)
NEGATION_REACH = 3  # words after a negator that it turns around, up to punctuation or "but"
# What a creator is expected to do: not doing it is a complaint ("hasn't replied").
_DUTIES = _cues(
    "post posts posted posting reply replies replied respond responds responded answer "
    "answers answered show shows showed turn turned deliver delivers delivered ship shipped "
    "send sends sent confirm confirmed pay paid follow followed live arrive arrived"
)
# "too <word>": more than wanted ("too expensive", "too low a rate").
_TOO_MUCH = _cues(
    "expensive pricey costly high low slow late long short small big much little few early "
    "hard complicated strict busy far"
)
_NEGATIVE_PHRASES = (("no", "longer"), ("never", "again"), ("late", "again"))
_WORDS = re.compile(r"[\w']+|[^\w\s]", re.UNICODE)


def _words(text: str) -> set[str]:
    return set(_tokens(text))


def _tokens(text: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(text.replace("’", "'"))]


def _negator(word: str) -> bool:
    return word in _NEGATORS or word.endswith("n't")


def sentiment_cues(text: str) -> tuple[bool, bool]:
    """(any positive cue, any negative cue) in the text, negation taken into account.

    A positive word a negator reaches counts as negative ("not happy", "not so great"), a
    negative one counts as neither ("not bad", "no complaints"), and a duty not done is
    negative ("didn't post", "hasn't replied"); so are "no longer", "never again" and
    "too expensive"."""
    tokens = _tokens(text)
    positive = negative = False
    reach = 0
    for index, word in enumerate(tokens):
        pair = (word, tokens[index + 1]) if index + 1 < len(tokens) else None
        if pair in _NEGATIVE_PHRASES or (
            word == "too" and pair is not None and pair[1] in _TOO_MUCH
        ):
            negative = True
        if not (word[0].isalnum() or word[0] == "'") or word == "but":
            reach = 0  # punctuation or "but" ends what a negator reaches
        elif _negator(word) and pair is not None and pair[1] == "wait":
            positive = True  # "can't wait"
        elif _negator(word):
            reach = NEGATION_REACH
            continue
        if reach > 0:
            reach -= 1
            if word in _POSITIVE or word in _DUTIES:
                negative = True
            continue
        positive = positive or word in _POSITIVE
        negative = negative or word in _NEGATIVE
    return positive, negative


def topic_label(topic: str) -> str:
    return TOPICS.get(topic, (topic.title(), frozenset()))[0]


def sentiment_label(sentiment: str) -> str:
    label, mark = SENTIMENTS.get(sentiment, (sentiment.title(), "⚪"))
    return f"{mark} {label}"


def infer_topic(tags: list[str], text: str) -> str:
    """The topic a tag names, else the one topic the text's words point to, else general."""
    for tag in tags:
        for topic, (_, names) in TOPICS.items():
            if tag in names or tag == topic:
                return topic
    words = _words(text)
    hits = [topic for topic, (_, cues) in TOPICS.items() if topic != GENERAL and words & cues]
    return hits[0] if len(hits) == 1 else GENERAL


def infer_sentiment(tags: list[str], text: str) -> str:
    """The sentiment a tag names, else the one the text's cues agree on, else neutral."""
    for tag in tags:
        if tag in _SENTIMENT_TAGS:
            return str(_SENTIMENT_TAGS[tag])
    positive, negative = sentiment_cues(text)
    if positive and not negative:
        return str(Sentiment.POSITIVE)
    if negative and not positive:
        return str(Sentiment.NEGATIVE)
    return str(Sentiment.NEUTRAL)

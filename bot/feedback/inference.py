"""Topic and sentiment of a note, guessed only where it is obvious (both stay editable).

A tag decides first (`#samples` → samples, `#negative` → negative); otherwise the text decides
when it points one way only: words of exactly one topic, cues of exactly one sentiment.
"""

from __future__ import annotations

import re

from storage.models import Sentiment

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
    "damaged broken late delayed angry upset complained complains complaint refund missing "
    "unhappy disappointed frustrated poor terrible awful worst never 👎 😡 😠 💔 😞"
)
_WORDS = re.compile(r"[\w']+|[^\w\s]", re.UNICODE)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORDS.findall(text)}


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
    words = _words(text)
    positive, negative = bool(words & _POSITIVE), bool(words & _NEGATIVE)
    if positive and not negative:
        return str(Sentiment.POSITIVE)
    if negative and not positive:
        return str(Sentiment.NEGATIVE)
    return str(Sentiment.NEUTRAL)

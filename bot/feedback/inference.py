"""Topic and sentiment of a note, guessed only where it is obvious (both stay editable).

A tag decides first (`#samples` → samples, `#negative` → negative); otherwise the text decides
when it points one way only: words of exactly one topic; for the sentiment, the German and
English words, negations, contrasts and emoji add up clearly one way (bot.feedback.sentiment).
"""

from __future__ import annotations

import re

from bot.feedback.sentiment.reader import read_sentiment
from bot.shared.language import N_, _
from storage.feedback.models import Sentiment

GENERAL = "general"
# topic → its label, and the words (tags or text) that make it obvious
TOPICS: dict[str, tuple[str, frozenset[str]]] = {
    GENERAL: (N_("General"), frozenset({"general"})),
    "samples": (N_("Samples"), frozenset({"sample", "samples", "seeding", "unboxing"})),
    "commission": (N_("Commission"), frozenset({"commission", "commissions", "rate", "rates"})),
    "product": (
        N_("Product"),
        frozenset({"product", "products", "quality", "sizing", "packaging"}),
    ),
    "content": (N_("Content"), frozenset({"content", "video", "videos", "live", "livestream"})),
    "logistics": (
        N_("Logistics"),
        frozenset(
            {"logistics", "shipping", "delivery", "courier", "shipment", "tracking", "parcel"}
        ),
    ),
    "payments": (
        N_("Payments"),
        frozenset({"payment", "payments", "payout", "payouts", "invoice"}),
    ),
    "platform": (
        N_("Platform"),
        frozenset({"platform", "policy", "violation", "appeal", "ban", "banned", "showcase"}),
    ),
}
SENTIMENTS: dict[str, tuple[str, str]] = {
    Sentiment.POSITIVE: (N_("Positive"), "🟢"),
    Sentiment.NEUTRAL: (N_("Neutral"), "⚪"),
    Sentiment.NEGATIVE: (N_("Negative"), "🔴"),
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


_WORDS = re.compile(r"[\w']+|[^\w\s]", re.UNICODE)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORDS.findall(text.replace("’", "'"))}


def topic_label(topic: str) -> str:
    if topic in TOPICS:
        return _(TOPICS[topic][0])
    return topic.title()


def sentiment_label(sentiment: str) -> str:
    if sentiment in SENTIMENTS:
        label, mark = SENTIMENTS[sentiment]
        return f"{mark} {_(label)}"
    return f"⚪ {sentiment.title()}"


def infer_topic(tags: list[str], text: str) -> str:
    """The topic a tag names, else the one topic the text's words point to, else general."""
    for tag in tags:
        for topic, (_label, names) in TOPICS.items():
            if tag in names or tag == topic:
                return topic
    words = _words(text)
    hits = [topic for topic, (_label, cues) in TOPICS.items() if topic != GENERAL and words & cues]
    return hits[0] if len(hits) == 1 else GENERAL


def infer_sentiment(tags: list[str], text: str) -> str:
    """The sentiment a tag names, else the one the text reads as in German or English
    (bot.feedback.sentiment.reader), else neutral."""
    for tag in tags:
        if tag in _SENTIMENT_TAGS:
            return str(_SENTIMENT_TAGS[tag])
    return read_sentiment(text)

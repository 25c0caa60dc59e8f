"""The scorecard's texts in the answer's language: each criterion's label, what a reviewer
looks at and what a 1, a 3 and a 5 look like, and the improvement tags' meanings.

The scorecard is declared once in English (storage.reviews.scorecard, which knows no language);
its texts are marked here for the review catalog and shown with `_()` where a person reads
them. tests/test_review_german.py checks that every text of the scorecard is marked here.
"""

from __future__ import annotations

from bot.shared.language import N_, _

SCORECARD_TEXTS = (
    N_("Opening hook"),
    N_("the first minutes: the offer and product up front"),
    N_("slow start, no offer or product for minutes"),
    N_("product shown early, offer unclear"),
    N_("offer and product in the first 30 seconds"),
    N_("Host presence"),
    N_("the host's presence and energy"),
    N_("flat, reads from a script, leaves the frame"),
    N_("friendly but uneven energy"),
    N_("energetic, confident, talks to the camera"),
    N_("Product explanation"),
    N_("selling points, price and usage explained"),
    N_("no price, vague on what it does"),
    N_("main points and price, little on usage"),
    N_("selling points, price, sizes and usage clear"),
    N_("Demonstration"),
    N_("close-ups, the product shown in use"),
    N_("product never shown in use"),
    N_("shown, few close-ups"),
    N_("close-ups and real use, before and after"),
    N_("Production"),
    N_("light, audio and a stable camera"),
    N_("dark, noisy or shaking picture"),
    N_("watchable, one weak point"),
    N_("bright, clear sound, steady framing"),
    N_("Interaction"),
    N_("answering and pinning comments, Q&A"),
    N_("comments ignored"),
    N_("some questions answered late"),
    N_("answers by name, pins questions, runs Q&A"),
    N_("Merchandising"),
    N_("pinned product, flash sales, vouchers"),
    N_("nothing pinned, no promotion"),
    N_("product pinned, one promotion"),
    N_("pinned in time, flash sales and vouchers timed"),
    N_("Calls to action"),
    N_("asking viewers to tap the basket and follow"),
    N_("never asks to buy or follow"),
    N_("asks now and then"),
    N_("clear, repeated asks tied to the offer"),
    N_("Structure and length"),
    N_("a planned running order and a fitting length"),
    N_("no plan, too short or drags on"),
    N_("a plan with dead spots"),
    N_("clear segments, 60+ minutes, no dead air"),
    N_("Compliance"),
    N_("no misleading claims, prices and terms shown"),
    N_("misleading claims or off-platform selling"),
    N_("minor slips, corrected"),
    N_("claims backed, prices and terms shown"),
)
TAG_MEANINGS = (
    N_("the opening minutes"),
    N_("light and camera"),
    N_("sound and microphone"),
    N_("price and offer shown and explained"),
    N_("calls to action"),
    N_("rhythm, dead air, length"),
    N_("answering and pinning comments"),
    N_("showing the product in use"),
    N_("vouchers, flash sales, pinned product"),
    N_("claims, policy, prices and terms"),
)


def criterion_label(label: str) -> str:
    """A criterion's label (`Opening hook`) in the answer's language."""
    return _(label)


def criterion_in_sentence(label: str) -> str:
    """A criterion's label inside a sentence: English writes it lowercase (`Score opening hook
    from 1 to 5.`), German keeps its nouns' capitals (`Einstieg`)."""
    shown = _(label)
    return label.lower() if shown == label else shown


def scorecard_text(text: str) -> str:
    """What a criterion judges, an anchor of its scores or a tag's meaning, in the answer's
    language (empty stays empty)."""
    return _(text) if text else ""

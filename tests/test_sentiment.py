"""The sentiment of a note, read in German and English: figures on labelled notes, and the rules.

tests/data/sentiment_de.tsv and sentiment_en.tsv hold creator notes as managers write them,
labelled by hand before the word lists were written. Each line is `label<TAB>split<TAB>text`:
`dev` notes were read while the lists were written; `test` notes were held out and only
measured; `fresh` notes were written after the lists' first version in other words than theirs
(the lists were then widened with general words and idioms, so they are no longer blind);
`fresh2` notes were written after that, again in other words, and only measured: they show what
a lexicon does not know, so their floors are the lowest. Every floor stands a little below what
was measured.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.feedback.inference import infer_sentiment
from bot.feedback.sentiment.reader import fold, read_sentiment, sentiment_score
from devkit.demo.data import NOTE_TOPICS, SENTIMENT_WEIGHTS

DATA = Path(__file__).parent / "data"
CLASSES = ("positive", "neutral", "negative")
# (language, split) → floors of every class's precision and recall, and of the macro F1
FLOORS = {
    ("de", "test"): (0.9, 0.95),
    ("en", "test"): (0.9, 0.93),
    ("de", "all"): (0.85, 0.92),
    ("en", "all"): (0.85, 0.92),
}
# the blind notes: macro F1, and the precision of positive and of negative
FRESH2_FLOORS = {"de": (0.72, 0.8), "en": (0.72, 0.8)}


def labelled(language: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in (DATA / f"sentiment_{language}.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            label, split, text = line.split("\t", 2)
            rows.append((label, split, text))
    return rows


def scores(pairs: list[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """Precision and recall of each class, from (gold, guessed) pairs."""
    result = {}
    for name in CLASSES:
        hits = sum(1 for gold, guess in pairs if gold == guess == name)
        guessed = sum(1 for _, guess in pairs if guess == name)
        meant = sum(1 for gold, _ in pairs if gold == name)
        result[name] = (hits / guessed if guessed else 0.0, hits / meant if meant else 0.0)
    return result


def macro_f1(by_class: dict[str, tuple[float, float]]) -> float:
    f1 = [2 * p * r / (p + r) if p + r else 0.0 for p, r in by_class.values()]
    return sum(f1) / len(f1)


def test_precision_and_recall_count_as_by_hand() -> None:
    pairs = [("positive", "positive"), ("positive", "neutral"), ("negative", "positive")]
    pairs += [("neutral", "neutral"), ("negative", "negative"), ("negative", "negative")]
    by_class = scores(pairs)
    assert by_class == {
        "positive": (1 / 2, 1 / 2),
        "neutral": (1 / 2, 1 / 1),
        "negative": (2 / 2, 2 / 3),
    }
    assert macro_f1(by_class) == pytest.approx((1 / 2 + 2 / 3 + 0.8) / 3)


def test_the_labelled_sets_are_large_balanced_and_split() -> None:
    for language in ("de", "en"):
        rows = labelled(language)
        judged = [r for r in rows if r[1] in ("dev", "test")]
        assert {split for _, split, _ in rows} == {"dev", "test", "fresh", "fresh2"}
        assert len(judged) >= 220
        for name in CLASSES:
            share = sum(1 for label, _, _ in judged if label == name) / len(judged)
            assert 0.3 < share < 0.36
        held_out = sum(1 for r in judged if r[1] == "test") / len(judged)
        assert 0.38 < held_out < 0.42
        assert {label for label, _, _ in rows} == set(CLASSES)


@pytest.mark.parametrize(("language", "split"), sorted(FLOORS))
def test_precision_and_recall_per_class_stay_above_their_floors(language: str, split: str) -> None:
    rows = labelled(language)
    chosen = [r for r in rows if split == "all" or r[1] == split]
    by_class = scores([(label, read_sentiment(text)) for label, _, text in chosen])
    floor, f1_floor = FLOORS[(language, split)]
    for name, (precision, recall) in by_class.items():
        assert precision >= floor, (name, precision)
        assert recall >= floor, (name, recall)
    assert macro_f1(by_class) >= f1_floor


@pytest.mark.parametrize("language", ["de", "en"])
def test_notes_in_words_the_lists_do_not_know_stay_neutral_more_than_wrong(
    language: str,
) -> None:
    fresh = [(label, read_sentiment(text)) for label, split, text in labelled(language)]
    fresh = [p for p, row in zip(fresh, labelled(language), strict=True) if row[1] == "fresh2"]
    by_class = scores(fresh)
    f1_floor, precision_floor = FRESH2_FLOORS[language]
    assert macro_f1(by_class) >= f1_floor
    assert by_class["positive"][0] >= precision_floor
    assert by_class["negative"][0] >= precision_floor
    wrong_way = sum(1 for gold, guess in fresh if {gold, guess} == {"positive", "negative"})
    assert wrong_way <= 3


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("Ist mit der Provision nicht zufrieden, will nicht mehr posten", "negative"),
        ("unzufrieden, Paket kam beschädigt an", "negative"),
        ("super Zusammenarbeit, tolle Videos!", "positive"),
        ("Not happy with the commission, doesn't want to post anymore", "negative"),
        ("unhappy, parcel arrived damaged", "negative"),
        ("great collaboration, great videos!", "positive"),
    ],
)
def test_the_notes_of_the_issue_are_read_right(text: str, sentiment: str) -> None:
    assert infer_sentiment([], text) == sentiment


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("nicht zufrieden", "negative"),
        ("kein Interesse mehr", "negative"),
        ("not happy", "negative"),
        ("no longer interested", "negative"),
        ("nicht so glücklich mit dem Ergebnis", "negative"),
        ("meldet sich nicht", "negative"),  # the negator after the verb
        ("keine Antwort", "negative"),  # an expected act not done
        ("hat das Video noch nicht gepostet", "negative"),
        ("will nicht mehr mit uns arbeiten", "negative"),
        ("hasn't replied since Monday", "negative"),
        ("posted nothing", "negative"),
        ("nicht unzufrieden", "positive"),  # a negated negative: mildly positive
        ("keine Beschwerden", "positive"),
        ("no complaints", "positive"),
        ("not late at all this time", "neutral"),
        ("ist nicht mehr bei Agentur X", "neutral"),  # nothing to turn around
        ("Kein Live diese Woche", "neutral"),
    ],
)
def test_negation(text: str, sentiment: str) -> None:
    assert read_sentiment(text) == sentiment


def test_a_negated_negative_is_milder_than_the_positive() -> None:
    assert 0 < sentiment_score("nicht schlecht") < sentiment_score("gut") * 2
    assert sentiment_score("nicht schlecht") < sentiment_score("sehr gut")
    assert sentiment_score("not bad") == sentiment_score("nicht schlecht")


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("Tolle Idee, aber die Umsetzung war schwach", "negative"),
        ("war anfangs skeptisch aber jetzt total überzeugt", "positive"),
        ("Videos waren gut, jedoch sind die Verkäufe eingebrochen", "negative"),
        ("nice idea but the execution was weak", "negative"),
        ("took a while, however the result is fantastic", "positive"),
        ("happy but the parcel was late", "neutral"),  # a clear word before, a mild one after
    ],
)
def test_the_clause_after_a_contrast_weighs_more(text: str, sentiment: str) -> None:
    assert read_sentiment(text) == sentiment


def test_intensifiers_and_downtoners() -> None:
    assert sentiment_score("sehr zufrieden") > sentiment_score("zufrieden") > 0
    assert sentiment_score("really happy") > sentiment_score("happy") > 0
    assert sentiment_score("gar nicht zufrieden") < sentiment_score("nicht zufrieden") < 0
    assert 0 < sentiment_score("etwas zufrieden") < sentiment_score("zufrieden")
    assert read_sentiment("viel zu lange") == read_sentiment("way too long") == "negative"
    assert read_sentiment("Provision zu niedrig") == "negative"
    assert read_sentiment("Fragen zu den Mustern") == "neutral"  # "zu" is also a preposition


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("👍", "positive"),
        ("😍 🔥", "positive"),
        ("❤️", "positive"),  # with the variation selector Slack sends
        ("Danke 🙏", "positive"),
        ("👎", "negative"),
        ("Paket angekommen 😡", "negative"),
        ("😞", "negative"),
        ("💔", "negative"),
        ("⚠️ Auszahlung", "negative"),
        ("not 👍", "positive"),  # an emoji is no word a negation turns around
    ],
)
def test_emoji(text: str, sentiment: str) -> None:
    assert read_sentiment(text) == sentiment


def test_spellings_compounds_and_typos() -> None:
    assert fold("Enttäuscht GROSSARTIG Straße") == "enttaeuscht grossartig strasse"
    assert sentiment_score("enttaeuscht") == sentiment_score("enttäuscht") < 0
    assert sentiment_score("grossartig") == sentiment_score("großartig") > 0
    assert read_sentiment("Lieferprobleme") == "negative"  # a compound ending in "probleme"
    assert read_sentiment("Richtlinienverstoß") == "negative"
    assert read_sentiment("unzuverlässig") == read_sentiment("unreliable") == "negative"
    assert read_sentiment("unbeschädigt") == "positive"
    assert read_sentiment("zufriedn") == read_sentiment("awsome") == "positive"
    assert read_sentiment("dissapointed") == "negative"
    assert read_sentiment("Auszahlung erfolgt monatlich") == "neutral"  # "erfolgt" ≠ "Erfolg"
    assert read_sentiment("please send the invoice") == "neutral"  # "please" ≠ "pleased"


def test_handles_links_and_tags() -> None:
    assert read_sentiment("Call mit @happy.lisa und @super_max") == "neutral"
    assert read_sentiment("<@U0HAPPY> <https://shop.example/great|great> Termin") == "neutral"
    assert read_sentiment("Video online #top") == "positive"
    assert read_sentiment("SEHR ZUFRIEDEN!!!") == "positive"


def test_one_note_may_mix_both_languages() -> None:
    assert read_sentiment("Creator super happy, Provision passt 👍") == "positive"
    assert read_sentiment("sample kam kaputt an, very annoying") == "negative"
    assert read_sentiment("Muster sent via DHL, tracking folgt") == "neutral"
    assert read_sentiment("great Video, aber sie ist nicht zufrieden mit der payout") == (
        "negative"
    )


def test_a_tag_still_decides_first() -> None:
    assert infer_sentiment(["praise"], "Paket kam beschädigt an") == "positive"
    assert infer_sentiment(["complaint"], "super Zusammenarbeit") == "negative"
    assert infer_sentiment([], "") == "neutral"


def test_the_demo_notes_written_by_another_hand_read_as_labelled() -> None:
    """The demo data set's note texts, each written for one sentiment before this reader
    existed: 18 of 21 read as meant (the three missed read as neutral, none the wrong way)."""
    pairs = [
        (str(sentiment), read_sentiment(text))
        for texts in NOTE_TOPICS.values()
        for sentiment, text in zip(SENTIMENT_WEIGHTS, texts[1:], strict=True)
    ]
    assert sum(gold == guess for gold, guess in pairs) >= 17
    assert not [p for p in pairs if set(p) == {"positive", "negative"}]

"""The livestream review scorecard is declared once; the table, labels and demo follow it."""

from __future__ import annotations

from devkit.demo import data as demo
from storage.reviews.models import LivestreamReview
from storage.reviews.scorecard import CRITERIA, SCORECARD, SCORECARD_LABELS


def test_the_table_has_a_score_column_per_criterion_in_order() -> None:
    columns = [c.name for c in LivestreamReview.__table__.columns if c.name.startswith("score_")]  # type: ignore[attr-defined]
    assert columns == [f"score_{key}" for key in SCORECARD]
    checks = {c.name for c in LivestreamReview.__table__.constraints if c.name}  # type: ignore[attr-defined]
    assert {f"review_{key}_range" for key in SCORECARD} <= checks


def test_every_criterion_has_a_label_a_description_and_demo_texts() -> None:
    assert len(CRITERIA) == 10 and len(set(SCORECARD)) == 10
    assert list(SCORECARD_LABELS) == list(SCORECARD)
    for criterion in CRITERIA:
        assert criterion.label and criterion.judges
    assert set(demo.STRENGTHS) == set(demo.IMPROVEMENTS) == set(SCORECARD)

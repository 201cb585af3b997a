"""Item analysis formulas against hand-computed examples, and the server-drawn histogram."""

from __future__ import annotations

import ast
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lms.reports import histogram as histogram_module
from lms.reports import item_analysis
from lms.reports.histogram import BIN_LABELS, histogram_svg
from lms.reports.item_analysis import (
    FLAG_DISTRACTOR_NEVER_CHOSEN,
    FLAG_NOT_DISCRIMINATING,
    FLAG_TOO_EASY,
    FLAG_TOO_HARD,
    THRESHOLDS,
    AttemptScore,
    ItemInfo,
    ItemResponse,
    analyse_items,
    analyse_test,
    cronbach_alpha,
    first_attempts,
    histogram,
    item_flags,
    pearson,
)

SVG = "{http://www.w3.org/2000/svg}"
EN_DASH = "\u2013"


def parse(svg: str) -> ET.Element:
    # Our own output, not untrusted input: the standard library parser is enough.
    return ET.fromstring(svg)  # noqa: S314


# The hand-computed data set: 5 attempts x 3 items, all scored 0/1.
#
#   attempt | q1 (single a*,b,c) | q2 (single a,b*,c,d) | q3 (multiple a*,b,c*,d) | total | %
#   1       | a   1              | b   1                | a,c    1                | 3     | 100
#   2       | a   1              | b   1                | a      0                | 2     | 66.67
#   3       | a   1              | c   0                | c,a    1                | 2     | 66.67
#   4       | b   0              | b   1                | b      0                | 1     | 33.33
#   5       | b   0              | (unanswered) 0       | a,b,c  0                | 0     | 0
Q1 = ItemInfo("bkb-q001@v1", "bkb-q001", 1, "single", ("a", "b", "c"), ("a",))
Q2 = ItemInfo("bkb-q002@v1", "bkb-q002", 1, "single", ("a", "b", "c", "d"), ("b",))
Q3 = ItemInfo("bkb-q003@v1", "bkb-q003", 1, "multiple", ("a", "b", "c", "d"), ("a", "c"))
INFOS = [Q1, Q2, Q3]
TABLE = {
    1: [(1, ("a",)), (1, ("b",)), (1, ("a", "c"))],
    2: [(1, ("a",)), (1, ("b",)), (0, ("a",))],
    3: [(1, ("a",)), (0, ("c",)), (1, ("c", "a"))],
    4: [(0, ("b",)), (1, ("b",)), (0, ("b",))],
    5: [(0, ("b",)), (0, ()), (0, ("a", "b", "c"))],
}
RESPONSES = [
    ItemResponse(attempt, info.item, points, choice)
    for attempt, row in TABLE.items()
    for info, (points, choice) in zip(INFOS, row, strict=True)
]
SCORES = [
    AttemptScore(attempt, 100 * sum(points for points, _choice in row) / 3)
    for attempt, row in TABLE.items()
]


def test_facility_is_the_mean_points():
    stats = analyse_items(INFOS, RESPONSES, SCORES)
    # q1: 3 of 5 right; q2: 3 of 5; q3: 2 of 5.
    assert stats[Q1.item].facility == pytest.approx(0.6)
    assert stats[Q2.item].facility == pytest.approx(0.6)
    assert stats[Q3.item].facility == pytest.approx(0.4)
    assert [s.n for s in stats.values()] == [5, 5, 5]


def test_discrimination_is_the_correlation_with_the_rest_score():
    stats = analyse_items(INFOS, RESPONSES, SCORES)
    # q1: x = 1,1,1,0,0 (mean .6); rest = total - x = 2,1,1,1,0 (mean 1).
    #   dx = .4,.4,.4,-.6,-.6; dr = 1,0,0,0,-1
    #   Sxy = .4 + .6 = 1; Sxx = 3(.16) + 2(.36) = 1.2; Syy = 2
    #   r = 1 / sqrt(1.2 * 2) = 0.645497
    assert stats[Q1.item].discrimination == pytest.approx(1 / math.sqrt(2.4))
    assert stats[Q1.item].discrimination == pytest.approx(0.645497, abs=1e-6)
    # q2: x = 1,1,0,1,0 (mean .6); rest = 2,1,2,0,0 (mean 1).
    #   dx = .4,.4,-.6,.4,-.6; dr = 1,0,1,-1,-1
    #   Sxy = .4 + 0 - .6 - .4 + .6 = 0  ->  r = 0
    assert stats[Q2.item].discrimination == pytest.approx(0, abs=1e-12)
    # q3: x = 1,0,1,0,0 (mean .4); rest = 2,2,1,1,0 (mean 1.2).
    #   dx = .6,-.4,.6,-.4,-.4; dr = .8,.8,-.2,-.2,-1.2
    #   Sxy = .48 - .32 - .12 + .08 + .48 = .6; Sxx = 1.2; Syy = .64+.64+.04+.04+1.44 = 2.8
    #   r = .6 / sqrt(1.2 * 2.8) = 0.327327
    assert stats[Q3.item].discrimination == pytest.approx(0.6 / math.sqrt(3.36))
    assert stats[Q3.item].discrimination == pytest.approx(0.327327, abs=1e-6)


def test_rest_score_uses_item_points_not_the_percent():
    # Same points, but percents that disagree with them: discrimination must not change.
    skewed = [AttemptScore(score.attempt_id, 50.0) for score in SCORES]
    assert analyse_items(INFOS, RESPONSES, skewed) == analyse_items(INFOS, RESPONSES, SCORES)


def test_option_counts_include_options_never_chosen():
    stats = analyse_items(INFOS, RESPONSES, SCORES)
    assert stats[Q1.item].option_counts == {"a": 3, "b": 2, "c": 0}
    # Attempt 5 left q2 unanswered: it counts for n but chose nothing.
    assert stats[Q2.item].option_counts == {"a": 0, "b": 3, "c": 1, "d": 0}
    # Multiple choice: each chosen option counts once per attempt.
    assert stats[Q3.item].option_counts == {"a": 4, "b": 2, "c": 3, "d": 0}


def test_flags_of_the_hand_computed_set():
    stats = analyse_items(INFOS, RESPONSES, SCORES)
    # q2 has r = 0 < 0.20. q1/q3 have never-chosen distractors (c, d) but n = 5 < 10.
    assert stats[Q1.item].flags == ()
    assert stats[Q2.item].flags == (FLAG_NOT_DISCRIMINATING,)
    assert stats[Q3.item].flags == ()


def test_test_mean_and_sample_sd():
    stats = analyse_test(SCORES, RESPONSES)
    # totals t = 3,2,2,1,0; percent = 100 t / 3; mean t = 1.6 -> mean % = 160 / 3 = 53.333
    assert stats.n == 5
    assert stats.mean == pytest.approx(160 / 3)
    # deviations of t: 1.4,.4,.4,-.6,-1.6; squares sum to 5.2; sample variance 5.2 / 4 = 1.3
    # sd % = 100 / 3 * sqrt(1.3) = 38.0058 (population sd would be 100/3*sqrt(1.04) = 33.99)
    assert stats.sd == pytest.approx(100 / 3 * math.sqrt(1.3))
    assert stats.sd == pytest.approx(38.0058, abs=1e-4)


def test_cronbach_alpha_by_hand():
    stats = analyse_test(SCORES, RESPONSES)
    # k = 3; item sample variances: Sxx / 4 = 1.2 / 4 = .3 each -> sum .9; var(total) = 1.3
    # alpha = 3/2 * (1 - .9 / 1.3) = 1.5 * .4 / 1.3 = 6 / 13 = 0.461538
    assert stats.reliability == pytest.approx(6 / 13)
    assert stats.reliability_items == 3


def test_kr20_equals_alpha_on_dichotomous_items():
    # KR-20 computed separately: k/(k-1) * (1 - sum p q / population variance of totals)
    # p = .6,.6,.4 -> p q = .24 each, sum .72; population var = 5.2 / 5 = 1.04
    # KR-20 = 1.5 * (1 - .72 / 1.04) = 1.5 * .32 / 1.04 = 0.461538
    rows = [[points for points, _choice in row] for row in TABLE.values()]
    k, n = 3, len(rows)
    p = [sum(row[i] for row in rows) / n for i in range(k)]
    totals = [sum(row) for row in rows]
    mean_total = sum(totals) / n
    population_var = sum((t - mean_total) ** 2 for t in totals) / n
    kr20 = k / (k - 1) * (1 - sum(pi * (1 - pi) for pi in p) / population_var)
    assert kr20 == pytest.approx(0.461538, abs=1e-6)
    assert analyse_test(SCORES, RESPONSES).reliability == pytest.approx(kr20)
    assert cronbach_alpha(rows) == pytest.approx(kr20)


def test_cronbach_alpha_with_partial_credit():
    # x = 1,.5,.5,0 (var: deviations .5,0,0,-.5 -> .5 / 3 = 1/6)
    # y = 1,1,0,0   (var: 4 x .25 / 3 = 1/3)
    # totals 2,1.5,.5,0 (mean 1; deviations 1,.5,-.5,-1 -> 2.5 / 3 = 5/6)
    # alpha = 2 * (1 - (1/6 + 1/3) / (5/6)) = 2 * (1 - .6) = 0.8
    assert cronbach_alpha([[1, 1], [0.5, 1], [0.5, 0], [0, 0]]) == pytest.approx(0.8)


def test_reliability_only_over_items_every_attempt_had():
    # Attempt 6 was drawn q1 and q2 only and a random extra item: q3 and the extra drop out.
    responses = [
        *RESPONSES,
        ItemResponse(6, Q1.item, 1, ("a",)),
        ItemResponse(6, Q2.item, 1, ("b",)),
        ItemResponse(6, "bkb-q009@v1", 1),
    ]
    scores = [*SCORES, AttemptScore(6, 100)]
    stats = analyse_test(scores, responses)
    assert stats.reliability_items == 2
    # q1 = 1,1,1,0,0,1 (var: mean 2/3, 4 x 1/9 + 2 x 4/9 = 12/9, / 5 = 4/15)
    # q2 = 1,1,0,1,0,1 (same: 4/15); totals 2,2,1,1,0,2 (mean 4/3; 3 x 4/9 + 2 x 1/9 + 16/9
    # = 30/9, / 5 = 2/3); alpha = 2 * (1 - (8/15) / (2/3)) = 2 * (1 - .8) = 0.4
    assert stats.reliability == pytest.approx(0.4)


def test_new_version_counts_as_its_own_item():
    v1 = ItemInfo("bkb-q001@v1", "bkb-q001", 1, "single", ("a", "b", "c"), ("a",))
    v2 = ItemInfo("bkb-q001@v2", "bkb-q001", 2, "single", ("a", "b", "c", "d"), ("b",))
    other = ItemInfo("bkb-q002@v1", "bkb-q002", 1, "truefalse", ())
    responses = [
        ItemResponse(1, v1.item, 1, ("a",)),
        ItemResponse(2, v1.item, 0, ("b",)),
        ItemResponse(3, v1.item, 1, ("a",)),
        ItemResponse(4, v2.item, 1, ("b",)),
        ItemResponse(5, v2.item, 1, ("b",)),
        *(ItemResponse(a, other.item, a % 2) for a in range(1, 6)),
    ]
    scores = [AttemptScore(a, 50) for a in range(1, 6)]
    stats = analyse_items([v1, v2, other], responses, scores)
    assert list(stats) == [v1.item, v2.item, other.item]
    assert (stats[v1.item].n, stats[v2.item].n, stats[other.item].n) == (3, 2, 5)
    assert stats[v1.item].facility == pytest.approx(2 / 3)
    assert stats[v2.item].facility == pytest.approx(1.0)
    # Option "b" was wrong in v1 and right in v2: counts stay with their own version.
    assert stats[v1.item].option_counts == {"a": 2, "b": 1, "c": 0}
    assert stats[v2.item].option_counts == {"a": 0, "b": 2, "c": 0, "d": 0}
    assert stats[other.item].option_counts == {}
    # No version was in every attempt, so alpha has only one item: undefined.
    test = analyse_test(scores, responses)
    assert test.reliability is None and test.reliability_items == 1


def test_responses_outside_the_population_are_ignored():
    population = [score for score in SCORES if score.attempt_id != 5]
    stats = analyse_items(INFOS, RESPONSES, population)
    assert stats[Q1.item].n == 4
    assert stats[Q1.item].facility == pytest.approx(0.75)
    assert analyse_test(population, RESPONSES).n == 4


def test_no_attempts():
    stats = analyse_items(INFOS, [], [])
    assert stats[Q1.item].n == 0
    assert stats[Q1.item].facility is None and stats[Q1.item].discrimination is None
    assert stats[Q1.item].option_counts == {"a": 0, "b": 0, "c": 0}
    assert stats[Q1.item].flags == ()
    test = analyse_test([], [])
    assert (test.n, test.mean, test.sd, test.reliability) == (0, None, None, None)
    assert test.histogram == (0,) * 10


def test_single_attempt():
    responses = [r for r in RESPONSES if r.attempt_id == 1]
    scores = [s for s in SCORES if s.attempt_id == 1]
    stats = analyse_items(INFOS, responses, scores)
    assert stats[Q1.item].n == 1 and stats[Q1.item].facility == 1.0
    assert stats[Q1.item].discrimination is None
    test = analyse_test(scores, responses)
    assert test.mean == pytest.approx(100) and test.sd is None and test.reliability is None


def test_zero_variance_gives_none():
    # Everyone right on every item: item constant, rest constant, totals constant.
    responses = [ItemResponse(a, info.item, 1) for a in range(1, 6) for info in INFOS]
    scores = [AttemptScore(a, 100) for a in range(1, 6)]
    stats = analyse_items(INFOS, responses, scores)
    assert all(s.discrimination is None for s in stats.values())
    test = analyse_test(scores, responses)
    assert test.reliability is None and test.sd == 0


def test_constant_partial_credit_is_zero_variance_despite_rounding():
    # fsum([0.1] * 3) / 3 is not exactly 0.1, and 0.1 + 0.2 != 0.15 + 0.15: equal in
    # arithmetic must stay equal (undefined), not become a huge number from rounding noise.
    assert pearson([0.1, 0.1, 0.1], [1, 2, 3]) is None
    assert cronbach_alpha([[0.1, 0.2], [0.2, 0.1], [0.15, 0.15]]) is None


def test_pearson_needs_three_pairs():
    assert pearson([1, 0], [0, 1]) is None
    assert pearson([1, 0, 1], [2, 0, 2]) == pytest.approx(1.0)
    assert pearson([1, 0, 1], [0, 2, 0]) == pytest.approx(-1.0)


def test_thresholds_are_the_documented_ones():
    assert THRESHOLDS == {
        "facility_easy": 0.90,
        "facility_hard": 0.30,
        "discrimination_low": 0.20,
        "distractor_min_n": 10,
    }


@pytest.mark.parametrize(
    ("facility", "expected"),
    [
        (0.91, (FLAG_TOO_EASY,)),
        (0.90, ()),
        (9 / 10, ()),
        (0.30, ()),
        (3 / 10, ()),
        (0.29, (FLAG_TOO_HARD,)),
        (0.0, (FLAG_TOO_HARD,)),
        (1.0, (FLAG_TOO_EASY,)),
    ],
)
def test_facility_flags_on_the_boundaries(facility, expected):
    assert item_flags(None, 20, facility, 0.5, {}) == expected


@pytest.mark.parametrize(
    ("discrimination", "expected"),
    [
        (0.20, ()),
        (0.1 + 0.1, ()),
        (0.19, (FLAG_NOT_DISCRIMINATING,)),
        (-0.3, (FLAG_NOT_DISCRIMINATING,)),
        (None, ()),
    ],
)
def test_discrimination_flag_on_the_boundary(discrimination, expected):
    assert item_flags(None, 20, 0.5, discrimination, {}) == expected


def test_distractor_flag_needs_ten_attempts_and_a_wrong_option():
    counts = {"a": 6, "b": 4, "c": 0}
    assert item_flags(Q1, 10, 0.6, 0.5, counts) == (FLAG_DISTRACTOR_NEVER_CHOSEN,)
    assert item_flags(Q1, 9, 0.6, 0.5, counts) == ()
    # The key never chosen is not an unused distractor (the item is hard, not badly built).
    assert item_flags(Q1, 10, 0.5, 0.5, {"a": 0, "b": 5, "c": 5}) == ()
    # Only single/multiple items have distractors.
    truefalse = ItemInfo("bkb-q010@v1", "bkb-q010", 1, "truefalse", ("a", "b"), ("a",))
    assert item_flags(truefalse, 10, 0.6, 0.5, counts) == ()


def test_distractor_flag_end_to_end():
    # 10 attempts; option c of Q1 never chosen; 6 right (facility .6).
    responses = [
        ItemResponse(a, Q1.item, 1 if a <= 6 else 0, ("a",) if a <= 6 else ("b",))
        for a in range(1, 11)
    ]
    scores = [AttemptScore(a, 60) for a in range(1, 11)]
    stats = analyse_items([Q1], responses, scores)[Q1.item]
    assert stats.option_counts == {"a": 6, "b": 4, "c": 0}
    # One item only: the rest score is 0 for everyone, so discrimination is undefined.
    assert stats.discrimination is None
    assert stats.flags == (FLAG_DISTRACTOR_NEVER_CHOSEN,)


def test_facility_flag_end_to_end_on_the_boundary():
    # 9 of 10 right is exactly 0.90: not "too easy"; 3 of 10 is exactly 0.30: not "too hard".
    easy = [ItemResponse(a, "e@v1", 1 if a <= 9 else 0) for a in range(1, 11)]
    hard = [ItemResponse(a, "h@v1", 1 if a <= 3 else 0) for a in range(1, 11)]
    scores = [AttemptScore(a, 50) for a in range(1, 11)]
    stats = analyse_items([], easy + hard, scores)
    assert stats["e@v1"].facility == pytest.approx(0.9)
    assert FLAG_TOO_EASY not in stats["e@v1"].flags
    assert FLAG_TOO_HARD not in stats["h@v1"].flags


def test_invalid_input_is_rejected():
    with pytest.raises(ValueError, match="twice"):
        analyse_items(INFOS, [*RESPONSES, RESPONSES[0]], SCORES)
    with pytest.raises(ValueError, match="outside"):
        analyse_items(INFOS, [ItemResponse(1, Q1.item, 1.5)], SCORES)
    with pytest.raises(ValueError, match="twice"):
        analyse_items([Q1, Q1], [], [])
    with pytest.raises(ValueError, match="twice"):
        analyse_test([*SCORES, SCORES[0]], RESPONSES)


def test_first_attempts():
    rows = [
        (10, 1, 2),
        (11, 1, 1),
        (12, 2, 1),
        (13, 3, 3),
        (14, 3, 2),
        (15, 1, 3),
    ]
    assert first_attempts(rows) == {11, 12, 14}
    assert first_attempts([]) == set()
    # A tie (should not happen) is settled by the lower attempt id, whatever the row order.
    assert first_attempts([(21, 4, 1), (20, 4, 1)]) == {20}


def test_histogram_bins():
    counts = histogram([0, 9.99, 10, 29.999, 55, 89.99, 90, 99.5, 100, 100])
    assert counts == (2, 1, 1, 0, 0, 1, 0, 0, 1, 4)
    # Partial credit 0.3 + 0.6 of 3 points is 30 % but (0.3 + 0.6) / 3 * 100 is
    # 100 * (0.3 + 0.6) / 3 is 29.999999999999996 in binary floating point: it still belongs
    # to [30, 40).
    assert 100 * (0.3 + 0.6) / 3 < 30
    assert histogram([100 * (0.3 + 0.6) / 3, 7 / 10 * 100]) == (0, 0, 0, 1, 0, 0, 0, 1, 0, 0)
    with pytest.raises(ValueError):
        histogram([100.5])
    with pytest.raises(ValueError):
        histogram([-1])


def test_test_histogram_counts_attempts():
    # 100, 66.67, 66.67, 33.33, 0
    assert analyse_test(SCORES, RESPONSES).histogram == (1, 0, 0, 1, 0, 0, 2, 0, 0, 1)


COUNTS = (2, 0, 5, 1, 0, 3, 7, 12, 4, 1)


def render(**overrides):
    arguments = {
        "title": "Sebaran nilai",
        "x_label": "Nilai (%)",
        "y_label": "Jumlah percobaan",
    }
    return histogram_svg(overrides.pop("counts", COUNTS), **(arguments | overrides))


def test_svg_is_well_formed_and_accessible():
    svg = render()
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 400 220"
    # Scales to its container: no fixed size.
    assert root.get("width") is None and root.get("height") is None
    assert root[0].tag == f"{SVG}title" and root[0].text == "Sebaran nilai"
    desc = root.find(f"{SVG}desc").text
    assert f"0{EN_DASH}9: 2" in desc and f"90{EN_DASH}100: 1" in desc
    assert len(svg.encode()) < 4096


def test_svg_has_ten_bars_with_counts_and_labels():
    root = parse(render())
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 10
    assert {bar.get("fill") for bar in bars} == {"#0b6e4f"}
    heights = [float(bar.get("height")) for bar in bars]
    # Tallest bar is the largest count; heights are proportional.
    assert heights.index(max(heights)) == COUNTS.index(max(COUNTS))
    assert heights[2] / heights[7] == pytest.approx(5 / 12, abs=0.01)
    assert heights[1] == 0
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert [str(c) for c in COUNTS] == texts[0:20:2]
    assert list(BIN_LABELS) == texts[1:20:2]
    assert BIN_LABELS[0] == f"0{EN_DASH}9" and BIN_LABELS[-1] == f"90{EN_DASH}100"
    assert texts[20:] == ["Nilai (%)", "Jumlah percobaan"]


def test_svg_escapes_its_texts():
    nasty = "Tes <script>alert(\"x\")</script> & 'y'"
    svg = render(title=nasty, x_label="a < b", y_label="c & d")
    assert "<script" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == nasty
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert texts[-2:] == ["a < b", "c & d"]


def test_svg_has_no_script_or_external_resources():
    svg = render()
    lowered = svg.lower()
    assert "script" not in lowered and "href" not in lowered and "url(" not in lowered
    assert "http" not in lowered.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_svg_of_all_zero_counts():
    root = parse(render(counts=(0,) * 10))
    assert [float(bar.get("height")) for bar in root.findall(f"{SVG}rect")] == [0] * 10


def test_svg_rejects_bad_counts():
    with pytest.raises(ValueError):
        render(counts=(1, 2, 3))
    with pytest.raises(ValueError):
        render(counts=(-1,) + (0,) * 9)


FORBIDDEN = ("flask", "flask_sqlalchemy", "sqlalchemy", "lms", "numpy")


@pytest.mark.parametrize("module", [item_analysis, histogram_module])
def test_modules_are_pure(module):
    tree = ast.parse(Path(module.__file__).read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative import"
            names.add(node.module)
    bad = {n for n in names if any(n == f or n.startswith(f + ".") for f in FORBIDDEN)}
    assert not bad

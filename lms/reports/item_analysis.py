"""Item analysis of a test (pure: standard library only).

The caller reads the database and builds three flat inputs:

- `ItemInfo` for every question VERSION that was in the test (`item` is the version identity,
  e.g. "bkb-q001@v2"). A question that got a new version is two items: statistics of the old
  wording must not be mixed with the new one, so nothing here ever groups by `question_key`.
- `ItemResponse` for every question an attempt was given (unanswered: points 0, no choice).
- `AttemptScore` for every attempt in the population. The population is whatever the caller
  passes here: by default the kader's first attempts (see `first_attempts`), because later
  attempts are practised answers and would make every item look easier than it is.

Responses of attempts that are not in `scores` are ignored, so the caller can pass all
responses of a test and choose the population with `scores` alone.

Formulas (n = attempts that were given the item, x = the item's points, max 1):

- facility p = mean(x) / 1;
- discrimination = Pearson r between x and the rest score R = T - x, where T is the sum of the
  attempt's item points (not its percent, so that weights of other items do not leak in). The
  item is taken out of the total because correlating an item with a total that contains it
  inflates r, most on short tests;
- Cronbach's alpha = k / (k - 1) * (1 - sum(var(x_i)) / var(T_k)) over the k items present in
  every attempt of the population, T_k being the sum of those k items. On 0/1 items this is
  KR-20 = k / (k - 1) * (1 - sum(p_i * q_i) / var(T_k)).
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


def N_(message: str) -> str:
    """Mark a message for the translation catalogue without translating it here (pure module)."""
    return message


#: Every question is worth one point (see lms/assessment/grading.py; not imported: pure module).
MAX_POINTS = 1.0
#: Absorbs binary floating-point error so that a value exactly on a threshold is not flagged.
EPSILON = 1e-9
#: The score distribution has 10 bins of 10 percentage points; 100 % goes into the last bin.
HISTOGRAM_BINS = 10

#: Flag thresholds; the report page states them next to the flags.
THRESHOLDS: dict[str, float | int] = {
    # "terlalu mudah" when facility > 0.90: almost everyone answers it, it tells us little.
    "facility_easy": 0.90,
    # "terlalu sulit" when facility < 0.30: close to guessing on a three- or four-option item.
    "facility_hard": 0.30,
    # "tidak membedakan" when discrimination < 0.20 (and computable).
    "discrimination_low": 0.20,
    # "pengecoh tidak pernah dipilih" only from this many attempts on: with fewer, an unchosen
    # wrong option is as likely to be chance as a useless distractor.
    "distractor_min_n": 10,
}

FLAG_TOO_EASY = N_("terlalu mudah")
FLAG_TOO_HARD = N_("terlalu sulit")
FLAG_NOT_DISCRIMINATING = N_("tidak membedakan")
FLAG_DISTRACTOR_NEVER_CHOSEN = N_("pengecoh tidak pernah dipilih")

#: Question types whose options are counted and can have distractors.
CHOICE_TYPES = frozenset({"single", "multiple"})


@dataclass(frozen=True)
class ItemResponse:
    attempt_id: int
    #: Question VERSION identity, e.g. "bkb-q001@v2": different versions are different items.
    item: str
    #: 0..1, partial credit possible.
    points: float
    #: Option ids chosen (single: one; multiple: several; other types and unanswered: empty).
    choice: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemInfo:
    item: str
    question_key: str
    version: int
    type: str
    #: Option ids of single/multiple questions, else ().
    options: tuple[str, ...]
    #: Correct option ids.
    key: tuple[str, ...] = ()


@dataclass(frozen=True)
class AttemptScore:
    attempt_id: int
    #: The attempt's total in percent (0..100).
    percent: float


@dataclass(frozen=True)
class ItemStats:
    item: str
    #: Number of attempts (of the population) that were given this item.
    n: int
    #: Mean points / max points (0..1); None if n == 0.
    facility: float | None
    #: Pearson r of item points with the rest score; None if n < 3 or either side is constant.
    discrimination: float | None
    #: Every option id (never chosen: 0) → times chosen.
    option_counts: dict[str, int] = field(default_factory=dict)
    #: Bahasa Indonesia msgids (FLAG_*), to be translated by the web layer.
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class TestStats:
    """Statistics of the attempts' percent and reliability of the test.

    `sd` is the SAMPLE standard deviation (divisor n - 1): the attempts are a sample of the
    kader who will take the test, and it matches what a spreadsheet's STDEV shows. None if
    n < 2.

    `reliability` is Cronbach's alpha over the items present in EVERY attempt (KR-20 when those
    items are scored 0/1). Items drawn at random for only some attempts are left out because
    alpha needs the same items for everyone; `reliability_items` says how many remained so
    that the page can state it. None if fewer than 2 such items, fewer than 3 attempts, or the
    total over those items is the same for every attempt (alpha is undefined).
    """

    __test__ = False  # a result type, not a pytest test class

    n: int
    mean: float | None
    sd: float | None
    reliability: float | None
    #: Counts in 10 bins of 10 percentage points: [0,10), [10,20), ..., [90,100].
    histogram: tuple[int, ...]
    #: Number of items alpha was computed over (0 when there is no common item).
    reliability_items: int = 0


def first_attempts(attempts: Iterable[tuple[int, int, int]]) -> set[int]:
    """Ids of each user's first attempt from (attempt_id, user_id, number) triples.

    The first is the lowest number; on a tie (should not happen) the lowest attempt id, so that
    the result does not depend on the order of the rows.
    """
    first: dict[int, tuple[int, int]] = {}
    for attempt_id, user_id, number in attempts:
        candidate = (number, attempt_id)
        if user_id not in first or candidate < first[user_id]:
            first[user_id] = candidate
    return {attempt_id for _number, attempt_id in first.values()}


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson correlation; None if fewer than 3 pairs or either side is constant.

    Constancy is tested on the spread of the values themselves (with EPSILON), not on a computed
    variance, because a mean of equal floats can differ from them in the last bit and turn
    "undefined" into noise.
    """
    if len(xs) != len(ys):
        raise ValueError("xs and ys must have the same length")
    if len(xs) < 3 or _constant(xs) or _constant(ys):
        return None
    mean_x = math.fsum(xs) / len(xs)
    mean_y = math.fsum(ys) / len(ys)
    sxy = math.fsum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = math.fsum((x - mean_x) ** 2 for x in xs)
    syy = math.fsum((y - mean_y) ** 2 for y in ys)
    r = sxy / math.sqrt(sxx * syy)
    # Rounding can push a perfect correlation a hair past ±1.
    return max(-1.0, min(1.0, r))


def cronbach_alpha(item_points: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha from one row of item points per attempt (every row the same items).

    alpha = k / (k - 1) * (1 - sum of item variances / variance of the row totals).
    Sample variances are used; the divisor cancels in the ratio, so population variances give
    the same alpha (and on 0/1 items the same value as KR-20 with p * q).
    None if fewer than 3 attempts, fewer than 2 items or constant totals.
    """
    if len(item_points) < 3:
        return None
    k = len(item_points[0])
    if any(len(row) != k for row in item_points):
        raise ValueError("every attempt must have the same items")
    if k < 2:
        return None
    totals = [math.fsum(row) for row in item_points]
    if _constant(totals):
        return None
    item_variance = math.fsum(
        statistics.variance([row[i] for row in item_points]) for i in range(k)
    )
    return k / (k - 1) * (1 - item_variance / statistics.variance(totals))


def histogram(percents: Iterable[float]) -> tuple[int, ...]:
    """Counts in bins [0,10), [10,20), ..., [90,100]; 100 % belongs to the last bin."""
    counts = [0] * HISTOGRAM_BINS
    for percent in percents:
        if not -EPSILON <= percent <= 100 + EPSILON:
            raise ValueError(f"percent {percent} outside 0..100")
        # EPSILON: 0.7 * 100 is 70.00000000000001 but 0.29 * 100 is 28.999999999999996; a score
        # on a bin edge belongs to the upper bin however the caller's arithmetic rounded it.
        counts[min(int((percent + EPSILON) // 10), HISTOGRAM_BINS - 1)] += 1
    return tuple(counts)


def item_flags(
    info: ItemInfo | None,
    n: int,
    facility: float | None,
    discrimination: float | None,
    option_counts: Mapping[str, int],
) -> tuple[str, ...]:
    """Flags (msgids) of one item from its statistics; see THRESHOLDS.

    A value exactly on a threshold is not flagged (the page says "above"/"below").
    """
    flags = []
    if facility is not None and facility > THRESHOLDS["facility_easy"] + EPSILON:
        flags.append(FLAG_TOO_EASY)
    if facility is not None and facility < THRESHOLDS["facility_hard"] - EPSILON:
        flags.append(FLAG_TOO_HARD)
    if discrimination is not None and discrimination < THRESHOLDS["discrimination_low"] - EPSILON:
        flags.append(FLAG_NOT_DISCRIMINATING)
    if info is not None and info.type in CHOICE_TYPES and n >= THRESHOLDS["distractor_min_n"]:
        wrong = [option for option in info.options if option not in info.key]
        if any(option_counts.get(option, 0) == 0 for option in wrong):
            flags.append(FLAG_DISTRACTOR_NEVER_CHOSEN)
    return tuple(flags)


def analyse_items(
    infos: Iterable[ItemInfo],
    responses: Iterable[ItemResponse],
    scores: Iterable[AttemptScore],
) -> dict[str, ItemStats]:
    """Statistics of every item, keyed by item (version) identity.

    Items of `infos` come first in their order, each even if no attempt was given it (n = 0),
    then items that only appear in responses (sorted; no info, so no distractor flag).
    """
    info_by_item = _infos_by_item(infos)
    by_attempt = _responses_by_attempt(responses, {score.attempt_id for score in scores})

    # Rest score needs each attempt's total over its own item points.
    totals = {
        attempt: math.fsum(r.points for r in rows.values()) for attempt, rows in by_attempt.items()
    }
    by_item: dict[str, list[ItemResponse]] = defaultdict(list)
    for attempt in sorted(by_attempt):
        for response in by_attempt[attempt].values():
            by_item[response.item].append(response)

    items = list(info_by_item) + sorted(set(by_item) - set(info_by_item))
    return {
        item: _item_stats(item, info_by_item.get(item), by_item.get(item, []), totals)
        for item in items
    }


def _infos_by_item(infos: Iterable[ItemInfo]) -> dict[str, ItemInfo]:
    info_by_item: dict[str, ItemInfo] = {}
    for info in infos:
        if info.item in info_by_item:
            raise ValueError(f"item {info.item!r} listed twice")
        info_by_item[info.item] = info
    return info_by_item


def _item_stats(
    item: str, info: ItemInfo | None, rows: Sequence[ItemResponse], totals: Mapping[int, float]
) -> ItemStats:
    """Statistics of one item from its responses; `totals` are the attempts' total points."""
    n = len(rows)
    points = [r.points for r in rows]
    facility = math.fsum(points) / n / MAX_POINTS if n else None
    rest = [totals[r.attempt_id] - r.points for r in rows]
    discrimination = pearson(points, rest)
    counts = _option_counts(info, rows)
    return ItemStats(
        item=item,
        n=n,
        facility=facility,
        discrimination=discrimination,
        option_counts=counts,
        flags=item_flags(info, n, facility, discrimination, counts),
    )


def _option_counts(info: ItemInfo | None, rows: Iterable[ItemResponse]) -> dict[str, int]:
    """Times each option was chosen: the item's options first (never chosen: 0), then others."""
    counts = dict.fromkeys(info.options if info else (), 0)
    for r in rows:
        # set(): an option listed twice in one answer was still chosen once.
        for option in sorted(set(r.choice)):
            counts[option] = counts.get(option, 0) + 1
    return counts


def analyse_test(scores: Iterable[AttemptScore], responses: Iterable[ItemResponse]) -> TestStats:
    """Distribution of the attempts' percent and the test's reliability (see TestStats)."""
    scores = list(scores)
    attempt_ids = {score.attempt_id for score in scores}
    if len(attempt_ids) != len(scores):
        raise ValueError("an attempt is listed twice in scores")
    percents = [score.percent for score in scores]
    n = len(percents)
    mean = math.fsum(percents) / n if n else None
    sd = statistics.stdev(percents) if n >= 2 else None

    by_attempt = _responses_by_attempt(responses, attempt_ids)
    # An attempt without any response has no item in common with the others.
    common: set[str] = (
        set.intersection(*(set(by_attempt.get(attempt, {})) for attempt in attempt_ids))
        if attempt_ids
        else set()
    )
    common_items = sorted(common)
    rows = [
        [by_attempt[attempt][item].points for item in common_items]
        for attempt in sorted(attempt_ids)
    ]
    reliability = cronbach_alpha(rows) if common_items else None
    return TestStats(
        n=n,
        mean=mean,
        sd=sd,
        reliability=reliability,
        histogram=histogram(percents),
        reliability_items=len(common_items),
    )


def _responses_by_attempt(
    responses: Iterable[ItemResponse], population: set[int]
) -> dict[int, dict[str, ItemResponse]]:
    by_attempt: dict[int, dict[str, ItemResponse]] = defaultdict(dict)
    for response in responses:
        if response.attempt_id not in population:
            continue
        if not 0 <= response.points <= MAX_POINTS:
            raise ValueError(f"points {response.points} outside 0..{MAX_POINTS}")
        if response.item in by_attempt[response.attempt_id]:
            # Two rows for one item in one attempt would count the item twice in the totals.
            raise ValueError(f"attempt {response.attempt_id} has item {response.item!r} twice")
        by_attempt[response.attempt_id][response.item] = response
    return dict(by_attempt)


def _constant(values: Sequence[float]) -> bool:
    # Points have at most 4 decimals, so values that differ by less than EPSILON are equal
    # in arithmetic and differ only by rounding (0.1 + 0.2 vs 0.15 + 0.15): a variance made of
    # that noise would give a meaningless r or alpha instead of "undefined".
    return max(values) - min(values) <= EPSILON

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Statistics of the scorecard backtest, in plain Python over counts.

PostgreSQL aggregates the backtest per combination of the dimensions' points (a few
hundred to a few thousand rows, whatever the number of customers); everything here
works on those counts: the AUC from counts per score value, the scorecard's own
scoring rule reproduced exactly, and the fitting of weights and thresholds.
No numeric library is needed at this size.
"""

import math
from collections import defaultdict

# Churned customers below which the backtest judges nothing (too few to tell a real
# difference between risk levels from noise).
MIN_CHURNED = 30
# Weight points moved between two dimensions per step of the fitting: coarse first.
FIT_STEPS = (5, 1)
# Each risk level keeps at least this share of the customers when thresholds are fitted.
MIN_LEVEL_SHARE = 0.05


def rate(part, whole):
    """``part / whole``, or None when ``whole`` is 0."""
    return part / whole if whole else None


def auc_area(counts):
    """Twice the area under the ROC curve times churned x stayed, as an integer.

    ``counts`` maps a value to ``(churned, stayed)`` counts; a lower value means more
    at risk. The area counts the pairs (churner, customer who stayed) where the
    churner has the lower value, ties counting half (Mann-Whitney); doubled, it stays
    an integer, so that two areas over the same customers compare exactly.
    """
    stayed_above = sum(stayed for _churned, stayed in counts.values())
    area = 0
    for value in sorted(counts):
        churned, stayed = counts[value]
        stayed_above -= stayed
        area += churned * (2 * stayed_above + stayed)
    return area


def auc(counts):
    """AUC of a value predicting churn (lower = more at risk), or None without
    churners or without customers who stayed.

    0.5 is a coin toss, 1.0 ranks every churner below every customer who stayed.
    """
    churned = sum(c for c, _s in counts.values())
    stayed = sum(s for _c, s in counts.values())
    if not churned or not stayed:
        return None
    return auc_area(counts) / (2 * churned * stayed)


def lift(high_rate, low_rate):
    """Churn rate of the high-risk customers over that of the low-risk ones, or None
    when either is unknown or no low-risk customer churned."""
    if high_rate is None or not low_rate:
        return None
    return high_rate / low_rate


def score(points, weights, min_weight):
    """The scorecard's score of one combination of points, as ``_scoring_sql`` gives it.

    ``points`` maps each dimension to its points (None without data), ``weights`` to
    its weight. Dimensions without data are left out and the others re-weighted; no
    score (None) below ``min_weight`` % of the weight with data. Rounded half up, in
    integers: floor(weighted / present + 0.5) = (2 weighted + present) // (2 present).
    """
    present = sum(weight for dim, weight in weights.items() if points[dim] is not None)
    if present <= 0 or present < min_weight:
        return None
    weighted = sum(
        points[dim] * weight for dim, weight in weights.items() if points[dim] is not None
    )
    return (2 * weighted + present) // (2 * present)


def risk(value, low, medium):
    """Risk level of a score (``crm.health.scorecard._risk_for``); None without score."""
    if value is None:
        return None
    if value >= low:
        return "low"
    if value >= medium:
        return "medium"
    return "high"


def score_counts(cells, weights, min_weight):
    """``{score: (churned, stayed)}`` of the cells scored with ``weights``, or None
    when one of the cells' customers would get no score (too little data)."""
    counts = defaultdict(lambda: [0, 0])
    for points, churned, customers in cells:
        if not customers:
            continue
        value = score(points, weights, min_weight)
        if value is None:
            return None
        counts[value][0] += churned
        counts[value][1] += customers - churned
    return {value: tuple(pair) for value, pair in counts.items()}


def fit_weights(cells, weights, movable, min_weight, steps=FIT_STEPS):
    """Non-negative integer weights adding up to the same total that rank churners
    best (highest AUC) over ``cells``, by hill-climbing from ``weights``.

    ``cells`` are ``(points, churned, customers)``: the points of each dimension
    (None without data) and how many customers had them, how many of whom churned.
    ``movable`` lists the dimensions that may get weight (those with scoring bands),
    in a fixed order. Each round tries every move of ``step`` weight points from one
    dimension to another and keeps the best one while it improves the AUC (the first
    one in the order of ``movable`` on a tie): deterministic. A move that would leave
    a customer of the cells without score (below the minimum data weight) is not
    taken, so that every candidate is judged on the same customers.

    :return: the fitted weights (a new dict)
    """
    current = dict(weights)
    counts = score_counts(cells, current, min_weight)
    if counts is None:
        return current
    best = auc_area(counts)
    for step in steps:
        while True:
            move = None
            for giver in movable:
                if current[giver] < step:
                    continue
                for taker in movable:
                    if taker == giver:
                        continue
                    candidate = dict(current)
                    candidate[giver] -= step
                    candidate[taker] += step
                    counts = score_counts(cells, candidate, min_weight)
                    if counts is None:
                        continue
                    area = auc_area(counts)
                    if area > (move[0] if move else best):
                        move = (area, candidate)
            if move is None:
                break
            best, current = move
    return current


def _log_likelihood(churned, customers):
    """Log-likelihood of ``churned`` churners among ``customers`` at their own rate."""
    stayed = customers - churned
    total = 0.0
    if churned:
        total += churned * math.log(churned / customers)
    if stayed:
        total += stayed * math.log(stayed / customers)
    return total


def fit_thresholds(counts, min_share=MIN_LEVEL_SHARE):
    """Medium- and low-risk thresholds that make the three risk levels differ most in
    churn rate: the split of the scores 0-100 into high / medium / low risk with the
    highest likelihood of who churned (each level at its own churn rate), churn rates
    decreasing from high to low risk, each level holding at least ``min_share`` of the
    customers. The first best split wins a tie (lowest thresholds).

    ``counts`` maps a score to ``(churned, stayed)``.

    :return: ``(medium, low)``, or None when no split qualifies
    """
    churned_to = [0] * 102  # prefix sums over scores below each index
    customers_to = [0] * 102
    for value in range(101):
        churned, stayed = counts.get(value, (0, 0))
        churned_to[value + 1] = churned_to[value] + churned
        customers_to[value + 1] = customers_to[value] + churned + stayed
    total = customers_to[101]
    if not total:
        return None
    minimum = min_share * total

    def level(start, end):  # scores start .. end - 1
        return churned_to[end] - churned_to[start], customers_to[end] - customers_to[start]

    best = None
    for medium in range(1, 100):
        high_churned, high_customers = level(0, medium)
        if high_customers < minimum:
            continue
        for low in range(medium + 1, 101):
            mid_churned, mid_customers = level(medium, low)
            low_churned, low_customers = level(low, 101)
            if mid_customers < minimum or low_customers < minimum:
                continue
            rates = (
                high_churned / high_customers,
                mid_churned / mid_customers,
                low_churned / low_customers,
            )
            if not rates[0] > rates[1] > rates[2]:
                continue
            likelihood = (
                _log_likelihood(high_churned, high_customers)
                + _log_likelihood(mid_churned, mid_customers)
                + _log_likelihood(low_churned, low_customers)
            )
            if best is None or likelihood > best[0] + 1e-9:
                best = (likelihood, medium, low)
    return best and best[1:]

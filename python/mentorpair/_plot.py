"""Drawing for :mod:`mentorpair.benchmark`: matched-score distributions per strategy and per group.

matplotlib is an optional extra (``pip install mentorpair[plot]``); it is imported only here,
only when a plot is asked for.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            "plotting needs matplotlib, an optional extra: pip install 'mentorpair[plot]' "
            "(or pip install matplotlib)"
        ) from e
    return plt


def draw_scores(pairs: pd.DataFrame, group: str, title: str | None = None) -> Any:
    """Two panels from a pairs frame (``strategy``, ``score`` and the ``group`` column): the
    matched-score distribution of each strategy (box plot with the mean marked) and the mean
    matched score of each group under each strategy. Returns the matplotlib Figure."""
    for column in ("strategy", "score", group):
        if column not in pairs.columns:
            raise ValueError(
                f"pairs frame has no column {column!r}; it needs 'strategy', 'score' and the group "
                f"column (columns present: {list(pairs.columns)})"
            )
    plt = _pyplot()
    strategies = list(dict.fromkeys(pairs["strategy"]))
    groups = sorted(pairs[group].dropna().astype(str).unique())
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)

    data = [pairs.loc[pairs["strategy"] == s, "score"].to_numpy() for s in strategies]
    left.boxplot(data, showmeans=True, widths=0.6)
    left.set_xticks(range(1, len(strategies) + 1), strategies)
    left.set_ylabel("matched score")
    left.set_title("score of each matched pair, per strategy")

    width = 0.8 / max(len(groups), 1)
    top = 0.0
    for k, g in enumerate(groups):
        means = [
            pairs.loc[(pairs["strategy"] == s) & (pairs[group].astype(str) == g), "score"].mean()
            for s in strategies
        ]
        xs = [i + (k - (len(groups) - 1) / 2) * width for i in range(len(strategies))]
        right.bar(xs, means, width=width, label=g)
        top = max([top, *[m for m in means if m == m]])
    right.set_xticks(range(len(strategies)), strategies)
    right.set_ylabel("mean matched score")
    right.set_title(f"mean matched score per {group}")
    if groups:
        # Head-room above the bars keeps the legend off them.
        right.set_ylim(0, (top or 1.0) * 1.3)
        right.legend(title=group, fontsize="small", loc="upper center", ncol=len(groups))
    if title:
        fig.suptitle(title)
    return fig

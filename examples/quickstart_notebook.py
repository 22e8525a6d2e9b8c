"""Build examples/quickstart.ipynb from the cells below (run: python examples/quickstart_notebook.py).

The notebook is committed without outputs; tests/python/test_notebook.py executes it in a fresh
kernel and checks it is what this script builds.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CELLS: list[tuple[str, str]] = [
    (
        "md",
        """# mentorpair quickstart

Generate a cohort, match it, look at the pairs, explain one, audit the result by a protected
attribute, plot score distributions, propose a meeting schedule, then rematch after some goals
change.""",
    ),
    (
        "md",
        """## 1. A cohort
A seeded synthetic programme (the same seed gives the same people everywhere) in the input schema:
one table of mentees, one of mentors, as an HR export would give them (`mp.match` also reads CSV
and JSON files, or lists of dicts). `gender` and `age_band` are protected attributes: held apart
for auditing, never read by any score.""",
    ),
    (
        "code",
        """import matplotlib.pyplot as plt
import pandas as pd

import mentorpair as mp

mentees, mentors = mp.synthetic.cohort(400, 160, seed=7)
PROTECTED = ["gender", "age_band"]
mentees.head(3)""",
    ),
    (
        "md",
        """## 2. Match
The optimal pairing under every hard constraint (no one in their own reporting line, mentor
capacities, each mentee at most `mentors_wanted` times). `violations` is an independent re-check
of every pair and is always empty.""",
    ),
    (
        "code",
        """result = mp.match(mentees, mentors, protected=PROTECTED, reference_date="2026-03-02")
assert result.violations.empty
print(result)
result.pairs[["mentee_id", "mentor_id", "score", *mp.COMPONENTS]].head()""",
    ),
    (
        "code",
        """result.unmatched["reason"].value_counts()""",
    ),
    (
        "md",
        """## 3. Explain a pair
Every score is a weighted sum of components; the contributions add up to the score, and each
component carries its evidence.""",
    ),
    (
        "code",
        """best = result.pairs.sort_values("score").iloc[-1]
why = result.explain(best.mentee_id)
pair = why["pairs"][0]
table = pd.DataFrame(pair["components"])[["component", "value", "weight", "contribution"]]
assert abs(table.contribution.sum() - pair["score"]) < 1e-9
print(best.mentee_id, "->", best.mentor_id, "score", round(pair["score"], 3))
table""",
    ),
    (
        "md",
        """## 4. Audit by a protected attribute
Match rate and scores per group, the disparate-impact ratio (lowest group match rate over the
highest; the four-fifths rule asks for at least 0.8) and the largest gap in mean score.""",
    ),
    (
        "code",
        """audit = result.audit(by="gender")
print(audit)
audit.groups[["group", "mentees", "matched", "match_rate", "mean_score", "min_score", "too_small"]]""",
    ),
    (
        "md",
        """## 5. Score distributions by group
How the optimal matching compares with a greedy one (best pair first), overall and by gender. The
protected columns are not in the scoring inputs; they are only used to report outcomes.""",
    ),
    (
        "code",
        """by_strategy = mp.benchmark.pairs(cohort=(mentees, mentors), strategies=["optimal", "greedy"])
fig = mp.benchmark.plot_scores(by_strategy, group="gender")
plt.show()
by_strategy.groupby(["strategy", "gender"]).score.mean().unstack().round(3)""",
    ),
    (
        "md",
        """## 6. A meeting schedule for every pair
One recurring meeting per pair for a 26-week programme: the slot lies inside both people's weekly
availability, each in their own time zone at that date's offset, so it survives the daylight-saving
changes of both zones (which fall on different dates). Weeks where it does not fit are listed in
`moves` with the alternate slot; `reason` says why a pair has no slot. `result.to_ics(path, ...)`
writes the same schedule as an iCalendar file and `result.report(path, by="gender")` the HTML
programme report.""",
    ),
    (
        "code",
        """plan = result.schedule(start="2027-01-04", weeks=26, meeting_minutes=60, cadence_weeks=2)
print(plan.attrs["summary"])
plan[["mentee_id", "mentor_id", "utc_start", "mentee_weekday", "mentee_start", "mentee_timezone",
      "mentor_start", "mentor_timezone", "moves", "reason"]].head()""",
    ),
    (
        "md",
        """## 7. Rematch after goals change
Mid-programme, 40 mentees change their goals and one mentor leaves. `rematch` dissolves pairs
that lost a person or now break a constraint, gives every still-valid pair a bonus for staying,
and re-solves: only the pairs that need to move do.""",
    ),
    (
        "code",
        """changed = mentees.copy()
changed.loc[:39, "goals"] = "public speaking:2;leadership"
leaving = result.pairs.mentor_id.iloc[0]
remaining_mentors = mentors[mentors.id != leaving]

again = mp.rematch(result, changed, remaining_mentors, keep_bonus=0.1,
                   protected=PROTECTED, reference_date="2026-03-02")
assert again.result.violations.empty
print(again)
again.changes.status.value_counts()""",
    ),
    (
        "code",
        """again.mentees[again.mentees.status.isin(["moved", "dissolved"])].head()""",
    ),
    (
        "md",
        """## 8. Shortlists, picks, then the optimal fill
A hybrid programme: every mentee sees a shortlist of allowed mentors with room, with the match %
and `cost_of_choice`, exactly how much the programme's optimal total drops if they take that
mentor (0 for the optimum's own choice). Some mentees pick; their picks become pins and the
optimal solve fills in everyone else. `why_not` says why a mentor is not on offer.""",
    ),
    (
        "code",
        """shortlists = mp.suggest(mentees, mentors, k=3, protected=PROTECTED, reference_date="2026-03-02")
shortlists.head(6)""",
    ),
    (
        "code",
        """# Ten mentees pick the second mentor on their list; the solve fills the rest.
picks = shortlists[shortlists["rank"] == 2].head(10)[["mentee_id", "mentor_id"]]
print("the picks cost the optimum at most", shortlists[shortlists["rank"] == 2].head(10)["cost_of_choice"].sum().round(3), "in total (each alone)")
hybrid = mp.fill_from_picks(mentees, mentors, picks, protected=PROTECTED, reference_date="2026-03-02")
assert hybrid.violations.empty
print(hybrid)
print("total score", round(hybrid.pairs.score.sum(), 3), "vs optimum", round(result.pairs.score.sum(), 3))""",
    ),
    (
        "code",
        """problem = mp.Problem(mentees, mentors, protected=PROTECTED, reference_date="2026-03-02")
someone = mentees.id.iloc[0]
blocked = [m for m in mentors.id if not problem.why_not(someone, m)["allowed"]]
problem.why_not(someone, blocked[0]) if blocked else "every mentor is allowed for " + someone""",
    ),
    (
        "md",
        """Next round, pass the history: past pairs are never repeated (`paired_before`), and mentees
left unmatched this round get a priority bonus that the explanations show.""",
    ),
    (
        "code",
        """history = pd.concat([
    result.pairs[["mentee_id", "mentor_id"]].assign(round=1),
    result.unmatched[["mentee_id"]].assign(mentor_id=None, round=1),
])
round2 = mp.match(mentees, mentors, history=history, protected=PROTECTED, reference_date="2026-03-02")
assert round2.violations.empty
repeated = set(zip(round2.pairs.mentee_id, round2.pairs.mentor_id)) & set(zip(result.pairs.mentee_id, result.pairs.mentor_id))
print(round2, "| pairs repeated from round 1:", len(repeated))""",
    ),
    (
        "md",
        """## 9. Goals in words, related tags
Most HR forms collect goals as sentences. A `goals_text` column on both tables becomes one more
component: the mentee's text is the query, the mentors' texts the documents (stop words out,
Snowball stems, BM25 over the cohort); the evidence lists the shared terms. A taxonomy gives
related tags partial goal credit.""",
    ),
    (
        "code",
        """words = pd.DataFrame({"id": ["ana", "ben"], "goals": ["public speaking", "budgeting"],
                      "goals_text": ["I want to get better at presenting to executives",
                                     "Negotiating budgets with finance"]})
givers = pd.DataFrame({"id": ["cy", "di"], "goals": ["presenting", "finance"],
                       "goals_text": ["I coach executive presentations", "Budget negotiation and planning"]})
texts = mp.match(words, givers, reference_date="2026-03-02",
                 taxonomy=[["public speaking", "presenting"]])
print(texts.pairs[["mentee_id", "mentor_id", "score", "goals", "goals_text"]])
ana = texts.explain("ana")["pairs"][0]["components"]
{c["component"]: c["evidence"] for c in ana if c["component"] in ("goals", "goals_text")}""",
    ),
    (
        "md",
        """## 10. Weights learned from outcomes
`fit_weights` learns component weights from past pairs and how they went (here a seeded synthetic
history from known weights); the report gives each coefficient, its uncertainty and its held-out
quality, and `fit.weights` goes straight into `mp.match(weights=...)`.""",
    ),
    (
        "code",
        """truth = {"goals": 0.35, "skills": 0.20, "availability": 0.20, "language": 0.15, "seniority": 0.10}
past = mp.synthetic.history(mentees, mentors, 3000, truth, seed=1, reference_date="2026-03-02")
fit = mp.fit_weights(past[["mentee_id", "mentor_id", "outcome"]], mentees, mentors,
                     reference_date="2026-03-02")
print(fit.metric, round(fit.heldout or 0.0, 3), fit.warnings)
fit.report""",
    ),
]


def build() -> nbformat.NotebookNode:
    """The notebook, without outputs."""
    cells = [new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in CELLS]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


if __name__ == "__main__":
    out = Path(__file__).with_name("quickstart.ipynb")
    nbformat.write(build(), out)
    print(f"wrote {out}")

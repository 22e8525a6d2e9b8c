//! The matching strategies compared by the quality benchmark, all on the same score matrix:
//! the optimal assignment, greedy, random feasible and mentee-proposing deferred acceptance.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::{QualityError, Strategy};
use crate::fairness::{group_floor, maximin, CapacitatedSolver, GroupFloorOptions};
use crate::lsap::{Instance, Objective};

/// Run `strategy` on `problem`, the mentees all in one group. `seed` only matters for
/// [`Strategy::Random`].
///
/// Returns `(mentee, mentor)` pairs sorted by mentee then mentor. Every strategy respects the
/// forbidden pairs (non-finite scores), each mentee's `row_capacity` (mentors wanted), each
/// mentor's `col_capacity`, and uses a pair at most once.
pub fn assign(
    strategy: Strategy,
    problem: &Instance<'_>,
    seed: u64,
) -> Result<Vec<(usize, usize)>, QualityError> {
    assign_grouped(strategy, problem, &[], seed)
}

/// [`assign`] with a protected group id per mentee row, for [`Strategy::GroupFloor`] (empty = one
/// group; otherwise one id per row).
pub fn assign_grouped(
    strategy: Strategy,
    problem: &Instance<'_>,
    row_groups: &[usize],
    seed: u64,
) -> Result<Vec<(usize, usize)>, QualityError> {
    let rows = problem.dims().0;
    if !row_groups.is_empty() && row_groups.len() != rows {
        return Err(QualityError::Shape {
            what: "row_groups",
            got: row_groups.len(),
            expected: rows,
            per: "mentee (row)",
        });
    }
    let mut pairs = match strategy {
        Strategy::Optimal => optimal(problem)?,
        Strategy::Greedy => greedy(problem),
        Strategy::Random => random(problem, seed),
        Strategy::Stable => stable(problem),
        Strategy::GroupFloor => {
            let one_group = vec![0; rows];
            let ids = if row_groups.is_empty() {
                &one_group
            } else {
                row_groups
            };
            let mut solver = fair_solver(problem);
            group_floor(
                problem.scores(),
                ids,
                &mut solver,
                &GroupFloorOptions::default(),
            )?
            .pairs
        }
        Strategy::Maximin => maximin(problem.scores(), &mut fair_solver(problem))?.pairs,
    };
    pairs.sort_unstable();
    Ok(pairs)
}

fn fair_solver<'a>(problem: &'a Instance<'_>) -> CapacitatedSolver<'a> {
    CapacitatedSolver::for_instance(problem, Objective::Coverage)
}

/// The capacitated assignment solver with the coverage objective: the most pairs the
/// capacities and forbidden pairs allow, and among those the highest total score.
fn optimal(problem: &Instance<'_>) -> Result<Vec<(usize, usize)>, QualityError> {
    Ok(problem.solve(Objective::Coverage)?.pairs)
}

/// Each mentee's acceptable mentors, best first (score descending, then mentor index).
fn preferences(problem: &Instance<'_>) -> Vec<Vec<u32>> {
    let s = problem.scores();
    (0..s.nrows())
        .into_par_iter()
        .map(|i| {
            let row = s.row(i);
            let mut js: Vec<u32> = (0..row.len())
                .filter(|&j| problem.col_capacity[j] > 0 && row[j].is_finite())
                .map(|j| j as u32)
                .collect();
            js.sort_by(|&a, &b| row[b as usize].total_cmp(&row[a as usize]).then(a.cmp(&b)));
            js
        })
        .collect()
}

/// The head of one mentee's preference list in the greedy merge.
struct Head {
    score: f64,
    mentee: usize,
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Head {}
impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Head {
    /// Max-heap order: higher score first, then lower mentee index.
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then(other.mentee.cmp(&self.mentee))
    }
}

/// Best pair first: all acceptable pairs in order of score (ties: mentee index, then mentor
/// index), each taken when both sides still have room. A k-way merge of the sorted rows, so
/// memory stays at one index per acceptable pair.
fn greedy(problem: &Instance<'_>) -> Vec<(usize, usize)> {
    let prefs = preferences(problem);
    let s = problem.scores();
    let mut room_mentee: Vec<u32> = problem.row_capacity.to_vec();
    let mut room_mentor: Vec<u32> = problem.col_capacity.to_vec();
    let mut next = vec![0usize; prefs.len()];
    let mut heap: BinaryHeap<Head> = prefs
        .iter()
        .enumerate()
        .filter(|(i, p)| room_mentee[*i] > 0 && !p.is_empty())
        .map(|(i, p)| Head {
            score: s[[i, p[0] as usize]],
            mentee: i,
        })
        .collect();
    let mut pairs = Vec::new();
    while let Some(Head { mentee: i, .. }) = heap.pop() {
        let j = prefs[i][next[i]] as usize;
        next[i] += 1;
        if room_mentor[j] > 0 {
            room_mentor[j] -= 1;
            room_mentee[i] -= 1;
            pairs.push((i, j));
        }
        // Skip mentors that are already full; they never get room back.
        while next[i] < prefs[i].len() && room_mentor[prefs[i][next[i]] as usize] == 0 {
            next[i] += 1;
        }
        if room_mentee[i] > 0 && next[i] < prefs[i].len() {
            heap.push(Head {
                score: s[[i, prefs[i][next[i]] as usize]],
                mentee: i,
            });
        }
    }
    pairs
}

/// A random feasible (and maximal) matching: mentees in a seeded random order, each taking
/// uniformly random acceptable mentors that still have room, up to what it wants.
fn random(problem: &Instance<'_>, seed: u64) -> Vec<(usize, usize)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let s = problem.scores();
    let (n, m) = s.dim();
    let mut order: Vec<usize> = (0..n).collect();
    shuffle(&mut order, &mut rng);
    let mut room: Vec<u32> = problem.col_capacity.to_vec();
    let mut pairs = Vec::new();
    let mut open: Vec<usize> = Vec::with_capacity(m);
    for i in order {
        open.clear();
        open.extend((0..m).filter(|&j| room[j] > 0 && s[[i, j]].is_finite()));
        let take = (problem.row_capacity[i] as usize).min(open.len());
        for k in 0..take {
            let pick = k + rng.random_range(0..(open.len() - k) as u64) as usize;
            open.swap(k, pick);
            let j = open[k];
            room[j] -= 1;
            pairs.push((i, j));
        }
    }
    pairs
}

/// Fisher–Yates with 64-bit draws (platform-stable, independent of `usize` width).
fn shuffle<T>(items: &mut [T], rng: &mut ChaCha8Rng) {
    for i in (1..items.len()).rev() {
        let j = rng.random_range(0..=i as u64) as usize;
        items.swap(i, j);
    }
}

/// Mentee-proposing deferred acceptance with capacities on both sides. Preferences come from the
/// scores (both sides rank by the pair's score; mentees break ties by lower mentor index, mentors
/// by lower mentee index). The result has no blocking pair in the sense of
/// [`super::blocking_pairs`].
fn stable(problem: &Instance<'_>) -> Vec<(usize, usize)> {
    let prefs = preferences(problem);
    let s = problem.scores();
    let n = prefs.len();
    let mut free: Vec<u32> = problem.row_capacity.to_vec();
    let mut next = vec![0usize; n];
    let mut held: Vec<Vec<usize>> = problem
        .col_capacity
        .iter()
        .map(|&c| Vec::with_capacity(c.min(64) as usize))
        .collect();
    // Mentors prefer a higher score, then a lower mentee index.
    let better = |a: usize, b: usize, j: usize| match s[[a, j]].total_cmp(&s[[b, j]]) {
        Ordering::Equal => a < b,
        o => o == Ordering::Greater,
    };
    let mut stack: Vec<usize> = (0..n).rev().collect();
    while let Some(i) = stack.pop() {
        while free[i] > 0 && next[i] < prefs[i].len() {
            let j = prefs[i][next[i]] as usize;
            next[i] += 1;
            if held[j].len() < problem.col_capacity[j] as usize {
                held[j].push(i);
                free[i] -= 1;
                continue;
            }
            let worst = (0..held[j].len()).reduce(|w, k| {
                if better(held[j][w], held[j][k], j) {
                    k
                } else {
                    w
                }
            });
            if let Some(w) = worst {
                let k = held[j][w];
                if better(i, k, j) {
                    held[j][w] = i;
                    free[i] -= 1;
                    free[k] += 1;
                    stack.push(k);
                }
            }
        }
    }
    held.into_iter()
        .enumerate()
        .flat_map(|(j, is)| is.into_iter().map(move |i| (i, j)))
        .collect()
}

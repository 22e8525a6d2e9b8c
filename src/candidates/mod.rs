//! Candidate pairs without the dense matrix: blocking indexes over the compact features, exact
//! scores of the pairs they propose, top-k per mentee and top-k′ per mentor.
//!
//! A *key* is something two people can share that raises their score: a goal tag (mentee goals
//! against mentor goals), a skill tag (what the mentee wants to grow in against the mentor's
//! skills), a language, a time-zone band (a 4-hour band of the UTC week either side is free in).
//! Each side is indexed by its keys (an inverted index, key → people; the bands as a bit mask per
//! person). A query person sums, for every person of the other side, how much each key they share
//! can add to the score (the component weights), keeps the best `pool` of them, and scores those exactly
//! with [`pair_score`], the arithmetic of [`ScoreModel::fill`]. Keys held by more than a quarter
//! of the other side are left out of the collection (they do not discriminate, and a language
//! everybody speaks would make every query touch every person); a query short of `pool` people is
//! topped up with evenly spaced people of the other side, so no one is left without candidates.
//!
//! The candidates are not trusted to hold the optimum: the sparse solve is certified against
//! every pair afterwards (see `lsap::certify`), and pairs that could improve it join in.
//!
//! The size of the lists adapts to the cohort ([`KRule`]).

mod bound;

pub use bound::{RowScratch, ScoreBounds};

use crate::features::PersonFeatures;
use crate::lsap::{CandidateGraph, LsapError};
use crate::score::{components, total, ScoreModel};
use rayon::prelude::*;
use std::ops::Range;

/// Minutes in one time-zone band of the week.
const BAND_MINUTES: u32 = 240;
/// Bands in a week.
const BANDS: u32 = 7 * 24 * 60 / BAND_MINUTES;

/// How many candidates each mentee and each mentor gets: the rule that adapts k to the cohort.
///
/// With demand `D` (mentors wanted, summed) and supply `S` (mentor capacity, summed), a mentee
/// competes for mentors more as `ρ = D / S` grows, and a mentor for mentees as `1 / ρ` grows:
///
/// - `k_row = clamp(⌈base · max(1, ρ)⌉ + 2 · max mentors wanted, min, max)`,
/// - `k_col = clamp(⌈base · max(1, 1/ρ)⌉ + 2 · max capacity, min, max)`,
///
/// with `base = 6`, `min = 8`, `max = 48` by default. The candidates scored exactly per person
/// (`pool`) are `4 · k`. Too few candidates cost certification rounds, never the optimum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KRule {
    /// Candidates before the competition term.
    pub base: usize,
    /// Fewest candidates per person.
    pub min: usize,
    /// Most candidates per person.
    pub max: usize,
}

impl Default for KRule {
    fn default() -> Self {
        KRule {
            base: 6,
            min: 8,
            max: 48,
        }
    }
}

impl KRule {
    /// `(k_row, k_col)` for these capacities.
    pub fn for_cohort(&self, row_capacity: &[u32], col_capacity: &[u32]) -> (usize, usize) {
        let demand: u64 = row_capacity.iter().map(|&c| u64::from(c)).sum();
        let supply: u64 = col_capacity.iter().map(|&c| u64::from(c)).sum();
        let rho = demand.max(1) as f64 / supply.max(1) as f64;
        let max_row = row_capacity.iter().copied().max().unwrap_or(1) as usize;
        let max_col = col_capacity.iter().copied().max().unwrap_or(1) as usize;
        let k = |ratio: f64, cap: usize| {
            ((self.base as f64 * ratio.max(1.0)).ceil() as usize + 2 * cap)
                .clamp(self.min, self.max.max(self.min))
        };
        (k(rho, max_row), k(1.0 / rho, max_col))
    }
}

/// The score of mentee row `i` with mentor column `j`, with exactly the arithmetic (and so the
/// bits) of [`ScoreModel::fill`]: built-in components, each applicable extra component added in
/// order, times the reciprocal of the row's weight.
pub fn pair_score(model: &ScoreModel<'_>, i: usize, j: usize) -> f64 {
    let (Some(a), Some(b)) = (model.features.mentees.get(i), model.features.mentors.get(j)) else {
        return 0.0;
    };
    let mut cell = total(&components(a, b, model.cfg), &model.weights.as_array());
    for e in model.extras {
        if e.part.applies(i) {
            cell += e.weight * e.part.value(i, j).unwrap_or(model.cfg.neutral);
        }
    }
    cell * (1.0 / model.row_weight(i))
}

/// The scores of a model for [`crate::lsap::certify_bounded`]: the bounds of [`ScoreBounds`],
/// the exact [`pair_score`], and `keep(i, j, score)` for the pairs allowed (every pair scoring
/// below `min_score` must be refused by `keep`).
pub struct Certifier<'b, 'm, 'a, K> {
    /// The bounds and the model they bound.
    pub bounds: &'b ScoreBounds<'m, 'a>,
    /// Whether a pair is allowed.
    pub keep: K,
    /// The smallest score `keep` allows (`f64::NEG_INFINITY` when any).
    pub min_score: f64,
}

impl<K> crate::lsap::BoundedScores for Certifier<'_, '_, '_, K>
where
    K: Fn(usize, usize, f64) -> bool + Sync,
{
    type Scratch = bound::RowScratch;
    fn scratch(&self) -> Self::Scratch {
        self.bounds.scratch()
    }
    #[inline(always)]
    fn row(
        &self,
        i: usize,
        cols: std::ops::Range<usize>,
        cut: &crate::lsap::Cut<'_>,
        scratch: &mut Self::Scratch,
        out: &mut Vec<(u32, f64)>,
    ) {
        self.bounds.row(i, cols, cut, scratch, out);
    }
    #[inline(always)]
    fn refine(&self, i: usize, j: usize, scratch: &Self::Scratch) -> f64 {
        self.bounds.refine(i, j, scratch)
    }
    fn score(&self, i: usize, j: usize) -> Option<f64> {
        let s = pair_score(self.bounds.model(), i, j);
        (self.keep)(i, j, s).then_some(s)
    }
    fn min_score(&self) -> f64 {
        self.min_score
    }
}

/// Rows `range` of the full score matrix, row-major into `out` (`range.len() × mentors`), the
/// same bits as [`ScoreModel::fill`]; `keep(i, j, score)` false writes NaN instead.
pub fn score_rows<K>(model: &ScoreModel<'_>, range: Range<usize>, out: &mut [f64], keep: &K)
where
    K: Fn(usize, usize, f64) -> bool + ?Sized,
{
    const COLS: usize = 256;
    let w = model.weights.as_array();
    let (mentees, mentors) = (&model.features.mentees, &model.features.mentors);
    let cols = mentors.len();
    if cols == 0 {
        return;
    }
    let rows = &mentees[range.clone()];
    for (c0, tile) in mentors.chunks(COLS).enumerate() {
        for (r, a) in rows.iter().enumerate() {
            let base = r * cols + c0 * COLS;
            for (k, b) in tile.iter().enumerate() {
                out[base + k] = total(&components(a, b, model.cfg), &w);
            }
        }
    }
    for (r, row) in out.chunks_exact_mut(cols).enumerate() {
        let i = range.start + r;
        for e in model.extras {
            if !e.part.applies(i) {
                continue;
            }
            for (j, cell) in row.iter_mut().enumerate() {
                *cell += e.weight * e.part.value(i, j).unwrap_or(model.cfg.neutral);
            }
        }
        let inv = 1.0 / model.row_weight(i);
        for (j, cell) in row.iter_mut().enumerate() {
            let s = *cell * inv;
            *cell = if keep(i, j, s) { s } else { f64::NAN };
        }
    }
}

/// Which side a person is on: keys differ (a mentee's skill keys are what it wants to grow in, a
/// mentor's are its skills).
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Mentee,
    Mentor,
}

/// Key space: goal tags, then skill tags, then languages (bands are a bit mask per person,
/// [`bands_of`]).
struct Keys {
    tags: u32,
    languages: u32,
}

impl Keys {
    fn len(&self) -> usize {
        (2 * self.tags + self.languages) as usize
    }

    /// The tag and language keys of `p` with the most each can add to a score (in weight
    /// units), sorted by key.
    fn of(
        &self,
        p: &PersonFeatures,
        side: Side,
        w: &[f64; crate::score::N_COMPONENTS],
    ) -> Vec<(u32, f32)> {
        let mut out: Vec<(u32, f32)> = Vec::new();
        let gw = p.goal_weight.max(f64::MIN_POSITIVE);
        for &(t, x) in &p.goals {
            let gain = if side == Side::Mentee {
                w[0] * x / gw
            } else {
                w[0] / p.goals.len() as f64
            };
            out.push((t, gain as f32));
        }
        match side {
            Side::Mentee => {
                let sw = p.skill_target_weight.max(f64::MIN_POSITIVE);
                for &(t, x, _) in &p.skill_targets {
                    out.push((self.tags + t, (w[1] * x / sw) as f32));
                }
            }
            Side::Mentor => {
                let n = p.skills.len().max(1) as f64;
                for &(t, _) in &p.skills {
                    out.push((self.tags + t, (w[1] / n) as f32));
                }
            }
        }
        let nl = p.languages.len().max(1) as f64;
        for &l in &p.languages {
            out.push((2 * self.tags + l, (w[3] / nl) as f32));
        }
        out.sort_unstable_by_key(|k| k.0);
        out.dedup_by_key(|k| k.0);
        out
    }
}

impl Targets {
    /// The side of `people`, with their `keys` (over `n_keys` keys).
    fn build(
        people: &[PersonFeatures],
        keys: &[Vec<(u32, f32)>],
        n_keys: usize,
        w: &[f64; crate::score::N_COMPONENTS],
    ) -> Targets {
        let mut postings = vec![Vec::new(); n_keys];
        for (p, ks) in keys.iter().enumerate() {
            for &(k, _) in ks {
                postings[k as usize].push(p as u32);
            }
        }
        let bands: Vec<u64> = people.iter().map(|p| bands_of(p, w).0).collect();
        let mut common_bands = 0u64;
        for b in 0..BANDS {
            let held = bands.iter().filter(|&&m| m >> b & 1 == 1).count();
            if held > (people.len() / 4).max(1) {
                common_bands |= 1 << b;
            }
        }
        Targets {
            postings,
            bands,
            common_bands,
        }
    }
}

/// The bands of the week `p` is free in (bit `b`: some slot overlaps band `b`), and what one
/// shared band can add to a score (the availability weight over the number of bands).
fn bands_of(p: &PersonFeatures, w: &[f64; crate::score::N_COMPONENTS]) -> (u64, f32) {
    let Ok(slots) = &p.availability else {
        return (0, 0.0);
    };
    let mut bands = 0u64;
    for &(a, b) in slots {
        let (a, b) = (u32::from(a), u32::from(b).max(u32::from(a) + 1));
        for band in a / BAND_MINUTES..=((b - 1) / BAND_MINUTES).min(BANDS - 1) {
            bands |= 1 << band;
        }
    }
    let nb = f64::from(bands.count_ones().max(1));
    (bands, (w[2] / nb) as f32)
}

/// One side of the cohort as the other side's queries see it.
struct Targets {
    /// Tag and language key → people holding it.
    postings: Vec<Vec<u32>>,
    /// Per person: [`bands_of`].
    bands: Vec<u64>,
    /// The bands more than a quarter of the side is free in.
    common_bands: u64,
}

/// The queries of `people` with their `keys`.
fn queries<'q>(
    people: &[PersonFeatures],
    keys: &'q [Vec<(u32, f32)>],
    w: &[f64; crate::score::N_COMPONENTS],
) -> Vec<Query<'q>> {
    people
        .iter()
        .zip(keys)
        .map(|(p, k)| {
            let (bands, band_gain) = bands_of(p, w);
            Query {
                keys: k,
                bands,
                band_gain,
            }
        })
        .collect()
}

/// A query person: its keys and gains, its bands and the gain of one shared band.
struct Query<'q> {
    keys: &'q [(u32, f32)],
    bands: u64,
    band_gain: f32,
}

/// The best `pool` people of the other side for each query person, by the weight of the keys
/// they share with it (ties to the lower index), topped up with evenly spaced people when the
/// keys find too few.
///
/// Every query shares something with most of the other side (a band, a common goal), so the
/// weights are summed into a dense row: the shared bands by a mask test per person, the keys
/// from the postings; the best `pool` are then found by halving a threshold until few more
/// than `pool` pass it, and selecting among those.
fn pools(queries: &[Query<'_>], side: &Targets, pool: usize) -> Vec<Vec<u32>> {
    let targets = side.bands.len();
    let common = (targets / 4).max(4 * pool);
    let want = pool.min(targets);
    queries
        .par_iter()
        .map_init(
            || (vec![0f32; targets], Vec::<(f32, u32)>::new()),
            |(acc, hits), q| {
                crate::lsap::cpu::fast(
                    #[inline(always)]
                    || pool_of(q, side, common, want, acc, hits),
                )
            },
        )
        .collect()
}

/// [`pools`] for one query.
#[inline(always)]
fn pool_of(
    q: &Query<'_>,
    side: &Targets,
    common: usize,
    want: usize,
    acc: &mut [f32],
    hits: &mut Vec<(f32, u32)>,
) -> Vec<u32> {
    let targets = acc.len();
    let mine = q.bands & !side.common_bands;
    let gain = q.band_gain.max(f32::MIN_POSITIVE);
    for (a, &b) in acc.iter_mut().zip(&side.bands) {
        *a = gain * (mine & b).count_ones() as f32;
    }
    for &(k, gain) in q.keys {
        let posting = &side.postings[k as usize];
        if posting.len() > common {
            continue;
        }
        let gain = gain.max(f32::MIN_POSITIVE);
        for &t in posting {
            if let Some(a) = acc.get_mut(t as usize) {
                *a += gain;
            }
        }
    }
    // The least threshold found with at least `want` people at or above it: 0 passes every
    // person the keys found.
    let count = |t: f32| acc.iter().map(|&x| u32::from(x >= t)).sum::<u32>() as usize;
    let found = acc.iter().map(|&x| u32::from(x > 0.0)).sum::<u32>() as usize;
    let mut lo = f32::MIN_POSITIVE;
    if found > want {
        let mut hi = acc.iter().fold(0f32, |m, &x| m.max(x));
        for _ in 0..24 {
            let mid = 0.5 * (lo + hi);
            let c = count(mid);
            if c >= want {
                lo = mid;
                if c <= 4 * want {
                    break;
                }
            } else {
                hi = mid;
            }
        }
    }
    hits.clear();
    hits.extend(
        acc.iter()
            .enumerate()
            .filter(|&(_, &x)| x >= lo)
            .map(|(t, &x)| (x, t as u32)),
    );
    if hits.len() > want && want > 0 {
        hits.select_nth_unstable_by(want - 1, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        hits.truncate(want);
    }
    let mut out: Vec<u32> = Vec::with_capacity(want);
    out.extend(hits.iter().map(|h| h.1));
    if out.len() < want {
        out.sort_unstable();
        let missing = want - out.len();
        let step = (targets / missing.max(1)).max(1);
        let mut t = 0;
        let found = out.len();
        while out.len() < want && t < targets {
            if out[..found].binary_search(&(t as u32)).is_err() {
                out.push(t as u32);
            }
            t += step;
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Keep the `k` best of `(score, index)` pairs (ties to the lower index).
fn top(mut v: Vec<(f64, u32)>, k: usize) -> Vec<(f64, u32)> {
    if v.len() > k && k > 0 {
        v.select_nth_unstable_by(k - 1, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        v.truncate(k);
    } else if k == 0 {
        v.clear();
    }
    v
}

/// The candidate graph of a cohort: each mentee's `k_row` best allowed mentors and each mentor's
/// `k_col` best allowed mentees among the people the blocking indexes propose (`4 · k` of them,
/// scored exactly). `keep(i, j, score)` says whether a pair is allowed (hard constraints,
/// `min_score`).
///
/// # Errors
/// [`LsapError::Shape`] when a side has `u32::MAX` people or more.
pub fn blocking_candidates<K>(
    model: &ScoreModel<'_>,
    keep: &K,
    k_row: usize,
    k_col: usize,
) -> Result<CandidateGraph, LsapError>
where
    K: Fn(usize, usize, f64) -> bool + Sync + ?Sized,
{
    let f = model.features;
    let (rows, cols) = (f.mentees.len(), f.mentors.len());
    if rows.max(cols) >= u32::MAX as usize {
        return Err(LsapError::Shape(format!(
            "{rows} x {cols}: candidates index at most {} people per side",
            u32::MAX - 1
        )));
    }
    let keys = Keys {
        tags: f.tags.len() as u32,
        languages: f.languages.len() as u32,
    };
    let w = model.weights.as_array();
    let mentee_keys: Vec<Vec<(u32, f32)>> = f
        .mentees
        .par_iter()
        .map(|p| keys.of(p, Side::Mentee, &w))
        .collect();
    let mentor_keys: Vec<Vec<(u32, f32)>> = f
        .mentors
        .par_iter()
        .map(|p| keys.of(p, Side::Mentor, &w))
        .collect();
    let mentor_side = Targets::build(&f.mentors, &mentor_keys, keys.len(), &w);
    let mentee_side = Targets::build(&f.mentees, &mentee_keys, keys.len(), &w);
    let row_pools = pools(
        &queries(&f.mentees, &mentee_keys, &w),
        &mentor_side,
        4 * k_row,
    );
    let col_pools = pools(
        &queries(&f.mentors, &mentor_keys, &w),
        &mentee_side,
        4 * k_col,
    );
    drop(mentor_side);
    drop(mentee_side);
    let mut triplets: Vec<(usize, usize, f64)> = row_pools
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, pool)| {
            let scored: Vec<(f64, u32)> = pool
                .iter()
                .filter_map(|&j| {
                    let s = pair_score(model, i, j as usize);
                    keep(i, j as usize, s).then_some((s, j))
                })
                .collect();
            top(scored, k_row)
                .into_iter()
                .map(move |(s, j)| (i, j as usize, s))
        })
        .collect();
    let from_cols: Vec<(usize, usize, f64)> = col_pools
        .par_iter()
        .enumerate()
        .flat_map_iter(|(j, pool)| {
            let scored: Vec<(f64, u32)> = pool
                .iter()
                .filter_map(|&i| {
                    let s = pair_score(model, i as usize, j);
                    keep(i as usize, j, s).then_some((s, i))
                })
                .collect();
            top(scored, k_col)
                .into_iter()
                .map(move |(s, i)| (i as usize, j, s))
        })
        .collect();
    triplets.extend(from_cols);
    CandidateGraph::from_triplets(rows, cols, &triplets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::{generate, CohortSpec};

    #[test]
    fn k_adapts_to_the_cohort() {
        let rule = KRule::default();
        // Balanced: the base plus the capacity term.
        assert_eq!(rule.for_cohort(&[1; 100], &[1; 100]), (8, 8));
        // Four mentees per mentor place: mentees need more candidates.
        let (kr, kc) = rule.for_cohort(&[1; 400], &[1; 100]);
        assert_eq!((kr, kc), (26, 8));
        // Capped.
        assert_eq!(rule.for_cohort(&[1; 100_000], &[1; 10]).0, 48);
    }

    #[test]
    fn pair_scores_and_blocks_have_the_bits_of_the_dense_fill() {
        let cohort = generate(&CohortSpec::new(60, 25).seed(3)).unwrap();
        let features = crate::features::Features::build(
            &cohort.mentees.people,
            &cohort.mentors.people,
            crate::score::ScoreConfig::default().date(),
        );
        let weights = crate::score::Weights::default();
        let sc = crate::score::ScoreConfig::default();
        let model = ScoreModel::new(&features, &weights, &sc, &[]);
        let dense = model.fill();
        let mut block = vec![0.0; 10 * 25];
        score_rows(&model, 20..30, &mut block, &|_, _, _| true);
        for i in 0..60 {
            for j in 0..25 {
                assert_eq!(pair_score(&model, i, j).to_bits(), dense[[i, j]].to_bits());
            }
        }
        for r in 0..10 {
            for j in 0..25 {
                assert_eq!(block[r * 25 + j].to_bits(), dense[[20 + r, j]].to_bits());
            }
        }
        let g = blocking_candidates(&model, &|_, _, _| true, 8, 8).unwrap();
        for i in 0..60 {
            let (cs, ss) = g.row(i);
            assert!(cs.len() >= 8, "row {i} has {} candidates", cs.len());
            for (&j, &s) in cs.iter().zip(ss) {
                assert_eq!(s.to_bits(), dense[[i, j as usize]].to_bits());
            }
        }
    }

    /// The pools against a second implementation: each target's weight summed on its own (the
    /// shared bands that are not common, then the shared keys whose postings are not common, in
    /// key order), the best `pool` by weight then index, topped up with evenly spaced people
    /// when fewer share anything.
    #[test]
    fn pools_are_the_best_by_shared_weight() {
        let mut checked = 0;
        for (seed, n, m) in [(1u64, 90, 40), (2, 40, 90), (3, 200, 30)] {
            let mut cohort = generate(&CohortSpec::new(n, m).seed(seed)).unwrap();
            for (k, p) in cohort.mentors.people.iter_mut().enumerate() {
                if k % 5 == 0 {
                    p.goals.clear();
                    p.skills.clear();
                    p.availability.clear();
                }
            }
            let f = crate::features::Features::build(
                &cohort.mentees.people,
                &cohort.mentors.people,
                crate::score::ScoreConfig::default().date(),
            );
            let w = crate::score::Weights::default().as_array();
            let keys = Keys {
                tags: f.tags.len() as u32,
                languages: f.languages.len() as u32,
            };
            let mentee_keys: Vec<_> = f
                .mentees
                .iter()
                .map(|p| keys.of(p, Side::Mentee, &w))
                .collect();
            let mentor_keys: Vec<_> = f
                .mentors
                .iter()
                .map(|p| keys.of(p, Side::Mentor, &w))
                .collect();
            let side = Targets::build(&f.mentors, &mentor_keys, keys.len(), &w);
            for pool in [1, 7, 30] {
                let qs = queries(&f.mentees, &mentee_keys, &w);
                let got = pools(&qs, &side, pool);
                let common = (m / 4).max(4 * pool);
                let band_held = |b: u32| {
                    f.mentors
                        .iter()
                        .filter(|p| bands_of(p, &w).0 >> b & 1 == 1)
                        .count()
                };
                for (i, a) in f.mentees.iter().enumerate() {
                    let (qb, qg) = bands_of(a, &w);
                    let mut weight: Vec<(f32, u32)> = (0..m)
                        .map(|t| {
                            let tb = bands_of(&f.mentors[t], &w).0;
                            let shared = (0..BANDS)
                                .filter(|&b| {
                                    (qb & tb) >> b & 1 == 1 && band_held(b) <= (m / 4).max(1)
                                })
                                .count();
                            let mut x = qg.max(f32::MIN_POSITIVE) * shared as f32;
                            for &(k, g) in &mentee_keys[i] {
                                let holders = mentor_keys
                                    .iter()
                                    .filter(|ks| ks.iter().any(|e| e.0 == k))
                                    .count();
                                if holders <= common && mentor_keys[t].iter().any(|e| e.0 == k) {
                                    x += g.max(f32::MIN_POSITIVE);
                                }
                            }
                            (x, t as u32)
                        })
                        .filter(|e| e.0 > 0.0)
                        .collect();
                    weight.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                    let mut want: Vec<u32> = weight.iter().take(pool).map(|e| e.1).collect();
                    let found = want.len();
                    if found < pool.min(m) {
                        let step = (m / (pool.min(m) - found)).max(1);
                        let mut t = 0;
                        while want.len() < pool.min(m) && t < m {
                            if !want[..found].contains(&(t as u32)) {
                                want.push(t as u32);
                            }
                            t += step;
                        }
                    }
                    want.sort_unstable();
                    assert_eq!(got[i], want, "seed {seed}, pool {pool}, mentee {i}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 900);
    }
}

//! Upper bounds on pair scores, so that the certificate can rule most pairs out without scoring
//! them (see docs/matching.md, "Certificate").
//!
//! Three bounds, each `≥` the score [`super::pair_score`] computes, bit for bit:
//!
//! - [`ScoreBounds::pair_bound`]: goals, skills, language and seniority exactly (they are cheap),
//!   availability bounded by the number of whole 30-minute buckets both are free in (each slot
//!   holds a bucket of its own: see `availability::slots_bound`; exactly 0 for disjoint masks,
//!   the test the component makes first) when the meeting is 59 minutes or more or both are on
//!   the bucket grid, by its largest value otherwise, and every further component (text,
//!   embedding, criteria, preference, affinity, ...) replaced by 1, the top of its range.
//!   [`ScoreBounds::refine`] computes the same bound (goals and skills from the shared weights,
//!   each further component from its own [`crate::score::PairComponent::upper_bound`])
//!   from a one-cache-line record per mentor.
//! - The quick bound of [`ScoreBounds::row`], for every mentor of a mentee's row in one pass:
//!   the goal and skill weights the mentee shares with the mentor (a *goal key* is a goal tag of
//!   the mentee among the mentor's goals, a *skill key* a tag the mentee wants to grow in among
//!   the mentor's skills), summed from an inverted index, and the row's largest availability,
//!   language, seniority and further terms. Without a shared key the goals component is 0
//!   (nothing of the mentee's goals is covered) and the skills component is 0 (the mentor is at
//!   level 0 on every skill the mentee aims at, which earns no credit), unless information is
//!   missing on either side (the neutral value) or the mentor has taxonomy-related goals (then up
//!   to 1). Its terms are summed in another order than the score's, so it carries a margin of
//!   1e-12 relative.
//!
//! The pair bound and the refined one add the same terms in the same order as the score (the
//! built-in components by [`total`], then each applicable further component, then the product
//! with the reciprocal of the row weight). Every term of the bound is `≥` the score's term and
//! every weight is `≥ 0`, and IEEE rounding is monotone, so the computed bound is `≥` the
//! computed score: no margin is needed.

use crate::features::PersonFeatures;
use crate::lsap::Cut;
use crate::score::availability::{self, DAYS_SHARE, ROBUST_SHARE, SLOTS_SHARE};
use crate::score::{goals, language, seniority, skills, total, ScoreModel};
use std::ops::Range;

/// The quick bound of [`ScoreBounds::row`] adds its terms in another order than the score does:
/// this factor covers the rounding (a sum of a few non-negative terms is off by a few units in
/// the last place, far below 1e-12 relative).
const QUICK_MARGIN: f64 = 1.0 + 1e-12;

/// The largest availability value, with the arithmetic of the component (every count at its
/// target).
fn availability_max() -> f64 {
    SLOTS_SHARE * 1.0 + DAYS_SHARE * 1.0 + ROBUST_SHARE * 1.0
}

/// The availability bound of a pair with `common` whole buckets in common, from its table (the
/// largest value when the table is empty: the buckets do not bound that meeting).
fn by_common(table: &[f64], common: usize) -> f64 {
    table
        .get(common.min(table.len().saturating_sub(1)))
        .copied()
        .unwrap_or_else(availability_max)
}

/// Add `x` to `acc[j]` for every mentor `j` of `cols` in the posting list of tag `t` (posting
/// lists are in mentor order).
#[inline]
fn accumulate(index: &[Vec<u32>], t: u32, x: f64, acc: &mut [f64], cols: &Range<usize>) {
    let list = index.get(t as usize).map_or(&[][..], Vec::as_slice);
    let from = list.partition_point(|&j| (j as usize) < cols.start);
    let to = from + list[from..].partition_point(|&j| (j as usize) < cols.end);
    for &j in &list[from..to] {
        if let Some(a) = acc.get_mut(j as usize) {
            *a += x;
        }
    }
}

/// `x` when below `cap`, else `cap` (a comparison and a select, which vectorise).
#[inline]
fn at_most(x: f64, cap: f64) -> f64 {
    if x < cap {
        x
    } else {
        cap
    }
}

/// `x` when above `floor`, else `floor`.
#[inline]
fn at_least(x: f64, floor: f64) -> f64 {
    if x > floor {
        x
    } else {
        floor
    }
}

/// Buckets per bit of [`coarse`]: 6 half hours, 56 bits for the week.
const COARSE_BUCKETS: usize = 6;
const _: () = assert!(crate::features::BUCKETS as usize <= 64 * COARSE_BUCKETS);

/// The week in 3-hour slots: bit `g` is set when any of buckets `6g .. 6g + 6` is. Two people
/// with no bit in common have no bucket in common.
fn coarse(buckets: &[u64; crate::features::BUCKET_WORDS]) -> u64 {
    let mut out = 0u64;
    for g in 0..(crate::features::BUCKETS as usize).div_ceil(COARSE_BUCKETS) {
        let free = (g * COARSE_BUCKETS
            ..((g + 1) * COARSE_BUCKETS).min(crate::features::BUCKETS as usize))
            .any(|b| buckets[b / 64] >> (b % 64) & 1 != 0);
        out |= u64::from(free) << g;
    }
    out
}

/// The free time of a record as a key: [`coarse`] of its buckets when its availability is known,
/// every bit otherwise (the key cannot rule time out).
fn coarse_key(r: &MentorRec) -> u64 {
    if r.flags & AVAILABLE != 0 {
        coarse(&r.buckets)
    } else {
        u64::MAX
    }
}

/// The languages of a record as a key: the language ids (all below 64) when it lists any, every
/// bit otherwise (no language, or one of 64 or more: the key cannot rule a language out).
fn lang_key(r: &MentorRec) -> u64 {
    if r.flags & HAS_LANGUAGES != 0 && r.flags & WIDE_LANGUAGES == 0 {
        r.lang
    } else {
        u64::MAX
    }
}

/// Upper bounds on the scores of a [`ScoreModel`], with the inverted index of goal and skill
/// keys behind [`ScoreBounds::shared`].
pub struct ScoreBounds<'m, 'a> {
    model: &'m ScoreModel<'a>,
    /// Goal tag → mentors listing it among their goals.
    goal_index: Vec<Vec<u32>>,
    /// Skill tag → mentors listing it among their skills.
    skill_index: Vec<Vec<u32>>,
    /// Per mentor: the least goals value of the quick bound (neutral without goals, 1 with
    /// taxonomy-related goals, 0 otherwise); the shared weight can only raise it.
    goal_floor: Vec<f64>,
    /// Per mentor: the least skills value (neutral without skills, 0 otherwise).
    skill_floor: Vec<f64>,
    /// The neutral value for every mentor (a mentee without goals or skills).
    neutral_floor: Vec<f64>,
    /// Per mentor: what [`ScoreBounds::refine`] reads, in one cache line.
    recs: Vec<MentorRec>,
    /// Per mentor: [`coarse`] of the buckets, every bit when availability is missing.
    coarse_av: Vec<u64>,
    /// Per mentor: [`lang_key`].
    lang_key: Vec<u64>,
    /// The availability bound of a pair with no bucket in common, for either grid.
    av_disjoint: f64,
    /// One mentor per distinct level.
    level_reps: Vec<usize>,
    /// Per mentee: the reciprocal of its row weight, as the score computes it.
    inv_weight: Vec<f64>,
    /// The built-in weights.
    weights: [f64; crate::score::N_COMPONENTS],
    side: MentorSide,
    /// The availability bound by the number of buckets both are free in, for pairs off the
    /// bucket grid (`[0]`) and on it (`[1]`); empty when the buckets do not bound the counts
    /// (then the bound is the largest value).
    av_table: [Vec<f64>; 2],
}

const HAS_GOALS: u8 = 1;
const RELATED: u8 = 2;
const HAS_SKILLS: u8 = 4;
/// Availability is `Ok`.
const AVAILABLE: u8 = 8;
/// On the bucket grid ([`PersonFeatures::on_bucket_grid`]).
const ON_GRID: u8 = 16;
/// Lists a language.
const HAS_LANGUAGES: u8 = 32;
/// Lists a language id of 64 or more: `lang` does not hold them all.
const WIDE_LANGUAGES: u8 = 64;

/// One person's part of the refined bound, packed into one cache line: the mentors' records are
/// read for every pair the bound refines, and the whole people's features span several lines
/// and heap blocks (one cache miss each).
#[derive(Clone, Copy, Default)]
#[repr(C, align(64))]
struct MentorRec {
    /// [`PersonFeatures::full_buckets`].
    buckets: [u64; crate::features::BUCKET_WORDS],
    /// The first word of [`PersonFeatures::language_bits`] (language ids below 64).
    lang: u64,
    /// Index into `level_reps` (`u16::MAX` without a level).
    level_id: u16,
    /// [`HAS_GOALS`], [`RELATED`], [`HAS_SKILLS`], [`AVAILABLE`], [`ON_GRID`],
    /// [`HAS_LANGUAGES`], [`WIDE_LANGUAGES`].
    flags: u8,
}

impl MentorRec {
    fn of(p: &PersonFeatures, level_id: u16) -> Self {
        let has_lang = !p.languages.is_empty();
        MentorRec {
            buckets: p.full_buckets,
            lang: p.language_bits.first().copied().unwrap_or(0),
            level_id,
            flags: (u8::from(!p.goals.is_empty()) * HAS_GOALS)
                | (u8::from(!p.goals.is_empty() && !p.related_goals.is_empty()) * RELATED)
                | (u8::from(!p.skills.is_empty()) * HAS_SKILLS)
                | (u8::from(p.availability.is_ok()) * AVAILABLE)
                | (u8::from(p.on_bucket_grid) * ON_GRID)
                | (u8::from(has_lang) * HAS_LANGUAGES)
                | (u8::from(p.languages.last().is_some_and(|&l| l >= 64)) * WIDE_LANGUAGES),
        }
    }
}

/// Working memory of [`ScoreBounds::row`]: the goal and skill weight each mentor shares with the
/// current mentee, and what the current mentee's row needs.
pub struct RowScratch {
    goal_acc: Vec<f64>,
    skill_acc: Vec<f64>,
    /// The quick bound of every mentor of the current row.
    quick: Vec<f64>,
    /// Seniority value per mentor level (`level_reps` order) for the current mentee.
    seniority: Vec<f64>,
    /// The further components that apply to the current mentee, in order: their index in the
    /// model's extras and their weight.
    extras: Vec<(usize, f64)>,
    /// The current mentee's largest availability, language, seniority and further terms,
    /// weighted and summed (for the quick bound). Entry `k` with `k & 2 == 0` takes the
    /// availability term of a pair with no coarse slot in common, with `k & 1 == 0` the language
    /// term of a pair with no language in common.
    rest: [f64; 4],
    /// The current mentee's [`coarse_key`] and [`lang_key`].
    me_av: u64,
    me_lang: u64,
    /// The current mentee's record (its `level_id` unused), its goal and skill target weights
    /// (0 when the component is missing), and whether it has a level.
    me: MentorRec,
    goal_weight: f64,
    skill_weight: f64,
    has_level: bool,
}

/// What the mentor side holds, over all mentors: which components can be missing (neutral) and
/// which can be present.
#[derive(Default)]
struct MentorSide {
    no_goals: bool,
    related: bool,
    no_skills: bool,
    availability_missing: bool,
    availability_known: bool,
    no_languages: bool,
    languages: bool,
    /// One mentor per distinct level, and whether some mentor has none.
    levels: Vec<usize>,
    no_level: bool,
}

impl MentorSide {
    fn of(mentors: &[PersonFeatures]) -> Self {
        let mut s = MentorSide::default();
        let mut seen: Vec<i32> = Vec::new();
        for (j, b) in mentors.iter().enumerate() {
            s.no_goals |= b.goals.is_empty();
            s.related |= !b.goals.is_empty() && !b.related_goals.is_empty();
            s.no_skills |= b.skills.is_empty();
            s.availability_missing |= b.availability.is_err();
            s.availability_known |= b.availability.is_ok();
            s.no_languages |= b.languages.is_empty();
            s.languages |= !b.languages.is_empty();
            match b.level {
                Some(l) if !seen.contains(&l) => {
                    seen.push(l);
                    s.levels.push(j);
                }
                Some(_) => {}
                None => s.no_level = true,
            }
        }
        s
    }
}

impl<'m, 'a> ScoreBounds<'m, 'a> {
    /// The bounds of `model`, with its index (O(people + keys)).
    pub fn new(model: &'m ScoreModel<'a>) -> Self {
        let f = model.features;
        let n_tags = f.tags.len();
        let mut goal_index = vec![Vec::new(); n_tags];
        let mut skill_index = vec![Vec::new(); n_tags];
        for (j, b) in f.mentors.iter().enumerate() {
            for &(t, _) in &b.goals {
                if let Some(p) = goal_index.get_mut(t as usize) {
                    p.push(j as u32);
                }
            }
            for &(t, _) in &b.skills {
                if let Some(p) = skill_index.get_mut(t as usize) {
                    p.push(j as u32);
                }
            }
        }
        let n = f.mentors.len();
        let side = MentorSide::of(&f.mentors);
        let w = model.weights.as_array();
        let recs = f
            .mentors
            .iter()
            .map(|b| {
                let id = b
                    .level
                    .and_then(|l| {
                        side.levels
                            .iter()
                            .position(|&r| f.mentors[r].level == Some(l))
                    })
                    .map_or(u16::MAX, |p| p.min(u16::MAX as usize - 1) as u16);
                MentorRec::of(b, id)
            })
            .collect::<Vec<MentorRec>>();
        let flags: Vec<u8> = recs.iter().map(|r| r.flags).collect();
        let coarse_av = recs.iter().map(coarse_key).collect();
        let lang_key = recs.iter().map(lang_key).collect();
        let neutral = model.cfg.neutral;
        let goal_floor = flags
            .iter()
            .map(|&fl| {
                if fl & HAS_GOALS == 0 {
                    neutral
                } else if fl & RELATED != 0 {
                    1.0
                } else {
                    0.0
                }
            })
            .collect();
        let skill_floor = flags
            .iter()
            .map(|&fl| if fl & HAS_SKILLS == 0 { neutral } else { 0.0 })
            .collect();
        let neutral_floor = vec![neutral; n];
        let inv_weight = (0..f.mentees.len())
            .map(|i| 1.0 / model.row_weight(i))
            .collect();
        let cfg = model.cfg;
        let av_table = [false, true].map(|on_grid| {
            if availability::buckets_bound_counts(cfg.meeting_minutes, on_grid) {
                (0..=crate::features::BUCKETS)
                    .map(|common| {
                        let (n, d, r) = availability::slots_bound(common);
                        availability::blend(n, d, r, cfg)
                    })
                    .collect()
            } else {
                Vec::new()
            }
        });
        // Both available and no coarse slot in common: no bucket in common.
        let av_disjoint = av_table.iter().map(|t| by_common(t, 0)).fold(0.0, f64::max);
        ScoreBounds {
            coarse_av,
            lang_key,
            av_disjoint,
            av_table,
            model,
            goal_index,
            skill_index,
            goal_floor,
            skill_floor,
            neutral_floor,
            recs,
            level_reps: side.levels.clone(),
            inv_weight,
            weights: w,
            side,
        }
    }

    /// The built-in terms, then 1 for each further component that applies, then the row weight:
    /// the order of [`super::pair_score`].
    #[inline]
    fn finish(
        model: &ScoreModel<'_>,
        i: usize,
        values: &[f64; crate::score::N_COMPONENTS],
        w: &[f64; crate::score::N_COMPONENTS],
    ) -> f64 {
        let mut cell = total(values, w);
        for e in model.extras {
            if e.part.applies(i) {
                cell += e.weight * 1.0f64.max(model.cfg.neutral);
            }
        }
        cell * (1.0 / model.row_weight(i))
    }

    /// The model these bounds are for.
    pub fn model(&self) -> &'m ScoreModel<'a> {
        self.model
    }

    /// Fresh working memory for [`ScoreBounds::row`].
    pub fn scratch(&self) -> RowScratch {
        let m = self.model.features.mentors.len();
        RowScratch {
            goal_acc: vec![0.0; m],
            skill_acc: vec![0.0; m],
            quick: Vec::new(),
            seniority: Vec::new(),
            extras: Vec::new(),
            rest: [0.0; 4],
            me_av: u64::MAX,
            me_lang: u64::MAX,
            me: MentorRec::default(),
            goal_weight: 0.0,
            skill_weight: 0.0,
            has_level: false,
        }
    }

    /// Mentee `i`'s row over the mentors `cols`: every one whose pair `cut` does not rule out
    /// by the quick bound, with that bound, appended to `out` in mentor order. The quick bound
    /// takes the goal and skill weights the mentee shares with the mentor, summed over the
    /// inverted index, and the row's largest availability, language, seniority and further
    /// terms.
    ///
    /// The goal weight shared with a mentor is summed in the mentee's goal order, the order the
    /// goals component sums the covered weight in, so (without taxonomy-related goals) the goals
    /// term of [`ScoreBounds::refine`] is the component's value to the bit.
    #[inline(always)]
    pub fn row(
        &self,
        i: usize,
        cols: Range<usize>,
        cut: &Cut<'_>,
        sc: &mut RowScratch,
        out: &mut Vec<(u32, f64)>,
    ) {
        let f = self.model.features;
        let Some(a) = f.mentees.get(i) else {
            return;
        };
        let n = f
            .mentors
            .len()
            .min(cut.col_duals.len())
            .min(self.coarse_av.len());
        let cols = cols.start.min(n)..cols.end.min(n);
        self.prepare_row(i, sc);
        sc.goal_acc[cols.clone()].fill(0.0);
        sc.skill_acc[cols.clone()].fill(0.0);
        for &(t, x) in &a.goals {
            accumulate(&self.goal_index, t, x, &mut sc.goal_acc, &cols);
        }
        // A target's credit is at most its weight (credit ≤ 1); the factor covers the rounding of
        // `weight × credit` when the credit computes to a hair above 1.
        for &(t, x, _) in &a.skill_targets {
            accumulate(
                &self.skill_index,
                t,
                x * (1.0 + 1e-12),
                &mut sc.skill_acc,
                &cols,
            );
        }
        let w = &self.weights;
        let (wg, ws) = (w[0], w[1]);
        // A mentee without goals (skills) takes the neutral value whatever the mentor: scale 0
        // and floor neutral. Otherwise the floors give the neutral value to mentors without
        // goals (skills), whose shared weight is 0, and 1 to mentors with taxonomy-related goals.
        // Reciprocals instead of divisions: QUICK_MARGIN covers the rounding.
        let (rg, gfloor) = if sc.goal_weight == 0.0 {
            (0.0, &self.neutral_floor)
        } else {
            (1.0 / sc.goal_weight, &self.goal_floor)
        };
        let (rs, sfloor) = if sc.skill_weight == 0.0 {
            (0.0, &self.neutral_floor)
        } else {
            (1.0 / sc.skill_weight, &self.skill_floor)
        };
        let (inv, rest) = (self.inv_weight[i], sc.rest);
        let (me_av, me_lang) = (sc.me_av, sc.me_lang);
        // Mentors in chunks of 64: the bounds of a chunk and the bit mask of those kept in one
        // loop without a branch (it vectorises), then the kept ones listed from the mask.
        sc.quick.resize(n, 0.0);
        for lo in cols.clone().step_by(64) {
            let len = (cols.end - lo).min(64);
            let hi = lo + len;
            let (ga, sa) = (&sc.goal_acc[lo..hi], &sc.skill_acc[lo..hi]);
            let (gl, sl) = (&gfloor[lo..hi], &sfloor[lo..hi]);
            let (av, lk) = (&self.coarse_av[lo..hi], &self.lang_key[lo..hi]);
            let (vs, qs) = (&cut.col_duals[lo..hi], &mut sc.quick[lo..hi]);
            let mut kept = 0u64;
            for k in 0..len {
                let g = at_least(at_most(ga[k] * rg, 1.0), gl[k]);
                let s = at_least(at_most(sa[k] * rs, 1.0), sl[k]);
                // The availability and language terms at their row top when the pair may share
                // time (a coarse slot) and a language, at the disjoint value otherwise.
                let (a_hit, l_hit) = (me_av & av[k] != 0, me_lang & lk[k] != 0);
                let r = if a_hit {
                    if l_hit {
                        rest[3]
                    } else {
                        rest[2]
                    }
                } else if l_hit {
                    rest[1]
                } else {
                    rest[0]
                };
                let q = QUICK_MARGIN * (((wg * g + ws * s) + r) * inv);
                qs[k] = q;
                kept |= u64::from(!cut.rules_out_with(q, vs[k])) << k;
            }
            while kept != 0 {
                let k = kept.trailing_zeros() as usize;
                kept &= kept - 1;
                out.push(((lo + k) as u32, qs[k]));
            }
        }
    }

    /// The bound of [`ScoreBounds::row_bound`] for mentee `i` (the last [`ScoreBounds::row`]
    /// call) and any mentor `j`, with the weights they share.
    #[inline(always)]
    pub fn refine(&self, i: usize, j: usize, sc: &RowScratch) -> f64 {
        let (g, s) = (
            sc.goal_acc.get(j).copied().unwrap_or(0.0),
            sc.skill_acc.get(j).copied().unwrap_or(0.0),
        );
        self.row_bound(i, j, g, s, sc)
    }

    fn prepare_row(&self, i: usize, sc: &mut RowScratch) {
        let f = self.model.features;
        let a = &f.mentees[i];
        let cfg = self.model.cfg;
        sc.me = MentorRec::of(a, u16::MAX);
        sc.goal_weight = if a.goals.is_empty() || a.goal_weight <= 0.0 {
            0.0
        } else {
            a.goal_weight
        };
        sc.skill_weight = if a.skill_targets.is_empty() || a.skill_target_weight <= 0.0 {
            0.0
        } else {
            a.skill_target_weight
        };
        sc.has_level = a.level.is_some();
        sc.seniority.clear();
        sc.seniority.extend(
            self.level_reps
                .iter()
                .map(|&r| seniority::value(a, &f.mentors[r], cfg).unwrap_or(cfg.neutral)),
        );
        sc.extras.clear();
        for (k, e) in self.model.extras.iter().enumerate() {
            if e.part.applies(i) {
                sc.extras.push((k, e.weight));
            }
        }
        let neutral = cfg.neutral;
        let side = &self.side;
        let top = |missing: bool, neutral_possible: bool, present: Option<f64>| {
            if missing {
                neutral
            } else {
                let m = present.unwrap_or(0.0);
                if neutral_possible {
                    m.max(neutral)
                } else {
                    m
                }
            }
        };
        let av = top(
            a.availability.is_err(),
            side.availability_missing,
            side.availability_known.then(availability_max),
        );
        let l = top(
            a.languages.is_empty(),
            side.no_languages,
            side.languages.then_some(1.0),
        );
        let n = if a.level.is_none() || side.no_level {
            sc.seniority.iter().fold(neutral, |m, &x| m.max(x))
        } else {
            sc.seniority.iter().fold(0.0f64, |m, &x| m.max(x))
        };
        let av_disjoint = self.av_disjoint;
        // Both list languages below 64 and share none: the language component is 0.
        let l_disjoint = 0.0;
        let w = &self.weights;
        let mut others = w[4] * n;
        for &(_, x) in &sc.extras {
            others += x * 1.0f64.max(neutral);
        }
        for (k, r) in sc.rest.iter_mut().enumerate() {
            let av = if k & 2 != 0 { av } else { av_disjoint.min(av) };
            let l = if k & 1 != 0 { l } else { l_disjoint };
            *r = w[2] * av + w[3] * l + others;
        }
        sc.me_av = coarse_key(&sc.me);
        sc.me_lang = lang_key(&sc.me);
    }

    /// The bound of a pair given the goal weight and the (capped) skill weight the mentee shares
    /// with the mentor: goals exact (1 with taxonomy-related goals), skills at most the shared
    /// weight over the target weight, availability from the buckets both are free in
    /// ([`ScoreBounds::availability`]), language and seniority exact, 1 for each further
    /// component. Reads the mentor's record and the row's scratch only.
    #[inline(always)]
    fn row_bound(&self, i: usize, j: usize, goal: f64, skill: f64, sc: &RowScratch) -> f64 {
        let (a, b) = (&sc.me, &self.recs[j]);
        let neutral = self.model.cfg.neutral;
        let g = if sc.goal_weight == 0.0 || b.flags & HAS_GOALS == 0 {
            neutral
        } else if b.flags & RELATED != 0 {
            1.0
        } else {
            (goal / sc.goal_weight).clamp(0.0, 1.0)
        };
        let s = if sc.skill_weight == 0.0 || b.flags & HAS_SKILLS == 0 {
            neutral
        } else {
            (skill / sc.skill_weight).clamp(0.0, 1.0)
        };
        let av = self.availability(a, b);
        let l = if (a.flags | b.flags) & WIDE_LANGUAGES != 0 {
            let f = self.model.features;
            language::value(&f.mentees[i], &f.mentors[j]).unwrap_or(neutral)
        } else if a.flags & b.flags & HAS_LANGUAGES == 0 {
            neutral
        } else if a.lang & b.lang != 0 {
            1.0
        } else {
            0.0
        };
        let n = if sc.has_level && b.level_id != u16::MAX {
            sc.seniority[b.level_id as usize]
        } else {
            neutral
        };
        let mut cell = total(&[g, s, av, l, n], &self.weights);
        for &(k, x) in &sc.extras {
            cell += x * self.model.extras[k].part.upper_bound(i, j, neutral);
        }
        cell * self.inv_weight[i]
    }

    /// An upper bound on the availability component: neutral when either side has none; from
    /// the number of buckets both are free in when they bound the counts (exactly 0 when there
    /// are none: the test the component makes first); its largest value otherwise.
    #[inline(always)]
    fn availability(&self, a: &MentorRec, b: &MentorRec) -> f64 {
        if a.flags & b.flags & AVAILABLE == 0 {
            return self.model.cfg.neutral;
        }
        let table = &self.av_table[usize::from(a.flags & b.flags & ON_GRID != 0)];
        let common: u32 = a
            .buckets
            .iter()
            .zip(&b.buckets)
            .map(|(x, y)| (x & y).count_ones())
            .sum();
        by_common(table, common as usize)
    }

    /// An upper bound on the score of mentee `i` with mentor `j` (0 out of range, like the score).
    pub fn pair_bound(&self, i: usize, j: usize) -> f64 {
        let f = self.model.features;
        let (Some(a), Some(b)) = (f.mentees.get(i), f.mentors.get(j)) else {
            return 0.0;
        };
        let cfg = self.model.cfg;
        let neutral = cfg.neutral;
        let av = self.availability(&MentorRec::of(a, u16::MAX), &MentorRec::of(b, u16::MAX));
        let values = [
            goals::value(a, b).unwrap_or(neutral),
            skills::value(a, b, cfg).unwrap_or(neutral),
            av,
            language::value(a, b).unwrap_or(neutral),
            seniority::value(a, b, cfg).unwrap_or(neutral),
        ];
        Self::finish(self.model, i, &values, &self.model.weights.as_array())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidates::pair_score;
    use crate::synthetic::{generate, CohortSpec};

    /// The features of a cohort under the default score configuration.
    fn default_features(
        cohort: &crate::cohort::Cohort,
    ) -> (crate::score::ScoreConfig, crate::features::Features) {
        let sc = crate::score::ScoreConfig::default();
        let features = crate::features::Features::build(
            &cohort.mentees.people,
            &cohort.mentors.people,
            sc.date(),
        );
        (sc, features)
    }

    /// Cohorts with information missing here and there, so every neutral branch is reached.
    fn check(seed: u64, thin: bool, meeting_minutes: u32) {
        let mut cohort = generate(&CohortSpec::new(70, 30).seed(seed)).unwrap();
        // Zones off the half-hour grid (+05:45, +08:45), so the interval path is reached.
        for p in cohort.mentees.people.iter_mut().step_by(4) {
            p.timezone = Some("Asia/Kathmandu".into());
        }
        for p in cohort.mentors.people.iter_mut().step_by(5) {
            p.timezone = Some("Australia/Eucla".into());
        }
        if thin {
            for (k, p) in cohort.mentors.people.iter_mut().enumerate() {
                match k % 5 {
                    0 => p.goals.clear(),
                    1 => p.skills.clear(),
                    2 => p.languages.clear(),
                    3 => p.level = None,
                    _ => p.availability.clear(),
                }
            }
            for (k, p) in cohort.mentees.people.iter_mut().enumerate() {
                match k % 7 {
                    0 => p.goals.clear(),
                    1 => {
                        p.goals.clear();
                        p.skills.clear();
                    }
                    2 => p.languages.clear(),
                    3 => p.level = None,
                    4 => p.availability.clear(),
                    _ => {}
                }
            }
        }
        let sc = crate::score::ScoreConfig {
            meeting_minutes,
            ..crate::score::ScoreConfig::default()
        };
        let features = crate::features::Features::build(
            &cohort.mentees.people,
            &cohort.mentors.people,
            sc.date(),
        );
        let weights = crate::score::Weights::default();
        let model = ScoreModel::new(&features, &weights, &sc, &[]);
        let b = ScoreBounds::new(&model);
        let (mut tight, mut partial) = (0, 0);
        for a in &features.mentees {
            for m in &features.mentors {
                let (ra, rb) = (MentorRec::of(a, u16::MAX), MentorRec::of(m, u16::MAX));
                let av = b.availability(&ra, &rb);
                let exact = availability::value(a, m, &sc).unwrap_or(sc.neutral);
                assert!(
                    av >= exact,
                    "seed {seed}, {meeting_minutes} min: {av} < {exact}"
                );
                partial += usize::from(av > 0.0 && av < availability_max());
            }
        }
        // Meetings the buckets bound: some availability bounds are below the largest value.
        if availability::buckets_bound_counts(meeting_minutes, true) {
            assert!(
                partial > 0,
                "seed {seed}, {meeting_minutes} min: no partial bound"
            );
        }
        let mut sc = b.scratch();
        let n = features.mentors.len();
        // Column duals spread over [0, 0.5] and row duals over [0, 0.3]: the cut keeps some pairs
        // and rules others out. The row lists every pair its exact score does not rule out.
        let duals: Vec<f64> = (0..n).map(|j| ((j * 37) % 11) as f64 / 20.0).collect();
        let (mut kept, mut ruled) = (0, 0);
        // Pairs with no coarse slot and with no language in common, which the quick bound
        // gives their disjoint values.
        let mut apart = [0usize; 2];
        for i in 0..features.mentees.len() {
            let cut = Cut {
                row_dual: ((i * 13) % 7) as f64 / 20.0,
                col_duals: &duals,
                min_score: f64::NEG_INFINITY,
            };
            // Tiles of 5 mentors, refined right after their tile: the list and the refined
            // bounds of the whole row, to the bit.
            let (mut tiled, mut refined) = (Vec::new(), Vec::new());
            for lo in (0..n).step_by(5) {
                b.row(i, lo..(lo + 5).min(n), &cut, &mut sc, &mut tiled);
                refined.extend((lo..(lo + 5).min(n)).map(|j| b.refine(i, j, &sc).to_bits()));
            }
            let mut listed = Vec::new();
            b.row(i, 0..n, &cut, &mut sc, &mut listed);
            let bits = |l: &[(u32, f64)]| -> Vec<(u32, u64)> {
                l.iter().map(|&(j, q)| (j, q.to_bits())).collect()
            };
            assert_eq!(bits(&tiled), bits(&listed), "seed {seed}: row {i} in tiles");
            let whole: Vec<u64> = (0..n).map(|j| b.refine(i, j, &sc).to_bits()).collect();
            assert_eq!(refined, whole, "seed {seed}: refined in tiles");
            for j in 0..n {
                apart[0] += usize::from(sc.me_av & b.coarse_av[j] == 0);
                apart[1] += usize::from(sc.me_lang & b.lang_key[j] == 0);
            }
            assert!(
                listed.windows(2).all(|w| w[0].0 < w[1].0),
                "seed {seed}: order"
            );
            for j in 0..n {
                let s = pair_score(&model, i, j);
                if let Some(e) = listed.iter().find(|e| e.0 as usize == j) {
                    assert!(
                        e.1 >= s,
                        "seed {seed}: quick bound {} < score {s} at ({i}, {j})",
                        e.1
                    );
                    kept += 1;
                } else {
                    assert!(
                        cut.rules_out(j, s),
                        "seed {seed}: ({i}, {j}) left out, but its score {s} is not ruled out"
                    );
                    ruled += 1;
                }
                let rb = b.refine(i, j, &sc);
                assert!(
                    rb >= s,
                    "seed {seed}: refined bound {rb} < score {s} at ({i}, {j})"
                );
                let pb = b.pair_bound(i, j);
                assert!(
                    pb >= s,
                    "seed {seed}: pair bound {pb} < score {s} at ({i}, {j})"
                );
                tight += usize::from(pb == s);
            }
        }
        // The cases are not vacuous: the cut keeps some pairs and rules some out, some bounds are
        // exact (for short meetings, the availability bound is its largest value, rarely the
        // score).
        assert!(
            kept > 0
                && ruled > 0
                && (tight > 0 || !availability::buckets_bound_counts(meeting_minutes, false)),
            "seed {seed}, {meeting_minutes} min: {kept} kept, {ruled} ruled out, {tight} tight"
        );
        assert!(
            apart[0] > 0 && apart[1] > 0,
            "seed {seed}: pairs apart in time and in language {apart:?}"
        );
    }

    #[test]
    fn bounds_are_at_least_every_score() {
        for seed in 0..6 {
            for meeting in [30, 45, 59, 60, 90] {
                check(seed, false, meeting);
                check(seed, true, meeting);
            }
        }
    }

    /// A further component with values spread over [0, 1], to exercise the extras term.
    struct Spread;

    impl crate::score::PairComponent for Spread {
        fn component(&self) -> crate::score::Component {
            crate::score::Component::Custom("spread".into())
        }
        fn applies(&self, i: usize) -> bool {
            i % 3 != 0
        }
        fn value(&self, i: usize, j: usize) -> Option<f64> {
            ((i * 7 + j * 3) % 11 != 0).then(|| ((i * 7 + j * 3) % 10) as f64 / 9.0)
        }
        fn evidence(&self, _: usize, _: usize) -> crate::score::Evidence {
            crate::score::Evidence::Other {
                detail: serde_json::Value::Null,
            }
        }
        /// Exact on two thirds of the pairs, the top of the range on the others.
        fn upper_bound(&self, i: usize, j: usize, neutral: f64) -> f64 {
            if (i + j) % 3 == 0 {
                1.0
            } else {
                self.value(i, j).unwrap_or(neutral)
            }
        }
    }

    /// The refined bound takes the further components' own upper bounds: shared background,
    /// preferences and priority give their values, so the bound stays at least every score and
    /// falls below the bound that takes 1 for them.
    #[test]
    fn refined_bound_takes_the_components_own_upper_bounds() {
        use crate::score::{PairComponent, Weighted};
        let spec = CohortSpec::new(80, 30).seed(3);
        let mut spec = spec;
        spec.shared_background_share = 0.5;
        let cohort = generate(&spec).unwrap();
        let (sc, features) = default_features(&cohort);
        let weights = crate::score::Weights::default();
        let background =
            crate::score::affinity::SharedBackground::new(&cohort.mentees, &cohort.mentors)
                .unwrap();
        assert!(background.any());
        let preferences = crate::score::preference::Preferences {
            ranked: (0..80)
                .map(|i| {
                    if i % 2 == 0 {
                        vec![i % 30, (i + 7) % 30]
                    } else {
                        Vec::new()
                    }
                })
                .collect(),
        };
        let priority = crate::score::priority::Priority {
            unmatched_rounds: (0..80).map(|i| (i % 3) as u32).collect(),
        };
        let parts: Vec<Box<dyn PairComponent>> = vec![
            Box::new(background),
            Box::new(preferences),
            Box::new(priority),
        ];
        let extras: Vec<Weighted> = parts
            .into_iter()
            .map(|part| Weighted { part, weight: 0.3 })
            .collect();
        let model = ScoreModel::new(&features, &weights, &sc, &extras);
        let b = ScoreBounds::new(&model);
        let mut scratch = b.scratch();
        let duals = vec![0.0; 30];
        let cut = Cut {
            row_dual: -1.0,
            col_duals: &duals,
            min_score: f64::NEG_INFINITY,
        };
        let mut below_top = 0;
        for i in 0..80 {
            let mut listed = Vec::new();
            b.row(i, 0..30, &cut, &mut scratch, &mut listed);
            assert_eq!(listed.len(), 30, "row {i}: the cut rules nothing out");
            for j in 0..30 {
                let s = pair_score(&model, i, j);
                let rb = b.refine(i, j, &scratch);
                assert!(rb >= s, "({i}, {j}): refined bound {rb} < score {s}");
                let top = b.pair_bound(i, j);
                below_top += usize::from(rb < top);
            }
        }
        assert!(below_top > 0);
    }

    /// The bounded certificate finds exactly the violators of the full one (the oracle), on
    /// matchings far from optimal (solved on a few candidates only), for both objectives, with
    /// and without `min_score`, with missing information and a further component.
    #[test]
    fn bounded_certificate_finds_the_violators_of_the_full_one() {
        use crate::lsap::{certify, certify_bounded, solve_sparse, CapacitatedOptions, Objective};
        let mut checked = 0;
        for seed in 0..4u64 {
            let mut cohort = generate(&CohortSpec::new(90, 36).seed(seed)).unwrap();
            for (k, p) in cohort.mentors.people.iter_mut().enumerate() {
                if k % 6 == 0 {
                    p.goals.clear();
                }
                if k % 7 == 1 {
                    p.availability.clear();
                }
            }
            let (sc, features) = default_features(&cohort);
            let weights = crate::score::Weights::default();
            let extras = [crate::score::Weighted {
                part: Box::new(Spread),
                weight: 0.2,
            }];
            for extra in [false, true] {
                let model = ScoreModel::new(
                    &features,
                    &weights,
                    &sc,
                    if extra { &extras[..] } else { &[] },
                );
                let bounds = ScoreBounds::new(&model);
                for min_score in [f64::NEG_INFINITY, 0.45] {
                    let keep = |_: usize, _: usize, s: f64| s >= min_score;
                    let scores = crate::candidates::Certifier {
                        bounds: &bounds,
                        keep,
                        min_score,
                    };
                    let oracle = |r: std::ops::Range<usize>, out: &mut [f64]| {
                        crate::candidates::score_rows(&model, r, out, &keep);
                    };
                    for objective in [Objective::Coverage, Objective::Score] {
                        let opts = CapacitatedOptions {
                            maximize: true,
                            objective,
                        };
                        let g =
                            crate::candidates::blocking_candidates(&model, &keep, 2, 2).unwrap();
                        let caps: Vec<u32> = (0..36).map(|j| 1 + (j % 3) as u32).collect();
                        let m = solve_sparse(&g, &[1; 90], &caps, &opts).unwrap();
                        let full = certify(90, 36, &oracle, &m, &opts, 1000).unwrap();
                        let fast = certify_bounded(90, 36, &scores, &m, &opts, 1000).unwrap();
                        assert_eq!(full.violating, fast.violating, "seed {seed}");
                        assert_eq!(full.coverage_gap, fast.coverage_gap);
                        let key = |c: &crate::lsap::Check| -> Vec<(usize, usize, u64)> {
                            c.violations
                                .iter()
                                .map(|v| (v.row, v.col, v.amount.to_bits()))
                                .collect()
                        };
                        assert_eq!(key(&full), key(&fast), "seed {seed}");
                        assert!((full.gap - fast.gap).abs() <= 1e-9 * (1.0 + full.gap.abs()));
                        assert!(fast.pairs_scored <= full.pairs_scored);
                        checked += usize::from(full.violating > 0);
                    }
                }
            }
        }
        // Most of these matchings are not optimal: the comparison is not vacuous.
        assert!(checked >= 16, "{checked}");
    }
}

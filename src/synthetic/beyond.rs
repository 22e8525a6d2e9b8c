//! The generator's columns beyond exact tags: free-text goals (`goals_text`), `network` and
//! `target_areas`, `learning_goals`, and embeddings from a seeded latent model.
//!
//! # Streams
//! Every field here is drawn from its own ChaCha8 stream per person (derived from the seed, the
//! field, the table and the row), never from the stream of the other columns. So turning a knob
//! on changes only its own column: the columns of the base generator stay byte-identical, and
//! each of these fields is the same whether the others are on or off. Every knob defaults to off,
//! so a default spec generates exactly the cohort it generated before these fields existed.
//!
//! # Latent goals
//! Each person has latent goals: their goal tags plus, with probability one half, one more goal
//! drawn by popularity (an interest they did not list as a tag). The free text mentions latent
//! goals, each in one of several wordings (the tag, a paraphrase sharing a stem, or a synonym);
//! the embedding is a seeded random projection of the latent goals plus noise. Two people whose
//! latent goals agree therefore get similar texts and embeddings.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::vocab::{AREAS, GOALS, GOAL_PHRASES, MENTEE_FRAMES, MENTOR_FRAMES, SIDE_SKILLS};
use super::{Categorical, CohortSpec};
use crate::cohort::{Person, Role};

/// Stream numbers of the fields (shifted left by 40 bits, the table added as the lowest bit of
/// the number; the base generator uses 1–3).
const LATENT: u64 = 4;
const TEXT: u64 = 6;
const AREA_LISTS: u64 = 8;
const LEARNING: u64 = 10;
const EMBEDDING: u64 = 12;
const PROJECTION: u64 = 14;

/// Chance that each latent goal is mentioned in the free text (at least one always is).
const MENTION: f64 = 0.8;

/// Chances of the three wordings of a goal in free text: the tag, a paraphrase sharing a stem
/// with it, a synonym.
const WORDING: [f64; 3] = [0.5, 0.3, 0.2];

/// Decimal places of embedding entries (so CSV and JSON round trips are exact and files small).
const EMBEDDING_SCALE: f64 = 1e4;

pub(super) struct Extras {
    seed: u64,
    text_share: f64,
    network_share: f64,
    target_share: f64,
    learning_share: f64,
    dim: usize,
    noise: f64,
    /// GOALS.len() × dim, row-major.
    projection: Vec<f64>,
    goal_popularity: Categorical,
    areas: Categorical,
    /// Which wording of a goal: the tag, the paraphrase or the synonym.
    wording: Categorical,
}

/// A standard normal draw, approximated by the Irwin–Hall sum of four uniforms (mean 0,
/// variance 1): only additions and one correctly rounded square root, so it is the same on every
/// platform.
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let s: f64 = (0..4).map(|_| rng.random::<f64>()).sum();
    (s - 2.0) * 3f64.sqrt()
}

impl Extras {
    pub(super) fn new(spec: &CohortSpec) -> Extras {
        let dim = spec.embedding_dim;
        let mut projection = Vec::new();
        if dim > 0 {
            let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
            rng.set_stream(PROJECTION << 40);
            let scale = 1.0 / (dim as f64).sqrt();
            projection = (0..GOALS.len() * dim)
                .map(|_| normal(&mut rng) * scale)
                .collect();
        }
        Extras {
            seed: spec.seed,
            text_share: spec.goals_text_share,
            network_share: spec.network_share,
            target_share: spec.target_areas_share,
            learning_share: spec.learning_goals_share,
            dim,
            noise: spec.embedding_noise,
            projection,
            goal_popularity: Categorical::zipf(GOALS.len(), 1.0),
            areas: Categorical::zipf(AREAS.len(), 0.8),
            wording: Categorical::new(WORDING),
        }
    }

    /// Is any field of this module on?
    pub(super) fn any(&self) -> bool {
        self.text_share > 0.0
            || self.network_share > 0.0
            || self.target_share > 0.0
            || self.learning_share > 0.0
            || self.dim > 0
    }

    fn rng(&self, field: u64, role: Role, index: usize) -> ChaCha8Rng {
        let table = match role {
            Role::Mentee => 0,
            Role::Mentor => 1,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(((field + table) << 40) | index as u64);
        rng
    }

    /// The latent goals of a person: their tags, then possibly one more goal.
    pub(super) fn latent(&self, role: Role, index: usize, p: &Person) -> Vec<usize> {
        let mut goals: Vec<usize> = p
            .goals
            .iter()
            .filter_map(|g| GOALS.iter().position(|t| *t == g.tag))
            .collect();
        let mut rng = self.rng(LATENT, role, index);
        if rng.random_bool(0.5) {
            let extra = self.goal_popularity.sample(&mut rng);
            if !goals.contains(&extra) {
                goals.push(extra);
            }
        }
        goals
    }

    /// Add this module's columns to person `index` of `role`.
    pub(super) fn add(&self, role: Role, index: usize, p: &mut Person) {
        if !self.any() {
            return;
        }
        let mentee = role == Role::Mentee;
        let latent = self.latent(role, index, p);
        if self.text_share > 0.0 {
            let mut rng = self.rng(TEXT, role, index);
            if rng.random_bool(self.text_share) && !latent.is_empty() {
                let text = self.text(&mut rng, &latent, mentee);
                p.extra.insert("goals_text".into(), text.into());
            }
        }
        let mut rng = self.rng(AREA_LISTS, role, index);
        let (share, column, range) = if mentee {
            (self.target_share, "target_areas", 1..=2usize)
        } else {
            (self.network_share, "network", 2..=4usize)
        };
        if share > 0.0 && rng.random_bool(share) {
            let n = rng.random_range(range);
            let list = self.distinct(&mut rng, n, |rng| AREAS[self.areas.sample(rng)]);
            p.extra.insert(column.into(), list.join(";").into());
        }
        if !mentee && self.learning_share > 0.0 {
            let mut rng = self.rng(LEARNING, role, index);
            if rng.random_bool(self.learning_share) {
                let n = rng.random_range(1..=3usize);
                let list = self.distinct(&mut rng, n, |rng| {
                    if rng.random_bool(0.6) {
                        SIDE_SKILLS[rng.random_range(0..SIDE_SKILLS.len() as u32) as usize]
                    } else {
                        GOALS[self.goal_popularity.sample(rng)]
                    }
                });
                p.extra
                    .insert("learning_goals".into(), list.join(";").into());
            }
        }
        if self.dim > 0 {
            let mut rng = self.rng(EMBEDDING, role, index);
            let v = self.embedding(&mut rng, &latent);
            p.extra.insert("embedding".into(), v.into());
        }
    }

    /// Up to `n` distinct draws (a bounded number of attempts, so never an endless loop).
    fn distinct(
        &self,
        rng: &mut ChaCha8Rng,
        n: usize,
        mut draw: impl FnMut(&mut ChaCha8Rng) -> &'static str,
    ) -> Vec<&'static str> {
        let mut out = Vec::with_capacity(n);
        for _ in 0..n * 8 {
            if out.len() == n {
                break;
            }
            let x = draw(rng);
            if !out.contains(&x) {
                out.push(x);
            }
        }
        out
    }

    /// One sentence per mentioned latent goal, each in a random wording and frame.
    fn text(&self, rng: &mut ChaCha8Rng, latent: &[usize], mentee: bool) -> String {
        let mut mentioned: Vec<usize> = latent
            .iter()
            .copied()
            .filter(|_| rng.random_bool(MENTION))
            .collect();
        if mentioned.is_empty() {
            mentioned.push(latent[rng.random_range(0..latent.len() as u32) as usize]);
        }
        let frames: &[&str] = if mentee {
            &MENTEE_FRAMES
        } else {
            &MENTOR_FRAMES
        };
        mentioned
            .iter()
            .map(|&g| {
                let phrase = GOAL_PHRASES[g][self.wording.sample(rng)];
                let frame = frames[rng.random_range(0..frames.len() as u32) as usize];
                frame.replace("{}", phrase)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `projection · g + noise`, with `g` the unit-length indicator of the latent goals; noise
    /// entries have standard deviation `embedding_noise / √d`, so the noise's expected length is
    /// `embedding_noise` times the signal's.
    fn embedding(&self, rng: &mut ChaCha8Rng, latent: &[usize]) -> Vec<f64> {
        let d = self.dim;
        let mut v = vec![0.0; d];
        if !latent.is_empty() {
            let w = 1.0 / (latent.len() as f64).sqrt();
            for &g in latent {
                for (x, p) in v.iter_mut().zip(&self.projection[g * d..(g + 1) * d]) {
                    *x += w * p;
                }
            }
        }
        let sd = self.noise / (d as f64).sqrt();
        v.iter_mut().for_each(|x| *x += sd * normal(rng));
        v.into_iter()
            .map(|x| (x * EMBEDDING_SCALE).round() / EMBEDDING_SCALE)
            .collect()
    }
}

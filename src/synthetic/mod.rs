//! Seeded synthetic cohorts with a realistic shape, for tests, benchmarks and demonstrations.
//! The same [`CohortSpec`] gives the same [`Cohort`] on every machine and at every thread count.
//!
//! Every person is drawn from their own ChaCha8 stream (derived from the seed, the table and the
//! row index), so generation runs in parallel without changing the result; the manager tree is
//! built afterwards in one sequential pass with its own stream.
//!
//! ```
//! use mentorpair::synthetic::{generate, CohortSpec};
//!
//! let cohort = generate(&CohortSpec::new(50, 20).seed(7).bias(0.5)).unwrap();
//! assert_eq!(cohort.mentees.people.len(), 50);
//! assert_eq!(cohort.mentors.people.len(), 20);
//! assert_eq!(cohort.mentees.protected.columns, ["gender", "age_band"]);
//! ```

mod beyond;
pub mod history;
mod vocab;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cohort::{Cohort, Goal, Person, Protected, Role, Skill, Slot, Table, Weekday};
use vocab::{
    Zone, AGE_BANDS, DEPARTMENTS, GENDERS, GOALS, MENTEE_AGE_SHARES, MENTOR_AGE_SHARES,
    SIDE_SKILLS, ZONES,
};

/// Largest table the generator builds (per table).
pub const MAX_PEOPLE: usize = 1_000_000;

/// The protected attribute columns every generated table carries, in order.
pub const PROTECTED_COLUMNS: [&str; 2] = ["gender", "age_band"];

/// The protected group whose listed skill levels the [`CohortSpec::bias`] knob lowers
/// (`gender = "female"`), so an audit has a known disparity to find.
pub const BIASED_GROUP: (&str, &str) = ("gender", "female");

/// Why a [`CohortSpec`] cannot be generated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SyntheticError {
    /// A knob or size is outside its allowed range.
    #[error("cohort spec field `{field}` is {value}, but it must be {expected}")]
    OutOfRange {
        /// The spec field.
        field: &'static str,
        /// The value given, as text.
        value: String,
        /// The allowed range, in words.
        expected: &'static str,
    },
}

/// What to generate: sizes, seed and the knobs that shape the cohort.
///
/// All knobs are in `[0, 1]`. Deserialising fills missing fields from [`CohortSpec::default`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CohortSpec {
    /// Number of mentees (0..=[`MAX_PEOPLE`]).
    pub n_mentees: usize,
    /// Number of mentors; `None` = `round(n_mentees * mentors_per_mentee)`, at least 1 when there
    /// are mentees.
    pub n_mentors: Option<usize>,
    /// Mentor scarcity: mentors per mentee when `n_mentors` is not given (0..=10).
    pub mentors_per_mentee: f64,
    /// Seed of every random choice.
    pub seed: u64,
    /// 0 = mentors offer the topics mentees want (same popularity order); 1 = mentors mostly offer
    /// the least wanted topics.
    pub goal_mismatch: f64,
    /// 0 = several long availability blocks per week; 1 = one or two one-hour blocks.
    pub availability_tightness: f64,
    /// Chance that a member of [`BIASED_GROUP`] lists each skill one level lower (and, with half
    /// that chance, one more level lower): 0 = no bias.
    pub bias: f64,
    /// Share of mentees asking to share a protected background with their mentor.
    pub shared_background_share: f64,
    /// Share of people with no time zone and no availability, and of missing protected values.
    pub missing_share: f64,
    /// Share of mentees giving a target level for one or two of their goal skills
    /// (`target_skills`).
    pub target_skills_share: f64,
    /// Share of mentees ranking one to three `preferred_mentors`.
    pub preference_share: f64,
    /// Share of mentees listing one mentor in `avoid_mentors`.
    pub avoid_share: f64,
    /// Share of mentors listing one mentee in `declined_mentees`.
    pub decline_share: f64,
    /// Distinct values of the `location` column (0 = no such column).
    pub n_locations: usize,
    /// Distinct values of the `business_unit` column (0 = no such column).
    pub n_business_units: usize,
    // -- beyond exact tags: every knob defaults to off, and each field is drawn from its own
    // random stream, so these knobs never change the columns above (see the generator docs).
    /// Share of people writing free-text goals (`goals_text`): sentences about their latent
    /// goals with synonyms and paraphrases (default 0: no such column).
    pub goals_text_share: f64,
    /// Share of mentors listing a `network` of areas, functions and organisations (default 0).
    pub network_share: f64,
    /// Share of mentees listing `target_areas` they want to reach (default 0).
    pub target_areas_share: f64,
    /// Share of mentors listing `learning_goals` (skills they want to learn; default 0).
    pub learning_goals_share: f64,
    /// Dimension of the `embedding` list column drawn from the latent goal model (default 0:
    /// none; at most [`MAX_EMBEDDING_DIM`]).
    pub embedding_dim: usize,
    /// Embedding noise: the expected length of the noise relative to the signal (default 0.5,
    /// from 0 to 10).
    pub embedding_noise: f64,
}

/// Largest `embedding_dim` the generator builds.
pub const MAX_EMBEDDING_DIM: usize = 1024;

impl Default for CohortSpec {
    fn default() -> Self {
        CohortSpec {
            n_mentees: 200,
            n_mentors: None,
            mentors_per_mentee: 0.4,
            seed: 0,
            goal_mismatch: 0.2,
            availability_tightness: 0.3,
            bias: 0.0,
            shared_background_share: 0.05,
            missing_share: 0.02,
            target_skills_share: 0.3,
            preference_share: 0.2,
            avoid_share: 0.05,
            decline_share: 0.02,
            n_locations: 8,
            n_business_units: 5,
            goals_text_share: 0.0,
            network_share: 0.0,
            target_areas_share: 0.0,
            learning_goals_share: 0.0,
            embedding_dim: 0,
            embedding_noise: 0.5,
        }
    }
}

impl CohortSpec {
    /// A spec with the given sizes and default knobs.
    pub fn new(n_mentees: usize, n_mentors: usize) -> Self {
        CohortSpec {
            n_mentees,
            n_mentors: Some(n_mentors),
            ..CohortSpec::default()
        }
    }

    /// Set the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Set the goal-mismatch knob.
    pub fn goal_mismatch(mut self, x: f64) -> Self {
        self.goal_mismatch = x;
        self
    }

    /// Set the availability-tightness knob.
    pub fn availability_tightness(mut self, x: f64) -> Self {
        self.availability_tightness = x;
        self
    }

    /// Set the bias knob.
    pub fn bias(mut self, x: f64) -> Self {
        self.bias = x;
        self
    }

    /// Turn every field beyond exact tags on: `goals_text` for everybody, `network`,
    /// `target_areas` and `learning_goals` for 80 % of their side, and embeddings of dimension
    /// `embedding_dim` (0 = none).
    pub fn beyond_tags(mut self, embedding_dim: usize) -> Self {
        self.goals_text_share = 1.0;
        self.network_share = 0.8;
        self.target_areas_share = 0.8;
        self.learning_goals_share = 0.8;
        self.embedding_dim = embedding_dim;
        self
    }

    /// Let the number of mentors follow `n_mentees * ratio` (mentor scarcity).
    pub fn mentors_per_mentee(mut self, ratio: f64) -> Self {
        self.n_mentors = None;
        self.mentors_per_mentee = ratio;
        self
    }

    /// Number of mentors this spec generates.
    pub fn resolved_mentors(&self) -> usize {
        match self.n_mentors {
            Some(n) => n,
            None if self.n_mentees == 0 => 0,
            None => ((self.n_mentees as f64 * self.mentors_per_mentee).round() as usize).max(1),
        }
    }

    /// Check sizes and knobs; the error names the field and its allowed range.
    pub fn validate(&self) -> Result<(), SyntheticError> {
        let unit = [
            ("goal_mismatch", self.goal_mismatch),
            ("availability_tightness", self.availability_tightness),
            ("bias", self.bias),
            ("shared_background_share", self.shared_background_share),
            ("missing_share", self.missing_share),
            ("target_skills_share", self.target_skills_share),
            ("preference_share", self.preference_share),
            ("avoid_share", self.avoid_share),
            ("decline_share", self.decline_share),
            ("goals_text_share", self.goals_text_share),
            ("network_share", self.network_share),
            ("target_areas_share", self.target_areas_share),
            ("learning_goals_share", self.learning_goals_share),
        ];
        for (field, value) in unit {
            if !(0.0..=1.0).contains(&value) {
                return Err(SyntheticError::OutOfRange {
                    field,
                    value: value.to_string(),
                    expected: "a number between 0 and 1",
                });
            }
        }
        if !(0.0..=10.0).contains(&self.mentors_per_mentee) {
            return Err(SyntheticError::OutOfRange {
                field: "mentors_per_mentee",
                value: self.mentors_per_mentee.to_string(),
                expected: "a number between 0 and 10",
            });
        }
        if !(0.0..=10.0).contains(&self.embedding_noise) {
            return Err(SyntheticError::OutOfRange {
                field: "embedding_noise",
                value: self.embedding_noise.to_string(),
                expected: "a number between 0 and 10",
            });
        }
        if self.embedding_dim > MAX_EMBEDDING_DIM {
            return Err(SyntheticError::OutOfRange {
                field: "embedding_dim",
                value: self.embedding_dim.to_string(),
                expected: "at most 1024",
            });
        }
        for (field, value) in [
            ("n_locations", self.n_locations),
            ("n_business_units", self.n_business_units),
        ] {
            if value > 1000 {
                return Err(SyntheticError::OutOfRange {
                    field,
                    value: value.to_string(),
                    expected: "at most 1000",
                });
            }
        }
        for (field, value) in [
            ("n_mentees", self.n_mentees),
            ("n_mentors", self.resolved_mentors()),
        ] {
            if value > MAX_PEOPLE {
                return Err(SyntheticError::OutOfRange {
                    field,
                    value: value.to_string(),
                    expected: "at most 1000000",
                });
            }
        }
        Ok(())
    }
}

/// Generate the cohort described by `spec`.
pub fn generate(spec: &CohortSpec) -> Result<Cohort, SyntheticError> {
    spec.validate()?;
    let n_mentors = spec.resolved_mentors();
    let model = Model::new(spec);
    let extras = beyond::Extras::new(spec);
    let draw = |role: Role, n: usize| -> Vec<Drawn> {
        (0..n)
            .into_par_iter()
            .map(|i| {
                let mut d = model.person(role, i);
                extras.add(role, i, &mut d.person);
                d
            })
            .collect()
    };
    let mut mentees = draw(Role::Mentee, spec.n_mentees);
    let mut mentors = draw(Role::Mentor, n_mentors);
    assign_managers(spec.seed, &mut mentees, &mut mentors);
    Ok(Cohort {
        mentees: into_table(Role::Mentee, mentees),
        mentors: into_table(Role::Mentor, mentors),
    })
}

/// The latent goals of every generated person (mentees, mentors), as goal tags: the goals the
/// free text and the embeddings are drawn from (the person's tags plus, for some, one more).
/// `cohort` must be the one `spec` generated.
pub fn latent_goals(spec: &CohortSpec, cohort: &Cohort) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let extras = beyond::Extras::new(spec);
    let of = |t: &Table| -> Vec<Vec<String>> {
        t.people
            .iter()
            .enumerate()
            .map(|(i, p)| {
                extras
                    .latent(t.role, i, p)
                    .into_iter()
                    .map(|g| vocab::GOALS[g].to_string())
                    .collect()
            })
            .collect()
    };
    (of(&cohort.mentees), of(&cohort.mentors))
}

/// The generated `embedding` columns as (mentees × d) and (mentors × d) matrices in table order,
/// for `Problem::with_embeddings` in the prepared problem (remove the columns from the tables
/// first: embeddings are taken one way only). `None` when the cohort has no embeddings.
pub fn embedding_matrices(cohort: &Cohort) -> Option<(ndarray::Array2<f64>, ndarray::Array2<f64>)> {
    let matrix = |t: &Table| -> Option<ndarray::Array2<f64>> {
        let rows: Vec<Vec<f64>> = t
            .people
            .iter()
            .map(|p| {
                p.extra
                    .get("embedding")?
                    .as_array()
                    .map(|v| v.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect())
            })
            .collect::<Option<_>>()?;
        let d = rows.first().map_or(0, Vec::len);
        let flat: Vec<f64> = rows.into_iter().flatten().collect();
        ndarray::Array2::from_shape_vec((t.people.len(), d), flat).ok()
    };
    Some((matrix(&cohort.mentees)?, matrix(&cohort.mentors)?))
}

/// A platform-stable 64-bit fingerprint (FNV-1a over the cohort's JSON), for checking that two
/// machines generated the same cohort.
pub fn fingerprint(cohort: &Cohort) -> u64 {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    if let Err(e) = serde_json::to_writer(&mut h, cohort) {
        // Unreachable for these types (all map keys are strings); still folded in, never a panic.
        std::io::Write::write_all(&mut h, e.to_string().as_bytes()).ok();
    }
    h.0
}

struct Fnv(u64);

impl std::io::Write for Fnv {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for &b in buf {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A discrete distribution sampled by inverse CDF on one uniform draw (platform-stable).
struct Categorical {
    cumulative: Vec<f64>,
}

impl Categorical {
    fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut acc = 0.0;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                acc += w;
                acc
            })
            .collect();
        Categorical { cumulative }
    }

    fn zipf(n: usize, exponent: f64) -> Self {
        Categorical::new((1..=n).map(|rank| (rank as f64).powf(-exponent)))
    }

    fn sample(&self, rng: &mut ChaCha8Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let u = rng.random::<f64>() * total;
        let k = self.cumulative.partition_point(|&c| c <= u);
        k.min(self.cumulative.len().saturating_sub(1))
    }
}

/// One generated person before the manager tree is known.
struct Drawn {
    person: Person,
    protected: Vec<Option<String>>,
    department: usize,
    level: i32,
}

/// Everything shared by all draws: distributions and the knobs.
struct Model {
    seed: u64,
    goal_mismatch: f64,
    tightness: f64,
    bias: f64,
    shared_share: f64,
    missing_share: f64,
    n_mentees: usize,
    n_mentors: usize,
    target_share: f64,
    preference_share: f64,
    avoid_share: f64,
    decline_share: f64,
    n_locations: usize,
    n_units: usize,
    departments: Vec<String>,
    department_dist: Categorical,
    goal_popularity: Categorical,
    zones: Categorical,
    genders: Categorical,
    mentee_ages: Categorical,
    mentor_ages: Categorical,
    mentee_levels: Categorical,
    mentor_levels: Categorical,
}

const MENTEE_LEVEL_BASE: i32 = 1;
const MENTOR_LEVEL_BASE: i32 = 3;

impl Model {
    fn new(spec: &CohortSpec) -> Self {
        let total = spec.n_mentees + spec.resolved_mentors();
        let n_departments = (total / 250).clamp(3, 200);
        let departments = (0..n_departments)
            .map(|d| {
                let base = DEPARTMENTS[d % DEPARTMENTS.len()];
                match d / DEPARTMENTS.len() {
                    0 => base.to_string(),
                    k => format!("{base} {}", k + 1),
                }
            })
            .collect();
        Model {
            seed: spec.seed,
            goal_mismatch: spec.goal_mismatch,
            tightness: spec.availability_tightness,
            bias: spec.bias,
            shared_share: spec.shared_background_share,
            missing_share: spec.missing_share,
            n_mentees: spec.n_mentees,
            n_mentors: spec.resolved_mentors(),
            target_share: spec.target_skills_share,
            preference_share: spec.preference_share,
            avoid_share: spec.avoid_share,
            decline_share: spec.decline_share,
            n_locations: spec.n_locations,
            n_units: spec.n_business_units,
            departments,
            department_dist: Categorical::zipf(n_departments, 0.7),
            goal_popularity: Categorical::zipf(GOALS.len(), 1.0),
            zones: Categorical::new(ZONES.iter().map(|z| z.share)),
            genders: Categorical::new(GENDERS.iter().map(|g| g.1)),
            mentee_ages: Categorical::new(MENTEE_AGE_SHARES),
            mentor_ages: Categorical::new(MENTOR_AGE_SHARES),
            mentee_levels: Categorical::new([0.15, 0.25, 0.25, 0.2, 0.1, 0.05]),
            mentor_levels: Categorical::new([0.08, 0.17, 0.25, 0.22, 0.15, 0.08, 0.05]),
        }
    }

    fn rng(&self, role: Role, index: usize) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let table = match role {
            Role::Mentee => 1u64,
            Role::Mentor => 2u64,
        };
        rng.set_stream((table << 40) | index as u64);
        rng
    }

    fn person(&self, role: Role, index: usize) -> Drawn {
        let mut rng = self.rng(role, index);
        let rng = &mut rng;
        let mentee = role == Role::Mentee;
        let id = format!("{}-{index:06}", role.table().trim_end_matches('s'));
        let mut p = Person::new(id);

        let department = self.department_dist.sample(rng);
        p.department = Some(self.departments[department].clone());
        let level = if mentee {
            MENTEE_LEVEL_BASE + self.mentee_levels.sample(rng) as i32
        } else {
            MENTOR_LEVEL_BASE + self.mentor_levels.sample(rng) as i32
        };
        p.level = Some(level);

        let gender = GENDERS[self.genders.sample(rng)].0;
        let ages = if mentee {
            &self.mentee_ages
        } else {
            &self.mentor_ages
        };
        let age = AGE_BANDS[ages.sample(rng)];
        let gender = (!rng.random_bool(self.missing_share / 2.0)).then_some(gender);
        let age = (!rng.random_bool(self.missing_share / 2.0)).then_some(age);

        let tags = self.goal_tags(rng, mentee);
        p.goals = tags
            .iter()
            .enumerate()
            .map(|(k, &t)| Goal {
                tag: GOALS[t].to_string(),
                weight: if mentee && k == 0 {
                    [1.0, 1.0, 1.0, 2.0, 2.0, 3.0][rng.random_range(0..6u32) as usize]
                } else {
                    1.0
                },
            })
            .collect();
        p.skills = self.skills(rng, &tags, mentee, gender == Some(BIASED_GROUP.1));

        if !rng.random_bool(self.missing_share) {
            let zone = &ZONES[self.zones.sample(rng)];
            p.timezone = Some(zone.name.to_string());
            p.languages = languages(rng, zone);
            p.availability = self.availability(rng);
        } else {
            p.languages = vec!["english".to_string()];
        }

        p.capacity = if mentee {
            1 + u32::from(rng.random_bool(0.15))
        } else {
            [1, 1, 1, 1, 1, 2, 2, 2, 3, 3][rng.random_range(0..10u32) as usize]
        };
        if mentee && rng.random_bool(self.shared_share) {
            let column = if rng.random_bool(0.8) {
                "gender"
            } else {
                "age_band"
            };
            p.shared_background = vec![column.to_string()];
        }
        self.wishes_and_columns(rng, &mut p, mentee);
        Drawn {
            person: p,
            protected: vec![gender.map(str::to_string), age.map(str::to_string)],
            department,
            level,
        }
    }

    /// The columns of the participants' wishes and of programme criteria, drawn after everything
    /// else so the other columns do not depend on these knobs.
    fn wishes_and_columns(&self, rng: &mut ChaCha8Rng, p: &mut Person, mentee: bool) {
        if self.n_locations > 0 {
            let k = rng.random_range(0..self.n_locations);
            p.extra
                .insert("location".into(), format!("{} {}", "site", k + 1).into());
        }
        if self.n_units > 0 {
            let k = rng.random_range(0..self.n_units);
            p.extra
                .insert("business_unit".into(), format!("unit {}", k + 1).into());
        }
        let ids = |rng: &mut ChaCha8Rng, role: &str, n: usize, count: usize, skip: &[usize]| {
            let mut out: Vec<usize> = Vec::new();
            for _ in 0..count * 4 {
                if out.len() == count || n == 0 {
                    break;
                }
                let k = rng.random_range(0..n);
                if !out.contains(&k) && !skip.contains(&k) {
                    out.push(k);
                }
            }
            let names: Vec<String> = out.iter().map(|k| format!("{role}-{k:06}")).collect();
            (out, names.join(";"))
        };
        if mentee {
            if rng.random_bool(self.target_share) && !p.goals.is_empty() {
                let own = |name: &str| {
                    p.skills
                        .iter()
                        .find(|s| s.name == name)
                        .map_or(0, |s| s.level)
                };
                let n = 1 + usize::from(rng.random_bool(0.5));
                let targets: Vec<String> = p
                    .goals
                    .iter()
                    .take(n)
                    .map(|g| {
                        let aim = (own(&g.tag) + 1 + rng.random_range(0..3u8)).min(5);
                        format!("{}:{aim}", g.tag)
                    })
                    .collect();
                p.extra
                    .insert("target_skills".into(), targets.join(";").into());
            }
            let mut chosen = Vec::new();
            if rng.random_bool(self.preference_share) {
                let count = 1 + rng.random_range(0..3usize);
                let (picked, names) = ids(rng, "mentor", self.n_mentors, count, &[]);
                if !picked.is_empty() {
                    p.extra.insert("preferred_mentors".into(), names.into());
                }
                chosen = picked;
            }
            if rng.random_bool(self.avoid_share) {
                let (picked, names) = ids(rng, "mentor", self.n_mentors, 1, &chosen);
                if !picked.is_empty() {
                    p.extra.insert("avoid_mentors".into(), names.into());
                }
            }
        } else if rng.random_bool(self.decline_share) {
            let (picked, names) = ids(rng, "mentee", self.n_mentees, 1, &[]);
            if !picked.is_empty() {
                p.extra.insert("declined_mentees".into(), names.into());
            }
        }
    }

    /// Distinct goal indices: mentees by popularity; mentors by popularity, or with probability
    /// `goal_mismatch` by reversed popularity (they offer what few ask for).
    fn goal_tags(&self, rng: &mut ChaCha8Rng, mentee: bool) -> Vec<usize> {
        let count = if mentee {
            [1, 2, 2, 2, 3, 3, 4][rng.random_range(0..7u32) as usize]
        } else {
            2 + rng.random_range(0..4u32) as usize
        };
        let mut tags: Vec<usize> = Vec::with_capacity(count);
        let mut attempts = 0;
        while tags.len() < count && attempts < 64 {
            attempts += 1;
            let rank = self.goal_popularity.sample(rng);
            let t = if !mentee && rng.random_bool(self.goal_mismatch) {
                GOALS.len() - 1 - rank
            } else {
                rank
            };
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        tags
    }

    fn skills(
        &self,
        rng: &mut ChaCha8Rng,
        tags: &[usize],
        mentee: bool,
        biased: bool,
    ) -> Vec<Skill> {
        let (goal_levels, side_levels, n_side): (&[u8], &[u8], u32) = if mentee {
            (
                &[1, 1, 2, 2, 2, 3],
                &[1, 2, 2, 3, 4],
                1 + rng.random_range(0..2u32),
            )
        } else {
            (
                &[3, 3, 4, 4, 4, 5, 5],
                &[2, 3, 4, 4, 5],
                1 + rng.random_range(0..3u32),
            )
        };
        let mut names: Vec<&str> = tags.iter().map(|&t| GOALS[t]).collect();
        let mut levels: Vec<u8> = tags
            .iter()
            .map(|_| goal_levels[rng.random_range(0..goal_levels.len() as u32) as usize])
            .collect();
        for _ in 0..n_side {
            let name = SIDE_SKILLS[rng.random_range(0..SIDE_SKILLS.len() as u32) as usize];
            let level = side_levels[rng.random_range(0..side_levels.len() as u32) as usize];
            if !names.contains(&name) {
                names.push(name);
                levels.push(level);
            }
        }
        names
            .into_iter()
            .zip(levels)
            .map(|(name, mut level)| {
                // Draws happen for everyone so the knob changes levels, not the rest of the cohort.
                let (first, second) = (rng.random::<f64>(), rng.random::<f64>());
                if biased && first < self.bias {
                    level = level.saturating_sub(1);
                    if second < self.bias / 2.0 {
                        level = level.saturating_sub(1);
                    }
                }
                Skill {
                    name: name.to_string(),
                    level: level.max(1),
                }
            })
            .collect()
    }

    /// Weekday blocks inside 08:00–18:00 local time, one per chosen day, on a half-hour grid.
    fn availability(&self, rng: &mut ChaCha8Rng) -> Vec<Slot> {
        let t = self.tightness;
        let max_days = (5.0 - 3.5 * t).round().clamp(1.0, 5.0) as u32;
        let days = (max_days - u32::from(max_days > 1 && rng.random_bool(0.5))) as usize;
        let max_units = (8.0 - 6.0 * t).round().clamp(2.0, 8.0) as u32;
        let mut weekdays: Vec<Weekday> = Weekday::ALL[..5].to_vec();
        // Partial Fisher–Yates with u32 draws (platform-stable).
        for i in 0..days {
            let j = i + rng.random_range(0..(5 - i) as u32) as usize;
            weekdays.swap(i, j);
        }
        let mut chosen: Vec<Weekday> = weekdays[..days].to_vec();
        chosen.sort();
        chosen
            .into_iter()
            .map(|day| {
                let units = 2 + rng.random_range(0..max_units - 1);
                let start_unit = 16 + rng.random_range(0..=(20 - units));
                Slot {
                    day,
                    start: (start_unit * 30) as u16,
                    end: ((start_unit + units) * 30) as u16,
                }
            })
            .collect()
    }
}

fn languages(rng: &mut ChaCha8Rng, zone: &Zone) -> Vec<String> {
    let mut out = Vec::new();
    let english = zone.local_language.is_none() || rng.random_bool(0.85);
    if english {
        out.push("english");
    }
    if let Some(local) = zone.local_language {
        if !english || rng.random_bool(0.6) {
            out.push(local);
        }
    }
    if rng.random_bool(0.08) {
        let extra = ["spanish", "french", "german", "mandarin"][rng.random_range(0..4u32) as usize];
        if !out.contains(&extra) {
            out.push(extra);
        }
    }
    out.into_iter().map(str::to_string).collect()
}

/// The reporting tree over mentees and mentors together. Within a department people are ranked by
/// level; each reports to someone of the next higher level present, so every chain climbs strictly
/// in level and no cycle can form. Department heads, and a few others, report to ids outside the
/// cohort.
fn assign_managers(seed: u64, mentees: &mut [Drawn], mentors: &mut [Drawn]) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(3u64 << 40);
    let n_mentees = mentees.len();
    let key = |g: usize| -> (usize, i32) {
        let d = if g < n_mentees {
            &mentees[g]
        } else {
            &mentors[g - n_mentees]
        };
        (d.department, d.level)
    };
    let total = n_mentees + mentors.len();
    let mut order: Vec<usize> = (0..total).collect();
    // Department, then level descending, then index: deterministic.
    order.sort_by_key(|&g| {
        let (d, l) = key(g);
        (d, std::cmp::Reverse(l), g)
    });
    let mut managers: Vec<Option<String>> = vec![None; total];
    let id_of = |g: usize| -> String {
        if g < n_mentees {
            mentees[g].person.id.clone()
        } else {
            mentors[g - n_mentees].person.id.clone()
        }
    };
    let mut start = 0;
    while start < total {
        let dept = key(order[start]).0;
        let end = start + order[start..].partition_point(|&g| key(g).0 == dept);
        let members = &order[start..end];
        for (pos, &g) in members.iter().enumerate() {
            let level = key(g).1;
            // Members ahead in the ranking with a strictly higher level: positions [0, q).
            let q = members[..pos].partition_point(|&h| key(h).1 > level);
            managers[g] = if q == 0 || rng.random_bool(0.04) {
                Some(format!(
                    "external-{dept:03}-{:02}",
                    rng.random_range(0..20u32)
                ))
            } else {
                let boss_level = key(members[q - 1]).1;
                let first = members[..q].partition_point(|&h| key(h).1 > boss_level);
                let pick = first + rng.random_range(0..(q - first) as u32) as usize;
                Some(id_of(members[pick]))
            };
        }
        start = end;
    }
    for (g, m) in managers.into_iter().enumerate() {
        if g < n_mentees {
            mentees[g].person.manager_id = m;
        } else {
            mentors[g - n_mentees].person.manager_id = m;
        }
    }
}

fn into_table(role: Role, drawn: Vec<Drawn>) -> Table {
    let mut table = Table::new(role);
    table.protected.columns = PROTECTED_COLUMNS.iter().map(|c| c.to_string()).collect();
    let (people, values): (Vec<Person>, Vec<Vec<Option<String>>>) =
        drawn.into_iter().map(|d| (d.person, d.protected)).unzip();
    table.people = people;
    table.protected = Protected {
        columns: table.protected.columns,
        values,
    };
    table
}

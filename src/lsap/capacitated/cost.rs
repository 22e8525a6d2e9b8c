//! Distances and potentials: plain `f64` for the score objective, exact lexicographic
//! `(coverage, score)` pairs for the coverage objective.

use std::cmp::Ordering;
use std::ops::{Add, Sub};

/// A distance or potential: `f64` for [`Objective::Score`], [`Lex`] for [`Objective::Coverage`].
pub(in crate::lsap) trait Cost:
    Copy + PartialOrd + Add<Output = Self> + Sub<Output = Self> + Send + Sync + std::fmt::Debug
{
    const ZERO: Self;
    const INF: Self;
    const NEG_INF: Self;
    /// Whether pairs carry the coverage component (lexicographic costs).
    const COVERAGE: bool;
    /// Cost of a pair from its signed weight; `None` when the pair is forbidden.
    fn pair(sw: f64) -> Option<Self>;
    /// `base + pair(sw) − pot` in the hot loop; `INF` (or NaN, never less than a label) when forbidden.
    fn reduced(base: Self, sw: f64, pot: Self) -> Self;
    fn total_cmp(&self, other: &Self) -> Ordering;
    fn lex(self) -> Lex;
    fn from_score(x: f64) -> Self;
    /// From a lexicographic potential (the coverage part is dropped for plain scores).
    fn from_lex(x: Lex) -> Self;
    /// `self ≤ other` up to rounding in the last bits of the score.
    fn within_rounding(self, other: Self) -> bool;
}

/// Relative slack for [`Cost::within_rounding`].
pub(super) const ROUNDING: f64 = 1e-12;

pub(super) fn le_rounded(a: f64, b: f64) -> bool {
    a <= b + ROUNDING * (1.0 + a.abs().max(b.abs()))
}

impl Cost for f64 {
    const ZERO: Self = 0.0;
    const INF: Self = f64::INFINITY;
    const NEG_INF: Self = f64::NEG_INFINITY;
    const COVERAGE: bool = false;
    #[inline]
    fn pair(sw: f64) -> Option<Self> {
        (sw < f64::INFINITY).then_some(sw)
    }
    #[inline(always)]
    fn reduced(base: Self, sw: f64, pot: Self) -> Self {
        base + sw - pot
    }
    fn total_cmp(&self, other: &Self) -> Ordering {
        f64::total_cmp(self, other)
    }
    fn lex(self) -> Lex {
        Lex { k: 0, f: self }
    }
    fn from_score(x: f64) -> Self {
        x
    }
    fn from_lex(x: Lex) -> Self {
        x.f
    }
    fn within_rounding(self, other: Self) -> bool {
        le_rounded(self, other)
    }
}

/// Lexicographic cost `(coverage, score)`: the derived order compares `k` first.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub(in crate::lsap) struct Lex {
    pub(in crate::lsap) k: i64,
    pub(in crate::lsap) f: f64,
}

impl Add for Lex {
    type Output = Lex;
    #[inline(always)]
    fn add(self, o: Lex) -> Lex {
        Lex {
            k: self.k.saturating_add(o.k),
            f: self.f + o.f,
        }
    }
}

impl Sub for Lex {
    type Output = Lex;
    #[inline(always)]
    fn sub(self, o: Lex) -> Lex {
        Lex {
            k: self.k.saturating_sub(o.k),
            f: self.f - o.f,
        }
    }
}

impl Lex {
    pub(in crate::lsap) const ZERO: Self = Lex { k: 0, f: 0.0 };
    pub(in crate::lsap) const INF: Self = Lex {
        k: i64::MAX,
        f: f64::INFINITY,
    };
    pub(in crate::lsap) const NEG_INF: Self = Lex {
        k: i64::MIN,
        f: f64::NEG_INFINITY,
    };
}

impl Cost for Lex {
    const ZERO: Self = Lex { k: 0, f: 0.0 };
    const COVERAGE: bool = true;
    const INF: Self = Lex {
        k: i64::MAX,
        f: f64::INFINITY,
    };
    const NEG_INF: Self = Lex {
        k: i64::MIN,
        f: f64::NEG_INFINITY,
    };
    #[inline]
    fn pair(sw: f64) -> Option<Self> {
        (sw < f64::INFINITY).then_some(Lex { k: -1, f: sw })
    }
    #[inline(always)]
    fn reduced(base: Self, sw: f64, pot: Self) -> Self {
        if sw < f64::INFINITY {
            Lex {
                k: base.k - 1 - pot.k,
                f: base.f + sw - pot.f,
            }
        } else {
            Self::INF
        }
    }
    fn total_cmp(&self, other: &Self) -> Ordering {
        self.k.cmp(&other.k).then(self.f.total_cmp(&other.f))
    }
    fn lex(self) -> Lex {
        self
    }
    fn from_score(x: f64) -> Self {
        Lex { k: 0, f: x }
    }
    fn from_lex(x: Lex) -> Self {
        x
    }
    fn within_rounding(self, other: Self) -> bool {
        self.k < other.k || (self.k == other.k && le_rounded(self.f, other.f))
    }
}

/// Lexicographic `(tier, score)` cost whose pairs carry no coverage unit: the score objective
/// under minimum loads, where the tier counts the minimum-load slots filled (each worth `−1`).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub(in crate::lsap) struct Tier(pub(in crate::lsap) Lex);

impl Add for Tier {
    type Output = Tier;
    #[inline(always)]
    fn add(self, o: Tier) -> Tier {
        Tier(self.0 + o.0)
    }
}

impl Sub for Tier {
    type Output = Tier;
    #[inline(always)]
    fn sub(self, o: Tier) -> Tier {
        Tier(self.0 - o.0)
    }
}

impl Cost for Tier {
    const ZERO: Self = Tier(Lex::ZERO);
    const COVERAGE: bool = false;
    const INF: Self = Tier(Lex::INF);
    const NEG_INF: Self = Tier(Lex::NEG_INF);
    #[inline]
    fn pair(sw: f64) -> Option<Self> {
        (sw < f64::INFINITY).then_some(Tier(Lex { k: 0, f: sw }))
    }
    #[inline(always)]
    fn reduced(base: Self, sw: f64, pot: Self) -> Self {
        if sw < f64::INFINITY {
            Tier(Lex {
                k: base.0.k - pot.0.k,
                f: base.0.f + sw - pot.0.f,
            })
        } else {
            Self::INF
        }
    }
    fn total_cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
    fn lex(self) -> Lex {
        self.0
    }
    fn from_score(x: f64) -> Self {
        Tier(Lex { k: 0, f: x })
    }
    fn from_lex(x: Lex) -> Self {
        Tier(x)
    }
    fn within_rounding(self, other: Self) -> bool {
        self.0.within_rounding(other.0)
    }
}

pub(in crate::lsap) fn min_cost<C: Cost>(a: C, b: C) -> C {
    if b < a {
        b
    } else {
        a
    }
}

pub(in crate::lsap) fn max_cost<C: Cost>(a: C, b: C) -> C {
    if b > a {
        b
    } else {
        a
    }
}

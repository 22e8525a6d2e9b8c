//! Language: 1 when mentee and mentor share a language, 0 when they share none.

use crate::features::{intersects, Features, PersonFeatures};

fn shared<'a>(a: &'a [u32], b: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
    a.iter()
        .copied()
        .filter(move |x| b.binary_search(x).is_ok())
}

/// 1 or 0, or `None` when either side lists no language.
pub fn value(mentee: &PersonFeatures, mentor: &PersonFeatures) -> Option<f64> {
    if mentee.languages.is_empty() || mentor.languages.is_empty() {
        return None;
    }
    Some(
        if intersects(&mentee.language_bits, &mentor.language_bits) {
            1.0
        } else {
            0.0
        },
    )
}

/// The shared languages, by name.
pub fn evidence(mentee: &PersonFeatures, mentor: &PersonFeatures, f: &Features) -> Vec<String> {
    shared(&mentee.languages, &mentor.languages)
        .map(|l| f.languages.name(l).to_string())
        .collect()
}

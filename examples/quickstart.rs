//! The Rust quickstart: generate a cohort, prepare it once, match it, explain a pair (matched or
//! not), audit it by a protected attribute, then rematch after some goals change.
//!
//! Run: `cargo run --release --example quickstart`

use mentorpair::cohort::Goal;
use mentorpair::fairness::AuditOptions;
use mentorpair::problem::{MatchConfig, Problem};
use mentorpair::rematch::{PairId, RematchOptions};
use mentorpair::synthetic::{generate, CohortSpec};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A seeded synthetic programme: 400 mentees, 160 mentors (capacities 1-3).
    let cohort = generate(&CohortSpec::new(400, 160).seed(7))?;

    // Prepare once (features, scores, the mask with its reasons, pins), then match.
    let config = MatchConfig::default();
    let problem = Problem::new(cohort.clone(), config.clone())?;
    let result = problem.match_result()?;
    let s = &result.summary;
    println!(
        "matched {} of {} mentees in {} pairs, mean score {:.3}, {} violations",
        s.matched_mentees,
        s.mentees,
        s.pairs,
        s.mean_score,
        result.violations.len()
    );
    assert!(result.violations.is_empty());

    // Explain the first pair: the contributions add up to the score.
    if let Some(pair) = result.pairs.first() {
        println!(
            "{} -> {}: {:.3}",
            pair.mentee_id, pair.mentor_id, pair.score
        );
        for c in &pair.explanation.components {
            println!(
                "  {:<13} {:.3} x {:.2} = {:.3}",
                c.component.name(),
                c.value,
                c.weight,
                c.contribution
            );
        }
    }

    // Any other pair, straight from the prepared problem: its score and why it is excluded.
    let other = problem.explain(&cohort.mentees.people[0].id, &cohort.mentors.people[0].id)?;
    println!(
        "{} -> {}: {:.3}, excluded: {}",
        other.explanation.mentee_id,
        other.explanation.mentor_id,
        other.explanation.score,
        other.excluded.as_deref().unwrap_or("no")
    );

    // Audit by a protected attribute: match rate and scores per group.
    let audit = problem.audit(&result, &["gender".to_string()], &AuditOptions::default())?;
    for g in &audit.mentees.groups {
        println!(
            "  {:<12} {:>4} mentees, match rate {:.3}, mean score {}",
            g.group,
            g.mentees,
            g.match_rate,
            g.mean_score.map_or("-".to_string(), |m| format!("{m:.3}"))
        );
    }
    if let Some(di) = audit.mentees.disparate_impact {
        println!("  disparate impact {di:.3} (four-fifths rule: at least 0.8)");
    }

    // Rematch after 40 mentees changed their goals, with a bonus for keeping valid pairs.
    let previous: Vec<PairId> = result
        .pairs
        .iter()
        .map(|p| PairId::new(p.mentee_id.clone(), p.mentor_id.clone()))
        .collect();
    let mut changed = cohort.clone();
    for person in changed.mentees.people.iter_mut().take(40) {
        person.goals = vec![Goal {
            tag: "public speaking".into(),
            weight: 1.0,
        }];
    }
    // The default keep bonus (`DEFAULT_KEEP_BONUS`, 0.1) and no frozen pairs.
    let options = RematchOptions::default();
    // This round's cohort is prepared once; the rematch and its report both read it.
    let again = Problem::new(changed, config)?.rematch(&previous, &options)?;
    let c = &again.rematch.counts;
    println!(
        "rematch: {} kept, {} moved, {} new, {} dissolved; score gained {:+.3}",
        c.kept, c.moved, c.new, c.dissolved, again.rematch.score_gained
    );
    assert!(again.result.violations.is_empty());
    Ok(())
}

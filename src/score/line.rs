//! An explanation in one line, for tables, shortlists and reports.

use super::Explanation;

impl Explanation {
    /// One line: the components by contribution, each with its value and what it rests on
    /// ("goals 0.80 (shared: sql) · availability 1.00 (120 min/week shared) · ...").
    pub fn line(&self) -> String {
        let mut parts: Vec<_> = self.components.iter().collect();
        parts.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
        parts
            .iter()
            .map(|c| {
                let name = c.component.name();
                let detail = match serde_json::to_value(&c.evidence) {
                    Ok(v) => evidence_words(&v),
                    Err(_) => None,
                };
                match (&c.missing, detail) {
                    (Some(m), _) => format!("{name} {:.2} ({m})", c.value),
                    (None, Some(d)) => format!("{name} {:.2} ({d})", c.value),
                    (None, None) => format!("{name} {:.2}", c.value),
                }
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// The shared items or overlap behind a component, read from its serialised evidence.
fn evidence_words(v: &serde_json::Value) -> Option<String> {
    // Internally tagged (`{"kind": ..., fields}`) or wrapped once (`{"goals": {fields}}`).
    let obj = v.as_object()?;
    let inner = if obj.contains_key("kind") || obj.len() != 1 {
        v
    } else {
        obj.values().next()?
    };
    if let Some(m) = inner
        .get("overlap_minutes_per_week")
        .and_then(|m| m.as_u64())
    {
        return Some(format!("{m} min/week shared"));
    }
    let note = inner
        .get("note")
        .or_else(|| inner.get("detail").and_then(|d| d.get("note")));
    if let Some(note) = note.and_then(|n| n.as_str()) {
        return Some(note.to_string());
    }
    let shared = inner.get("shared")?.as_array()?;
    let names: Vec<&str> = shared
        .iter()
        .filter_map(|s| s.as_str().or_else(|| s.get(0).and_then(|x| x.as_str())))
        .collect();
    (!names.is_empty()).then(|| format!("shared: {}", names.join(", ")))
}

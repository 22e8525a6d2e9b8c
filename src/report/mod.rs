//! The programme report: one self-contained HTML file (inline CSS, script and SVG, and a content
//! security policy that forbids every network request) with the summary, the searchable pairs,
//! the unmatched mentees, the fairness audit as charts and the meeting schedule.

mod svg;

use crate::cohort::Cohort;
use crate::fairness::audit::{group_name, GroupLabels};
use crate::fairness::{AuditOptions, AuditReport, FairnessError};
use crate::matching::{audit_match, MatchResult, MatchedPair};
use crate::schedule::{LocalTimes, Schedule};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

/// Why a report cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The audit columns do not fit the cohort.
    #[error("fairness audit for the report: {0}")]
    Audit(#[from] FairnessError),
}

/// Escape a value for HTML text and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A pair's match percentage ([`MatchedPair::match_percent`]: scores are normalised to [0, 1]).
pub fn match_pct(p: &MatchedPair) -> f64 {
    f64::from(p.match_percent)
}

/// One line of explanation: the components by contribution, with what they rest on
/// ([`crate::score::Explanation::line`]).
pub fn explain_line(p: &MatchedPair) -> String {
    p.explanation.line()
}

fn local(l: &Option<LocalTimes>) -> String {
    l.as_ref().map_or_else(String::new, |l| {
        format!(
            "{} {}–{} ({})",
            l.weekday.abbrev(),
            l.start,
            l.end,
            l.timezone
        )
    })
}

const STYLE: &str = r#"
:root{--ink:#1f2933;--muted:#616e7c;--line:#d9e2ec;--bar:#3e7cb1;--bg:#f5f7fa;--warn:#b44d12}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);background:var(--bg)}
header{background:#243b53;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#bcccdc}
main{max-width:1200px;margin:0 auto;padding:10px 28px 40px}section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0}
h2{margin:0 0 10px;font-size:18px}.cards{display:flex;flex-wrap:wrap;gap:12px}.card{flex:1 1 140px;border:1px solid var(--line);border-radius:6px;padding:10px 12px}
.card b{display:block;font-size:22px}.card span{color:var(--muted)}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}th{background:#f0f4f8;position:sticky;top:0}
td.num,td.id{white-space:nowrap}td.num{text-align:right}.pct{display:inline-block;height:8px;background:var(--bar);border-radius:4px;margin-right:6px;vertical-align:middle}
.scroll{max-height:480px;overflow:auto;border:1px solid var(--line);border-radius:6px}input[type=search]{width:100%;max-width:420px;padding:7px 10px;border:1px solid #9fb3c8;border-radius:6px;font-size:14px}
.count{color:var(--muted);margin:6px 0}.charts{display:flex;flex-wrap:wrap;gap:18px}figure{margin:0}figcaption{color:var(--muted);margin-top:4px}
svg.chart{max-width:100%;height:auto;font-size:11px}svg .bar{fill:var(--bar)}svg .grid{stroke:var(--line)}svg .tick{fill:var(--muted)}svg .label{fill:var(--ink)}
svg .value{fill:var(--muted)}svg .reference{stroke:var(--warn);stroke-dasharray:4 3}svg .iqr{fill:#a7c5eb;stroke:var(--bar)}svg .whisker{stroke:var(--bar)}
svg .median{stroke:#102a43;stroke-width:2}svg .mean{fill:var(--warn)}.note{color:var(--muted)}.moves{color:var(--warn)}
"#;

const SCRIPT: &str = r#"
document.querySelectorAll('input[data-filter]').forEach(function(box){
  var table=document.getElementById(box.getAttribute('data-filter'));
  var count=document.getElementById(box.getAttribute('data-count'));
  var rows=Array.prototype.slice.call(table.tBodies[0].rows);
  function apply(){
    var q=box.value.trim().toLowerCase(), shown=0;
    rows.forEach(function(r){var ok=!q||r.textContent.toLowerCase().indexOf(q)>=0;r.hidden=!ok;if(ok)shown++;});
    count.textContent=shown+' of '+rows.length+' shown';
  }
  box.addEventListener('input',apply);apply();
});
"#;

fn search(table: &str, what: &str) -> String {
    format!(
        "<input type=\"search\" id=\"{table}-search\" data-filter=\"{table}\" data-count=\"{table}-count\" placeholder=\"Search {what} (id, tag, zone…)\" aria-label=\"Search {what}\"><p class=\"count\" id=\"{table}-count\"></p>"
    )
}

fn card(value: impl std::fmt::Display, label: &str) -> String {
    format!(
        "<div class=\"card\"><b>{}</b><span>{}</span></div>",
        esc(&value.to_string()),
        esc(label)
    )
}

/// Group name of every mentee and mentor row (one group `all` without `by`).
fn groups(cohort: &Cohort, by: &[String]) -> Result<(Vec<String>, Vec<usize>), FairnessError> {
    if by.is_empty() {
        return Ok((
            vec!["all mentees".to_string()],
            vec![0; cohort.mentees.people.len()],
        ));
    }
    let labels = GroupLabels::from_protected(&cohort.mentees.protected, by, "mentees")?;
    let (keys, ids) = labels.group_ids();
    Ok((keys.iter().map(|k| group_name(k)).collect(), ids))
}

fn fairness_section(
    s: &mut String,
    cohort: &Cohort,
    result: &MatchResult,
    by: &[String],
    audit: Option<&AuditReport>,
) -> Result<(), ReportError> {
    let (names, ids) = groups(cohort, by)?;
    let row_of: BTreeMap<&str, usize> = cohort
        .mentees
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut scores: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    for p in &result.pairs {
        if let Some(&i) = row_of.get(p.mentee_id.as_str()) {
            if let Some(&g) = ids.get(i) {
                scores[g].push(match_pct(p) / 100.0);
            }
        }
    }
    let rates: Vec<(String, f64, String)> = match audit {
        Some(a) => a
            .mentees
            .groups
            .iter()
            .map(|g| {
                (
                    g.group.clone(),
                    g.match_rate,
                    format!(
                        "{:.0}% ({}/{}){}",
                        g.match_rate * 100.0,
                        g.matched,
                        g.mentees,
                        if g.too_small { ", too small" } else { "" }
                    ),
                )
            })
            .collect(),
        None => {
            let n = result.summary.mentees.max(1);
            let r = result.summary.matched_mentees as f64 / n as f64;
            vec![(
                names[0].clone(),
                r,
                format!(
                    "{:.0}% ({}/{})",
                    r * 100.0,
                    result.summary.matched_mentees,
                    result.summary.mentees
                ),
            )]
        }
    };
    let top = rates.iter().map(|r| r.1).fold(0.0, f64::max);
    s.push_str("<section id=\"fairness\"><h2>Fairness audit</h2>");
    match audit {
        Some(a) => {
            let di = a
                .mentees
                .disparate_impact
                .map_or("-".to_string(), |d| format!("{d:.3}"));
            let verdict = match a.mentees.four_fifths_ok {
                Some(true) => "meets the four-fifths rule",
                Some(false) => "FAILS the four-fifths rule",
                None => "fewer than two groups large enough to compare",
            };
            let _ = write!(
                s,
                "<p>Mentees by <b>{}</b>: disparate impact {} ({}); largest mean-score gap {}.</p>",
                esc(&a.by.join(" / ")),
                esc(&di),
                esc(verdict),
                esc(&a.mentees.max_score_gap.map_or("-".into(), |g| format!("{g:.3}")))
            );
        }
        None => s.push_str(
            "<p class=\"note\">No protected column chosen: the charts show the whole cohort. Pass <code>--by COLUMN</code> (or <code>by=</code>) for the audit per group.</p>",
        ),
    }
    s.push_str("<div class=\"charts\">");
    let _ = write!(
        s,
        "<figure>{}<figcaption>Match rate per group; the dashed line is four fifths of the highest rate.</figcaption></figure>",
        svg::bars(
            "chart-match-rate",
            "Match rate per group",
            &rates,
            (audit.is_some() && top > 0.0).then_some((0.8 * top, "four fifths of the highest rate"))
        )
    );
    let dist: Vec<(String, Vec<f64>)> = names.iter().cloned().zip(scores).collect();
    let _ = write!(
        s,
        "<figure>{}<figcaption>Match % of the pairs per group: box from the first to the third quartile, line at the median, dot at the mean, whiskers to min and max.</figcaption></figure>",
        svg::boxes("chart-score-distribution", "Score distribution per group", &dist)
    );
    let mut load: BTreeMap<&str, u32> = BTreeMap::new();
    for p in &result.pairs {
        *load.entry(p.mentor_id.as_str()).or_default() += 1;
    }
    let max_cap = cohort
        .mentors
        .people
        .iter()
        .map(|m| m.capacity)
        .max()
        .unwrap_or(0);
    let max_load = load.values().copied().max().unwrap_or(0).max(max_cap);
    let mut columns: Vec<(String, usize)> = (0..=max_load).map(|k| (k.to_string(), 0)).collect();
    for m in &cohort.mentors.people {
        let l = load.get(m.id.as_str()).copied().unwrap_or(0) as usize;
        if let Some(c) = columns.get_mut(l) {
            c.1 += 1;
        }
    }
    let _ = write!(
        s,
        "<figure>{}<figcaption>Mentors by number of mentees assigned ({} mentors, capacity {} in all).</figcaption></figure>",
        svg::histogram("chart-mentor-load", "Mentor load", &columns, "mentees per mentor"),
        cohort.mentors.people.len(),
        result.summary.capacity
    );
    if let Some(m) = audit.and_then(|a| a.mentors.as_ref()) {
        let rows: Vec<(String, f64, String)> = m
            .groups
            .iter()
            .map(|g| {
                (
                    g.group.clone(),
                    g.utilisation,
                    format!("{:.0}% ({}/{})", g.utilisation * 100.0, g.load, g.capacity),
                )
            })
            .collect();
        let _ = write!(
            s,
            "<figure>{}<figcaption>Mentor capacity used per group.</figcaption></figure>",
            svg::bars(
                "chart-mentor-utilisation",
                "Mentor utilisation per group",
                &rows,
                None
            )
        );
    }
    s.push_str("</div></section>");
    Ok(())
}

fn schedule_section(s: &mut String, schedule: &Schedule) {
    let o = &schedule.options;
    let m = &schedule.summary;
    let _ = write!(
        s,
        "<section id=\"schedule\"><h2>Meeting schedule</h2><p>{} minutes every {} week(s) for {} weeks from {}: {} of {} pairs have a slot; {} keep it every meeting week; of the {} pairs whose zones change offset during the programme, {} keep their slot through every change.</p>",
        o.meeting_minutes,
        o.cadence_weeks,
        o.weeks,
        o.start,
        m.scheduled,
        m.pairs,
        m.without_moves,
        m.crossing_dst,
        m.surviving_dst
    );
    s.push_str(&search("schedule-table", "the schedule"));
    s.push_str("<div class=\"scroll\"><table id=\"schedule-table\"><thead><tr><th>Mentee</th><th>Mentor</th><th>First meeting (UTC)</th><th>Mentee local</th><th>Mentor local</th><th>Meetings</th><th>Moves</th><th>Reason</th></tr></thead><tbody>");
    for p in &schedule.pairs {
        let moves: Vec<String> = p
            .moves
            .iter()
            .map(|mv| match mv.utc_start {
                Some(t) => format!("{} → {}", mv.date, t.format("%Y-%m-%d %H:%M UTC")),
                None => format!("{} → none", mv.date),
            })
            .collect();
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"moves\">{}</td><td>{}</td></tr>",
            esc(&p.mentee_id),
            esc(&p.mentor_id),
            p.utc_start
                .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
            esc(&local(&p.mentee)),
            esc(&local(&p.mentor)),
            p.meetings.len(),
            esc(&moves.join("; ")),
            esc(&p.reason().unwrap_or_default())
        );
    }
    s.push_str("</tbody></table></div></section>");
}

/// The report as one HTML document. `by` names the protected mentee column(s) to audit (none:
/// the charts cover the whole cohort); `schedule` adds the meeting schedule.
///
/// # Errors
/// [`ReportError::Audit`] when `by` names a column the mentee table does not protect.
pub fn html(
    cohort: &Cohort,
    result: &MatchResult,
    by: &[String],
    schedule: Option<&Schedule>,
) -> Result<String, ReportError> {
    let audit = if by.is_empty() {
        None
    } else {
        Some(audit_match(cohort, result, by, &AuditOptions::default())?)
    };
    let sum = &result.summary;
    let mut s = String::with_capacity(4096 + 600 * result.pairs.len());
    s.push_str("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Mentoring programme report</title><style>");
    s.push_str(STYLE);
    let _ = write!(
        s,
        "</style></head><body><header><h1>Mentoring programme report</h1><p>{} mentees, {} mentors · reference date {} · generated by mentorpair {}</p></header><main>",
        sum.mentees,
        sum.mentors,
        sum.reference_date,
        env!("CARGO_PKG_VERSION")
    );
    let mean_pct = if result.pairs.is_empty() {
        0.0
    } else {
        result.pairs.iter().map(match_pct).sum::<f64>() / result.pairs.len() as f64
    };
    s.push_str("<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">");
    s.push_str(&card(sum.pairs, "pairs"));
    s.push_str(&card(
        format!("{}/{}", sum.matched_mentees, sum.mentees),
        "mentees matched",
    ));
    s.push_str(&card(format!("{mean_pct:.0}%"), "mean match"));
    s.push_str(&card(
        format!("{}/{}", sum.demand, sum.capacity),
        "demand / mentor capacity",
    ));
    s.push_str(&card(result.unmatched.len(), "mentees short of mentors"));
    s.push_str(&card(result.violations.len(), "constraint violations"));
    if let Some(sc) = schedule {
        s.push_str(&card(
            format!("{}/{}", sc.summary.scheduled, sc.summary.pairs),
            "pairs with a meeting slot",
        ));
    }
    s.push_str("</div></section>");

    s.push_str("<section id=\"pairs\"><h2>Pairs</h2>");
    s.push_str(&search("pairs-table", "pairs"));
    s.push_str("<div class=\"scroll\"><table id=\"pairs-table\"><thead><tr><th>Mentee</th><th>Mentor</th><th>Match</th><th>Score</th><th>Why</th></tr></thead><tbody>");
    for p in &result.pairs {
        let pct = match_pct(p);
        let _ = write!(
            s,
            "<tr><td class=\"id\">{}</td><td class=\"id\">{}</td><td class=\"num\"><span class=\"pct\" style=\"width:{:.0}px\"></span>{pct:.0}%</td><td class=\"num\">{:.3}</td><td>{}{}</td></tr>",
            esc(&p.mentee_id),
            esc(&p.mentor_id),
            pct.clamp(0.0, 100.0) * 0.6,
            p.score,
            esc(&explain_line(p)),
            if p.pinned { " <b>(pinned)</b>" } else { "" }
        );
    }
    s.push_str("</tbody></table></div></section>");

    let _ = write!(
        s,
        "<section id=\"unmatched\"><h2>Unmatched mentees ({})</h2>",
        result.unmatched.len()
    );
    if result.unmatched.is_empty() {
        s.push_str("<p class=\"note\">Every mentee has the mentors they asked for.</p>");
    } else {
        s.push_str("<div class=\"scroll\"><table id=\"unmatched-table\"><thead><tr><th>Mentee</th><th>Wanted</th><th>Matched</th><th>Reason</th><th>Detail</th></tr></thead><tbody>");
        for u in &result.unmatched {
            let reason = serde_json::to_value(u.reason)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = write!(
                s,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
                esc(&u.mentee_id),
                u.wanted,
                u.matched,
                esc(&reason),
                esc(&u.detail)
            );
        }
        s.push_str("</tbody></table></div>");
    }
    s.push_str("</section>");

    fairness_section(&mut s, cohort, result, by, audit.as_ref())?;
    if let Some(sc) = schedule {
        schedule_section(&mut s, sc);
    }
    s.push_str("</main><script>");
    s.push_str(SCRIPT);
    s.push_str("</script></body></html>\n");
    Ok(s)
}

/// Write `bytes` to `path` atomically: a temporary file in the same folder, flushed and synced,
/// then renamed over `path`. Missing parent folders are created.
///
/// # Errors
/// Any I/O error; the temporary file is removed on failure.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_string());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

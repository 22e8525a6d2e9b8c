//! Inline SVG charts for the report: horizontal bars, box plots and a histogram. Every label is
//! escaped; sizes are fixed so the charts need no script.

use super::esc;
use std::fmt::Write;

const WIDTH: f64 = 640.0;
const LABEL: f64 = 170.0;
const ROW: f64 = 26.0;
const PLOT: f64 = WIDTH - LABEL - 70.0;

fn open(id: &str, label: &str, height: f64) -> String {
    format!(
        "<svg class=\"chart\" id=\"{id}\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(label)
    )
}

fn axis(s: &mut String, top: f64, bottom: f64, ticks: &[(f64, String)]) {
    for (x, t) in ticks {
        let px = LABEL + x * PLOT;
        let _ = write!(
            s,
            "<line x1=\"{px:.1}\" y1=\"{top:.1}\" x2=\"{px:.1}\" y2=\"{bottom:.1}\" class=\"grid\"/><text x=\"{px:.1}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"middle\">{}</text>",
            bottom + 14.0,
            esc(t)
        );
    }
}

fn percent_ticks() -> Vec<(f64, String)> {
    (0..=4)
        .map(|k| (k as f64 / 4.0, format!("{}%", k * 25)))
        .collect()
}

/// One bar per row: `(label, value in [0, 1], text at the bar's end)`, with an optional dashed
/// reference line at `reference` (e.g. the four-fifths threshold).
pub fn bars(
    id: &str,
    title: &str,
    rows: &[(String, f64, String)],
    reference: Option<(f64, &str)>,
) -> String {
    let height = 20.0 + ROW * rows.len().max(1) as f64 + 24.0;
    let mut s = open(id, title, height);
    axis(&mut s, 10.0, height - 24.0, &percent_ticks());
    for (i, (label, value, text)) in rows.iter().enumerate() {
        let y = 14.0 + ROW * i as f64;
        let w = (value.clamp(0.0, 1.0) * PLOT).max(1.0);
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"label\" text-anchor=\"end\">{}</text><rect class=\"bar\" x=\"{LABEL}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.1}\"><title>{}: {}</title></rect><text x=\"{:.1}\" y=\"{:.1}\" class=\"value\">{}</text>",
            LABEL - 8.0,
            y + 14.0,
            esc(label),
            ROW - 8.0,
            esc(label),
            esc(text),
            LABEL + w + 6.0,
            y + 14.0,
            esc(text)
        );
    }
    if let Some((r, name)) = reference {
        let px = LABEL + r.clamp(0.0, 1.0) * PLOT;
        let _ = write!(
            s,
            "<line x1=\"{px:.1}\" y1=\"6\" x2=\"{px:.1}\" y2=\"{:.1}\" class=\"reference\"><title>{}</title></line>",
            height - 24.0,
            esc(name)
        );
    }
    s.push_str("</svg>");
    s
}

/// Five-number summary of sorted values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// One box plot per row over `[0, 1]`: `(label, values)`; rows without values say so.
pub fn boxes(id: &str, title: &str, rows: &[(String, Vec<f64>)]) -> String {
    let height = 20.0 + ROW * rows.len().max(1) as f64 + 24.0;
    let mut s = open(id, title, height);
    axis(&mut s, 10.0, height - 24.0, &percent_ticks());
    for (i, (label, values)) in rows.iter().enumerate() {
        let y = 14.0 + ROW * i as f64;
        let mid = y + (ROW - 8.0) / 2.0;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"label\" text-anchor=\"end\">{}</text>",
            LABEL - 8.0,
            y + 14.0,
            esc(label)
        );
        let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            let _ = write!(
                s,
                "<text x=\"{LABEL}\" y=\"{:.1}\" class=\"value\">no pairs</text>",
                y + 14.0
            );
            continue;
        }
        v.sort_by(f64::total_cmp);
        let x = |q: f64| LABEL + quantile(&v, q).clamp(0.0, 1.0) * PLOT;
        let (x0, x1, x2, x3, x4) = (x(0.0), x(0.25), x(0.5), x(0.75), x(1.0));
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        let _ = write!(
            s,
            "<g class=\"box\"><title>{}: n={}, min {:.0}%, median {:.0}%, max {:.0}%, mean {:.0}%</title><line x1=\"{x0:.1}\" y1=\"{mid:.1}\" x2=\"{x4:.1}\" y2=\"{mid:.1}\" class=\"whisker\"/><rect x=\"{x1:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" class=\"iqr\"/><line x1=\"{x2:.1}\" y1=\"{y:.1}\" x2=\"{x2:.1}\" y2=\"{:.1}\" class=\"median\"/><circle cx=\"{:.1}\" cy=\"{mid:.1}\" r=\"3\" class=\"mean\"/></g><text x=\"{:.1}\" y=\"{:.1}\" class=\"value\">n={}</text>",
            esc(label),
            v.len(),
            v[0] * 100.0,
            quantile(&v, 0.5) * 100.0,
            v[v.len() - 1] * 100.0,
            mean * 100.0,
            (x3 - x1).max(1.0),
            ROW - 8.0,
            y + ROW - 8.0,
            LABEL + mean.clamp(0.0, 1.0) * PLOT,
            x4 + 6.0,
            y + 14.0,
            v.len()
        );
    }
    s.push_str("</svg>");
    s
}

/// A vertical histogram: `(x label, count)` columns.
pub fn histogram(id: &str, title: &str, columns: &[(String, usize)], x_title: &str) -> String {
    let height = 220.0;
    let (left, bottom, top) = (50.0, height - 40.0, 14.0);
    let max = columns.iter().map(|c| c.1).max().unwrap_or(0).max(1) as f64;
    let n = columns.len().max(1) as f64;
    let step = (WIDTH - left - 20.0) / n;
    let mut s = open(id, title, height);
    let _ = write!(
        s,
        "<line x1=\"{left}\" y1=\"{bottom}\" x2=\"{:.1}\" y2=\"{bottom}\" class=\"grid\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"middle\">{}</text>",
        WIDTH - 20.0,
        left + (WIDTH - left - 20.0) / 2.0,
        height - 6.0,
        esc(x_title)
    );
    for (i, (label, count)) in columns.iter().enumerate() {
        let h = (*count as f64 / max) * (bottom - top - 14.0);
        let x = left + step * i as f64 + step * 0.15;
        let w = step * 0.7;
        let _ = write!(
            s,
            "<rect class=\"bar\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{h:.1}\"><title>{}: {count}</title></rect><text x=\"{:.1}\" y=\"{:.1}\" class=\"value\" text-anchor=\"middle\">{count}</text><text x=\"{:.1}\" y=\"{:.1}\" class=\"tick\" text-anchor=\"middle\">{}</text>",
            bottom - h,
            esc(label),
            x + w / 2.0,
            bottom - h - 4.0,
            x + w / 2.0,
            bottom + 14.0,
            esc(label)
        );
    }
    s.push_str("</svg>");
    s
}

//! OR-Library assignment instances with known optima (`../shared/data/orlib` beside the repo).
//! Skips with a note when the folder is absent.

use mentorpair::lsap::solve_dense;
use ndarray::Array2;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// `../shared/data/orlib` beside the repo; `MENTORPAIR_SHARED` may name the shared folder instead
/// (for worktrees that do not sit beside it).
fn dir() -> Option<PathBuf> {
    let shared = std::env::var_os("MENTORPAIR_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let d = shared.join("data/orlib");
    if d.join("assignopt.txt").is_file() {
        Some(d)
    } else {
        eprintln!("note: {} not found, OR-Library tests skipped", d.display());
        None
    }
}

fn numbers(path: &Path) -> Vec<f64> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
        .split_whitespace()
        .map(|t| {
            t.parse::<f64>()
                .unwrap_or_else(|e| panic!("{}: bad number {t:?}: {e}", path.display()))
        })
        .collect()
}

fn optima(d: &Path) -> HashMap<String, f64> {
    std::fs::read_to_string(d.join("assignopt.txt"))
        .expect("assignopt.txt")
        .lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            let name = it.next()?;
            let value = it.next()?.parse().ok()?;
            Some((name.to_string(), value))
        })
        .collect()
}

/// Dense file: n, then n*n costs row-major.
fn dense(path: &Path) -> Array2<f64> {
    let v = numbers(path);
    let n = v[0] as usize;
    Array2::from_shape_vec((n, n), v[1..1 + n * n].to_vec()).expect("n*n costs")
}

/// Sparse file: n, then `row col cost` triples (1-based); missing pairs are forbidden.
fn sparse(path: &Path) -> Array2<f64> {
    let v = numbers(path);
    let n = v[0] as usize;
    let mut c = Array2::from_elem((n, n), f64::INFINITY);
    for t in v[1..].chunks_exact(3) {
        c[[t[0] as usize - 1, t[1] as usize - 1]] = t[2];
    }
    c
}

fn check(c: &Array2<f64>, name: &str, opt: f64) {
    let a = solve_dense(c.view(), false).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(a.objective, opt, "{name}");
    let dual: f64 = a.row_duals.iter().chain(&a.col_duals).sum();
    assert_eq!(dual, opt, "{name}: dual bound");
    for (&r, &col) in a.rows.iter().zip(&a.cols) {
        assert_eq!(
            a.row_duals[r] + a.col_duals[col],
            c[[r, col]],
            "{name}: tight pair"
        );
    }
    for ((i, j), &x) in c.indexed_iter() {
        if x.is_finite() {
            assert!(
                a.row_duals[i] + a.col_duals[j] <= x,
                "{name}: dual infeasible at ({i},{j})"
            );
        }
    }
    // Maximising the negated matrix is the same problem.
    let neg = c.mapv(|x| -x);
    assert_eq!(
        solve_dense(neg.view(), true).unwrap().objective,
        -opt,
        "{name} (maximise)"
    );
}

#[test]
fn dense_instances_reach_known_optima() {
    let Some(d) = dir() else { return };
    let opt = optima(&d);
    for n in (100..=800).step_by(100) {
        let name = format!("assign{n}");
        check(&dense(&d.join(format!("{name}.txt"))), &name, opt[&name]);
    }
}

#[test]
fn sparse_instances_reach_known_optima() {
    let Some(d) = dir() else { return };
    let opt = optima(&d);
    for name in ["assignp800", "assignp1500", "assignp3000", "assignp5000"] {
        check(&sparse(&d.join(format!("{name}.txt"))), name, opt[name]);
    }
}

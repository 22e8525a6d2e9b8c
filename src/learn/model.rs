//! The two outcome models, fitted with argmin's L-BFGS (More–Thuente line search) on `Vec<f64>`:
//! - binary: ridge-penalised logistic regression `P(y = 1) = σ(β₀ + x·β)`;
//! - ratings: proportional-odds (cumulative logit) `P(y ≤ c) = σ(θ_c − x·β)` with increasing
//!   thresholds `θ₁ = a₁, θ_c = θ_{c−1} + exp(a_c)`.
//!
//! The objective is the mean negative log-likelihood plus `λ / (2n) · |β|²` (thresholds and the
//! intercept are not penalised). Standard errors come from the inverse of `n ×` the Hessian of
//! that objective at the optimum, taken by central differences of the analytic gradient.

use argmin::core::{CostFunction, Error as ArgminError, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;

/// Which model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Logistic regression on 0/1.
    Binary,
    /// Proportional odds on `levels` ordered categories (0-based codes).
    Ordinal {
        /// Number of categories (≥ 2).
        levels: usize,
    },
}

/// Rows × components (row-major), the outcome code per row, the penalty.
pub struct Data<'a> {
    /// Row-major values, `rows × k`.
    pub x: &'a [f64],
    /// Number of components.
    pub k: usize,
    /// Binary: 0/1. Ordinal: category code 0..levels.
    pub y: &'a [f64],
    /// Ridge penalty λ on the coefficients.
    pub lambda: f64,
    /// The model.
    pub kind: Kind,
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// `ln σ(z)`, stable for large |z|.
fn log_sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        -(-z).exp().ln_1p()
    } else {
        z - z.exp().ln_1p()
    }
}

impl Data<'_> {
    fn rows(&self) -> usize {
        self.y.len()
    }

    /// Number of parameters: k coefficients, then the intercept or the `levels − 1` thresholds.
    pub fn n_params(&self) -> usize {
        match self.kind {
            Kind::Binary => self.k + 1,
            Kind::Ordinal { levels } => self.k + levels - 1,
        }
    }

    fn eta(&self, p: &[f64], r: usize) -> f64 {
        let row = &self.x[r * self.k..(r + 1) * self.k];
        row.iter().zip(&p[..self.k]).map(|(a, b)| a * b).sum()
    }

    fn thresholds(&self, p: &[f64]) -> Vec<f64> {
        let a = &p[self.k..];
        let mut t = Vec::with_capacity(a.len());
        for (c, &ac) in a.iter().enumerate() {
            t.push(if c == 0 { ac } else { t[c - 1] + ac.exp() });
        }
        t
    }

    /// Mean penalised negative log-likelihood and its gradient.
    pub fn cost_grad(&self, p: &[f64]) -> (f64, Vec<f64>) {
        let n = self.rows().max(1) as f64;
        let k = self.k;
        let mut g = vec![0.0; p.len()];
        let mut nll = 0.0;
        match self.kind {
            Kind::Binary => {
                for r in 0..self.rows() {
                    let z = self.eta(p, r) + p[k];
                    let y = self.y[r];
                    nll -= y * log_sigmoid(z) + (1.0 - y) * log_sigmoid(-z);
                    let d = sigmoid(z) - y;
                    let row = &self.x[r * k..(r + 1) * k];
                    for (gj, xj) in g[..k].iter_mut().zip(row) {
                        *gj += d * xj;
                    }
                    g[k] += d;
                }
            }
            Kind::Ordinal { levels } => {
                let t = self.thresholds(p);
                let mut g_theta = vec![0.0; levels - 1];
                for r in 0..self.rows() {
                    let eta = self.eta(p, r);
                    let c = self.y[r] as usize;
                    // P(y = c) = σ(u) − σ(l), u = θ_c − η (∞ for the top), l = θ_{c−1} − η.
                    let u = (c < levels - 1).then(|| t[c] - eta);
                    let l = (c > 0).then(|| t[c - 1] - eta);
                    let (su, sl) = (u.map_or(1.0, sigmoid), l.map_or(0.0, sigmoid));
                    let prob = match (u, l) {
                        (Some(u), None) => sigmoid(u),
                        (None, Some(l)) => sigmoid(-l),
                        (Some(_), Some(_)) => su - sl,
                        (None, None) => 1.0,
                    }
                    .max(1e-300);
                    nll -= prob.ln();
                    let du = u.map_or(0.0, |_| su * (1.0 - su));
                    let dl = l.map_or(0.0, |_| sl * (1.0 - sl));
                    // d(−ln p)/dη = (du − dl)/p; d/dθ_c = −du/p; d/dθ_{c−1} = dl/p.
                    let d_eta = (du - dl) / prob;
                    let row = &self.x[r * k..(r + 1) * k];
                    for (gj, xj) in g[..k].iter_mut().zip(row) {
                        *gj += d_eta * xj;
                    }
                    if c < levels - 1 {
                        g_theta[c] -= du / prob;
                    }
                    if c > 0 {
                        g_theta[c - 1] += dl / prob;
                    }
                }
                // θ_c depends on a_1 (slope 1) and on a_j, 2 ≤ j ≤ c (slope exp(a_j)).
                let mut tail = 0.0;
                for j in (0..levels - 1).rev() {
                    tail += g_theta[j];
                    g[k + j] = if j == 0 { tail } else { tail * p[k + j].exp() };
                }
            }
        }
        for j in 0..k {
            nll += 0.5 * self.lambda * p[j] * p[j];
            g[j] += self.lambda * p[j];
        }
        for gj in &mut g {
            *gj /= n;
        }
        (nll / n, g)
    }

    /// Starting point: zero coefficients, intercept 0, thresholds spread evenly.
    pub fn start(&self) -> Vec<f64> {
        let mut p = vec![0.0; self.n_params()];
        if let Kind::Ordinal { levels } = self.kind {
            p[self.k] = -((levels - 2) as f64) / 2.0;
            for a in &mut p[self.k + 1..] {
                *a = 0.0; // exp(0) = 1 apart
            }
        }
        p
    }

    /// The linear predictor `x·β` of row values `row` (higher = better outcome).
    pub fn predict(p: &[f64], row: &[f64]) -> f64 {
        row.iter().zip(p).map(|(a, b)| a * b).sum()
    }
}

struct Problem<'a, 'b>(&'a Data<'b>);

impl CostFunction for Problem<'_, '_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, p: &Vec<f64>) -> Result<f64, ArgminError> {
        Ok(self.0.cost_grad(p).0)
    }
}

impl Gradient for Problem<'_, '_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, p: &Vec<f64>) -> Result<Vec<f64>, ArgminError> {
        Ok(self.0.cost_grad(p).1)
    }
}

/// A fitted model.
#[derive(Debug, Clone)]
pub struct Fit {
    /// Coefficients then intercept/threshold parameters.
    pub params: Vec<f64>,
    /// Iterations used.
    pub iterations: u64,
    /// Whether L-BFGS stopped on its tolerance (not the iteration limit).
    pub converged: bool,
}

/// Minimise the objective from [`Data::start`].
///
/// # Errors
/// The optimiser's message when it fails.
pub fn fit(data: &Data<'_>, max_iters: u64) -> Result<Fit, String> {
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
        .with_tolerance_grad(1e-9)
        .and_then(|s| s.with_tolerance_cost(1e-13))
        .map_err(|e| e.to_string())?;
    let res = Executor::new(Problem(data), solver)
        .configure(|s| s.param(data.start()).max_iters(max_iters))
        .run()
        .map_err(|e| e.to_string())?;
    let state = res.state();
    let params = state
        .get_best_param()
        .cloned()
        .ok_or_else(|| "optimiser returned no parameters".to_string())?;
    Ok(Fit {
        params,
        iterations: state.get_iter(),
        converged: state.get_iter() < max_iters,
    })
}

/// Covariance of the parameters: the inverse of `n ×` the Hessian of the mean objective,
/// by central differences of the gradient. `None` when the Hessian is not positive definite.
#[allow(clippy::needless_range_loop)] // index notation of the matrix formulas
pub fn covariance(data: &Data<'_>, p: &[f64]) -> Option<Vec<Vec<f64>>> {
    let q = p.len();
    let n = data.rows() as f64;
    let mut h = vec![vec![0.0; q]; q];
    for j in 0..q {
        let step = 1e-5 * p[j].abs().max(1.0);
        let (mut hi, mut lo) = (p.to_vec(), p.to_vec());
        hi[j] += step;
        lo[j] -= step;
        let (gh, gl) = (data.cost_grad(&hi).1, data.cost_grad(&lo).1);
        for i in 0..q {
            h[i][j] = n * (gh[i] - gl[i]) / (2.0 * step);
        }
    }
    for i in 0..q {
        for j in 0..i {
            let m = 0.5 * (h[i][j] + h[j][i]);
            h[i][j] = m;
            h[j][i] = m;
        }
    }
    cholesky_inverse(&h)
}

/// Inverse of a symmetric positive-definite matrix by its Cholesky factor (`None` if not PD).
#[allow(clippy::needless_range_loop)] // index notation of the matrix formulas
pub fn cholesky_inverse(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let q = a.len();
    let mut l = vec![vec![0.0; q]; q];
    for i in 0..q {
        for j in 0..=i {
            let s: f64 = a[i][j] - (0..j).map(|m| l[i][m] * l[j][m]).sum::<f64>();
            if i == j {
                if !(s > 0.0 && s.is_finite()) {
                    return None;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    // Solve L Lᵀ X = I column by column.
    let mut inv = vec![vec![0.0; q]; q];
    for c in 0..q {
        let mut z = vec![0.0; q];
        for i in 0..q {
            let e = if i == c { 1.0 } else { 0.0 };
            z[i] = (e - (0..i).map(|m| l[i][m] * z[m]).sum::<f64>()) / l[i][i];
        }
        for i in (0..q).rev() {
            let v = (z[i] - (i + 1..q).map(|m| l[m][i] * inv[m][c]).sum::<f64>()) / l[i][i];
            inv[i][c] = v;
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let x = [0.1, 0.9, 0.5, 0.2, 0.7, 0.4, 0.3, 0.3, 0.8, 0.6];
        for (kind, y) in [
            (Kind::Binary, vec![0.0, 1.0, 1.0, 0.0, 1.0]),
            (Kind::Ordinal { levels: 3 }, vec![0.0, 2.0, 1.0, 0.0, 2.0]),
        ] {
            let d = Data {
                x: &x,
                k: 2,
                y: &y,
                lambda: 0.3,
                kind,
            };
            let p: Vec<f64> = (0..d.n_params()).map(|i| 0.3 * i as f64 - 0.2).collect();
            let g = d.cost_grad(&p).1;
            for j in 0..p.len() {
                let (mut a, mut b) = (p.clone(), p.clone());
                a[j] += 1e-6;
                b[j] -= 1e-6;
                let fd = (d.cost_grad(&a).0 - d.cost_grad(&b).0) / 2e-6;
                assert!((fd - g[j]).abs() < 1e-7, "{kind:?} {j}: {fd} vs {}", g[j]);
            }
        }
    }

    #[test]
    fn cholesky_inverse_of_known_matrix() {
        let a = vec![vec![4.0, 2.0], vec![2.0, 3.0]];
        let inv = cholesky_inverse(&a).unwrap();
        // det 8: inverse [[3, −2], [−2, 4]] / 8.
        let want = [[0.375, -0.25], [-0.25, 0.5]];
        for i in 0..2 {
            for j in 0..2 {
                assert!((inv[i][j] - want[i][j]).abs() < 1e-12);
            }
        }
        assert!(cholesky_inverse(&[vec![1.0, 2.0], vec![2.0, 1.0]]).is_none());
    }
}

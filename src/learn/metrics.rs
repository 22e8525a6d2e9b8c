//! Held-out quality measures: AUC (Mann–Whitney) for binary outcomes and Spearman's rank
//! correlation for ratings, both with average ranks for ties.

/// Average ranks (1-based) of `x`, ties sharing the mean of their positions; ties among equal
/// values are found after a stable sort, so the result does not depend on input order.
pub fn ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && x[order[j + 1]] == x[order[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

/// Area under the ROC curve of `score` for `label` (1 = positive); ties count one half.
/// `None` when one class is absent.
pub fn auc(score: &[f64], label: &[f64]) -> Option<f64> {
    let r = ranks(score);
    let pos = label.iter().filter(|&&y| y == 1.0).count() as f64;
    let neg = label.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return None;
    }
    let rank_sum: f64 = r
        .iter()
        .zip(label)
        .filter(|(_, &y)| y == 1.0)
        .map(|(r, _)| r)
        .sum();
    Some((rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg))
}

/// Pearson correlation (`None` when either side is constant).
pub fn pearson(a: &[f64], b: &[f64]) -> Option<f64> {
    let n = a.len() as f64;
    if a.len() != b.len() || a.len() < 2 {
        return None;
    }
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    (saa > 0.0 && sbb > 0.0).then(|| sab / (saa * sbb).sqrt())
}

/// Spearman's rank correlation: Pearson on average ranks (`None` when either side is constant).
pub fn spearman(a: &[f64], b: &[f64]) -> Option<f64> {
    pearson(&ranks(a), &ranks(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_by_pair_counting() {
        let s = [0.1, 0.4, 0.35, 0.8, 0.4];
        let y = [0.0, 0.0, 1.0, 1.0, 1.0];
        // Brute force: P(score_pos > score_neg) + ½ P(tie).
        let mut num = 0.0;
        let mut den = 0.0;
        for i in 0..5 {
            for j in 0..5 {
                if y[i] == 1.0 && y[j] == 0.0 {
                    den += 1.0;
                    num += if s[i] > s[j] {
                        1.0
                    } else if s[i] == s[j] {
                        0.5
                    } else {
                        0.0
                    };
                }
            }
        }
        assert!((auc(&s, &y).unwrap() - num / den).abs() < 1e-12);
    }

    #[test]
    fn spearman_of_monotone_is_one() {
        let a = [1.0, 2.0, 3.0, 4.0];
        let b = [1.0, 8.0, 27.0, 64.0];
        assert!((spearman(&a, &b).unwrap() - 1.0).abs() < 1e-12);
        assert!(spearman(&a, &[1.0; 4]).is_none());
    }
}

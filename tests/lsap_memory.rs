//! Memory shortfalls are typed errors: a small configured limit refuses the big buffers of both
//! solvers, and impossible sizes (broadcast inputs) are refused whatever the machine.

use mentorpair::lsap::{memory, solve_capacitated, solve_dense, CapacitatedOptions, LsapError};
use ndarray::{Array2, ShapeBuilder};

fn too_large(e: LsapError) -> (u64, u64) {
    match e {
        LsapError::TooLarge {
            needed_bytes,
            limit_bytes,
        } => (needed_bytes, limit_bytes),
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

/// One test function, so the process-wide limit set here is never seen by another test.
#[test]
fn configured_limit_refuses_big_buffers_and_small_ones_still_solve() {
    let n = 1500; // 18 MB per copy: above the size from which buffers are checked.
    let w = Array2::from_shape_fn((n, n), |(i, j)| ((i * 7 + j * 13) % 101) as f64);
    memory::set_limit(Some(1 << 20));
    assert_eq!(memory::configured_limit(), Some(1 << 20));

    // Maximising needs a signed copy of the matrix.
    let (needed, limit) = too_large(solve_dense(w.view(), true).unwrap_err());
    assert_eq!(needed, (n * n * 8) as u64);
    assert!(limit <= 1 << 20);
    // Tall inputs gather their transpose.
    let tall = Array2::from_shape_fn((n, n - 1), |(i, j)| ((i + 3 * j) % 17) as f64);
    too_large(solve_dense(tall.view(), false).unwrap_err());
    // Minimising a contiguous square matrix reads it in place: nothing big to allocate.
    let small_ok = solve_dense(w.view(), false).unwrap();
    assert_eq!(small_ok.rows.len(), n);

    // Capacitated: a column-major input needs a row-major copy.
    let mut f = Array2::<f64>::zeros((n, n).f());
    f.assign(&w);
    let opts = CapacitatedOptions::default();
    let caps = vec![1u32; n];
    let (needed, _) = too_large(solve_capacitated(f.view(), &caps, &caps, &opts).unwrap_err());
    assert!(needed >= (n * n * 8) as u64);
    // Fewer column units than row units: the transposed copy is refused.
    let wide_rows = vec![2u32; n];
    too_large(solve_capacitated(w.view(), &wide_rows, &caps, &opts).unwrap_err());

    memory::set_limit(None);
    assert_eq!(memory::configured_limit(), None);
    let a = solve_dense(w.view(), true).unwrap();
    let b = solve_capacitated(f.view(), &caps, &caps, &opts).unwrap();
    assert_eq!(a.rows.len(), n);
    assert!((a.objective - b.objective).abs() < 1e-6 * a.objective.abs().max(1.0));
}

#[test]
fn broadcast_inputs_beyond_any_machine_are_refused() {
    let one = ndarray::arr2(&[[1.5]]);
    let huge = one.broadcast((1_000_000, 1_000_000)).unwrap();
    let (needed, limit) = too_large(solve_dense(huge, true).unwrap_err());
    assert_eq!(needed, 8_000_000_000_000);
    assert!(limit < needed);
    let caps = vec![1u32; 1_000_000];
    let opts = CapacitatedOptions::default();
    too_large(solve_capacitated(huge, &caps, &caps, &opts).unwrap_err());
}

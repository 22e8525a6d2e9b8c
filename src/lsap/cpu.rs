//! Hot loops compiled for the wider instructions of this machine's processor when it has them.
//!
//! The release build targets baseline x86-64 (SSE2, no POPCNT) so that it runs anywhere; loops
//! that compare whole rows of people or count common availability buckets run several times
//! faster with AVX2 and POPCNT. [`fast`] runs a closure compiled for x86-64-v3 when the processor
//! has its features (detected once, at run time) and as built otherwise. The arithmetic is the
//! same either way: Rust never contracts a multiply and an add into a fused one, and
//! vectorising keeps the order of every floating-point operation, so the results are the same
//! bits on every machine.

use std::sync::atomic::{AtomicBool, Ordering};

/// Whether [`fast`] may use the wider instructions (on by default).
static WIDE: AtomicBool = AtomicBool::new(true);

/// Allow or forbid the wider instructions process-wide (on by default): for comparing the two
/// builds side by side, in benchmarks and tests. Returns the previous setting.
pub fn set_wide(on: bool) -> bool {
    WIDE.swap(on, Ordering::Relaxed)
}

/// Whether [`fast`] runs its closure compiled for the wider instructions: allowed
/// ([`set_wide`]) and the processor has them.
pub fn wide() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        WIDE.load(Ordering::Relaxed) && has_v3()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Call `f`, compiled for x86-64-v3 (AVX2, BMI1, BMI2, LZCNT, POPCNT) when this processor has
/// those features. Mark the closure `#[inline(always)]` so that its body, and what it inlines,
/// is compiled inside the wider function.
#[inline(always)]
pub fn fast<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        if wide() {
            // SAFETY: `wide` checked that the processor has every feature `v3` is compiled for.
            return unsafe { v3(f) };
        }
    }
    f()
}

/// Whether this processor has the features of [`v3`] (std caches the detection).
#[cfg(target_arch = "x86_64")]
fn has_v3() -> bool {
    std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("bmi1")
        && std::arch::is_x86_feature_detected!("bmi2")
        && std::arch::is_x86_feature_detected!("lzcnt")
        && std::arch::is_x86_feature_detected!("popcnt")
}

/// `f()` compiled with the x86-64-v3 features.
///
/// # Safety
/// The processor must have AVX2, BMI1, BMI2, LZCNT and POPCNT.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,bmi1,bmi2,lzcnt,popcnt")]
unsafe fn v3<R>(f: impl FnOnce() -> R) -> R {
    f()
}

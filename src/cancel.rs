//! Cooperative cancellation: a token that long loops check cheaply (one atomic load), so a caller
//! (a Ctrl-C in Python, a service's deadline) can stop a solve or a scoring pass between steps.
//!
//! Work started through [`with`] sees the token as [`current`] on its thread; loops that fan out
//! to rayon take `current()` once before the parallel section and check that copy inside.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The work was stopped by its [`Cancel`] token before it finished; nothing it would have
/// returned was produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted before the work finished (nothing was produced)")]
pub struct Interrupted;

/// A cancellation token: clones share one flag. The default token is never cancelled and costs
/// nothing to check.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Option<Arc<AtomicBool>>);

impl Cancel {
    /// A fresh token that [`Cancel::cancel`] can trip.
    pub fn new() -> Self {
        Cancel(Some(Arc::new(AtomicBool::new(false))))
    }

    /// A token that is never cancelled.
    pub fn never() -> Self {
        Cancel(None)
    }

    /// Ask every holder of this token (and its clones) to stop.
    pub fn cancel(&self) {
        if let Some(flag) = &self.0 {
            flag.store(true, Ordering::Relaxed);
        }
    }

    /// Whether [`Cancel::cancel`] was called on this token or a clone.
    #[inline]
    pub fn is_cancelled(&self) -> bool {
        self.0.as_ref().is_some_and(|f| f.load(Ordering::Relaxed))
    }

    /// `Err(Interrupted)` once the token is cancelled: call it from a loop's outer step.
    ///
    /// # Errors
    /// [`Interrupted`] when the token was cancelled.
    #[inline]
    pub fn check(&self) -> Result<(), Interrupted> {
        if self.is_cancelled() {
            Err(Interrupted)
        } else {
            Ok(())
        }
    }
}

thread_local! {
    static CURRENT: RefCell<Cancel> = RefCell::new(Cancel::never());
}

/// Run `work` with `token` as this thread's [`current`] token, restoring the previous one after
/// (also when `work` panics).
pub fn with<T>(token: Cancel, work: impl FnOnce() -> T) -> T {
    struct Restore(Option<Cancel>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(prev) = self.0.take() {
                CURRENT.with(|c| *c.borrow_mut() = prev);
            }
        }
    }
    let prev = CURRENT.with(|c| std::mem::replace(&mut *c.borrow_mut(), token));
    let _restore = Restore(Some(prev));
    work()
}

/// The token of the work running on this thread ([`with`]); a never-cancelled one otherwise.
pub fn current() -> Cancel {
    CURRENT.with(|c| c.borrow().clone())
}

/// Shorthand for `current().check()`, for loops that stay on the calling thread.
///
/// # Errors
/// [`Interrupted`] when the current token was cancelled.
pub fn check() -> Result<(), Interrupted> {
    CURRENT.with(|c| c.borrow().check())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_flag_and_scopes_nest() {
        let t = Cancel::new();
        let seen = t.clone();
        assert_eq!(check(), Ok(()));
        with(t.clone(), || {
            assert_eq!(check(), Ok(()));
            t.cancel();
            assert_eq!(check(), Err(Interrupted));
            with(Cancel::never(), || assert_eq!(check(), Ok(())));
            assert!(current().is_cancelled());
        });
        assert!(seen.is_cancelled());
        assert_eq!(check(), Ok(()));
        Cancel::never().cancel();
        assert!(!Cancel::never().is_cancelled());
    }
}

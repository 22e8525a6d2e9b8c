//! Progress on stderr for the slow stages of a command: a spinner (or a bar when the amount of work
//! is known) only when stderr is a terminal, nothing at all when it is piped or `--quiet` is given.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Where progress goes: a live terminal, or nowhere.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Progress {
    live: bool,
}

impl Progress {
    /// Live only when stderr is a terminal and the user did not ask for quiet.
    pub(crate) fn new(quiet: bool) -> Self {
        Progress {
            live: !quiet && std::io::stderr().is_terminal(),
        }
    }

    /// Start a stage whose length is unknown: a spinner with `message`.
    pub(crate) fn stage(&self, message: &str) -> Stage {
        let bar = self.live.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message(message.to_string());
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Stage {
            bar,
            started: Instant::now(),
        }
    }

    /// Start a stage of `total` steps: a bar with `message`.
    pub(crate) fn steps(&self, message: &str, total: u64) -> Stage {
        let bar = self.live.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed}, eta {eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_message(message.to_string());
            bar
        });
        Stage {
            bar,
            started: Instant::now(),
        }
    }
}

/// A running stage; cleared from the terminal when finished or dropped.
pub(crate) struct Stage {
    bar: Option<ProgressBar>,
    started: Instant,
}

impl Stage {
    /// One step of a [`Progress::steps`] stage done.
    pub(crate) fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Clear the stage and return how long it took.
    pub(crate) fn finish(self) -> Duration {
        self.started.elapsed()
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

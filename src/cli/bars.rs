//! Progress bars on stderr (hidden when stderr is not a terminal).
use indicatif::{ProgressBar, ProgressStyle};
use newsprov::progress::Progress;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Bars {
    current: Mutex<Option<ProgressBar>>,
    /// Each stage: name, start, steps (for `train --timings`).
    log: Mutex<Vec<(String, Instant, u64)>>,
}

impl Bars {
    pub fn new() -> Self {
        Bars { current: Mutex::new(None), log: Mutex::new(Vec::new()) }
    }

    /// Stages so far with their wall time and steps; the last one runs until now.
    pub fn timings(&self) -> Vec<(String, Duration, u64)> {
        let log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        let ends = log.iter().skip(1).map(|s| s.1).chain(std::iter::once(Instant::now()));
        log.iter().zip(ends).map(|((name, start, steps), end)| (name.clone(), end - *start, *steps)).collect()
    }

    fn finish(&self) {
        if let Some(b) = self.current.lock().unwrap_or_else(|p| p.into_inner()).take() {
            b.finish_and_clear();
        }
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        self.finish();
    }
}

impl Progress for Bars {
    fn stage(&self, name: &str, total: Option<u64>) {
        self.finish();
        self.log.lock().unwrap_or_else(|p| p.into_inner()).push((name.to_string(), Instant::now(), 0));
        let bar = match total {
            Some(n) => ProgressBar::new(n).with_style(
                ProgressStyle::with_template("{msg:>16} [{bar:40}] {pos}/{len} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            ),
            None => ProgressBar::new_spinner().with_style(
                ProgressStyle::with_template("{msg:>16} {spinner} {pos} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        };
        bar.set_message(name.to_string());
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = Some(bar);
    }

    fn advance(&self, n: u64) {
        if let Some(last) = self.log.lock().unwrap_or_else(|p| p.into_inner()).last_mut() {
            last.2 += n;
        }
        if let Some(b) = self.current.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            b.inc(n);
        }
    }

    fn note(&self, message: &str) {
        match self.current.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            // A hidden bar (stderr not a terminal) would swallow the line.
            Some(b) if !b.is_hidden() => b.println(message),
            _ => eprintln!("{message}"),
        }
    }
}

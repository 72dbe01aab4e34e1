//! Progress bars on stderr (hidden when stderr is not a terminal).
use indicatif::{ProgressBar, ProgressStyle};
use newsprov::progress::Progress;
use std::sync::Mutex;

pub struct Bars {
    current: Mutex<Option<ProgressBar>>,
}

impl Bars {
    pub fn new() -> Self {
        Bars { current: Mutex::new(None) }
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

//! How long-running library work reports progress without knowing about terminals: the binary
//! passes an implementation that draws bars, tests pass [`Silent`].
/// Where long work reports its stages and steps (a progress bar, or nothing).
pub trait Progress: Sync {
    /// A new stage begins; `total` is the number of steps if known.
    fn stage(&self, name: &str, total: Option<u64>);
    /// `n` more steps of the current stage are done.
    fn advance(&self, n: u64);
    /// Say something to the user between stages.
    fn note(&self, _message: &str) {}
}

/// Progress that shows nothing.
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _: &str, _: Option<u64>) {}
    fn advance(&self, _: u64) {}
}

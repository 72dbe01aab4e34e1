//! Phrase automata: the multi-word consensus formulas and transitions, as one phrase list for the
//! shared phrase scan ([`crate::phrases`]), so the text is not scanned again for them.

use std::sync::OnceLock;

use crate::phrases::{PhraseMatcher, PhraseSet};

/// Appeals to common knowledge in place of a source (`consensus_rate`).
pub(super) const CONSENSUS_PHRASES: &[&str] = &[
    "as is well known",
    "as is known",
    "it is well known",
    "as everyone knows",
    "everyone knows",
    "it is a common view",
    "it is a common knowledge",
    "it is common knowledge",
    "it is the common view",
    "no one can deny",
    "nobody can deny",
    "none can deny",
    "it is undeniable",
    "it is an undeniable",
    "there is no denying",
    "it is no exaggeration",
    "it is not accidental",
    "it is not fortuitous",
    "it is by no means accidental",
    "it is clear that",
    "it is obvious",
    "it is self-evident",
    "it is evident",
    "it is crystal clear",
    "there is no doubt",
    "needless to say",
    "it goes without saying",
    "it is quite natural",
    "it is natural that",
    "it is nothing but",
    "this is nothing but",
    "is nothing but",
    "it is an established fact",
    "history proves",
    "history shows",
    "reality shows",
    "facts show",
    "this clearly shows",
    "this proves",
    "it is a matter of course",
    "it is no secret",
    "it is an open secret",
    "the whole world knows",
];
/// Multi-word transitions, counted with the one-word ones (`transition_rate`).
const TRANS_PHRASES: &[&str] = &[
    "in conclusion",
    "in summary",
    "to summarize",
    "to sum up",
    "all in all",
    "in addition",
    "it is important to note",
    "it's important to note",
    "it’s important to note",
    "it is worth noting",
    "it's worth noting",
    "it’s worth noting",
    "it is worth mentioning",
    "on the other hand",
    "as a result",
    "in other words",
    "in light of",
    "as such",
];

/// The consensus and transition phrases as one list (consensus first), word-bounded and
/// ASCII-case-insensitive; [`style_features_with`](super::style_features_with)
/// reads its hits.
pub fn phrase_set() -> PhraseSet {
    PhraseSet::new(CONSENSUS_PHRASES.iter().chain(TRANS_PHRASES).copied(), false)
}

/// [`phrase_set`] compiled once, for [`style_features`](super::style_features) on its own.
pub(super) fn phrase_matcher() -> &'static PhraseMatcher {
    static M: OnceLock<PhraseMatcher> = OnceLock::new();
    M.get_or_init(|| PhraseMatcher::new(&[phrase_set()]).expect("style phrases are never empty"))
}

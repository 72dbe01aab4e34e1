//! Agreement of found attributions with hand annotation: precision and recall, counted once at
//! the level of "the right source" and once requiring the mention to be bounded as annotated.

use super::{Attribution, SourceKind};
use serde::Deserialize;

/// One annotated attribution: its kind, the canonical name, and the source as the text writes
/// it (for officials and consensus, the name or phrase bounded as the annotator bounds it).
#[derive(Deserialize, Clone, Debug, PartialEq)]
pub struct GoldAttribution {
    pub kind: SourceKind,
    pub name: String,
    pub mention: String,
}

/// Matched and total counts; `source` ignores how the mention is bounded, `exact` does not.
#[derive(Default, Clone, Copy, Debug, PartialEq)]
pub struct Tally {
    pub found: usize,
    pub gold: usize,
    pub source_hits: usize,
    pub exact_hits: usize,
}

impl Tally {
    pub fn add(&mut self, o: Tally) {
        self.found += o.found;
        self.gold += o.gold;
        self.source_hits += o.source_hits;
        self.exact_hits += o.exact_hits;
    }

    /// (precision, recall) at the source level.
    pub fn source(&self) -> (f64, f64) {
        (ratio(self.source_hits, self.found), ratio(self.source_hits, self.gold))
    }

    /// (precision, recall) requiring the annotated mention.
    pub fn exact(&self) -> (f64, f64) {
        (ratio(self.exact_hits, self.found), ratio(self.exact_hits, self.gold))
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Compares one article's attributions with its annotation. A found attribution matches an
/// annotated one when the kinds agree, its span overlaps a place where the annotated mention is
/// written, and, for outlets and state media, the canonical names agree (case aside); it
/// matches exactly when its mention is also the annotated one. Each side is matched at most
/// once, annotations in order.
pub fn compare(
    text: &str,
    found: &[Attribution],
    gold: &[GoldAttribution],
    kind: Option<SourceKind>,
) -> Tally {
    let found: Vec<&Attribution> = found.iter().filter(|a| kind.is_none_or(|k| a.kind == k)).collect();
    let gold: Vec<&GoldAttribution> = gold.iter().filter(|g| kind.is_none_or(|k| g.kind == k)).collect();
    let mut t = Tally { found: found.len(), gold: gold.len(), ..Default::default() };
    for exact in [false, true] {
        let mut used = vec![false; found.len()];
        let mut hits = 0;
        for g in &gold {
            let places: Vec<(usize, usize)> =
                text.match_indices(g.mention.as_str()).map(|(i, m)| (i, i + m.len())).collect();
            let hit = found.iter().enumerate().position(|(i, a)| {
                !used[i]
                    && a.kind == g.kind
                    && places.iter().any(|&(s, e)| a.start < e && s < a.end)
                    && (matches!(a.kind, SourceKind::Official | SourceKind::Consensus)
                        || a.name.eq_ignore_ascii_case(&g.name))
                    && (!exact || a.mention == g.mention)
            });
            if let Some(i) = hit {
                used[i] = true;
                hits += 1;
            }
        }
        if exact {
            t.exact_hits = hits;
        } else {
            t.source_hits = hits;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::{Gazetteer, find_sources};

    #[test]
    fn counts_right_sources_and_exact_mentions() {
        let text = "According to Nodong Sinmun, the plan works. The spokesman, who added nothing, said so.";
        let found = find_sources(text, Gazetteer::builtin());
        let gold = vec![
            GoldAttribution {
                kind: SourceKind::Outlet,
                name: "Rodong Sinmun".into(),
                mention: "Nodong Sinmun".into(),
            },
            GoldAttribution { kind: SourceKind::Outlet, name: "KCNA".into(), mention: "the plan".into() },
        ];
        let t = compare(text, &found, &gold, Some(SourceKind::Outlet));
        assert_eq!((t.found, t.gold, t.source_hits, t.exact_hits), (1, 2, 1, 1));
        let wrong = vec![GoldAttribution {
            kind: SourceKind::Outlet,
            name: "Xinhua".into(),
            mention: "Nodong Sinmun".into(),
        }];
        assert_eq!(compare(text, &found, &wrong, Some(SourceKind::Outlet)).source_hits, 0);
    }
}

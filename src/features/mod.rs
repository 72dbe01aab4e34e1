//! From text to one sparse feature row: the bag-of-words block, the framing-lexicon block and the
//! style block, side by side in that order. Which blocks are used is part of the model.
pub mod bow;
pub mod framing;
pub mod matrix;
pub mod style;

use crate::error::{Error, Result};
use crate::text::Analyzer;
pub use bow::{BowParams, BowVectorizer};
pub use framing::{Lexicon, TermMatch};
pub use matrix::CsrMatrix;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
pub use style::{STYLE_FEATURE_NAMES, StyleScaler, style_features};

/// The one analyzer every block shares, so training and scoring can never disagree.
pub fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(Analyzer::standard)
}

/// Which feature blocks to use, as given to `--features bow,framing,style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureBlocks {
    pub bow: bool,
    pub framing: bool,
    pub style: bool,
}

impl Default for FeatureBlocks {
    fn default() -> Self {
        FeatureBlocks { bow: true, framing: true, style: true }
    }
}

impl std::str::FromStr for FeatureBlocks {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let mut b = FeatureBlocks { bow: false, framing: false, style: false };
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part {
                "bow" => b.bow = true,
                "framing" => b.framing = true,
                "style" => b.style = true,
                "all" => b = FeatureBlocks::default(),
                other => {
                    return Err(format!("unknown feature block {other:?} (expected bow, framing, style)"));
                }
            }
        }
        if !(b.bow || b.framing || b.style) {
            return Err("choose at least one feature block".into());
        }
        Ok(b)
    }
}

impl std::fmt::Display for FeatureBlocks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if self.bow {
            parts.push("bow");
        }
        if self.framing {
            parts.push("framing");
        }
        if self.style {
            parts.push("style");
        }
        f.write_str(&parts.join(","))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureParams {
    pub blocks: FeatureBlocks,
    pub bow: BowParams,
    /// Multiplies the standardised style block, setting its weight beside the others.
    pub style_scale: f32,
}

impl Default for FeatureParams {
    fn default() -> Self {
        FeatureParams { blocks: FeatureBlocks::default(), bow: BowParams::default(), style_scale: 0.1 }
    }
}

/// The style block: standardised with training means and deviations, then scaled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StyleBlock {
    pub scaler: StyleScaler,
    pub scale: f32,
}

/// What one article turns into: its feature row and the lexicon hits behind the framing block.
#[derive(Debug, Clone, Default)]
pub struct DocFeatures {
    pub row: Vec<(u32, f32)>,
    pub matches: Vec<TermMatch>,
    pub n_words: usize,
}

/// The fitted feature extractor, stored whole in the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureSpace {
    pub blocks: FeatureBlocks,
    pub bow: Option<BowVectorizer>,
    pub lexicon: Option<Lexicon>,
    pub style: Option<StyleBlock>,
}

impl FeatureSpace {
    pub fn fit(texts: &[&str], params: &FeatureParams, lexicon: Lexicon) -> Result<FeatureSpace> {
        if texts.is_empty() {
            return Err(Error::Usage("no training texts".into()));
        }
        let bow =
            if params.blocks.bow { Some(BowVectorizer::fit(texts, analyzer(), &params.bow)?) } else { None };
        let lexicon = params.blocks.framing.then_some(lexicon);
        let style = if params.blocks.style {
            if !(params.style_scale.is_finite() && params.style_scale > 0.0) {
                return Err(Error::Usage(format!("--style-scale must be > 0, got {}", params.style_scale)));
            }
            let rows: Vec<Vec<f32>> = texts.par_iter().map(|t| style_features(t)).collect();
            Some(StyleBlock { scaler: StyleScaler::fit(&rows), scale: params.style_scale })
        } else {
            None
        };
        Ok(FeatureSpace { blocks: params.blocks, bow, lexicon, style })
    }

    /// Call after deserialising: rebuilds lookup tables that are not stored.
    pub fn rebuild(&mut self) {
        if let Some(b) = &mut self.bow {
            b.rebuild_index();
        }
    }

    fn bow_width(&self) -> usize {
        self.bow.as_ref().map_or(0, |b| b.len())
    }

    fn framing_width(&self) -> usize {
        self.lexicon.as_ref().map_or(0, |l| l.n_features())
    }

    fn style_width(&self) -> usize {
        if self.style.is_some() { STYLE_FEATURE_NAMES.len() } else { 0 }
    }

    pub fn n_features(&self) -> usize {
        self.bow_width() + self.framing_width() + self.style_width()
    }

    /// A readable name for column `i`: `bow:the talks`, `framing:imperialists`, ...
    pub fn feature_name(&self, i: usize) -> String {
        let bw = self.bow_width();
        if i < bw {
            return format!("bow:{}", self.bow.as_ref().map_or("", |b| &b.terms[i]));
        }
        let fw = self.framing_width();
        if let Some(l) = &self.lexicon {
            if i - bw < fw {
                return l.feature_name(i - bw);
            }
        }
        match STYLE_FEATURE_NAMES.get(i - bw - fw) {
            Some(n) if self.style.is_some() => format!("style:{n}"),
            _ => format!("feature:{i}"),
        }
    }

    pub fn extract(&self, text: &str) -> DocFeatures {
        let a = analyzer();
        let norm = a.normalize(text);
        let mut toks = Vec::new();
        a.tokens(&norm, &mut toks);
        let mut row = Vec::new();
        if let Some(b) = &self.bow {
            b.transform_into(&toks, 0, &mut row);
        }
        let mut matches = Vec::new();
        if let Some(l) = &self.lexicon {
            matches = l.find(text);
            l.transform_into(&matches, toks.len(), self.bow_width() as u32, &mut row);
        }
        if let Some(st) = &self.style {
            let mut v = style_features(text);
            st.scaler.transform(&mut v);
            let base = (self.bow_width() + self.framing_width()) as u32;
            let entries = v.iter().enumerate().filter(|e| *e.1 != 0.0);
            row.extend(entries.map(|(i, x)| (base + i as u32, x * st.scale)));
        }
        DocFeatures { row, matches, n_words: toks.len() }
    }

    /// Feature rows of many texts, extracted in parallel, in input order.
    pub fn matrix(&self, texts: &[&str]) -> CsrMatrix {
        let rows: Vec<Vec<(u32, f32)>> = texts.par_iter().map(|t| self.extract(t).row).collect();
        CsrMatrix::from_rows(self.n_features(), rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_parse_and_print() {
        let b: FeatureBlocks = "framing".parse().unwrap();
        assert!(!b.bow && b.framing);
        assert_eq!(FeatureBlocks::default().to_string(), "bow,framing,style");
        assert!("bow,colour".parse::<FeatureBlocks>().is_err());
    }

    #[test]
    fn rows_join_blocks_in_order() {
        let texts = ["The imperialists said so.", "Key takeaways: the minister said so."];
        let fs = FeatureSpace::fit(&texts, &FeatureParams::default(), Lexicon::builtin().unwrap()).unwrap();
        let bw = fs.bow.as_ref().unwrap().len();
        let d = fs.extract(texts[0]);
        assert!(d.row.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(d.row.iter().any(|e| e.0 as usize >= bw), "framing block present");
        assert!(d.row.iter().all(|e| (e.0 as usize) < fs.n_features() && e.1.is_finite()));
        assert!(fs.feature_name(bw).starts_with("framing:"));
        let last = STYLE_FEATURE_NAMES.last().unwrap();
        assert_eq!(fs.feature_name(fs.n_features() - 1), format!("style:{last}"));
        let m = fs.matrix(&texts);
        assert_eq!(m.nrows(), 2);
        assert_eq!(m.row(0).0.len(), d.row.len());
    }
}

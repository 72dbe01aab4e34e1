//! From text to one sparse feature row: the bag-of-words block, the framing-lexicon block and the
//! style block, side by side in that order. Which blocks are used is part of the model.
pub mod bow;
pub mod framing;
pub mod masked;
pub mod matrix;
pub mod page;
mod radix;
pub mod style;
pub mod voice;
mod word_table;

use crate::error::{Error, Result};
use crate::phrases::{MatcherCell, PhraseHits, PhraseMatcher, PhraseSet};
use crate::sources::{Gazetteer, OutletHits};
use crate::text::Analyzer;
pub use bow::{BowParams, BowVectorizer};
pub use framing::{Lexicon, TermMatch};
pub use masked::{MaskedParams, MaskedVectorizer};
pub use matrix::CsrMatrix;
pub use page::PAGE_FEATURE_NAMES;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
pub use style::{
    STYLE_FEATURE_NAMES, StyleScaler, style_features, style_features_and_tokens, style_features_with,
};

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
    /// Content-masked n-grams ([`masked`]).
    pub masked: bool,
    /// Page structure: body and chrome ([`page`]).
    pub page: bool,
}

impl FeatureBlocks {
    const NONE: FeatureBlocks =
        FeatureBlocks { bow: false, framing: false, style: false, masked: false, page: false };
}

impl Default for FeatureBlocks {
    fn default() -> Self {
        FeatureBlocks { bow: true, framing: true, style: true, masked: true, page: true }
    }
}

impl std::str::FromStr for FeatureBlocks {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let mut b = FeatureBlocks::NONE;
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part {
                "bow" => b.bow = true,
                "framing" => b.framing = true,
                "style" => b.style = true,
                "masked" => b.masked = true,
                "page" => b.page = true,
                "all" => b = FeatureBlocks::default(),
                other => {
                    return Err(format!(
                        "unknown feature block {other:?} (expected bow, framing, style, masked, page)"
                    ));
                }
            }
        }
        if b == FeatureBlocks::NONE {
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
        if self.masked {
            parts.push("masked");
        }
        if self.page {
            parts.push("page");
        }
        f.write_str(&parts.join(","))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureParams {
    pub blocks: FeatureBlocks,
    pub bow: BowParams,
    /// Multiplies the standardised style (and page) block, setting its weight beside the others.
    pub style_scale: f32,
    pub masked: MaskedParams,
}

impl Default for FeatureParams {
    fn default() -> Self {
        FeatureParams {
            blocks: FeatureBlocks::default(),
            bow: BowParams::default(),
            style_scale: 0.1,
            masked: MaskedParams::default(),
        }
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
    /// The page may hold several stories ([`page::may_hold_stories`]): worth cutting it up.
    pub may_hold_stories: bool,
}

/// The fitted feature extractor, stored whole in the model. Columns: bag of words, framing,
/// style, masked n-grams, page structure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureSpace {
    pub blocks: FeatureBlocks,
    pub bow: Option<BowVectorizer>,
    pub lexicon: Option<Lexicon>,
    pub style: Option<StyleBlock>,
    pub masked: Option<MaskedVectorizer>,
    pub page: Option<StyleBlock>,
    /// The phrase lists of [`FeatureSpace::scan`], compiled on first use.
    #[serde(skip)]
    phrases: MatcherCell,
}

/// Phrase lists of a [`FeatureSpace::scan`], by position: the lexicon, the style phrases, then
/// the built-in gazetteer's three lists, so that `score` finds framing terms, style phrases and
/// cited outlets in one pass over each article.
const LEXICON_SET: usize = 0;
const STYLE_SET: usize = 1;
const OUTLET_SETS: usize = 2;

fn phrase_sets(lexicon: Option<&Lexicon>, with_outlets: bool) -> Vec<PhraseSet> {
    let mut sets = vec![lexicon.map(Lexicon::phrase_set).unwrap_or_default(), style::phrase_set()];
    if with_outlets {
        sets.extend(Gazetteer::builtin().phrase_sets());
    }
    sets
}

fn phrase_matcher(lexicon: Option<&Lexicon>, with_outlets: bool) -> PhraseMatcher {
    PhraseMatcher::new(&phrase_sets(lexicon, with_outlets)).expect("lexicon and phrase lists are never empty")
}

/// The built-in lexicon, parsed once.
fn builtin_lexicon() -> Option<&'static Lexicon> {
    static L: OnceLock<Option<Lexicon>> = OnceLock::new();
    L.get_or_init(|| Lexicon::builtin().ok()).as_ref()
}

/// [`FeatureSpace::scan`]'s phrase lists for a model with the built-in lexicon (the default),
/// compiled once per process. Compiling takes about 10 ms, as long as loading a model, so
/// `score` starts it on another thread before it loads the model
/// ([`compile_builtin_phrases`]); a model with this lexicon then takes the result.
fn builtin_phrases() -> Option<&'static PhraseMatcher> {
    static M: OnceLock<Option<PhraseMatcher>> = OnceLock::new();
    M.get_or_init(|| builtin_lexicon().map(|l| phrase_matcher(Some(l), true))).as_ref()
}

/// Compiles the built-in phrase lists now (see [`FeatureSpace::rebuild`]); call it on a
/// spare thread while a model loads.
pub fn compile_builtin_phrases() {
    builtin_phrases();
}

/// One document's raw values of the blocks after the framing block, before scaling; a block not
/// in use has an empty vector.
struct RawBlocks {
    style: Vec<f32>,
    masked: Vec<(u32, u32)>,
    page: Vec<f32>,
}

/// The style block's raw values (when `style`) and the masked block's column counts (when
/// `masked` gives its buckets and longest n-gram) of one text, from one scan of it.
fn style_and_masked(
    text: &str,
    style_hits: &[crate::phrases::Hit],
    style: bool,
    masked: Option<(u32, u8)>,
) -> (Vec<f32>, Vec<(u32, u32)>) {
    thread_local! {
        static IDS: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let Some((buckets, max_n)) = masked else {
        return (if style { style_features_with(text, style_hits) } else { Vec::new() }, Vec::new());
    };
    IDS.with(|ids| {
        let ids = &mut *ids.borrow_mut();
        ids.clear();
        let values = style_features_and_tokens(text, style_hits, ids);
        (if style { values } else { Vec::new() }, masked::token_counts(ids, buckets, max_n))
    })
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
        let masked = params.blocks.masked.then(|| {
            params.masked.validate()?;
            let docs: Vec<Vec<(u32, u32)>> = texts
                .par_iter()
                .map(|t| masked::doc_counts(t, params.masked.buckets, params.masked.max_n))
                .collect();
            Ok::<_, Error>(MaskedVectorizer::fit(&docs, &params.masked))
        });
        let masked = masked.transpose()?;
        let page = params.blocks.page.then(|| {
            let rows: Vec<Vec<f32>> = texts.par_iter().map(|t| page::page_features(t).0).collect();
            StyleBlock { scaler: StyleScaler::fit(&rows), scale: params.style_scale }
        });
        Ok(FeatureSpace {
            blocks: params.blocks,
            bow,
            lexicon,
            style,
            masked,
            page,
            phrases: MatcherCell::default(),
        })
    }

    /// [`fit`](Self::fit) followed by [`matrix`](Self::matrix) on the same texts, with the same
    /// result, but each text is tokenized once: one parallel pass counts the vocabulary and keeps
    /// the token keys, the lexicon matches and the raw style values; a second builds the rows.
    pub fn fit_matrix(
        texts: &[&str],
        params: &FeatureParams,
        lexicon: Lexicon,
    ) -> Result<(FeatureSpace, CsrMatrix)> {
        if texts.is_empty() {
            return Err(Error::Usage("no training texts".into()));
        }
        let blocks = params.blocks;
        if blocks.bow {
            params.bow.validate()?;
        }
        if (blocks.style || blocks.page) && !(params.style_scale.is_finite() && params.style_scale > 0.0) {
            return Err(Error::Usage(format!("--style-scale must be > 0, got {}", params.style_scale)));
        }
        if blocks.masked {
            params.masked.validate()?;
        }
        let lexicon = blocks.framing.then_some(lexicon);
        // Pass 1, per chunk of documents, in document order.
        struct Chunk {
            keys: Vec<u64>,
            /// End of each document's keys in `keys`.
            ends: Vec<usize>,
            n_words: Vec<usize>,
            matches: Vec<Vec<TermMatch>>,
            style: Vec<Vec<f32>>,
            masked: Vec<Vec<(u32, u32)>>,
            page: Vec<Vec<f32>>,
        }
        let a = analyzer();
        let phrases = phrase_matcher(lexicon.as_ref(), false);
        let mut table = bow::DfTable::default();
        let mut chunks: Vec<Chunk> = Vec::with_capacity(texts.len().div_ceil(bow::CHUNK));
        for wave in texts.chunks(bow::CHUNK * bow::WAVE) {
            let (counts, done): (Vec<Option<bow::ChunkCounts>>, Vec<Chunk>) = wave
                .par_chunks(bow::CHUNK)
                .map(|docs| {
                    let mut df = bow::ChunkDf::default();
                    let mut c = Chunk {
                        keys: Vec::new(),
                        ends: Vec::with_capacity(docs.len()),
                        n_words: Vec::with_capacity(docs.len()),
                        matches: Vec::with_capacity(docs.len()),
                        style: Vec::with_capacity(docs.len()),
                        masked: Vec::with_capacity(docs.len()),
                        page: Vec::with_capacity(docs.len()),
                    };
                    for text in docs {
                        let norm = a.normalize(text);
                        let mut toks = Vec::new();
                        a.tokens(&norm, &mut toks);
                        if blocks.bow {
                            df.add_doc(&toks, &mut c.keys);
                        }
                        c.ends.push(c.keys.len());
                        c.n_words.push(toks.len());
                        let hits = phrases.scan(text);
                        c.matches.push(
                            lexicon
                                .as_ref()
                                .map(|l| l.find_in(text, hits.set(LEXICON_SET)))
                                .unwrap_or_default(),
                        );
                        let masked = blocks.masked.then_some((params.masked.buckets, params.masked.max_n));
                        let (style, masked) =
                            style_and_masked(text, hits.set(STYLE_SET), blocks.style, masked);
                        if blocks.style {
                            c.style.push(style);
                        }
                        if blocks.masked {
                            c.masked.push(masked);
                        }
                        if blocks.page {
                            c.page.push(page::page_features(text).0);
                        }
                    }
                    (blocks.bow.then(|| df.finish()), c)
                })
                .unzip();
            if blocks.bow {
                table.merge(counts.into_iter().flatten().collect());
            }
            chunks.extend(done);
        }
        let bow = if blocks.bow { Some(BowVectorizer::from_table(&table, &params.bow)?) } else { None };
        drop(table);
        let style = if blocks.style {
            let rows: Vec<&[f32]> = chunks.iter().flat_map(|c| c.style.iter().map(Vec::as_slice)).collect();
            Some(StyleBlock { scaler: StyleScaler::fit_rows(&rows), scale: params.style_scale })
        } else {
            None
        };
        let masked = blocks.masked.then(|| {
            let docs: Vec<Vec<(u32, u32)>> = chunks.iter().flat_map(|c| c.masked.iter().cloned()).collect();
            MaskedVectorizer::fit(&docs, &params.masked)
        });
        let page = blocks.page.then(|| {
            let rows: Vec<&[f32]> = chunks.iter().flat_map(|c| c.page.iter().map(Vec::as_slice)).collect();
            StyleBlock { scaler: StyleScaler::fit_rows(&rows), scale: params.style_scale }
        });
        let fs = FeatureSpace { blocks, bow, lexicon, style, masked, page, phrases: MatcherCell::default() };
        // Pass 2: the rows, exactly as `extract` builds them.
        let parts: Vec<CsrMatrix> = chunks
            .into_par_iter()
            .map(|mut c| {
                let mut m = CsrMatrix::new(fs.n_features());
                let mut row = Vec::new();
                let mut start = 0;
                for d in 0..c.ends.len() {
                    row.clear();
                    // A block not in use has no values: its vector is empty.
                    let raw = RawBlocks {
                        style: c.style.get_mut(d).map(std::mem::take).unwrap_or_default(),
                        masked: c.masked.get_mut(d).map(std::mem::take).unwrap_or_default(),
                        page: c.page.get_mut(d).map(std::mem::take).unwrap_or_default(),
                    };
                    fs.assemble(
                        &mut row,
                        |b, row| b.transform_keys_into(&c.keys[start..c.ends[d]], 0, row),
                        &c.matches[d],
                        c.n_words[d],
                        raw,
                    );
                    start = c.ends[d];
                    m.push_row(&row);
                }
                m
            })
            .collect();
        let x = CsrMatrix::vstack(fs.n_features(), &parts);
        Ok((fs, x))
    }

    /// Call after deserialising: rebuilds lookup tables that are not stored, and compiles the
    /// phrase lists at the same time (both take milliseconds, and every prediction needs both).
    pub fn rebuild(&mut self) {
        let FeatureSpace { bow, lexicon, phrases, .. } = self;
        let compile = || {
            match (lexicon.as_ref(), builtin_lexicon()) {
                (Some(l), Some(b)) if l == b => builtin_phrases().cloned(),
                _ => None,
            }
            .unwrap_or_else(|| phrase_matcher(lexicon.as_ref(), true))
        };
        rayon::join(|| bow.as_mut().map(BowVectorizer::rebuild_index), || phrases.get_or_init(compile));
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

    fn masked_width(&self) -> usize {
        self.masked.as_ref().map_or(0, |m| m.len())
    }

    fn page_width(&self) -> usize {
        if self.page.is_some() { PAGE_FEATURE_NAMES.len() } else { 0 }
    }

    pub fn n_features(&self) -> usize {
        self.bow_width() + self.framing_width() + self.style_width() + self.masked_width() + self.page_width()
    }

    /// Where the masked block's columns start (for explanations).
    pub fn masked_offset(&self) -> usize {
        self.bow_width() + self.framing_width() + self.style_width()
    }

    /// A readable name for column `i`: `bow:the talks`, `framing:imperialists`, ...
    pub fn feature_name(&self, i: usize) -> String {
        let bw = self.bow_width();
        if i < bw {
            return format!("bow:{}", self.bow.as_ref().map_or("", |b| &b.terms[i]));
        }
        let fw = self.framing_width();
        if let Some(l) = &self.lexicon
            && i - bw < fw
        {
            return l.feature_name(i - bw);
        }
        let sw = self.style_width();
        if i - bw - fw < sw {
            return format!("style:{}", STYLE_FEATURE_NAMES[i - bw - fw]);
        }
        let mw = self.masked_width();
        let j = i - bw - fw - sw;
        if j < mw {
            return format!("masked:#{j}");
        }
        match PAGE_FEATURE_NAMES.get(j - mw) {
            Some(n) if self.page.is_some() => format!("page:{n}"),
            _ => format!("feature:{i}"),
        }
    }

    /// One pass for every phrase list: the lexicon's, the style block's and the built-in
    /// gazetteer's (read the last with [`outlet_hits`](Self::outlet_hits)).
    pub fn scan(&self, text: &str) -> PhraseHits {
        self.phrases.get_or_init(|| phrase_matcher(self.lexicon.as_ref(), true)).scan(text)
    }

    /// The built-in gazetteer's matches in a [`scan`](Self::scan).
    pub fn outlet_hits<'a>(&self, hits: &'a PhraseHits) -> OutletHits<'a> {
        OutletHits::from_sets(hits, OUTLET_SETS)
    }

    pub fn extract(&self, text: &str) -> DocFeatures {
        self.extract_scanned(text, &self.scan(text))
    }

    /// [`extract`](Self::extract), given the [`scan`](Self::scan) of `text`.
    pub fn extract_scanned(&self, text: &str, hits: &PhraseHits) -> DocFeatures {
        let a = analyzer();
        let norm = a.normalize(text);
        let mut toks = Vec::new();
        a.tokens(&norm, &mut toks);
        // About two entries per word (bow, masked n-grams): grown once, not doubled five times.
        let mut row = Vec::with_capacity(2 * toks.len() + 256);
        let matches =
            self.lexicon.as_ref().map(|l| l.find_in(text, hits.set(LEXICON_SET))).unwrap_or_default();
        let masked = self.masked.as_ref().map(|m| (m.buckets, m.max_n));
        let (style, masked) = style_and_masked(text, hits.set(STYLE_SET), self.style.is_some(), masked);
        let (page, may_hold_stories) = if self.page.is_some() {
            page::page_features(text)
        } else {
            (Vec::new(), page::may_hold_stories(text.lines().map(|l| (l.trim(), page::is_chrome_line(l)))))
        };
        self.assemble(
            &mut row,
            |b, row| b.transform_into(&toks, 0, row),
            &matches,
            toks.len(),
            RawBlocks { style, masked, page },
        );
        DocFeatures { row, matches, n_words: toks.len(), may_hold_stories }
    }

    /// Appends one document's row: the bag-of-words block (written by `bow`), the framing block
    /// from the lexicon matches, and the style, masked and page blocks from their raw values.
    fn assemble(
        &self,
        row: &mut Vec<(u32, f32)>,
        bow: impl FnOnce(&BowVectorizer, &mut Vec<(u32, f32)>),
        matches: &[TermMatch],
        n_words: usize,
        raw: RawBlocks,
    ) {
        let RawBlocks { style: mut style_values, masked: masked_counts, page: mut page_values } = raw;
        if let Some(b) = &self.bow {
            bow(b, row);
        }
        if let Some(l) = &self.lexicon {
            l.transform_into(matches, n_words, self.bow_width() as u32, row);
        }
        if let Some(st) = &self.style {
            st.scaler.transform(&mut style_values);
            let base = (self.bow_width() + self.framing_width()) as u32;
            let entries = style_values.iter().enumerate().filter(|e| *e.1 != 0.0);
            row.extend(entries.map(|(i, x)| (base + i as u32, x * st.scale)));
        }
        if let Some(m) = &self.masked {
            m.transform_counts_into(&masked_counts, self.masked_offset() as u32, row);
        }
        if let Some(pg) = &self.page {
            pg.scaler.transform(&mut page_values);
            let base = (self.masked_offset() + self.masked_width()) as u32;
            let entries = page_values.iter().enumerate().filter(|e| *e.1 != 0.0);
            row.extend(entries.map(|(i, x)| (base + i as u32, x * pg.scale)));
        }
    }

    /// Feature rows of many texts, extracted in parallel, in input order.
    pub fn matrix(&self, texts: &[&str]) -> CsrMatrix {
        let parts: Vec<CsrMatrix> = texts
            .par_chunks(bow::CHUNK)
            .map(|chunk| {
                let mut m = CsrMatrix::new(self.n_features());
                for t in chunk {
                    m.push_row(&self.extract(t).row);
                }
                m
            })
            .collect();
        CsrMatrix::vstack(self.n_features(), &parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_parse_and_print() {
        let b: FeatureBlocks = "framing".parse().unwrap();
        assert!(!b.bow && b.framing);
        assert_eq!(FeatureBlocks::default().to_string(), "bow,framing,style,masked,page");
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
        let last = PAGE_FEATURE_NAMES.last().unwrap();
        assert_eq!(fs.feature_name(fs.n_features() - 1), format!("page:{last}"));
        let m = fs.matrix(&texts);
        assert_eq!(m.nrows(), 2);
        assert_eq!(m.row(0).0.len(), d.row.len());
    }

    /// One pass (`fit_matrix`) gives the same feature space and rows as `fit` then `matrix`,
    /// whatever blocks are used, on more texts than one counting chunk holds.
    #[test]
    fn fit_matrix_equals_fit_then_matrix() {
        let words = ["the", "imperialists", "said", "talks", "Key", "takeaways:", "minister", "we", "very"];
        let texts: Vec<String> = (0..1300)
            .map(|i| {
                let n = 3 + i % 17;
                let mut s: Vec<&str> = (0..n).map(|j| words[(i * 7 + j * j * 3 + j) % words.len()]).collect();
                if i % 5 == 0 {
                    s.push("\n\nRead more");
                }
                s.join(if i % 3 == 0 { " " } else { ", " }) + "."
            })
            .collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        for blocks in ["bow,framing,style", "bow", "framing", "style", "framing,style", "all", "masked,page"]
        {
            let p = FeatureParams { blocks: blocks.parse().unwrap(), ..Default::default() };
            let lex = Lexicon::builtin().unwrap();
            let fs = FeatureSpace::fit(&texts, &p, lex.clone()).unwrap();
            let (fs2, x2) = FeatureSpace::fit_matrix(&texts, &p, lex).unwrap();
            assert_eq!(fs, fs2, "{blocks}");
            assert_eq!(fs.matrix(&texts), x2, "{blocks}");
        }
    }
}

/// Property tests from the robustness work: any string gives a well-formed, finite row whose bag
/// of words block has L2 norm 1 (or 0 when no vocabulary term occurs).
#[cfg(test)]
mod robustness_props {
    use super::*;
    use proptest::prelude::*;

    const VOCAB: &[&str] = &[
        "imperialists",
        "respected",
        "comrade",
        "said",
        "officials",
        "told",
        "reporters",
        "key",
        "takeaways",
        "Monday",
        "Pyongyang",
        "KCNA",
        "according",
        "statement",
        "trending",
    ];

    fn space() -> &'static FeatureSpace {
        static S: OnceLock<FeatureSpace> = OnceLock::new();
        S.get_or_init(|| {
            let texts = [
                "The imperialists, the respected Comrade said, KCNA reported from Pyongyang.",
                "Officials told reporters on Monday, according to a statement.",
                "Key takeaways: trending now, the officials said. Read more.",
                "PYONGYANG, May 3 (KCNA) -- The respected comrade said the imperialists failed.",
            ];
            let params =
                FeatureParams { bow: BowParams { min_df: 1, ..Default::default() }, ..Default::default() };
            FeatureSpace::fit(&texts, &params, Lexicon::builtin().expect("built-in lexicon"))
                .expect("features fit on fixed texts")
        })
    }

    fn check(text: &str) -> std::result::Result<(), TestCaseError> {
        let fs = space();
        let d = fs.extract(text);
        let n = fs.n_features() as u32;
        prop_assert!(d.row.windows(2).all(|w| w[0].0 < w[1].0), "columns strictly increase");
        prop_assert!(d.row.iter().all(|&(c, v)| c < n && v.is_finite()), "{:?}", d.row);
        let bw = fs.bow.as_ref().map_or(0, |b| b.len()) as u32;
        let norm: f32 = d.row.iter().filter(|e| e.0 < bw).map(|e| e.1 * e.1).sum::<f32>().sqrt();
        prop_assert!(norm == 0.0 || (norm - 1.0).abs() < 1e-4, "bow L2 norm {norm}");
        for m in &d.matches {
            prop_assert!(m.start < m.end && m.end <= text.len());
            prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_string_gives_a_finite_row(s in any::<String>()) {
            check(&s)?;
        }

        #[test]
        fn vocabulary_text_gives_a_unit_bow_block(
            words in prop::collection::vec(prop::sample::select(VOCAB), 1..60),
            noise in any::<String>(),
            seps in prop::collection::vec(prop::sample::select(&[" ", ", ", ".\n", "; ", " -- "][..]), 1..60),
        ) {
            let mut text = String::new();
            for (i, w) in words.iter().enumerate() {
                text.push_str(w);
                text.push_str(seps[i % seps.len()]);
            }
            let d = space().extract(&text);
            let bw = space().bow.as_ref().map_or(0, |b| b.len()) as u32;
            prop_assert!(d.row.iter().any(|e| e.0 < bw), "a vocabulary word gives a bow entry");
            check(&text)?;
            text.push_str(&noise);
            check(&text)?;
        }
    }
}

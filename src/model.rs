//! The model file: everything needed to score, in one checksummed file, and the model built into
//! the binary.
//!
//! Layout: `NEWSPROV` magic, format version (u32 LE), payload length (u64 LE), sha256 of the
//! payload, then the payload in postcard. Weights are f32 so the default model stays small.
use crate::corpus::Label;
use crate::error::{Error, Result};
use crate::features::{DocFeatures, FeatureParams, FeatureSpace, TermMatch};
use crate::metrics::Report;
use crate::phrases::PhraseHits;
use crate::solver::{LinearModel, ValidLogisticParams, argmax};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// The model file format this newsprov reads and writes. 4: the masked block's token stream
/// comes from the style scan (a format-3 model would read different masked columns).
pub const FORMAT_VERSION: u32 = 4;
const MAGIC: &[u8; 8] = b"NEWSPROV";
const HEADER_LEN: usize = 8 + 4 + 8 + 32;

/// The default model, trained on the corpus's train.csv (see models/README.md).
static BUILTIN: &[u8] = include_bytes!("../models/default.npm");

/// What the training run saw: enough to tell where a model came from and how good it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingSummary {
    /// Training rows per label (before augmentation).
    pub rows_per_class: BTreeMap<String, usize>,
    /// Rows left out with `--skip-invalid`.
    pub skipped_rows: usize,
    /// The training file's name.
    pub train_file: String,
    /// The training file's sha256.
    pub train_sha256: String,
    /// The dev file's name, when one was given.
    pub dev_file: Option<String>,
    /// Metrics on the dev set.
    pub dev: Option<Report>,
    /// The temperature fit on the dev set, with calibration error before and after.
    pub calibration: Option<crate::calibrate::CalibrationSummary>,
    /// Aggregator rows added with page chrome (see `augment`).
    pub augmented_rows: usize,
    /// Per-class loss weights used, in label order.
    pub class_weight: [f64; Label::COUNT],
    /// House-style attribution on dev: rows and top-1 accuracy per outlet.
    pub reads_like_dev: BTreeMap<String, (usize, f64)>,
    /// The temperature in use when it was fitted on held-out outlets rather than on dev.
    pub held_out_temperature: Option<f32>,
}

/// A trained model: the feature space, the weights, the calibration and where it came from.
/// Its parts must agree with one another (the weights with the features, the lexicon with its
/// hash), so they are read through methods and changed only by training, calibration and
/// [`Model::from_bytes`], which checks them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub(crate) format_version: u32,
    pub(crate) crate_version: String,
    pub(crate) labels: Vec<String>,
    pub(crate) features: FeatureSpace,
    pub(crate) linear: LinearModel,
    /// Divides the logits before the softmax; 1 until calibrated.
    pub(crate) temperature: f32,
    pub(crate) feature_params: FeatureParams,
    pub(crate) logistic_params: ValidLogisticParams,
    pub(crate) summary: TrainingSummary,
    /// Which known outlet an article reads like (None: trained without it).
    pub(crate) house_style: Option<crate::reads_like::HouseStyle>,
}

/// One article's verdict.
#[derive(Debug, Clone)]
pub struct Prediction {
    /// The most likely label.
    pub label: Label,
    /// Each label's probability, in label order.
    pub probabilities: [f32; Label::COUNT],
    /// The article's feature row and framing-term matches.
    pub features: DocFeatures,
    /// On a page of several stories ([`crate::features::page::stories`]), each story's verdict;
    /// the page's probabilities are their mean. Empty for a single article.
    pub stories: Vec<StoryVerdict>,
}

/// One story's verdict on a page of several: the story, and the prediction on its body.
#[derive(Debug, Clone)]
pub struct StoryVerdict {
    /// Where the story is and what it holds (headline, body, credit lines).
    pub story: crate::features::page::Story,
    /// The verdict on its body (with its features, which `explain` shows).
    pub verdict: Prediction,
}

impl Prediction {
    /// The probability of the chosen label.
    pub fn confidence(&self) -> f32 {
        self.probabilities[self.label.index()]
    }
}

impl Model {
    /// The model file's format version.
    pub fn format_version(&self) -> u32 {
        self.format_version
    }

    /// The newsprov version that wrote the model.
    pub fn crate_version(&self) -> &str {
        &self.crate_version
    }

    /// The labels, in the order of every probability and weight array.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// How text becomes a feature row: vocabulary, lexicon, style scaler.
    pub fn features(&self) -> &FeatureSpace {
        &self.features
    }

    /// The weights and intercepts.
    pub fn linear(&self) -> &LinearModel {
        &self.linear
    }

    /// Divides the logits before the softmax; 1 until calibrated on a dev set.
    pub fn temperature(&self) -> f32 {
        self.temperature
    }

    /// The feature options the model was trained with.
    pub fn feature_params(&self) -> &FeatureParams {
        &self.feature_params
    }

    /// The solver options the model was trained with.
    pub fn logistic_params(&self) -> &ValidLogisticParams {
        &self.logistic_params
    }

    /// What the training run saw: data hash, rows per class, dev metrics, calibration.
    pub fn summary(&self) -> &TrainingSummary {
        &self.summary
    }

    /// The house-style centroids behind [`Model::reads_like`], if the model has them.
    pub fn house_style(&self) -> Option<&crate::reads_like::HouseStyle> {
        self.house_style.as_ref()
    }

    /// Raw class scores, before temperature and softmax.
    pub fn logits(&self, text: &str) -> [f32; Label::COUNT] {
        self.linear.logits(&self.features.extract(text).row)
    }

    /// The verdict on one article.
    pub fn predict(&self, text: &str) -> Prediction {
        self.predict_scanned(text, &self.features.scan(text))
    }

    /// [`predict`](Self::predict), given the phrase scan of `text` ([`FeatureSpace::scan`]).
    ///
    /// A page of several stories is judged story by story, each by its body, and gets the mean
    /// of their probabilities: read as one text, a digest of short rewrites looks like one long
    /// report.
    pub fn predict_scanned(&self, text: &str, hits: &PhraseHits) -> Prediction {
        let features = self.features.extract_scanned(text, hits);
        let stories: Vec<StoryVerdict> = if features.may_hold_stories {
            let split = crate::features::page::stories(text);
            split
                .into_iter()
                .map(|story| StoryVerdict { verdict: self.predict(&story.body), story })
                .collect()
        } else {
            Vec::new()
        };
        let probabilities = if stories.is_empty() {
            self.linear.probabilities(&features.row, self.temperature)
        } else {
            let mut mean = [0.0f32; Label::COUNT];
            for s in &stories {
                for (m, p) in mean.iter_mut().zip(s.verdict.probabilities) {
                    *m += p / stories.len() as f32;
                }
            }
            mean
        };
        let label = Label::ALL[argmax(&probabilities)];
        Prediction { label, probabilities, features, stories }
    }

    /// The known outlets whose house style the article's features are closest to (empty when
    /// none is likely, or when the model has no house-style centroids).
    pub fn reads_like(&self, features: &DocFeatures) -> Vec<crate::reads_like::ReadsLike> {
        self.house_style.as_ref().map(|h| h.reads_like(&self.features, features)).unwrap_or_default()
    }

    /// Many articles in parallel, results in input order.
    pub fn predict_many(&self, texts: &[&str]) -> Vec<Prediction> {
        texts.par_iter().map(|t| self.predict(t)).collect()
    }

    /// Framing terms found, with counts, in lexicon order.
    pub fn term_counts(&self, matches: &[TermMatch]) -> Vec<(&str, Label, u32)> {
        match &self.features.lexicon {
            Some(l) => l
                .counts(matches)
                .into_iter()
                .map(|(t, c)| (l.terms[t].term.as_str(), l.terms[t].class, c))
                .collect(),
            None => Vec::new(),
        }
    }

    /// The model file's bytes (header, checksum, payload).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let payload =
            postcard::to_allocvec(self).map_err(|e| Error::Internal(format!("encoding model: {e}")))?;
        let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&Sha256::digest(&payload));
        out.extend_from_slice(&payload);
        Ok(out)
    }

    /// Parses a model file's bytes; `name` is what errors call it.
    pub fn from_bytes(bytes: &[u8], name: &str) -> Result<Model> {
        let bad = |m: String| Error::model(name, m);
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err(bad("not a newsprov model file (wrong magic bytes)".into()));
        }
        if bytes.len() < HEADER_LEN {
            return Err(bad("truncated: the header is incomplete".into()));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().unwrap_or([0; 4]));
        if version != FORMAT_VERSION {
            return Err(bad(format!(
                "format version {version}, but this newsprov {} reads version {FORMAT_VERSION}; retrain it with this version",
                env!("CARGO_PKG_VERSION")
            )));
        }
        let len = u64::from_le_bytes(bytes[12..20].try_into().unwrap_or([0; 8])) as usize;
        let payload = &bytes[HEADER_LEN..];
        if payload.len() != len {
            return Err(bad(format!(
                "truncated or padded: {} payload bytes, the header says {len}",
                payload.len()
            )));
        }
        // Decoding untrusted bytes is safe (postcard only parses), so it runs beside the checksum.
        let (digest, decoded) =
            rayon::join(|| Sha256::digest(payload), || postcard::from_bytes::<Model>(payload));
        if digest.as_slice() != &bytes[20..52] {
            return Err(bad("damaged: checksum mismatch".into()));
        }
        let mut m = decoded.map_err(|e| bad(format!("damaged: {e}")))?;
        m.check().map_err(bad)?;
        // Use the lexicon rebuilt from its terms (checked equal above), never stored indices.
        if let Some(l) = &m.features.lexicon {
            m.features.lexicon = Some(crate::features::Lexicon::from_terms(l.terms.clone()));
        }
        m.features.rebuild();
        Ok(m)
    }

    /// Internal consistency, so a hand-edited file cannot make scoring index out of bounds.
    fn check(&self) -> std::result::Result<(), String> {
        let d = self.features.n_features();
        let lin = &self.linear;
        if lin.n_features != d || lin.weights.len() != d * Label::COUNT || lin.bias.len() != Label::COUNT {
            return Err(format!("inconsistent: {d} features but weights for {}", lin.n_features));
        }
        if let Some(b) = &self.features.bow
            && b.idf.len() != b.terms.len()
        {
            return Err("inconsistent vocabulary and IDF lengths".into());
        }
        if !self.temperature.is_finite() || self.temperature <= 0.0 {
            return Err("invalid temperature".into());
        }
        if let Some(h) = &self.house_style {
            h.check()?;
            if h.dim != crate::reads_like::dim_of(&self.features) {
                return Err("inconsistent: house-style centroids for another feature space".into());
            }
        }
        // Finite and bounded, so no logit can overflow to infinity or NaN.
        // (NaN and infinities fail `abs() <= 1e6` too; no short cut, so the loop vectorizes.)
        let bounded = |v: &[f32]| v.iter().fold(true, |ok, x| ok & (x.abs() <= 1e6));
        if !bounded(&lin.weights) || !bounded(&lin.bias) {
            return Err("damaged: weights out of range".into());
        }
        if let Some(b) = &self.features.bow
            && !bounded(&b.idf)
        {
            return Err("damaged: IDF out of range".into());
        }
        if let Some(st) = &self.features.style {
            let n = crate::features::STYLE_FEATURE_NAMES.len();
            if st.scaler.mean.len() != n || st.scaler.std.len() != n {
                return Err(format!(
                    "inconsistent: style scaler for {} features, not {n}",
                    st.scaler.mean.len()
                ));
            }
            if !bounded(&st.scaler.mean) || !bounded(&st.scaler.std) || !bounded(&[st.scale]) {
                return Err("damaged: style scaler out of range".into());
            }
        }
        if let Some(l) = &self.features.lexicon {
            if l.terms.iter().any(|t| t.term.is_empty()) {
                return Err("damaged: empty lexicon term".into());
            }
            // The term-to-category table is derived from the terms: rebuilt, it must give the
            // same categories (and so the same feature columns) as stored.
            let rebuilt = crate::features::Lexicon::from_terms(l.terms.clone());
            if rebuilt.categories != l.categories || rebuilt.hash != l.hash {
                return Err("inconsistent: lexicon categories or hash do not match its terms".into());
            }
        }
        Ok(())
    }

    /// Reads and checks a model file.
    pub fn load(path: &Path) -> Result<Model> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Model::from_bytes(&bytes, &path.display().to_string())
    }

    /// The model compiled into the binary.
    pub fn builtin() -> Result<Model> {
        if BUILTIN.is_empty() {
            return Err(Error::model("(built-in)", "this build has no default model; pass --model"));
        }
        Model::from_bytes(BUILTIN, "(built-in)")
    }

    /// Writes to a temporary file beside `path` and renames it, so a crash never leaves half a
    /// model where a good one was.
    pub fn save(&self, path: &Path) -> Result<()> {
        let bytes = self.to_bytes()?;
        crate::atomic::write_atomically(path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A well-formed file (right checksum) with weights no logit may use is refused.
    #[test]
    fn out_of_range_weights_are_refused() {
        let m = Model::builtin().expect("built-in model");
        assert!(Model::from_bytes(&m.to_bytes().unwrap(), "ok").is_ok());
        for bad in [f32::NAN, f32::INFINITY, -f32::INFINITY, 2e6] {
            let mut damaged = m.clone();
            let last = damaged.linear.weights.len() - 1;
            damaged.linear.weights[last] = bad;
            match Model::from_bytes(&damaged.to_bytes().unwrap(), "bad") {
                Ok(_) => panic!("a weight of {bad} was accepted"),
                Err(e) => assert!(e.to_string().contains("weights out of range"), "{bad}: {e}"),
            }
        }
    }
}

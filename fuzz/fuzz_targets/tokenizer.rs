//! The analyzer (NFKC, lowercase, words) and the whole feature extractor behind the built-in
//! model: no panic on any string, tokens within bounds, probabilities finite and summing to 1.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsprov::features::analyzer;
use std::sync::OnceLock;

fn model() -> &'static newsprov::Model {
    static M: OnceLock<newsprov::Model> = OnceLock::new();
    M.get_or_init(|| newsprov::Model::builtin().expect("the built-in model loads"))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let a = analyzer();
    let norm = a.normalize(&text);
    let mut toks = Vec::new();
    a.tokens(&norm, &mut toks);
    assert!(toks.iter().all(|t| !t.is_empty() && t.len() <= 40 && !t.contains(char::is_whitespace)));
    let p = model().predict(&text);
    assert!(p.probabilities.iter().all(|x| x.is_finite() && *x >= 0.0));
    let sum: f32 = p.probabilities.iter().sum();
    assert!((sum - 1.0).abs() < 1e-3, "{sum}");
    let n = model().features().n_features() as u32;
    assert!(p.features.row.iter().all(|&(c, v)| c < n && v.is_finite()));
    for m in &p.features.matches {
        assert!(m.start < m.end && m.end <= text.len());
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
    }
});

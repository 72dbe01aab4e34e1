//! The framing lexicon: parsing a lexicon CSV and matching terms. Input: lexicon CSV, a NUL
//! byte, then the text (no NUL: the built-in lexicon on the whole input).
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsprov::features::Lexicon;
use std::sync::OnceLock;

fn builtin() -> &'static Lexicon {
    static L: OnceLock<Lexicon> = OnceLock::new();
    L.get_or_init(|| Lexicon::builtin().expect("the built-in lexicon parses"))
}

fn exercise(l: &Lexicon, text: &str) {
    let ms = l.find(text);
    let mut last_end = 0;
    for m in &ms {
        assert!(m.term < l.terms.len());
        assert!(m.start < m.end && m.end <= text.len() && m.start >= last_end);
        assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        last_end = m.end;
    }
    let mut out = Vec::new();
    l.transform_into(&ms, text.split_whitespace().count(), 3, &mut out);
    assert!(out.iter().all(|&(c, v)| (c as usize) < 3 + l.n_features() && v.is_finite() && v >= 0.0));
    for i in 0..l.n_features() {
        let _ = l.feature_name(i);
    }
}

fuzz_target!(|data: &[u8]| {
    match data.iter().position(|&b| b == 0) {
        Some(i) => {
            let csv = String::from_utf8_lossy(&data[..i]);
            let text = String::from_utf8_lossy(&data[i + 1..]);
            if let Ok(l) = Lexicon::from_csv(&csv, "f.csv") {
                exercise(&l, &text);
            }
            exercise(builtin(), &text);
        }
        None => exercise(builtin(), &String::from_utf8_lossy(data)),
    }
});

//! The CSV and JSONL readers behind `score`, the labeled-CSV reader behind `train`/`evaluate`,
//! and the single-article reader: never panic, one record per row, text within `max_bytes`.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsprov::corpus::{CsvOptions, read_labeled_from};
use newsprov::input::{DocResult, InputOptions, Inputs};
use std::io::Cursor;

fn check(r: &DocResult, opts: &InputOptions) {
    if let Ok(d) = r {
        assert!(d.text.len() <= opts.max_bytes, "{} > {}", d.text.len(), opts.max_bytes);
        assert!(!d.text.trim().is_empty());
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let opts =
        InputOptions { max_bytes: 1 + (sel as usize >> 3) * 7, lossy: sel & 4 != 0, ..Default::default() };
    match sel & 3 {
        0 => {
            let mut it = Inputs::csv_reader(Cursor::new(rest.to_vec()), "f.csv", opts.clone());
            for r in it.by_ref() {
                check(&r, &opts);
            }
            let _ = it.take_warnings();
        }
        1 => {
            for r in Inputs::jsonl_reader(Cursor::new(rest.to_vec()), "f.jsonl", opts.clone()) {
                check(&r, &opts);
            }
        }
        2 => {
            let csv = CsvOptions { skip_invalid: sel & 8 != 0, ..Default::default() };
            if let Ok(set) = read_labeled_from(rest, "f.csv", &csv) {
                assert!(set.articles.iter().all(|a| !a.text.trim().is_empty()));
                let _ = set.skip_summary();
            }
        }
        _ => {
            let r = Inputs::article_reader(rest, "f", sel & 8 != 0, &opts);
            check(&r, &opts);
        }
    }
});

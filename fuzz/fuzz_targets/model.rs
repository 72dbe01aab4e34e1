//! The model loader. Each input is tried twice: as a whole file (magic, version, length,
//! checksum) and as a payload wrapped in a valid header, so the decoder and the consistency
//! checks behind the checksum are reached too. A model that loads must score without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsprov::model::{FORMAT_VERSION, Model};
use sha2::{Digest, Sha256};

fn score(m: &Model) {
    for text in ["", "The imperialists said on Monday, officials told reporters. Key takeaways:"] {
        let p = m.predict(text);
        assert!(p.probabilities.iter().all(|x| x.is_finite()));
        let _ = m.term_counts(&p.features.matches);
    }
    for i in 0..m.features().n_features().min(64) {
        let _ = m.features().feature_name(i);
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = Model::from_bytes(data, "f") {
        score(&m);
    }
    let mut file = b"NEWSPROV".to_vec();
    file.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    file.extend_from_slice(&(data.len() as u64).to_le_bytes());
    file.extend_from_slice(&Sha256::digest(data));
    file.extend_from_slice(data);
    if let Ok(m) = Model::from_bytes(&file, "f") {
        score(&m);
    }
});

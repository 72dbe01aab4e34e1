use super::args::{ExplainArgs, InspectArgs};
use newsprov::explain::{explain, to_html, top_weights};
use newsprov::{Error, Result};
use std::io::Read;

pub fn run(a: ExplainArgs) -> Result<i32> {
    let model = super::load_model(&a.model)?;
    let text = if a.file == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| Error::io("<stdin>", e))?;
        s
    } else {
        let bytes = std::fs::read(&a.file).map_err(|e| Error::io(&a.file, e))?;
        String::from_utf8(bytes).map_err(|e| {
            Error::input(&a.file, None, format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()))
        })?
    };
    if text.trim().is_empty() {
        return Err(Error::input(&a.file, None, "empty text"));
    }
    let e = explain(&model, &text, a.top);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&e).map_err(|e| Error::Internal(e.to_string()))?);
    } else {
        println!("{}: {}", a.file, e.label);
        let probs: Vec<String> = e.probabilities.iter().map(|(l, p)| format!("{l} {p:.3}")).collect();
        println!("probabilities: {}   (temperature {:.3})", probs.join(", "), e.temperature);
        if !e.reads_like.is_empty() {
            let r: Vec<String> = e.reads_like.iter().map(|x| format!("{} {:.2}", x.outlet, x.p)).collect();
            println!("reads like (house style of known outlets): {}", r.join(", "));
        }
        for (label, cs) in &e.toward {
            println!("\ntoward {label} (bias {:+.3}):", e.bias[label]);
            for c in cs {
                println!(
                    "  {:+8.4}  {:<40} value {:.4} x weight {:+.4}",
                    c.contribution, c.feature, c.value, c.weight
                );
            }
        }
        println!("\nframing terms found:");
        for t in &e.terms {
            println!(
                "  {:>6}..{:<6} {:<12} {:<12} {}{}",
                t.start,
                t.end,
                t.class,
                t.category,
                &text[t.start..t.end],
                if t.reported { "  (quoted or attributed: counted apart)" } else { "" }
            );
        }
        if e.terms.is_empty() {
            println!("  (none)");
        }
    }
    if let Some(p) = &a.html {
        newsprov::atomic::write_atomically(p, to_html(&e, &text, &a.file).as_bytes())?;
        eprintln!("wrote {}", p.display());
    }
    Ok(0)
}

pub fn inspect(a: InspectArgs) -> Result<i32> {
    let model = super::load_model(&a.model)?;
    let s = &model.summary;
    println!("newsprov model, format {}, written by newsprov {}", model.format_version, model.crate_version);
    println!(
        "features: {} ({}): {} terms, lexicon sha256 {}",
        model.features.n_features(),
        model.features.blocks,
        model.features.bow.as_ref().map_or(0, |b| b.len()),
        model.features.lexicon.as_ref().map_or("-", |l| l.hash.as_str())
    );
    println!(
        "trained on {} (sha256 {}), rows per class {:?}",
        s.train_file, s.train_sha256, s.rows_per_class
    );
    println!(
        "augmented rows {}, class weights {:?}, solver {:?}, l2 {}, {} iterations",
        s.augmented_rows,
        s.class_weight,
        model.logistic_params.solver,
        model.logistic_params.l2,
        model.linear.iterations
    );
    if let Some(r) = &s.dev {
        println!(
            "dev ({}): macro-F1 {:.4}, accuracy {:.4}, n {}",
            s.dev_file.as_deref().unwrap_or("?"),
            r.macro_f1,
            r.accuracy,
            r.n
        );
    }
    if let Some(c) = &s.calibration {
        println!(
            "temperature {:.3}: ECE {:.4} before, {:.4} after",
            c.temperature, c.ece_before, c.ece_after
        );
    }
    for (label, ws) in top_weights(&model, a.top) {
        println!("\nstrongest features for {label}:");
        for (name, w) in ws {
            println!("  {w:+8.4}  {name}");
        }
    }
    Ok(0)
}

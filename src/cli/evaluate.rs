//! `newsprov evaluate`: the model against a labeled CSV. The tables come from
//! [`newsprov::evaluation`], which `cv` shares.
use super::args::EvaluateArgs;
use newsprov::corpus::Label;
use newsprov::evaluation::{
    DataId, EvaluationReport, ModelId, TableReport, per_outlet, render, render_per_outlet, sha256_hex,
};
use newsprov::metrics::ConfusionMatrix;
use newsprov::{Error, Result};
use std::io::Write;

pub fn run(a: EvaluateArgs) -> Result<i32> {
    let model = super::load_model(&a.model)?;
    let set = super::train::read_csv(&a.data, &a.csv)?;
    let texts: Vec<&str> = set.articles.iter().map(|x| x.text.as_str()).collect();
    let predicted: Vec<Label> = model.predict_many(&texts).into_iter().map(|p| p.label).collect();
    let pairs = |keep: &dyn Fn(&newsprov::corpus::Article) -> bool| {
        ConfusionMatrix::from_pairs(
            set.articles.iter().zip(&predicted).filter(|(x, _)| keep(x)).map(|(x, &p)| (x.label, p)),
        )
    };
    let name = a.data.display().to_string();
    let cm = pairs(&|_| true);
    let mut printed = render(&name, &cm);
    let world = a.world_slice.then(|| {
        let slice = format!("{name} (world-topic slice)");
        let wcm = pairs(&|x| newsprov::corpus::is_world_topic(&x.text));
        printed.push('\n');
        printed.push_str(&render(&slice, &wcm));
        TableReport::new(&slice, &wcm)
    });
    let outlets = a.per_outlet.then(|| {
        let rows = per_outlet(&set.articles, &predicted);
        printed.push('\n');
        printed.push_str(&render_per_outlet(&rows));
        rows
    });
    let mut out = std::io::stdout().lock();
    out.write_all(printed.as_bytes()).and_then(|_| out.flush()).map_err(|e| Error::io("<stdout>", e))?;
    for p in &a.confusion {
        newsprov::export::write_confusion_named(&cm, p, &name)?;
        eprintln!("wrote {}", p.display());
    }
    if let Some(p) = &a.report {
        let report = EvaluationReport {
            all: TableReport::new(&name, &cm),
            model: ModelId {
                source: a.model.as_ref().map_or("(built-in)".into(), |m| m.display().to_string()),
                sha256: sha256_hex(&model.to_bytes()?),
            },
            data: DataId { path: name.clone(), sha256: newsprov::train::file_sha256(&a.data)? },
            world_slice: world,
            per_outlet: outlets,
        };
        let json = serde_json::to_string_pretty(&report).map_err(|e| Error::Internal(e.to_string()))?;
        newsprov::atomic::write_atomically(p, json.as_bytes())?;
        eprintln!("wrote {}", p.display());
    }
    Ok(0)
}

use super::args::EvaluateArgs;
use newsprov::corpus::Label;
use newsprov::metrics::ConfusionMatrix;
use newsprov::train::evaluate;
use newsprov::{Error, Result};

pub fn run(a: EvaluateArgs) -> Result<i32> {
    let model = super::load_model(&a.model)?;
    let set = super::train::read_csv(&a.data, &a.csv)?;
    let cm = evaluate(&model, &set.articles);
    print_matrix(&a.data.display().to_string(), &cm);
    if a.world_slice {
        let world: Vec<_> =
            set.articles.iter().filter(|x| newsprov::corpus::is_world_topic(&x.text)).cloned().collect();
        println!();
        print_matrix(&format!("{} (world-topic slice)", a.data.display()), &evaluate(&model, &world));
    }
    if a.per_outlet {
        let texts: Vec<&str> = set.articles.iter().map(|x| x.text.as_str()).collect();
        let preds = model.predict_many(&texts);
        let mut by: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
        for (x, p) in set.articles.iter().zip(&preds) {
            let e = by.entry(format!("{}/{}", x.label, x.outlet)).or_default();
            e.0 += (p.label == x.label) as usize;
            e.1 += 1;
        }
        let mut rows: Vec<_> = by.into_iter().collect();
        rows.sort_by(|a, b| {
            let (ra, rb) = (a.1.0 as f64 / a.1.1 as f64, b.1.0 as f64 / b.1.1 as f64);
            ra.total_cmp(&rb).then(a.0.cmp(&b.0))
        });
        println!("\naccuracy per label/outlet (worst first)");
        for (k, (right, n)) in rows {
            println!("  {:>6.1}%  {right:>5}/{n:<5} {k}", 100.0 * right as f64 / n as f64);
        }
    }
    for p in &a.confusion {
        newsprov::export::write_confusion(&cm, p)?;
        eprintln!("wrote {}", p.display());
    }
    if let Some(p) = &a.report {
        let json = serde_json::to_string_pretty(&cm.report()).map_err(|e| Error::Internal(e.to_string()))?;
        newsprov::atomic::write_atomically(p, json.as_bytes())?;
        eprintln!("wrote {}", p.display());
    }
    Ok(0)
}

fn print_matrix(name: &str, cm: &ConfusionMatrix) {
    println!("{name}: {} articles", cm.total());
    println!("confusion matrix (rows = true label, columns = predicted)");
    print!("{:<14}", "");
    for l in Label::ALL {
        print!("{:>12}", l.as_str());
    }
    println!();
    for t in Label::ALL {
        print!("{:<14}", t.as_str());
        for p in Label::ALL {
            print!("{:>12}", cm.counts[t.index()][p.index()]);
        }
        println!();
    }
    println!();
    println!("{:<14}{:>10}{:>10}{:>10}{:>10}", "label", "precision", "recall", "f1", "support");
    for l in Label::ALL {
        println!(
            "{:<14}{:>10.4}{:>10.4}{:>10.4}{:>10}",
            l.as_str(),
            cm.precision(l),
            cm.recall(l),
            cm.f1(l),
            cm.support(l)
        );
    }
    println!("accuracy {:.4}   macro-F1 {:.4}", cm.accuracy(), cm.macro_f1());
}

//! An evaluation as people read it and as `--report` records it: the confusion matrix and
//! per-class table (`n/a` for a class the data lacks, the classes macro-F1 averages named), the
//! per-outlet table, and the JSON report with the model's and the data's hashes. `evaluate` and
//! `cv` print the same tables through [`render`].
use crate::corpus::{Article, Label};
use crate::metrics::ConfusionMatrix;
use serde::Serialize;
use std::collections::BTreeMap;

/// One label's scores; `None` (printed `n/a`, `null` in JSON) where the ratio has no cases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassRow {
    /// Of the articles predicted this label, the share that are; `None` when none was predicted.
    pub precision: Option<f64>,
    /// Of the articles of this label, the share predicted so; `None` when the data has none.
    pub recall: Option<f64>,
    /// `None` when the label is absent from both the data and the predictions.
    pub f1: Option<f64>,
    /// Articles of this label in the data.
    pub support: u64,
}

/// One printed evaluation table, as `--report` records it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableReport {
    /// What was evaluated: the data file, or a slice of it.
    pub name: String,
    /// Label order of `matrix`'s rows (true) and columns (predicted).
    pub labels: Vec<String>,
    /// Counts: rows are the true label, columns the predicted one.
    pub matrix: Vec<Vec<u64>>,
    /// Share of articles labeled right.
    pub accuracy: f64,
    /// Mean F1 over [`macro_f1_over`](Self::macro_f1_over).
    pub macro_f1: f64,
    /// The labels macro-F1 averages: those in the data or the predictions.
    pub macro_f1_over: Vec<String>,
    /// Labels with no article in the data.
    pub absent_classes: Vec<String>,
    /// Scores per label, in label order.
    #[serde(serialize_with = "ordered_map")]
    pub per_class: Vec<(String, ClassRow)>,
    /// Articles evaluated.
    pub n: u64,
}

impl TableReport {
    /// The table for `cm`, called `name`.
    pub fn new(name: &str, cm: &ConfusionMatrix) -> Self {
        TableReport {
            name: name.to_string(),
            labels: Label::ALL.iter().map(|l| l.to_string()).collect(),
            matrix: cm.counts.iter().map(|r| r.to_vec()).collect(),
            accuracy: cm.accuracy(),
            macro_f1: cm.macro_f1(),
            macro_f1_over: macro_f1_labels(cm).iter().map(|l| l.to_string()).collect(),
            absent_classes: Label::ALL
                .iter()
                .filter(|&&l| cm.support(l) == 0)
                .map(|l| l.to_string())
                .collect(),
            per_class: Label::ALL.iter().map(|&l| (l.to_string(), class_row(cm, l))).collect(),
            n: cm.total(),
        }
    }
}

/// The labels [`ConfusionMatrix::macro_f1`] averages over: those in the data or predicted.
pub fn macro_f1_labels(cm: &ConfusionMatrix) -> Vec<Label> {
    Label::ALL.into_iter().filter(|&l| cm.support(l) + cm.predicted(l) > 0).collect()
}

/// One label's row, with `None` where a ratio has no cases.
pub fn class_row(cm: &ConfusionMatrix, l: Label) -> ClassRow {
    let (support, predicted) = (cm.support(l), cm.predicted(l));
    ClassRow {
        precision: (predicted > 0).then(|| cm.precision(l)),
        recall: (support > 0).then(|| cm.recall(l)),
        f1: (support + predicted > 0).then(|| cm.f1(l)),
        support,
    }
}

/// Accuracy of one outlet's articles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutletRow {
    /// The articles' true label.
    pub label: String,
    /// The CSV's outlet column (empty when absent).
    pub outlet: String,
    /// Labeled right.
    pub right: u64,
    /// Articles.
    pub n: u64,
    /// `right / n`.
    pub accuracy: f64,
}

/// Accuracy per label and outlet, worst first; `predicted[i]` is the label given to `articles[i]`.
pub fn per_outlet(articles: &[Article], predicted: &[Label]) -> Vec<OutletRow> {
    let mut by: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for (a, p) in articles.iter().zip(predicted) {
        let e = by.entry((a.label.to_string(), a.outlet.clone())).or_default();
        e.0 += (*p == a.label) as u64;
        e.1 += 1;
    }
    let mut rows: Vec<OutletRow> = by
        .into_iter()
        .map(|((label, outlet), (right, n))| OutletRow {
            label,
            outlet,
            right,
            n,
            accuracy: right as f64 / n as f64,
        })
        .collect();
    rows.sort_by(|a, b| {
        a.accuracy.total_cmp(&b.accuracy).then_with(|| (&a.label, &a.outlet).cmp(&(&b.label, &b.outlet)))
    });
    rows
}

/// Where a model came from, for a report: its sha256 (of its file bytes) and its path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelId {
    /// The model file, or `(built-in)`.
    pub source: String,
    /// sha256 of the model's bytes as written by [`crate::Model::save`].
    pub sha256: String,
}

/// The data evaluated on, for a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataId {
    /// The labeled CSV.
    pub path: String,
    /// sha256 of its bytes.
    pub sha256: String,
}

/// What `evaluate --report` writes: the main table's fields at the top level (as before), the
/// model and data it came from, and every other table that was printed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvaluationReport {
    /// The whole data set's table.
    #[serde(flatten)]
    pub all: TableReport,
    /// The model evaluated.
    pub model: ModelId,
    /// The data evaluated on.
    pub data: DataId,
    /// With `--world-slice`: the articles naming North Korea, Russia, China or Iran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub world_slice: Option<TableReport>,
    /// With `--per-outlet`: accuracy per label and outlet, worst first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_outlet: Option<Vec<OutletRow>>,
}

/// Serializes pairs as a JSON object whose keys keep the pairs' order (label order).
pub(crate) fn ordered_map<S: serde::Serializer, T: Serialize>(
    pairs: &[(String, T)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

fn ratio(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.4}")).unwrap_or_else(|| "n/a".into())
}

/// The confusion matrix with full label names, rows = true label, columns = predicted.
pub fn confusion_table(cm: &ConfusionMatrix) -> String {
    let w = Label::ALL.iter().map(|l| l.as_str().len()).max().unwrap_or(11) + 2;
    let mut s = String::from("confusion matrix (rows = true label, columns = predicted)\n");
    s.push_str(&format!("{:<w$}", "true \\ predicted"));
    for l in Label::ALL {
        s.push_str(&format!("{:>w$}", l.as_str()));
    }
    s.push('\n');
    for t in Label::ALL {
        s.push_str(&format!("{:<w$}", t.as_str()));
        for p in Label::ALL {
            s.push_str(&format!("{:>w$}", cm.counts[t.index()][p.index()]));
        }
        if cm.support(t) == 0 {
            s.push_str("   (none in the data)");
        }
        s.push('\n');
    }
    s
}

/// Precision, recall, F1 and support per label (`n/a` where there are no cases), then accuracy
/// and macro-F1 with the labels it averages.
pub fn class_table(cm: &ConfusionMatrix) -> String {
    let mut s = format!("{:<14}{:>10}{:>10}{:>10}{:>10}\n", "label", "precision", "recall", "f1", "support");
    for l in Label::ALL {
        let r = class_row(cm, l);
        s.push_str(&format!(
            "{:<14}{:>10}{:>10}{:>10}{:>10}\n",
            l.as_str(),
            ratio(r.precision),
            ratio(r.recall),
            ratio(r.f1),
            r.support
        ));
    }
    let over = macro_f1_labels(cm);
    let over_text = if over.len() == Label::COUNT {
        "all three labels".to_string()
    } else {
        let absent: Vec<&str> = Label::ALL.iter().filter(|l| !over.contains(l)).map(|l| l.as_str()).collect();
        format!(
            "{}; {} neither in the data nor predicted",
            over.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", "),
            absent.join(", ")
        )
    };
    s.push_str(&format!(
        "accuracy {:.4}   macro-F1 {:.4} (over {over_text})\n",
        cm.accuracy(),
        cm.macro_f1()
    ));
    s
}

/// The block `evaluate` prints for one table (and `cv` for its pooled matrix): a title line with
/// the count, the confusion matrix and the per-class table.
pub fn render(title: &str, cm: &ConfusionMatrix) -> String {
    format!("{title}: {} articles\n{}\n{}", cm.total(), confusion_table(cm), class_table(cm))
}

/// [`render`] for a stored report (a model's dev metrics, `cv`'s pooled matrix).
pub fn render_report(title: &str, r: &crate::metrics::Report) -> String {
    render(title, &ConfusionMatrix::from(r))
}

/// The per-outlet table, worst first.
pub fn render_per_outlet(rows: &[OutletRow]) -> String {
    let mut s = String::from("accuracy per label/outlet (worst first)\n");
    for r in rows {
        let outlet = if r.outlet.is_empty() { "(no outlet)" } else { r.outlet.as_str() };
        s.push_str(&format!(
            "  {:>6.1}%  {:>5}/{:<5} {}/{outlet}\n",
            100.0 * r.accuracy,
            r.right,
            r.n,
            r.label
        ));
    }
    s
}

/// sha256 of bytes, as hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_state_media() -> ConfusionMatrix {
        ConfusionMatrix { counts: [[0, 0, 0], [0, 9, 1], [0, 2, 8]] }
    }

    #[test]
    fn an_absent_class_is_na_and_macro_f1_names_its_classes() {
        let cm = no_state_media();
        let r = class_row(&cm, Label::StateMedia);
        assert_eq!((r.precision, r.recall, r.f1, r.support), (None, None, None, 0));
        let t = class_table(&cm);
        assert!(t.lines().nth(1).unwrap().contains("n/a"), "{t}");
        assert!(t.contains("over wire, aggregator; state_media neither in the data nor predicted"), "{t}");
        let rep = TableReport::new("x", &cm);
        assert_eq!(rep.absent_classes, vec!["state_media"]);
        let json = serde_json::to_string(&rep).unwrap();
        assert!(json.contains("\"per_class\":{\"state_media\":{\"precision\":null"), "{json}");
        assert_eq!(rep.macro_f1_over, vec!["wire", "aggregator"]);
        assert!(confusion_table(&cm).contains("(none in the data)"));
    }

    #[test]
    fn a_stored_report_renders_as_its_matrix() {
        let cm = no_state_media();
        assert_eq!(render_report("x", &cm.report()), render("x", &cm));
    }

    #[test]
    fn absent_but_predicted_has_precision_zero_and_no_recall() {
        let cm = ConfusionMatrix { counts: [[0, 0, 0], [1, 9, 0], [0, 0, 5]] };
        let r = class_row(&cm, Label::StateMedia);
        assert_eq!((r.precision, r.recall, r.f1), (Some(0.0), None, Some(0.0)));
    }

    #[test]
    fn per_outlet_is_worst_first() {
        let a = |label, outlet: &str| Article {
            id: String::new(),
            label,
            text: String::new(),
            title: String::new(),
            outlet: outlet.into(),
            date: String::new(),
            line: 0,
        };
        let arts = [a(Label::Wire, "AP"), a(Label::Wire, "AP"), a(Label::Wire, "Reuters")];
        let rows = per_outlet(&arts, &[Label::Wire, Label::Aggregator, Label::Wire]);
        assert_eq!((rows[0].outlet.as_str(), rows[0].right, rows[0].n), ("AP", 1, 2));
        assert!(render_per_outlet(&rows).contains("50.0%"));
    }
}

//! Confusion matrices written in the format a path's extension names: `.csv`, `.json`, `.md`,
//! `.svg` or `.png` (a labelled heatmap with the counts in the cells).
use crate::corpus::Label;
use crate::error::{Error, Result};
use crate::metrics::ConfusionMatrix;
use plotters::prelude::*;
use std::path::Path;

pub fn write_confusion(cm: &ConfusionMatrix, path: &Path) -> Result<()> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "csv" => crate::atomic::write_atomically(path, confusion_csv(cm).as_bytes()),
        "json" => {
            let s = serde_json::to_string_pretty(&cm.report()).map_err(|e| Error::Internal(e.to_string()))?;
            crate::atomic::write_atomically(path, s.as_bytes())
        }
        "md" => crate::atomic::write_atomically(path, confusion_markdown(cm).as_bytes()),
        "svg" => {
            let mut svg = String::new();
            draw(cm, SVGBackend::with_string(&mut svg, (640, 560)))?;
            crate::atomic::write_atomically(path, svg.as_bytes())
        }
        "png" => crate::atomic::with_temp_path(path, |tmp| draw(cm, BitMapBackend::new(tmp, (640, 560)))),
        other => Err(Error::Usage(format!(
            "{}: unknown confusion-matrix format {other:?} (use .csv, .json, .md, .svg or .png)",
            path.display()
        ))),
    }
}

/// `true\predicted` in the corner, one row per true label.
pub fn confusion_csv(cm: &ConfusionMatrix) -> String {
    let mut s = String::from("true\\predicted");
    for l in Label::ALL {
        s.push(',');
        s.push_str(l.as_str());
    }
    s.push('\n');
    for t in Label::ALL {
        s.push_str(t.as_str());
        for p in Label::ALL {
            s.push_str(&format!(",{}", cm.counts[t.index()][p.index()]));
        }
        s.push('\n');
    }
    s
}

pub fn confusion_markdown(cm: &ConfusionMatrix) -> String {
    let mut s = String::from("| true \\ predicted |");
    for l in Label::ALL {
        s.push_str(&format!(" {l} |"));
    }
    s.push_str("\n|---|");
    s.push_str(&"---:|".repeat(Label::COUNT));
    s.push('\n');
    for t in Label::ALL {
        s.push_str(&format!("| **{t}** |"));
        for p in Label::ALL {
            s.push_str(&format!(" {} |", cm.counts[t.index()][p.index()]));
        }
        s.push('\n');
    }
    s.push_str(&format!(
        "\naccuracy {:.4}, macro-F1 {:.4}, n = {}\n",
        cm.accuracy(),
        cm.macro_f1(),
        cm.total()
    ));
    s
}

/// Centred text of the given size and colour.
fn text(size: f64, colour: &'static RGBColor) -> TextStyle<'static> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    TextStyle::from(("sans-serif", size).into_font()).color(colour).pos(Pos::new(HPos::Center, VPos::Center))
}

fn plot_err<E: std::fmt::Display>(e: E) -> Error {
    Error::Internal(format!("drawing the heatmap: {e}"))
}

/// A heatmap coloured by each cell's share of its true-label row, so per-class recall reads at a
/// glance whatever the class sizes. Drawn by hand in pixels so labels sit centred on the cells.
fn draw<DB: DrawingBackend>(cm: &ConfusionMatrix, backend: DB) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(plot_err)?;
    let title = format!("Confusion matrix   accuracy {:.3}   macro-F1 {:.3}", cm.accuracy(), cm.macro_f1());
    root.draw(&Text::new(title, (330, 24), text(20.0, &BLACK))).map_err(plot_err)?;
    let (left, top, cell) = (150i32, 80i32, 150i32);
    root.draw(&Text::new("predicted", (left + cell * 3 / 2, top - 36), text(16.0, &BLACK)))
        .map_err(plot_err)?;
    root.draw(&Text::new("true", (28, top + cell * 3 / 2), text(16.0, &BLACK))).map_err(plot_err)?;
    for (k, l) in Label::ALL.iter().enumerate() {
        let k = k as i32;
        root.draw(&Text::new(l.as_str(), (left + k * cell + cell / 2, top - 14), text(15.0, &BLACK)))
            .map_err(plot_err)?;
        root.draw(&Text::new(l.as_str(), (left - 52, top + k * cell + cell / 2), text(15.0, &BLACK)))
            .map_err(plot_err)?;
    }
    for t in 0..Label::COUNT {
        let row_total = cm.support(Label::ALL[t]).max(1) as f64;
        for p in 0..Label::COUNT {
            let count = cm.counts[t][p];
            let share = count as f64 / row_total;
            let shade = (255.0 * (1.0 - 0.85 * share)) as u8;
            let (x, y) = (left + p as i32 * cell, top + t as i32 * cell);
            root.draw(&Rectangle::new([(x, y), (x + cell, y + cell)], RGBColor(shade, shade, 255).filled()))
                .map_err(plot_err)?;
            root.draw(&Rectangle::new([(x, y), (x + cell, y + cell)], BLACK.stroke_width(1)))
                .map_err(plot_err)?;
            let ink: &RGBColor = if share > 0.5 { &WHITE } else { &BLACK };
            let (cx, cy) = (x + cell / 2, y + cell / 2);
            root.draw(&Text::new(count.to_string(), (cx, cy - 10), text(26.0, ink))).map_err(plot_err)?;
            let pct = format!("{:.1}% of row", share * 100.0);
            root.draw(&Text::new(pct, (cx, cy + 20), text(13.0, ink))).map_err(plot_err)?;
        }
    }
    root.present().map_err(plot_err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cm() -> ConfusionMatrix {
        ConfusionMatrix { counts: [[8, 1, 1], [2, 5, 3], [0, 2, 8]] }
    }

    #[test]
    fn csv_and_markdown_hold_the_counts() {
        assert_eq!(
            confusion_csv(&cm()),
            "true\\predicted,state_media,wire,aggregator\nstate_media,8,1,1\nwire,2,5,3\naggregator,0,2,8\n"
        );
        let md = confusion_markdown(&cm());
        assert!(md.contains("| **wire** | 2 | 5 | 3 |"));
    }

    #[test]
    fn every_extension_writes_a_file() {
        let d = tempfile::tempdir().unwrap();
        for ext in ["csv", "json", "md", "svg", "png"] {
            let p = d.path().join(format!("cm.{ext}"));
            write_confusion(&cm(), &p).unwrap();
            let bytes = std::fs::read(&p).unwrap();
            assert!(bytes.len() > 50, "{ext}");
            if ext == "png" {
                assert_eq!(&bytes[1..4], b"PNG");
            }
            if ext == "svg" {
                let s = String::from_utf8(bytes).unwrap();
                assert!(s.contains("<svg") && s.contains("aggregator") && s.contains("\n8\n"), "{s}");
            }
        }
        assert!(write_confusion(&cm(), &d.path().join("cm.xlsx")).is_err());
    }
}

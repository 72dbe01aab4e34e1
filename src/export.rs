//! Confusion matrices written in the format a path's extension names: `.csv`, `.json`, `.md`,
//! `.svg` or `.png` (a labelled heatmap with the counts in the cells).
use crate::corpus::Label;
use crate::error::{Error, Result};
use crate::metrics::ConfusionMatrix;
use plotters::prelude::*;
use std::path::Path;

/// Writes `cm` in the format `path`'s extension names.
pub fn write_confusion(cm: &ConfusionMatrix, path: &Path) -> Result<()> {
    write_confusion_named(cm, path, "")
}

/// As [`write_confusion`], the heatmap naming the data evaluated on (`data`, may be empty).
pub fn write_confusion_named(cm: &ConfusionMatrix, path: &Path, data: &str) -> Result<()> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "csv" => crate::atomic::write_atomically(path, confusion_csv(cm).as_bytes()),
        "json" => {
            let table = crate::evaluation::TableReport::new(data, cm);
            let s = serde_json::to_string_pretty(&table).map_err(|e| Error::Internal(e.to_string()))?;
            crate::atomic::write_atomically(path, s.as_bytes())
        }
        "md" => crate::atomic::write_atomically(path, confusion_markdown(cm).as_bytes()),
        "svg" => {
            let mut svg = String::new();
            draw(cm, data, SVGBackend::with_string(&mut svg, SIZE))?;
            crate::atomic::write_atomically(path, svg.as_bytes())
        }
        "png" => crate::atomic::with_temp_path(path, |tmp| draw(cm, data, BitMapBackend::new(tmp, SIZE))),
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

/// The counts as a Markdown table, with accuracy, macro-F1 and n below.
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

/// Heatmap size in pixels.
const SIZE: (u32, u32) = (800, 620);

/// Text of the given size and colour, anchored at `h`.
fn text(size: f64, colour: &RGBColor, h: plotters::style::text_anchor::HPos) -> TextStyle<'static> {
    use plotters::style::text_anchor::{Pos, VPos};
    let mut style = TextStyle::from(("sans-serif", size).into_font()).pos(Pos::new(h, VPos::Center));
    style.color = colour.to_backend_color();
    style
}

fn centred(size: f64, colour: &RGBColor) -> TextStyle<'static> {
    text(size, colour, plotters::style::text_anchor::HPos::Center)
}

fn plot_err<E: std::fmt::Display>(e: E) -> Error {
    Error::Internal(format!("drawing the heatmap: {e}"))
}

/// Colour intensity for a share of a row: 0 for an empty cell, and at least 0.2 for any count,
/// on a square-root scale so that a 1% error cell is plainly tinted beside a 99% diagonal.
pub fn intensity(share: f64, count: u64) -> f64 {
    if count == 0 { 0.0 } else { 0.2 + 0.8 * share.clamp(0.0, 1.0).sqrt() }
}

/// The diagonal (right) in blue, errors in red, white at intensity 0.
fn shade(t: f64, right: bool) -> RGBColor {
    let (r, g, b) = if right { (33.0, 102.0, 172.0) } else { (178.0, 24.0, 43.0) };
    let mix = |c: f64| (255.0 + (c - 255.0) * t).round() as u8;
    RGBColor(mix(r), mix(g), mix(b))
}

fn percent(share: f64) -> String {
    if share > 0.0 && share < 0.01 {
        format!("{:.2}% of row", share * 100.0)
    } else {
        format!("{:.1}% of row", share * 100.0)
    }
}

/// A heatmap coloured by each cell's share of its true-label row (so per-class recall reads at a
/// glance whatever the class sizes), errors in red and right answers in blue on a square-root
/// scale with a colour bar, the data file and n in the title. Drawn by hand in pixels so labels
/// sit centred on the cells.
fn draw<DB: DrawingBackend>(cm: &ConfusionMatrix, data: &str, backend: DB) -> Result<()>
where
    DB::ErrorType: 'static,
{
    use plotters::style::text_anchor::HPos;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(plot_err)?;
    let title =
        if data.is_empty() { "Confusion matrix".to_string() } else { format!("Confusion matrix: {data}") };
    root.draw(&Text::new(title, (400, 22), centred(20.0, &BLACK))).map_err(plot_err)?;
    let over = crate::evaluation::macro_f1_labels(cm);
    let subtitle = format!(
        "n = {}   accuracy {:.3}   macro-F1 {:.3} (over {} label{})",
        cm.total(),
        cm.accuracy(),
        cm.macro_f1(),
        over.len(),
        if over.len() == 1 { "" } else { "s" }
    );
    root.draw(&Text::new(subtitle, (400, 48), centred(15.0, &BLACK))).map_err(plot_err)?;
    let (left, top, cell) = (200i32, 120i32, 140i32);
    let grey = RGBColor(90, 90, 90);
    root.draw(&Text::new("predicted label", (left + cell * 3 / 2, top - 44), centred(16.0, &BLACK)))
        .map_err(plot_err)?;
    // The true-label axis title sits right above its labels, in the corner the two axes share.
    root.draw(&Text::new("true label", (left - 12, top - 16), text(16.0, &BLACK, HPos::Right)))
        .map_err(plot_err)?;
    for (k, l) in Label::ALL.iter().enumerate() {
        let k = k as i32;
        root.draw(&Text::new(l.as_str(), (left + k * cell + cell / 2, top - 16), centred(15.0, &grey)))
            .map_err(plot_err)?;
        root.draw(&Text::new(
            l.as_str(),
            (left - 12, top + k * cell + cell / 2),
            text(15.0, &grey, HPos::Right),
        ))
        .map_err(plot_err)?;
    }
    for t in 0..Label::COUNT {
        let row_total = cm.support(Label::ALL[t]);
        for p in 0..Label::COUNT {
            let count = cm.counts[t][p];
            let (x, y) = (left + p as i32 * cell, top + t as i32 * cell);
            let (fill, ink, note) = if row_total == 0 {
                (RGBColor(235, 235, 235), BLACK, "n/a (no such articles)".to_string())
            } else {
                let share = count as f64 / row_total as f64;
                let v = intensity(share, count);
                (shade(v, t == p), if v > 0.6 { WHITE } else { BLACK }, percent(share))
            };
            root.draw(&Rectangle::new([(x, y), (x + cell, y + cell)], fill.filled())).map_err(plot_err)?;
            root.draw(&Rectangle::new([(x, y), (x + cell, y + cell)], BLACK.stroke_width(1)))
                .map_err(plot_err)?;
            let (cx, cy) = (x + cell / 2, y + cell / 2);
            root.draw(&Text::new(count.to_string(), (cx, cy - 12), centred(26.0, &ink))).map_err(plot_err)?;
            root.draw(&Text::new(note, (cx, cy + 20), centred(13.0, &ink))).map_err(plot_err)?;
        }
    }
    colour_bar(&root, left + 3 * cell + 36, top, 3 * cell)?;
    root.present().map_err(plot_err)?;
    Ok(())
}

/// Two bars (right in blue, wrong in red) from 0% to 100% of a row, ticks at the shares the
/// square-root scale spreads out.
fn colour_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    x: i32,
    top: i32,
    height: i32,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    use plotters::style::text_anchor::HPos;
    let (w, gap) = (18, 20);
    let y_of = |t: f64| top + height - (t * height as f64).round() as i32;
    for step in 0..height {
        let t = step as f64 / height as f64;
        let y = top + height - step;
        for (k, right) in [(0, true), (1, false)] {
            let x0 = x + k * (w + gap);
            root.draw(&Rectangle::new([(x0, y - 1), (x0 + w, y)], shade(t, right).filled()))
                .map_err(plot_err)?;
        }
    }
    for k in 0..2 {
        let x0 = x + k * (w + gap);
        root.draw(&Rectangle::new([(x0, top), (x0 + w, top + height)], BLACK.stroke_width(1)))
            .map_err(plot_err)?;
    }
    root.draw(&Text::new("right", (x + w / 2, top - 14), centred(12.0, &BLACK))).map_err(plot_err)?;
    root.draw(&Text::new("wrong", (x + w + gap + w / 2, top - 14), centred(12.0, &BLACK)))
        .map_err(plot_err)?;
    root.draw(&Text::new("share of", (x + w + gap / 2, top - 58), centred(12.0, &BLACK)))
        .map_err(plot_err)?;
    root.draw(&Text::new("true-label row", (x + w + gap / 2, top - 44), centred(12.0, &BLACK)))
        .map_err(plot_err)?;
    let tx = x + 2 * w + gap + 10;
    for (share, label) in
        [(0.0, "0"), (0.001, "0.1%"), (0.01, "1%"), (0.05, "5%"), (0.2, "20%"), (0.5, "50%"), (1.0, "100%")]
    {
        let t = if share == 0.0 { 0.0 } else { intensity(share, 1) };
        let y = y_of(t);
        root.draw(&PathElement::new(vec![(tx - 6, y), (tx - 2, y)], BLACK)).map_err(plot_err)?;
        root.draw(&Text::new(label, (tx, y), text(12.0, &BLACK, HPos::Left))).map_err(plot_err)?;
    }
    root.draw(&Text::new("(square-root scale;", (x + w + gap / 2, top + height + 18), centred(11.0, &BLACK)))
        .map_err(plot_err)?;
    root.draw(&Text::new(
        "any count is tinted)",
        (x + w + gap / 2, top + height + 32),
        centred(11.0, &BLACK),
    ))
    .map_err(plot_err)?;
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
                assert!(s.contains("true label") && s.contains("n = 30"), "{s}");
            }
        }
        assert!(write_confusion(&cm(), &d.path().join("cm.xlsx")).is_err());
    }
}

#[cfg(test)]
mod scale_tests {
    use super::*;

    #[test]
    fn small_error_cells_are_visible_and_empty_rows_say_na() {
        // 1% of a row is well tinted; a zero count is white.
        assert!(intensity(0.01, 3) > 0.2);
        assert_eq!(intensity(0.0, 0), 0.0);
        let cm = ConfusionMatrix { counts: [[0, 0, 0], [0, 99, 1], [0, 0, 50]] };
        let mut svg = String::new();
        draw(&cm, "dev.csv", SVGBackend::with_string(&mut svg, SIZE)).unwrap();
        assert!(svg.contains("n/a (no such articles)") && svg.contains("dev.csv"), "{svg}");
        assert!(!svg.contains("0.0% of row\n</text>") || svg.matches("n/a").count() == 3);
    }
}

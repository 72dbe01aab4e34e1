//! Every command-line option, in one place. Parsing yields plain structs; the commands turn them
//! into library calls.
use clap::{Args, Parser, Subcommand};
use newsprov::features::FeatureBlocks;
use newsprov::output::Format;
use newsprov::solver::SolverKind;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "newsprov",
    version,
    about = "Tell state-media framing, wire-style reporting and aggregator rewrites apart",
    long_about = "Labels English news articles as state_media (state-media framing), wire \
                  (wire-style reporting) or aggregator (aggregator rewrite), shows the evidence, \
                  and measures how well it does.\n\nExit codes: 0 success, 2 bad usage or bad \
                  input, 1 anything else."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Train a model from a labeled CSV (columns text and label).
    Train(TrainArgs),
    /// Label articles: text files, directories, CSV, JSONL or - for stdin.
    Score(ScoreArgs),
    /// Compare a model's labels with a labeled CSV: confusion matrix and scores.
    Evaluate(EvaluateArgs),
    /// Grouped cross-validation: no outlet (or topic) on both sides of a split.
    Cv(CvArgs),
    /// Why one article got its label: contributions, framing terms, optional HTML page.
    Explain(ExplainArgs),
    /// What a model holds: its training summary and the strongest features per label.
    Inspect(InspectArgs),
    /// Whom each article cites: outlets, officials, state media, claims of consensus.
    Sources(SourcesArgs),
    /// Which reference articles each input was most likely rewritten from.
    Trace(TraceArgs),
    /// A local web page and JSON API: paste or drop articles, see verdicts and why, evaluate a
    /// labeled CSV (see docs/api.md).
    Serve(ServeArgs),
    /// Group articles into events and report, per event, who said it first, in which voice,
    /// who cites whom and which rewrite came from which article (HTML, JSON, DOT).
    Report(ReportArgs),
}

#[derive(Args, Debug, Clone)]
pub struct CsvArgs {
    /// Column holding the article text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_column: String,
    /// Column holding the label.
    #[arg(long, default_value = "label", value_name = "NAME")]
    pub label_column: String,
    /// Leave out bad rows (and say how many and why) instead of stopping at the first.
    #[arg(long)]
    pub skip_invalid: bool,
}

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Labeled training CSV.
    #[arg(long, value_name = "TRAIN.csv")]
    pub data: PathBuf,
    /// Labeled CSV to evaluate on after training; its metrics are stored in the model and the
    /// probability temperature is fitted on it.
    #[arg(long, value_name = "DEV.csv")]
    pub dev: Option<PathBuf>,
    /// Where to write the model (written atomically).
    #[arg(long, value_name = "MODEL")]
    pub out: PathBuf,
    /// Probability temperature to store instead of the one fitted on --dev: give the one
    /// `cv --leave-one-out` prints ("fitted on held-out rows"), so that the model is unsure,
    /// rather than confidently wrong, on outlets it has never seen.
    #[arg(long, value_name = "T")]
    pub temperature: Option<f32>,
    #[command(flatten)]
    pub csv: CsvArgs,
    #[command(flatten)]
    pub fit: FitArgs,
    /// Print the wall time of each stage (reading, features, fitting with its objective
    /// evaluations, dev evaluation) when done.
    #[arg(long)]
    pub timings: bool,
}

/// How a model is fitted: shared by `train` and `cv`.
#[derive(Args, Debug, Clone)]
pub struct FitArgs {
    /// Feature blocks, comma-separated: bow (words and word pairs), framing (the lexicon, terms
    /// in the article's own voice apart from quoted ones), style (attribution, quotes, datelines,
    /// structure, function words), masked (n-grams of the text with content words masked), page
    /// (body and chrome of a scraped page).
    #[arg(long, default_value = "bow,framing,style,masked,page", value_name = "BLOCKS")]
    pub features: FeatureBlocks,
    /// Weight of the standardised style block beside the others.
    #[arg(long, default_value_t = 0.1, value_name = "X")]
    pub style_scale: f32,
    /// Framing lexicon CSV (term,class,category,note); default: the built-in one.
    #[arg(long, value_name = "CSV")]
    pub lexicon: Option<PathBuf>,
    /// Keep terms found in at least this many training documents.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub min_df: usize,
    /// Drop terms found in more than this share of training documents.
    #[arg(long, default_value_t = 1.0, value_name = "SHARE")]
    pub max_df: f64,
    /// Keep at most this many terms (unigrams and bigrams), most frequent first.
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub max_features: usize,
    /// sparse (L-BFGS on sparse features, default) or linfa (linfa-logistic, dense, slow).
    #[arg(long, default_value = "sparse", value_name = "SOLVER")]
    pub solver: SolverKind,
    /// L2 penalty on the weights (the loss is summed over rows).
    #[arg(long, default_value_t = 0.1, value_name = "ALPHA")]
    pub l2: f64,
    /// Most optimiser iterations.
    #[arg(long, default_value_t = 300, value_name = "N")]
    pub max_iter: u64,
    /// Stop when the objective improves by less than this share of its starting value.
    #[arg(long, default_value_t = 1e-6, value_name = "TOL")]
    pub tol: f64,
    /// Seed for everything random (same data, options and seed give the same model bytes).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// none, or balanced: weight each class's loss inversely to its frequency.
    #[arg(long, default_value = "none", value_name = "WEIGHTS", value_parser = ["none", "balanced"])]
    pub class_weight: String,
    /// Add copies of this share of the aggregator rows dressed in page chrome and summary blocks
    /// from the lexicon ("Key Takeaways", "Previous Article"), which the corpus lacks.
    #[arg(long, default_value_t = 0.3, value_name = "SHARE")]
    pub augment_chrome: f64,
    /// Dress this share of the wire rows in the chrome of real pages from the training data:
    /// once in a wire or newspaper page's chrome (labeled wire) and once in an aggregator page's
    /// (labeled aggregator: wire copy reposted in a blog or portal shell is an aggregator page).
    #[arg(long, default_value_t = 0.1, value_name = "SHARE")]
    pub augment_pages: f64,
    /// Copy this share of the rows of several paragraphs with their paragraphs joined into one,
    /// same label, so that how a text was stored (73% of the corpus's rewrites as one paragraph,
    /// 15% of the rest) does not decide its label.
    #[arg(long, default_value_t = 0.3, value_name = "SHARE")]
    pub augment_paragraphs: f64,
    /// Outlet balance: each row's loss weight is (rows of its outlet)^(POWER-1), renormalised
    /// within its class, so 1 = every row alike, 0.5 = outlets count by the square root of
    /// their size, 0 = every outlet alike. Outlets under 20 rows are pooled per class.
    #[arg(long, default_value_t = 0.5, value_name = "POWER")]
    pub outlet_weight: f64,
    /// Number of hashed columns of the masked block (a power of two).
    #[arg(long, default_value_t = 1 << 15, value_name = "N")]
    pub masked_buckets: u32,
    /// Count quoted or attributed state-media terms like asserted ones (to measure what telling
    /// them apart brings).
    #[arg(long)]
    pub no_framing_voice: bool,
    /// Weight of the masked block (its rows have L2 norm 1 before this factor).
    #[arg(long, default_value_t = 1.0, value_name = "X")]
    pub masked_scale: f32,
    /// Longest n-gram of the masked block: 2 = token pairs, 3 = pairs and triples (about 10%
    /// slower scoring, no better on dev, a little better on some outlets never seen).
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub masked_max_n: u8,
}

#[derive(Args, Debug)]
#[command(after_help = "Each record: id, label, probabilities of the three labels, framing terms found, \
    sources (state and wire outlets cited), reads_like (known outlets whose house style it is closest \
    to). A page of several stories (a digest, a newsletter: a headline, a body and the same kind of \
    credit line for each) is judged story by story, each by its body; its record gets `stories`, each \
    story's title, label and probabilities, and the page's probabilities are their mean.")]
pub struct ScoreArgs {
    /// Model file; default: the model built into newsprov.
    #[arg(long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Output format: table (the default, for reading: a legend, one line per article fitted to
    /// $COLUMNS or the terminal, 100 columns with no terminal, and the count per label at the
    /// end), jsonl or csv (for programs: every field, nothing cut).
    #[arg(long, default_value = "table", value_name = "FORMAT", value_parser = ["table", "jsonl", "csv"])]
    pub format: String,
    /// Text or HTML files, directories (their .txt, .md, .html files), CSV or TSV (text column),
    /// JSONL or JSON arrays (text field), .gz of any of these, or - for standard input (the
    /// default; its format is told from the content unless --input-format says it).
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Exit with code 2 if any input could not be scored (all others are still scored).
    #[arg(long)]
    pub strict: bool,
    /// Label an article "uncertain" when its top probability is below this (the best guess and
    /// all probabilities are still given).
    #[arg(long, default_value_t = 0.0, value_name = "P")]
    pub min_confidence: f32,
    /// Leave out the `sources` field (state and wire outlets the article cites); about a third
    /// faster on large feeds.
    #[arg(long)]
    pub no_sources: bool,
}

impl ScoreArgs {
    pub fn format(&self) -> Format {
        self.format.parse().unwrap_or(Format::Table)
    }
}

#[derive(Args, Debug)]
pub struct EvaluateArgs {
    /// Model file; default: the model built into newsprov.
    #[arg(long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Labeled CSV to evaluate on.
    #[arg(long, value_name = "TEST.csv")]
    pub data: PathBuf,
    #[command(flatten)]
    pub csv: CsvArgs,
    /// Write the confusion matrix here; the extension picks the format: .csv, .json, .md, .svg,
    /// .png (heatmap). Repeatable.
    #[arg(long, value_name = "PATH")]
    pub confusion: Vec<PathBuf>,
    /// Write the full report as JSON.
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// Also report the world-topic slice (articles naming North Korea, Russia, China or Iran),
    /// where topic cannot give the label away.
    #[arg(long)]
    pub world_slice: bool,
    /// Also print accuracy per outlet (CSV column outlet), worst first.
    #[arg(long)]
    pub per_outlet: bool,
}

#[derive(Args, Debug)]
pub struct CvArgs {
    /// Labeled CSV; give it more than once to pool files (e.g. train.csv and dev.csv).
    #[arg(long, value_name = "FILE.csv", required = true)]
    pub data: Vec<PathBuf>,
    /// Keep each outlet (CSV column outlet), each topic (keyword-derived) or each same-event set
    /// (`event_id` of --events) in one fold.
    #[arg(long, default_value = "outlet", value_name = "GROUP", value_parser = ["outlet", "topic", "event"])]
    pub group_by: String,
    /// CSV with columns `id` and `event_id` (e.g. corpus2's events.csv): the sets for
    /// `--group-by event`. Rows of --data in no set are always in training.
    #[arg(long, value_name = "EVENTS.csv")]
    pub events: Option<PathBuf>,
    /// Hold out each group with at least --min-rows rows in turn (training on all the others)
    /// and print a per-group table: the reach on outlets never seen.
    #[arg(long)]
    pub leave_one_out: bool,
    /// With --leave-one-out: the smallest group held out (smaller ones always train).
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub min_rows: usize,
    /// With --leave-one-out: hold out only these groups (repeat the option), e.g. for a quick
    /// ablation; default: every group with at least --min-rows rows.
    #[arg(long, value_name = "GROUP")]
    pub hold_out: Vec<String>,
    /// With --leave-one-out: fit each fold's temperature on this labeled CSV, leaving out the
    /// held-out group's rows, as `train --dev` does.
    #[arg(long, value_name = "DEV.csv")]
    pub dev: Option<PathBuf>,
    /// Number of folds.
    #[arg(long, default_value_t = 5, value_name = "K")]
    pub folds: usize,
    /// Write the results as JSON.
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// Write every held-out row's probabilities as CSV (id, group, truth, predicted, p_...).
    #[arg(long, value_name = "PATH")]
    pub predictions: Option<PathBuf>,
    /// Write the pooled confusion matrix, as `evaluate --confusion` does (.csv, .json, .md, .svg,
    /// .png by extension); repeat for several.
    #[arg(long, value_name = "PATH")]
    pub confusion: Vec<PathBuf>,
    #[command(flatten)]
    pub csv: CsvArgs,
    #[command(flatten)]
    pub fit: FitArgs,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// Model file; default: the model built into newsprov.
    #[arg(long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// The article: a text or HTML file, or - for standard input. A table (CSV, TSV, JSONL,
    /// JSON array) needs --row or --line to say which of its articles.
    #[arg(value_name = "FILE")]
    pub file: String,
    /// In a table, explain the row with this id (the id column or field).
    #[arg(long, value_name = "ID")]
    pub row: Option<String>,
    /// In a table, explain the row that starts on this line of the file (1-based; the CSV header
    /// is line 1).
    #[arg(long, value_name = "N", conflicts_with = "row")]
    pub line: Option<u64>,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Features to show per label.
    #[arg(long, default_value_t = 15, value_name = "N")]
    pub top: usize,
    /// Also write an HTML page: the article with framing terms highlighted by label colour, and
    /// bar charts of the contributions.
    #[arg(long, value_name = "OUT.html")]
    pub html: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// Model file; default: the model built into newsprov.
    #[arg(long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Features to list per label.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub top: usize,
}

/// How articles are read (shared by score, sources and trace).
#[derive(Args, Debug, Clone)]
pub struct ReadArgs {
    /// CSV column / JSON field holding the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_column: String,
    /// CSV column / JSON field holding the id.
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_column: String,
    /// Read at most this many bytes of each article (the record says when it was cut).
    #[arg(long, default_value_t = 10 << 20, value_name = "BYTES")]
    pub max_bytes: usize,
    /// Replace invalid UTF-8 instead of reporting the input as unreadable.
    #[arg(long)]
    pub lossy: bool,
    /// What the inputs hold: text (one article), html, csv, tsv, jsonl (one JSON object per
    /// line), json (an array of objects or strings), or auto: from the extension (.txt .md .html
    /// .csv .tsv .jsonl .json, with .gz read through), else from the content (stdin too).
    #[arg(long, default_value = "auto", value_name = "FORMAT", value_parser = ["auto", "text", "html", "csv", "tsv", "jsonl", "json"])]
    pub input_format: String,
}

impl ReadArgs {
    pub fn options(&self) -> newsprov::input::InputOptions {
        newsprov::input::InputOptions {
            text_column: self.text_column.clone(),
            id_column: self.id_column.clone(),
            max_bytes: self.max_bytes,
            lossy: self.lossy,
            format: self.input_format.parse().unwrap_or_default(),
        }
    }
}

#[derive(Args, Debug)]
pub struct SourcesArgs {
    /// Output format.
    #[arg(long, default_value = "table", value_name = "FORMAT", value_parser = ["table", "jsonl", "csv"])]
    pub format: String,
    /// Text files, directories (their .txt and .md files), CSV (text column), JSONL (text
    /// field), or - for standard input. Default: -.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Outlet gazetteer CSV (name,aliases,type,country; aliases separated by |); default: the
    /// built-in data/outlets.csv.
    #[arg(long, value_name = "CSV")]
    pub outlets: Option<PathBuf>,
    /// Exit with code 2 if any input could not be read (all others are still analysed).
    #[arg(long)]
    pub strict: bool,
    /// One record per article with counts per kind and per source instead of one per
    /// attribution (CSV: one row per article).
    #[arg(long)]
    pub summary: bool,
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct TraceArgs {
    #[command(subcommand)]
    pub action: Option<TraceAction>,
    /// Reference index built by `newsprov trace index`.
    #[arg(long, value_name = "INDEX", required_unless_present = "corpus")]
    pub index: Option<PathBuf>,
    /// Build the reference index on the fly from these references instead of --index (CSV with
    /// id and text columns, JSONL, text files or directories). Repeatable.
    #[arg(long, value_name = "REF", conflicts_with = "index")]
    pub corpus: Vec<String>,
    /// Matches to show per input (near-copies of a match are folded into its `also`).
    #[arg(long, default_value_t = 5, value_name = "K")]
    pub top: usize,
    /// Match score (0..1) under which an input gets "no source found"; default: the index's
    /// (chosen on the training split).
    #[arg(long, value_name = "SCORE")]
    pub threshold: Option<f32>,
    /// Output format.
    #[arg(long, default_value = "table", value_name = "FORMAT", value_parser = ["table", "jsonl", "csv"])]
    pub format: String,
    /// Articles to trace: text files, directories, CSV, JSONL or - for standard input. Default: -.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Exit with code 2 if any input could not be read (all others are still traced).
    #[arg(long)]
    pub strict: bool,
}

#[derive(Subcommand, Debug)]
pub enum TraceAction {
    /// Build a reference index once, to reuse with `newsprov trace --index`.
    Index(TraceIndexArgs),
}

#[derive(Args, Debug)]
pub struct TraceIndexArgs {
    /// References: CSV with id and text columns, JSONL, text files or directories. Repeatable.
    #[arg(long, value_name = "REF", required = true, num_args = 1..)]
    pub corpus: Vec<String>,
    /// Where to write the index (written atomically).
    #[arg(long, value_name = "INDEX")]
    pub out: PathBuf,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Keep content word pairs found in at least this many references (1 keeps all: larger
    /// index).
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub min_bigram_df: u32,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Model file; default: the built-in model.
    #[arg(long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    /// Trace index (from `newsprov trace index`) for /api/trace and the page's trace matches.
    #[arg(long, value_name = "INDEX")]
    pub index: Option<PathBuf>,
    /// Address to listen on. Any address other than loopback needs a token (one is generated
    /// and printed when --token is not given). Port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8750", value_name = "ADDR")]
    pub addr: std::net::SocketAddr,
    /// Token every API call must carry ("Authorization: Bearer TOKEN").
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Largest request body in bytes (larger requests get 413).
    #[arg(long, default_value_t = 64 << 20, value_name = "BYTES")]
    pub max_body: usize,
    /// Read at most this many bytes of each article, as in `score` (the record says when it was cut).
    #[arg(long, default_value_t = 10 << 20, value_name = "BYTES")]
    pub max_bytes: usize,
    /// Longest a request may take, reading its body included (seconds).
    #[arg(long, default_value_t = 300, value_name = "SECONDS")]
    pub request_timeout: u64,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Articles: CSV (text column; id, date, title, outlet read when present), text or HTML
    /// files, directories, JSONL, or - for standard input.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<String>,
    /// Reference index (`newsprov trace index`): also link each article to the reference it
    /// most likely derives from.
    #[arg(long, value_name = "REF.idx")]
    pub index: Option<PathBuf>,
    /// Where to write the HTML report (one self-contained file).
    #[arg(long, value_name = "report.html", default_value = "report.html")]
    pub out: PathBuf,
    /// Also write the report as JSON (schema: docs/report.md).
    #[arg(long, value_name = "report.json")]
    pub json: Option<PathBuf>,
    /// Also write the provenance graphs as Graphviz DOT.
    #[arg(long, value_name = "report.dot")]
    pub dot: Option<PathBuf>,
    /// Take the events from this CSV column instead of grouping.
    #[arg(long, value_name = "COLUMN")]
    pub event_column: Option<String>,
    /// Average similarity (0..1) at which articles are one event; higher makes more, smaller
    /// events.
    #[arg(long, value_name = "T")]
    pub threshold: Option<f32>,
    /// Model file; default: the model built into newsprov.
    #[arg(long, value_name = "MODEL")]
    pub model: Option<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
}

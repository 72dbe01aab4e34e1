//! Command dispatch and the one place errors are printed and turned into exit codes.
mod args;
mod bars;
mod batch;
mod cv;
mod evaluate;
mod explain;
mod report;
mod score;
mod serve;
mod sources;
mod trace;
mod train;

use newsprov::Error;

pub fn main() -> i32 {
    let cli = match parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            // --help and --version are successes; everything else clap rejects is bad usage.
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let result = match cli.command {
        args::Command::Train(a) => train::run(a),
        args::Command::Score(a) => score::run(a),
        args::Command::Evaluate(a) => evaluate::run(a),
        args::Command::Cv(a) => cv::run(a),
        args::Command::Explain(a) => explain::run(a),
        args::Command::Inspect(a) => explain::inspect(a),
        args::Command::Sources(a) => sources::run(a),
        args::Command::Trace(a) => trace::run(a),
        args::Command::Serve(a) => serve::run(a),
        args::Command::Report(a) => report::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => report(&e),
    }
}

/// The arguments, with the feature glossary (built from the library's table) under
/// `explain --help` and `inspect --help`.
fn parse() -> Result<args::Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    let glossary = newsprov::glossary::glossary_text(100);
    let cmd = args::Cli::command()
        .mut_subcommand("explain", |c| c.after_help(glossary.clone()))
        .mut_subcommand("inspect", |c| c.after_help(glossary.clone()))
        .mut_subcommand("train", |c| {
            c.after_help(format!(
                "Labels: state_media, wire, aggregator, in any case, or these aliases (spaces, hyphens and \
                 underscores alike): {}. Any other label is an error.",
                newsprov::corpus::alias_list()
            ))
        });
    args::Cli::from_arg_matches(&cmd.try_get_matches()?)
}

fn report(e: &Error) -> i32 {
    // A closed pipe (`newsprov score ... | head`) is the reader's choice, not a failure.
    if let Error::Io { source, .. } = e
        && source.kind() == std::io::ErrorKind::BrokenPipe
    {
        return 0;
    }
    eprintln!("newsprov: error: {e}");
    e.exit_code()
}

/// The model named by `--model`, or the built-in one.
fn load_model(path: &Option<std::path::PathBuf>) -> newsprov::Result<newsprov::Model> {
    match path {
        Some(p) => newsprov::Model::load(p),
        None => newsprov::Model::builtin(),
    }
}

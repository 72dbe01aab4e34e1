//! The `newsprov` binary: parse arguments, run the command, print any error in one place.
mod cli;

fn main() {
    std::process::exit(cli::main());
}

//! The `newsprov` binary: parse arguments, run the command, print any error in one place.
mod cli;

/// mimalloc: scoring allocates many small per-document buffers across threads; the system
/// allocator spent about a tenth of scoring time in malloc and fresh-page faults.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    quiet_panics();
    std::process::exit(cli::main());
}

/// A closed pipe (`newsprov ... | head -1`) is the reader's choice: whatever was printing stops
/// and the exit code is 0, as for `score`. Any other panic is a bug in newsprov: one line says
/// so, instead of Rust's panic message and backtrace hint.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.contains("Broken pipe") || msg.contains("os error 32") {
            std::process::exit(0);
        }
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "newsprov: internal error: {msg}{at} (please report it)");
    }));
}

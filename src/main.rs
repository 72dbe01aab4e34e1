//! The `newsprov` binary: parse arguments, run the command, print any error in one place.
mod cli;

/// mimalloc: scoring allocates many small per-document buffers across threads; the system
/// allocator spent about a tenth of scoring time in malloc and fresh-page faults.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    no_huge_pages();
    quiet_panics();
    std::process::exit(cli::main());
}

/// Transparent huge pages off for this process. mimalloc asks for them, so each first touch of
/// its memory zeroes a whole 2 MiB page: scoring dev.csv touched 80 MB instead of 39, and in this
/// VM that zeroing was up to a fifth of the run's CPU and most of its run-to-run spread (mean of
/// 8 runs 209 against 186 ms; after another process freed 1 GB, 236 against 188 ms). A
/// 1,000,000-row file scores no slower without them. Only the binary does this: the Python
/// extension leaves its host process alone.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
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

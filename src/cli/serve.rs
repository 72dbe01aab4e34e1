//! `newsprov serve`: loads the model and index, binds, prints the URL and serves (the server
//! itself is `newsprov::serve`).
use super::args::ServeArgs;
use newsprov::Result;
use newsprov::input::InputOptions;
use newsprov::serve::{ServeOptions, bind};
use std::io::Write;

pub fn run(a: ServeArgs) -> Result<i32> {
    let model = super::load_model(&a.model)?;
    let index = a.index.as_deref().map(super::trace::load).transpose()?;
    let opts = ServeOptions {
        addr: a.addr,
        token: a.token,
        max_body: a.max_body,
        input: InputOptions { max_bytes: a.max_bytes, ..Default::default() },
        request_timeout: std::time::Duration::from_secs(a.request_timeout.max(1)),
        model_name: a.model.map_or_else(|| "built-in".to_string(), |p| p.display().to_string()),
    };
    let server = bind(model, index, opts)?;
    if let Some(t) = &server.generated_token {
        eprintln!("newsprov: {} is not loopback: API calls need the token {t}", server.addr);
    }
    // The URL goes to stdout on its own line so scripts (and the tests) can read it.
    println!("newsprov: serving on {}", server.url);
    let _ = std::io::stdout().flush();
    eprintln!("newsprov: press Ctrl-C to stop");
    server.run()?;
    Ok(0)
}

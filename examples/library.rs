use newsprov::input::{InputOptions, Inputs};
use newsprov::{Label, Model};

fn main() -> newsprov::Result<()> {
    let model = Model::builtin()?;
    for doc in Inputs::new(vec!["data/examples".into()], InputOptions::default()).flatten() {
        let verdict = model.predict(&doc.text);
        println!("{}: {} ({:.2})", doc.id, verdict.label, verdict.confidence());
    }
    let why = newsprov::explain::explain(&model, "The respected Comrade leader gave field guidance.", 5);
    println!("{:?}", why.toward[Label::StateMedia].first().map(|c| &c.readable));
    Ok(())
}

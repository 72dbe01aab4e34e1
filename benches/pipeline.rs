//! Criterion benchmarks of the hot paths: tokenizing, feature extraction, training on a slice
//! and scoring. They read `../shared/corpus/{train,dev}.csv` when present and fall back to
//! generated news-like text otherwise, so `cargo bench` runs anywhere.
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use newsprov::corpus::{Article, CsvOptions, Label, read_labeled};
use newsprov::features::{FeatureParams, FeatureSpace, Lexicon, analyzer, style_features};
use newsprov::progress::Silent;
use newsprov::solver::LogisticParams;
use newsprov::train::{TrainOptions, train};
use std::hint::black_box;
use std::path::Path;

/// Articles from the shared corpus, or generated ones when it is absent.
fn articles(file: &str, max: usize) -> Vec<Article> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus").join(file);
    if let Ok(set) = read_labeled(&path, &CsvOptions::default()) {
        return set.articles.into_iter().take(max).collect();
    }
    generated(max)
}

fn generated(n: usize) -> Vec<Article> {
    const STATE: &[&str] = &[
        "The respected leader",
        "imperialists",
        "puppet forces",
        "the great victory",
        "as is well known",
        "the people's unity",
        "hostile forces",
        "glorious achievements",
        "under the wise guidance",
    ];
    const WIRE: &[&str] = &[
        "officials said on Tuesday",
        "according to a statement",
        "told reporters",
        "the ministry said",
        "shares fell 2.3%",
        "a spokesperson declined to comment",
        "in a regulatory filing",
    ];
    const AGG: &[&str] = &[
        "Key takeaways:",
        "Read more",
        "Here's what you need to know",
        "Don't miss",
        "In summary,",
        "Click here",
        "According to reports,",
        "You won't believe",
    ];
    const COMMON: &[&str] = &[
        "the",
        "government",
        "economy",
        "talks",
        "city",
        "on",
        "week",
        "new",
        "plan",
        "and",
        "of",
        "in",
        "workers",
        "Minister",
        "a",
        "to",
        "report",
        "million",
        "was",
        "Friday",
        "“quoted”",
        "can’t",
        "U.S.",
        "32.5",
        "naïve",
        "café",
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..n)
        .map(|i| {
            let label = Label::ALL[i % 3];
            let own = [STATE, WIRE, AGG][i % 3];
            let mut text = String::new();
            for p in 0..(3 + next() % 5) {
                for _ in 0..(20 + next() % 60) {
                    let w = if next() % 6 == 0 {
                        own[(next() % own.len() as u64) as usize]
                    } else {
                        COMMON[(next() % COMMON.len() as u64) as usize]
                    };
                    text.push_str(w);
                    text.push(if next() % 12 == 0 { '.' } else { ' ' });
                    text.push(' ');
                }
                if p > 0 {
                    text.push_str("\n\n");
                }
            }
            Article {
                id: format!("gen-{i}"),
                label,
                text,
                title: String::new(),
                outlet: String::new(),
                date: String::new(),
                line: i as u64 + 2,
            }
        })
        .collect()
}

fn bytes(texts: &[&str]) -> u64 {
    texts.iter().map(|t| t.len() as u64).sum()
}

fn benches(c: &mut Criterion) {
    let train_set = articles("train.csv", 2000);
    let dev_set = articles("dev.csv", 1000);
    let train_texts: Vec<&str> = train_set.iter().map(|a| a.text.as_str()).collect();
    let dev_texts: Vec<&str> = dev_set.iter().map(|a| a.text.as_str()).collect();

    let mut g = c.benchmark_group("tokenize");
    g.throughput(Throughput::Bytes(bytes(&dev_texts)));
    g.bench_function("normalize+words", |b| {
        let a = analyzer();
        b.iter(|| {
            let mut n = 0;
            for t in &dev_texts {
                let norm = a.normalize(t);
                let mut toks = Vec::new();
                a.tokens(&norm, &mut toks);
                n += toks.len();
            }
            black_box(n)
        })
    });
    g.finish();

    let lexicon = Lexicon::builtin().expect("built-in lexicon");
    let params = FeatureParams::default();
    let (space, _) = FeatureSpace::fit_matrix(&train_texts, &params, lexicon.clone()).expect("fit");
    let mut g = c.benchmark_group("features");
    g.throughput(Throughput::Bytes(bytes(&dev_texts)));
    g.bench_function("extract (all blocks, serial)", |b| {
        b.iter(|| dev_texts.iter().map(|t| space.extract(t).row.len()).sum::<usize>())
    });
    g.bench_function("style block (serial)", |b| {
        b.iter(|| dev_texts.iter().map(|t| style_features(t).len()).sum::<usize>())
    });
    g.bench_function("lexicon matches (serial)", |b| {
        b.iter(|| dev_texts.iter().map(|t| lexicon.find(t).len()).sum::<usize>())
    });
    g.bench_function("matrix (parallel)", |b| b.iter(|| space.matrix(&dev_texts).nnz()));
    g.finish();

    let mut g = c.benchmark_group("train");
    g.sample_size(10);
    for n in [500usize, 2000] {
        let slice = &train_set[..n.min(train_set.len())];
        let texts: Vec<&str> = slice.iter().map(|a| a.text.as_str()).collect();
        g.throughput(Throughput::Bytes(bytes(&texts)));
        g.bench_with_input(BenchmarkId::new("vocabulary+matrix", slice.len()), &texts, |b, texts| {
            b.iter(|| FeatureSpace::fit_matrix(texts, &params, lexicon.clone()).expect("fit").1.nnz())
        });
        g.bench_with_input(BenchmarkId::new("train 30 iterations", slice.len()), slice, |b, slice| {
            let mut opts = TrainOptions::new(lexicon.clone());
            opts.logistic = LogisticParams::default().max_iter(30);
            b.iter(|| train(slice, None, &opts, &Silent).expect("train").linear().iterations)
        });
    }
    g.finish();

    let mut opts = TrainOptions::new(lexicon.clone());
    opts.logistic = LogisticParams::default().max_iter(50);
    let model = train(&train_set, None, &opts, &Silent).expect("train");
    let mut g = c.benchmark_group("score");
    g.throughput(Throughput::Bytes(bytes(&dev_texts)));
    g.bench_function("predict_many (parallel)", |b| b.iter(|| model.predict_many(&dev_texts).len()));
    g.finish();
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);

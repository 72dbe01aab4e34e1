//! Feature names a reader understands, and a glossary of what each kind of feature measures, for
//! `explain`, `inspect` and their HTML. A model names its features by block prefix (`bow:`,
//! `framing:`, `style:`...); [`KINDS`] maps each prefix to a reading and a meaning, so a new
//! feature block needs one more row here (an unknown prefix is shown as it is).

/// One kind of feature, found by the prefix of its internal name.
pub struct FeatureKind {
    /// The start of the internal name, e.g. `framing:`. Longer prefixes are tried first.
    pub prefix: &'static str,
    /// What the kind is called in the glossary.
    pub kind: &'static str,
    /// The readable name of one feature, given the rest of its name after the prefix.
    pub describe: fn(&str) -> String,
    /// What a feature of this kind measures, for the glossary.
    pub meaning: &'static str,
}

/// Every kind of feature the models know. Add a row for a new block.
pub const KINDS: &[FeatureKind] = &[
    FeatureKind {
        prefix: "bow:",
        kind: "word / word pair",
        describe: word,
        meaning: "how often the word (or two-word sequence) occurs, weighted by how rare it was in the \
                  training data (tf-idf); it says what the article is about as much as how it is written",
    },
    FeatureKind {
        prefix: "framing_category:",
        kind: "framing category",
        describe: framing_category,
        meaning: "framing-lexicon terms of one category (e.g. leader honorifics, attribution) per 1,000 words",
    },
    FeatureKind {
        prefix: "framing:",
        kind: "framing term",
        describe: framing_term,
        meaning: "how often one framing-lexicon term (data/framing_terms.csv) occurs, per 1,000 words",
    },
    FeatureKind {
        prefix: "style:fw_",
        kind: "function word",
        describe: function_word,
        meaning: "how often a common function word (the, of, said...) occurs: a trace of the writer's \
                  habits rather than the topic",
    },
    FeatureKind {
        prefix: "style:",
        kind: "style",
        describe: style,
        meaning: "how the article is written: attribution, quotes, datelines, sentence and paragraph \
                  shape, pronouns, hedges, page chrome, punctuation; standardised over the training \
                  data, so 0 is average and 1 is one standard deviation above",
    },
    FeatureKind {
        prefix: "framing_reported:",
        kind: "quoted framing",
        describe: framing_reported,
        meaning: "framing-lexicon terms of one label that stand inside quotation marks or in a sentence                   that attributes them (\"KCNA called them 'imperialists'\"), per 1,000 words: a report                   about that framing rather than the framing itself",
    },
    FeatureKind {
        prefix: "masked:",
        kind: "masked n-gram",
        describe: masked,
        meaning: "a sequence of two or three tokens of the text with its content words masked (Xx a                   capitalised word, x a lower-case one, XX an all-caps one, 9 a number; function words,                   punctuation and line breaks kept): how an outlet writes, whatever the topic; several                   sequences can share one hashed column",
    },
    FeatureKind {
        prefix: "page:",
        kind: "page structure",
        describe: page,
        meaning: "the page around the article: lines of menus, related posts, share bars, comments and                   footers before and after the body, and what kind they are (repost credits, publisher                   lines, social buttons, comment forms); standardised like the style features",
    },
];

fn framing_reported(l: &str) -> String {
    format!("{} framing terms quoted or attributed", l.replace('_', " "))
}

fn masked(grams: &str) -> String {
    if grams.starts_with('#') {
        format!("masked n-gram column {grams}")
    } else {
        format!("masked n-gram \"{grams}\"")
    }
}

fn page(name: &str) -> String {
    let d = match name {
        "page_chrome_line_share" => "share of lines that are page chrome",
        "page_chrome_lines_before" => "chrome lines before the body (log)",
        "page_chrome_lines_after" => "chrome lines after the body (log)",
        "page_chrome_lines_inside" => "short non-sentence lines inside the body (log)",
        "page_menu_runs" => "runs of three or more menu-like lines",
        "page_separator_lines" => "chrome lines with separators (|, •, »)",
        "page_repost_markers" => "repost and SEO markers (posted by, via, related posts, read more)",
        "page_publisher_markers" => "publisher markers (copyright, print this, most read)",
        "page_social_markers" => "share-button words (share, tweet, facebook)",
        "page_comment_markers" => "comment-form words (leave a reply, comments)",
        "page_credit_lines" => "credit lines (Source:, Via, Provided by)",
        "page_body_char_share" => "share of the text in the body",
        other => return format!("page: {}", other.replace('_', " ")),
    };
    format!("page: {d}")
}

/// What the style features measure, by name (without `style:`).
const STYLE: &[(&str, &str)] = &[
    ("attribution_per_sentence", "attributions per sentence (said, told, according to)"),
    ("trailing_attribution_share", "attributions at the end of a sentence (\"..., officials said\")"),
    ("quote_share", "share of the text inside quotation marks"),
    ("quote_spans_per_sentence", "direct quotations per sentence"),
    ("dateline_start", "opens with a dateline (\"SEOUL, May 5 -\")"),
    ("mean_sentence_words", "mean sentence length in words"),
    ("sd_sentence_words", "spread of sentence lengths"),
    ("first_sentence_words", "length of the first sentence in words"),
    ("mean_paragraph_sentences", "sentences per paragraph"),
    ("single_paragraph", "the whole article is one paragraph"),
    ("paragraph_count_log", "number of paragraphs (log)"),
    ("words_log", "article length in words (log)"),
    ("mean_word_len", "mean word length"),
    ("long_word_share", "share of long words"),
    ("first_person_plural_rate", "rate of we / our / us"),
    ("first_person_singular_rate", "rate of I / me / my"),
    ("second_person_rate", "rate of you / your (addressing the reader)"),
    ("intensifier_rate", "rate of intensifiers (very, extremely, truly)"),
    ("evaluative_adj_rate", "rate of evaluative adjectives (shocking, great, heroic)"),
    ("hedge_rate", "rate of hedges (may, reportedly, appears to)"),
    ("transition_rate", "rate of essay transitions (furthermore, in conclusion)"),
    ("consensus_rate", "appeals to consensus (\"it is a common view\", \"as is well known\")"),
    ("contraction_rate", "rate of contractions (don't, it's)"),
    ("weekday_rate", "rate of weekday names (\"on Monday\")"),
    ("heading_lines", "heading lines"),
    ("list_lines", "bulleted or numbered list lines"),
    ("chrome_lines", "page-chrome lines (\"Read more\", \"Previous Article\")"),
    ("reader_questions", "questions to the reader (\"Did you know?\")"),
    ("question_rate", "rate of question marks"),
    ("exclamation_rate", "rate of exclamation marks"),
    ("number_rate", "rate of numbers"),
    ("capitalized_rate", "rate of capitalised words (names)"),
    ("all_caps_rate", "rate of all-capitals words"),
    ("commas_per_sentence", "commas per sentence"),
    ("semicolon_rate", "rate of semicolons"),
    ("colon_rate", "rate of colons"),
    ("dash_rate", "rate of dashes"),
    ("paren_rate", "rate of parentheses"),
];

fn word(w: &str) -> String {
    if w.contains(' ') { format!("words \"{w}\"") } else { format!("word \"{w}\"") }
}

fn framing_term(t: &str) -> String {
    format!("framing term \"{t}\"")
}

fn framing_category(c: &str) -> String {
    format!("framing terms of category {}", c.replace('_', " "))
}

fn function_word(w: &str) -> String {
    format!("rate of the function word \"{w}\"")
}

fn style(name: &str) -> String {
    match STYLE.iter().find(|(n, _)| *n == name) {
        Some((_, d)) => format!("style: {d}"),
        None => format!("style: {}", name.replace('_', " ")),
    }
}

/// The kind a feature name belongs to: the longest prefix that matches.
pub fn kind_of(name: &str) -> Option<&'static FeatureKind> {
    KINDS.iter().filter(|k| name.starts_with(k.prefix)).max_by_key(|k| k.prefix.len())
}

/// The readable name of a feature (`framing:great leader` reads `framing term "great leader"`);
/// a name of an unknown kind is returned as it is.
pub fn readable(name: &str) -> String {
    match kind_of(name) {
        Some(k) => (k.describe)(&name[k.prefix.len()..]),
        None => name.to_string(),
    }
}

/// The glossary as plain text, one kind per paragraph, wrapped to `width`.
pub fn glossary_text(width: usize) -> String {
    let mut out = wrap(
        "How to read the features: each one pushes an article toward a label by weight x value (its \
         contribution, added to that label's score before the softmax).",
        width,
        "",
    );
    out.push('\n');
    for k in KINDS {
        out.push('\n');
        out.push_str(&wrap(&format!("{}: {}.", k.kind, k.meaning), width, "  "));
        out.push('\n');
    }
    out
}

/// `text` wrapped to `width`, lines after the first indented by `indent`.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for w in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + w.chars().count() > width {
            lines.push(std::mem::take(&mut line));
            line.push_str(indent);
        }
        if !line.is_empty() && !line.ends_with(' ') {
            line.push(' ');
        }
        line.push_str(w);
    }
    lines.push(line);
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_words() {
        assert_eq!(readable("framing:great leader"), "framing term \"great leader\"");
        assert_eq!(readable("bow:told reporters"), "words \"told reporters\"");
        assert_eq!(readable("style:fw_the"), "rate of the function word \"the\"");
        assert_eq!(readable("style:dateline_start"), "style: opens with a dateline (\"SEOUL, May 5 -\")");
        assert_eq!(readable("style:new_thing"), "style: new thing");
        assert_eq!(readable("unknown:block"), "unknown:block");
    }

    #[test]
    fn every_style_feature_has_a_reading() {
        for n in crate::features::STYLE_FEATURE_NAMES.iter().filter(|n| !n.starts_with("fw_")) {
            assert!(STYLE.iter().any(|(s, _)| s == n), "style feature {n} has no entry in the glossary");
        }
    }

    #[test]
    fn glossary_names_every_kind() {
        let g = glossary_text(80);
        for k in KINDS {
            assert!(g.contains(k.kind), "{}", k.kind);
        }
        assert!(g.lines().all(|l| l.chars().count() <= 80), "{g}");
    }
}

//! Readable names for model features, for the explanation panel. Feature names come from the
//! model (`bow:`, `framing:`, `framing_category:`, `style:` prefixes); a style feature this table
//! does not know still gets a readable name made from its own.

/// A short description of what feature `name` measures.
pub fn describe(name: &str) -> String {
    let (kind, rest) = name.split_once(':').unwrap_or(("", name));
    match kind {
        "bow" => format!("the word or phrase \u{201c}{rest}\u{201d} (how often it occurs)"),
        "framing" => format!("framing term \u{201c}{rest}\u{201d} (lexicon match)"),
        "framing_category" => format!("framing terms of category \u{201c}{}\u{201d} (count)", words(rest)),
        "style" => style(rest),
        _ => words(name),
    }
}

fn words(s: &str) -> String {
    s.replace('_', " ")
}

fn style(n: &str) -> String {
    if let Some(w) = n.strip_prefix("fw_") {
        return format!("how often the function word \u{201c}{w}\u{201d} occurs");
    }
    let known = match n {
        "attribution_per_sentence" => "attributions (\u{201c}said\u{201d}, \u{201c}according to\u{201d}) per sentence",
        "trailing_attribution_share" => "share of sentences ending in an attribution (\u{201c}..., he said.\u{201d})",
        "quote_share" => "share of the text inside quotation marks",
        "quote_spans_per_sentence" => "quotations per sentence",
        "dateline_start" => "starts with a dateline (\u{201c}BEIJING, May 3 (Xinhua) --\u{201d})",
        "mean_sentence_words" => "average sentence length in words",
        "sd_sentence_words" => "spread of sentence lengths",
        "first_sentence_words" => "length of the first sentence in words",
        "mean_paragraph_sentences" => "average sentences per paragraph",
        "single_paragraph" => "the whole text is one paragraph",
        "paragraph_count_log" => "number of paragraphs (log)",
        "words_log" => "length in words (log)",
        "mean_word_len" => "average word length",
        "long_word_share" => "share of long words",
        "first_person_plural_rate" => "rate of \u{201c}we\u{201d}, \u{201c}our\u{201d}",
        "first_person_singular_rate" => "rate of \u{201c}I\u{201d}, \u{201c}my\u{201d}",
        "second_person_rate" => "rate of \u{201c}you\u{201d}",
        "intensifier_rate" => "rate of intensifiers (\u{201c}very\u{201d}, \u{201c}extremely\u{201d})",
        "evaluative_adj_rate" => "rate of evaluative adjectives (\u{201c}great\u{201d}, \u{201c}shameless\u{201d})",
        "hedge_rate" => "rate of hedges (\u{201c}may\u{201d}, \u{201c}reportedly\u{201d})",
        "transition_rate" => "rate of transitions (\u{201c}however\u{201d}, \u{201c}moreover\u{201d})",
        "consensus_rate" => "claims of consensus (\u{201c}experts agree\u{201d}) per sentence",
        "contraction_rate" => "rate of contractions (\u{201c}don't\u{201d})",
        "weekday_rate" => "rate of weekday names (wire copy dates events by weekday)",
        "heading_lines" => "lines that look like headings",
        "list_lines" => "lines that look like list items",
        "chrome_lines" => "page chrome lines (\u{201c}Share this\u{201d}, \u{201c}Read more\u{201d})",
        "reader_questions" => "questions addressed to the reader",
        "question_rate" => "question marks per sentence",
        "exclamation_rate" => "exclamation marks per sentence",
        "number_rate" => "rate of numbers",
        "capitalized_rate" => "rate of capitalized words",
        "all_caps_rate" => "rate of ALL-CAPS words",
        "commas_per_sentence" => "commas per sentence",
        "semicolon_rate" => "rate of semicolons",
        "colon_rate" => "rate of colons",
        "dash_rate" => "rate of dashes",
        "paren_rate" => "rate of parentheses",
        _ => return format!("style: {}", words(n)),
    };
    known.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_name_reads() {
        assert!(describe("bow:told reporters").contains("told reporters"));
        assert!(describe("framing:puppet").contains("framing term"));
        assert!(describe("style:fw_the").contains("\u{201c}the\u{201d}"));
        assert_eq!(describe("style:brand_new_feature"), "style: brand new feature");
        assert_eq!(describe("odd_name"), "odd name");
    }

}

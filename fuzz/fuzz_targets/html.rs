//! HTML to text: never panics, never grows the text much past the page.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let page = String::from_utf8_lossy(data);
    let text = newsprov::html::html_to_text(&page);
    // Character references can expand (`&nbsp;` is shorter, but `&#x10FFFF;`-style ones are not
    // longer either); line breaks replace tags at least as long. Allow slack for U+FFFD.
    assert!(text.len() <= page.len() * 3 + 16, "{} from {}", text.len(), page.len());
    assert_eq!(text, text.trim());
});

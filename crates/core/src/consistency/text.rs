//! Content files as plain text for the scan: HTML and Markdown markup is blanked out in
//! place, so every word keeps its line and findings point to the line of the source file.

use std::path::Path;

/// How a content file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    Plain,
    Markdown,
    Html,
}

impl TextFormat {
    /// By file extension; `None` for files that are no content (images, archives).
    pub fn from_path(path: &Path) -> Option<TextFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(TextFormat::Plain),
            "md" | "markdown" => Some(TextFormat::Markdown),
            "html" | "htm" | "xhtml" => Some(TextFormat::Html),
            _ => None,
        }
    }
}

/// The text of a file, markup replaced by spaces (line breaks kept), entities decoded.
pub fn plain_text(format: TextFormat, source: &str) -> String {
    match format {
        TextFormat::Plain => source.to_owned(),
        TextFormat::Markdown => blank_markdown(source),
        TextFormat::Html => blank_html(source),
    }
}

/// Keeps line breaks, turns everything else into spaces.
fn blank(out: &mut String, part: &str) {
    for c in part.chars() {
        out.push(if c == '\n' { '\n' } else { ' ' });
    }
}

fn blank_html(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(open) = rest.find('<') {
        push_decoded(&mut out, &rest[..open]);
        let tag = &rest[open..];
        let lower: String = tag.chars().take(8).flat_map(char::to_lowercase).collect();
        // Scripts, styles and comments hide no text for readers.
        let end = if lower.starts_with("<!--") {
            tag.find("-->").map(|e| e + 3)
        } else if lower.starts_with("<script") {
            find_ignore_case(tag, "</script>").map(|e| e + 9)
        } else if lower.starts_with("<style") {
            find_ignore_case(tag, "</style>").map(|e| e + 8)
        } else {
            tag.find('>').map(|e| e + 1)
        }
        .unwrap_or(tag.len());
        let markup = &tag[..end];
        blank(&mut out, markup);
        // A block-level tag separates sentences: its last two blanks become ". ", which ends
        // a sentence without adding a line (findings must point to the source's lines).
        if is_block(&lower) && markup.chars().rev().take(2).all(|c| c != '\n') {
            out.pop();
            out.pop();
            out.push_str(". ");
        }
        rest = &tag[end..];
    }
    push_decoded(&mut out, rest);
    out
}

fn is_block(tag_start: &str) -> bool {
    let name: String = tag_start
        .trim_start_matches(['<', '/'])
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    matches!(
        name.as_str(),
        "p" | "div"
            | "br"
            | "li"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "tr"
            | "td"
            | "th"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "ul"
            | "ol"
            | "table"
            | "dd"
            | "dt"
    )
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.char_indices().map(|(i, _)| i).find(|&i| {
        haystack[i..].len() >= needle.len()
            && haystack.is_char_boundary(i + needle.len())
            && haystack[i..i + needle.len()].eq_ignore_ascii_case(needle)
    })
}

/// Decodes the entities German web text uses, padding with spaces so the line keeps its
/// length roughly and exactly its line breaks.
fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after[..after.len().min(10)].find(';') else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let entity = &after[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" | "#39" => Some('\''),
            "nbsp" | "#160" => Some(' '),
            "euro" => Some('€'),
            "auml" => Some('ä'),
            "ouml" => Some('ö'),
            "uuml" => Some('ü'),
            "Auml" => Some('Ä'),
            "Ouml" => Some('Ö'),
            "Uuml" => Some('Ü'),
            "szlig" => Some('ß'),
            "ndash" => Some('–'),
            "mdash" => Some('—'),
            "bdquo" => Some('„'),
            "ldquo" => Some('“'),
            "rdquo" => Some('”'),
            _ => entity
                .strip_prefix('#')
                .and_then(|n| match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                })
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
}

/// Markdown is mostly text; only emphasis and heading marks and link targets' brackets go.
fn blank_markdown(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for (i, line) in source.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        let hashes = trimmed.chars().take_while(|&c| c == '#').count();
        let indent = line.len() - trimmed.len();
        let (lead, body) = if hashes > 0 && trimmed[hashes..].starts_with(' ') {
            line.split_at(indent + hashes)
        } else {
            line.split_at(0)
        };
        blank(&mut out, lead);
        for c in body.chars() {
            out.push(if matches!(c, '*' | '_' | '`' | '[' | ']') {
                ' '
            } else {
                c
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_tags_end_sentences_without_moving_lines() {
        let html = "<h2>Rückgabe?</h2><p>30 Tage</p>\n<p>Zweite Zeile</p>";
        let text = plain_text(TextFormat::Html, html);
        assert_eq!(text.lines().count(), 2);
        assert!(text.contains("Rückgabe?"));
        assert!(
            text.lines().next().is_some_and(|l| l.contains(". ")),
            "{text}"
        );
    }

    #[test]
    fn html_keeps_lines_and_decodes_entities() {
        let html = "<html><head><style>p { color: red }</style></head>\n<body>\n<p>R&uuml;ckgabe binnen <b>30&nbsp;Tagen</b>.</p>\n<script>var x = '14 Tage';</script>\n</body></html>";
        let text = plain_text(TextFormat::Html, html);
        assert_eq!(text.lines().count(), html.lines().count());
        let line3 = text.lines().nth(2).expect("line 3");
        assert!(
            line3.contains("Rückgabe binnen") && line3.contains("30 Tagen"),
            "{line3}"
        );
        assert!(!text.contains("14 Tage"), "scripts are not content");
        assert!(!text.contains("color"), "styles are not content");
    }

    #[test]
    fn markdown_marks_go_text_stays() {
        let md =
            "# Rückgabe\n\nSie haben **30 Tage** Zeit. Mehr im [FAQ](https://nordlicht.de/faq).";
        let text = plain_text(TextFormat::Markdown, md);
        assert_eq!(text.lines().count(), 3);
        assert!(text.starts_with("  Rückgabe"));
        assert!(text.contains("30 Tage"));
        assert!(text.contains("https://nordlicht.de/faq"));
    }

    #[test]
    fn formats_follow_extensions() {
        assert_eq!(
            TextFormat::from_path(Path::new("faq.HTML")),
            Some(TextFormat::Html)
        );
        assert_eq!(
            TextFormat::from_path(Path::new("news.md")),
            Some(TextFormat::Markdown)
        );
        assert_eq!(TextFormat::from_path(Path::new("logo.png")), None);
    }
}

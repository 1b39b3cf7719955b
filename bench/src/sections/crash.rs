//! The crash-safety section of `docs/benchmarks.md`, written by `crash-report` (`cargo xtask
//! crash`) and kept by `bench-report` when it rewrites the rest of the file.

/// The line that opens the section.
pub const START: &str = "<!-- crash-safety:start -->";
/// The line that closes it.
pub const END: &str = "<!-- crash-safety:end -->";

/// The section in `text`, markers included, if it has one.
pub fn section(text: &str) -> Option<&str> {
    let start = text.find(START)?;
    let end = text[start..].find(END)? + start + END.len();
    Some(&text[start..end])
}

/// `text` with its section replaced by `new` (or `new` appended when it has none).
pub fn replace_section(text: &str, new: &str) -> String {
    let new = new.trim_end();
    match (text.find(START), section(text)) {
        (Some(start), Some(old)) => {
            let end = start + old.len();
            format!("{}{new}{}", &text[..start], &text[end..])
        }
        _ => format!("{}\n\n{new}\n", text.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_is_replaced_in_place_or_appended() {
        let new = format!("{START}\nnew\n{END}");
        let appended = replace_section("# Bench\n\ntable\n", &new);
        assert_eq!(appended, format!("# Bench\n\ntable\n\n{new}\n"));
        let old = format!("# Bench\n{START}\nold\n{END}\nafter\n");
        assert_eq!(
            replace_section(&old, &new),
            format!("# Bench\n{new}\nafter\n")
        );
        assert_eq!(section(&appended), Some(new.as_str()));
    }
}

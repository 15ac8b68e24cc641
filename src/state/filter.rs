//! The `/` filter of a pane: a case-insensitive substring, inverted by a leading `!`.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// As typed, with the `!` if any.
    pub text: String,
    needle: String,
    invert: bool,
}

impl Filter {
    pub fn new(text: &str) -> Self {
        let (invert, needle) = match text.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        Self {
            text: text.to_string(),
            needle: needle.trim().to_lowercase(),
            invert,
        }
    }

    /// Whether the filter lets everything through (nothing typed yet).
    pub fn is_empty(&self) -> bool {
        self.needle.is_empty()
    }

    /// Whether a row whose searchable text is `haystack` (already lower case) is shown.
    pub fn keeps(&self, haystack_lower: &str) -> bool {
        self.is_empty() || haystack_lower.contains(&self.needle) != self.invert
    }
}

#[cfg(test)]
mod tests {
    use super::Filter;

    #[test]
    fn substring_case_insensitive_and_inverted() {
        let f = Filter::new("KAS");
        assert!(f.keeps("12 enabled kas admission prod"));
        assert!(!f.keeps("13 disabled gpu quota"));
        let f = Filter::new("!kas");
        assert!(!f.keeps("12 enabled kas admission prod"));
        assert!(f.keeps("13 disabled gpu quota"));
        assert!(Filter::new("!").keeps("anything"));
    }
}

//! The reader's colour theme preference, as stored in `localStorage`.

/// The event the theme switch fires on `window` once it has applied a choice, for what the
/// stylesheet cannot repaint by itself (a stage's canvas).
pub const THEME_CHANGED: &str = "atlas-theme-change";

/// Light, dark, or whatever the operating system prefers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The value kept in storage and in `<html data-theme>`; `System` is stored as nothing.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }

    /// Reads a stored value. Anything unknown (an old format, a hand-edited value) means `System`.
    pub fn parse(value: Option<&str>) -> Theme {
        match value.map(str::trim) {
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            _ => Theme::System,
        }
    }

    /// The attribute value for `<html data-theme>`, or `None` to follow the system.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            other => Some(other.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_storage() {
        for theme in Theme::ALL {
            assert_eq!(Theme::parse(Some(theme.as_str())), theme);
        }
    }

    #[test]
    fn garbage_falls_back_to_system() {
        for stored in [None, Some(""), Some("DARK"), Some("<script>"), Some("purple")] {
            assert_eq!(Theme::parse(stored), Theme::System);
        }
    }

    #[test]
    fn system_sets_no_attribute() {
        assert_eq!(Theme::System.attribute(), None);
        assert_eq!(Theme::Dark.attribute(), Some("dark"));
    }
}

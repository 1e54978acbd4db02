//! The language of the provider's pages: Swedish or English, from the request's `ui_locales`
//! (OIDC Core §3.1.2.1), else its `Accept-Language` (RFC 9110 §12.5.4), else the provider's
//! first offered UI locale.

use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;

/// A language the pages are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Locale {
    /// English.
    En,
    /// Swedish.
    Sv,
}

impl Locale {
    /// The BCP 47 tag.
    pub(crate) const fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Sv => "sv",
        }
    }

    /// The locale of a language tag's primary subtag (`sv-SE` → Swedish).
    fn of_tag(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("sv") {
            Some(Self::Sv)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Self::En)
        } else {
            None
        }
    }

    /// The page language for a request: the first of `ui_locales` (space-separated) that is
    /// offered, else the most preferred offered language of `Accept-Language`, else the first
    /// offered locale (Swedish when none of `offered` is one the pages have).
    pub(crate) fn choose(
        ui_locales: Option<&str>,
        headers: &HeaderMap,
        offered: &[String],
    ) -> Self {
        let offered: Vec<Self> = offered.iter().filter_map(|tag| Self::of_tag(tag)).collect();
        let fallback = offered.first().copied().unwrap_or(Self::Sv);
        let is_offered = |locale: &Self| offered.is_empty() || offered.contains(locale);
        if let Some(found) = ui_locales
            .unwrap_or_default()
            .split(' ')
            .filter_map(Self::of_tag)
            .find(is_offered)
        {
            return found;
        }
        let mut ranges: Vec<(u16, Option<Self>)> = headers
            .get_all(ACCEPT_LANGUAGE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .take(32)
            .filter_map(|range| {
                let mut parts = range.split(';').map(str::trim);
                let tag = parts.next()?;
                let quality = parts
                    .find_map(|p| p.strip_prefix("q=").or_else(|| p.strip_prefix("Q=")))
                    .map_or(Some(1000), quality_in_thousandths)?;
                let locale = if tag == "*" {
                    Some(fallback)
                } else {
                    Self::of_tag(tag)
                };
                Some((quality, locale))
            })
            .filter(|(quality, _)| *quality > 0)
            .collect();
        // Stable: equally preferred ranges keep the header's order.
        ranges.sort_by_key(|range| std::cmp::Reverse(range.0));
        ranges
            .into_iter()
            .filter_map(|(_, locale)| locale)
            .find(is_offered)
            .unwrap_or(fallback)
    }
}

/// A `qvalue` (`0`, `0.5`, `1.000`) in thousandths; `None` when malformed.
fn quality_in_thousandths(value: &str) -> Option<u16> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{fraction:0<3}");
    let thousandths: u16 = digits.parse().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

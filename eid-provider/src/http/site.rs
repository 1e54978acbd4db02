//! What the HTTP layer derives from the provider once: where its static files are, whether its
//! cookies are `Secure`, the realm of its challenges, the languages it offers; and the session
//! cookie it sets and clears.

use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;

use super::locale::Locale;
use super::page::Assets;
use super::request::session_cookie_name;
use crate::provider::Provider;
use crate::store::SessionId;

/// The provider's site settings.
#[derive(Clone, Debug)]
pub(crate) struct Site {
    pub(crate) assets: Assets,
    /// The session cookie's name (see [`session_cookie_name`]).
    pub(crate) session_cookie: String,
    secure: bool,
    realm: String,
    ui_locales: Vec<String>,
}

impl Site {
    /// The settings of `provider`.
    pub(crate) fn of(provider: &Provider) -> Self {
        let issuer = provider.issuer().as_str();
        let url = url::Url::parse(issuer).ok();
        let base = url.as_ref().map_or("", url::Url::path);
        Self {
            assets: Assets::new(base),
            session_cookie: session_cookie_name(issuer),
            secure: url.as_ref().is_none_or(|url| url.scheme() != "http"),
            realm: issuer.to_owned(),
            ui_locales: provider.config().ui_locales.clone(),
        }
    }

    /// The realm of `WWW-Authenticate: Basic` challenges: the issuer.
    pub(crate) fn realm(&self) -> &str {
        &self.realm
    }

    /// The page language for a request with these `ui_locales` and `headers`.
    pub(crate) fn locale(&self, ui_locales: Option<&str>, headers: &HeaderMap) -> Locale {
        Locale::choose(ui_locales, headers, &self.ui_locales)
    }

    fn cookie(&self, value: &str, extra: &str) -> Option<HeaderValue> {
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{extra}",
            self.session_cookie
        ))
        .ok()
    }

    /// Sets the session cookie to `session` on `response` (a browser session cookie: the
    /// server-side session holds the lifetime).
    pub(crate) fn set_session(&self, response: &mut Response, session: &SessionId) {
        if let Some(cookie) = self.cookie(session.expose_secret(), "") {
            response.headers_mut().append(SET_COOKIE, cookie);
        }
    }

    /// Clears the session cookie on `response`.
    pub(crate) fn clear_session(&self, response: &mut Response) {
        if let Some(cookie) = self.cookie("", "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT")
        {
            response.headers_mut().append(SET_COOKIE, cookie);
        }
    }
}

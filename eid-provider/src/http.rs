//! The HTTP layer of the provider: an axum [`Router`] serving every endpoint of a [`Provider`],
//! with one mapping from [`OAuthError`](crate::OAuthError) to responses, and the
//! [`Authenticator`] seam through which the person's login is done. (Being built.)

use std::sync::Arc;

use axum::Router;

use crate::provider::Provider;

mod authenticator;

pub use authenticator::{Authenticator, Logins};

/// The router of every endpoint of `provider`, at the paths its metadata publishes, with the
/// authenticator's own routes merged in.
pub fn router(provider: Arc<Provider>, authenticator: Arc<dyn Authenticator>) -> Router {
    let logins = Logins::new(Arc::clone(&provider));
    let _ = provider;
    authenticator.routes(logins)
}

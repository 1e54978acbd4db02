//! RP-initiated logout and back-channel logout tokens. (Being built.)

use crate::oauth_error::OAuthError;
use crate::params::Parameters;
use crate::provider::{EndSession, EndSessionOutcome, Provider};
use crate::store::SessionId;

pub(crate) async fn end_session(
    _provider: &Provider,
    _parameters: &Parameters,
    _session: Option<&SessionId>,
) -> EndSession {
    EndSession {
        outcome: EndSessionOutcome::Refused(OAuthError::server_error(
            "the end-session endpoint is not built yet",
        )),
        clear_session: false,
        backchannel: Vec::new(),
    }
}

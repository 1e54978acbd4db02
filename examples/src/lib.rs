//! Support for the runnable examples of eid; the programs themselves are in `examples/`:
//!
//! - `verify_id_token`: an e-service that embeds eid-core to verify the broker's ID token at
//!   the level it requires.
//! - `broker_with_mocks`: the broker and mock eID providers started from configuration files,
//!   with a browserless login end to end (`--self-test`).
//! - `workplace_login`: workplace login restricted to one organisation number.
//!
//! Two modules serve them, each using only the public API of eid's crates:
//!
//! - [`stack`]: the broker and its mock upstreams started from a broker TOML file and a mocks
//!   TOML file.
//! - [`login`]: a person's browser and an e-service without a browser: the authorization
//!   request with PKCE, the broker's choice page, the mock's login page, and the code
//!   redeemed at the token endpoint.

pub mod login;
pub mod stack;

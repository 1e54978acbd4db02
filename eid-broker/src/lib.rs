//! # eid-broker
//!
//! An OpenID Connect provider to e-services and a relying party to upstream eID providers.
//! The broker is the [`eid_provider`] engine with the upstream login as its authenticator:
//!
//! - [`Broker`]: the facade: [`Broker::from_config`], [`Broker::router`] (the engine's
//!   endpoints, the choice page `/choose`, the upstream callback `/upstream/callback`),
//!   [`Broker::ready`].
//! - [`config`]: the TOML configuration ([`BrokerConfig`]); errors name the file, line and key;
//!   [`config::check`] for `config check`.
//! - [`policy`]: per client, the accepted levels (exact or minimum), default levels, allowed
//!   upstreams, required claims and organisations; per login, which upstreams can meet the
//!   level and what each is asked for (never the client's own `acr_values`).
//! - [`selection`]: the provider-choice page (Swedish and English, accessible, no script).
//! - [`subject`]: person keys, account links and the pairwise or public `sub`.
//! - [`flow`]: the authenticator: policy, choice, upstream, checks, completion or abort.
//! - [`upstream`]: the relying party to one upstream eID provider.
//! - [`audit`]: the login events the audit log and the metrics observe; [`audit::AuditLog`]
//!   writes one JSON line per login (standard output by default).
//! - [`metrics`]: Prometheus metrics (logins by upstream, level and outcome; latency
//!   histograms) at `/metrics`; [`health`]: `/healthz` and `/readyz`; [`telemetry`]: human or
//!   JSON logs; [`serve`]: the served app and graceful shutdown (`eid-broker serve`).
//! - [`demo`]: `eid-broker demo`, the broker with four mock upstreams and a demo e-service in
//!   one process ([`demo::start`] runs it in tests).
//! - [`inspect`]: the `eid-broker inspect` command: an identifier, a level of assurance, an ID
//!   token, a machine-readable zone or a chip's security object, the way the broker sees it.
//!
//! ```
//! use eid_broker::inspect::{self, Outcome};
//!
//! let report = inspect::acr("http://id.swedenconnect.se/loa/1.0/loa3-nonresident");
//! assert_eq!(report.outcome, Outcome::Valid);
//! assert_eq!(report.body["identity_type"], "non_resident");
//! assert_eq!(report.body["permits_personal_identity_number"], false);
//! assert_eq!(report.outcome.exit_code(), 0);
//!
//! let report = inspect::acr("http://id.elegnamnden.se/loa/1.0/loa5");
//! assert_eq!(report.body["reason"], "unknown_acr");
//! assert_eq!(report.outcome.exit_code(), 1);
//! ```
#![doc(test(attr(deny(warnings))))]

pub mod audit;
pub mod broker;
pub mod config;
pub mod demo;
pub mod flow;
pub mod health;
pub mod inspect;
pub mod metrics;
pub mod policy;
pub mod selection;
pub mod serve;
pub mod subject;
pub mod telemetry;
pub mod upstream;

pub use broker::{Broker, BrokerError};
pub use config::{BrokerConfig, ConfigError};

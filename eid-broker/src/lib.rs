//! # eid-broker
//!
//! An OpenID Connect provider to e-services and a relying party to upstream eID providers.
//! Today it holds the `eid-broker` command line: [`inspect`] looks at an identifier, a level of
//! assurance, an ID token, a machine-readable zone or a chip's security object the way the
//! broker does, and says in JSON what it is or exactly why it was refused. The broker service
//! is being built on [`eid_provider`].
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

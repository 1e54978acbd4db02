//! `eid-broker demo`: the broker, four mock eID providers and a demo e-service in one process,
//! on 127.0.0.1.

pub mod eservice;
mod page;

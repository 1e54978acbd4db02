//! Runnable examples of eid's public API; see the `examples/` folder of this crate.

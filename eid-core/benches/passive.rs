//! Passive authentication benchmarks (work in progress).
fn main() {}

//! Support for eid's end-to-end tests (the tests themselves live in `tests/it/`).

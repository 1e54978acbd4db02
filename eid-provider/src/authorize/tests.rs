//! Tests of the authorization side.

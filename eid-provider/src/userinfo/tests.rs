use crate::token::testing::*;

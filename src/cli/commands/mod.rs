//! One module per command: each has a clap `Args` struct and a `run` function. Commands parse
//! and resolve options, call the library, and hand results to a renderer; they hold no logic of
//! their own.

pub mod lint;

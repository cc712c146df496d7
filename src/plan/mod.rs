//! Plans: the diff between configuration and state as a plain value.

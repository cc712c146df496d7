//! Writing to the terminal: colour decisions and error lines.

use std::io::IsTerminal;

/// Where and how to print.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// Colour stdout.
    pub color: bool,
    /// Colour stderr.
    pub color_err: bool,
}

impl Output {
    /// Decides colour from the flag, NO_COLOR and whether the streams are terminals.
    pub fn new(no_color: bool) -> Self {
        let allowed = !no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Output {
            color: allowed && std::io::stdout().is_terminal(),
            color_err: allowed && std::io::stderr().is_terminal(),
        }
    }

    /// Prints an error line to stderr.
    pub fn error(&self, msg: &str) {
        if self.color_err {
            eprintln!("\x1b[1;31merror\x1b[0m: {msg}");
        } else {
            eprintln!("error: {msg}");
        }
    }
}

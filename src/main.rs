use std::process::ExitCode;

fn main() -> ExitCode {
    emrform::cli::run()
}

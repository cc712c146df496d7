use std::process::ExitCode;

fn main() -> ExitCode {
    // Like other Unix tools, end quietly when the reader of our output goes away
    // (`emrform state list | head`) instead of failing on a broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let started = std::time::Instant::now();
    let code = emrform::cli::run();
    // `EMRFORM_STATS=1`: how much AWS traffic the command made (benchmarks read this line).
    if std::env::var_os("EMRFORM_STATS").is_some() {
        let secs = started.elapsed().as_secs_f64();
        let calls = emrform::providers::retry::api_calls();
        eprintln!(
            "emrform-stats: {calls} AWS calls in {secs:.3} s ({:.0} calls/s)",
            calls as f64 / secs.max(1e-9)
        );
    }
    code
}

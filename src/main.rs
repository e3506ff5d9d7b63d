//! The `ferry` binary: parse arguments, set up logging, run, exit with the documented code.

use clap::Parser;
use ferry::exit::Exit;

fn main() -> std::process::ExitCode {
    let cli = match ferry::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            // Help and version are successes; every other clap error is a usage error.
            return std::process::ExitCode::from(if e.use_stderr() { Exit::Usage.code() } else { 0 });
        }
    };
    if let Err(e) = ferry::logging::init(&cli.global) {
        eprintln!("ferry: {e}");
        return std::process::ExitCode::from(Exit::Usage.code());
    }
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ferry: cannot start the runtime: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let code = rt.block_on(ferry::run(cli));
    // Don't wait for blocking filesystem tasks of transfers that were cancelled.
    rt.shutdown_timeout(std::time::Duration::from_millis(200));
    std::process::ExitCode::from(code.code())
}

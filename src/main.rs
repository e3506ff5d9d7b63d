//! The `ferry` binary: parse arguments, set up logging, run, exit with the documented code.

use clap::Parser;
use ferry::exit::Exit;
use ferry::logging::{Level, Line};

fn main() -> std::process::ExitCode {
    let cli = match ferry::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // Help and version are successes; every other clap error is a usage error.
            if !e.use_stderr() {
                let _ = e.print();
                return std::process::ExitCode::from(0);
            }
            if ferry::logging::json_in_args(std::env::args_os()) {
                ferry::logging::set_format(ferry::cli::LogFormat::Json);
                let text = e.render().to_string();
                Line::new(Level::Error, "error", text.trim_end()).field("exit_code", Exit::Usage.code()).emit();
            } else {
                let _ = e.print();
            }
            return std::process::ExitCode::from(Exit::Usage.code());
        }
    };
    if let Err(e) = ferry::logging::init(&cli.global) {
        ferry::logging::error(None, &e);
        return std::process::ExitCode::from(Exit::Usage.code());
    }
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            Line::new(Level::Error, "error", format!("cannot start the runtime: {e}")).field("exit_code", 1).emit();
            return std::process::ExitCode::from(1);
        }
    };
    let code = rt.block_on(ferry::run(cli));
    // Don't wait for blocking filesystem tasks of transfers that were cancelled.
    rt.shutdown_timeout(std::time::Duration::from_millis(200));
    std::process::ExitCode::from(code.code())
}

//! The `mentorpair` command. Everything lives in [`mentorpair::cli`], which `python -m mentorpair`
//! calls too; see `docs/cli.md` for the subcommands and exit codes.

fn main() -> std::process::ExitCode {
    let code = mentorpair::cli::run(std::env::args_os());
    std::process::ExitCode::from(u8::try_from(code).unwrap_or(1))
}

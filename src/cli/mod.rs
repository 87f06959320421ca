//! The command line (SPEC section 7): parses arguments and calls into the library.

/// Runs the command line and returns the process exit code
/// (0 success, 2 bad input, 1 anything else).
pub fn main() -> i32 {
    eprintln!("kanta: not built yet");
    1
}

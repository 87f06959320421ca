fn main() {
    std::process::exit(kanta::cli::main());
}

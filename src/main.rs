fn main() {
    kanta::return_large_blocks();
    std::process::exit(kanta::cli::main());
}

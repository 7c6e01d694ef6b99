// The app binary: everything lives in the library so the tests drive the same `register`.
fn main() {
    roster_app::run();
}

//! The release .deb that `make package` builds: unpacked into a temporary root as dpkg would install
//! it, its desktop entry valid, and its binary — not the one cargo built for the tests — opening a
//! workspace until the directory shows.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::App;

const EMAIL: &str = "ada@northwind.example";
const PASSWORD: &str = "correct horse battery";

/// The .deb of this version, where `make package` leaves it.
fn deb() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("release/bundle/deb");
    let name = format!("Roster_{}_amd64.deb", env!("CARGO_PKG_VERSION"));
    let deb = dir.join(&name);
    assert!(deb.exists(), "{} is missing: run `make package` (or `make test`, which builds it first).", deb.display());
    deb
}

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("`{program}` could not run ({e}): `make test` installs it"));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{program} {args:?} failed: {text}");
    text
}

#[tokio::test]
async fn the_deb_installs_roster_with_its_menu_entry_and_the_packaged_app_opens_a_workspace() {
    let deb = deb();
    let root = tempfile::tempdir().unwrap();
    run("dpkg-deb", &["-x", deb.to_str().unwrap(), root.path().to_str().unwrap()]);
    let info = run("dpkg-deb", &["--field", deb.to_str().unwrap(), "Package", "Depends"]);
    assert!(info.contains("Package: roster"), "{info}");
    assert!(info.contains("libwebkit2gtk-4.1"), "the package depends on WebKitGTK: {info}");

    let usr = root.path().join("usr");
    for file in ["bin/roster", "bin/rosterctl", "share/icons/hicolor/128x128/apps/roster.png"] {
        assert!(usr.join(file).is_file(), "the .deb has no /usr/{file}");
    }
    let entry = usr.join("share/applications/Roster.desktop");
    let text = std::fs::read_to_string(&entry).expect("the .deb has a desktop entry for the applications menu");
    run("desktop-file-validate", &[entry.to_str().unwrap()]);
    for line in ["Exec=roster", "Icon=roster", "Name=Roster", "Type=Application"] {
        assert!(text.lines().any(|l| l == line), "the desktop entry lacks “{line}”:\n{text}");
    }

    // The packaged rosterctl sets up a company; the packaged app opens it and shows its directory.
    let workspace = root.path().join("workspace.roster");
    let rosterctl = usr.join("bin/rosterctl");
    run(rosterctl.to_str().unwrap(), &["--workspace", workspace.to_str().unwrap(), "demo", "--admin-email", EMAIL]);
    let set = Command::new(&rosterctl)
        .args(["--workspace", workspace.to_str().unwrap(), "set-password", EMAIL])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(PASSWORD.as_bytes())?;
            child.wait()
        })
        .unwrap();
    assert!(set.success(), "rosterctl set-password failed");

    let app = App::launch_binary("package", &usr.join("bin/roster"), &workspace, None).await;
    app.type_into("sign-in-email", EMAIL).await;
    app.type_into("sign-in-password", PASSWORD).await;
    app.click("sign-in-submit").await;
    app.text_is("license-meter", "218 of 250 seats used · 30 deactivated (not billed)").await;
    app.find_css("[data-testid=\"row\"][data-index=\"0\"] [data-testid=\"row-name\"]").await;
    app.quit().await;
}

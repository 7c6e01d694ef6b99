//! A private Secret Service for the tests that keep a password or passphrase in the keyring: a D-Bus
//! session bus of its own (`dbus-run-session`) with GNOME Keyring, its login keyring made and unlocked
//! in a temporary folder, so the tests never touch the keyring of the person running them. It lives as
//! long as the test process: its shell waits on a pipe that closes when the process exits, and the bus,
//! then the keyring daemon, go with it, and its folder is removed.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};

use roster_core::secrets;

const SCRIPT: &str =
    "printf '%s' roster-test-keyring | gnome-keyring-daemon --daemonize --unlock --components=secrets \
                      >/dev/null || exit 1
echo \"$DBUS_SESSION_BUS_ADDRESS\"
cat >/dev/null
rm -rf \"$HOME\"";

struct Service {
    _child: Child,
    _stdin: ChildStdin,
}

static SERVICE: OnceLock<Mutex<Service>> = OnceLock::new();

/// Starts the Secret Service (once per test process) and points this process's keyring at it. Call it
/// before anything asks `secrets::availability()`, which is remembered for the process.
pub fn start() {
    SERVICE.get_or_init(|| Mutex::new(launch()));
    let availability = secrets::availability();
    assert!(
        availability.available,
        "The test keyring (GNOME Keyring on a private D-Bus session) did not work: {}",
        availability.message
    );
}

fn launch() -> Service {
    for tool in ["/usr/bin/dbus-run-session", "/usr/bin/gnome-keyring-daemon"] {
        assert!(
            Path::new(tool).exists(),
            "The keyring tests run a private Secret Service ({tool}), which is not installed. `make test` installs \
             it (the packages gnome-keyring and dbus); or run `sudo apt-get install gnome-keyring dbus`."
        );
    }
    let dir = tempfile::tempdir().unwrap().keep();
    let (data, runtime) = (dir.join("data"), dir.join("runtime"));
    std::fs::create_dir_all(&data).unwrap();
    std::fs::create_dir_all(&runtime).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let mut child = Command::new("/usr/bin/dbus-run-session")
        .args(["--", "sh", "-c", SCRIPT])
        .env("HOME", &dir)
        .env("XDG_DATA_HOME", &data)
        .env("XDG_RUNTIME_DIR", &runtime)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(File::create(dir.join("keyring.log")).unwrap())
        .spawn()
        .expect("dbus-run-session starts");
    let mut address = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut address).unwrap();
    let address = address.trim().to_string();
    assert!(
        !address.is_empty(),
        "GNOME Keyring did not start on the test's D-Bus session:\n{}",
        std::fs::read_to_string(dir.join("keyring.log")).unwrap_or_default()
    );
    // Before any thread of this process asks the keyring (`start` runs first in every test that does).
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address);
    let stdin = child.stdin.take().unwrap();
    Service { _child: child, _stdin: stdin }
}

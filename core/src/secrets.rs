//! Secrets in the OS keyring (the Secret Service on Linux desktops, the Keychain on macOS, the Credential
//! Manager on Windows), never in the workspace file. Roster keeps one secret per account name, under
//! the service name of the app.

use std::sync::{mpsc, OnceLock};
use std::time::Duration;

use serde::Serialize;

use crate::error::{Code, Error, Result};

/// The keyring's service name: the app's identifier.
const SERVICE: &str = "app.roster.desktop";

/// How long the first look at the keyring may take before Roster decides it is not there.
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// Whether Roster can keep secrets on this desktop, and if not, why (a sentence for the admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Availability {
    pub available: bool,
    pub message: String,
}

/// Looks at the keyring once per process (at most a few seconds) and remembers the answer.
pub fn availability() -> Availability {
    static PROBED: OnceLock<Availability> = OnceLock::new();
    PROBED.get_or_init(probe).clone()
}

fn probe() -> Availability {
    if let Some(message) = missing_session_bus() {
        return unavailable(message);
    }
    // A keyring daemon that hangs (or a bus that never answers) must not hang Roster: the probe runs on
    // its own thread, and whatever it has not answered in time counts as unavailable.
    let (sender, receiver) = mpsc::channel();
    let spawned = std::thread::Builder::new().name("keyring-probe".into()).spawn(move || {
        let answer = keyring::Entry::new(SERVICE, "roster:probe").and_then(|entry| entry.get_password());
        let _ = sender.send(answer.map(|_| ()));
    });
    if spawned.is_err() {
        return unavailable(NO_SERVICE.into());
    }
    match receiver.recv_timeout(PROBE_TIMEOUT) {
        Ok(Ok(())) | Ok(Err(keyring::Error::NoEntry)) => Availability {
            available: true,
            message: "Passwords are kept in this desktop's keyring, not in the workspace file.".into(),
        },
        Ok(Err(keyring::Error::NoStorageAccess(_))) => unavailable(
            "The keyring of this desktop is locked or refused access: unlock it (or allow Roster), then restart \
             Roster. Until then Roster can only use a mail server without a password."
                .into(),
        ),
        Ok(Err(_)) => unavailable(NO_SERVICE.into()),
        Err(_) => unavailable(
            "The keyring of this desktop did not answer within 3 seconds: Roster can only use a mail server \
             without a password. Restart Roster once the keyring (for example GNOME Keyring or KWallet) runs."
                .into(),
        ),
    }
}

const NO_SERVICE: &str = "No Secret Service is running on this desktop: Roster can only use a mail server without a \
                          password. Start a keyring (for example GNOME Keyring or KWallet), then restart Roster.";

fn unavailable(message: String) -> Availability {
    Availability { available: false, message }
}

/// On Linux and the BSDs the Secret Service is reached over the D-Bus session bus. Without one, libdbus
/// would try to autolaunch a bus (starting processes, or waiting): say so at once instead.
#[cfg(all(unix, not(target_os = "macos"), not(target_os = "ios")))]
fn missing_session_bus() -> Option<String> {
    let address = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").filter(|a| !a.is_empty());
    let runtime_bus = std::env::var_os("XDG_RUNTIME_DIR")
        .filter(|d| !d.is_empty())
        .map(|d| std::path::Path::new(&d).join("bus"))
        .is_some_and(|bus| bus.exists());
    if address.is_none() && !runtime_bus {
        Some(
            "No Secret Service is running on this desktop (there is no D-Bus session): Roster can only use a \
             mail server without a password. Sign in to a desktop session with a keyring, then restart Roster."
                .into(),
        )
    } else {
        None
    }
}

#[cfg(not(all(unix, not(target_os = "macos"), not(target_os = "ios"))))]
fn missing_session_bus() -> Option<String> {
    None
}

fn check_available() -> Result<()> {
    let availability = availability();
    if availability.available {
        Ok(())
    } else {
        Err(Error::precondition_failed(availability.message))
    }
}

fn entry(account: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, account).map_err(keyring_error)
}

fn keyring_error(err: keyring::Error) -> Error {
    match err {
        keyring::Error::NoStorageAccess(_) => Error::new(
            Code::Unavailable,
            "The keyring of this desktop is locked or refused access: unlock it, then try again.",
        ),
        other => Error::new(
            Code::Unavailable,
            format!("The keyring of this desktop failed: {other}. Try again, or check that the keyring runs."),
        ),
    }
}

/// Keeps `secret` under `account`, replacing what was there.
pub fn store(account: &str, secret: &str) -> Result<()> {
    check_available()?;
    entry(account)?.set_password(secret).map_err(keyring_error)
}

/// The secret kept under `account`; None when there is none (or no keyring to keep one).
pub fn get(account: &str) -> Result<Option<String>> {
    if !availability().available {
        return Ok(None);
    }
    match entry(account)?.get_password() {
        Ok(secret) => Ok(Some(secret)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(err) => Err(keyring_error(err)),
    }
}

/// Forgets the secret under `account`; nothing to forget is fine.
pub fn delete(account: &str) -> Result<()> {
    if !availability().available {
        return Ok(());
    }
    match entry(account)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(err) => Err(keyring_error(err)),
    }
}

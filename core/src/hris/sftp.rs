//! The SFTP source: russh (client) and russh-sftp, on a small tokio runtime made for each call, on a
//! thread of its own (the core is synchronous, and this works whoever calls it).
//!
//! The server's host key is checked against the pinned SHA-256 fingerprint before anything else:
//! Roster never signs in to a server whose key an admin has not accepted. Every network step has a
//! time limit, and a download that ends short of the file's size is an error, never a short file.

use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use globset::GlobMatcher;
use russh::client::{self, Handle};
use russh::keys::{self, HashAlg, PrivateKeyWithHashAlg, PublicKeyOrCertificate};
use russh_sftp::client::error::Error as SftpError;
use russh_sftp::client::SftpSession;
use russh_sftp::protocol::StatusCode;
use tokio::io::AsyncReadExt;
use tokio::time::timeout;

use super::folder::{self, Listed};
use super::source::ConnectionTest;
use super::ImportFile;
use crate::error::{Code, Error, Result};

/// To reach the server, agree on keys and check its host key.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// To sign in.
const AUTH_TIMEOUT: Duration = Duration::from_secs(15);
/// For each SFTP request (open the session, list the folder, open the file).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// A download may take this long, plus 1 s for every `SLOW_BYTES_PER_SECOND` bytes of the file…
const FILE_TIMEOUT: Duration = Duration::from_secs(60);
const SLOW_BYTES_PER_SECOND: u64 = 256 * 1024;
/// …and may not stall (no bytes at all) for longer than this.
const STALL_TIMEOUT: Duration = Duration::from_secs(15);
/// The largest export Roster downloads (far above a 100,000-person file, about 10 MB).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// How Roster signs in.
pub enum Auth<'a> {
    /// A private key file (OpenSSH format, ed25519 or RSA), with its passphrase when it has one.
    Key {
        path: &'a Path,
        passphrase: Option<&'a str>,
    },
    Password(&'a str),
}

/// One SFTP source, as saved.
pub struct Server<'a> {
    pub host: &'a str,
    pub port: u16,
    pub username: &'a str,
    pub auth: Auth<'a>,
    pub remote_folder: &'a str,
    pub pattern: &'a str,
    /// The accepted host key fingerprint (`SHA256:…`).
    pub pinned: Option<&'a str>,
}

impl Server<'_> {
    fn place(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// Checks a fingerprint an admin accepts and returns it as `ssh-keygen -lf` writes it.
pub fn check_fingerprint(fingerprint: &str) -> Result<String> {
    let parsed: keys::ssh_key::Fingerprint = fingerprint.trim().parse().map_err(|_| {
        Error::invalid_input(format!(
            "“{}” is not a host key fingerprint: accept the one “Test connection” shows, which looks like \
             SHA256:… (43 more letters and digits).",
            fingerprint.trim()
        ))
    })?;
    if parsed.algorithm() != HashAlg::Sha256 {
        return Err(Error::invalid_input(
            "Roster pins SHA-256 fingerprints: accept the one “Test connection” shows, which starts with SHA256:.",
        ));
    }
    Ok(parsed.to_string())
}

fn fingerprint_of(key: &PublicKeyOrCertificate) -> String {
    match key {
        PublicKeyOrCertificate::PublicKey { key, .. } => key.fingerprint(HashAlg::Sha256).to_string(),
        PublicKeyOrCertificate::Certificate(cert) => cert.public_key().fingerprint(HashAlg::Sha256).to_string(),
    }
}

/// Accepts the server only when its host key is the pinned one; remembers the key it showed.
struct Checker {
    pinned: Option<String>,
    seen: Arc<Mutex<Option<String>>>,
}

impl client::Handler for Checker {
    type Error = russh::Error;

    async fn check_server_key(&mut self, key: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        let fingerprint = fingerprint_of(key);
        let matches = self.pinned.as_deref() == Some(fingerprint.as_str());
        *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = Some(fingerprint);
        Ok(matches)
    }
}

/// Why Roster did not go on with a server.
enum HostKey {
    /// Nothing pinned yet: the key the server showed.
    NotAccepted(String),
    /// The server showed another key than the pinned one.
    Changed { from: String, to: String },
}

enum Failure {
    HostKey(HostKey),
    Error(Error),
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        Failure::Error(err)
    }
}

fn unavailable(message: String) -> Error {
    Error::new(Code::Unavailable, message)
}

fn changed_message(server: &Server, from: &str, to: &str) -> String {
    format!(
        "The server's host key changed from {from} to {to}: this may be an attack (someone between Roster and \
         {}), or the server was reinstalled. Roster did not connect and imported nothing. Ask the server's \
         administrator whether its key changed; only if it did, accept the new key with Test connection in \
         Admin > Integrations > SFTP.",
        server.place()
    )
}

fn not_accepted_message(server: &Server, fingerprint: &str) -> String {
    format!(
        "The host key of {} ({fingerprint}) has not been accepted yet, so Roster did not connect: open Admin > \
         Integrations > SFTP, Test connection, compare the fingerprint with the one the server's administrator \
         gives, and accept it.",
        server.place()
    )
}

/// Runs `work` to its end on a current-thread runtime, on a thread of its own.
fn run<T: Send>(work: impl Future<Output = Result<T>> + Send) -> Result<T> {
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new().name("roster-sftp".into()).spawn_scoped(scope, || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| Error::new(Code::Internal, format!("Could not start the SFTP client: {e}")))?;
            let result = runtime.block_on(work);
            // A name lookup still running (the system resolver cannot be cancelled) must not hold the caller.
            runtime.shutdown_timeout(Duration::from_millis(200));
            result
        });
        match thread {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|_| Err(Error::new(Code::Internal, "The SFTP client stopped unexpectedly."))),
            Err(e) => Err(Error::new(Code::Internal, format!("Could not start the SFTP client: {e}"))),
        }
    })
}

/// Reads the private key before any network step, so a key problem is told as such.
fn load_key(path: &Path, passphrase: Option<&str>) -> Result<keys::PrivateKey> {
    let shown = path.display();
    match keys::load_secret_key(path, passphrase) {
        Ok(key) => Ok(key),
        Err(keys::Error::IO(e)) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::precondition_failed(
            format!("There is no private key file at {shown}: choose the key file in Admin > Integrations > SFTP."),
        )),
        Err(keys::Error::IO(e)) => Err(Error::precondition_failed(format!(
            "Roster cannot read the private key file {shown}: {e}. Give your account read access to it."
        ))),
        Err(keys::Error::KeyIsEncrypted) => Err(Error::precondition_failed(format!(
            "The private key {shown} is protected by a passphrase: enter it in Admin > Integrations > SFTP."
        ))),
        Err(_) if passphrase.is_some() => Err(Error::precondition_failed(format!(
            "Roster cannot open the private key {shown} with the stored passphrase: enter the key's passphrase \
             again in Admin > Integrations > SFTP (or check that the file is an OpenSSH private key)."
        ))),
        Err(e) => Err(Error::precondition_failed(format!(
            "{shown} is not a private key Roster can use ({e}): choose an OpenSSH private key (ed25519 or RSA), \
             for example one made with ssh-keygen -t ed25519."
        ))),
    }
}

/// A key loaded (or a password) ready to sign in with.
enum Credentials<'a> {
    Key { key: Arc<keys::PrivateKey>, path: &'a Path },
    Password(&'a str),
}

fn credentials<'a>(server: &Server<'a>) -> Result<Credentials<'a>> {
    Ok(match server.auth {
        Auth::Key { path, passphrase } => Credentials::Key { key: Arc::new(load_key(path, passphrase)?), path },
        Auth::Password(password) => Credentials::Password(password),
    })
}

async fn connect(server: &Server<'_>) -> Result<(Handle<Checker>, String), Failure> {
    let place = server.place();
    let reach = async {
        let addresses = tokio::net::lookup_host((server.host, server.port)).await.map_err(|e| {
            Error::new(
                Code::Unavailable,
                format!(
                    "Roster cannot find the SFTP server “{}” ({e}): check the host name in Admin > Integrations > \
                     SFTP, and this computer's network.",
                    server.host
                ),
            )
        })?;
        let mut last = None;
        for address in addresses {
            match tokio::net::TcpStream::connect(address).await {
                Ok(socket) => return Ok(socket),
                Err(e) => last = Some(e),
            }
        }
        let reason = last.map_or_else(|| "no address".to_string(), |e| e.to_string());
        Err(unavailable(format!(
            "Roster could not reach the SFTP server {place} ({reason}): check the host and port in Admin > \
             Integrations > SFTP, and that the server is running."
        )))
    };
    let seen = Arc::new(Mutex::new(None));
    let checker = Checker { pinned: server.pinned.map(str::to_string), seen: seen.clone() };
    let config = Arc::new(client::Config { nodelay: true, ..Default::default() });
    let handshake = async {
        let socket = reach.await?;
        client::connect_stream(config, socket, checker).await.map_err(|e| Failure::Error(connect_error(server, e)))
    };
    let result = timeout(CONNECT_TIMEOUT, handshake).await;
    let seen = seen.lock().unwrap_or_else(|p| p.into_inner()).clone();
    match result {
        Ok(Ok(handle)) => Ok((handle, seen.unwrap_or_default())),
        Ok(Err(failure)) => match (seen, server.pinned) {
            // The checker said no: tell which key, and what was pinned.
            (Some(to), None) => Err(Failure::HostKey(HostKey::NotAccepted(to))),
            (Some(to), Some(from)) if to != from => {
                Err(Failure::HostKey(HostKey::Changed { from: from.to_string(), to }))
            }
            _ => Err(failure),
        },
        Err(_) => Err(Failure::Error(unavailable(format!(
            "The SFTP server {place} did not answer within {} s: check the host and port (is it an SFTP \
             server?), and try again.",
            CONNECT_TIMEOUT.as_secs()
        )))),
    }
}

fn connect_error(server: &Server, err: russh::Error) -> Error {
    let place = server.place();
    match err {
        russh::Error::IO(e) => unavailable(format!(
            "The SFTP server {place} closed the connection while Roster connected ({e}): check that it is an SFTP \
             server, and try again."
        )),
        russh::Error::Disconnect | russh::Error::HUP => unavailable(format!(
            "The SFTP server {place} closed the connection while Roster connected: check that it is an SFTP \
             server and that it accepts this computer, and try again."
        )),
        russh::Error::NoCommonAlgo { kind, .. } => unavailable(format!(
            "Roster and the SFTP server {place} share no {kind:?} algorithm: the server is too old or limited; \
             ask its administrator to allow current SSH algorithms."
        )),
        other => unavailable(format!("The connection to the SFTP server {place} failed: {other}. Try again.")),
    }
}

async fn sign_in(handle: &mut Handle<Checker>, server: &Server<'_>, credentials: &Credentials<'_>) -> Result<()> {
    let place = server.place();
    let user = server.username;
    let attempt = async {
        match credentials {
            Credentials::Key { key, .. } => {
                let hash = if key.algorithm().is_rsa() {
                    // OpenSSH refuses SHA-1 RSA signatures; when the server does not say, use SHA-512.
                    handle.best_supported_rsa_hash().await.ok().flatten().unwrap_or(Some(HashAlg::Sha512))
                } else {
                    None
                };
                handle.authenticate_publickey(user, PrivateKeyWithHashAlg::new(key.clone(), hash)).await
            }
            Credentials::Password(password) => handle.authenticate_password(user, *password).await,
        }
    };
    let refused = || match credentials {
        Credentials::Key { path, .. } => Error::precondition_failed(format!(
            "The SFTP server {place} refused to sign in “{user}” with the key {}: check the user name, and that \
             the server has this key's public half (the .pub file) for that user.",
            path.display()
        )),
        Credentials::Password(_) => Error::precondition_failed(format!(
            "The SFTP server {place} refused the user name “{user}” with the stored password: check both in \
             Admin > Integrations > SFTP (the server may also accept only a key)."
        )),
    };
    match timeout(AUTH_TIMEOUT, attempt).await {
        Ok(Ok(result)) if result.success() => Ok(()),
        Ok(Ok(_)) => Err(refused()),
        Ok(Err(e)) => Err(unavailable(format!(
            "The SFTP server {place} broke off the sign-in ({e}): try again, or ask its administrator."
        ))),
        Err(_) => Err(unavailable(format!(
            "The SFTP server {place} did not answer the sign-in within {} s: try again later.",
            AUTH_TIMEOUT.as_secs()
        ))),
    }
}

/// A step of the SFTP conversation, within `REQUEST_TIMEOUT`.
async fn step<T, E: std::fmt::Display>(
    server: &Server<'_>,
    what: &str,
    work: impl Future<Output = std::result::Result<T, E>>,
) -> Result<T> {
    let place = server.place();
    match timeout(REQUEST_TIMEOUT, work).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(unavailable(format!("The SFTP server {place} failed to {what} ({e}): try again."))),
        Err(_) => Err(unavailable(format!(
            "The SFTP server {place} did not {what} within {} s: try again later.",
            REQUEST_TIMEOUT.as_secs()
        ))),
    }
}

async fn open_sftp(handle: &Handle<Checker>, server: &Server<'_>) -> Result<SftpSession> {
    let channel = step(server, "open a session", handle.channel_open_session()).await?;
    step(server, "start SFTP", channel.request_subsystem(true, "sftp")).await?;
    let sftp = step(server, "start SFTP", SftpSession::new(channel.into_stream())).await?;
    sftp.set_timeout(REQUEST_TIMEOUT.as_secs());
    Ok(sftp)
}

fn status_code(err: &SftpError) -> Option<StatusCode> {
    match err {
        SftpError::Status(status) => Some(status.status_code),
        _ => None,
    }
}

/// The remote folder, absolute, checked to be a folder.
async fn remote_folder(sftp: &SftpSession, server: &Server<'_>) -> Result<String> {
    let place = server.place();
    let folder = server.remote_folder;
    let missing = || {
        Error::not_found(format!(
            "The folder “{folder}” does not exist on the SFTP server {place}: check the remote folder in Admin > \
             Integrations > SFTP (ask the HRIS provider where the exports land)."
        ))
    };
    let failed = |e: SftpError| match status_code(&e) {
        Some(StatusCode::NoSuchFile) => missing(),
        Some(StatusCode::PermissionDenied) => Error::precondition_failed(format!(
            "The SFTP server {place} does not let “{}” see the folder “{folder}”: ask its administrator for access.",
            server.username
        )),
        _ => unavailable(format!("The SFTP server {place} failed to find the folder “{folder}” ({e}): try again.")),
    };
    let late = || {
        unavailable(format!(
            "The SFTP server {place} did not answer within {} s: try again later.",
            REQUEST_TIMEOUT.as_secs()
        ))
    };
    // OpenSSH makes a path absolute whether it exists or not: its attributes tell.
    let path = timeout(REQUEST_TIMEOUT, sftp.canonicalize(folder)).await.map_err(|_| late())?.map_err(failed)?;
    let meta = timeout(REQUEST_TIMEOUT, sftp.metadata(path.as_str())).await.map_err(|_| late())?.map_err(failed)?;
    if !meta.file_type().is_dir() {
        return Err(Error::precondition_failed(format!(
            "“{folder}” on the SFTP server {place} is a file, not a folder: enter the folder that holds the \
             exports in Admin > Integrations > SFTP."
        )));
    }
    Ok(path)
}

fn join(folder: &str, name: &str) -> String {
    format!("{}/{name}", folder.trim_end_matches('/'))
}

/// The matching regular files of the folder (links followed), newest first.
async fn list(sftp: &SftpSession, server: &Server<'_>, folder: &str, matcher: &GlobMatcher) -> Result<Vec<Listed>> {
    let place = server.place();
    let entries = match timeout(REQUEST_TIMEOUT, sftp.read_dir(folder)).await {
        Ok(Ok(entries)) => entries,
        Ok(Err(e)) if status_code(&e) == Some(StatusCode::NoSuchFile) => {
            return Err(Error::not_found(format!(
                "The folder {folder} does not exist on the SFTP server {place} (any more): check the remote folder \
                 in Admin > Integrations > SFTP."
            )))
        }
        Ok(Err(e)) if status_code(&e) == Some(StatusCode::PermissionDenied) => {
            return Err(Error::precondition_failed(format!(
                "The SFTP server {place} does not let “{}” list the folder {folder}.",
                server.username
            )))
        }
        Ok(Err(e)) => return Err(unavailable(format!("The SFTP server {place} failed to list {folder} ({e})."))),
        Err(_) => {
            return Err(unavailable(format!(
                "The SFTP server {place} did not list {folder} within {} s: try again later.",
                REQUEST_TIMEOUT.as_secs()
            )))
        }
    };
    let mut files = Vec::new();
    for entry in entries {
        let name = entry.file_name();
        if !matcher.is_match(&name) {
            continue;
        }
        let mut meta = entry.metadata();
        if meta.file_type().is_symlink() {
            match timeout(REQUEST_TIMEOUT, sftp.metadata(join(folder, &name))).await {
                Ok(Ok(target)) => meta = target,
                _ => continue, // a dangling link is no export
            }
        }
        if !meta.file_type().is_file() {
            continue;
        }
        let modified = std::time::UNIX_EPOCH + Duration::from_secs(u64::from(meta.mtime.unwrap_or(0)));
        files.push(Listed { name, modified, size: meta.size.unwrap_or(0) });
    }
    folder::sort_newest_first(&mut files);
    Ok(files)
}

/// Downloads `name` whole: its size is read from the open file, and fewer bytes is an error.
async fn download(sftp: &SftpSession, server: &Server<'_>, path: &str) -> Result<Vec<u8>> {
    let place = server.place();
    let dropped = |read: usize, size: u64, why: &str| {
        unavailable(format!(
            "The connection to the SFTP server {place} broke off while Roster downloaded {path} ({why}; {read} of \
             {size} bytes arrived): nothing was imported. Try again."
        ))
    };
    let mut file = match timeout(REQUEST_TIMEOUT, sftp.open(path)).await {
        Ok(Ok(file)) => file,
        Ok(Err(e)) if status_code(&e) == Some(StatusCode::PermissionDenied) => {
            return Err(Error::precondition_failed(format!(
                "The SFTP server {place} does not let “{}” read {path}: ask its administrator for read access.",
                server.username
            )))
        }
        Ok(Err(e)) => {
            return Err(unavailable(format!("The SFTP server {place} failed to open {path} ({e}): try again.")))
        }
        Err(_) => return Err(unavailable(format!("The SFTP server {place} did not open {path} in time: try again."))),
    };
    let size = match timeout(REQUEST_TIMEOUT, file.metadata()).await {
        Ok(Ok(meta)) => meta.size.unwrap_or(0),
        Ok(Err(e)) => {
            return Err(unavailable(format!("The SFTP server {place} failed to tell the size of {path} ({e}).")))
        }
        Err(_) => return Err(unavailable(format!("The SFTP server {place} did not tell the size of {path} in time."))),
    };
    if size > MAX_FILE_BYTES {
        return Err(Error::precondition_failed(format!(
            "{path} on {place} is {} MB: Roster imports files up to {} MB. Is it the HRIS export?",
            size / 1_000_000,
            MAX_FILE_BYTES / 1_000_000
        )));
    }
    let deadline = Instant::now() + FILE_TIMEOUT + Duration::from_secs(size / SLOW_BYTES_PER_SECOND);
    let mut bytes = Vec::with_capacity(size as usize);
    let mut chunk = vec![0u8; 256 * 1024];
    loop {
        let wait = deadline.saturating_duration_since(Instant::now()).min(STALL_TIMEOUT);
        match timeout(wait, file.read(&mut chunk)).await {
            Ok(Ok(0)) => break,
            Ok(Ok(n)) => {
                bytes.extend_from_slice(&chunk[..n]);
                if bytes.len() as u64 > size.max(MAX_FILE_BYTES) {
                    return Err(unavailable(format!(
                        "{path} on {place} kept growing while Roster downloaded it: nothing was imported. Try again \
                         once the HRIS has finished writing it."
                    )));
                }
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::TimedOut => {
                return Err(dropped(bytes.len(), size, "the server stopped answering"))
            }
            Ok(Err(_)) => return Err(dropped(bytes.len(), size, "the connection closed")),
            Err(_) if Instant::now() >= deadline => {
                return Err(unavailable(format!(
                    "Downloading {path} from {place} took too long ({} of {size} bytes arrived): nothing was \
                     imported. Try again when the network is faster.",
                    bytes.len()
                )))
            }
            Err(_) => return Err(dropped(bytes.len(), size, "no data for 15 s")),
        }
    }
    if bytes.len() as u64 != size {
        return Err(dropped(bytes.len(), size, "the file ended early"));
    }
    let _ = timeout(Duration::from_secs(2), file.close()).await;
    Ok(bytes)
}

async fn disconnect(handle: Handle<Checker>) {
    let _ = timeout(Duration::from_secs(2), handle.disconnect(russh::Disconnect::ByApplication, "", "en")).await;
}

/// The newest matching file on the server, whole, and its `sftp://` address.
pub fn fetch(server: &Server) -> Result<(String, ImportFile)> {
    let matcher = folder::matcher(server.pattern)?;
    let credentials = credentials(server)?;
    if let Some(pinned) = server.pinned {
        check_fingerprint(pinned)?;
    }
    run(async {
        let (mut handle, _) = match connect(server).await {
            Ok(connected) => connected,
            Err(Failure::Error(e)) => return Err(e),
            Err(Failure::HostKey(HostKey::NotAccepted(to))) => {
                return Err(Error::precondition_failed(not_accepted_message(server, &to)))
            }
            Err(Failure::HostKey(HostKey::Changed { from, to })) => {
                return Err(Error::precondition_failed(changed_message(server, &from, &to)))
            }
        };
        let fetched = async {
            sign_in(&mut handle, server, &credentials).await?;
            let sftp = open_sftp(&handle, server).await?;
            let folder = remote_folder(&sftp, server).await?;
            let files = list(&sftp, server, &folder, &matcher).await?;
            let Some(newest) = files.into_iter().next() else {
                return Err(folder::no_match(
                    &format!("{folder} on the SFTP server {}", server.place()),
                    server.pattern,
                ));
            };
            let path = join(&folder, &newest.name);
            let bytes = download(&sftp, server, &path).await?;
            let _ = timeout(Duration::from_secs(2), sftp.close()).await;
            let origin = format!("sftp://{}{}{path}", server.place(), if path.starts_with('/') { "" } else { "/" });
            Ok((origin, ImportFile { name: newest.name, bytes }))
        }
        .await;
        disconnect(handle).await;
        fetched
    })
}

/// "Test connection" on the server: see `source::test_connection`.
pub fn test(server: &Server) -> Result<ConnectionTest> {
    let matcher = folder::matcher(server.pattern)?;
    let credentials = credentials(server)?;
    run(async {
        let (mut handle, fingerprint) = match connect(server).await {
            Ok(connected) => connected,
            Err(Failure::Error(e)) => return Err(e),
            Err(Failure::HostKey(HostKey::NotAccepted(fingerprint))) => {
                let message = format!(
                    "First connection to {}: its host key fingerprint is {fingerprint}. Compare it with the one \
                     the server's administrator (or your HRIS provider) gives; if they are the same, accept it. \
                     Roster signs in only to a server whose key you accepted.",
                    server.place()
                );
                return Ok(ConnectionTest { fingerprint, pinned: false, changed_from: None, files: vec![], message });
            }
            Err(Failure::HostKey(HostKey::Changed { from, to })) => {
                let message = changed_message(server, &from, &to);
                return Ok(ConnectionTest {
                    fingerprint: to,
                    pinned: false,
                    changed_from: Some(from),
                    files: vec![],
                    message,
                });
            }
        };
        let tested = async {
            sign_in(&mut handle, server, &credentials).await?;
            let sftp = open_sftp(&handle, server).await?;
            let folder = remote_folder(&sftp, server).await?;
            let files = list(&sftp, server, &folder, &matcher).await?;
            let _ = timeout(Duration::from_secs(2), sftp.close()).await;
            let place = server.place();
            let message = match files.first() {
                None => format!(
                    "Connected to {place} as {}: no file in {folder} matches “{}” yet.",
                    server.username, server.pattern
                ),
                Some(newest) => format!(
                    "Connected to {place} as {}: {} matching file{} in {folder}; the next import reads {}.",
                    server.username,
                    files.len(),
                    if files.len() == 1 { "" } else { "s" },
                    newest.name
                ),
            };
            Ok(ConnectionTest {
                fingerprint: fingerprint.clone(),
                pinned: true,
                changed_from: None,
                files: files.into_iter().map(|f| f.name).collect(),
                message,
            })
        }
        .await;
        disconnect(handle).await;
        tested
    })
}

//! A real OpenSSH `sshd` for the SFTP tests: Debian's openssh-server on 127.0.0.1, on its own free port,
//! with a generated host key, the test's client keys as authorized keys and `internal-sftp`. It logs in
//! the user the tests run as (root in the containers `make test` runs in: root's `*` in /etc/shadow is
//! not a locked account for OpenSSH on Linux, only a `!` is). Stopped when dropped.
//!
//! Also: client keys made with `ssh-keygen`, a TCP proxy that cuts the connection after so many bytes
//! (a connection dropped mid-file, deterministically), and a private Secret Service for the keyring.
#![allow(dead_code)] // each test uses its own part of this

pub mod keyring;

use std::fs::File;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SSHD: &str = "/usr/sbin/sshd";

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn require_openssh() {
    assert!(
        Path::new(SSHD).exists() && Command::new("ssh-keygen").arg("-?").output().is_ok(),
        "The SFTP tests run a real OpenSSH server ({SSHD}) and ssh-keygen, which are not installed. `make test` \
         installs openssh-server; or run `sudo apt-get install openssh-server`."
    );
}

/// The user the tests run as: the one sshd can log in.
pub fn user() -> String {
    let out = Command::new("id").arg("-un").output().expect("id runs");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// As root, sshd needs its privilege separation folder (made by systemd at boot, absent in containers)
/// and refuses a locked root (`!` in /etc/shadow).
fn prepare_root() {
    if !is_root() {
        return;
    }
    std::fs::create_dir_all("/run/sshd").expect("make /run/sshd for sshd's privilege separation");
    let shadow = std::fs::read_to_string("/etc/shadow").unwrap_or_default();
    let root = shadow.lines().find_map(|l| l.strip_prefix("root:")).unwrap_or_default();
    assert!(
        !root.starts_with('!'),
        "The SFTP tests log in to a local sshd as the user they run as, root here, but root's account is locked \
         (its password field in /etc/shadow starts with `!`), and OpenSSH refuses locked accounts. Run the tests \
         as a normal user, or unlock root's account for key logins with `usermod -p '*' root`."
    );
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum KeyType {
    Ed25519,
    Rsa,
}

/// A key pair made by ssh-keygen.
pub struct Key {
    pub path: PathBuf,
    pub public: String,
}

/// Makes a key pair in `dir` (OpenSSH format), with `passphrase` ("" for none).
pub fn keygen(dir: &Path, name: &str, kind: KeyType, passphrase: &str) -> Key {
    require_openssh();
    let path = dir.join(name);
    let mut command = Command::new("ssh-keygen");
    command.args(["-q", "-N", passphrase, "-C", name, "-f"]).arg(&path);
    match kind {
        KeyType::Ed25519 => command.args(["-t", "ed25519"]),
        KeyType::Rsa => command.args(["-t", "rsa", "-b", "3072"]),
    };
    let out = command.stdin(Stdio::null()).output().expect("ssh-keygen runs");
    assert!(out.status.success(), "ssh-keygen failed: {}", String::from_utf8_lossy(&out.stderr));
    let public = std::fs::read_to_string(path.with_extension("pub")).unwrap();
    Key { path, public }
}

/// The SHA-256 fingerprint of a public key file, as `ssh-keygen -lf` prints it.
pub fn fingerprint(public_key_file: &Path) -> String {
    let out = Command::new("ssh-keygen").args(["-E", "sha256", "-lf"]).arg(public_key_file).output().unwrap();
    assert!(out.status.success(), "ssh-keygen -lf failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().split_whitespace().nth(1).unwrap().to_string()
}

pub struct Sshd {
    child: Option<Child>,
    pub port: u16,
    dir: tempfile::TempDir,
    generation: u32,
}

impl Sshd {
    /// Starts sshd with a new host key, letting in the holders of `authorized` keys.
    pub fn start(authorized: &[&Key]) -> Sshd {
        require_openssh();
        prepare_root();
        let dir = tempfile::tempdir().unwrap();
        let keys: String = authorized.iter().map(|k| k.public.clone()).collect();
        std::fs::write(dir.path().join("authorized_keys"), keys).unwrap();
        let mut sshd = Sshd { child: None, port: free_port(), dir, generation: 0 };
        sshd.new_host_key();
        sshd.run();
        sshd
    }

    fn host_key(&self) -> PathBuf {
        self.dir.path().join(format!("host_key_{}", self.generation))
    }

    fn new_host_key(&mut self) {
        self.generation += 1;
        keygen(self.dir.path(), &format!("host_key_{}", self.generation), KeyType::Ed25519, "");
    }

    /// The host key's SHA-256 fingerprint, as `ssh-keygen -lf` prints it.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.host_key().with_extension("pub"))
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("sshd.log")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    fn run(&mut self) {
        let dir = self.dir.path();
        let config = dir.join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "ListenAddress 127.0.0.1\n\
                 Port {port}\n\
                 HostKey {host_key}\n\
                 AuthorizedKeysFile {authorized}\n\
                 Subsystem sftp internal-sftp\n\
                 StrictModes no\n\
                 PidFile none\n\
                 UsePAM no\n\
                 PermitRootLogin prohibit-password\n\
                 PubkeyAuthentication yes\n\
                 PasswordAuthentication yes\n\
                 KbdInteractiveAuthentication no\n\
                 LogLevel VERBOSE\n",
                port = self.port,
                host_key = self.host_key().display(),
                authorized = dir.join("authorized_keys").display(),
            ),
        )
        .unwrap();
        let log = File::options().create(true).append(true).open(self.log_path()).unwrap();
        let child = Command::new(SSHD)
            .args(["-D", "-e", "-f"])
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("sshd starts");
        self.child = Some(child);
        self.wait_until_listening();
    }

    fn wait_until_listening(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                panic!("sshd on port {} stopped ({status}):\n{}", self.port, self.log());
            }
            if TcpStream::connect_timeout(&([127, 0, 0, 1], self.port).into(), Duration::from_millis(200)).is_ok() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "sshd did not listen on port {} within 20 s:\n{}",
                self.port,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the server (the port then refuses connections).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Restarts the server on the same port with a new host key, as a reinstalled (or impostor) server.
    pub fn restart_with_new_host_key(&mut self) {
        self.stop();
        self.new_host_key();
        self.run();
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A TCP proxy to `target` on 127.0.0.1 for one connection: it passes `limit` bytes from the server to
/// the client, then cuts the connection both ways. Returns its port.
pub fn cutting_proxy(target: u16, limit: usize) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let Ok((client, _)) = listener.accept() else { return };
        let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else { return };
        let (mut client_in, mut server_out) = (client.try_clone().unwrap(), server.try_clone().unwrap());
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut client_in, &mut server_out);
        });
        let (mut server_in, mut client_out) = (server.try_clone().unwrap(), client.try_clone().unwrap());
        let mut passed = 0;
        let mut buffer = [0u8; 16 * 1024];
        while passed < limit {
            let Ok(n) = server_in.read(&mut buffer) else { break };
            if n == 0 {
                break;
            }
            let n = n.min(limit - passed);
            if client_out.write_all(&buffer[..n]).is_err() {
                break;
            }
            passed += n;
        }
        let _ = client.shutdown(Shutdown::Both);
        let _ = server.shutdown(Shutdown::Both);
    });
    port
}

/// A server that accepts connections and never says a word. Returns its port.
pub fn silent_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut open = Vec::new();
        for stream in listener.incoming().flatten() {
            open.push(stream);
        }
    });
    port
}

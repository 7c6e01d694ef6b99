mod common;
use roster_core::mail::{self, Letter, Security, Smtp};
#[test]
fn authcheck() {
    eprintln!("availability: {:?}", roster_core::secrets::availability());
    let port = 25870;
    let mut child = std::process::Command::new("python3")
        .args(["/tmp/authcheck/server.py", &port.to_string(), "/tmp/authcheck/maildir"])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(2));
    let c = common::company(10);
    let smtp = Smtp { host: "127.0.0.1".into(), port, security: Security::None, username: Some("ada".into()) };
    let s = mail::save_settings(&c.ws, &c.admin, Some(smtp.clone()), Some("wrong")).unwrap();
    eprintln!("settings: {s:?}");
    let item = mail::send_test(&c.ws, &c.admin, "bob@acme.test").unwrap();
    eprintln!("wrong pw: {item:?}");
    mail::save_settings(&c.ws, &c.admin, Some(smtp.clone()), Some("s3cret")).unwrap();
    let item = mail::retry(&c.ws, &c.admin, &item.id).unwrap();
    eprintln!("right pw: {item:?}");
    let s = mail::save_settings(&c.ws, &c.admin, None, None).unwrap();
    eprintln!("removed: {s:?}");
    let _ = child.kill();
}

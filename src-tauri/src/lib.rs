//! The Tauri shell: parses the command line, opens the workspace and registers the commands. It holds
//! no rules; every command is glue over `roster_core`.

mod commands;
mod session;
mod state;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use roster_core::Workspace;
use tauri::{Builder, Runtime};

pub use state::AppState;

#[derive(Parser)]
#[command(name = "roster", version, about = "Roster: run your company's user accounts.")]
struct Args {
    /// Open (or create) this workspace file instead of the default one in the app's data folder.
    #[arg(long, value_name = "PATH")]
    workspace: Option<PathBuf>,
}

/// Registers the commands and lists their names from the same source, so the tests can check the
/// access of every command there is.
macro_rules! commands {
    ($($module:ident :: $name:ident),* $(,)?) => {
        /// Every command the webview can call.
        pub const COMMANDS: &[&str] = &[$(stringify!($name)),*];

        fn invoke_handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(commands::$module::$name),*]
        }
    };
}

commands![
    workspace::workspace_status,
    workspace::setup_company,
    access::sign_in,
    access::sign_out,
    access::request_password_code,
    access::set_password_with_code,
    access::change_password,
    access::session_timeout,
    access::set_session_timeout,
    access::send_password_mail,
    directory::license,
    directory::directory_page,
    directory::directory_ids,
    lifecycle::deactivation_plan,
    lifecycle::deactivate,
    lifecycle::reactivate,
    lifecycle::undo,
    profile::person_profile,
    audit::audit_list,
    audit::audit_actions,
    audit::audit_export,
    merge::merge_preview,
    merge::merge,
    erase::erase_preview,
    erase::export_person,
    erase::erase,
    hris::import_source,
    hris::save_import_source,
    hris::pick_key_file,
    hris::test_import_connection,
    hris::accept_host_key,
    hris::set_automatic_imports,
    hris::set_import_interval,
    hris::set_import_rules,
    hris::import_now,
    hris::pick_import_file,
    hris::plan_import_file,
    hris::import_file,
    hris::import_runs,
    hris::import_run,
    hris::apply_held_import,
    hris::discard_held_import,
    hris::set_sync_hold,
    hris::clear_sync_hold,
    hris::import_mapping,
    hris::save_import_mapping,
    hris::import_sample,
    mail::mail_settings,
    mail::save_mail_settings,
    mail::send_test_mail,
    mail::outbox,
    mail::retry_mail,
    subscription::subscription,
    subscription::restart_subscription,
    subscription::review_cycles,
    subscription::departments,
    subscription::create_review_cycle,
    subscription::start_review_cycle,
];

/// The commands a window may call before anyone signs in.
pub const PUBLIC_COMMANDS: &[&str] =
    &["workspace_status", "setup_company", "sign_in", "request_password_code", "set_password_with_code"];

/// The commands an employee may call (for themselves); every other command needs an admin.
pub const EMPLOYEE_COMMANDS: &[&str] = &["sign_out", "change_password", "person_profile"];

/// Everything the app registers; the app and the mock-runtime tests share it.
pub fn register<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder.plugin(tauri_plugin_dialog::init()).invoke_handler(invoke_handler())
}

/// Background work once the workspace is open: the directory's index is read while the window opens
/// and someone signs in; mail that could not be sent is retried (each mail waits longer between
/// attempts; see `mail::deliver`); every minute the mentions index is merged a step at a time, so
/// "Delete user and all data" stays fast (`erase::tidy_mentions_step`); and with "Run automatic
/// imports" on, the HRIS file is imported whenever the interval has passed (checked every few
/// seconds, so switching it on or starting the app imports promptly).
fn background_work(ws: Arc<Workspace>) {
    let directory_ws = ws.clone();
    std::thread::spawn(move || {
        let _ = roster_core::directory::prepare(&directory_ws);
        trim_heaps();
    });
    let tidy_ws = ws.clone();
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(60));
        // A pause between steps lets people's own changes through first.
        while let Ok(true) = roster_core::erase::tidy_mentions_step(&tidy_ws) {
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let mail_ws = ws.clone();
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(60));
        let _ = roster_core::mail::deliver(&mail_ws, false);
    });
    std::thread::spawn(move || loop {
        let _ = roster_core::hris::sync::sync_if_due(&ws, chrono::Utc::now());
        std::thread::sleep(Duration::from_secs(5));
    });
}

/// Big buffers (the directory's index is built from ~20 MB of them, an HRIS plan from more) go back
/// to the system when freed. glibc otherwise raises its mmap threshold after the first such buffer
/// is freed and keeps later ones in its heap, so an idle app would hold what its last rebuild used.
fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator settings; it is called before any other thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// WebKit hands no frames over in GPU buffers (DMA-BUF): the page is painted on the CPU anyway
/// (`paint_without_gpu`), and setting that transport up held ~6 MB in the web process and ~2.5 MB in
/// the app (measured idle at 100,000 people: 251 MB for the three processes, 243 MB without it). Read
/// by WebKit when the first window opens, so set before anything starts; a value set by whoever starts
/// Roster is left as it is.
fn no_gpu_buffers() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
}

/// Returns the pages that reading the directory's index used and freed: glibc keeps the free space
/// between live allocations, which an idle app would otherwise hold (~2.5 MB at 100,000 people).
fn trim_heaps() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only hands free pages of the allocator's own heaps back to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// WebKit paints the page on the CPU, as the benchmarks measure it. Its GPU path, on a machine with no
/// GPU driver (a virtual desktop, a remote session), is Mesa's software renderer, which held ~100 MB
/// more in the web process (337 MB for the app idle, against a budget of 250).
fn paint_without_gpu(app: &tauri::App) {
    #[cfg(target_os = "linux")]
    if let Some(window) = tauri::Manager::get_webview_window(app, "main") {
        let _ = window.with_webview(|webview| {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
            if let Some(settings) = webview.inner().settings() {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
    }
}

pub fn run() {
    return_freed_memory();
    no_gpu_buffers();
    let args = Args::parse();
    let path = args.workspace.unwrap_or_else(roster_core::workspace::default_path);
    register(tauri::Builder::default())
        .setup(|app| {
            paint_without_gpu(app);
            Ok(())
        })
        .manage(AppState::open(path, background_work))
        .run(tauri::generate_context!())
        .expect("Roster could not open its window");
}

//! `rosterctl`: everything the app does, from a terminal or a script, through the same core functions,
//! with the same checks and the same audit trail (source "cli").

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Utc;
use clap::{Parser, Subcommand, ValueEnum};
use roster_core::access::{codes, sessions};
use roster_core::audit::{self, Filter, Source};
use roster_core::company::{self, Setup};
use roster_core::directory::{self, Query, SortKey, View};
use roster_core::lifecycle::{self, Handover};
use roster_core::review_cycles::{self, Cycle, NewCycle};
use roster_core::subscription::{self, Subscription};
use roster_core::{access, demo, erase, history, license, mail, merge, workspace, Error, Workspace};
use serde::Serialize;

#[derive(Parser)]
#[command(name = "rosterctl", version, about = "Run Roster's directory from the command line.")]
struct Cli {
    /// The workspace file (default: the app's own workspace).
    #[arg(long, global = true, value_name = "PATH")]
    workspace: Option<PathBuf>,
    /// Print results (and errors) as JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct CompanyArgs {
    /// The company's name.
    #[arg(long)]
    company: String,
    /// Seats in the license.
    #[arg(long)]
    seats: i64,
    /// The first admin's first name.
    #[arg(long)]
    admin_first_name: String,
    /// The first admin's last name.
    #[arg(long)]
    admin_last_name: String,
    /// The first admin's email.
    #[arg(long)]
    admin_email: String,
    /// The subscription's last paid day (YYYY-MM-DD; default: a year from today).
    #[arg(long, value_name = "DATE")]
    subscription_until: Option<String>,
}

#[derive(Subcommand)]
enum SubscriptionCommand {
    /// Plan, seats and whether it is active or lapsed.
    Show,
    /// Restart (or extend) the subscription.
    Restart {
        #[arg(long)]
        seats: i64,
        /// The last paid day, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        until: String,
    },
}

#[derive(Subcommand)]
enum CycleCommand {
    /// The review cycles, newest first.
    List,
    /// Draft a cycle; participants are the active people (of one department, if given).
    Create {
        #[arg(long)]
        name: String,
        #[arg(long, value_name = "DATE")]
        starts: String,
        #[arg(long, value_name = "DATE")]
        ends: String,
        #[arg(long)]
        department: Option<String>,
    },
    /// Start a drafted cycle: a pending review for each participant (needs an active subscription).
    Start { id: String },
}

#[derive(Clone, Copy, ValueEnum)]
enum ViewArg {
    Billable,
    Deactivated,
    All,
}

#[derive(Subcommand)]
enum Command {
    /// Create the company and its first admin in a new workspace.
    Init(CompanyArgs),
    /// Create a demo company: about 250 people with their history (or as many as --people says).
    Demo {
        #[arg(long, default_value = "Northwind Labs")]
        company: String,
        #[arg(long, default_value_t = 250)]
        seats: i64,
        #[arg(long, default_value = "Ada")]
        admin_first_name: String,
        #[arg(long, default_value = "Admin")]
        admin_last_name: String,
        #[arg(long, default_value = "ada.admin@northwind.example")]
        admin_email: String,
        /// Makes the generated company reproducible.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// How many people, the admin included: try Roster with a large company.
        #[arg(long, default_value_t = demo::Size::STANDARD_PEOPLE)]
        people: usize,
    },
    /// List people: Billable Accounts (default), Deactivated Accounts or all.
    List {
        #[arg(long, value_enum, default_value = "billable")]
        view: ViewArg,
        /// Words that must appear in name, email, title or department.
        #[arg(long, default_value = "")]
        search: String,
        /// How many to show (at most 500).
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// Show one person's profile and history. PERSON is an email or an id.
    Show { person: String },
    /// Deactivate people: they keep every record, cannot sign in and stop counting toward seats.
    Deactivate {
        #[arg(required = true)]
        people: Vec<String>,
        #[arg(long)]
        reason: Option<String>,
        /// Who takes over their direct reports (email or id).
        #[arg(long, value_name = "PERSON", conflicts_with = "handover_nobody")]
        handover_to: Option<String>,
        /// Their direct reports keep no manager.
        #[arg(long)]
        handover_nobody: bool,
    },
    /// Reactivate deactivated people.
    Reactivate {
        #[arg(required = true)]
        people: Vec<String>,
    },
    /// Undo a deactivation or reactivation by its change id.
    Undo { change_id: String },
    /// The seats in the license and how many are used.
    License,
    /// Mail PERSON a one-time code to set their password ("Send Password Mail").
    SendPasswordMail { person: String },
    /// Set PERSON's password, read from standard input (for the first admin).
    SetPassword { person: String },
    /// The subscription.
    #[command(subcommand)]
    Subscription(SubscriptionCommand),
    /// Review cycles.
    #[command(subcommand)]
    Cycle(CycleCommand),
    /// Every mail Roster wrote, newest first, with its text (the codes of password mails too).
    Outbox {
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// Merge SOURCE into DESTINATION (the account kept): its history moves, it is deactivated, and its
    /// email finds DESTINATION from then on.
    Merge {
        source: String,
        destination: String,
        /// Only show what would move; change nothing.
        #[arg(long)]
        preview: bool,
        /// Confirm the merge (it cannot be undone).
        #[arg(long, conflicts_with = "preview")]
        yes: bool,
        /// Copy these empty fields of DESTINATION from SOURCE (title, department, location, hireDate, manager).
        #[arg(long = "copy", value_name = "FIELD")]
        copy: Vec<String>,
    },
    /// Delete deactivated PEOPLE and all their data, for good. --confirm takes the person's full name,
    /// or for several people their number.
    Delete {
        #[arg(required = true)]
        people: Vec<String>,
        #[arg(long, value_name = "FULL NAME or N")]
        confirm: Option<String>,
    },
    /// How many minutes a signed-in window may stay idle before it must sign in again.
    SessionTimeout { minutes: i64 },
    /// The audit log, newest first.
    Audit {
        /// Actor's or subject's name or email contains this.
        #[arg(long)]
        person: Option<String>,
        #[arg(long)]
        action: Option<String>,
        /// From this date (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Up to this date (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// Write every matching entry as CSV instead.
        #[arg(long)]
        csv: bool,
    },
    /// Import an HRIS file (CSV): applies it as the HRIS import does, or with --dry-run only shows what
    /// it would change (counts, row errors and warnings).
    Import {
        file: PathBuf,
        /// Change nothing: print the plan.
        #[arg(long)]
        dry_run: bool,
    },
    /// Import once from the configured HRIS source (folder or SFTP), as the automatic import does:
    /// for cron while the app is closed.
    Sync,
    /// Show how imports apply, or change it: people missing from the file, the safeguard, the code page.
    ImportRules {
        /// People in Roster but not in the file: left alone (partial) or deactivated (full).
        #[arg(long, value_enum)]
        missing: Option<MissingArg>,
        /// Hold automatic imports that would deactivate more than this percent of the active people.
        #[arg(long, value_name = "PERCENT")]
        threshold: Option<i64>,
        /// The code page of files that are not UTF-8, e.g. windows-1252.
        #[arg(long, value_name = "CODE PAGE")]
        fallback_encoding: Option<String>,
    },
    /// Merge the mentions index, as the app does in the background: keeps "Delete user and all data"
    /// quick in a workspace that only scripts change (run it after bulk work, or from cron).
    Tidy,
}

#[derive(Clone, Copy, ValueEnum)]
enum MissingArg {
    Partial,
    Full,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help and --version print as usual; a wrong command line is an error like any other.
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            let message = e.to_string();
            let message = message.trim().trim_start_matches("error: ");
            let json = serde_json::json!({ "code": roster_core::Code::InvalidInput, "message": message });
            if std::env::args().any(|a| a == "--json") {
                println!("{json}");
            } else {
                eprintln!("{json}");
            }
            return ExitCode::from(2);
        }
    };
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let json = serde_json::json!({ "code": e.code, "message": e.message });
            if cli.json {
                println!("{json}");
            } else {
                eprintln!("{json}");
            }
            ExitCode::FAILURE
        }
    }
}

fn print<T: Serialize>(json: bool, value: &T, human: impl FnOnce(&T) -> String) {
    if json {
        println!("{}", serde_json::to_string_pretty(value).expect("results serialise"));
    } else {
        println!("{}", human(value));
    }
}

fn run(cli: &Cli) -> Result<(), Error> {
    let path = cli.workspace.clone().unwrap_or_else(workspace::default_path);
    let ws = Workspace::open(&path)?;
    let admin = || -> Result<audit::Actor, Error> {
        let id = access::first_admin(&ws)?.ok_or_else(|| {
            Error::precondition_failed(
                "This workspace has no company yet: run `rosterctl init` or `rosterctl demo` first.",
            )
        })?;
        access::admin(&ws, &id, Source::Cli)
    };
    let change =
        |c: &lifecycle::Change| format!("{}\nchange id: {} (rosterctl undo {})", c.summary, c.change_id, c.change_id);
    match &cli.command {
        Command::Init(a) => {
            let mut setup = setup(&a.company, a.seats, &a.admin_first_name, &a.admin_last_name, &a.admin_email, false);
            setup.subscription_until = a.subscription_until.clone();
            let id = company::create(&ws, &setup, Source::Cli, 0)?;
            print(cli.json, &serde_json::json!({ "adminId": id, "workspace": path }), |_| {
                format!("Created {} in {}.", setup.company_name, path.display())
            });
        }
        Command::Demo { company: name, seats, admin_first_name, admin_last_name, admin_email, seed, people } => {
            let setup = setup(name, *seats, admin_first_name, admin_last_name, admin_email, true);
            company::create_sized(&ws, &setup, Source::Cli, demo::Size { people: *people, seed: *seed })?;
            let usage = license::usage(&ws)?;
            print(cli.json, &usage, |u| {
                format!(
                    "Created the demo company {name}: {} active, {} deactivated, in {}.",
                    u.active,
                    u.deactivated,
                    path.display()
                )
            });
        }
        Command::List { view, search, limit } => {
            let view = match view {
                ViewArg::Billable => View::Billable,
                ViewArg::Deactivated => View::Deactivated,
                ViewArg::All => View::All,
            };
            let query = Query { view, search: search.clone(), sort: SortKey::Name, desc: false };
            let page = directory::page(&ws, &query, 0, *limit)?;
            print(cli.json, &page, |p| {
                let mut out = String::new();
                for r in &p.rows {
                    let status = match &r.deactivated_at {
                        Some(at) => {
                            format!("deactivated {} by {}", &at[..10], r.deactivated_by.as_deref().unwrap_or("?"))
                        }
                        None => "active".into(),
                    };
                    out.push_str(&format!("{}\t{}\t{}\t{}\t{}\n", r.name, r.email, r.title, r.department, status));
                }
                out.push_str(&format!("{} of {} shown", p.rows.len(), p.total));
                out
            });
        }
        Command::Show { person } => {
            let id = ws.read(|tx| roster_core::people::resolve_tx(tx, person))?.id;
            let viewer = access::first_admin(&ws)?;
            let profile = history::profile(&ws, viewer.as_deref(), &id)?;
            print(cli.json, &profile, |p| {
                let q = &p.person;
                let mut out = format!(
                    "{} <{}>\n{} · {} · {}\nstatus: {}\n",
                    q.name, q.email, q.title, q.department, q.location, q.status
                );
                if let Some(d) = &q.deactivation {
                    out.push_str(&format!(
                        "deactivated on {} by {}{}\n",
                        &d.at[..10],
                        d.by_name.as_deref().unwrap_or("?"),
                        d.reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
                    ));
                }
                if let Some(m) = &q.manager {
                    out.push_str(&format!("manager: {}\n", m.name));
                }
                out.push_str(&format!(
                    "{} direct reports, {} reviews, {} objectives, {} feedback received, {} 1:1 meetings",
                    q.reports.len(),
                    p.reviews.len(),
                    p.objectives.len(),
                    p.feedback_received.len(),
                    p.one_on_ones.len()
                ));
                out
            });
        }
        Command::Deactivate { people, reason, handover_to, handover_nobody } => {
            let handover = match (handover_to, handover_nobody) {
                (Some(to), _) => Some(Handover::To { person_id: to.clone() }),
                (None, true) => Some(Handover::Nobody),
                (None, false) => None,
            };
            let c = lifecycle::deactivate(&ws, &admin()?, people, reason.as_deref(), handover.as_ref())?;
            print(cli.json, &c, change);
        }
        Command::Reactivate { people } => {
            let c = lifecycle::reactivate(&ws, &admin()?, people)?;
            print(cli.json, &c, change);
        }
        Command::Undo { change_id } => {
            let c = lifecycle::undo(&ws, &admin()?, change_id)?;
            print(cli.json, &c, change);
        }
        Command::License => {
            print(cli.json, &license::usage(&ws)?, |u| {
                format!("{} of {} seats used · {} deactivated (not billed)", u.active, u.seats, u.deactivated)
            });
        }
        Command::SendPasswordMail { person } => {
            let sent = codes::send_password_mail(&ws, &admin()?, person, Utc::now())?;
            print(cli.json, &sent, |s| s.summary.clone());
        }
        Command::SetPassword { person } => {
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .map_err(|e| Error::invalid_input(format!("Could not read the password from standard input: {e}")))?;
            let password = password.trim_end_matches(['\r', '\n']);
            sessions::set_password(&ws, &admin()?, person, password)?;
            print(cli.json, &serde_json::json!({ "person": person }), |_| format!("Password set for {person}."));
        }
        Command::Subscription(SubscriptionCommand::Show) => {
            let overview = subscription::overview(&ws, 30)?;
            print(cli.json, &overview.subscription, subscription_line);
        }
        Command::Subscription(SubscriptionCommand::Restart { seats, until }) => {
            let s = subscription::restart(&ws, &admin()?, *seats, until)?;
            print(cli.json, &s, subscription_line);
        }
        Command::Cycle(CycleCommand::List) => {
            print(cli.json, &review_cycles::list(&ws)?, |cycles| {
                let lines: Vec<String> = cycles.iter().map(cycle_line).collect();
                lines.join("\n")
            });
        }
        Command::Cycle(CycleCommand::Create { name, starts, ends, department }) => {
            let new = NewCycle {
                name: name.clone(),
                starts_on: starts.clone(),
                ends_on: ends.clone(),
                department: department.clone(),
            };
            print(cli.json, &review_cycles::create(&ws, &admin()?, &new)?, cycle_line);
        }
        Command::Cycle(CycleCommand::Start { id }) => {
            print(cli.json, &review_cycles::start(&ws, &admin()?, id)?, cycle_line);
        }
        Command::Outbox { limit } => {
            print(cli.json, &mail::outbox(&ws, 0, *limit)?, |o| {
                let mails: Vec<String> = o
                    .items
                    .iter()
                    .map(|m| format!("{} · {} · to {} · {}\n{}", m.created_at, m.status, m.to, m.subject, m.body))
                    .collect();
                format!("{}\n{} of {} mails shown", mails.join("\n---\n"), o.items.len(), o.total)
            });
        }
        Command::Merge { source, destination, preview: true, .. } => {
            print(cli.json, &merge::preview(&ws, source, destination)?, merge_preview_text);
        }
        Command::Merge { source, destination, yes, copy, .. } => {
            if !yes {
                return Err(Error::precondition_failed(
                    "A merge cannot be undone: look at it with --preview, then run it again with --yes.",
                ));
            }
            let merged = merge::merge(&ws, &admin()?, source, destination, copy)?;
            print(cli.json, &merged, |m| m.summary.clone());
        }
        Command::Delete { people, confirm } => {
            let Some(typed) = confirm else {
                let preview = erase::preview(&ws, people)?;
                return Err(Error::precondition_failed(format!(
                    "Deleting erases {} records for good. To go on, add --confirm \"{}\".",
                    preview.counts.total(),
                    preview.confirmation
                )));
            };
            let erased = erase::erase(&ws, &admin()?, people, typed)?;
            print(cli.json, &erased, |e| e.summary.clone());
        }
        Command::SessionTimeout { minutes } => {
            let minutes = sessions::set_idle_minutes(&ws, &admin()?, *minutes)?;
            print(cli.json, &serde_json::json!({ "minutes": minutes }), |_| {
                format!("Idle windows sign out after {minutes} minutes.")
            });
        }
        Command::Audit { person, action, from, to, limit, csv } => {
            let filter = Filter {
                person: person.clone(),
                action: action.clone(),
                from: from.clone(),
                to: to.clone(),
                subject_id: None,
            };
            if *csv {
                audit::export_csv(&ws, &filter, std::io::stdout().lock())?;
            } else {
                let page = audit::list(&ws, &filter, 0, *limit)?;
                print(cli.json, &page, |p| {
                    let lines: Vec<String> = p
                        .entries
                        .iter()
                        .map(|e| format!("{}\t{} ({})\t{}", e.at, e.actor, e.source, e.summary))
                        .collect();
                    format!("{}\n{} of {} entries shown", lines.join("\n"), p.entries.len(), p.total)
                });
            }
        }
        Command::Sync => {
            let run = roster_core::hris::sync::sync(
                &ws,
                &roster_core::hris::import_actor(),
                roster_core::hris::Trigger::Cli,
            )?;
            let failed = run.outcome == "failed";
            print(cli.json, &run, |r| {
                format!("{}: {}", r.outcome.replace('_', " "), r.message.as_deref().unwrap_or(""))
            });
            if failed {
                return Err(Error::new(
                    roster_core::Code::Unavailable,
                    run.message.unwrap_or_else(|| "The sync failed: see the import history.".into()),
                ));
            }
        }
        Command::Tidy => {
            let mut steps = 0;
            while erase::tidy_mentions_step(&ws)? {
                steps += 1;
            }
            print(cli.json, &serde_json::json!({ "steps": steps }), |_| match steps {
                0 => "Nothing to tidy: the mentions index is merged already.".to_string(),
                n => format!("Tidied: the mentions index merged in {n} step(s)."),
            });
        }
        Command::ImportRules { missing, threshold, fallback_encoding } => {
            let mut rules = roster_core::hris::source::get(&ws)?.rules;
            if missing.is_some() || threshold.is_some() || fallback_encoding.is_some() {
                if let Some(m) = missing {
                    rules.missing = match m {
                        MissingArg::Partial => roster_core::hris::Missing::Partial,
                        MissingArg::Full => roster_core::hris::Missing::Full,
                    };
                }
                rules.threshold_percent = threshold.unwrap_or(rules.threshold_percent);
                rules.fallback_encoding = fallback_encoding.clone().unwrap_or(rules.fallback_encoding);
                rules = roster_core::hris::source::set_rules(&ws, &admin()?, &rules)?.rules;
            }
            print(cli.json, &rules, |r| {
                format!(
                    "People missing from the file: {}\nSafeguard: hold automatic imports that deactivate more than {}% \
                     of the active people\nFiles that are not UTF-8 are read as {}",
                    match r.missing {
                        roster_core::hris::Missing::Partial => "left alone (partial)",
                        roster_core::hris::Missing::Full => "deactivated (full)",
                    },
                    r.threshold_percent,
                    r.fallback_encoding
                )
            });
        }
        Command::Import { file, dry_run } => {
            let bytes = std::fs::read(file).map_err(|e| {
                Error::invalid_input(format!(
                    "Cannot read {}: {e}. Check the path and its permissions.",
                    file.display()
                ))
            })?;
            let name =
                file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
            let import_file = roster_core::hris::ImportFile { name, bytes };
            if *dry_run {
                let plan = roster_core::hris::plan(&ws, &import_file)?;
                print(cli.json, &plan, |p| format!("Dry run: nothing was changed.\n{}", import_plan_text(p)));
            } else {
                let run = roster_core::hris::import(
                    &ws,
                    &admin()?,
                    &import_file,
                    roster_core::hris::Trigger::Cli,
                    "rosterctl",
                )?;
                let detail = roster_core::hris::run_detail(&ws, &run.id)?;
                print(cli.json, &detail, |d| {
                    let mut out = format!(
                        "{} ({}): {}\nrun id: {}",
                        d.run.file_name.as_deref().unwrap_or("?"),
                        d.run.outcome.replace('_', " "),
                        d.run.message.as_deref().unwrap_or(""),
                        d.run.id
                    );
                    if let Some(plan) = &d.plan {
                        out.push('\n');
                        out.push_str(&import_plan_text(plan));
                    }
                    out
                });
            }
        }
    }
    Ok(())
}

fn import_plan_text(p: &roster_core::hris::Plan) -> String {
    let c = &p.counts;
    let mut out = format!(
        "{}: {} rows ({}, {}, {})\ncreated {} · updated {} · deactivated {} · reactivated {} · held {} · unchanged {} · \
         skipped {} · errors {} · warnings {}",
        p.file_name,
        p.rows,
        p.encoding,
        p.delimiter,
        if p.has_header { "with a header" } else { "no header: the template's columns" },
        c.created,
        c.updated,
        c.deactivated,
        c.reactivated,
        c.held,
        c.unchanged,
        c.skipped,
        c.errors,
        c.warnings
    );
    for d in p.deactivated.iter().take(50) {
        out.push_str(&format!("\ndeactivate {} ({})", d.name, d.reason));
    }
    for h in p.held.iter().take(50) {
        out.push_str(&format!("\nheld {} (sync hold until {}: {})", h.name, h.until, h.reason));
    }
    for (kind, problems) in [("error", &p.errors), ("warning", &p.warnings)] {
        for e in problems {
            let column = e.column.as_ref().map(|c| format!(", {c}")).unwrap_or_default();
            out.push_str(&format!("\n{kind} line {}{column}: {}", e.line, e.message));
        }
    }
    out
}

fn merge_preview_text(p: &merge::Preview) -> String {
    let c = &p.counts;
    let mut out = format!(
        "Merge {} <{}> into {} <{}>\n\
         reviews about: {}\nreviews written: {}\nobjectives: {}\nfeedback received: {}\nfeedback given: {}\n\
         1:1 meetings: {}\nprivate 1:1 notes: {}\ndirect reports: {}\naudit entries: {}\n\
         afterwards {} find {}",
        p.source.name,
        p.source.email,
        p.destination.name,
        p.destination.email,
        c.reviews_about,
        c.reviews_written,
        c.objectives,
        c.feedback_received,
        c.feedback_given,
        c.one_on_ones,
        c.private_notes,
        c.direct_reports,
        c.audit_entries,
        p.aliases.join(" and "),
        p.destination.name
    );
    for f in p.fields.iter().filter(|f| f.offered) {
        out.push_str(&format!(
            "\n{} is empty on {}: --copy {} takes “{}”",
            f.label,
            p.destination.name,
            f.key,
            f.source.as_deref().unwrap_or("")
        ));
    }
    for conflict in &p.conflicts {
        out.push_str(&format!("\nnote: {}", conflict.message));
    }
    out
}

fn subscription_line(s: &Subscription) -> String {
    match &s.lapsed_since {
        Some(since) => format!("{} plan, {} seats, lapsed since {since}", s.plan, s.seats),
        None => format!("{} plan, {} seats, active until {}", s.plan, s.seats, s.active_until),
    }
}

fn cycle_line(c: &Cycle) -> String {
    format!(
        "{}\t{}\t{} – {}\t{}\t{} participants, {}/{} reviews written",
        c.id, c.name, c.starts_on, c.ends_on, c.status, c.participants, c.submitted, c.reviews
    )
}

fn setup(company: &str, seats: i64, first: &str, last: &str, email: &str, demo: bool) -> Setup {
    Setup {
        company_name: company.into(),
        seats,
        admin_first_name: first.into(),
        admin_last_name: last.into(),
        admin_email: email.into(),
        demo,
        admin_password: None,
        subscription_until: None,
    }
}

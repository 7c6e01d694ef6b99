//! "Start with a demo company": a realistic company generated on the spot, so a newcomer sees
//! something real at once. Deterministic for a given seed.

use std::collections::HashSet;

use chrono::{Duration, NaiveDate, Utc};
use rusqlite::{params, Transaction};
use serde_json::json;

use crate::audit::{self, Action, Actor, Entry};
use crate::error::Result;
use crate::lifecycle;
use crate::people::{self, NewPerson, Role};

const FIRST: &[&str] = &[
    "Amara", "Ben", "Chloé", "Daniel", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kavya", "Liam", "Maya",
    "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Samir", "Tara", "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zoe",
    "Aisha", "Bruno", "Carla", "Dmitri", "Emma", "Felix", "Giulia", "Hannah", "Ivan", "Julia", "Kenji", "Lena",
    "Mateo", "Nora", "Oscar", "Priya", "Rafael", "Sofia", "Tomás", "Uma", "Viktor", "Wanda", "Yara", "Zain", "Anouk",
    "Björn", "Céline", "Diego", "Eva", "Finn", "Hugo", "Ida", "Leon", "Mila",
];
const LAST: &[&str] = &[
    "Adeyemi",
    "Berger",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Hoffmann",
    "Ito",
    "Jansen",
    "Kowalski",
    "Lindqvist",
    "Müller",
    "Novak",
    "O'Brien",
    "Petrov",
    "Quintero",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Ucar",
    "Vogel",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zimmermann",
    "Andersen",
    "Bianchi",
    "Chen",
    "Da Silva",
    "Evans",
    "Ferreira",
    "Gupta",
    "Huber",
    "Iversen",
    "Jovanović",
    "Kim",
    "Lopez",
    "Martin",
    "Nakamura",
    "Okafor",
    "Patel",
    "Richter",
    "Santos",
    "Thomas",
    "Urban",
    "Varga",
    "Walsh",
    "Young",
    "Zhou",
];
const LOCATIONS: &[&str] = &["Berlin", "London", "Lisbon", "New York", "Remote"];

/// Departments with their size, the head's title, the team leads' title and the members' titles.
const DEPARTMENTS: &[(&str, usize, &str, &str, &[&str])] = &[
    (
        "Engineering",
        80,
        "VP Engineering",
        "Engineering Manager",
        &[
            "Software Engineer",
            "Senior Software Engineer",
            "Staff Engineer",
            "QA Engineer",
            "Site Reliability Engineer",
        ],
    ),
    (
        "Sales",
        48,
        "VP Sales",
        "Sales Manager",
        &["Account Executive", "Sales Development Rep", "Senior Account Executive"],
    ),
    (
        "Customer Success",
        30,
        "Head of Customer Success",
        "Team Lead, Support",
        &["Customer Success Manager", "Support Specialist", "Onboarding Specialist"],
    ),
    (
        "Marketing",
        24,
        "VP Marketing",
        "Marketing Lead",
        &["Content Marketer", "Product Marketing Manager", "Growth Marketer", "Designer, Brand"],
    ),
    (
        "Product",
        16,
        "Head of Product",
        "Group Product Manager",
        &["Product Manager", "Senior Product Manager", "Product Analyst"],
    ),
    ("Design", 12, "Head of Design", "Design Lead", &["Product Designer", "UX Researcher", "Senior Product Designer"]),
    ("Finance", 12, "CFO", "Finance Manager", &["Accountant", "Financial Analyst", "Payroll Specialist"]),
    (
        "People",
        10,
        "Head of People",
        "People Partner Lead",
        &["People Partner", "Recruiter", "People Operations Specialist"],
    ),
    ("Operations", 10, "COO", "Operations Lead", &["Operations Analyst", "Office Manager", "IT Support Specialist"]),
    ("Legal", 4, "General Counsel", "Senior Counsel", &["Legal Counsel", "Paralegal"]),
];

const REASONS: &[Option<&str>] = &[
    Some("Left the company"),
    Some("Left the company"),
    Some("Contract ended"),
    Some("Parental leave"),
    Some("Moved to a partner company"),
    Some("Long-term leave"),
    None,
];

const REVIEW_TEXTS: &[&str] = &[
    "Consistently delivers on commitments and helps the team plan realistically.",
    "Strong quarter: took ownership of a difficult project and brought it home.",
    "Good progress; should share work earlier to get feedback sooner.",
    "A reliable teammate. Next step: lead a project end to end.",
    "Exceeded expectations with customers; mentoring newer colleagues well.",
    "Solid execution; communication across teams can improve.",
    "Had a hard half-year; we agreed on a clear plan with weekly check-ins.",
];
const OBJECTIVES: &[&str] = &[
    "Ship the quarterly roadmap items",
    "Reduce onboarding time for new customers",
    "Improve test coverage of the billing service",
    "Grow qualified pipeline by 20%",
    "Run the annual engagement survey",
    "Close the books within five working days",
    "Launch the new pricing page",
    "Mentor two new team members",
    "Cut support response time below four hours",
    "Document the incident process",
];
const FEEDBACK: &[&str] = &[
    "Thanks for jumping in on the customer escalation — it made a real difference.",
    "Your demo at the all-hands was clear and well paced.",
    "Could you loop me in earlier on design changes? It would save us a round.",
    "Great write-up of the retro; the action items were spot on.",
    "Really appreciated your patience while onboarding me.",
];
const SHARED_NOTES: &[&str] = &[
    "Talked about priorities for the next sprint and the upcoming offsite.",
    "Career goals: interest in leading a small project next quarter.",
    "Reviewed objectives; two on track, one needs help from another team.",
    "Workload check: manageable, will flag if it changes.",
];
const PRIVATE_NOTES: &[&str] = &[
    "Seems a bit stretched — check in again in two weeks.",
    "Ready for more responsibility; discuss promotion path in the next cycle.",
    "Follow up on the training budget request.",
];

struct Member {
    id: String,
    manager_id: Option<String>,
    hire: NaiveDate,
    deactivated: Option<NaiveDate>,
}

/// People as they are generated: the random source, the emails taken so far, everyone added.
struct Staff<'a, 'c> {
    tx: &'a Transaction<'c>,
    rng: fastrand::Rng,
    domain: String,
    today: NaiveDate,
    emails: HashSet<String>,
    members: Vec<Member>,
}

impl Staff<'_, '_> {
    /// Adds someone hired after `earliest`; returns their position in `members`.
    fn add(&mut self, title: &str, department: &str, manager: Option<usize>, earliest: NaiveDate) -> Result<usize> {
        let rng = &mut self.rng;
        let first = FIRST[rng.usize(..FIRST.len())];
        let last = LAST[rng.usize(..LAST.len())];
        let local = format!("{}.{}", ascii(first), ascii(last));
        let mut email = format!("{local}@{}", self.domain);
        let mut n = 2;
        while !self.emails.insert(email.clone()) {
            email = format!("{local}{n}@{}", self.domain);
            n += 1;
        }
        let span = (self.today - earliest).num_days().max(30);
        let hire = earliest + Duration::days(rng.i64(0..span - 20));
        let manager_id = manager.map(|m| self.members[m].id.clone());
        let subject = people::insert_tx(
            self.tx,
            &NewPerson {
                first_name: first.into(),
                last_name: last.into(),
                email,
                title: title.into(),
                department: department.into(),
                location: LOCATIONS[rng.usize(..LOCATIONS.len())].into(),
                hire_date: Some(hire.to_string()),
                manager_id: manager_id.clone(),
                role: Role::Employee,
            },
        )?;
        self.members.push(Member { id: subject.id, manager_id, hire, deactivated: None });
        Ok(self.members.len() - 1)
    }
}

/// The size of a generated company and what makes it reproducible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Everyone, the admin included.
    pub people: usize,
    pub seed: u64,
}

impl Size {
    /// The wizard's demo company: 248 people, 30 of them deactivated.
    pub const STANDARD_PEOPLE: usize = 248;

    pub fn standard(seed: u64) -> Size {
        Size { people: Size::STANDARD_PEOPLE, seed }
    }
}

/// The people of each department for a company of `people` (the CEO and the admin come on top); the
/// standard size gives exactly the sizes of `DEPARTMENTS`, and any other scales them.
fn department_sizes(people: usize) -> Vec<usize> {
    let standard: usize = DEPARTMENTS.iter().map(|d| d.1).sum();
    let wanted = people.saturating_sub(2);
    let mut sizes: Vec<usize> = DEPARTMENTS.iter().map(|d| (d.1 * wanted / standard).max(2)).collect();
    let given: usize = sizes.iter().sum();
    sizes[0] += wanted.saturating_sub(given);
    sizes
}

/// Fills the company with `size.people` people and their history (the standard size: about 250, the
/// benchmarks: 100,000 with over a million records). `admin_id` joins the People department.
pub fn populate_tx(tx: &Transaction, actor: &Actor, admin_id: &str, size: Size) -> Result<()> {
    let today = Utc::now().date_naive();
    let domain: String =
        tx.query_row("SELECT substr(email, instr(email, '@') + 1) FROM people WHERE id = ?1", [admin_id], |r| {
            r.get(0)
        })?;
    let mut staff = Staff {
        tx,
        rng: fastrand::Rng::with_seed(size.seed),
        domain,
        today,
        emails: HashSet::new(),
        members: Vec::new(),
    };
    let founded = today - Duration::days(365 * 8);
    let ceo = staff.add("Chief Executive Officer", "Leadership", None, founded)?;
    let mut leaders = HashSet::from([ceo]); // people who lead a team stay active
    for ((department, _, head_title, lead_title, titles), headcount) in
        DEPARTMENTS.iter().zip(department_sizes(size.people))
    {
        let head = staff.add(head_title, department, Some(ceo), founded)?;
        leaders.insert(head);
        if *department == "People" {
            people::set_manager_tx(tx, admin_id, Some(&staff.members[head].id))?;
        }
        let teams = (headcount / 9).max(1);
        let mut leads = Vec::new();
        for _ in 0..teams {
            leads.push(staff.add(lead_title, department, Some(head), founded + Duration::days(365))?);
        }
        leaders.extend(&leads);
        for i in 0..headcount.saturating_sub(teams + 1) {
            let title = titles[staff.rng.usize(..titles.len())];
            staff.add(title, department, Some(leads[i % leads.len()]), founded + Duration::days(500))?;
        }
    }
    let Staff { mut rng, mut members, .. } = staff;

    // About one in eight left over the last two years (30 of the standard 248), with a date and a reason.
    let admin_name: String = tx.query_row("SELECT name FROM people WHERE id = ?1", [admin_id], |r| r.get(0))?;
    let leavers = size.people * 30 / Size::STANDARD_PEOPLE;
    let mut deactivated = 0;
    while deactivated < leavers {
        let i = rng.usize(..members.len());
        if leaders.contains(&i) || members[i].deactivated.is_some() {
            continue;
        }
        let since_hire = (today - members[i].hire).num_days();
        if since_hire < 60 {
            continue;
        }
        let on = today - Duration::days(rng.i64(1..since_hire.min(730)));
        members[i].deactivated = Some(on);
        let (at, reason) = (format!("{on}T09:00:00Z"), REASONS[rng.usize(..REASONS.len())]);
        lifecycle::set_deactivated_tx(tx, &members[i].id, &at, &admin_name, reason)?;
        deactivated += 1;
    }

    history_tx(tx, &mut rng, &members, today)?;
    audit::record_tx(
        tx,
        actor,
        &people::new_id(),
        Entry {
            action: Action::DemoGenerated,
            subject: None,
            before: None,
            after: Some(json!({ "people": members.len(), "deactivated": deactivated })),
        },
    )
}

/// Review cycles, reviews by managers, objectives, feedback and 1:1s for everyone, within the time
/// each person was at the company.
fn history_tx(tx: &Transaction, rng: &mut fastrand::Rng, members: &[Member], today: NaiveDate) -> Result<()> {
    let mut cycles = Vec::new();
    for back in (1..=4).rev() {
        let ends = today - Duration::days(182 * back - 150);
        let starts = ends - Duration::days(30);
        let half = if ends.format("%m").to_string().as_str() <= "06" { "H1" } else { "H2" };
        let id = people::new_id();
        tx.execute(
            "INSERT INTO review_cycles (id, name, starts_on, ends_on) VALUES (?1, ?2, ?3, ?4)",
            params![id, format!("{} {half} review", ends.format("%Y")), starts.to_string(), ends.to_string()],
        )?;
        cycles.push((id, ends));
    }
    let mut review = tx.prepare_cached(
        "INSERT INTO reviews (id, cycle_id, subject_id, reviewer_id, rating, text, submitted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut participant = tx.prepare_cached("INSERT INTO cycle_participants (cycle_id, person_id) VALUES (?1, ?2)")?;
    let mut objective = tx.prepare_cached(
        "INSERT INTO objectives (id, owner_id, title, status, progress, due_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut feedback =
        tx.prepare_cached("INSERT INTO feedback (id, to_id, from_id, text, given_at) VALUES (?1, ?2, ?3, ?4, ?5)")?;
    let mut meeting = tx.prepare_cached(
        "INSERT INTO one_on_ones (id, person_id, manager_id, held_on, shared_notes) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut note =
        tx.prepare_cached("INSERT INTO one_on_one_notes (id, meeting_id, author_id, text) VALUES (?1, ?2, ?3, ?4)")?;
    for m in members {
        let until = m.deactivated.unwrap_or(today);
        let Some(manager) = &m.manager_id else { continue };
        for (cycle, ends) in &cycles {
            if *ends > m.hire + Duration::days(60) && *ends <= until {
                let text = REVIEW_TEXTS[rng.usize(..REVIEW_TEXTS.len())];
                let at = format!("{}T16:00:00Z", *ends - Duration::days(rng.i64(0..10)));
                review.execute(params![people::new_id(), cycle, m.id, manager, rng.i64(2..=5), text, at])?;
                participant.execute(params![cycle, m.id])?;
            }
        }
        for _ in 0..rng.usize(2..=4) {
            let (status, progress) = match rng.u8(0..5) {
                0 => ("done", 100),
                1 => ("at_risk", rng.i64(10..60)),
                2 => ("behind", rng.i64(0..40)),
                _ => ("on_track", rng.i64(30..90)),
            };
            let due = until + Duration::days(rng.i64(-120..120));
            let title = OBJECTIVES[rng.usize(..OBJECTIVES.len())];
            objective.execute(params![people::new_id(), m.id, title, status, progress, due.to_string()])?;
        }
        for _ in 0..rng.usize(1..=3) {
            let from = &members[rng.usize(..members.len())];
            if from.id == m.id {
                continue;
            }
            let at = format!("{}T11:30:00Z", until - Duration::days(rng.i64(1..200)));
            feedback.execute(params![people::new_id(), m.id, from.id, FEEDBACK[rng.usize(..FEEDBACK.len())], at])?;
        }
        for k in 0..3 {
            let held = until - Duration::days(14 * k + rng.i64(1..10));
            if held < m.hire {
                break;
            }
            let id = people::new_id();
            meeting.execute(params![
                id,
                m.id,
                manager,
                held.to_string(),
                SHARED_NOTES[rng.usize(..SHARED_NOTES.len())]
            ])?;
            if rng.bool() {
                note.execute(params![people::new_id(), id, manager, PRIVATE_NOTES[rng.usize(..PRIVATE_NOTES.len())]])?;
            }
        }
    }
    Ok(())
}

/// The ASCII form of a name for an email address ("Chloé O'Brien" → "chloe", "obrien").
fn ascii(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            'á' | 'à' | 'ã' | 'â' => Some('a'),
            'é' | 'è' => Some('e'),
            'í' => Some('i'),
            'ó' | 'ö' => Some('o'),
            'ú' | 'ü' => Some('u'),
            'ć' => Some('c'),
            c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

//! The column mapping saved with the HRIS source, as Admin > Integrations saves it.

mod common;

use common::{add, company};
use roster_core::audit::{Actor, Source};
use roster_core::hris::{self, source, Field, ImportFile, Mapping};
use roster_core::Code;

#[test]
fn a_saved_mapping_is_used_by_the_next_plan_and_can_be_removed() {
    let c = company(10);
    let file = ImportFile {
        name: "personnel.csv".into(),
        bytes: "Name;Mail;Job\n\"Doe, Jane\";jane@acme.test;Designer\n".as_bytes().to_vec(),
    };
    let name = |c: &common::Company| hris::plan(&c.ws, &file).unwrap().created[0].name.clone();
    assert_eq!(name(&c), "Doe, Jane", "without a mapping, “Name” is read as “First Last”");
    let mapping = Mapping {
        has_header: Some(true),
        columns: [("Name", Field::FullNameLastFirst), ("Mail", Field::Email), ("Job", Field::Title)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        ..Mapping::default()
    };
    let saved = source::save_mapping(&c.ws, &c.admin, Some(&mapping)).unwrap();
    assert_eq!(saved.as_ref(), Some(&mapping));
    assert_eq!(name(&c), "Jane Doe", "the saved mapping reads “Last, First”");

    let jane = add(&c.ws, "Jim", "Roe", None);
    let employee = Actor { id: Some(jane), name: "Jim Roe".into(), source: Source::App };
    assert_eq!(source::save_mapping(&c.ws, &employee, None).unwrap_err().code, Code::Forbidden);
    assert_eq!(source::save_mapping(&c.ws, &c.admin, None).unwrap(), None);
    assert_eq!(name(&c), "Doe, Jane", "removed: read as before");
}

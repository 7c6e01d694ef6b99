use roster_core::history::{self, Profile};
use roster_core::{Error, Result};

use crate::session::Signed;
use crate::state::blocking;

/// Admins read every profile; an employee reads their own.
#[tauri::command]
pub async fn person_profile(signed: Signed, id: String) -> Result<Profile> {
    if signed.person.role != "admin" && signed.person.id != id {
        return Err(Error::forbidden("You can see your own profile only."));
    }
    blocking(move || history::profile(&signed.ws, Some(&signed.person.id), &id)).await
}

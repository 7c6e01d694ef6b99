use roster_core::review_cycles::{self, Cycle, NewCycle};
use roster_core::subscription::{self, Overview, Subscription};
use roster_core::Result;

use crate::session::Admin;
use crate::state::blocking;

#[tauri::command]
pub async fn subscription(admin: Admin) -> Result<Overview> {
    blocking(move || subscription::overview(&admin.ws, 180)).await
}

#[tauri::command]
pub async fn restart_subscription(admin: Admin, seats: i64, until: String) -> Result<Subscription> {
    blocking(move || subscription::restart(&admin.ws, &admin.actor, seats, &until)).await
}

#[tauri::command]
pub async fn review_cycles(admin: Admin) -> Result<Vec<Cycle>> {
    blocking(move || review_cycles::list(&admin.ws)).await
}

#[tauri::command]
pub async fn departments(admin: Admin) -> Result<Vec<String>> {
    blocking(move || review_cycles::departments(&admin.ws)).await
}

#[tauri::command]
pub async fn create_review_cycle(admin: Admin, cycle: NewCycle) -> Result<Cycle> {
    blocking(move || review_cycles::create(&admin.ws, &admin.actor, &cycle)).await
}

#[tauri::command]
pub async fn start_review_cycle(admin: Admin, id: String) -> Result<Cycle> {
    blocking(move || review_cycles::start(&admin.ws, &admin.actor, &id)).await
}

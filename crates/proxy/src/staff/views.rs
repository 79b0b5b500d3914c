//! A staff member's saved views of the orders list (`saved_views`, migration 0012).

use crate::store::Db;
use kassa_model::api::{OrderFilter, SavedView, MAX_SAVED_VIEWS};
use kassa_model::FieldError;

use crate::error::AppError;

/// The views of staff member `staff_id`, by name.
pub async fn list(db: &Db, staff_id: i64) -> Result<Vec<SavedView>, AppError> {
    let rows: Vec<(i64, String, String)> = db
        .query(
            "SELECT id, name, filter FROM saved_views WHERE staff_id = ?
             ORDER BY lower(name), name",
        )
        .bind(staff_id)
        .fetch_all()
        .await?;
    rows.into_iter()
        .map(|(id, name, filter)| {
            Ok(SavedView {
                id,
                name,
                filter: serde_json::from_str(&filter)
                    .map_err(|e| AppError::Internal(format!("saved view filter: {e}")))?,
            })
        })
        .collect()
}

/// Saves `filter` as `name` (replacing a view of that name); at most [`MAX_SAVED_VIEWS`].
pub async fn save(
    db: &Db,
    staff_id: i64,
    name: &str,
    filter: &OrderFilter,
    at: &str,
) -> Result<SavedView, AppError> {
    let filter = OrderFilter {
        cursor: None,
        limit: None,
        ..filter.clone()
    };
    let json = serde_json::to_string(&filter).map_err(|e| AppError::Internal(e.to_string()))?;
    // Counted, then written: one staff member saving two new views at the same instant on
    // two proxies could keep one view more than the limit, which is harmless.
    let count: i64 = db
        .query("SELECT count(*) FROM saved_views WHERE staff_id = ? AND name <> ?")
        .bind(staff_id)
        .bind(name)
        .scalar()
        .await?
        .unwrap_or(0);
    if count >= MAX_SAVED_VIEWS as i64 {
        return Err(FieldError::new(
            "name",
            format!("You can keep {MAX_SAVED_VIEWS} views; delete one first."),
        )
        .into());
    }
    let (id,): (i64,) = db
        .query(
            "INSERT INTO saved_views (staff_id, name, filter, created_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (staff_id, name) DO UPDATE SET filter = excluded.filter RETURNING id",
        )
        .bind(staff_id)
        .bind(name)
        .bind(&json)
        .bind(at)
        .fetch_one()
        .await?;
    Ok(SavedView {
        id,
        name: name.to_owned(),
        filter,
    })
}

/// Deletes view `id` if it is this staff member's; whether there was one.
pub async fn delete(db: &Db, staff_id: i64, id: i64) -> Result<bool, AppError> {
    let done = db
        .query("DELETE FROM saved_views WHERE id = ? AND staff_id = ?")
        .bind(id)
        .bind(staff_id)
        .execute()
        .await?;
    Ok(done == 1)
}

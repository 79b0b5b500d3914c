//! A staff member's saved views of the orders list (`saved_views`, migration 0012).

use kassa_model::api::{OrderFilter, SavedView, MAX_SAVED_VIEWS};
use kassa_model::FieldError;
use sqlx::{Row, SqlitePool};

use crate::error::AppError;

/// The views of staff member `staff_id`, by name.
pub async fn list(db: &SqlitePool, staff_id: i64) -> Result<Vec<SavedView>, AppError> {
    let rows = sqlx::query(
        "SELECT id, name, filter FROM saved_views WHERE staff_id = ? ORDER BY name COLLATE NOCASE",
    )
    .bind(staff_id)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|r| {
            let filter: String = r.get("filter");
            Ok(SavedView {
                id: r.get("id"),
                name: r.get("name"),
                filter: serde_json::from_str(&filter)
                    .map_err(|e| AppError::Internal(format!("saved view filter: {e}")))?,
            })
        })
        .collect()
}

/// Saves `filter` as `name` (replacing a view of that name); at most [`MAX_SAVED_VIEWS`].
pub async fn save(
    db: &SqlitePool,
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
    let mut tx = db.begin().await?;
    let count: i64 =
        sqlx::query_scalar("SELECT count(*) FROM saved_views WHERE staff_id = ? AND name <> ?")
            .bind(staff_id)
            .bind(name)
            .fetch_one(&mut *tx)
            .await?;
    if count >= MAX_SAVED_VIEWS as i64 {
        return Err(FieldError::new(
            "name",
            format!("You can keep {MAX_SAVED_VIEWS} views; delete one first."),
        )
        .into());
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO saved_views (staff_id, name, filter, created_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (staff_id, name) DO UPDATE SET filter = excluded.filter RETURNING id",
    )
    .bind(staff_id)
    .bind(name)
    .bind(&json)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(SavedView {
        id,
        name: name.to_owned(),
        filter,
    })
}

/// Deletes view `id` if it is this staff member's; whether there was one.
pub async fn delete(db: &SqlitePool, staff_id: i64, id: i64) -> Result<bool, AppError> {
    let done = sqlx::query("DELETE FROM saved_views WHERE id = ? AND staff_id = ?")
        .bind(id)
        .bind(staff_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

//! Staff accounts: argon2id password hashes in the database, roles, and the first account a
//! fresh installation needs.

pub mod session;
pub mod views;

use crate::store::Db;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use kassa_model::api::{Role, StaffView};
use kassa_model::FieldError;

pub use session::Session;

use crate::error::AppError;
use crate::token::random_token;

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_CHARS: usize = 10;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
}

impl StaffMember {
    pub fn view(&self) -> StaffView {
        StaffView {
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role,
        }
    }
}

/// Adds a staff member.
pub async fn create(
    db: &Db,
    email: &str,
    name: &str,
    role: Role,
    password: &str,
) -> Result<StaffMember, AppError> {
    let email = email.trim();
    if !email.contains('@') || email.len() > 254 {
        return Err(FieldError::new("email", "Enter a valid email address.").into());
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(FieldError::new(
            "password",
            format!("The password needs at least {MIN_PASSWORD_CHARS} characters."),
        )
        .into());
    }
    let hash = hash_password(password.to_owned()).await?;
    let name = if name.trim().is_empty() {
        email
    } else {
        name.trim()
    };
    let (id,): (i64,) = db
        .query(
            "INSERT INTO staff (email, name, role, password_hash, created_at)
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(email)
        .bind(name)
        .bind(role.as_str())
        .bind(hash)
        .bind(crate::now_rfc3339())
        .fetch_one()
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(d) if d.is_unique_violation() => AppError::Validation(
                FieldError::new("email", "A staff member with this email exists."),
            ),
            e => e.into(),
        })?;
    Ok(StaffMember {
        id,
        email: email.to_owned(),
        name: name.to_owned(),
        role,
    })
}

/// The staff member with these credentials, if they are right. Unknown emails cost as much
/// time as wrong passwords, so timing does not tell which emails exist.
pub async fn authenticate(
    db: &Db,
    email: &str,
    password: &str,
) -> Result<Option<StaffMember>, AppError> {
    // Emails match whatever their case (`lower` on both databases; SQLite's column is also
    // `COLLATE NOCASE`, PostgreSQL's unique index is on `lower(email)`).
    let row: Option<(i64, String, String, String, String)> = db
        .query(
            "SELECT id, email, name, role, password_hash FROM staff
             WHERE lower(email) = lower(?)",
        )
        .bind(email.trim())
        .fetch_optional()
        .await?;
    let (member, hash) = match row {
        Some((id, email, name, role, hash)) => {
            let member = StaffMember {
                id,
                email,
                name,
                role: role.parse().map_err(AppError::Internal)?,
            };
            (Some(member), hash)
        }
        None => (None, dummy_hash().to_owned()),
    };
    let ok = verify_password(password.to_owned(), hash).await?;
    Ok(member.filter(|_| ok))
}

pub async fn count(db: &Db) -> Result<i64, AppError> {
    Ok(db
        .query("SELECT COUNT(*) FROM staff")
        .scalar()
        .await?
        .unwrap_or(0))
}

/// On a fresh installation (no staff yet), creates the first operator: from the given
/// email and password, or with a generated password that is returned to be shown once.
pub async fn ensure_first_account(
    db: &Db,
    email: Option<&str>,
    password: Option<&str>,
) -> Result<Option<FirstAccount>, AppError> {
    if count(db).await? > 0 {
        return Ok(None);
    }
    let email = email.unwrap_or("admin@kassa.local");
    let (password, generated) = match password {
        Some(p) => (p.to_owned(), false),
        None => (random_token(20), true),
    };
    create(db, email, "Administrator", Role::Operator, &password).await?;
    Ok(Some(FirstAccount {
        email: email.to_owned(),
        password: generated.then_some(password),
    }))
}

/// The account [`ensure_first_account`] made; `password` is set when it was generated.
pub struct FirstAccount {
    pub email: String,
    pub password: Option<String>,
}

async fn hash_password(password: String) -> Result<String, AppError> {
    // Hashing takes tens of milliseconds of CPU: keep it off the async workers.
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("password hashing: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

async fn verify_password(password: String, hash: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| AppError::Internal(format!("stored password hash: {e}")))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

/// A valid argon2id hash of a random password nobody knows, verified against for unknown
/// emails.
fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$tHqy0iZ7Vq0ZgDFSmG7nXfB5mmsZp7nuXsY0rYZQ7Ms"
}

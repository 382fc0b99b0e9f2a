//! Who acts, for whom, in which request, and on which day: stamped on every entry, and the only
//! place a command learns the date (Europe/Copenhagen), so no rule reads the clock.
use chrono::NaiveDate;

pub use bookkeeping::Role;

#[derive(Clone, Debug)]
pub struct Ctx {
    pub sub: String,
    /// The token's `name` claim (the caseworker's name or title), printed in letters; the
    /// subject never is.
    pub name: Option<String>,
    pub role: Role,
    pub municipality: String,
    /// The server's own id of the request, unique.
    pub request_id: String,
    /// The caller's `X-Request-Id`, kept for correlation, never trusted as unique.
    pub client_request_id: Option<String>,
    /// Today in Denmark.
    pub today: NaiveDate,
}

impl Ctx {
    pub fn new(sub: String, role: Role, municipality: String, request_id: String) -> Ctx {
        Ctx {
            sub,
            name: None,
            role,
            municipality,
            request_id,
            client_request_id: None,
            today: today_in_denmark(),
        }
    }

    pub fn with_name(mut self, name: Option<String>) -> Ctx {
        self.name = name;
        self
    }

    pub fn with_client_request_id(mut self, id: Option<String>) -> Ctx {
        self.client_request_id = id;
        self
    }

    /// Refuses the caller unless its role is one of `roles`.
    pub fn require(&self, roles: &[Role]) -> bookkeeping::Result<()> {
        self.role.require(roles)
    }
}

pub fn today_in_denmark() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Copenhagen)
        .date_naive()
}

/// The Danish date of a UTC timestamp (as the store keeps them).
pub fn date_in_denmark(t: chrono::NaiveDateTime) -> NaiveDate {
    t.and_utc()
        .with_timezone(&chrono_tz::Europe::Copenhagen)
        .date_naive()
}

/// Who may read decisions, their letters and lost-earnings decisions (a parent's payslips and
/// pay): those who decide on them and those who control them, no one else (data minimisation,
/// GDPR art. 5(1)(c)).
pub const DECISION_READERS: &[Role] = &[Role::Caseworker, Role::Controller];

/// Who may read cases and their budgets and expenses: they hold the child's birth date and the
/// family's spending, which a payroll-administration firm has no need to see.
pub const CASE_READERS: &[Role] = &[
    Role::Caseworker,
    Role::Finance,
    Role::Controller,
    Role::Admin,
];

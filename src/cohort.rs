//! The participants of a mentoring programme as plain serde data: two tables (mentees, mentors).
//! Protected attributes live in a separate structure so that no scoring input can contain them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which table a person belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Someone who wants to grow and asks for mentors.
    Mentee,
    /// Someone who offers mentoring.
    Mentor,
}

impl Role {
    /// The table name used in messages and files (`mentees` / `mentors`).
    pub fn table(self) -> &'static str {
        match self {
            Role::Mentee => "mentees",
            Role::Mentor => "mentors",
        }
    }
}

/// A goal tag with a weight (`leadership:2`; weight 1 when not given).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    /// Normalised tag (trimmed, lower case).
    pub tag: String,
    /// Positive, finite weight.
    pub weight: f64,
}

/// A skill with a level from 1 (novice) to 5 (expert).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skill {
    /// Normalised skill name (trimmed, lower case).
    pub name: String,
    /// Level 1..=5.
    pub level: u8,
}

/// Day of the week, Monday first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// All days, Monday first.
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// Days since Monday (0..=6).
    pub fn index(self) -> u32 {
        self as u32
    }

    /// Three-letter English abbreviation as used in the schema (`Mon`).
    pub fn abbrev(self) -> &'static str {
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][self as usize]
    }
}

/// A weekly availability slot in the person's own local time: `Mon 09:00-11:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// Day of the week.
    pub day: Weekday,
    /// Start, minutes after local midnight (0..1440).
    pub start: u16,
    /// End, minutes after local midnight, `start < end <= 1440`.
    pub end: u16,
}

/// One participant: every column of the schema except the protected attributes.
///
/// Empty vectors and `None` mean "no information" for that scoring component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// Unique id within its table.
    pub id: String,
    /// Mentees: what they want to grow in. Mentors: what they can help with.
    pub goals: Vec<Goal>,
    /// Mentees: current level. Mentors: their level.
    pub skills: Vec<Skill>,
    /// Weekly slots in the person's own time zone.
    pub availability: Vec<Slot>,
    /// IANA time zone name (`Europe/Berlin`); `None` = unknown.
    pub timezone: Option<String>,
    /// Spoken languages, normalised (trimmed, lower case).
    pub languages: Vec<String>,
    /// Seniority grade.
    pub level: Option<i32>,
    /// Department, part of the reporting structure.
    pub department: Option<String>,
    /// Id of this person's manager (may point into either table or to nobody in the cohort).
    pub manager_id: Option<String>,
    /// Mentors: how many mentees they take (`capacity`). Mentees: how many mentors they want
    /// (`mentors_wanted`). Default 1.
    pub capacity: u32,
    /// Mentors only: the fewest mentees this mentor should get (`min_load`); `None` = the
    /// programme's default (`MatchConfig::min_load`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_load: Option<u32>,
    /// Mentees only: protected attributes the mentee asks to share with a mentor.
    pub shared_background: Vec<String>,
    /// Other columns, carried through to the result untouched, with their types: text from a CSV,
    /// the JSON value (number, boolean, text, list) from JSON or records. Integers beyond 64 bits
    /// are kept exactly as decimal text.
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// A tag, skill, language or department as compared: words separated by single spaces, lower
/// case (`"  Public  Speaking"` and `"public speaking"` are the same tag).
pub fn normalise_label(s: &str) -> String {
    let t = s.trim();
    // Most cells are already normal (lower-case ASCII, single spaces): one copy, no splitting.
    let mut previous_space = false;
    let normal = t.bytes().all(|b| {
        let odd = !b.is_ascii()
            || b.is_ascii_uppercase()
            || matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
            || (b == b' ' && previous_space);
        previous_space = b == b' ';
        !odd
    });
    if normal {
        return t.to_string();
    }
    t.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Person {
    /// The department as compared by `exclude_same_department`: case and spacing do not count,
    /// as for tags (`Finance` and `finance` are one department).
    pub fn department_key(&self) -> Option<String> {
        self.department.as_deref().map(normalise_label)
    }

    /// A person with only an id and defaults everywhere else (capacity 1).
    pub fn new(id: impl Into<String>) -> Self {
        Person {
            id: id.into(),
            goals: Vec::new(),
            skills: Vec::new(),
            availability: Vec::new(),
            timezone: None,
            languages: Vec::new(),
            level: None,
            department: None,
            manager_id: None,
            capacity: 1,
            min_load: None,
            shared_background: Vec::new(),
            extra: BTreeMap::new(),
        }
    }

    /// The text of column `column` for this person: a carried-through column, or one of the
    /// schema columns `department`, `level`, `timezone` and `manager_id`. The one place where
    /// programme-defined criteria and wishes read a column by name.
    pub fn column_value(&self, column: &str) -> Option<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow;
        match column {
            "department" => self.department.as_deref().map(Cow::Borrowed),
            "timezone" => self.timezone.as_deref().map(Cow::Borrowed),
            "manager_id" => self.manager_id.as_deref().map(Cow::Borrowed),
            "level" => self.level.map(|l| Cow::Owned(l.to_string())),
            other => self.extra.get(other).and_then(|v| match v {
                serde_json::Value::Null => None,
                serde_json::Value::String(s) => Some(Cow::Borrowed(s.as_str())),
                serde_json::Value::Number(n) => Some(Cow::Owned(n.to_string())),
                serde_json::Value::Bool(b) => Some(Cow::Owned(b.to_string())),
                v => Some(Cow::Owned(v.to_string())),
            }),
        }
        .filter(|v| !v.trim().is_empty())
    }
}

/// Protected attributes (e.g. gender, age band) of one table, held apart from [`Person`]:
/// for auditing, and for the mentee-requested shared-background component only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Protected {
    /// Attribute names, in column order.
    pub columns: Vec<String>,
    /// `values[person][column]`, `None` when missing; one row per person of the table.
    pub values: Vec<Vec<Option<String>>>,
}

impl Protected {
    /// The value of attribute `column` for person `person`, if both exist and it is set.
    pub fn get(&self, person: usize, column: &str) -> Option<&str> {
        let c = self.columns.iter().position(|x| x == column)?;
        self.values.get(person)?.get(c)?.as_deref()
    }
}

/// One table of the cohort: people plus their protected attributes, row-aligned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Mentees or mentors.
    pub role: Role,
    /// The people, in input order.
    pub people: Vec<Person>,
    /// Their protected attributes, `protected.values[i]` belongs to `people[i]`.
    pub protected: Protected,
}

impl Table {
    /// An empty table for `role`.
    pub fn new(role: Role) -> Self {
        Table {
            role,
            people: Vec::new(),
            protected: Protected::default(),
        }
    }

    /// Each person's row by id.
    pub fn row_index(&self) -> std::collections::HashMap<String, usize> {
        self.people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect()
    }
}

/// A programme's participants: the mentee table and the mentor table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cohort {
    /// People asking for mentoring.
    pub mentees: Table,
    /// People offering mentoring.
    pub mentors: Table,
}

#[cfg(test)]
mod tests {
    use super::normalise_label;
    use proptest::prelude::*;

    /// The rule as the docs state it: words split on any white space, joined by single spaces,
    /// lower case.
    fn reference(s: &str) -> String {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    }

    #[test]
    fn labels_normalise_by_the_rule() {
        for s in [
            "public speaking",
            "  Public  Speaking ",
            "a\tb",
            "a\u{0b}b",
            "a\u{a0}b",
            "ÄRGER",
            "x  ",
            "",
            " ",
            "a b c",
            "a\r\nb",
        ] {
            assert_eq!(normalise_label(s), reference(s), "{s:?}");
        }
        assert_eq!(normalise_label("  Public  Speaking "), "public speaking");
    }

    proptest! {
        #[test]
        fn labels_normalise_as_the_reference(s in "[ a-zA-Z\t\u{0b}\u{0c}\r\n\u{a0}\u{85}\u{3000}é:;-]{0,24}") {
            prop_assert_eq!(normalise_label(&s), reference(&s));
        }
    }
}

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
    pub extra: Extra,
}

/// The extra columns of one person: column name → value, kept sorted by name. A small sorted
/// vector rather than a tree: a person carries a handful of extra columns, and a tree's first
/// node alone is about 640 bytes (a quarter of the memory of reading a large table). Serialises
/// as a JSON object, as a map does; the methods are those of a map.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extra(Vec<(String, serde_json::Value)>);

impl Extra {
    /// No columns.
    pub fn new() -> Self {
        Extra(Vec::new())
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// Set column `key`; returns the value it had.
    pub fn insert(&mut self, key: String, value: serde_json::Value) -> Option<serde_json::Value> {
        match self.find(&key) {
            Ok(t) => Some(std::mem::replace(&mut self.0[t].1, value)),
            Err(t) => {
                self.0.insert(t, (key, value));
                None
            }
        }
    }

    /// The value of column `key`.
    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.find(key).ok().map(|t| &self.0[t].1)
    }

    /// The value of column `key`, to change it.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut serde_json::Value> {
        self.find(key).ok().map(|t| &mut self.0[t].1)
    }

    /// Whether column `key` is set.
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_ok()
    }

    /// Remove column `key`; returns its value.
    pub fn remove(&mut self, key: &str) -> Option<serde_json::Value> {
        self.find(key).ok().map(|t| self.0.remove(t).1)
    }

    /// The column names, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    /// The values, in the order of their names.
    pub fn values(&self) -> impl Iterator<Item = &serde_json::Value> {
        self.0.iter().map(|(_, v)| v)
    }

    /// `(name, value)` pairs, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &serde_json::Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Number of columns set.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when no column is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::ops::Index<&str> for Extra {
    type Output = serde_json::Value;
    /// The value of column `key`.
    ///
    /// # Panics
    /// When the column is not set, as a map's index does; [`Extra::get`] does not panic.
    fn index(&self, key: &str) -> &serde_json::Value {
        match self.get(key) {
            Some(v) => v,
            None => panic!("no extra column {key:?}"),
        }
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a String, &'a serde_json::Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, serde_json::Value)>,
        fn(&'a (String, serde_json::Value)) -> (&'a String, &'a serde_json::Value),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl FromIterator<(String, serde_json::Value)> for Extra {
    /// Later values of a repeated name win, as for a map.
    fn from_iter<I: IntoIterator<Item = (String, serde_json::Value)>>(iter: I) -> Self {
        let mut out = Extra::new();
        for (k, v) in iter {
            out.insert(k, v);
        }
        out
    }
}

impl From<BTreeMap<String, serde_json::Value>> for Extra {
    fn from(m: BTreeMap<String, serde_json::Value>) -> Self {
        Extra(m.into_iter().collect())
    }
}

impl From<Extra> for BTreeMap<String, serde_json::Value> {
    fn from(e: Extra) -> Self {
        e.0.into_iter().collect()
    }
}

impl Serialize for Extra {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        BTreeMap::<String, serde_json::Value>::deserialize(d).map(Extra::from)
    }
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
            extra: Extra::new(),
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
        /// The extra columns behave as a map: same lookups, same order, same JSON.
        #[test]
        fn extra_columns_are_a_map(ops in proptest::collection::vec(("[a-e]{1,2}", 0i64..5, any::<bool>()), 0..40)) {
            let (mut e, mut m) = (super::Extra::new(), std::collections::BTreeMap::new());
            for (k, v, remove) in ops {
                if remove {
                    prop_assert_eq!(e.remove(&k), m.remove(&k));
                } else {
                    prop_assert_eq!(e.insert(k.clone(), v.into()), m.insert(k, serde_json::Value::from(v)));
                }
                prop_assert_eq!(e.len(), m.len());
            }
            prop_assert!(e.keys().eq(m.keys()));
            prop_assert!(e.iter().eq(m.iter()));
            for k in ["a", "b", "ab", "zz"] {
                prop_assert_eq!(e.get(k), m.get(k));
                prop_assert_eq!(e.contains_key(k), m.contains_key(k));
            }
            let json = serde_json::to_string(&e).unwrap();
            prop_assert_eq!(&json, &serde_json::to_string(&m).unwrap());
            prop_assert_eq!(serde_json::from_str::<super::Extra>(&json).unwrap(), e.clone());
            prop_assert_eq!(std::collections::BTreeMap::from(e), m);
        }

        #[test]
        fn labels_normalise_as_the_reference(s in "[ a-zA-Z\t\u{0b}\u{0c}\r\n\u{a0}\u{85}\u{3000}é:;-]{0,24}") {
            prop_assert_eq!(normalise_label(&s), reference(&s));
        }
    }
}

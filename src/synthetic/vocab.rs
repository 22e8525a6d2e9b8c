//! The fixed vocabularies the generator draws from: goal taxonomy, time zones, languages,
//! departments. Weights are relative frequencies; order in the goal list is popularity rank.

/// Goal and skill taxonomy, most popular first (popularity falls off Zipf-like by rank).
pub(super) const GOALS: [&str; 40] = [
    "leadership",
    "career growth",
    "public speaking",
    "people management",
    "stakeholder management",
    "project management",
    "strategy",
    "communication",
    "data analysis",
    "negotiation",
    "product management",
    "software architecture",
    "time management",
    "machine learning",
    "cloud infrastructure",
    "writing",
    "hiring",
    "budgeting",
    "coaching",
    "conflict resolution",
    "agile delivery",
    "user research",
    "security",
    "inclusion",
    "change management",
    "presentation design",
    "data engineering",
    "testing",
    "devops",
    "frontend",
    "mobile",
    "accessibility",
    "operations",
    "sales",
    "marketing",
    "procurement",
    "policy",
    "legal basics",
    "innovation",
    "work-life balance",
];

/// Skills only somebody with experience lists (not goals): padding for realistic skill lists.
pub(super) const SIDE_SKILLS: [&str; 8] = [
    "excel",
    "sql",
    "python",
    "facilitation",
    "reporting",
    "planning",
    "research",
    "design",
];

/// A time zone with its relative share of people and the languages spoken there besides English.
pub(super) struct Zone {
    pub name: &'static str,
    pub share: f64,
    pub local_language: Option<&'static str>,
}

/// A realistic mix of IANA zones: whole-hour, half-hour (Kolkata, Adelaide, St Johns), a 45-minute
/// zone (Kathmandu), northern- and southern-hemisphere daylight saving (Berlin, New York, Sydney,
/// Adelaide) and zones without it (Sao Paulo since 2019, Kolkata, Tokyo, Lagos).
pub(super) const ZONES: [Zone; 18] = [
    Zone {
        name: "Europe/London",
        share: 14.0,
        local_language: None,
    },
    Zone {
        name: "Europe/Berlin",
        share: 11.0,
        local_language: Some("german"),
    },
    Zone {
        name: "Europe/Paris",
        share: 5.0,
        local_language: Some("french"),
    },
    Zone {
        name: "Europe/Madrid",
        share: 3.0,
        local_language: Some("spanish"),
    },
    Zone {
        name: "America/New_York",
        share: 13.0,
        local_language: Some("spanish"),
    },
    Zone {
        name: "America/Chicago",
        share: 5.0,
        local_language: Some("spanish"),
    },
    Zone {
        name: "America/Los_Angeles",
        share: 7.0,
        local_language: Some("spanish"),
    },
    Zone {
        name: "America/Sao_Paulo",
        share: 4.0,
        local_language: Some("portuguese"),
    },
    Zone {
        name: "America/St_Johns",
        share: 1.0,
        local_language: Some("french"),
    },
    Zone {
        name: "Asia/Kolkata",
        share: 10.0,
        local_language: Some("hindi"),
    },
    Zone {
        name: "Asia/Kathmandu",
        share: 1.0,
        local_language: Some("nepali"),
    },
    Zone {
        name: "Asia/Singapore",
        share: 5.0,
        local_language: Some("mandarin"),
    },
    Zone {
        name: "Asia/Tokyo",
        share: 4.0,
        local_language: Some("japanese"),
    },
    Zone {
        name: "Asia/Dubai",
        share: 2.0,
        local_language: Some("arabic"),
    },
    Zone {
        name: "Australia/Sydney",
        share: 5.0,
        local_language: None,
    },
    Zone {
        name: "Australia/Adelaide",
        share: 2.0,
        local_language: None,
    },
    Zone {
        name: "Africa/Lagos",
        share: 3.0,
        local_language: Some("yoruba"),
    },
    Zone {
        name: "Africa/Nairobi",
        share: 2.0,
        local_language: Some("swahili"),
    },
];

/// Department names; larger cohorts number them (`Engineering 2`).
pub(super) const DEPARTMENTS: [&str; 16] = [
    "Engineering",
    "Product",
    "Design",
    "Data",
    "Finance",
    "People",
    "Sales",
    "Marketing",
    "Operations",
    "Legal",
    "Security",
    "Customer Success",
    "Research",
    "Strategy",
    "Procurement",
    "Communications",
];

/// Values of the protected attribute `gender` and their shares (mentees and mentors alike).
pub(super) const GENDERS: [(&str, f64); 3] =
    [("female", 0.47), ("male", 0.48), ("non-binary", 0.05)];

/// Age bands, youngest first.
pub(super) const AGE_BANDS: [&str; 5] = ["18-24", "25-34", "35-44", "45-54", "55+"];
/// Age-band shares among mentees.
pub(super) const MENTEE_AGE_SHARES: [f64; 5] = [0.22, 0.45, 0.22, 0.08, 0.03];
/// Age-band shares among mentors (older).
pub(super) const MENTOR_AGE_SHARES: [f64; 5] = [0.02, 0.23, 0.38, 0.25, 0.12];

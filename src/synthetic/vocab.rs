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

/// Ways of writing each goal of [`GOALS`] in free text (same order): the tag itself, then
/// paraphrases that share a stem with it ("negotiating" for "negotiation") and synonyms that do
/// not ("getting promoted" for "career growth"), so related-but-differently-worded goals exist.
pub(super) const GOAL_PHRASES: [[&str; 3]; 40] = [
    ["leadership", "leading teams", "becoming a confident leader"],
    ["career growth", "growing my career", "getting promoted"],
    [
        "public speaking",
        "speaking at conferences",
        "talking in front of an audience",
    ],
    [
        "people management",
        "managing people",
        "running a team of reports",
    ],
    [
        "stakeholder management",
        "managing stakeholders",
        "keeping senior sponsors on side",
    ],
    [
        "project management",
        "managing projects",
        "running projects to deadline",
    ],
    [
        "strategy",
        "strategic thinking",
        "setting long-term direction",
    ],
    [
        "communication",
        "communicating clearly",
        "explaining ideas simply",
    ],
    ["data analysis", "analysing data", "making sense of numbers"],
    [
        "negotiation",
        "negotiating",
        "reaching deals across the table",
    ],
    [
        "product management",
        "managing a product",
        "owning a product roadmap",
    ],
    [
        "software architecture",
        "architecting software systems",
        "designing large codebases",
    ],
    [
        "time management",
        "managing my time",
        "prioritising my week",
    ],
    [
        "machine learning",
        "learning models from data",
        "building predictive models",
    ],
    [
        "cloud infrastructure",
        "cloud platforms and infrastructure",
        "running services on AWS",
    ],
    ["writing", "writing well", "drafting clear documents"],
    ["hiring", "hiring people", "interviewing candidates"],
    ["budgeting", "budgets and forecasts", "planning spend"],
    ["coaching", "coaching others", "helping colleagues grow"],
    [
        "conflict resolution",
        "resolving conflicts",
        "handling disagreements calmly",
    ],
    [
        "agile delivery",
        "agile ways of delivering",
        "running sprints",
    ],
    [
        "user research",
        "researching users",
        "interviewing customers about needs",
    ],
    ["security", "securing systems", "protecting against attacks"],
    ["inclusion", "inclusive teams", "diversity and belonging"],
    [
        "change management",
        "managing change",
        "leading a reorganisation",
    ],
    [
        "presentation design",
        "designing presentations",
        "building slide decks",
    ],
    [
        "data engineering",
        "engineering data pipelines",
        "building ETL jobs",
    ],
    ["testing", "testing software", "quality assurance"],
    ["devops", "devops practices", "continuous deployment"],
    [
        "frontend",
        "frontend development",
        "building web interfaces",
    ],
    ["mobile", "mobile apps", "building for iOS and Android"],
    [
        "accessibility",
        "accessible design",
        "making products usable for disabled people",
    ],
    [
        "operations",
        "running operations",
        "keeping processes efficient",
    ],
    ["sales", "selling", "closing deals with clients"],
    [
        "marketing",
        "marketing campaigns",
        "growing brand awareness",
    ],
    ["procurement", "procuring services", "buying from suppliers"],
    ["policy", "policy making", "shaping regulation"],
    [
        "legal basics",
        "legal foundations",
        "understanding contracts",
    ],
    ["innovation", "innovating", "trying new ideas"],
    [
        "work-life balance",
        "balancing work and life",
        "avoiding burnout",
    ],
];

/// Sentence frames of a mentee's free-text goals; `{}` is replaced by a goal phrase.
pub(super) const MENTEE_FRAMES: [&str; 6] = [
    "I want to get better at {}.",
    "Looking for guidance on {}.",
    "My goal this year is {}.",
    "I would like to improve at {}.",
    "Keen to work on {}.",
    "Hoping for support with {}.",
];

/// Sentence frames of a mentor's free-text goals (what they offer).
pub(super) const MENTOR_FRAMES: [&str; 6] = [
    "I can help with {}.",
    "Happy to mentor on {}.",
    "I have years of experience in {}.",
    "Ask me about {}.",
    "I enjoy sharing what I know about {}.",
    "Glad to support people with {}.",
];

/// Areas, functions and organisations people want to reach (`target_areas`) or can introduce
/// others to (`network`), most often named first.
pub(super) const AREAS: [&str; 24] = [
    "engineering",
    "product",
    "data",
    "sales",
    "marketing",
    "finance",
    "people",
    "design",
    "operations",
    "legal",
    "security",
    "research",
    "strategy",
    "customer success",
    "executive team",
    "board",
    "investor relations",
    "public sector",
    "partners",
    "procurement",
    "communications",
    "regional offices",
    "startups",
    "universities",
];

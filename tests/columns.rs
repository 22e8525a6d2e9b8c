//! The column reader (DataFrame columns, lists of dicts regrouped by key, Arrow record batches)
//! against the records/JSON and CSV readers: the same tables, the same errors.

use mentorpair::cohort::Role;
use mentorpair::io::{read_columns, read_csv, read_json, Column, ColumnValues, InputError};
use serde_json::{json, Value};

fn text(name: &str, cells: &[Option<&str>]) -> Column {
    Column::new(
        name,
        ColumnValues::Text(cells.iter().map(|c| c.map(str::to_string)).collect()),
    )
}

/// A small mentor table as columns of every kind, and the same rows as JSON records.
fn mentors() -> (Vec<Column>, Value) {
    let columns = vec![
        text("id", &[Some("m1"), Some(" m2 "), Some("m3")]),
        Column::new(
            "goals",
            ColumnValues::Values(vec![
                json!(["leadership:2", "public speaking"]),
                json!("rust;design"),
                Value::Null,
            ]),
        ),
        text(
            "skills",
            &[Some("python:4;sql:2"), Some("rust:5"), Some("")],
        ),
        text(
            "availability",
            &[Some("Mon 09:00-11:00;Wed 14:00-15:30"), None, None],
        ),
        text(
            "timezone",
            &[Some("Europe/Berlin"), Some("Asia/Kolkata"), None],
        ),
        Column::new(
            "languages",
            ColumnValues::Values(vec![json!(["en", "de"]), json!(["en", " hi "]), json!([])]),
        ),
        Column::new(
            "level",
            ColumnValues::Float(vec![Some(5.0), Some(4.0), Some(f64::NAN)]),
        ),
        Column::new(
            "manager_id",
            ColumnValues::Int(vec![Some(7), None, Some(17)]),
        ),
        Column::new("capacity", ColumnValues::Int(vec![Some(2), Some(1), None])),
        Column::new(
            "remote",
            ColumnValues::Bool(vec![Some(true), None, Some(false)]),
        ),
        Column::new(
            "rating",
            ColumnValues::Float(vec![Some(4.5), Some(3.0), None]),
        ),
        text("gender", &[Some("f"), Some("m"), None]),
    ];
    let records = json!({
        "columns": ["id", "goals", "skills", "availability", "timezone", "languages", "level",
                    "manager_id", "capacity", "remote", "rating", "gender"],
        "rows": [
            {"id": "m1", "goals": ["leadership:2", "public speaking"], "skills": "python:4;sql:2",
             "availability": "Mon 09:00-11:00;Wed 14:00-15:30", "timezone": "Europe/Berlin",
             "languages": ["en", "de"], "level": 5.0, "manager_id": 7, "capacity": 2,
             "remote": true, "rating": 4.5, "gender": "f"},
            {"id": " m2 ", "goals": "rust;design", "skills": "rust:5", "availability": null,
             "timezone": "Asia/Kolkata", "languages": ["en", " hi "], "level": 4.0,
             "manager_id": null, "capacity": 1, "remote": null, "rating": 3.0, "gender": "m"},
            {"id": "m3", "goals": null, "skills": "", "availability": null, "timezone": null,
             "languages": [], "level": null, "manager_id": 17, "capacity": null,
             "remote": false, "rating": null, "gender": null}
        ]
    });
    (columns, records)
}

fn protected() -> Vec<String> {
    vec!["gender".to_string()]
}

#[test]
fn columns_read_as_the_same_records_do() {
    let (columns, records) = mentors();
    let from_columns = read_columns(Role::Mentor, &columns, &protected()).unwrap();
    let from_json = read_json(Role::Mentor, records.to_string().as_bytes(), &protected()).unwrap();
    assert_eq!(from_columns, from_json);
    let m1 = &from_columns.people[0];
    assert_eq!(m1.goals.len(), 2);
    assert_eq!(m1.languages, vec!["en", "de"]);
    assert_eq!(m1.manager_id.as_deref(), Some("7"));
    assert_eq!(m1.capacity, 2);
    assert_eq!(m1.extra["remote"], json!(true));
    assert_eq!(m1.extra["rating"], json!(4.5));
    assert_eq!(from_columns.people[1].id, "m2");
    assert_eq!(from_columns.people[2].level, None);
    assert!(!from_columns.people[2].extra.contains_key("rating"));
    assert_eq!(from_columns.protected.values[2], vec![None]);
}

#[test]
fn schema_cells_read_as_csv_reads_them() {
    let (columns, _) = mentors();
    let csv = "id,goals,skills,availability,timezone,languages,level,manager_id,capacity,gender\n\
        m1,leadership:2;public speaking,python:4;sql:2,Mon 09:00-11:00;Wed 14:00-15:30,Europe/Berlin,en;de,5,7,2,f\n\
        m2,rust;design,rust:5,,Asia/Kolkata,en;hi,4,,1,m\n\
        m3,,,,,,,17,,\n";
    let schema_only: Vec<Column> = columns
        .into_iter()
        .filter(|c| c.name != "remote" && c.name != "rating")
        .collect();
    let a = read_columns(Role::Mentor, &schema_only, &protected()).unwrap();
    let b = read_csv(Role::Mentor, csv.as_bytes(), &protected()).unwrap();
    assert_eq!(a, b);
}

/// The same bad table as columns and as CSV gives the same error.
fn same_error(columns: Vec<Column>, csv: &str) -> InputError {
    let a = read_columns(Role::Mentee, &columns, &[]).unwrap_err();
    let b = read_csv(Role::Mentee, csv.as_bytes(), &[]).unwrap_err();
    assert_eq!(a, b);
    a
}

#[test]
fn errors_match_csv() {
    let e = same_error(
        vec![
            text("id", &[Some("e1"), Some("e2")]),
            text("level", &[Some("3"), Some("senior")]),
        ],
        "id,level\ne1,3\ne2,senior\n",
    );
    assert!(e.to_string().contains("row 2"), "{e}");
    assert!(e.to_string().contains("senior"), "{e}");
    let e = same_error(vec![text("id", &[Some("e1"), None])], "id\ne1\n\"\"\n");
    assert!(e.to_string().contains("the id is empty"), "{e}");
    let e = same_error(
        vec![Column::new("id", ColumnValues::Int(vec![Some(4), Some(4)]))],
        "id\n4\n4\n",
    );
    assert!(
        matches!(
            e,
            InputError::DuplicateId {
                row: 2,
                first_row: 1,
                ..
            }
        ),
        "{e}"
    );
    let e = same_error(
        vec![
            text("id", &[Some("e1")]),
            Column::new("goals", ColumnValues::Values(vec![json!(["leadership:x"])])),
        ],
        "id,goals\ne1,leadership:x\n",
    );
    assert!(e.to_string().contains("leadership:x"), "{e}");
    let e = same_error(
        vec![text("id", &[Some("e1")]), text("capacity", &[Some("2")])],
        "id,capacity\ne1,2\n",
    );
    assert!(matches!(e, InputError::WrongTableColumn { .. }), "{e}");
}

#[test]
fn nested_lists_and_ragged_columns_are_refused() {
    let nested = vec![
        text("id", &[Some("e1")]),
        Column::new("goals", ColumnValues::Values(vec![json!([["a"]])])),
    ];
    let e = read_columns(Role::Mentee, &nested, &[]).unwrap_err();
    let InputError::InvalidValue(bad) = &e else {
        panic!("{e}")
    };
    assert_eq!((bad.row, bad.column.as_str()), (1, "goals"));
    assert!(bad.problem.contains("nested"), "{e}");
    let ragged = vec![
        text("id", &[Some("e1"), Some("e2")]),
        text("goals", &[None]),
    ];
    let e = read_columns(Role::Mentee, &ragged, &[]).unwrap_err();
    assert!(e.to_string().contains("`goals` has 1 rows"), "{e}");
    let twice = vec![text("id", &[Some("e1")]), text(" id", &[Some("e1")])];
    assert!(matches!(
        read_columns(Role::Mentee, &twice, &[]).unwrap_err(),
        InputError::DuplicateColumn { .. }
    ));
    // No columns at all is a table without ids (an empty DataFrame), never silently empty.
    let e = read_columns(Role::Mentee, &[], &[]).unwrap_err();
    assert!(
        matches!(&e, InputError::MissingColumn { column, .. } if column == "id"),
        "{e}"
    );
    // With an id column and no rows, the table is empty.
    let empty = vec![text("id", &[])];
    assert!(read_columns(Role::Mentee, &empty, &[])
        .unwrap()
        .people
        .is_empty());
}

#[cfg(feature = "arrow")]
mod arrow {
    use super::*;
    use arrow_array::builder::{ListBuilder, StringBuilder};
    use arrow_array::{
        ArrayRef, BooleanArray, DictionaryArray, Float64Array, Int32Array, Int64Array, RecordBatch,
        StringArray,
    };
    use arrow_schema::{DataType, Field, Schema};
    use mentorpair::io::read_record_batches;
    use std::sync::Arc;

    fn list(rows: &[Option<Vec<&str>>]) -> ArrayRef {
        let mut b = ListBuilder::new(StringBuilder::new());
        for row in rows {
            match row {
                Some(items) => {
                    for it in items {
                        b.values().append_value(it);
                    }
                    b.append(true);
                }
                None => b.append(false),
            }
        }
        Arc::new(b.finish())
    }

    fn batch(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
        RecordBatch::try_from_iter(columns).unwrap()
    }

    fn read(batches: &[RecordBatch], role: Role) -> Result<mentorpair::cohort::Table, InputError> {
        read_record_batches(role, &batches[0].schema(), batches, &protected())
    }

    #[test]
    fn record_batches_read_as_the_same_records_do() {
        let (_, records) = mentors();
        let first = batch(vec![
            (
                "id",
                Arc::new(StringArray::from(vec!["m1", " m2 "])) as ArrayRef,
            ),
            (
                "goals",
                list(&[
                    Some(vec!["leadership:2", "public speaking"]),
                    Some(vec!["rust", "design"]),
                ]),
            ),
            (
                "skills",
                Arc::new(StringArray::from(vec!["python:4;sql:2", "rust:5"])),
            ),
            (
                "availability",
                Arc::new(StringArray::from(vec![
                    Some("Mon 09:00-11:00;Wed 14:00-15:30"),
                    None,
                ])),
            ),
            (
                "timezone",
                Arc::new(StringArray::from(vec!["Europe/Berlin", "Asia/Kolkata"])),
            ),
            (
                "languages",
                list(&[Some(vec!["en", "de"]), Some(vec!["en", " hi "])]),
            ),
            ("level", Arc::new(Int32Array::from(vec![5, 4]))),
            (
                "manager_id",
                Arc::new(Int64Array::from(vec![Some(7), None])),
            ),
            (
                "capacity",
                Arc::new(Int64Array::from(vec![Some(2), Some(1)])),
            ),
            (
                "remote",
                Arc::new(BooleanArray::from(vec![Some(true), None])),
            ),
            (
                "rating",
                Arc::new(Float64Array::from(vec![Some(4.5), Some(3.0)])),
            ),
            (
                "gender",
                Arc::new(
                    vec![Some("f"), Some("m")]
                        .into_iter()
                        .collect::<DictionaryArray<arrow_array::types::Int32Type>>(),
                ),
            ),
        ]);
        let second = batch(vec![
            ("id", Arc::new(StringArray::from(vec!["m3"])) as ArrayRef),
            ("goals", list(&[None])),
            ("skills", Arc::new(StringArray::from(vec![""]))),
            (
                "availability",
                Arc::new(StringArray::from(vec![None::<&str>])),
            ),
            ("timezone", Arc::new(StringArray::from(vec![None::<&str>]))),
            ("languages", list(&[Some(vec![])])),
            ("level", Arc::new(Int32Array::from(vec![None]))),
            ("manager_id", Arc::new(Int64Array::from(vec![17]))),
            ("capacity", Arc::new(Int64Array::from(vec![None]))),
            ("remote", Arc::new(BooleanArray::from(vec![false]))),
            ("rating", Arc::new(Float64Array::from(vec![None]))),
            (
                "gender",
                Arc::new(
                    vec![None::<&str>]
                        .into_iter()
                        .collect::<DictionaryArray<arrow_array::types::Int32Type>>(),
                ),
            ),
        ]);
        let from_arrow = read(&[first, second], Role::Mentor).unwrap();
        let from_json =
            read_json(Role::Mentor, records.to_string().as_bytes(), &protected()).unwrap();
        assert_eq!(from_arrow, from_json);
    }

    fn same_error(columns: Vec<(&str, ArrayRef)>, csv: &str) -> InputError {
        let a = read_record_batches(
            Role::Mentee,
            &batch(columns.clone()).schema(),
            &[batch(columns)],
            &[],
        )
        .unwrap_err();
        let b = read_csv(Role::Mentee, csv.as_bytes(), &[]).unwrap_err();
        assert_eq!(a, b);
        a
    }

    #[test]
    fn arrow_errors_match_csv() {
        // A column of the wrong type: text where a level is expected.
        same_error(
            vec![
                (
                    "id",
                    Arc::new(StringArray::from(vec!["e1", "e2"])) as ArrayRef,
                ),
                ("level", Arc::new(StringArray::from(vec!["3", "senior"]))),
            ],
            "id,level\ne1,3\ne2,senior\n",
        );
        // A fractional level from a float column.
        same_error(
            vec![
                ("id", Arc::new(StringArray::from(vec!["e1"])) as ArrayRef),
                ("level", Arc::new(Float64Array::from(vec![2.5]))),
            ],
            "id,level\ne1,2.5\n",
        );
        // A null id, a duplicate id.
        same_error(
            vec![(
                "id",
                Arc::new(StringArray::from(vec![Some("e1"), None])) as ArrayRef,
            )],
            "id\ne1\n\"\"\n",
        );
        same_error(
            vec![("id", Arc::new(Int64Array::from(vec![3, 3])) as ArrayRef)],
            "id\n3\n3\n",
        );
        // A bad cell inside a list.
        same_error(
            vec![
                ("id", Arc::new(StringArray::from(vec!["e1"])) as ArrayRef),
                ("skills", list(&[Some(vec!["python:4", "sql"])])),
            ],
            "id,skills\ne1,python:4;sql\n",
        );
    }

    #[test]
    fn types_without_a_cell_form_are_named() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Utf8, false),
            Field::new("joined", DataType::Date32, true),
        ]));
        let b = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(vec!["e1"])),
                Arc::new(arrow_array::Date32Array::from(vec![19000])),
            ],
        )
        .unwrap();
        let e = read_record_batches(Role::Mentee, &schema, &[b], &[]).unwrap_err();
        assert!(matches!(e, InputError::Malformed { .. }), "{e}");
        assert!(
            e.to_string().contains("`joined` has Arrow type Date32"),
            "{e}"
        );
        // No batches at all: the schema's columns are still checked.
        let e = read_record_batches(
            Role::Mentee,
            &Schema::new(vec![Field::new("name", DataType::Utf8, true)]),
            &[],
            &[],
        )
        .unwrap_err();
        assert!(matches!(e, InputError::MissingColumn { .. }), "{e}");
    }
}

/// Rows are validated in parallel chunks; the error reported is still the first one in row
/// order, whichever chunk finds it, as a plain sequential pass (the oracle here) would report it.
#[test]
fn first_error_in_row_order_across_chunks() {
    let n = 9000;
    // A sequential oracle over (id, timezone) rows: empty id, then repeated id, then the cell.
    fn oracle(ids: &[String], zones: &[String]) -> Option<(usize, &'static str)> {
        let mut seen = std::collections::HashSet::new();
        for (r, (id, tz)) in ids.iter().zip(zones).enumerate() {
            if id.is_empty() {
                return Some((r + 1, "empty"));
            }
            if !seen.insert(id.clone()) {
                return Some((r + 1, "duplicate"));
            }
            if tz == "Mars/Olympus" {
                return Some((r + 1, "timezone"));
            }
        }
        None
    }
    let cases: Vec<Vec<(usize, &str)>> = vec![
        vec![(6000, "tz"), (3000, "dup:10")],
        vec![(2500, "tz"), (7000, "dup:10")],
        vec![(2049, "tz"), (2049, "dup:1")],
        vec![(4096, "empty"), (8000, "tz")],
        vec![(8999, "dup:8998")],
        vec![(100, "tz"), (5, "tz")],
        vec![],
    ];
    for case in cases {
        let mut ids: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
        let mut zones: Vec<String> = vec!["Europe/Berlin".to_string(); n];
        for &(row, what) in &case {
            if what == "tz" {
                zones[row] = "Mars/Olympus".to_string();
            } else if what == "empty" {
                ids[row] = String::new();
            } else if let Some(first) = what.strip_prefix("dup:") {
                ids[row] = format!("p{first}");
            }
        }
        let columns = vec![
            Column::new(
                "id",
                ColumnValues::Text(ids.iter().map(|s| Some(s.clone())).collect()),
            ),
            Column::new(
                "timezone",
                ColumnValues::Text(zones.iter().map(|s| Some(s.clone())).collect()),
            ),
        ];
        let got = read_columns(Role::Mentor, &columns, &[]);
        match (oracle(&ids, &zones), got) {
            (None, Ok(table)) => assert_eq!(table.people.len(), n),
            (Some((row, "duplicate")), Err(InputError::DuplicateId { row: r, .. })) => {
                assert_eq!(r, row, "case {case:?}")
            }
            (Some((row, kind)), Err(InputError::InvalidValue(bad))) => {
                assert_eq!(bad.row, row, "case {case:?}");
                assert_eq!(bad.column, if kind == "empty" { "id" } else { "timezone" });
            }
            (want, got) => panic!("case {case:?}: expected {want:?}, got {got:?}"),
        }
        // CSV reads the same rows through the row-major reader: the same error.
        let mut csv = String::from("id,timezone\n");
        for (id, tz) in ids.iter().zip(&zones) {
            csv.push_str(&format!("{id},{tz}\n"));
        }
        let from_csv = read_csv(Role::Mentor, csv.as_bytes(), &[]);
        let from_columns = read_columns(Role::Mentor, &columns, &[]);
        match (from_csv, from_columns) {
            (Ok(a), Ok(b)) => assert_eq!(a.people, b.people),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            (a, b) => panic!("csv {a:?} vs columns {b:?}"),
        }
    }
}

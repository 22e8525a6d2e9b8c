//! CSV written for people: cells a spreadsheet would run as a formula are neutralised (OWASP
//! CSV-injection guidance), and the readers undo it, so every file reads back to what was written.
//!
//! A cell is neutralised when it begins with `=`, `+`, `-`, `@`, a tab or a carriage return (after
//! any leading single quotes, so that a value that itself starts with `'=` survives the round trip):
//! a single quote is put in front and the field is quoted. A cell that is a plain decimal number
//! (`-0.5`, `+3`, `1e-9`) is left as it is: a spreadsheet reads it as that number, and no formula
//! can be written with digits, one sign, a point and an exponent alone.

use std::borrow::Cow;
use std::io::{self, Write};

/// How a CSV writer treats cells that a spreadsheet could run as a formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvCells {
    /// Prefix such cells with `'` (the default): safe to open in Excel, LibreOffice or Sheets.
    #[default]
    Safe,
    /// Write every value exactly as it is (for programs that read the file, never a spreadsheet).
    Raw,
}

const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A plain decimal number: optional sign, digits with at most one point, optional exponent.
pub fn is_plain_number(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            (digits(a) || digits(b)) && (a.is_empty() || digits(a)) && (b.is_empty() || digits(b))
        }
        None => digits(mantissa),
    };
    let exponent_ok = exponent.map_or(true, |e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

fn needs_quote_prefix(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(TRIGGERS) && !is_plain_number(cell)
}

/// The cell as a spreadsheet may show it: `=1+1` becomes `'=1+1`; anything else is unchanged.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if needs_quote_prefix(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Undo [`neutralise`]: `'=1+1` reads as `=1+1`, `''=x` as `'=x`; anything else is unchanged.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(TRIGGERS) => rest,
        _ => cell,
    }
}

/// A CSV writer for files people open: neutralises cells unless told [`CsvCells::Raw`]. In safe
/// mode every field that is not a number is quoted, as OWASP advises.
pub struct CsvWriter<W: Write> {
    inner: csv::Writer<W>,
    cells: CsvCells,
}

impl<W: Write> CsvWriter<W> {
    /// A writer onto `w`.
    pub fn new(w: W, cells: CsvCells) -> Self {
        let quote = match cells {
            CsvCells::Safe => csv::QuoteStyle::NonNumeric,
            CsvCells::Raw => csv::QuoteStyle::Necessary,
        };
        CsvWriter {
            inner: csv::WriterBuilder::new().quote_style(quote).from_writer(w),
            cells,
        }
    }

    /// Write one row.
    ///
    /// # Errors
    /// The underlying writer's error.
    pub fn row<I, S>(&mut self, cells: I) -> io::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let safe = self.cells == CsvCells::Safe;
        let row: Vec<S> = cells.into_iter().collect();
        self.inner.write_record(
            row.iter()
                .map(|c| {
                    let c = c.as_ref();
                    if safe {
                        neutralise(c)
                    } else {
                        Cow::Borrowed(c)
                    }
                })
                .map(|c| c.into_owned()),
        )?;
        Ok(())
    }

    /// Flush what is buffered.
    ///
    /// # Errors
    /// The underlying writer's error.
    pub fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_recognised() {
        for n in ["0", "-0.5", "+3", "1e-9", "-2.5E+10", ".5", "5."] {
            assert!(is_plain_number(n), "{n}");
        }
        for n in [
            "-2+3", "-", "+", "1e", "--1", "-1-1", "=1", "-.", "-0x10", "-1,5", "",
        ] {
            assert!(!is_plain_number(n), "{n}");
        }
    }

    #[test]
    fn neutralise_and_restore_round_trip() {
        for s in [
            "=HYPERLINK(\"x\")",
            "+cmd|' /C calc'!A0",
            "@SUM(A1)",
            "-2+3",
            "\tx",
            "\rx",
            "'=x",
            "''@y",
            "'plain",
            "plain",
            "-0.5",
            "",
        ] {
            assert_eq!(restore(&neutralise(s)), s, "{s:?}");
        }
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("-0.5"), "-0.5");
        assert_eq!(neutralise("'plain"), "'plain");
    }
}

//! Dates and review intervals: `YYYY-MM-DD` dates as written in front
//! matter or data files, ISO 8601 durations (`P1Y`, `P6M`, `P2W`, `P1Y6M`)
//! and adding one to a date with calendar arithmetic.
//!
//! Pure functions; must not read the clock ("today" is passed in by the
//! caller).

use chrono::{Days, Months, NaiveDate};
use std::fmt;

/// A calendar duration in the ISO 8601 form `PnYnMnWnD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct IsoDuration {
    pub(crate) years: u32,
    pub(crate) months: u32,
    pub(crate) weeks: u32,
    pub(crate) days: u32,
}

impl IsoDuration {
    /// Parses `P1Y`, `P18M`, `P1Y6M`, `P2W`, `P30D` (upper or lower case).
    /// Time parts (`PT12H`), fractions, signs and an empty `P` are refused.
    pub(crate) fn parse(text: &str) -> Option<IsoDuration> {
        let rest = text.trim().strip_prefix(['P', 'p'])?;
        if rest.is_empty() {
            return None;
        }
        let mut duration = IsoDuration::default();
        let mut number = String::new();
        let mut last_unit = 0;
        for c in rest.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let value: u32 = number.parse().ok()?;
            number.clear();
            // Units must come in the order Y, M, W, D, each at most once.
            let (rank, slot) = match c.to_ascii_uppercase() {
                'Y' => (1, &mut duration.years),
                'M' => (2, &mut duration.months),
                'W' => (3, &mut duration.weeks),
                'D' => (4, &mut duration.days),
                _ => return None,
            };
            if rank <= last_unit {
                return None;
            }
            last_unit = rank;
            *slot = value;
        }
        if !number.is_empty() || duration == IsoDuration::default() {
            return None;
        }
        Some(duration)
    }

    /// `date` plus this duration: years and months first (a day past the end
    /// of the month is clamped to its last day: 2024-01-31 + P1M is
    /// 2024-02-29), then weeks and days. `None` past chrono's range.
    pub(crate) fn add_to(&self, date: NaiveDate) -> Option<NaiveDate> {
        let months = self.years.checked_mul(12)?.checked_add(self.months)?;
        let days = u64::from(self.weeks) * 7 + u64::from(self.days);
        date.checked_add_months(Months::new(months))?
            .checked_add_days(Days::new(days))
    }
}

impl fmt::Display for IsoDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("P")?;
        for (n, unit) in [
            (self.years, 'Y'),
            (self.months, 'M'),
            (self.weeks, 'W'),
            (self.days, 'D'),
        ] {
            if n > 0 {
                write!(f, "{n}{unit}")?;
            }
        }
        Ok(())
    }
}

/// Parses a date written as `YYYY-MM-DD`, or the date part of a date-time
/// (`2025-03-12T09:00:00+01:00`); TOML dates arrive here as their text.
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let date_part = text.get(..10).unwrap_or(text);
    let rest = text.get(10..).unwrap_or("");
    if !(rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
        return None;
    }
    NaiveDate::parse_from_str(date_part, "%Y-%m-%d").ok()
}

/// A date as `YYYY-MM-DD`, the form templates and tables use.
pub(crate) fn iso(date: NaiveDate) -> String {
    use chrono::Datelike;
    // Written directly: the register formats several dates per document,
    // and interpreting a format string each time was a visible part of it.
    match date.year() {
        y @ 0..=9999 => format!("{y:04}-{:02}-{:02}", date.month(), date.day()),
        _ => date.format("%Y-%m-%d").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap_or_default()
    }

    #[test]
    fn parses_calendar_durations() {
        let p = |s| IsoDuration::parse(s);
        assert_eq!(
            p("P1Y"),
            Some(IsoDuration {
                years: 1,
                ..Default::default()
            })
        );
        assert_eq!(
            p("P1Y6M"),
            Some(IsoDuration {
                years: 1,
                months: 6,
                ..Default::default()
            })
        );
        assert_eq!(
            p("p2w"),
            Some(IsoDuration {
                weeks: 2,
                ..Default::default()
            })
        );
        assert_eq!(p("P30D").map(|d| d.to_string()), Some("P30D".to_string()));
        for bad in [
            "", "P", "1Y", "P1", "PT12H", "P1.5Y", "P-1Y", "P1M1Y", "P1Y1Y", "yearly",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }

    #[test]
    fn adds_months_clamping_the_day() {
        let month = IsoDuration {
            months: 1,
            ..Default::default()
        };
        assert_eq!(month.add_to(d("2024-01-31")), Some(d("2024-02-29")));
        let year = IsoDuration {
            years: 1,
            ..Default::default()
        };
        assert_eq!(year.add_to(d("2024-02-29")), Some(d("2025-02-28")));
        let mixed = IsoDuration {
            years: 1,
            months: 1,
            weeks: 1,
            days: 1,
        };
        assert_eq!(mixed.add_to(d("2025-01-01")), Some(d("2026-02-09")));
    }

    #[test]
    fn parses_dates_and_date_times() {
        assert_eq!(
            parse_date("2025-03-12"),
            NaiveDate::from_ymd_opt(2025, 3, 12)
        );
        assert_eq!(
            parse_date("2025-03-12T09:00:00+01:00"),
            NaiveDate::from_ymd_opt(2025, 3, 12)
        );
        assert_eq!(parse_date("2025-02-30"), None);
        assert_eq!(parse_date("12 mars 2025"), None);
        assert_eq!(parse_date("2025-03-123"), None);
        assert_eq!(iso(d("2025-03-02")), "2025-03-02");
    }

    #[test]
    fn dates_are_written_as_chrono_writes_them_in_every_year() {
        for (y, m, day) in [
            (2025, 12, 31),
            (999, 1, 9),
            (0, 6, 15),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 3, 4),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, day).expect("a valid date");
            assert_eq!(iso(date), date.format("%Y-%m-%d").to_string());
        }
    }
}

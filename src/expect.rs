//! Arrival expectations (`expect:`): when a job's files must have arrived, and whether they
//! did. Pure time arithmetic over a deadline rule and a count of deliveries; the ledger supplies
//! the count, `ferry expect` and `ferry daemon` act on the verdict.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

/// When a deadline falls: a local time of day, or a cron expression (in the job's time zone).
#[derive(Debug, Clone)]
pub enum By {
    TimeOfDay(NaiveTime),
    Cron(Box<cron::Schedule>),
}

/// Weekdays a deadline applies on, as a bit set (bit 0 = Monday).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Days(u8);

impl Days {
    pub const ALL: Days = Days(0x7f);

    pub fn has(self, d: Weekday) -> bool {
        self.0 & (1 << d.num_days_from_monday()) != 0
    }

    /// Parse `mon-fri`, `mon,wed,fri`, `sat-sun`, `fri-mon` (wrapping) or `daily`.
    pub fn parse(s: &str) -> Result<Days, String> {
        let t = s.trim().to_ascii_lowercase();
        if t == "daily" || t == "*" || t == "all" {
            return Ok(Days::ALL);
        }
        let day = |n: &str| -> Result<u8, String> {
            const SHORT: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
            const LONG: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
            let n = n.trim();
            (0..7)
                .find(|&i| n == SHORT[i] || n == LONG[i])
                .map(|i| i as u8)
                .ok_or_else(|| format!("invalid days {s:?}: {n:?} is not a weekday (use mon, tue, wed, thu, fri, sat, sun)"))
        };
        let mut bits = 0u8;
        for part in t.split(',') {
            match part.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (day(a)?, day(b)?);
                    let mut d = a;
                    loop {
                        bits |= 1 << d;
                        if d == b {
                            break;
                        }
                        d = (d + 1) % 7;
                    }
                }
                None => bits |= 1 << day(part)?,
            }
        }
        Ok(Days(bits))
    }
}

/// A job's arrival expectation, validated.
#[derive(Debug, Clone)]
pub struct Expect {
    pub by: By,
    /// `by:` as written, for messages.
    pub by_text: String,
    pub tz: Tz,
    pub days: Days,
    /// At least this many files delivered since the previous deadline.
    pub min_files: u64,
    /// Command run once per missed deadline.
    pub on_late: Option<String>,
}

/// How far a search for a deadline goes: a week and a day covers every `days:` set for a
/// time of day; a cron rule that fires less often than this counts as having no deadline.
const SEARCH_DAYS: i64 = 8;

/// Parse a `by:` value: `HH:MM`, `HH:MM:SS`, or a cron expression (6 fields with seconds).
pub fn parse_by(s: &str) -> Result<By, String> {
    let t = s.trim();
    for f in ["%H:%M", "%H:%M:%S"] {
        if let Ok(time) = NaiveTime::parse_from_str(t, f) {
            return Ok(By::TimeOfDay(time));
        }
    }
    if t.len() <= 8 && t.contains(':') {
        return Err(format!("invalid time of day {s:?} (expected HH:MM or HH:MM:SS, 24-hour)"));
    }
    std::str::FromStr::from_str(t).map(|c| By::Cron(Box::new(c))).map_err(|e: cron::error::Error| {
        let why = e.to_string().lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string();
        format!("invalid deadline {s:?}: {why} (use a time of day such as \"06:00\", or a 6-field cron expression)")
    })
}

/// Parse a `timezone:` value: an IANA name such as `Europe/Berlin`, or `UTC`.
pub fn parse_tz(s: &str) -> Result<Tz, String> {
    s.trim().parse::<Tz>().map_err(|_| format!("unknown time zone {s:?} (use an IANA name such as Europe/Berlin, or UTC)"))
}

/// The instant a local wall-clock time happens in `tz`: the earlier one when the clock is set
/// back (the time happens twice), the first instant after the gap when it is set forward (the
/// time does not happen), as cron daemons do.
fn instant(tz: Tz, date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    let local = date.and_time(time);
    if let Some(t) = tz.from_local_datetime(&local).earliest() {
        return Some(t.with_timezone(&Utc));
    }
    // In a gap: the first whole minute that exists is where the clock jumped to.
    (1..=180).find_map(|m| {
        let later = local + Duration::minutes(m);
        let mut t = tz.from_local_datetime(&later).earliest()?;
        // Keep the original seconds out of it: the jump happens on the minute.
        t -= Duration::seconds(later.and_utc().timestamp() % 60);
        Some(t.with_timezone(&Utc))
    })
}

impl Expect {
    fn allowed(&self, t: DateTime<Utc>) -> bool {
        self.days.has(t.with_timezone(&self.tz).weekday())
    }

    /// The most recent deadline at or before `now`.
    pub fn last(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match &self.by {
            By::TimeOfDay(time) => {
                let today = now.with_timezone(&self.tz).date_naive();
                (0..=SEARCH_DAYS)
                    .filter_map(|back| instant(self.tz, today - Duration::days(back), *time))
                    .find(|&t| t <= now && self.allowed(t))
            }
            By::Cron(c) => {
                // `after(t)` walks backwards from t exclusive; start just past `now` so a
                // deadline exactly at `now` counts as passed.
                let from = (now + Duration::seconds(1)).with_timezone(&self.tz);
                let floor = now - Duration::days(SEARCH_DAYS * 4);
                c.after(&from).rev().map(|t| t.with_timezone(&Utc)).take_while(|&t| t >= floor).find(|&t| t <= now && self.allowed(t))
            }
        }
    }

    /// The first deadline after `now`.
    pub fn next(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match &self.by {
            By::TimeOfDay(time) => {
                let today = now.with_timezone(&self.tz).date_naive();
                (-1..=SEARCH_DAYS)
                    .filter_map(|ahead| instant(self.tz, today + Duration::days(ahead), *time))
                    .find(|&t| t > now && self.allowed(t))
            }
            By::Cron(c) => {
                let ceiling = now + Duration::days(SEARCH_DAYS * 4);
                c.after(&now.with_timezone(&self.tz))
                    .map(|t| t.with_timezone(&Utc))
                    .take_while(|&t| t <= ceiling)
                    .find(|&t| t > now && self.allowed(t))
            }
        }
    }

    /// The window a deadline judges: deliveries after the previous deadline, up to this one.
    pub fn window(&self, deadline: DateTime<Utc>) -> (Option<DateTime<Utc>>, DateTime<Utc>) {
        (self.last(deadline - Duration::nanoseconds(1)), deadline)
    }

    /// The verdict on `deadline` given the deliveries in its window.
    pub fn judge(&self, deadline: DateTime<Utc>, delivered: u64) -> Verdict {
        Verdict { deadline, delivered, met: delivered >= self.min_files }
    }
}

/// Whether one deadline was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Verdict {
    pub deadline: DateTime<Utc>,
    /// Files delivered in the deadline's window.
    pub delivered: u64,
    pub met: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn expect(by: &str, tz: &str, days: &str) -> Expect {
        Expect {
            by: parse_by(by).unwrap(),
            by_text: by.into(),
            tz: parse_tz(tz).unwrap(),
            days: Days::parse(days).unwrap(),
            min_files: 1,
            on_late: None,
        }
    }

    #[test]
    fn a_time_of_day_before_and_after_it_passes() {
        let e = expect("06:00", "UTC", "daily");
        assert_eq!(e.last(at("2026-12-03T05:59:59Z")), Some(at("2026-12-02T06:00:00Z")));
        assert_eq!(e.last(at("2026-12-03T06:00:00Z")), Some(at("2026-12-03T06:00:00Z")), "a deadline at now has passed");
        assert_eq!(e.next(at("2026-12-03T06:00:00Z")), Some(at("2026-12-04T06:00:00Z")));
        assert_eq!(e.next(at("2026-12-03T05:00:00Z")), Some(at("2026-12-03T06:00:00Z")));
        assert_eq!(e.window(at("2026-12-03T06:00:00Z")), (Some(at("2026-12-02T06:00:00Z")), at("2026-12-03T06:00:00Z")));
    }

    #[test]
    fn berlin_local_time_across_both_dst_changes() {
        let e = expect("06:00", "Europe/Berlin", "daily");
        // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST.
        assert_eq!(e.last(at("2026-03-28T12:00:00Z")), Some(at("2026-03-28T05:00:00Z")), "CET: UTC+1");
        assert_eq!(e.last(at("2026-03-29T12:00:00Z")), Some(at("2026-03-29T04:00:00Z")), "CEST: UTC+2");
        // The window of the first summer deadline is 23 hours long.
        assert_eq!(e.window(at("2026-03-29T04:00:00Z")).0, Some(at("2026-03-28T05:00:00Z")));
        // 2026-10-25: clocks go from 03:00 CEST back to 02:00 CET.
        assert_eq!(e.last(at("2026-10-25T12:00:00Z")), Some(at("2026-10-25T05:00:00Z")));
        assert_eq!(e.window(at("2026-10-25T05:00:00Z")).0, Some(at("2026-10-24T04:00:00Z")), "a 25-hour window");

        // A time the spring change skips falls on the jump; one the autumn change repeats
        // counts at its first occurrence.
        let skipped = expect("02:30", "Europe/Berlin", "daily");
        assert_eq!(skipped.last(at("2026-03-29T12:00:00Z")), Some(at("2026-03-29T01:00:00Z")), "03:00 CEST");
        assert_eq!(skipped.last(at("2026-10-25T12:00:00Z")), Some(at("2026-10-25T00:30:00Z")), "02:30 CEST, not CET");
    }

    #[test]
    fn days_filters_weekdays_and_wraps() {
        // 2026-12-05 is a Saturday.
        let e = expect("06:00", "UTC", "mon-fri");
        assert_eq!(e.last(at("2026-12-07T05:00:00Z")), Some(at("2026-12-04T06:00:00Z")), "Monday early: Friday's deadline");
        assert_eq!(e.next(at("2026-12-04T07:00:00Z")), Some(at("2026-12-07T06:00:00Z")), "after Friday: Monday");
        assert_eq!(e.window(at("2026-12-07T06:00:00Z")).0, Some(at("2026-12-04T06:00:00Z")), "the weekend counts for Monday");
        let weekend = Days::parse("fri-mon").unwrap();
        assert!(weekend.has(Weekday::Sat) && weekend.has(Weekday::Mon) && !weekend.has(Weekday::Wed));
        let list = Days::parse("Mon, wed,friday").unwrap();
        assert!(list.has(Weekday::Wed) && list.has(Weekday::Fri) && !list.has(Weekday::Tue));
        assert!(Days::parse("mon-funday").is_err());
        assert!(Days::parse("mo").is_err());
    }

    #[test]
    fn cron_deadlines_in_a_time_zone() {
        let e = expect("0 30 7 * * *", "Europe/Berlin", "daily");
        assert_eq!(e.last(at("2026-12-03T07:00:00Z")), Some(at("2026-12-03T06:30:00Z")));
        assert_eq!(e.last(at("2026-12-03T06:30:00Z")), Some(at("2026-12-03T06:30:00Z")));
        assert_eq!(e.next(at("2026-12-03T06:30:00Z")), Some(at("2026-12-04T06:30:00Z")));
        let weekdays = expect("0 0 9 * * *", "UTC", "mon-fri");
        assert_eq!(weekdays.last(at("2026-12-06T10:00:00Z")), Some(at("2026-12-04T09:00:00Z")), "Sunday: Friday's");
    }

    #[test]
    fn min_files_counts_only_the_window() {
        let mut e = expect("06:00", "UTC", "daily");
        e.min_files = 3;
        let d = at("2026-12-03T06:00:00Z");
        assert!(!e.judge(d, 2).met);
        assert!(e.judge(d, 3).met);
        assert_eq!(e.judge(d, 0), Verdict { deadline: d, delivered: 0, met: false });
    }

    #[test]
    fn bad_values_are_named() {
        assert!(parse_by("25:00").unwrap_err().contains("invalid time of day \"25:00\""));
        assert!(parse_by("every morning").unwrap_err().contains("invalid deadline"));
        assert!(parse_tz("Mars/Olympus").unwrap_err().contains("unknown time zone \"Mars/Olympus\""));
        assert!(matches!(parse_by("06:00:30"), Ok(By::TimeOfDay(_))));
    }
}

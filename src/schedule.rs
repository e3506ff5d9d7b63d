//! When jobs are due: cron schedules (six fields with seconds, or `@hourly`, `@daily`, …) as a
//! pure function of the current time, so the daemon's timing is testable with a fake clock.

use chrono::{DateTime, Utc};

/// The next time each scheduled job is due after `now`, soonest first (ties keep file order).
pub fn due_after(schedules: &[(String, cron::Schedule)], now: DateTime<Utc>) -> Vec<(DateTime<Utc>, String)> {
    let mut v: Vec<(DateTime<Utc>, String)> =
        schedules.iter().filter_map(|(name, s)| s.after(&now).next().map(|t| (t, name.clone()))).collect();
    v.sort_by_key(|(t, _)| *t);
    v
}

/// The jobs due at the earliest next time after `now`, and that time.
pub fn next_batch(schedules: &[(String, cron::Schedule)], now: DateTime<Utc>) -> Option<(DateTime<Utc>, Vec<String>)> {
    let due = due_after(schedules, now);
    let first = due.first()?.0;
    Some((first, due.into_iter().take_while(|(t, _)| *t == first).map(|(_, n)| n).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::str::FromStr;

    fn s(expr: &str) -> cron::Schedule {
        cron::Schedule::from_str(expr).unwrap()
    }

    #[test]
    fn next_runs_with_a_fake_clock() {
        let jobs = vec![
            ("every-10-min".to_string(), s("0 */10 * * * *")),
            ("hourly".to_string(), s("@hourly")),
            ("noon".to_string(), s("0 0 12 * * *")),
        ];
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 10, 55, 30).unwrap();
        let (t, names) = next_batch(&jobs, now).unwrap();
        assert_eq!(t, Utc.with_ymd_and_hms(2026, 11, 25, 11, 0, 0).unwrap());
        assert_eq!(names, ["every-10-min", "hourly"], "both fire at 11:00");
        let (t, names) = next_batch(&jobs, t).unwrap();
        assert_eq!((t, names), (Utc.with_ymd_and_hms(2026, 11, 25, 11, 10, 0).unwrap(), vec!["every-10-min".to_string()]));
        let all = due_after(&jobs, Utc.with_ymd_and_hms(2026, 11, 25, 11, 59, 59).unwrap());
        assert_eq!(all[0].1, "every-10-min");
        assert_eq!(all.last().unwrap().0, Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap());
        assert!(next_batch(&[], now).is_none());
    }
}

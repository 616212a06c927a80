//! When a channel's quiz is posted: a local time, an IANA time zone and the
//! days of the week, computed in the channel's own zone so daylight-saving
//! changes move nothing.

use std::fmt;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ZonedDateTime as Zoned};

/// Days of the week as a bit set, Monday = bit 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Days(u8);

const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Days {
    pub const MON_FRI: Days = Days(0b001_1111);
    pub const EVERY_DAY: Days = Days(0b111_1111);

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << (day.to_monday_zero_offset() as u8)) != 0
    }

    /// `mon-fri`, `weekdays`, `everyday`/`daily`, `weekends`, lists like
    /// `mon,wed,fri` and ranges like `tue-thu`.
    pub fn parse(s: &str) -> Option<Days> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "mon-fri" | "weekdays" | "workdays" => return Some(Days::MON_FRI),
            "everyday" | "every-day" | "daily" | "mon-sun" => return Some(Days::EVERY_DAY),
            "weekends" | "weekend" | "sat-sun" => return Some(Days(0b110_0000)),
            _ => {}
        }
        let mut bits = 0u8;
        for part in s.split(',').filter(|p| !p.is_empty()) {
            match part.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (day_index(a)?, day_index(b)?);
                    if a > b {
                        return None;
                    }
                    for i in a..=b {
                        bits |= 1 << i;
                    }
                }
                None => bits |= 1 << day_index(part)?,
            }
        }
        (bits != 0).then_some(Days(bits))
    }
}

fn day_index(s: &str) -> Option<u8> {
    let s = s.trim();
    NAMES
        .iter()
        .position(|n| s.len() >= 3 && (s.starts_with(n) || *n == s))
        .map(|i| i as u8)
}

impl fmt::Display for Days {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Days::MON_FRI => f.write_str("mon-fri"),
            Days::EVERY_DAY => f.write_str("everyday"),
            Days(bits) => {
                let names: Vec<&str> = (0..7)
                    .filter(|i| bits & (1 << i) != 0)
                    .map(|i| NAMES[i as usize])
                    .collect();
                f.write_str(&names.join(","))
            }
        }
    }
}

/// A channel's quiz schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    time: Time,
    zone_name: String,
    zone: TimeZone,
    days: Days,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("`{0}` is not a time I understand; use 24-hour HH:MM like 09:00 or 16:30")]
    Time(String),
    #[error(
        "`{0}` is not a time zone I know; use an IANA name like Europe/Berlin or America/New_York"
    )]
    Zone(String),
    #[error(
        "`{0}` is not a set of days I understand; use mon-fri, everyday, or a list like mon,wed,fri"
    )]
    Days(String),
    #[error("`{0}` was given twice")]
    Repeated(String),
}

/// The longest piece of a schedule quoted back in an error; the longest
/// IANA zone names are about 30 characters.
const ECHO_CHARS: usize = 40;

/// A word of the user's schedule as an error quotes it: clipped, so a
/// 100 kB "word" does not come back whole (Slack would refuse the reply),
/// and without backticks, so it stays inside the quoting.
fn echo(word: &str) -> String {
    crate::render::clip(&word.replace('`', "'"), ECHO_CHARS)
}

impl Schedule {
    /// 09:00 UTC, Monday to Friday.
    pub fn default_schedule() -> Schedule {
        Schedule {
            time: Time::constant(9, 0, 0, 0),
            zone_name: "UTC".to_owned(),
            zone: TimeZone::UTC,
            days: Days::MON_FRI,
        }
    }

    /// Parses `[HH:MM] [IANA zone] [days]` in any order; missing parts take
    /// the defaults (09:00, UTC, mon-fri).
    pub fn parse(spec: &str) -> Result<Schedule, ScheduleError> {
        let mut out = Schedule::default_schedule();
        let (mut time, mut zone, mut days) = (false, false, false);
        for word in spec.split_whitespace() {
            if let Some(t) = parse_time(word) {
                if std::mem::replace(&mut time, true) {
                    return Err(ScheduleError::Repeated(echo(word)));
                }
                out.time = t;
            } else if let Some(d) = Days::parse(word) {
                if std::mem::replace(&mut days, true) {
                    return Err(ScheduleError::Repeated(echo(word)));
                }
                out.days = d;
            } else if word.contains('/') || word.eq_ignore_ascii_case("utc") {
                let tz = TimeZone::get(word).map_err(|_| ScheduleError::Zone(echo(word)))?;
                if std::mem::replace(&mut zone, true) {
                    return Err(ScheduleError::Repeated(echo(word)));
                }
                out.zone_name = tz.iana_name().unwrap_or(word).to_owned();
                out.zone = tz;
            } else if word.contains(':') || word.starts_with(|c: char| c.is_ascii_digit()) {
                return Err(ScheduleError::Time(echo(word)));
            } else if word.contains(',')
                || word.contains('-')
                || NAMES
                    .iter()
                    .any(|n| word.to_ascii_lowercase().starts_with(n))
            {
                return Err(ScheduleError::Days(echo(word)));
            } else {
                return Err(ScheduleError::Zone(echo(word)));
            }
        }
        Ok(out)
    }

    pub fn days(&self) -> Days {
        self.days
    }

    pub fn zone_name(&self) -> &str {
        &self.zone_name
    }

    /// The calendar date in the channel's zone at `at`.
    pub fn local_date(&self, at: Timestamp) -> Date {
        at.to_zoned_datetime(self.zone.clone()).date()
    }

    /// The post time on `date`. A time skipped by a clock change moves to
    /// just after the gap; a repeated one takes its first occurrence.
    pub fn post_time_on(&self, date: Date) -> Zoned {
        let dt = date.to_datetime(self.time);
        self.zone
            .to_ambiguous_zoned_datetime(dt)
            .compatible()
            .unwrap_or_else(|_| Timestamp::MIN.to_zoned_datetime(self.zone.clone()))
    }

    /// When `date` ends in the channel's zone (the next day's first
    /// instant), which is when that day's post stops taking answers.
    pub fn end_of_day(&self, date: Date) -> Timestamp {
        let next = date.tomorrow().unwrap_or(date);
        self.zone
            .to_ambiguous_zoned_datetime(next.to_datetime(Time::midnight()))
            .compatible()
            .map_or(Timestamp::MAX, |z| z.timestamp())
    }

    /// The first post time strictly after `after`.
    pub fn next_post(&self, after: Timestamp) -> Zoned {
        let mut date = self.local_date(after);
        // At most a week ahead (and one extra day for the "already past today" case).
        for _ in 0..9 {
            if self.days.contains(date.weekday()) {
                let at = self.post_time_on(date);
                if at.timestamp() > after {
                    return at;
                }
            }
            date = date.tomorrow().unwrap_or(date);
        }
        self.post_time_on(date)
    }

    /// The local date whose quiz is due at `now`: today, if today is a
    /// schedule day, its post time has come, and no more than `late_limit`
    /// has passed since (a post missed while the service was down is made
    /// late the same day, never the next).
    pub fn due(&self, now: Timestamp, late_limit: SignedDuration) -> Option<Date> {
        let today = self.local_date(now);
        if !self.days.contains(today.weekday()) {
            return None;
        }
        let at = self.post_time_on(today).timestamp();
        let late = now.duration_since(at);
        (late >= SignedDuration::ZERO && late <= late_limit).then_some(today)
    }

    /// The previous schedule day before `date` (for streaks).
    pub fn previous_day(&self, date: Date) -> Option<Date> {
        let mut d = date.yesterday().ok()?;
        for _ in 0..7 {
            if self.days.contains(d.weekday()) {
                return Some(d);
            }
            d = d.yesterday().ok()?;
        }
        None
    }
}

fn parse_time(word: &str) -> Option<Time> {
    let w = word.to_ascii_lowercase();
    let (body, pm) = match (w.strip_suffix("pm"), w.strip_suffix("am")) {
        (Some(b), _) => (b, Some(true)),
        (_, Some(b)) => (b, Some(false)),
        _ => (w.as_str(), None),
    };
    let (h, m) = match body.split_once(':') {
        Some((h, m)) if m.len() == 2 => (h.parse::<i8>().ok()?, m.parse::<i8>().ok()?),
        None if pm.is_some() => (body.parse::<i8>().ok()?, 0),
        _ => return None,
    };
    let h = match pm {
        Some(true) if (1..=11).contains(&h) => h + 12,
        Some(false) if h == 12 => 0,
        Some(_) if !(1..=12).contains(&h) => return None,
        _ => h,
    };
    Time::new(h, m, 0, 0).ok()
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}:{:02} {} {}",
            self.time.hour(),
            self.time.minute(),
            self.zone_name,
            self.days
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn parses_any_order_with_defaults() {
        for (spec, shown) in [
            ("", "09:00 UTC mon-fri"),
            ("16:30", "16:30 UTC mon-fri"),
            ("Europe/Berlin", "09:00 Europe/Berlin mon-fri"),
            (
                "everyday 7:05 America/New_York",
                "07:05 America/New_York everyday",
            ),
            ("mon,wed,fri 4pm utc", "16:00 UTC mon,wed,fri"),
            ("tue-thu 12am", "00:00 UTC tue,wed,thu"),
        ] {
            assert_eq!(Schedule::parse(spec).unwrap().to_string(), shown, "{spec}");
        }
        assert_eq!(
            Schedule::parse("25:00").unwrap_err(),
            ScheduleError::Time("25:00".into())
        );
        assert_eq!(
            Schedule::parse("09:00 Europe/Berln").unwrap_err(),
            ScheduleError::Zone("Europe/Berln".into())
        );
        assert_eq!(
            Schedule::parse("mon-frx").unwrap_err(),
            ScheduleError::Days("mon-frx".into())
        );
        assert!(matches!(
            Schedule::parse("09:00 10:00"),
            Err(ScheduleError::Repeated(_))
        ));
    }

    #[test]
    fn nine_in_berlin_across_both_clock_changes() {
        let s = Schedule::parse("09:00 Europe/Berlin everyday").unwrap();
        // Winter time is UTC+1, summer time UTC+2; 2026 switches on 29 March and 25 October.
        for (after, expected) in [
            ("2026-03-28T09:00:00Z", "2026-03-29T07:00:00Z"),
            ("2026-03-27T12:00:00Z", "2026-03-28T08:00:00Z"),
            ("2026-10-24T12:00:00Z", "2026-10-25T08:00:00Z"),
            ("2026-10-23T12:00:00Z", "2026-10-24T07:00:00Z"),
        ] {
            assert_eq!(
                s.next_post(ts(after)).timestamp(),
                ts(expected),
                "after {after}"
            );
        }
    }

    #[test]
    fn weekends_are_skipped_for_mon_fri() {
        let s = Schedule::parse("09:00 UTC mon-fri").unwrap();
        // Friday 27 November 2026, after the post: next is Monday 30 November.
        let next = s.next_post(ts("2026-11-27T10:00:00Z"));
        assert_eq!(next.timestamp(), ts("2026-11-30T09:00:00Z"));
        assert_eq!(
            s.due(ts("2026-11-28T09:05:00Z"), SignedDuration::from_hours(4)),
            None
        );
    }

    #[test]
    fn due_only_on_the_same_day_and_within_the_late_limit() {
        let s = Schedule::parse("09:00 Europe/Berlin mon-fri").unwrap();
        let limit = SignedDuration::from_hours(4);
        let day = Date::constant(2026, 11, 25);
        assert_eq!(
            s.due(ts("2026-11-25T07:59:00Z"), limit),
            None,
            "before 09:00 local"
        );
        assert_eq!(s.due(ts("2026-11-25T08:00:00Z"), limit), Some(day));
        assert_eq!(
            s.due(ts("2026-11-25T08:20:00Z"), limit),
            Some(day),
            "restart at 09:20"
        );
        assert_eq!(
            s.due(ts("2026-11-25T12:01:00Z"), limit),
            None,
            "past the late limit"
        );
    }

    #[test]
    fn previous_schedule_day_skips_weekends() {
        let s = Schedule::parse("mon-fri").unwrap();
        assert_eq!(
            s.previous_day(Date::constant(2026, 11, 30)),
            Some(Date::constant(2026, 11, 27))
        );
    }
}

//! Europe/Oslo without a tz database: CET (UTC+1), CEST (UTC+2) from the last Sunday of March
//! 01:00 UTC to the last Sunday of October 01:00 UTC (EU rule since 1996). The crate never reads
//! the clock: callers pass `now`.

const DAY: i64 = 86_400;

/// Days since 1970-01-01 → (year, month 1–12, day 1–31). Howard Hinnant's civil_from_days.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// (year, month, day) → days since 1970-01-01.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since epoch of the last Sunday of `month` (31-day months only: March, October).
fn last_sunday(year: i64, month: u32) -> i64 {
    let last = days_from_civil(year, month, 31);
    // 1970-01-01 was a Thursday: weekday 0 = Sunday is (days + 4) mod 7.
    last - (last + 4).rem_euclid(7)
}

/// Oslo's UTC offset in seconds at `unix`.
pub fn oslo_offset(unix: i64) -> i64 {
    let (year, ..) = civil_from_days(unix.div_euclid(DAY));
    let start = last_sunday(year, 3) * DAY + 3600;
    let end = last_sunday(year, 10) * DAY + 3600;
    if unix >= start && unix < end {
        7200
    } else {
        3600
    }
}

/// Unix time of the start (00:00 local) of the Oslo calendar day containing `unix`.
pub fn oslo_day_start(unix: i64) -> i64 {
    let local = unix + oslo_offset(unix);
    let midnight_local = local.div_euclid(DAY) * DAY;
    // Midnight is never inside a transition hour, so one of the two offsets fits exactly.
    let winter = midnight_local - 3600;
    if oslo_offset(winter) == 3600 {
        winter
    } else {
        midnight_local - 7200
    }
}

/// The Oslo calendar date (y, m, d) of `unix`.
pub fn oslo_date(unix: i64) -> (i64, u32, u32) {
    civil_from_days((unix + oslo_offset(unix)).div_euclid(DAY))
}

/// The Oslo wall-clock hour and minute of `unix`.
pub fn oslo_time(unix: i64) -> (u32, u32) {
    let secs = (unix + oslo_offset(unix)).rem_euclid(DAY);
    // 0 ≤ secs < 86 400: both fit.
    let (h, m) = (secs / 3600, secs % 3600 / 60);
    (u32::try_from(h).unwrap_or(0), u32::try_from(m).unwrap_or(0))
}

/// A date as `2026-12-01` (ISO 8601, what spreadsheets read as a date).
pub fn format_date((y, m, d): (i64, u32, u32)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// Local date and time in Oslo to the minute, `2026-12-01 06:29`: how a bookkeeper reads a
/// time (the CSV export), not UTC.
pub fn format_oslo_minute(unix: i64) -> String {
    let (h, m) = oslo_time(unix);
    format!("{} {h:02}:{m:02}", format_date(oslo_date(unix)))
}

/// The Oslo calendar date `days` days after the Oslo date of `unix`.
pub fn oslo_date_plus_days(unix: i64, days: i64) -> (i64, u32, u32) {
    civil_from_days((unix + oslo_offset(unix)).div_euclid(DAY) + days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn civil_round_trip() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for d in [-1000, 0, 10_957, 19_723, 20_000, 50_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn dst_boundaries_2024() {
        // 2024-03-31 01:00 UTC: CEST begins; 2024-10-27 01:00 UTC: CET again.
        let start = 1_711_846_800;
        assert_eq!(oslo_offset(start - 1), 3600);
        assert_eq!(oslo_offset(start), 7200);
        let end = 1_729_990_800;
        assert_eq!(oslo_offset(end - 1), 7200);
        assert_eq!(oslo_offset(end), 3600);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn local_date_and_time() {
        // 2026-12-01T05:29:51Z is 06:29 in Oslo (CET); 2026-06-30T22:05Z is already July 1
        // (CEST).
        assert_eq!(format_oslo_minute(1_796_102_991), "2026-12-01 06:29");
        assert_eq!(format_oslo_minute(1_782_857_100), "2026-07-01 00:05");
        assert_eq!(format_date((2024, 2, 9)), "2024-02-09");
        // Ten days after an Oslo midnight, across the month end.
        assert_eq!(oslo_date_plus_days(1_703_026_800, 14), (2024, 1, 3));
        assert_eq!(oslo_date_plus_days(1_703_026_800, 0), (2023, 12, 20));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn day_starts() {
        // 2023-12-20 02:53:32 UTC (the docs' orderDate) → 2023-12-20 00:00 CET = 2023-12-19 23:00 UTC.
        assert_eq!(oslo_day_start(1_703_040_812), 1_703_026_800);
        // 2024-06-15 23:30 UTC is already June 16 in Oslo (01:30 CEST) → 2024-06-15 22:00 UTC.
        assert_eq!(oslo_day_start(1_718_494_200), 1_718_488_800);
        assert_eq!(oslo_date(1_718_494_200), (2024, 6, 16));
        // DST start day 2024-03-31 12:00 UTC: midnight was still CET → 2024-03-30 23:00 UTC.
        assert_eq!(oslo_day_start(1_711_886_400), 1_711_839_600);
        // DST end day 2024-10-27 12:00 UTC: midnight was CEST → 2024-10-26 22:00 UTC.
        assert_eq!(oslo_day_start(1_730_030_400), 1_729_980_000);
        // Exactly midnight maps to itself.
        assert_eq!(oslo_day_start(1_703_026_800), 1_703_026_800);
        assert_eq!(oslo_day_start(1_703_026_799), 1_703_026_800 - 86_400);
    }
}

//! Dates as the inputs write them (`YYYY-MM-DD...`, `MM/DD/YYYY`), read as day numbers.

/// Days since 1970-01-01 of a date written `YYYY-MM-DD...` or `MM/DD/YYYY`, if it is one.
pub fn parse_day(s: &str) -> Option<i32> {
    let s = s.trim();
    let (y, m, d) = if s.len() >= 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' {
        (s[..4].parse().ok()?, s[5..7].parse().ok()?, s[8..10].parse().ok()?)
    } else {
        let mut p = s.split('/');
        let (m, d, y) = (p.next()?.parse().ok()?, p.next()?.parse().ok()?, p.next()?.get(..4)?.parse().ok()?);
        (y, m, d)
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // days from civil (Howard Hinnant's algorithm)
    let (y, m, d): (i32, i32, i32) = (y, m, d);
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse() {
        assert_eq!(parse_day("1970-01-02"), Some(1));
        assert_eq!(parse_day("01/02/1970"), Some(1));
        assert_eq!(parse_day("2024-03-01T10:00"), parse_day("2024-03-01"));
        assert_eq!(parse_day("soon"), None);
    }
}

//! FTP directory listings: MLSD/MLST fact lines (RFC 3659) and the two `LIST` dialects servers
//! really send — Unix `ls -l` style (vsftpd, ProFTPD, Pure-FTPd, FileZilla Server) and DOS/IIS
//! style. Pure functions over one line of bytes; names stay bytes until the caller decodes them.
//! A line that is neither a known shape nor a known non-entry ("total 12", ".", "..") is an
//! error naming the line: a silently dropped entry could make a mirror delete a file.

use crate::model::{Kind, Precision};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// One parsed listing entry; `name` is the raw bytes the server sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub name: Vec<u8>,
    pub kind: Kind,
    pub size: u64,
    pub mtime: Option<DateTime<Utc>>,
    pub precision: Precision,
}

/// What one line of a listing holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    Entry(Parsed),
    /// A line that carries no entry: a `total` line, `.`/`..`, cdir/pdir, a blank line, or a
    /// special file (device, pipe, socket) that cannot be transferred.
    Skip,
}

/// The time zone a server writes `LIST` times in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zone {
    Fixed(FixedOffset),
    /// A named zone (`Europe/Berlin`): the offset follows daylight saving for each date.
    Named(chrono_tz::Tz),
}

impl Zone {
    pub const UTC: Zone = Zone::Fixed(FixedOffset::east_opt(0).expect("zero offset"));

    /// The instant a local wall-clock time names (the earlier one when the clock went back;
    /// a time skipped when the clock went forward is read with the offset before the jump).
    pub fn to_utc(&self, naive: &NaiveDateTime) -> Option<DateTime<Utc>> {
        match self {
            Zone::Fixed(o) => o.from_local_datetime(naive).earliest().map(|t| t.with_timezone(&Utc)),
            Zone::Named(tz) => tz
                .from_local_datetime(naive)
                .earliest()
                .or_else(|| tz.from_local_datetime(&(*naive - chrono::Duration::hours(1))).earliest())
                .map(|t| t.with_timezone(&Utc)),
        }
    }

    /// The wall-clock time at `now` in this zone.
    pub fn local(&self, now: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Zone::Fixed(o) => now.with_timezone(o).naive_local(),
            Zone::Named(tz) => now.with_timezone(tz).naive_local(),
        }
    }
}

/// How `LIST` times are read: the server's time zone and "now" for the missing year.
#[derive(Debug, Clone, Copy)]
pub struct ListClock {
    pub zone: Zone,
    pub now: DateTime<Utc>,
}

impl Default for ListClock {
    fn default() -> Self {
        ListClock { zone: Zone::UTC, now: Utc::now() }
    }
}

fn bad(line: &[u8], why: &str) -> String {
    format!("{why}: {:?}", String::from_utf8_lossy(line))
}

fn skip_name(name: &[u8]) -> bool {
    name == b"." || name == b".."
}

/// Parse one MLSD line (or the entry line of an MLST reply, after its leading space).
pub fn parse_mlsd(line: &[u8]) -> Result<Line, String> {
    if line.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Line::Skip);
    }
    // Facts never contain whitespace; one space (a TAB on some servers) separates them from
    // the name, which may itself start with spaces or contain `;`. Leading spaces before the
    // facts are tolerated.
    let start = line.iter().position(|&b| b != b' ').unwrap_or(0);
    let body = &line[start..];
    let sp = body.iter().position(|&b| b == b' ' || b == b'\t').ok_or_else(|| bad(line, "MLSD line without a name"))?;
    let (facts, name) = (&body[..sp], &body[sp + 1..]);
    if name.is_empty() {
        return Err(bad(line, "MLSD line without a name"));
    }
    if !facts.contains(&b'=') {
        return Err(bad(line, "MLSD line without facts"));
    }
    let mut kind = None;
    let mut size = None;
    let mut mtime = None;
    let mut precision = Precision::Seconds;
    for fact in facts.split(|&b| b == b';').filter(|f| !f.is_empty()) {
        let Some(eq) = fact.iter().position(|&b| b == b'=') else { return Err(bad(line, "MLSD fact without '='")) };
        let key = String::from_utf8_lossy(&fact[..eq]).to_ascii_lowercase();
        let value = String::from_utf8_lossy(&fact[eq + 1..]).to_string();
        let lower = value.to_ascii_lowercase();
        match key.as_str() {
            "type" => {
                kind = Some(match lower.as_str() {
                    "file" => Some(Kind::File),
                    "dir" => Some(Kind::Dir),
                    "cdir" | "pdir" => return Ok(Line::Skip),
                    t if t.starts_with("os.unix=slink") || t.starts_with("os.unix=symlink") => Some(Kind::Symlink),
                    // Devices and other OS-specific objects cannot be transferred.
                    t if t.starts_with("os.") => None,
                    _ => return Err(bad(line, "unknown MLSD type")),
                })
            }
            "size" | "sizd" => size = Some(value.parse::<u64>().map_err(|_| bad(line, "MLSD size is not a number"))?),
            "modify" => {
                let (t, p) = parse_mlsd_time(&value).ok_or_else(|| bad(line, "MLSD modify fact is not a time"))?;
                mtime = Some(t);
                precision = p;
            }
            _ => {}
        }
    }
    let kind = match kind {
        None => return Err(bad(line, "MLSD line without a type fact")),
        Some(None) => return Ok(Line::Skip),
        Some(Some(k)) => k,
    };
    if skip_name(name) {
        return Ok(Line::Skip);
    }
    Ok(Line::Entry(Parsed { name: name.to_vec(), kind, size: if kind == Kind::File { size.unwrap_or(0) } else { 0 }, mtime, precision }))
}

/// `YYYYMMDDHHMMSS[.sss]` in UTC (MLSD `modify`, MDTM replies).
pub fn parse_mlsd_time(v: &str) -> Option<(DateTime<Utc>, Precision)> {
    let (main, frac) = match v.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (v, None),
    };
    if main.len() != 14 || !main.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| main[r].parse::<u32>().ok();
    let date = NaiveDate::from_ymd_opt(main[0..4].parse().ok()?, n(4..6)?, n(6..8)?)?;
    let time = NaiveTime::from_hms_opt(n(8..10)?, n(10..12)?, n(12..14)?)?;
    let mut t = Utc.from_utc_datetime(&NaiveDateTime::new(date, time));
    let mut precision = Precision::Seconds;
    if let Some(f) = frac.filter(|f| !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit())) {
        let nanos: u32 = format!("{f:0<9}").parse().ok()?;
        t += chrono::Duration::nanoseconds(nanos as i64);
        precision = if f.len() <= 3 { Precision::Millis } else { Precision::Micros };
    }
    Some((t, precision))
}

/// Whitespace-separated tokens of a line with their byte ranges.
fn tokens(line: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < line.len() {
        while i < line.len() && line[i] == b' ' {
            i += 1;
        }
        let start = i;
        while i < line.len() && line[i] != b' ' {
            i += 1;
        }
        if i > start {
            out.push((start, i));
        }
    }
    out
}

fn month(tok: &[u8]) -> Option<u32> {
    const MONTHS: [&[u8; 3]; 12] = [b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec"];
    if tok.len() != 3 {
        return None;
    }
    let lower = tok.to_ascii_lowercase();
    MONTHS.iter().position(|m| m[..] == lower[..]).map(|i| i as u32 + 1)
}

fn number(tok: &[u8]) -> Option<u64> {
    if tok.is_empty() || !tok.iter().all(|b| b.is_ascii_digit()) {
        return None;
    }
    std::str::from_utf8(tok).ok()?.parse().ok()
}

/// Parse one `LIST` line of either dialect.
pub fn parse_list(line: &[u8], clock: &ListClock) -> Result<Line, String> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Line::Skip);
    }
    let toks = tokens(line);
    let first = &line[toks[0].0..toks[0].1];
    if toks.len() == 2 && first.eq_ignore_ascii_case(b"total") && number(&line[toks[1].0..toks[1].1]).is_some() {
        return Ok(Line::Skip);
    }
    if first.first().is_some_and(|b| b.is_ascii_digit()) {
        return parse_dos(line, &toks, clock);
    }
    parse_unix(line, &toks, clock)
}

/// `drwxr-xr-x  2 owner group  4096 Nov 25 10:00 name` (owner/group columns optional).
fn parse_unix(line: &[u8], toks: &[(usize, usize)], clock: &ListClock) -> Result<Line, String> {
    let tok = |i: usize| &line[toks[i].0..toks[i].1];
    let mode = tok(0);
    let type_char = mode[0];
    let perm_ok = mode.len() >= 10
        && b"-dlbcpsD".contains(&type_char)
        && mode[1..10].iter().all(|b| b"rwxsStTlL-".contains(b) || b.is_ascii_alphabetic());
    if !perm_ok {
        return Err(bad(line, "unrecognised LIST line"));
    }
    // Find "Mon DD HH:MM|YYYY" preceded by a numeric size; the name is everything after the
    // single space that follows the date.
    for i in 2..toks.len().saturating_sub(3) + 1 {
        if i + 2 >= toks.len() {
            break;
        }
        let Some(mon) = month(tok(i)) else { continue };
        let Some(day) = number(tok(i + 1)).filter(|d| (1..=31).contains(d)) else { continue };
        let Some(size) = number(tok(i - 1)) else { continue };
        let Some((mtime, precision)) = unix_time(mon, day as u32, tok(i + 2), clock) else { continue };
        let name_start = toks[i + 2].1 + 1;
        if name_start >= line.len() {
            return Err(bad(line, "LIST line without a name"));
        }
        let mut name = &line[name_start..];
        let kind = match type_char {
            b'd' | b'D' => Kind::Dir,
            b'-' => Kind::File,
            b'l' => {
                if let Some(p) = find(name, b" -> ") {
                    name = &name[..p];
                }
                Kind::Symlink
            }
            _ => return Ok(Line::Skip),
        };
        if skip_name(name) {
            return Ok(Line::Skip);
        }
        return Ok(Line::Entry(Parsed {
            name: name.to_vec(),
            kind,
            size: if kind == Kind::File { size } else { 0 },
            mtime: Some(mtime),
            precision,
        }));
    }
    Err(bad(line, "unrecognised LIST line (no size and date columns)"))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `HH:MM` (year inferred: the latest such date not after tomorrow) or `YYYY`.
fn unix_time(mon: u32, day: u32, tok: &[u8], clock: &ListClock) -> Option<(DateTime<Utc>, Precision)> {
    let s = std::str::from_utf8(tok).ok()?;
    if let Some((h, m)) = s.split_once(':') {
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        let time = NaiveTime::from_hms_opt(h, m, 0)?;
        let local_now = clock.zone.local(clock.now);
        let mut year = local_now.year();
        let at = |y: i32| NaiveDate::from_ymd_opt(y, mon, day).map(|d| NaiveDateTime::new(d, time));
        if at(year).is_none_or(|t| t > local_now + chrono::Duration::days(1)) {
            year -= 1;
        }
        let naive = at(year).or_else(|| at(year - 1))?;
        Some((clock.zone.to_utc(&naive)?, Precision::Minutes))
    } else if s.len() == 4 {
        let year: i32 = s.parse().ok()?;
        let naive = NaiveDate::from_ymd_opt(year, mon, day)?.and_hms_opt(0, 0, 0)?;
        Some((clock.zone.to_utc(&naive)?, Precision::Days))
    } else {
        None
    }
}

/// `MM-DD-YY  HH:MMAM  <DIR>|SIZE  name` (IIS, Windows CE; 2- or 4-digit years, 12 or 24 h).
fn parse_dos(line: &[u8], toks: &[(usize, usize)], clock: &ListClock) -> Result<Line, String> {
    let tok = |i: usize| std::str::from_utf8(&line[toks[i].0..toks[i].1]).unwrap_or("");
    if toks.len() < 4 {
        return Err(bad(line, "unrecognised LIST line"));
    }
    let date: Vec<&str> = tok(0).split(['-', '/', '.']).collect();
    let nums: Option<Vec<u32>> = date.iter().map(|p| p.parse().ok()).collect();
    let Some([a, b, c]) = nums.as_deref().and_then(|n| <[u32; 3]>::try_from(n).ok()) else {
        return Err(bad(line, "unrecognised LIST line"));
    };
    // MM-DD-YY(YY) as IIS writes it, or ISO YYYY-MM-DD. A "month" above 12 is not guessed to be
    // a day: a server writing DD-MM would be misread silently on every other date.
    let (year, mon, day) = if date[0].len() == 4 {
        (a as i32, b, c)
    } else {
        let year = match (c, date[2].len()) {
            (y, 4) => y as i32,
            (y, _) if y < 70 => 2000 + y as i32,
            (y, _) if y < 100 => 1900 + y as i32,
            _ => return Err(bad(line, "unrecognised DOS date")),
        };
        (year, a, b)
    };
    let t = tok(1).to_ascii_uppercase();
    let (clock_part, pm) = match t.strip_suffix("PM").or_else(|| t.strip_suffix("AM")) {
        Some(c) => (c.to_string(), Some(t.ends_with("PM"))),
        None => (t.clone(), None),
    };
    let (h, m) = clock_part.split_once(':').ok_or_else(|| bad(line, "unrecognised DOS time"))?;
    let (mut h, m): (u32, u32) =
        (h.parse().map_err(|_| bad(line, "unrecognised DOS time"))?, m.parse().map_err(|_| bad(line, "unrecognised DOS time"))?);
    match pm {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    let naive =
        NaiveDate::from_ymd_opt(year, mon, day).and_then(|d| d.and_hms_opt(h, m, 0)).ok_or_else(|| bad(line, "impossible DOS date"))?;
    let mtime = clock.zone.to_utc(&naive);
    let size_tok = tok(2);
    let (kind, size) = if size_tok.eq_ignore_ascii_case("<DIR>") {
        (Kind::Dir, 0)
    } else {
        let digits: String = size_tok.chars().filter(|c| *c != ',').collect();
        (Kind::File, digits.parse::<u64>().map_err(|_| bad(line, "DOS size is not a number"))?)
    };
    // IIS pads between the size column and the name; a name's own leading spaces cannot be told
    // apart from that padding (the same loss every client has with this format).
    let name = &line[toks[3].0..];
    if skip_name(name) {
        return Ok(Line::Skip);
    }
    Ok(Line::Entry(Parsed { name: name.to_vec(), kind, size, mtime, precision: Precision::Minutes }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> ListClock {
        ListClock { zone: Zone::UTC, now: Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap() }
    }

    fn entry(l: Line) -> Parsed {
        match l {
            Line::Entry(p) => p,
            Line::Skip => panic!("expected an entry"),
        }
    }

    #[test]
    fn vsftpd_lines() {
        let p = entry(parse_list(b"-rw-r--r--    1 3642     3643          106 Nov 15 22:20 index.html", &clock()).unwrap());
        assert_eq!((p.name.as_slice(), p.kind, p.size, p.precision), (&b"index.html"[..], Kind::File, 106, Precision::Minutes));
        assert_eq!(p.mtime.unwrap().to_rfc3339(), "2026-11-15T22:20:00+00:00");
        // A date later than tomorrow belongs to last year.
        let p = entry(parse_list(b"-rw-r--r--    1 0 0 5 Dec 24 10:00 x", &clock()).unwrap());
        assert_eq!(p.mtime.unwrap().year(), 2025);
        let p = entry(parse_list(b"drwxr-xr-x    6 1000     1000         4096 Apr 28  2010 vulnerable", &clock()).unwrap());
        assert_eq!((p.kind, p.precision, p.mtime.unwrap().year()), (Kind::Dir, Precision::Days, 2010));
        assert_eq!(parse_list(b"drwxr-xr-x    2 1001     1001         4096 Feb 25 19:03 .", &clock()), Ok(Line::Skip));
        assert_eq!(parse_list(b"total 20", &clock()), Ok(Line::Skip));
    }

    #[test]
    fn names_with_spaces_links_and_no_group() {
        let p = entry(parse_list(b"-rw-r--r--   1 ftp ftp  12 Jan  2 03:04 two  words ", &clock()).unwrap());
        assert_eq!(p.name, b"two  words ");
        let p = entry(parse_list(b"lrwxrwxrwx   1 root root  7 Jan  2 03:04 bin -> usr/bin", &clock()).unwrap());
        assert_eq!((p.name.as_slice(), p.kind), (&b"bin"[..], Kind::Symlink));
        let p = entry(parse_list(b"-rw-r--r--   1 owner  4 Jan  2  2020 nogroup", &clock()).unwrap());
        assert_eq!((p.name.as_slice(), p.size), (&b"nogroup"[..], 4));
        // A server time zone shifts LIST times to UTC.
        let c = ListClock { zone: Zone::Fixed(FixedOffset::east_opt(3600).unwrap()), ..clock() };
        let p = entry(parse_list(b"-rw-r--r--   1 a b 1 Nov 15 22:20 x", &c).unwrap());
        assert_eq!(p.mtime.unwrap().to_rfc3339(), "2026-11-15T21:20:00+00:00");
        // A named zone follows daylight saving date by date.
        let c = ListClock { zone: Zone::Named(chrono_tz::Europe::Berlin), ..clock() };
        let p = entry(parse_list(b"-rw-r--r--   1 a b 1 Jul 15 14:00 x", &c).unwrap());
        assert_eq!(p.mtime.unwrap().to_rfc3339(), "2026-07-15T12:00:00+00:00");
        let p = entry(parse_list(b"-rw-r--r--   1 a b 1 Jan 15 14:00 x", &c).unwrap());
        assert_eq!(p.mtime.unwrap().to_rfc3339(), "2026-01-15T13:00:00+00:00");
    }

    #[test]
    fn dos_lines() {
        let p = entry(parse_list(b"05-22-97  12:08AM                  5000000000 10 years and under", &clock()).unwrap());
        assert_eq!((p.name.as_slice(), p.size, p.kind), (&b"10 years and under"[..], 5_000_000_000, Kind::File));
        assert_eq!(p.mtime.unwrap().to_rfc3339(), "1997-05-22T00:08:00+00:00");
        let p = entry(parse_list(b"12-03-96  06:38PM       <DIR>          123 abc xyz", &clock()).unwrap());
        assert_eq!((p.name.as_slice(), p.kind), (&b"123 abc xyz"[..], Kind::Dir));
        assert_eq!(p.mtime.unwrap().to_rfc3339(), "1996-12-03T18:38:00+00:00");
        let p = entry(parse_list(b"10-19-2012  03:13              9,730 readme.txt", &clock()).unwrap());
        assert_eq!(p.size, 9730);
    }

    #[test]
    fn mlsd_lines() {
        let p = entry(parse_mlsd(b"modify=20130426135501;perm=;size=14718921;type=file;unique=802U1066013B; File 3 Word Doc").unwrap());
        assert_eq!((p.name.as_slice(), p.size, p.kind), (&b"File 3 Word Doc"[..], 14718921, Kind::File));
        assert_eq!(p.mtime.unwrap().to_rfc3339(), "2013-04-26T13:55:01+00:00");
        assert_eq!(entry(parse_mlsd(b"type=file;perm=r;unique==keVO1+IH4;  leading space").unwrap()).name, b" leading space");
        assert_eq!(parse_mlsd(b"type=cdir;perm=el;unique==keVO1+ZF4; test"), Ok(Line::Skip));
        assert_eq!(entry(parse_mlsd(b"type=OS.unix=slink:/foobar;perm=; foobar").unwrap()).kind, Kind::Symlink);
        let p = entry(parse_mlsd(b"Type=file;Modify=20200101000000.123; a;b=c").unwrap());
        assert_eq!((p.name.as_slice(), p.precision), (&b"a;b=c"[..], Precision::Millis));
        assert!(parse_mlsd(b"size=1; nameless-type").is_err());
    }

    #[test]
    fn garbage_is_an_error_naming_the_line() {
        let e = parse_list(b"this is not a listing", &clock()).unwrap_err();
        assert!(e.contains("this is not a listing"), "{e}");
        assert!(parse_list(b"-rw-r--r-- 1 a b notasize Jan 1 2020 x", &clock()).is_err());
    }
}

/// The real-server samples in `tests/fixtures/listings/` (see its README), checked against the
/// parse each source asserts.
#[cfg(test)]
mod fixtures {
    use super::*;

    /// Undo the fixture's C-style escapes (`\t \r \n \\ \xHH`).
    fn unescape(s: &str) -> Vec<u8> {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'\\' && i + 1 < b.len() {
                match b[i + 1] {
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'n' => out.push(b'\n'),
                    b'\\' => out.push(b'\\'),
                    b'x' if i + 3 < b.len() + 1 => {
                        out.push(u8::from_str_radix(&s[i + 2..i + 4], 16).expect("fixture escape"));
                        i += 4;
                        continue;
                    }
                    other => out.extend_from_slice(&[b'\\', other]),
                }
                i += 2;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        out
    }

    /// `key="value"` or `key=value` from an expect line.
    fn field(expect: &str, key: &str) -> Option<String> {
        let at = expect.find(&format!("{key}="))?;
        if at > 0 && !expect.as_bytes()[at - 1].is_ascii_whitespace() {
            return None;
        }
        let rest = &expect[at + key.len() + 1..];
        if let Some(q) = rest.strip_prefix('"') {
            let end = q.find("\" ").or_else(|| q.rfind('"'))?;
            Some(q[..end].to_string())
        } else {
            Some(rest.split_whitespace().next()?.trim_end_matches([',', ';']).to_string())
        }
    }

    /// (sample, expectation) pairs of one fixture file.
    fn samples(file: &str) -> Vec<(Vec<u8>, Option<String>)> {
        let path = format!("{}/tests/fixtures/listings/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("fixture file");
        let mut out: Vec<(Vec<u8>, Option<String>)> = Vec::new();
        for line in text.lines() {
            if let Some(e) = line.strip_prefix("# expect:") {
                if let Some(last) = out.last_mut().filter(|l| l.1.is_none()) {
                    last.1 = Some(e.trim().to_string());
                }
            } else if line.starts_with('#') || line.is_empty() {
                continue;
            } else if let Some(esc) = line.strip_prefix("!esc") {
                out.push((unescape(esc.strip_prefix(' ').unwrap_or(esc)), None));
            } else {
                out.push((line.as_bytes().to_vec(), None));
            }
        }
        out
    }

    /// Check every asserted sample of `file`; returns the lines that disagree.
    fn check(file: &str, mlsd: bool) -> (usize, Vec<String>) {
        let clock = ListClock { zone: Zone::UTC, now: Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap() };
        let mut checked = 0;
        let mut wrong = Vec::new();
        for (sample, expect) in samples(file) {
            let Some(expect) = expect else { continue };
            // Multi-line payloads and lines with line breaks are whole replies, not one line.
            if sample.contains(&b'\n') {
                continue;
            }
            let got = if mlsd { parse_mlsd(&sample) } else { parse_list(&sample, &clock) };
            let shown = String::from_utf8_lossy(&sample).to_string();
            let first = expect.split_whitespace().next().unwrap_or("");
            checked += 1;
            match first {
                "skip" | "skipped" | "dropped" => {
                    if let Ok(Line::Entry(_)) = got {
                        wrong.push(format!("{shown} → entry, expected {expect}"));
                    }
                }
                "reject" | "null" | "error" => {
                    if let Ok(Line::Entry(p)) = got {
                        wrong.push(format!("{shown} → entry {:?}, expected {expect}", String::from_utf8_lossy(&p.name)));
                    }
                }
                _ => {
                    let want_type = field(&expect, "type");
                    let want_name = field(&expect, "name").map(|n| unescape(&n));
                    let want_size = field(&expect, "size").and_then(|s| s.parse::<u64>().ok());
                    if want_type.is_none() && want_name.is_none() && first != "parses" {
                        checked -= 1;
                        continue;
                    }
                    let p = match got {
                        Ok(Line::Entry(p)) => p,
                        other => {
                            wrong.push(format!("{shown} → {other:?}, expected {expect}"));
                            continue;
                        }
                    };
                    let kind = match p.kind {
                        Kind::File => "file",
                        Kind::Dir => "dir",
                        Kind::Symlink => "link",
                    };
                    if want_type.as_deref().is_some_and(|t| t != kind)
                        || want_name.as_ref().is_some_and(|n| *n != p.name)
                        || want_size.is_some_and(|s| p.kind == Kind::File && s != p.size)
                    {
                        wrong.push(format!("{shown} → {kind} {:?} {} , expected {expect}", String::from_utf8_lossy(&p.name), p.size));
                    }
                }
            }
        }
        (checked, wrong)
    }

    #[test]
    fn real_server_samples_parse_as_their_sources_assert() {
        let mut total = 0;
        let mut all_wrong = Vec::new();
        for (file, mlsd) in [
            ("unix-vsftpd.txt", false),
            ("unix-proftpd.txt", false),
            ("unix-pureftpd.txt", false),
            ("filezilla-server.txt", false),
            ("unix-generic.txt", false),
            ("dos-iis.txt", false),
            ("mlsd.txt", true),
        ] {
            let (n, wrong) = check(file, mlsd);
            total += n;
            all_wrong.extend(wrong.into_iter().map(|w| format!("{file}: {w}")));
        }
        // Where ferry deliberately parts with another client's answer, and why.
        let intended = [
            // SPEC: `.`/`..` and cdir/pdir entries are skipped silently.
            "Sep 27  2011 .",
            "type=cdir;",
            "type=pdir;",
            "Type=cdir;",
            "Type=pdir;",
            // An entry without a type (or with an empty one) cannot be told from a directory:
            // refused with an error naming the line instead of guessed.
            " /no/facts",
            "anything=something; filename",
            " filename",
            "sizd=4096; filename",
            "Type=; /empty/fact",
            "Size=; /empty/size",
            // A name of one space is indistinguishable from a blank line.
            "expected parses: name=\" \" (a single space)",
            // Facts without the final `;` (pre-RFC servers) are read, as FileZilla does.
            "Type=dir missing-semicolon",
            // RFC 3659 allows `OS.unix=slink:TARGET`; it is a symlink, not garbage.
            "slink:/anything",
            "slink:/foobar;Perm",
        ];
        all_wrong.retain(|w| !intended.iter().any(|i| w.contains(i)));
        assert!(total > 150, "only {total} samples checked");
        assert!(all_wrong.is_empty(), "{} of {total} samples disagree:\n{}", all_wrong.len(), all_wrong.join("\n"));
    }
}

#[cfg(test)]
mod hostile {
    use super::*;

    /// Every hostile sample either fails to parse or yields a name the path type refuses:
    /// nothing with `/`, `..` or a control character reaches a path.
    #[test]
    fn hostile_samples_never_yield_a_usable_dangerous_name() {
        let path = format!("{}/tests/fixtures/listings/hostile.txt", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        let mut seen = 0;
        for line in text.lines().filter(|l| !l.starts_with('#') && !l.is_empty() && !l.starts_with("!esc")) {
            let b = line.as_bytes();
            let got = if line.to_ascii_lowercase().starts_with("type=") || line.contains(";type=") {
                parse_mlsd(b)
            } else {
                parse_list(b, &ListClock::default())
            };
            if let Ok(Line::Entry(p)) = got {
                seen += 1;
                let name = String::from_utf8_lossy(&p.name);
                let dangerous = name.contains('/') || name == ".." || name.chars().any(char::is_control);
                if dangerous {
                    assert!(crate::model::check_name(&name).is_err(), "{name:?} from {line:?} would be used");
                }
            }
        }
        assert!(seen > 5, "the hostile samples were not exercised ({seen})");
    }
}

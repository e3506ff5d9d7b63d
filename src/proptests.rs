//! Property tests for every parser of outside input: listing lines, URLs, durations, sizes,
//! rates, globs, names and templates. For arbitrary input: no panic and a bounded result; for
//! generated valid input: the parse gives back what was rendered. Case counts are kept small
//! so the suite stays fast; `PROPTEST_CASES=100000 cargo test --lib proptests` runs them longer.

use crate::backend::ftp::listing::{Line, ListClock, parse_list, parse_mlsd};
use crate::endpoint::{Endpoint, Remotes};
use crate::model::{Kind, RelPath, quote};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256), ..ProptestConfig::default() }
}

/// Bytes that look like listing lines often enough to reach deep into the parsers.
fn listing_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        "[-dl][rwx-]{9} +[0-9]{1,3} [a-z]{1,8} [a-z]{1,8} +[0-9]{1,20} [A-Z][a-z]{2} [ 0-9]{1,2} [0-9:]{4,5} .{0,40}"
            .prop_map(String::into_bytes),
        "[0-9]{2}-[0-9]{2}-[0-9]{2} +[0-9]{2}:[0-9]{2}[AP]M +(<DIR>|[0-9]{1,15}) .{0,40}".prop_map(String::into_bytes),
        "(type=(file|dir|cdir|OS.unix=slink:x);|size=[0-9]{0,25};|modify=[0-9.]{0,20};|perm=[a-z]*;){0,5} .{0,40}"
            .prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn listing_parsers_never_panic_and_never_yield_a_dangerous_path(line in listing_bytes()) {
        let clock = ListClock::default();
        for r in [parse_list(&line, &clock), parse_mlsd(&line)] {
            if let Ok(Line::Entry(p)) = r {
                // A parsed name is still untrusted: it becomes a path only through RelPath,
                // which never holds `/`, `..` or control characters.
                if let Ok(name) = std::str::from_utf8(&p.name)
                    && let Ok(rel) = RelPath::root().join(name)
                {
                    prop_assert!(!rel.as_str().contains('/') && rel.as_str() != ".." && rel.as_str() != ".");
                }
            }
        }
    }

    #[test]
    fn unix_list_lines_round_trip(name in "[A-Za-z0-9_][A-Za-z0-9_. -]{0,30}[A-Za-z0-9_]", size in 0u64..u64::MAX / 2, dir in any::<bool>()) {
        let line = format!("{}rw-r--r--    1 ftp      ftp      {size:>12} Jan 01  2024 {name}", if dir { 'd' } else { '-' });
        let Ok(Line::Entry(p)) = parse_list(line.as_bytes(), &ListClock::default()) else {
            return Err(TestCaseError::fail(format!("not parsed: {line:?}")));
        };
        prop_assert_eq!(p.name, name.as_bytes().to_vec());
        prop_assert_eq!(p.kind, if dir { Kind::Dir } else { Kind::File });
        if !dir {
            prop_assert_eq!(p.size, size);
        }
    }

    #[test]
    fn mlsd_lines_round_trip(name in "[A-Za-z0-9_][A-Za-z0-9_. ;=-]{0,30}", size in any::<u64>()) {
        let line = format!("type=file;size={size};modify=20240102030405; {name}");
        let Ok(Line::Entry(p)) = parse_mlsd(line.as_bytes()) else {
            return Err(TestCaseError::fail(format!("not parsed: {line:?}")));
        };
        prop_assert_eq!(p.name, name.as_bytes().to_vec());
        prop_assert_eq!(p.size, size);
    }

    #[test]
    fn urls_parse_or_refuse_and_never_show_a_password(s in "(sftp|ftp|ftpes|ftps|file|gopher)://[a-z:@%./\\[\\] 0-9-]{0,40}", pw in "[a-zA-Z0-9]{6,12}") {
        // Server paths come back resolved; local ones are left to the kernel.
        if let Ok(e) = Endpoint::parse(&s, &Remotes::new())
            && !e.is_local()
        {
            prop_assert!(!e.path.split('/').any(|seg| seg == "." || (seg == ".." && e.path.starts_with('/'))), "resolved: {:?}", e.path);
        }
        let with_pw = format!("sftp://user:{pw}@host/x");
        let shown = match Endpoint::parse(&with_pw, &Remotes::new()) {
            Ok(e) => format!("{e} {e:?}"),
            Err(e) => e.to_string(),
        };
        prop_assert!(!shown.contains(&pw));
    }

    #[test]
    fn durations_sizes_and_rates_never_panic(s in ".{0,40}") {
        let _ = crate::units::parse_duration(&s);
        let _ = crate::units::parse_size(&s);
        let _ = crate::units::parse_rate(&s);
    }

    #[test]
    fn globs_compile_or_refuse_within_bounds(p in "[a-z*?\\[\\]{}!,/\\\\.-]{0,60}") {
        // Never a panic; an error message quotes the pattern bounded.
        if let Err(e) = crate::filter::Filter::new(std::slice::from_ref(&p), &[], &[]) {
            prop_assert!(e.message.len() < 600);
        }
    }

    #[test]
    fn names_in_messages_are_escaped_and_bounded(s in any::<String>()) {
        let q = quote(&s);
        prop_assert!(!q.chars().any(|c| c.is_control()));
        prop_assert!(q.chars().count() < 260);
    }

    #[test]
    fn templates_are_checked_without_panics(t in "[a-z{}/_.-]{0,40}") {
        let _ = crate::job::check_template(&t, crate::job::TEMPLATE_VARS);
    }

    #[test]
    fn dot_segments_resolve_idempotently(p in "(/|\\./|\\.\\./|[a-z]{1,3}/){0,8}[a-z.]{0,3}") {
        let once = crate::paths::resolve_dots(&p);
        prop_assert_eq!(crate::paths::resolve_dots(&once), once.clone());
        prop_assert!(!once.split('/').any(|s| s == "."));
    }
}

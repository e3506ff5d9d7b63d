//! Selection of entries: glob rules (`--include`, `--exclude`, `--filter-from`) and age/size
//! limits. Pure: the caller supplies "now". Excluded directories are pruned, never listed.
//!
//! Rule semantics: all rules form one ordered list — includes, then excludes, then filter-file
//! lines — and the last rule that matches a path decides. A file no rule matches is selected
//! unless some include rule exists. A pattern without `/` matches the name at any depth; with
//! `/` it matches the path from the root (a leading `/` is allowed); `*` stays within one
//! directory and `**` crosses directories.

use crate::error::{Error, Result};
use crate::model::{Entry, RelPath};
use chrono::{DateTime, Utc};
use globset::{Glob, GlobBuilder, GlobMatcher};
use std::time::Duration;

/// One glob rule, compiled: an include or an exclude.
#[derive(Debug, Clone)]
pub struct Rule {
    pattern: String,
    include: bool,
    /// Match against the whole relative path (pattern had a `/`) rather than the name.
    anchored: bool,
    matcher: GlobMatcher,
    /// For `dir/**` patterns: matches the directory itself, so it can be pruned.
    dir_matcher: Option<GlobMatcher>,
}

/// The selection settings, compiled.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    rules: Vec<Rule>,
    has_include: bool,
    pub min_age: Option<Duration>,
    pub max_age: Option<Duration>,
    pub min_size: Option<u64>,
    pub max_size: Option<u64>,
}

/// The longest glob accepted, in bytes. Real filters are tens of bytes; a pattern of this length
/// still compiles in milliseconds whatever its shape (a 1 MB `*a*a…` once exhausted the glob
/// crate's regex size limit, and it panics then).
pub const MAX_GLOB_BYTES: usize = 4096;

/// The most rules (includes, excludes and filter-file lines together) one filter accepts. Each
/// rule is matched against every path, so beyond this a filter is a listing in disguise; 10,000
/// rules compile in about a second.
pub const MAX_RULES: usize = 10_000;

fn compile(pattern: &str) -> Result<GlobMatcher> {
    if pattern.len() > MAX_GLOB_BYTES {
        return Err(Error::usage(format!(
            "invalid glob {}: longer than {MAX_GLOB_BYTES} bytes ({} bytes)",
            crate::model::quote(pattern),
            pattern.len()
        )));
    }
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map(|g: Glob| g.compile_matcher())
        .map_err(|e| Error::usage(format!("invalid glob {}: {}", crate::model::quote(pattern), e.kind())))
}

impl Rule {
    /// Compile `pattern`; an invalid one is a usage error naming it.
    pub fn new(pattern: &str, include: bool) -> Result<Rule> {
        if pattern.trim().is_empty() {
            return Err(Error::usage(format!("invalid glob {}: empty pattern", crate::model::quote(pattern))));
        }
        let anchored = pattern.contains('/');
        let p = pattern.strip_prefix('/').unwrap_or(pattern);
        let matcher = compile(p)?;
        let dir_matcher = match p.strip_suffix("/**") {
            Some(d) if !d.is_empty() => Some(compile(d)?),
            _ => None,
        };
        Ok(Rule { pattern: pattern.to_string(), include, anchored, matcher, dir_matcher })
    }

    fn matches(&self, path: &RelPath) -> bool {
        if self.anchored { self.matcher.is_match(path.as_str()) } else { self.matcher.is_match(path.name()) }
    }

    fn matches_dir(&self, dir: &RelPath) -> bool {
        self.matches(dir) || self.dir_matcher.as_ref().is_some_and(|m| m.is_match(dir.as_str()))
    }
}

/// Parse a filter file: `+ GLOB` includes, `- GLOB` excludes, `#`/`;` comments and blank lines
/// are ignored. Errors name the file and line.
pub fn parse_filter_file(text: &str, file: &str) -> Result<Vec<Rule>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if out.len() == MAX_RULES {
            return Err(Error::usage(format!("{file}:{}: more than {MAX_RULES} rules", i + 1)));
        }
        let t = line.trim_end_matches('\r');
        if t.trim().is_empty() || t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        let (include, pat) = if let Some(p) = t.strip_prefix("+ ") {
            (true, p)
        } else if let Some(p) = t.strip_prefix("- ") {
            (false, p)
        } else {
            return Err(Error::usage(format!("{file}:{}: expected `+ GLOB` or `- GLOB`, found {t:?}", i + 1)));
        };
        out.push(Rule::new(pat, include).map_err(|e| Error::usage(format!("{file}:{}: {}", i + 1, e.message)))?);
    }
    Ok(out)
}

impl Filter {
    /// Compile includes, excludes and filter-file rules (in that order; last match wins).
    pub fn new(includes: &[String], excludes: &[String], file_rules: &[Rule]) -> Result<Filter> {
        let n = includes.len() + excludes.len() + file_rules.len();
        if n > MAX_RULES {
            return Err(Error::usage(format!("{n} filter rules: at most {MAX_RULES} are accepted")));
        }
        let mut rules = Vec::with_capacity(n);
        for p in includes {
            rules.push(Rule::new(p, true)?);
        }
        for p in excludes {
            rules.push(Rule::new(p, false)?);
        }
        rules.extend(file_rules.iter().cloned());
        Filter::from_rules(rules)
    }

    /// A filter of rules already compiled, in order (last match wins).
    pub fn from_rules(rules: Vec<Rule>) -> Result<Filter> {
        if rules.len() > MAX_RULES {
            return Err(Error::usage(format!("{} filter rules: at most {MAX_RULES} are accepted", rules.len())));
        }
        let has_include = rules.iter().any(|r| r.include);
        Ok(Filter { rules, has_include, ..Default::default() })
    }

    /// Add an exclude rule below all others: any include or filter-file rule that matches the
    /// same path still wins (used to keep checksum sidecars out of the data unless included).
    pub fn exclude_unless_included(&mut self, pattern: &str) -> Result<()> {
        self.rules.insert(0, Rule::new(pattern, false)?);
        Ok(())
    }

    /// Is this file path selected by the glob rules?
    pub fn path_selected(&self, path: &RelPath) -> bool {
        match self.rules.iter().rev().find(|r| r.matches(path)) {
            Some(r) => r.include,
            None => !self.has_include,
        }
    }

    /// Should the walk descend into this directory? A directory is pruned only when the last
    /// rule matching it is an exclude and no include rule follows that could select a file below.
    pub fn descend(&self, dir: &RelPath) -> bool {
        match self.rules.iter().rposition(|r| r.matches_dir(dir)) {
            Some(i) => self.rules[i].include || self.rules[i + 1..].iter().any(|r| r.include),
            None => true,
        }
    }

    /// Is this file selected by rules, size and age (age measured from `now`)?
    pub fn file_selected(&self, e: &Entry, now: DateTime<Utc>) -> bool {
        if !self.path_selected(&e.path) {
            return false;
        }
        if self.min_size.is_some_and(|m| e.size < m) || self.max_size.is_some_and(|m| e.size > m) {
            return false;
        }
        if self.min_age.is_some() || self.max_age.is_some() {
            // Without an mtime the age is unknown: an age limit cannot be proven, so skip it.
            let Some(mtime) = e.mtime else { return false };
            let age = (now - mtime).to_std().unwrap_or(Duration::ZERO);
            if self.min_age.is_some_and(|m| age < m) || self.max_age.is_some_and(|m| age > m) {
                return false;
            }
        }
        true
    }

    /// The patterns, for the plan header.
    pub fn describe(&self) -> Vec<String> {
        self.rules.iter().map(|r| format!("{} {}", if r.include { "+" } else { "-" }, r.pattern)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Precision};

    fn rp(s: &str) -> RelPath {
        RelPath::parse(s).unwrap()
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn include_exclude_table() {
        let f = Filter::new(&s(&["*.edi", "*.x12"]), &s(&["*.tmp", ".*"]), &[]).unwrap();
        let table = [
            ("a.edi", true),
            ("sub/deep/b.x12", true),
            ("c.txt", false),
            ("a.edi.tmp", false),
            (".hidden.edi", false),
            ("dir/.x.edi", false),
        ];
        for (p, want) in table {
            assert_eq!(f.path_selected(&rp(p)), want, "{p}");
        }
    }

    #[test]
    fn double_star_crosses_directories_single_does_not() {
        let f = Filter::new(&s(&["in/**/*.edi"]), &[], &[]).unwrap();
        assert!(f.path_selected(&rp("in/a/b/c.edi")));
        assert!(f.path_selected(&rp("in/c.edi")));
        assert!(!f.path_selected(&rp("out/c.edi")));
        let g = Filter::new(&s(&["in/*.edi"]), &[], &[]).unwrap();
        assert!(g.path_selected(&rp("in/c.edi")));
        assert!(!g.path_selected(&rp("in/a/c.edi")));
    }

    #[test]
    fn excluded_directories_are_pruned() {
        let f = Filter::new(&[], &s(&["tmp", "cache/**", ".*"]), &[]).unwrap();
        assert!(!f.descend(&rp("tmp")));
        assert!(!f.descend(&rp("a/tmp")));
        assert!(!f.descend(&rp("cache")));
        assert!(!f.descend(&rp(".git")));
        assert!(f.descend(&rp("src")));
        // Includes never prune: files below may match.
        let g = Filter::new(&s(&["*.edi"]), &[], &[]).unwrap();
        assert!(g.descend(&rp("any")));
        // `- *` followed by an include still walks into directories.
        let h = Filter::new(&[], &[], &parse_filter_file("- *\n+ *.edi\n", "f").unwrap()).unwrap();
        assert!(h.descend(&rp("sub")));
    }

    #[test]
    fn filter_file_last_match_wins() {
        let rules = parse_filter_file("# comment\n\n- *\n+ *.edi\n", "f.txt").unwrap();
        let f = Filter::new(&[], &[], &rules).unwrap();
        assert!(f.path_selected(&rp("a.edi")));
        assert!(!f.path_selected(&rp("a.txt")));
        let rules = parse_filter_file("+ *.edi\n- *\n", "f.txt").unwrap();
        let f = Filter::new(&[], &[], &rules).unwrap();
        assert!(!f.path_selected(&rp("a.edi")));
    }

    #[test]
    fn bad_patterns_are_usage_errors_naming_the_pattern() {
        for bad in ["", "  ", "a[", "{a,b"] {
            let e = Filter::new(&s(&[bad]), &[], &[]).unwrap_err();
            assert_eq!(e.exit(), crate::exit::Exit::Usage);
            assert!(e.message.contains(&format!("{bad:?}")), "{}", e.message);
        }
        let e = parse_filter_file("+ ok\nbogus line\n", "rules.txt").unwrap_err();
        assert!(e.message.starts_with("rules.txt:2:"), "{}", e.message);
    }

    #[test]
    fn age_and_size() {
        let now = Utc::now();
        let mut f = Filter::new(&[], &[], &[]).unwrap();
        f.min_age = Some(Duration::from_secs(120));
        f.max_size = Some(1000);
        let e = |age: i64, size: u64| Entry {
            path: rp("x"),
            kind: Kind::File,
            size,
            mtime: Some(now - chrono::Duration::seconds(age)),
            precision: Precision::Seconds,
            sha256: None,
        };
        assert!(f.file_selected(&e(300, 10), now));
        assert!(!f.file_selected(&e(30, 10), now), "too young");
        assert!(!f.file_selected(&e(300, 5000), now), "too big");
        let mut no_mtime = e(300, 10);
        no_mtime.mtime = None;
        assert!(!f.file_selected(&no_mtime, now));
    }
}

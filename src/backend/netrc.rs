//! `~/.netrc` passwords (`machine HOST login USER password PW`, and `default`), as curl and
//! lftp read them. Only consulted when no other password was given.

use crate::secret::Secret;

/// The password `~/.netrc` (or `$NETRC`) holds for `host` (and `user`, when the entry names one).
pub fn lookup(host: &str, user: Option<&str>) -> Option<Secret> {
    let path = std::env::var_os("NETRC")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".netrc")))?;
    let text = std::fs::read_to_string(path).ok()?;
    find(&text, host, user).map(Secret::new)
}

/// Parse netrc text and find the password for `host`/`user`.
fn find(text: &str, host: &str, user: Option<&str>) -> Option<String> {
    let mut tokens = text.split_whitespace();
    let mut best: Option<String> = None;
    // (is this entry for our host, is it `default`, login, password)
    let mut cur: Option<(bool, bool, Option<String>, Option<String>)> = None;
    // A matching `machine` entry wins; `default` only fills in when nothing matched.
    let settle = |c: &mut Option<(bool, bool, Option<String>, Option<String>)>, best: &mut Option<String>| {
        if let Some((matches, default, login, Some(password))) = c.take()
            && user.is_none_or(|u| login.as_deref().is_none_or(|l| l == u))
            && (matches || (default && best.is_none()))
        {
            *best = Some(password);
        }
    };
    while let Some(t) = tokens.next() {
        match t {
            "machine" => {
                settle(&mut cur, &mut best);
                let m = tokens.next().unwrap_or("");
                cur = Some((m == host, false, None, None));
            }
            "default" => {
                settle(&mut cur, &mut best);
                cur = Some((false, true, None, None));
            }
            "login" => {
                if let Some(c) = cur.as_mut() {
                    c.2 = tokens.next().map(str::to_string);
                }
            }
            "password" => {
                if let Some(c) = cur.as_mut() {
                    c.3 = tokens.next().map(str::to_string);
                }
            }
            "macdef" => {
                settle(&mut cur, &mut best);
                // A macro runs to the next blank line; ferry has no use for it.
                break;
            }
            _ => {}
        }
    }
    settle(&mut cur, &mut best);
    best
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn entries_match_host_and_login() {
        let t = "machine a.example login bob password pw1\nmachine b.example\n  login eve\n  password pw2\ndefault login anonymous password guest\n";
        assert_eq!(find(t, "a.example", Some("bob")).as_deref(), Some("pw1"));
        assert_eq!(find(t, "a.example", Some("alice")).as_deref(), None);
        assert_eq!(find(t, "b.example", None).as_deref(), Some("pw2"));
        assert_eq!(find(t, "c.example", Some("anonymous")).as_deref(), Some("guest"));
        assert_eq!(find("", "a", None), None);
    }
}

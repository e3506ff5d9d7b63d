//! Unknown keys of a job file, found without stopping the parse: the typed parse ignores them
//! (serde_ignored reports each one's path) and a span-keeping tree of the same text gives each
//! its line:column, so `validate` lists them beside every other error.

use super::Diag;
use super::spec;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};
use std::fmt;

/// One path segment: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// The keys of a serde path, without the wrappers (`Option`, `Spanned`) serde walks through.
pub fn segments(p: &serde_ignored::Path) -> Vec<Seg> {
    use serde_ignored::Path;
    let mut out = vec![];
    let mut cur = p;
    // Walk up; a `value` key right under a newtype is Spanned's wrapper, not a YAML key.
    loop {
        match cur {
            Path::Root => break,
            Path::Seq { parent, index } => {
                out.push(Seg::Index(*index));
                cur = parent;
            }
            Path::Map { parent, key } => {
                if !(key == "value" && matches!(parent, Path::NewtypeStruct { .. })) {
                    out.push(Seg::Key(key.clone()));
                }
                cur = parent;
            }
            Path::Some { parent } | Path::NewtypeStruct { parent } | Path::NewtypeVariant { parent } => cur = parent,
        }
    }
    out.reverse();
    out
}

/// The span-internal key serde_saphyr's `Spanned` reads; never a user's key.
fn is_internal(segs: &[Seg]) -> bool {
    matches!(segs.last(), Some(Seg::Key(k)) if k.starts_with("__serde_saphyr"))
}

/// A YAML document as keys with their locations, values dropped.
pub enum Node {
    Map(Vec<(Spanned<String>, Spanned<Node>)>),
    Seq(Vec<Spanned<Node>>),
    Leaf,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis;
        impl<'de> Visitor<'de> for Vis {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Node, A::Error> {
                let mut v = vec![];
                while let Some(e) = m.next_entry::<Spanned<String>, Spanned<Node>>()? {
                    v.push(e);
                }
                Ok(Node::Map(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Node, A::Error> {
                let mut v = vec![];
                while let Some(e) = s.next_element::<Spanned<Node>>()? {
                    v.push(e);
                }
                Ok(Node::Seq(v))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_str<E>(self, _: &str) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
        }
        d.deserialize_any(Vis)
    }
}

impl Node {
    /// Where the last key of `segs` is written, or the nearest enclosing key that is found.
    fn locate(&self, segs: &[Seg]) -> Option<Location> {
        let mut node = self;
        let mut found = None;
        for s in segs {
            let next = match (node, s) {
                (Node::Map(entries), Seg::Key(k)) => entries.iter().find(|(key, _)| &key.value == k).map(|(key, v)| (key.referenced, v)),
                (Node::Seq(items), Seg::Index(i)) => items.get(*i).map(|v| (v.referenced, v)),
                _ => None,
            };
            let Some((at, v)) = next else { break };
            found = Some(at);
            node = &v.value;
        }
        found
    }
}

/// The key names a struct's derived `Deserialize` accepts, read from serde itself so the list
/// cannot drift from the schema.
fn fields_of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct Grab(Option<&'static [&'static str]>);
    #[derive(Debug)]
    struct Stop;
    impl fmt::Display for Stop {
        fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("stop")
        }
    }
    impl std::error::Error for Stop {}
    impl de::Error for Stop {
        fn custom<M: fmt::Display>(_: M) -> Self {
            Stop
        }
    }
    impl<'de> Deserializer<'de> for &mut Grab {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(self, _: &'static str, fields: &'static [&'static str], _: V) -> Result<V::Value, Stop> {
            self.0 = Some(fields);
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
            unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }
    let mut g = Grab(None);
    let _ = T::deserialize(&mut g);
    g.0.unwrap_or(&[])
}

/// The keys accepted where `parent` (the path of the mapping holding the unknown key) is.
fn accepted(parent: &[Seg]) -> &'static [&'static str] {
    let keys: Vec<&str> = parent.iter().filter_map(|s| if let Seg::Key(k) = s { Some(k.as_str()) } else { None }).collect();
    // Job and remote names are free text; the struct is known from the keys around them.
    match keys.as_slice() {
        [] => fields_of::<spec::JobFile>(),
        ["remotes", _] => fields_of::<spec::RemoteSpec>(),
        ["remotes", _, "tls"] => fields_of::<spec::TlsSpec>(),
        ["remotes", _, "ftp"] => fields_of::<spec::FtpSpec>(),
        ["defaults"] => fields_of::<spec::Settings>(),
        ["jobs", _] => fields_of::<spec::JobSpec>(),
        ["defaults" | "jobs", .., "upload"] => fields_of::<spec::Upload>(),
        ["jobs", _, "mirror"] => fields_of::<spec::MirrorSpec>(),
        ["jobs", _, "after"] => fields_of::<spec::After>(),
        ["jobs", _, "expect"] => fields_of::<spec::ExpectSpec>(),
        ["jobs", _, "on_success" | "on_failure" | "on_no_files"] | ["jobs", _, "expect", "on_late"] => fields_of::<spec::Hook>(),
        _ => &[],
    }
}

/// One diagnostic per unknown key, at the key, with the closest accepted spelling if any.
pub fn diagnose(tree: Option<&Node>, ignored: &[Vec<Seg>]) -> Vec<Diag> {
    let mut out = vec![];
    for segs in ignored.iter().filter(|s| !is_internal(s)) {
        let Some(Seg::Key(key)) = segs.last() else { continue };
        let at = tree.and_then(|t| t.locate(segs));
        let (line, column) = at.map(|l| (l.line(), l.column())).unwrap_or((1, 1));
        let accepted = accepted(&segs[..segs.len() - 1]);
        let close = accepted.iter().map(|a| (strsim::levenshtein(a, key), *a)).filter(|(d, _)| *d <= 2).min();
        let message = match close {
            Some((_, a)) => format!("unknown key `{key}` (did you mean `{a}`?)"),
            None if !accepted.is_empty() => format!("unknown key `{key}` (expected one of: {})", accepted.join(", ")),
            None => format!("unknown key `{key}`"),
        };
        out.push(Diag { line, column, message });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(text: &str) -> Vec<Diag> {
        let tree: Node = serde_saphyr::from_str(text).unwrap();
        let mut ignored = vec![];
        let _: spec::JobFile =
            serde_saphyr::with_deserializer_from_str(text, |de| serde_ignored::deserialize(de, |p| ignored.push(segments(&p)))).unwrap();
        diagnose(Some(&tree), &ignored)
    }

    #[test]
    fn unknown_keys_are_found_at_every_level_with_their_place() {
        let t = "version: 1\nbogus: 1\nremotes:\n  p:\n    url: sftp://h/\n    tls: {ca_fil: x}\njobs:\n  a:\n    pull: p:/x\n    to: /y\n    paralel: 3\n    upload: {temp_nam: x}\n    expect: {by: '07:00', on_late: {exec: x, exe: y}}\n";
        let d = unknown(t);
        let got: Vec<(u64, &str)> = d.iter().map(|d| (d.line, d.message.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (2, "unknown key `bogus` (expected one of: version, ledger, ledger_password_env, lease_ttl, remotes, defaults, jobs)"),
                (6, "unknown key `ca_fil` (did you mean `ca_file`?)"),
                (11, "unknown key `paralel` (did you mean `parallel`?)"),
                (12, "unknown key `temp_nam` (did you mean `temp_name`?)"),
                (13, "unknown key `exe` (did you mean `exec`?)"),
            ]
        );
        assert_eq!(d[2].column, 5);
    }

    #[test]
    fn a_job_named_value_is_not_mistaken_for_a_span_wrapper() {
        let d = unknown("version: 1\njobs:\n  value:\n    pull: p:/x\n    to: /y\n    value: 1\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 6);
        assert!(d[0].message.starts_with("unknown key `value` (expected one of: pull, push, mirror,"), "{}", d[0].message);
    }
}

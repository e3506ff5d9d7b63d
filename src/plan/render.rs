//! Printing a plan: a readable table for people and JSON for programs. A dry run is exactly this.

use super::{Action, Plan};
use crate::units::human_bytes;
use std::fmt::Write;

/// The plan as a table, one action per line, then a one-line total. Skips are listed only when
/// `verbose`, since a re-run of a big tree skips everything.
pub fn text(plan: &Plan, header: &str, verbose: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "plan: {header}");
    for a in &plan.actions {
        let line = match a {
            Action::Mkdir { path } => format!("  mkdir    {path}/"),
            Action::Copy { src, dst, size, reason, resume_from, existing, .. } => {
                let shown = if src == dst { dst.to_string() } else { format!("{src} -> {dst}") };
                if *existing {
                    format!(
                        "  resume   {shown}  resume from {resume_from} (existing file; {} of {})",
                        human_bytes(*resume_from),
                        human_bytes(*size)
                    )
                } else if *resume_from > 0 {
                    format!("  resume   {shown}  {} of {} done", human_bytes(*resume_from), human_bytes(*size))
                } else {
                    format!("  copy     {shown}  {}  {}", human_bytes(*size), reason.describe())
                }
            }
            Action::SetMtime { path, mtime } => format!("  mtime    {path}  {}", mtime.to_rfc3339()),
            Action::Delete { path, kind } => {
                format!("  delete   {path}{}", if *kind == crate::model::Kind::Dir { "/" } else { "" })
            }
            Action::Fail { path, reason } => format!("  FAIL     {path}  {reason}"),
            Action::Confirm { path, .. } => format!("  confirm  {path}  (delivered before an interruption; ledger completed)"),
            Action::Settle { path } => format!("  after    {path}  (copy already complete; source after-action)"),
        };
        let _ = writeln!(out, "{line}");
    }
    if verbose {
        for s in &plan.skips {
            let _ = writeln!(out, "  skip     {}  {}", s.path, s.reason.describe());
        }
    }
    let copies = plan.count(|a| matches!(a, Action::Copy { .. }));
    let deletes = plan.count(|a| matches!(a, Action::Delete { .. }));
    let mkdirs = plan.count(|a| matches!(a, Action::Mkdir { .. }));
    let fails = plan.count(|a| matches!(a, Action::Fail { .. }));
    let _ = write!(
        out,
        "{copies} to copy ({}), {mkdirs} directories to create, {deletes} to delete, {} unchanged",
        human_bytes(plan.copy_bytes()),
        plan.skips.len()
    );
    if fails > 0 {
        let _ = write!(out, ", {fails} refused");
    }
    out.push('\n');
    if let Some(stop) = &plan.stop {
        let _ = writeln!(out, "SAFETY STOP: {stop}");
    }
    out
}

/// The plan as one JSON document.
pub fn json(plan: &Plan) -> serde_json::Value {
    serde_json::to_value(plan).expect("a plan always serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RelPath;
    use crate::plan::Reason;

    #[test]
    fn renders_text_and_json() {
        let plan = Plan {
            actions: vec![
                Action::Mkdir { path: RelPath::parse("d").unwrap() },
                Action::Copy {
                    src: RelPath::parse("d/a").unwrap(),
                    dst: RelPath::parse("d/a").unwrap(),
                    size: 2048,
                    mtime: None,
                    reason: Reason::New,
                    resume_from: 0,
                    existing: false,
                },
            ],
            skips: vec![],
            stop: None,
        };
        let t = text(&plan, "src -> dst", false);
        assert!(t.contains("  mkdir    d/\n"), "{t}");
        assert!(t.contains("  copy     d/a  2.0 KiB  new"), "{t}");
        assert!(t.ends_with("1 to copy (2.0 KiB), 1 directories to create, 0 to delete, 0 unchanged\n"), "{t}");
        let j = json(&plan);
        assert_eq!(j["actions"][1]["action"], "copy");
        assert_eq!(j["actions"][1]["reason"], "new");
        let back: Plan = serde_json::from_value(j).unwrap();
        assert_eq!(back, plan);
    }
}

//! The documented process exit codes (SPEC "Exit codes"), as a typed enum.

/// One documented exit code; `main` returns `code()` and nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Exit {
    /// Success, including "nothing to do".
    Ok,
    /// Some transfers failed, or `check` found differences.
    Partial,
    /// Usage or job-file error; nothing was done.
    Usage,
    /// Connection, TLS, host-key or authentication failure.
    Connect,
    /// A source path does not exist.
    SourceMissing,
    /// Another run of the job holds the lock.
    Locked,
    /// Safety stop (`--max-delete` exceeded, empty source with `--delete`, removing a root).
    SafetyStop,
    /// Verification failed after a transfer; nothing was renamed into place.
    Verify,
    /// `--max-time` / `max_duration` was reached; the run stopped as on SIGTERM.
    TimeLimit,
    /// Nothing was transferred and `--error-on-no-transfer` was given.
    NoTransfer,
    /// An expected delivery is late: `ferry expect` found a missed deadline.
    Late,
    /// `check` could not compare everything: an entry was refused, or a file could not be read
    /// or hashed (differences found elsewhere still give `Partial`).
    Unchecked,
    /// Interrupted by SIGINT.
    Interrupted,
    /// Terminated by SIGTERM.
    Terminated,
}

impl Exit {
    /// The numeric process exit status.
    pub fn code(self) -> u8 {
        match self {
            Exit::Ok => 0,
            Exit::Partial => 1,
            Exit::Usage => 2,
            Exit::Connect => 3,
            Exit::SourceMissing => 4,
            Exit::Locked => 5,
            Exit::SafetyStop => 6,
            Exit::Verify => 7,
            Exit::TimeLimit => 8,
            Exit::NoTransfer => 9,
            Exit::Late => 10,
            Exit::Unchecked => 11,
            Exit::Interrupted => 130,
            Exit::Terminated => 143,
        }
    }

    /// Combine the outcomes of several steps: the more severe one wins.
    /// Interruption outranks everything, then safety stops, then verification, then plain failures.
    pub fn worst(self, other: Exit) -> Exit {
        fn rank(e: Exit) -> u8 {
            match e {
                Exit::Ok => 0,
                Exit::NoTransfer => 1,
                Exit::Late => 2,
                Exit::Partial => 3,
                Exit::Unchecked => 3,
                Exit::SourceMissing => 4,
                Exit::Verify => 5,
                Exit::Connect => 6,
                Exit::Usage => 7,
                Exit::Locked => 8,
                Exit::SafetyStop => 9,
                Exit::TimeLimit => 10,
                Exit::Terminated => 11,
                Exit::Interrupted => 12,
            }
        }
        if rank(other) > rank(self) { other } else { self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_spec_table() {
        let table = [
            (Exit::Ok, 0),
            (Exit::Partial, 1),
            (Exit::Usage, 2),
            (Exit::Connect, 3),
            (Exit::SourceMissing, 4),
            (Exit::Locked, 5),
            (Exit::SafetyStop, 6),
            (Exit::Verify, 7),
            (Exit::TimeLimit, 8),
            (Exit::NoTransfer, 9),
            (Exit::Late, 10),
            (Exit::Unchecked, 11),
            (Exit::Interrupted, 130),
            (Exit::Terminated, 143),
        ];
        for (e, c) in table {
            assert_eq!(e.code(), c, "{e:?}");
        }
    }

    #[test]
    fn worst_prefers_the_more_severe() {
        assert_eq!(Exit::Ok.worst(Exit::Partial), Exit::Partial);
        assert_eq!(Exit::Verify.worst(Exit::Partial), Exit::Verify);
        assert_eq!(Exit::Partial.worst(Exit::Interrupted), Exit::Interrupted);
        assert_eq!(Exit::SafetyStop.worst(Exit::Ok), Exit::SafetyStop);
    }
}

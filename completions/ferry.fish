# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_ferry_global_optspecs
    string join \n v/verbose q/quiet log-format= log-file= progress= no-color max-time= ledger= h/help V/version
end

function __fish_ferry_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_ferry_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_ferry_using_subcommand
    set -l cmd (__fish_ferry_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c ferry -n "__fish_ferry_needs_command" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_needs_command" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_needs_command" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_needs_command" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_needs_command" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_needs_command" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_needs_command" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_needs_command" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_needs_command" -s V -l version -d 'Print version'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "get" -d 'Download a file or (with -r) a tree'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "put" -d 'Upload files or (with -r) trees; `put - URL` uploads stdin'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "mirror" -d 'Make DST look like SRC (either side may be remote)'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "check" -d 'Compare SRC and DST; exit 0 when identical, 1 with a report otherwise'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "ls" -d 'List a directory'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "cat" -d 'Stream a remote file to stdout'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "stat" -d 'Size, mtime and type of one path'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "doctor" -d 'Probe a server: features, what works (mtimes, hashes, rename over a file, TLS session reuse, LIST time offset), max connections and health figures; exit 3 when unreachable'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "mkdir" -d 'Make a directory'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "rm" -d 'Remove files (and with -r, trees)'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "mv" -d 'Rename on the same server'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "run" -d 'Run jobs from a job file (all, or the named ones)'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "plan" -d 'Show what `run` would do (same as run --dry-run)'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "apply" -d 'Execute exactly a plan saved by `ferry plan --out`; entries whose source changed are refused'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "validate" -d 'Check a job file and report every error with line:column'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "daemon" -d 'Run jobs on their `schedule:` until SIGTERM/SIGINT (SIGHUP reloads the job file)'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "expect" -d 'Check each job\'s most recent arrival deadline (`expect:`); exit 10 when one was missed'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "status" -d 'One line per job: last run, last delivery, next run, next deadline and whether the last was met, and who runs it now (its lock, or its lease on a shared ledger)'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "history" -d 'The transfer ledger: what each job delivered, when'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "serve" -d 'Serve a directory (ferry\'s own server, confined to DIR)'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c ferry -n "__fish_ferry_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ferry -n "__fish_ferry_using_subcommand get" -l include -d 'Include files matching GLOB (repeatable; ** crosses directories)' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l exclude -d 'Exclude files and directories matching GLOB (repeatable)' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l filter-from -d 'Read `+ GLOB` / `- GLOB` rules from FILE (last match wins)' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l min-age -d 'Only files at least this old (90s, 15m, 2h, 7d)' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l max-age -d 'Only files at most this old' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l min-size -d 'Only files at least this big (10k, 5MiB)' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l max-size -d 'Only files at most this big' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l compare -d 'How "already the same" is decided (default size,mtime)' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l stable-for -d 'Stability gate: list the source again after DUR; take only files whose size and mtime held' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l on-exists -d 'What to do when the target name exists' -r -f -a "overwrite\t''
skip\t''
fail\t''
rename-existing\t''"
complete -c ferry -n "__fish_ferry_using_subcommand get" -l max-delete -d 'Safety stop (exit 6, nothing changed) when the plan would delete more than N files' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -s P -l parallel -d 'Concurrent transfers [default: 64 over SFTP, 16 over FTP (and as many connections), 4 local]' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l bwlimit -d 'Total bandwidth cap (10MiB/s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l retries -d 'Per-file retries for retryable errors' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l retry-delay -d 'First retry delay; doubles each time, with jitter' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l staging-dir -d 'Write each file into DIR (on the target\'s server, a path as in its URL) and rename it into the target directory when complete' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l temp-name -d 'Temp-name template ({name}, {stem}, {ext}, {fp}); default {name}.{fp}.part' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l move-to -d 'After each complete, verified transfer, move the source file into DIR on the source\'s side ({yyyy}, {mm}, {dd}, {yyyy-mm-dd}, {name}, {stem}, {ext} expand)' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l user -d 'Login name (overrides the URL\'s user)' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l password-env -d 'Read the password from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l password-file -d 'Read the password from the first line of FILE' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l key-file -d 'SSH private key file' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l key-passphrase-env -d 'Read the key passphrase from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l known-hosts -d 'known_hosts file (default ~/.ssh/known_hosts)' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l host-key -d 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l connections -d 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l remote-hash-command -d 'SFTP: remote command printing a file\'s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l tls -d 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS' -r -f -a "explicit\t''
implicit\t''"
complete -c ferry -n "__fish_ferry_using_subcommand get" -l ca-file -d 'FTPS: trust the PEM certificates in FILE in addition to the system\'s' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l tls-fingerprint -d 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l encoding -d 'FTP: the server\'s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l timezone -d 'FTP: time zone of the server\'s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l connect-timeout -d 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l timeout -d 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand get" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand get" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand get" -s r -l recursive -d 'Copy trees'
complete -c ferry -n "__fish_ferry_using_subcommand get" -l checksum -d 'Compare by SHA-256'
complete -c ferry -n "__fish_ferry_using_subcommand get" -l size-only -d 'Compare by size alone'
complete -c ferry -n "__fish_ferry_using_subcommand get" -s u -l update -d 'Skip files that are newer on the target'
complete -c ferry -n "__fish_ferry_using_subcommand get" -l ignore-existing -d 'Skip files that exist on the target'
complete -c ferry -n "__fish_ferry_using_subcommand get" -l delete -d 'mirror: delete target files that are not in the source (after all transfers succeed)'
complete -c ferry -n "__fish_ferry_using_subcommand get" -l delete-empty-source -d 'Allow --delete even when the source listing is empty'
complete -c ferry -n "__fish_ferry_using_subcommand get" -s c -l continue -d 'Resume partial transfers, and continue a shorter file under the final name (default for mirror)'
complete -c ferry -n "__fish_ferry_using_subcommand get" -l inplace -d 'Write to the final name directly (no temp name + rename)'
complete -c ferry -n "__fish_ferry_using_subcommand get" -l verify -d 'After each transfer confirm size and SHA-256'
complete -c ferry -n "__fish_ferry_using_subcommand get" -l error-on-no-transfer -d 'Exit 9 when nothing was transferred'
complete -c ferry -n "__fish_ferry_using_subcommand get" -l ascii -d 'FTP: text mode (TYPE A): LF becomes CRLF on upload, CRLF becomes LF on download; size verification and resume are off'
complete -c ferry -n "__fish_ferry_using_subcommand get" -l remove-source-files -d 'After each complete, verified transfer, delete the source file'
complete -c ferry -n "__fish_ferry_using_subcommand get" -s n -l dry-run -d 'Print the plan, change nothing'
complete -c ferry -n "__fish_ferry_using_subcommand get" -l json -d 'Machine-readable output on stdout'
complete -c ferry -n "__fish_ferry_using_subcommand get" -l insecure -d 'FTPS: skip certificate verification (warned about on every run)'
complete -c ferry -n "__fish_ferry_using_subcommand get" -l active -d 'FTP: active mode (the server connects back; EPRT/PORT)'
complete -c ferry -n "__fish_ferry_using_subcommand get" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand get" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand get" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand put" -l include -d 'Include files matching GLOB (repeatable; ** crosses directories)' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l exclude -d 'Exclude files and directories matching GLOB (repeatable)' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l filter-from -d 'Read `+ GLOB` / `- GLOB` rules from FILE (last match wins)' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l min-age -d 'Only files at least this old (90s, 15m, 2h, 7d)' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l max-age -d 'Only files at most this old' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l min-size -d 'Only files at least this big (10k, 5MiB)' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l max-size -d 'Only files at most this big' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l compare -d 'How "already the same" is decided (default size,mtime)' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l stable-for -d 'Stability gate: list the source again after DUR; take only files whose size and mtime held' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l on-exists -d 'What to do when the target name exists' -r -f -a "overwrite\t''
skip\t''
fail\t''
rename-existing\t''"
complete -c ferry -n "__fish_ferry_using_subcommand put" -l max-delete -d 'Safety stop (exit 6, nothing changed) when the plan would delete more than N files' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -s P -l parallel -d 'Concurrent transfers [default: 64 over SFTP, 16 over FTP (and as many connections), 4 local]' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l bwlimit -d 'Total bandwidth cap (10MiB/s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l retries -d 'Per-file retries for retryable errors' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l retry-delay -d 'First retry delay; doubles each time, with jitter' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l staging-dir -d 'Write each file into DIR (on the target\'s server, a path as in its URL) and rename it into the target directory when complete' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l temp-name -d 'Temp-name template ({name}, {stem}, {ext}, {fp}); default {name}.{fp}.part' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l move-to -d 'After each complete, verified transfer, move the source file into DIR on the source\'s side ({yyyy}, {mm}, {dd}, {yyyy-mm-dd}, {name}, {stem}, {ext} expand)' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l user -d 'Login name (overrides the URL\'s user)' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l password-env -d 'Read the password from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l password-file -d 'Read the password from the first line of FILE' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l key-file -d 'SSH private key file' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l key-passphrase-env -d 'Read the key passphrase from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l known-hosts -d 'known_hosts file (default ~/.ssh/known_hosts)' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l host-key -d 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l connections -d 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l remote-hash-command -d 'SFTP: remote command printing a file\'s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l tls -d 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS' -r -f -a "explicit\t''
implicit\t''"
complete -c ferry -n "__fish_ferry_using_subcommand put" -l ca-file -d 'FTPS: trust the PEM certificates in FILE in addition to the system\'s' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l tls-fingerprint -d 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l encoding -d 'FTP: the server\'s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l timezone -d 'FTP: time zone of the server\'s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l connect-timeout -d 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l timeout -d 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand put" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand put" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand put" -s r -l recursive -d 'Copy trees'
complete -c ferry -n "__fish_ferry_using_subcommand put" -l checksum -d 'Compare by SHA-256'
complete -c ferry -n "__fish_ferry_using_subcommand put" -l size-only -d 'Compare by size alone'
complete -c ferry -n "__fish_ferry_using_subcommand put" -s u -l update -d 'Skip files that are newer on the target'
complete -c ferry -n "__fish_ferry_using_subcommand put" -l ignore-existing -d 'Skip files that exist on the target'
complete -c ferry -n "__fish_ferry_using_subcommand put" -l delete -d 'mirror: delete target files that are not in the source (after all transfers succeed)'
complete -c ferry -n "__fish_ferry_using_subcommand put" -l delete-empty-source -d 'Allow --delete even when the source listing is empty'
complete -c ferry -n "__fish_ferry_using_subcommand put" -s c -l continue -d 'Resume partial transfers, and continue a shorter file under the final name (default for mirror)'
complete -c ferry -n "__fish_ferry_using_subcommand put" -l inplace -d 'Write to the final name directly (no temp name + rename)'
complete -c ferry -n "__fish_ferry_using_subcommand put" -l verify -d 'After each transfer confirm size and SHA-256'
complete -c ferry -n "__fish_ferry_using_subcommand put" -l error-on-no-transfer -d 'Exit 9 when nothing was transferred'
complete -c ferry -n "__fish_ferry_using_subcommand put" -l ascii -d 'FTP: text mode (TYPE A): LF becomes CRLF on upload, CRLF becomes LF on download; size verification and resume are off'
complete -c ferry -n "__fish_ferry_using_subcommand put" -l remove-source-files -d 'After each complete, verified transfer, delete the source file'
complete -c ferry -n "__fish_ferry_using_subcommand put" -s n -l dry-run -d 'Print the plan, change nothing'
complete -c ferry -n "__fish_ferry_using_subcommand put" -l json -d 'Machine-readable output on stdout'
complete -c ferry -n "__fish_ferry_using_subcommand put" -l insecure -d 'FTPS: skip certificate verification (warned about on every run)'
complete -c ferry -n "__fish_ferry_using_subcommand put" -l active -d 'FTP: active mode (the server connects back; EPRT/PORT)'
complete -c ferry -n "__fish_ferry_using_subcommand put" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand put" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand put" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand put" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l include -d 'Include files matching GLOB (repeatable; ** crosses directories)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l exclude -d 'Exclude files and directories matching GLOB (repeatable)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l filter-from -d 'Read `+ GLOB` / `- GLOB` rules from FILE (last match wins)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l min-age -d 'Only files at least this old (90s, 15m, 2h, 7d)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l max-age -d 'Only files at most this old' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l min-size -d 'Only files at least this big (10k, 5MiB)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l max-size -d 'Only files at most this big' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l compare -d 'How "already the same" is decided (default size,mtime)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l stable-for -d 'Stability gate: list the source again after DUR; take only files whose size and mtime held' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l on-exists -d 'What to do when the target name exists' -r -f -a "overwrite\t''
skip\t''
fail\t''
rename-existing\t''"
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l max-delete -d 'Safety stop (exit 6, nothing changed) when the plan would delete more than N files' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -s P -l parallel -d 'Concurrent transfers [default: 64 over SFTP, 16 over FTP (and as many connections), 4 local]' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l bwlimit -d 'Total bandwidth cap (10MiB/s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l retries -d 'Per-file retries for retryable errors' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l retry-delay -d 'First retry delay; doubles each time, with jitter' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l staging-dir -d 'Write each file into DIR (on the target\'s server, a path as in its URL) and rename it into the target directory when complete' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l temp-name -d 'Temp-name template ({name}, {stem}, {ext}, {fp}); default {name}.{fp}.part' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l move-to -d 'After each complete, verified transfer, move the source file into DIR on the source\'s side ({yyyy}, {mm}, {dd}, {yyyy-mm-dd}, {name}, {stem}, {ext} expand)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l user -d 'Login name (overrides the URL\'s user)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l password-env -d 'Read the password from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l password-file -d 'Read the password from the first line of FILE' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l key-file -d 'SSH private key file' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l key-passphrase-env -d 'Read the key passphrase from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l known-hosts -d 'known_hosts file (default ~/.ssh/known_hosts)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l host-key -d 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l connections -d 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l remote-hash-command -d 'SFTP: remote command printing a file\'s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l tls -d 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS' -r -f -a "explicit\t''
implicit\t''"
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l ca-file -d 'FTPS: trust the PEM certificates in FILE in addition to the system\'s' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l tls-fingerprint -d 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l encoding -d 'FTP: the server\'s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l timezone -d 'FTP: time zone of the server\'s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l connect-timeout -d 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l timeout -d 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l checksum -d 'Compare by SHA-256'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l size-only -d 'Compare by size alone'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -s u -l update -d 'Skip files that are newer on the target'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l ignore-existing -d 'Skip files that exist on the target'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l delete -d 'mirror: delete target files that are not in the source (after all transfers succeed)'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l delete-empty-source -d 'Allow --delete even when the source listing is empty'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -s c -l continue -d 'Resume partial transfers, and continue a shorter file under the final name (default for mirror)'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l inplace -d 'Write to the final name directly (no temp name + rename)'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l verify -d 'After each transfer confirm size and SHA-256'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l error-on-no-transfer -d 'Exit 9 when nothing was transferred'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l ascii -d 'FTP: text mode (TYPE A): LF becomes CRLF on upload, CRLF becomes LF on download; size verification and resume are off'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l remove-source-files -d 'After each complete, verified transfer, delete the source file'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -s n -l dry-run -d 'Print the plan, change nothing'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l json -d 'Machine-readable output on stdout'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l insecure -d 'FTPS: skip certificate verification (warned about on every run)'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l active -d 'FTP: active mode (the server connects back; EPRT/PORT)'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand mirror" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand check" -l include -d 'Include files matching GLOB (repeatable; ** crosses directories)' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l exclude -d 'Exclude files and directories matching GLOB (repeatable)' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l filter-from -d 'Read `+ GLOB` / `- GLOB` rules from FILE (last match wins)' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l min-age -d 'Only files at least this old (90s, 15m, 2h, 7d)' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l max-age -d 'Only files at most this old' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l min-size -d 'Only files at least this big (10k, 5MiB)' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l max-size -d 'Only files at most this big' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l compare -d 'How "already the same" is decided (default size,mtime)' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l stable-for -d 'Stability gate: list the source again after DUR; take only files whose size and mtime held' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l on-exists -d 'What to do when the target name exists' -r -f -a "overwrite\t''
skip\t''
fail\t''
rename-existing\t''"
complete -c ferry -n "__fish_ferry_using_subcommand check" -l max-delete -d 'Safety stop (exit 6, nothing changed) when the plan would delete more than N files' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -s P -l parallel -d 'Concurrent transfers [default: 64 over SFTP, 16 over FTP (and as many connections), 4 local]' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l bwlimit -d 'Total bandwidth cap (10MiB/s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l retries -d 'Per-file retries for retryable errors' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l retry-delay -d 'First retry delay; doubles each time, with jitter' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l staging-dir -d 'Write each file into DIR (on the target\'s server, a path as in its URL) and rename it into the target directory when complete' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l temp-name -d 'Temp-name template ({name}, {stem}, {ext}, {fp}); default {name}.{fp}.part' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l move-to -d 'After each complete, verified transfer, move the source file into DIR on the source\'s side ({yyyy}, {mm}, {dd}, {yyyy-mm-dd}, {name}, {stem}, {ext} expand)' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l user -d 'Login name (overrides the URL\'s user)' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l password-env -d 'Read the password from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l password-file -d 'Read the password from the first line of FILE' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l key-file -d 'SSH private key file' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l key-passphrase-env -d 'Read the key passphrase from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l known-hosts -d 'known_hosts file (default ~/.ssh/known_hosts)' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l host-key -d 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l connections -d 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l remote-hash-command -d 'SFTP: remote command printing a file\'s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l tls -d 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS' -r -f -a "explicit\t''
implicit\t''"
complete -c ferry -n "__fish_ferry_using_subcommand check" -l ca-file -d 'FTPS: trust the PEM certificates in FILE in addition to the system\'s' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l tls-fingerprint -d 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l encoding -d 'FTP: the server\'s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l timezone -d 'FTP: time zone of the server\'s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l connect-timeout -d 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l timeout -d 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand check" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand check" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand check" -l download -d 'Compare SHA-256 of both sides by reading every file through its connection (implies --checksum), even where a server could hash it'
complete -c ferry -n "__fish_ferry_using_subcommand check" -l checksum -d 'Compare by SHA-256'
complete -c ferry -n "__fish_ferry_using_subcommand check" -l size-only -d 'Compare by size alone'
complete -c ferry -n "__fish_ferry_using_subcommand check" -s u -l update -d 'Skip files that are newer on the target'
complete -c ferry -n "__fish_ferry_using_subcommand check" -l ignore-existing -d 'Skip files that exist on the target'
complete -c ferry -n "__fish_ferry_using_subcommand check" -l delete -d 'mirror: delete target files that are not in the source (after all transfers succeed)'
complete -c ferry -n "__fish_ferry_using_subcommand check" -l delete-empty-source -d 'Allow --delete even when the source listing is empty'
complete -c ferry -n "__fish_ferry_using_subcommand check" -s c -l continue -d 'Resume partial transfers, and continue a shorter file under the final name (default for mirror)'
complete -c ferry -n "__fish_ferry_using_subcommand check" -l inplace -d 'Write to the final name directly (no temp name + rename)'
complete -c ferry -n "__fish_ferry_using_subcommand check" -l verify -d 'After each transfer confirm size and SHA-256'
complete -c ferry -n "__fish_ferry_using_subcommand check" -l error-on-no-transfer -d 'Exit 9 when nothing was transferred'
complete -c ferry -n "__fish_ferry_using_subcommand check" -l ascii -d 'FTP: text mode (TYPE A): LF becomes CRLF on upload, CRLF becomes LF on download; size verification and resume are off'
complete -c ferry -n "__fish_ferry_using_subcommand check" -l remove-source-files -d 'After each complete, verified transfer, delete the source file'
complete -c ferry -n "__fish_ferry_using_subcommand check" -s n -l dry-run -d 'Print the plan, change nothing'
complete -c ferry -n "__fish_ferry_using_subcommand check" -l json -d 'Machine-readable output on stdout'
complete -c ferry -n "__fish_ferry_using_subcommand check" -l insecure -d 'FTPS: skip certificate verification (warned about on every run)'
complete -c ferry -n "__fish_ferry_using_subcommand check" -l active -d 'FTP: active mode (the server connects back; EPRT/PORT)'
complete -c ferry -n "__fish_ferry_using_subcommand check" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand check" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand check" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l user -d 'Login name (overrides the URL\'s user)' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l password-env -d 'Read the password from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l password-file -d 'Read the password from the first line of FILE' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l key-file -d 'SSH private key file' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l key-passphrase-env -d 'Read the key passphrase from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l known-hosts -d 'known_hosts file (default ~/.ssh/known_hosts)' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l host-key -d 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l connections -d 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l remote-hash-command -d 'SFTP: remote command printing a file\'s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l tls -d 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS' -r -f -a "explicit\t''
implicit\t''"
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l ca-file -d 'FTPS: trust the PEM certificates in FILE in addition to the system\'s' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l tls-fingerprint -d 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l encoding -d 'FTP: the server\'s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l timezone -d 'FTP: time zone of the server\'s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l connect-timeout -d 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l timeout -d 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand ls" -s l -l long -d 'Long format: type, size, mtime'
complete -c ferry -n "__fish_ferry_using_subcommand ls" -s R -l recursive -d 'Recurse'
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l json -d 'JSON array of {path, name, type, size, mtime}'
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l insecure -d 'FTPS: skip certificate verification (warned about on every run)'
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l active -d 'FTP: active mode (the server connects back; EPRT/PORT)'
complete -c ferry -n "__fish_ferry_using_subcommand ls" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand ls" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand ls" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l user -d 'Login name (overrides the URL\'s user)' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l password-env -d 'Read the password from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l password-file -d 'Read the password from the first line of FILE' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l key-file -d 'SSH private key file' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l key-passphrase-env -d 'Read the key passphrase from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l known-hosts -d 'known_hosts file (default ~/.ssh/known_hosts)' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l host-key -d 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l connections -d 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l remote-hash-command -d 'SFTP: remote command printing a file\'s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l tls -d 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS' -r -f -a "explicit\t''
implicit\t''"
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l ca-file -d 'FTPS: trust the PEM certificates in FILE in addition to the system\'s' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l tls-fingerprint -d 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l encoding -d 'FTP: the server\'s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l timezone -d 'FTP: time zone of the server\'s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l connect-timeout -d 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l timeout -d 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l insecure -d 'FTPS: skip certificate verification (warned about on every run)'
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l active -d 'FTP: active mode (the server connects back; EPRT/PORT)'
complete -c ferry -n "__fish_ferry_using_subcommand cat" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand cat" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand cat" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand cat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l user -d 'Login name (overrides the URL\'s user)' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l password-env -d 'Read the password from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l password-file -d 'Read the password from the first line of FILE' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l key-file -d 'SSH private key file' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l key-passphrase-env -d 'Read the key passphrase from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l known-hosts -d 'known_hosts file (default ~/.ssh/known_hosts)' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l host-key -d 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l connections -d 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l remote-hash-command -d 'SFTP: remote command printing a file\'s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l tls -d 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS' -r -f -a "explicit\t''
implicit\t''"
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l ca-file -d 'FTPS: trust the PEM certificates in FILE in addition to the system\'s' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l tls-fingerprint -d 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l encoding -d 'FTP: the server\'s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l timezone -d 'FTP: time zone of the server\'s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l connect-timeout -d 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l timeout -d 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l json -d 'One JSON object'
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l checksum -d 'Also compute the SHA-256'
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l insecure -d 'FTPS: skip certificate verification (warned about on every run)'
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l active -d 'FTP: active mode (the server connects back; EPRT/PORT)'
complete -c ferry -n "__fish_ferry_using_subcommand stat" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand stat" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand stat" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand stat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l staging-dir -d 'Also check that files written in DIR (as --staging-dir takes it) can be renamed into another directory: a probe file is written, renamed and removed inside DIR only' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l user -d 'Login name (overrides the URL\'s user)' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l password-env -d 'Read the password from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l password-file -d 'Read the password from the first line of FILE' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l key-file -d 'SSH private key file' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l key-passphrase-env -d 'Read the key passphrase from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l known-hosts -d 'known_hosts file (default ~/.ssh/known_hosts)' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l host-key -d 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l connections -d 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l remote-hash-command -d 'SFTP: remote command printing a file\'s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l tls -d 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS' -r -f -a "explicit\t''
implicit\t''"
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l ca-file -d 'FTPS: trust the PEM certificates in FILE in addition to the system\'s' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l tls-fingerprint -d 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l encoding -d 'FTP: the server\'s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l timezone -d 'FTP: time zone of the server\'s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l connect-timeout -d 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l timeout -d 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l json -d 'One JSON object (keys connect_ms, login_ms, noop_ms, reachable, ftp, sftp_extensions, sha256_command, staging)'
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l insecure -d 'FTPS: skip certificate verification (warned about on every run)'
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l active -d 'FTP: active mode (the server connects back; EPRT/PORT)'
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l user -d 'Login name (overrides the URL\'s user)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l password-env -d 'Read the password from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l password-file -d 'Read the password from the first line of FILE' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l key-file -d 'SSH private key file' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l key-passphrase-env -d 'Read the key passphrase from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l known-hosts -d 'known_hosts file (default ~/.ssh/known_hosts)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l host-key -d 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l connections -d 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l remote-hash-command -d 'SFTP: remote command printing a file\'s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l tls -d 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS' -r -f -a "explicit\t''
implicit\t''"
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l ca-file -d 'FTPS: trust the PEM certificates in FILE in addition to the system\'s' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l tls-fingerprint -d 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l encoding -d 'FTP: the server\'s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l timezone -d 'FTP: time zone of the server\'s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l connect-timeout -d 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l timeout -d 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -s p -l parents -d 'Create parents; an existing directory is fine'
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l insecure -d 'FTPS: skip certificate verification (warned about on every run)'
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l active -d 'FTP: active mode (the server connects back; EPRT/PORT)'
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand mkdir" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l user -d 'Login name (overrides the URL\'s user)' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l password-env -d 'Read the password from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l password-file -d 'Read the password from the first line of FILE' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l key-file -d 'SSH private key file' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l key-passphrase-env -d 'Read the key passphrase from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l known-hosts -d 'known_hosts file (default ~/.ssh/known_hosts)' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l host-key -d 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l connections -d 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l remote-hash-command -d 'SFTP: remote command printing a file\'s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l tls -d 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS' -r -f -a "explicit\t''
implicit\t''"
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l ca-file -d 'FTPS: trust the PEM certificates in FILE in addition to the system\'s' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l tls-fingerprint -d 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l encoding -d 'FTP: the server\'s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l timezone -d 'FTP: time zone of the server\'s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l connect-timeout -d 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l timeout -d 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand rm" -s r -l recursive
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l insecure -d 'FTPS: skip certificate verification (warned about on every run)'
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l active -d 'FTP: active mode (the server connects back; EPRT/PORT)'
complete -c ferry -n "__fish_ferry_using_subcommand rm" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand rm" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand rm" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l user -d 'Login name (overrides the URL\'s user)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l password-env -d 'Read the password from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l password-file -d 'Read the password from the first line of FILE' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l key-file -d 'SSH private key file' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l key-passphrase-env -d 'Read the key passphrase from environment variable VAR' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l known-hosts -d 'known_hosts file (default ~/.ssh/known_hosts)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l host-key -d 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l connections -d 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l remote-hash-command -d 'SFTP: remote command printing a file\'s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l tls -d 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS' -r -f -a "explicit\t''
implicit\t''"
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l ca-file -d 'FTPS: trust the PEM certificates in FILE in addition to the system\'s' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l tls-fingerprint -d 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l encoding -d 'FTP: the server\'s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l timezone -d 'FTP: time zone of the server\'s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l connect-timeout -d 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l timeout -d 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand mv" -s f -l force -d 'Replace an existing target'
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l insecure -d 'FTPS: skip certificate verification (warned about on every run)'
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l active -d 'FTP: active mode (the server connects back; EPRT/PORT)'
complete -c ferry -n "__fish_ferry_using_subcommand mv" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand mv" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand mv" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand mv" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand run" -l metrics-file -d 'After the run, write every job\'s metrics to PATH (Prometheus text, replaced atomically; for node_exporter\'s textfile collector)' -r
complete -c ferry -n "__fish_ferry_using_subcommand run" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand run" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand run" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand run" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand run" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand run" -s n -l dry-run -d 'Print the plan, change nothing'
complete -c ferry -n "__fish_ferry_using_subcommand run" -l json -d 'JSON report on stdout'
complete -c ferry -n "__fish_ferry_using_subcommand run" -l error-on-no-transfer -d 'Exit 9 when no job transferred anything'
complete -c ferry -n "__fish_ferry_using_subcommand run" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand run" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand run" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand plan" -l out -d 'Write the plan as JSON to FILE' -r
complete -c ferry -n "__fish_ferry_using_subcommand plan" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand plan" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand plan" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand plan" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand plan" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand plan" -l json -d 'JSON on stdout'
complete -c ferry -n "__fish_ferry_using_subcommand plan" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand plan" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand plan" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand apply" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand apply" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand apply" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand apply" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand apply" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand apply" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand apply" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand apply" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand validate" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand validate" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand validate" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand daemon" -l metrics -d 'Serve Prometheus metrics at http://ADDR/metrics (HOST:PORT; a bare port listens on 127.0.0.1)' -r
complete -c ferry -n "__fish_ferry_using_subcommand daemon" -l metrics-file -d 'Write the metrics to PATH after each run (replaced atomically)' -r
complete -c ferry -n "__fish_ferry_using_subcommand daemon" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand daemon" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand daemon" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand daemon" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand daemon" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand daemon" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand daemon" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand daemon" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand daemon" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand expect" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand expect" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand expect" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand expect" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand expect" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand expect" -l json -d 'JSON on stdout'
complete -c ferry -n "__fish_ferry_using_subcommand expect" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand expect" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand expect" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand expect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand status" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand status" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand status" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand status" -l json -d 'A JSON array instead of a table'
complete -c ferry -n "__fish_ferry_using_subcommand status" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand status" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand status" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand history; and not __fish_seen_subcommand_from forget help" -l job -d 'Only this job' -r
complete -c ferry -n "__fish_ferry_using_subcommand history; and not __fish_seen_subcommand_from forget help" -l since -d 'Only transfers finished within this duration (2h, 7d)' -r
complete -c ferry -n "__fish_ferry_using_subcommand history; and not __fish_seen_subcommand_from forget help" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand history; and not __fish_seen_subcommand_from forget help" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand history; and not __fish_seen_subcommand_from forget help" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand history; and not __fish_seen_subcommand_from forget help" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand history; and not __fish_seen_subcommand_from forget help" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand history; and not __fish_seen_subcommand_from forget help" -l json -d 'A JSON array instead of a table'
complete -c ferry -n "__fish_ferry_using_subcommand history; and not __fish_seen_subcommand_from forget help" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand history; and not __fish_seen_subcommand_from forget help" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand history; and not __fish_seen_subcommand_from forget help" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand history; and not __fish_seen_subcommand_from forget help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand history; and not __fish_seen_subcommand_from forget help" -f -a "forget" -d 'Re-arm files of a job so that `once: true` fetches them again'
complete -c ferry -n "__fish_ferry_using_subcommand history; and not __fish_seen_subcommand_from forget help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ferry -n "__fish_ferry_using_subcommand history; and __fish_seen_subcommand_from forget" -l job -d 'The job' -r
complete -c ferry -n "__fish_ferry_using_subcommand history; and __fish_seen_subcommand_from forget" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand history; and __fish_seen_subcommand_from forget" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand history; and __fish_seen_subcommand_from forget" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand history; and __fish_seen_subcommand_from forget" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand history; and __fish_seen_subcommand_from forget" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand history; and __fish_seen_subcommand_from forget" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand history; and __fish_seen_subcommand_from forget" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand history; and __fish_seen_subcommand_from forget" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand history; and __fish_seen_subcommand_from forget" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "forget" -d 'Re-arm files of a job so that `once: true` fetches them again'
complete -c ferry -n "__fish_ferry_using_subcommand history; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and not __fish_seen_subcommand_from sftp ftp help" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand serve; and not __fish_seen_subcommand_from sftp ftp help" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and not __fish_seen_subcommand_from sftp ftp help" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand serve; and not __fish_seen_subcommand_from sftp ftp help" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and not __fish_seen_subcommand_from sftp ftp help" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and not __fish_seen_subcommand_from sftp ftp help" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and not __fish_seen_subcommand_from sftp ftp help" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and not __fish_seen_subcommand_from sftp ftp help" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and not __fish_seen_subcommand_from sftp ftp help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and not __fish_seen_subcommand_from sftp ftp help" -f -a "sftp" -d 'SFTP over SSH; prints `listening ADDR host-key SHA256:…` on stdout once ready'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and not __fish_seen_subcommand_from sftp ftp help" -f -a "ftp" -d 'FTP (and explicit FTPS with --tls-cert/--tls-key); prints `listening ADDR` on stdout once ready'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and not __fish_seen_subcommand_from sftp ftp help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from sftp" -l addr -d 'Address to listen on (port 0 picks a free port)' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from sftp" -l user -d 'Allow password logins for this user (with --password-env)' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from sftp" -l password-env -d 'Environment variable holding the password for --user' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from sftp" -l authorized-keys -d 'Allow logins with the keys in this OpenSSH authorized_keys file' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from sftp" -l host-key-file -d 'Host key file, created (Ed25519, mode 0600) on first use' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from sftp" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from sftp" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from sftp" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from sftp" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from sftp" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from sftp" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from sftp" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from sftp" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from sftp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from ftp" -l addr -d 'Address to listen on (port 0 picks a free port)' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from ftp" -l user -d 'The login name' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from ftp" -l password-env -d 'Environment variable holding the password for --user' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from ftp" -l tls-cert -d 'PEM certificate chain: offer FTPS (AUTH TLS) with it' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from ftp" -l tls-key -d 'PEM private key for --tls-cert' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from ftp" -l passive-ports -d 'Ports for passive data connections' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from ftp" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from ftp" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from ftp" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from ftp" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from ftp" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from ftp" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from ftp" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from ftp" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from ftp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from help" -f -a "sftp" -d 'SFTP over SSH; prints `listening ADDR host-key SHA256:…` on stdout once ready'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from help" -f -a "ftp" -d 'FTP (and explicit FTPS with --tls-cert/--tls-key); prints `listening ADDR` on stdout once ready'
complete -c ferry -n "__fish_ferry_using_subcommand serve; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l log-format -d 'Log line format on stderr or --log-file' -r -f -a "text\t''
json\t''"
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l log-file -d 'Append log lines to FILE instead of stderr' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l progress -d 'Progress bars: on a terminal only (auto), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l max-time -d 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l ledger -d 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file\'s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)' -r
complete -c ferry -n "__fish_ferry_using_subcommand completions" -s v -l verbose -d 'More log output (-v: info, -vv: debug)'
complete -c ferry -n "__fish_ferry_using_subcommand completions" -s q -l quiet -d 'Only errors; no summary line'
complete -c ferry -n "__fish_ferry_using_subcommand completions" -l no-color -d 'No colours in output (also NO_COLOR)'
complete -c ferry -n "__fish_ferry_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "get" -d 'Download a file or (with -r) a tree'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "put" -d 'Upload files or (with -r) trees; `put - URL` uploads stdin'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "mirror" -d 'Make DST look like SRC (either side may be remote)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "check" -d 'Compare SRC and DST; exit 0 when identical, 1 with a report otherwise'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "ls" -d 'List a directory'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "cat" -d 'Stream a remote file to stdout'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "stat" -d 'Size, mtime and type of one path'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "doctor" -d 'Probe a server: features, what works (mtimes, hashes, rename over a file, TLS session reuse, LIST time offset), max connections and health figures; exit 3 when unreachable'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "mkdir" -d 'Make a directory'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "rm" -d 'Remove files (and with -r, trees)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "mv" -d 'Rename on the same server'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "run" -d 'Run jobs from a job file (all, or the named ones)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "plan" -d 'Show what `run` would do (same as run --dry-run)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "apply" -d 'Execute exactly a plan saved by `ferry plan --out`; entries whose source changed are refused'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "validate" -d 'Check a job file and report every error with line:column'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "daemon" -d 'Run jobs on their `schedule:` until SIGTERM/SIGINT (SIGHUP reloads the job file)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "expect" -d 'Check each job\'s most recent arrival deadline (`expect:`); exit 10 when one was missed'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "status" -d 'One line per job: last run, last delivery, next run, next deadline and whether the last was met, and who runs it now (its lock, or its lease on a shared ledger)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "history" -d 'The transfer ledger: what each job delivered, when'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "serve" -d 'Serve a directory (ferry\'s own server, confined to DIR)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "completions" -d 'Print shell completions'
complete -c ferry -n "__fish_ferry_using_subcommand help; and not __fish_seen_subcommand_from get put mirror check ls cat stat doctor mkdir rm mv run plan apply validate daemon expect status history serve completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c ferry -n "__fish_ferry_using_subcommand help; and __fish_seen_subcommand_from history" -f -a "forget" -d 'Re-arm files of a job so that `once: true` fetches them again'
complete -c ferry -n "__fish_ferry_using_subcommand help; and __fish_seen_subcommand_from serve" -f -a "sftp" -d 'SFTP over SSH; prints `listening ADDR host-key SHA256:…` on stdout once ready'
complete -c ferry -n "__fish_ferry_using_subcommand help; and __fish_seen_subcommand_from serve" -f -a "ftp" -d 'FTP (and explicit FTPS with --tls-cert/--tls-key); prints `listening ADDR` on stdout once ready'

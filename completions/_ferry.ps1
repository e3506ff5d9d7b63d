
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'ferry' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'ferry'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'ferry' {
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Download a file or (with -r) a tree')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Upload files or (with -r) trees; `put - URL` uploads stdin')
            [CompletionResult]::new('mirror', 'mirror', [CompletionResultType]::ParameterValue, 'Make DST look like SRC (either side may be remote)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Compare SRC and DST; exit 0 when identical, 1 with a report otherwise')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List a directory')
            [CompletionResult]::new('cat', 'cat', [CompletionResultType]::ParameterValue, 'Stream a remote file to stdout')
            [CompletionResult]::new('stat', 'stat', [CompletionResultType]::ParameterValue, 'Size, mtime and type of one path')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Probe a server: features, what works (mtimes, hashes, rename over a file, TLS session reuse, LIST time offset), max connections and health figures; exit 3 when unreachable')
            [CompletionResult]::new('mkdir', 'mkdir', [CompletionResultType]::ParameterValue, 'Make a directory')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove files (and with -r, trees)')
            [CompletionResult]::new('mv', 'mv', [CompletionResultType]::ParameterValue, 'Rename on the same server')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run jobs from a job file (all, or the named ones)')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show what `run` would do (same as run --dry-run)')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Execute exactly a plan saved by `ferry plan --out`; entries whose source changed are refused')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check a job file and report every error with line:column')
            [CompletionResult]::new('daemon', 'daemon', [CompletionResultType]::ParameterValue, 'Run jobs on their `schedule:` until SIGTERM/SIGINT (SIGHUP reloads the job file)')
            [CompletionResult]::new('expect', 'expect', [CompletionResultType]::ParameterValue, 'Check each job''s most recent arrival deadline (`expect:`); exit 10 when one was missed')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'One line per job: last run, last delivery, next run, next deadline and whether the last was met, and who runs it now (its lock, or its lease on a shared ledger)')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The transfer ledger: what each job delivered, when')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve a directory (ferry''s own server, confined to DIR)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ferry;get' {
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Include files matching GLOB (repeatable; ** crosses directories)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Exclude files and directories matching GLOB (repeatable)')
            [CompletionResult]::new('--filter-from', '--filter-from', [CompletionResultType]::ParameterName, 'Read `+ GLOB` / `- GLOB` rules from FILE (last match wins)')
            [CompletionResult]::new('--min-age', '--min-age', [CompletionResultType]::ParameterName, 'Only files at least this old (90s, 15m, 2h, 7d)')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Only files at most this old')
            [CompletionResult]::new('--min-size', '--min-size', [CompletionResultType]::ParameterName, 'Only files at least this big (10k, 5MiB)')
            [CompletionResult]::new('--max-size', '--max-size', [CompletionResultType]::ParameterName, 'Only files at most this big')
            [CompletionResult]::new('--compare', '--compare', [CompletionResultType]::ParameterName, 'How "already the same" is decided (default size,mtime)')
            [CompletionResult]::new('--stable-for', '--stable-for', [CompletionResultType]::ParameterName, 'Stability gate: list the source again after DUR; take only files whose size and mtime held')
            [CompletionResult]::new('--on-exists', '--on-exists', [CompletionResultType]::ParameterName, 'What to do when the target name exists')
            [CompletionResult]::new('--max-delete', '--max-delete', [CompletionResultType]::ParameterName, 'Safety stop (exit 6, nothing changed) when the plan would delete more than N files')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Concurrent transfers [default: 64 over SFTP, 16 over FTP (and as many connections), 4 local]')
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'Concurrent transfers [default: 64 over SFTP, 16 over FTP (and as many connections), 4 local]')
            [CompletionResult]::new('--bwlimit', '--bwlimit', [CompletionResultType]::ParameterName, 'Total bandwidth cap (10MiB/s)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Per-file retries for retryable errors')
            [CompletionResult]::new('--retry-delay', '--retry-delay', [CompletionResultType]::ParameterName, 'First retry delay; doubles each time, with jitter')
            [CompletionResult]::new('--staging-dir', '--staging-dir', [CompletionResultType]::ParameterName, 'Write each file into DIR (on the target''s server, a path as in its URL) and rename it into the target directory when complete')
            [CompletionResult]::new('--temp-name', '--temp-name', [CompletionResultType]::ParameterName, 'Temp-name template ({name}, {stem}, {ext}, {fp}); default {name}.{fp}.part')
            [CompletionResult]::new('--move-to', '--move-to', [CompletionResultType]::ParameterName, 'After each complete, verified transfer, move the source file into DIR on the source''s side ({yyyy}, {mm}, {dd}, {yyyy-mm-dd}, {name}, {stem}, {ext} expand)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Login name (overrides the URL''s user)')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Read the password from environment variable VAR')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'SSH private key file')
            [CompletionResult]::new('--key-passphrase-env', '--key-passphrase-env', [CompletionResultType]::ParameterName, 'Read the key passphrase from environment variable VAR')
            [CompletionResult]::new('--known-hosts', '--known-hosts', [CompletionResultType]::ParameterName, 'known_hosts file (default ~/.ssh/known_hosts)')
            [CompletionResult]::new('--host-key', '--host-key', [CompletionResultType]::ParameterName, 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)')
            [CompletionResult]::new('--remote-hash-command', '--remote-hash-command', [CompletionResultType]::ParameterName, 'SFTP: remote command printing a file''s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'FTPS: trust the PEM certificates in FILE in addition to the system''s')
            [CompletionResult]::new('--tls-fingerprint', '--tls-fingerprint', [CompletionResultType]::ParameterName, 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'FTP: the server''s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'FTP: time zone of the server''s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Copy trees')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Copy trees')
            [CompletionResult]::new('--checksum', '--checksum', [CompletionResultType]::ParameterName, 'Compare by SHA-256')
            [CompletionResult]::new('--size-only', '--size-only', [CompletionResultType]::ParameterName, 'Compare by size alone')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Skip files that are newer on the target')
            [CompletionResult]::new('--update', '--update', [CompletionResultType]::ParameterName, 'Skip files that are newer on the target')
            [CompletionResult]::new('--ignore-existing', '--ignore-existing', [CompletionResultType]::ParameterName, 'Skip files that exist on the target')
            [CompletionResult]::new('--delete', '--delete', [CompletionResultType]::ParameterName, 'mirror: delete target files that are not in the source (after all transfers succeed)')
            [CompletionResult]::new('--delete-empty-source', '--delete-empty-source', [CompletionResultType]::ParameterName, 'Allow --delete even when the source listing is empty')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Resume partial transfers, and continue a shorter file under the final name (default for mirror)')
            [CompletionResult]::new('--continue', '--continue', [CompletionResultType]::ParameterName, 'Resume partial transfers, and continue a shorter file under the final name (default for mirror)')
            [CompletionResult]::new('--inplace', '--inplace', [CompletionResultType]::ParameterName, 'Write to the final name directly (no temp name + rename)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'After each transfer confirm size and SHA-256')
            [CompletionResult]::new('--error-on-no-transfer', '--error-on-no-transfer', [CompletionResultType]::ParameterName, 'Exit 9 when nothing was transferred')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'FTP: text mode (TYPE A): LF becomes CRLF on upload, CRLF becomes LF on download; size verification and resume are off')
            [CompletionResult]::new('--remove-source-files', '--remove-source-files', [CompletionResultType]::ParameterName, 'After each complete, verified transfer, delete the source file')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Print the plan, change nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan, change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'FTPS: skip certificate verification (warned about on every run)')
            [CompletionResult]::new('--active', '--active', [CompletionResultType]::ParameterName, 'FTP: active mode (the server connects back; EPRT/PORT)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;put' {
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Include files matching GLOB (repeatable; ** crosses directories)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Exclude files and directories matching GLOB (repeatable)')
            [CompletionResult]::new('--filter-from', '--filter-from', [CompletionResultType]::ParameterName, 'Read `+ GLOB` / `- GLOB` rules from FILE (last match wins)')
            [CompletionResult]::new('--min-age', '--min-age', [CompletionResultType]::ParameterName, 'Only files at least this old (90s, 15m, 2h, 7d)')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Only files at most this old')
            [CompletionResult]::new('--min-size', '--min-size', [CompletionResultType]::ParameterName, 'Only files at least this big (10k, 5MiB)')
            [CompletionResult]::new('--max-size', '--max-size', [CompletionResultType]::ParameterName, 'Only files at most this big')
            [CompletionResult]::new('--compare', '--compare', [CompletionResultType]::ParameterName, 'How "already the same" is decided (default size,mtime)')
            [CompletionResult]::new('--stable-for', '--stable-for', [CompletionResultType]::ParameterName, 'Stability gate: list the source again after DUR; take only files whose size and mtime held')
            [CompletionResult]::new('--on-exists', '--on-exists', [CompletionResultType]::ParameterName, 'What to do when the target name exists')
            [CompletionResult]::new('--max-delete', '--max-delete', [CompletionResultType]::ParameterName, 'Safety stop (exit 6, nothing changed) when the plan would delete more than N files')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Concurrent transfers [default: 64 over SFTP, 16 over FTP (and as many connections), 4 local]')
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'Concurrent transfers [default: 64 over SFTP, 16 over FTP (and as many connections), 4 local]')
            [CompletionResult]::new('--bwlimit', '--bwlimit', [CompletionResultType]::ParameterName, 'Total bandwidth cap (10MiB/s)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Per-file retries for retryable errors')
            [CompletionResult]::new('--retry-delay', '--retry-delay', [CompletionResultType]::ParameterName, 'First retry delay; doubles each time, with jitter')
            [CompletionResult]::new('--staging-dir', '--staging-dir', [CompletionResultType]::ParameterName, 'Write each file into DIR (on the target''s server, a path as in its URL) and rename it into the target directory when complete')
            [CompletionResult]::new('--temp-name', '--temp-name', [CompletionResultType]::ParameterName, 'Temp-name template ({name}, {stem}, {ext}, {fp}); default {name}.{fp}.part')
            [CompletionResult]::new('--move-to', '--move-to', [CompletionResultType]::ParameterName, 'After each complete, verified transfer, move the source file into DIR on the source''s side ({yyyy}, {mm}, {dd}, {yyyy-mm-dd}, {name}, {stem}, {ext} expand)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Login name (overrides the URL''s user)')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Read the password from environment variable VAR')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'SSH private key file')
            [CompletionResult]::new('--key-passphrase-env', '--key-passphrase-env', [CompletionResultType]::ParameterName, 'Read the key passphrase from environment variable VAR')
            [CompletionResult]::new('--known-hosts', '--known-hosts', [CompletionResultType]::ParameterName, 'known_hosts file (default ~/.ssh/known_hosts)')
            [CompletionResult]::new('--host-key', '--host-key', [CompletionResultType]::ParameterName, 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)')
            [CompletionResult]::new('--remote-hash-command', '--remote-hash-command', [CompletionResultType]::ParameterName, 'SFTP: remote command printing a file''s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'FTPS: trust the PEM certificates in FILE in addition to the system''s')
            [CompletionResult]::new('--tls-fingerprint', '--tls-fingerprint', [CompletionResultType]::ParameterName, 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'FTP: the server''s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'FTP: time zone of the server''s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Copy trees')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Copy trees')
            [CompletionResult]::new('--checksum', '--checksum', [CompletionResultType]::ParameterName, 'Compare by SHA-256')
            [CompletionResult]::new('--size-only', '--size-only', [CompletionResultType]::ParameterName, 'Compare by size alone')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Skip files that are newer on the target')
            [CompletionResult]::new('--update', '--update', [CompletionResultType]::ParameterName, 'Skip files that are newer on the target')
            [CompletionResult]::new('--ignore-existing', '--ignore-existing', [CompletionResultType]::ParameterName, 'Skip files that exist on the target')
            [CompletionResult]::new('--delete', '--delete', [CompletionResultType]::ParameterName, 'mirror: delete target files that are not in the source (after all transfers succeed)')
            [CompletionResult]::new('--delete-empty-source', '--delete-empty-source', [CompletionResultType]::ParameterName, 'Allow --delete even when the source listing is empty')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Resume partial transfers, and continue a shorter file under the final name (default for mirror)')
            [CompletionResult]::new('--continue', '--continue', [CompletionResultType]::ParameterName, 'Resume partial transfers, and continue a shorter file under the final name (default for mirror)')
            [CompletionResult]::new('--inplace', '--inplace', [CompletionResultType]::ParameterName, 'Write to the final name directly (no temp name + rename)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'After each transfer confirm size and SHA-256')
            [CompletionResult]::new('--error-on-no-transfer', '--error-on-no-transfer', [CompletionResultType]::ParameterName, 'Exit 9 when nothing was transferred')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'FTP: text mode (TYPE A): LF becomes CRLF on upload, CRLF becomes LF on download; size verification and resume are off')
            [CompletionResult]::new('--remove-source-files', '--remove-source-files', [CompletionResultType]::ParameterName, 'After each complete, verified transfer, delete the source file')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Print the plan, change nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan, change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'FTPS: skip certificate verification (warned about on every run)')
            [CompletionResult]::new('--active', '--active', [CompletionResultType]::ParameterName, 'FTP: active mode (the server connects back; EPRT/PORT)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;mirror' {
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Include files matching GLOB (repeatable; ** crosses directories)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Exclude files and directories matching GLOB (repeatable)')
            [CompletionResult]::new('--filter-from', '--filter-from', [CompletionResultType]::ParameterName, 'Read `+ GLOB` / `- GLOB` rules from FILE (last match wins)')
            [CompletionResult]::new('--min-age', '--min-age', [CompletionResultType]::ParameterName, 'Only files at least this old (90s, 15m, 2h, 7d)')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Only files at most this old')
            [CompletionResult]::new('--min-size', '--min-size', [CompletionResultType]::ParameterName, 'Only files at least this big (10k, 5MiB)')
            [CompletionResult]::new('--max-size', '--max-size', [CompletionResultType]::ParameterName, 'Only files at most this big')
            [CompletionResult]::new('--compare', '--compare', [CompletionResultType]::ParameterName, 'How "already the same" is decided (default size,mtime)')
            [CompletionResult]::new('--stable-for', '--stable-for', [CompletionResultType]::ParameterName, 'Stability gate: list the source again after DUR; take only files whose size and mtime held')
            [CompletionResult]::new('--on-exists', '--on-exists', [CompletionResultType]::ParameterName, 'What to do when the target name exists')
            [CompletionResult]::new('--max-delete', '--max-delete', [CompletionResultType]::ParameterName, 'Safety stop (exit 6, nothing changed) when the plan would delete more than N files')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Concurrent transfers [default: 64 over SFTP, 16 over FTP (and as many connections), 4 local]')
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'Concurrent transfers [default: 64 over SFTP, 16 over FTP (and as many connections), 4 local]')
            [CompletionResult]::new('--bwlimit', '--bwlimit', [CompletionResultType]::ParameterName, 'Total bandwidth cap (10MiB/s)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Per-file retries for retryable errors')
            [CompletionResult]::new('--retry-delay', '--retry-delay', [CompletionResultType]::ParameterName, 'First retry delay; doubles each time, with jitter')
            [CompletionResult]::new('--staging-dir', '--staging-dir', [CompletionResultType]::ParameterName, 'Write each file into DIR (on the target''s server, a path as in its URL) and rename it into the target directory when complete')
            [CompletionResult]::new('--temp-name', '--temp-name', [CompletionResultType]::ParameterName, 'Temp-name template ({name}, {stem}, {ext}, {fp}); default {name}.{fp}.part')
            [CompletionResult]::new('--move-to', '--move-to', [CompletionResultType]::ParameterName, 'After each complete, verified transfer, move the source file into DIR on the source''s side ({yyyy}, {mm}, {dd}, {yyyy-mm-dd}, {name}, {stem}, {ext} expand)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Login name (overrides the URL''s user)')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Read the password from environment variable VAR')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'SSH private key file')
            [CompletionResult]::new('--key-passphrase-env', '--key-passphrase-env', [CompletionResultType]::ParameterName, 'Read the key passphrase from environment variable VAR')
            [CompletionResult]::new('--known-hosts', '--known-hosts', [CompletionResultType]::ParameterName, 'known_hosts file (default ~/.ssh/known_hosts)')
            [CompletionResult]::new('--host-key', '--host-key', [CompletionResultType]::ParameterName, 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)')
            [CompletionResult]::new('--remote-hash-command', '--remote-hash-command', [CompletionResultType]::ParameterName, 'SFTP: remote command printing a file''s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'FTPS: trust the PEM certificates in FILE in addition to the system''s')
            [CompletionResult]::new('--tls-fingerprint', '--tls-fingerprint', [CompletionResultType]::ParameterName, 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'FTP: the server''s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'FTP: time zone of the server''s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('--checksum', '--checksum', [CompletionResultType]::ParameterName, 'Compare by SHA-256')
            [CompletionResult]::new('--size-only', '--size-only', [CompletionResultType]::ParameterName, 'Compare by size alone')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Skip files that are newer on the target')
            [CompletionResult]::new('--update', '--update', [CompletionResultType]::ParameterName, 'Skip files that are newer on the target')
            [CompletionResult]::new('--ignore-existing', '--ignore-existing', [CompletionResultType]::ParameterName, 'Skip files that exist on the target')
            [CompletionResult]::new('--delete', '--delete', [CompletionResultType]::ParameterName, 'mirror: delete target files that are not in the source (after all transfers succeed)')
            [CompletionResult]::new('--delete-empty-source', '--delete-empty-source', [CompletionResultType]::ParameterName, 'Allow --delete even when the source listing is empty')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Resume partial transfers, and continue a shorter file under the final name (default for mirror)')
            [CompletionResult]::new('--continue', '--continue', [CompletionResultType]::ParameterName, 'Resume partial transfers, and continue a shorter file under the final name (default for mirror)')
            [CompletionResult]::new('--inplace', '--inplace', [CompletionResultType]::ParameterName, 'Write to the final name directly (no temp name + rename)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'After each transfer confirm size and SHA-256')
            [CompletionResult]::new('--error-on-no-transfer', '--error-on-no-transfer', [CompletionResultType]::ParameterName, 'Exit 9 when nothing was transferred')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'FTP: text mode (TYPE A): LF becomes CRLF on upload, CRLF becomes LF on download; size verification and resume are off')
            [CompletionResult]::new('--remove-source-files', '--remove-source-files', [CompletionResultType]::ParameterName, 'After each complete, verified transfer, delete the source file')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Print the plan, change nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan, change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'FTPS: skip certificate verification (warned about on every run)')
            [CompletionResult]::new('--active', '--active', [CompletionResultType]::ParameterName, 'FTP: active mode (the server connects back; EPRT/PORT)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;check' {
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Include files matching GLOB (repeatable; ** crosses directories)')
            [CompletionResult]::new('--exclude', '--exclude', [CompletionResultType]::ParameterName, 'Exclude files and directories matching GLOB (repeatable)')
            [CompletionResult]::new('--filter-from', '--filter-from', [CompletionResultType]::ParameterName, 'Read `+ GLOB` / `- GLOB` rules from FILE (last match wins)')
            [CompletionResult]::new('--min-age', '--min-age', [CompletionResultType]::ParameterName, 'Only files at least this old (90s, 15m, 2h, 7d)')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Only files at most this old')
            [CompletionResult]::new('--min-size', '--min-size', [CompletionResultType]::ParameterName, 'Only files at least this big (10k, 5MiB)')
            [CompletionResult]::new('--max-size', '--max-size', [CompletionResultType]::ParameterName, 'Only files at most this big')
            [CompletionResult]::new('--compare', '--compare', [CompletionResultType]::ParameterName, 'How "already the same" is decided (default size,mtime)')
            [CompletionResult]::new('--stable-for', '--stable-for', [CompletionResultType]::ParameterName, 'Stability gate: list the source again after DUR; take only files whose size and mtime held')
            [CompletionResult]::new('--on-exists', '--on-exists', [CompletionResultType]::ParameterName, 'What to do when the target name exists')
            [CompletionResult]::new('--max-delete', '--max-delete', [CompletionResultType]::ParameterName, 'Safety stop (exit 6, nothing changed) when the plan would delete more than N files')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Concurrent transfers [default: 64 over SFTP, 16 over FTP (and as many connections), 4 local]')
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'Concurrent transfers [default: 64 over SFTP, 16 over FTP (and as many connections), 4 local]')
            [CompletionResult]::new('--bwlimit', '--bwlimit', [CompletionResultType]::ParameterName, 'Total bandwidth cap (10MiB/s)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Per-file retries for retryable errors')
            [CompletionResult]::new('--retry-delay', '--retry-delay', [CompletionResultType]::ParameterName, 'First retry delay; doubles each time, with jitter')
            [CompletionResult]::new('--staging-dir', '--staging-dir', [CompletionResultType]::ParameterName, 'Write each file into DIR (on the target''s server, a path as in its URL) and rename it into the target directory when complete')
            [CompletionResult]::new('--temp-name', '--temp-name', [CompletionResultType]::ParameterName, 'Temp-name template ({name}, {stem}, {ext}, {fp}); default {name}.{fp}.part')
            [CompletionResult]::new('--move-to', '--move-to', [CompletionResultType]::ParameterName, 'After each complete, verified transfer, move the source file into DIR on the source''s side ({yyyy}, {mm}, {dd}, {yyyy-mm-dd}, {name}, {stem}, {ext} expand)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Login name (overrides the URL''s user)')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Read the password from environment variable VAR')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'SSH private key file')
            [CompletionResult]::new('--key-passphrase-env', '--key-passphrase-env', [CompletionResultType]::ParameterName, 'Read the key passphrase from environment variable VAR')
            [CompletionResult]::new('--known-hosts', '--known-hosts', [CompletionResultType]::ParameterName, 'known_hosts file (default ~/.ssh/known_hosts)')
            [CompletionResult]::new('--host-key', '--host-key', [CompletionResultType]::ParameterName, 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)')
            [CompletionResult]::new('--remote-hash-command', '--remote-hash-command', [CompletionResultType]::ParameterName, 'SFTP: remote command printing a file''s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'FTPS: trust the PEM certificates in FILE in addition to the system''s')
            [CompletionResult]::new('--tls-fingerprint', '--tls-fingerprint', [CompletionResultType]::ParameterName, 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'FTP: the server''s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'FTP: time zone of the server''s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('--download', '--download', [CompletionResultType]::ParameterName, 'Compare SHA-256 of both sides by reading every file through its connection (implies --checksum), even where a server could hash it')
            [CompletionResult]::new('--checksum', '--checksum', [CompletionResultType]::ParameterName, 'Compare by SHA-256')
            [CompletionResult]::new('--size-only', '--size-only', [CompletionResultType]::ParameterName, 'Compare by size alone')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Skip files that are newer on the target')
            [CompletionResult]::new('--update', '--update', [CompletionResultType]::ParameterName, 'Skip files that are newer on the target')
            [CompletionResult]::new('--ignore-existing', '--ignore-existing', [CompletionResultType]::ParameterName, 'Skip files that exist on the target')
            [CompletionResult]::new('--delete', '--delete', [CompletionResultType]::ParameterName, 'mirror: delete target files that are not in the source (after all transfers succeed)')
            [CompletionResult]::new('--delete-empty-source', '--delete-empty-source', [CompletionResultType]::ParameterName, 'Allow --delete even when the source listing is empty')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Resume partial transfers, and continue a shorter file under the final name (default for mirror)')
            [CompletionResult]::new('--continue', '--continue', [CompletionResultType]::ParameterName, 'Resume partial transfers, and continue a shorter file under the final name (default for mirror)')
            [CompletionResult]::new('--inplace', '--inplace', [CompletionResultType]::ParameterName, 'Write to the final name directly (no temp name + rename)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'After each transfer confirm size and SHA-256')
            [CompletionResult]::new('--error-on-no-transfer', '--error-on-no-transfer', [CompletionResultType]::ParameterName, 'Exit 9 when nothing was transferred')
            [CompletionResult]::new('--ascii', '--ascii', [CompletionResultType]::ParameterName, 'FTP: text mode (TYPE A): LF becomes CRLF on upload, CRLF becomes LF on download; size verification and resume are off')
            [CompletionResult]::new('--remove-source-files', '--remove-source-files', [CompletionResultType]::ParameterName, 'After each complete, verified transfer, delete the source file')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Print the plan, change nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan, change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable output on stdout')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'FTPS: skip certificate verification (warned about on every run)')
            [CompletionResult]::new('--active', '--active', [CompletionResultType]::ParameterName, 'FTP: active mode (the server connects back; EPRT/PORT)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;ls' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Login name (overrides the URL''s user)')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Read the password from environment variable VAR')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'SSH private key file')
            [CompletionResult]::new('--key-passphrase-env', '--key-passphrase-env', [CompletionResultType]::ParameterName, 'Read the key passphrase from environment variable VAR')
            [CompletionResult]::new('--known-hosts', '--known-hosts', [CompletionResultType]::ParameterName, 'known_hosts file (default ~/.ssh/known_hosts)')
            [CompletionResult]::new('--host-key', '--host-key', [CompletionResultType]::ParameterName, 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)')
            [CompletionResult]::new('--remote-hash-command', '--remote-hash-command', [CompletionResultType]::ParameterName, 'SFTP: remote command printing a file''s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'FTPS: trust the PEM certificates in FILE in addition to the system''s')
            [CompletionResult]::new('--tls-fingerprint', '--tls-fingerprint', [CompletionResultType]::ParameterName, 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'FTP: the server''s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'FTP: time zone of the server''s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Long format: type, size, mtime')
            [CompletionResult]::new('--long', '--long', [CompletionResultType]::ParameterName, 'Long format: type, size, mtime')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'Recurse')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'Recurse')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'JSON array of {path, name, type, size, mtime}')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'FTPS: skip certificate verification (warned about on every run)')
            [CompletionResult]::new('--active', '--active', [CompletionResultType]::ParameterName, 'FTP: active mode (the server connects back; EPRT/PORT)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;cat' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Login name (overrides the URL''s user)')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Read the password from environment variable VAR')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'SSH private key file')
            [CompletionResult]::new('--key-passphrase-env', '--key-passphrase-env', [CompletionResultType]::ParameterName, 'Read the key passphrase from environment variable VAR')
            [CompletionResult]::new('--known-hosts', '--known-hosts', [CompletionResultType]::ParameterName, 'known_hosts file (default ~/.ssh/known_hosts)')
            [CompletionResult]::new('--host-key', '--host-key', [CompletionResultType]::ParameterName, 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)')
            [CompletionResult]::new('--remote-hash-command', '--remote-hash-command', [CompletionResultType]::ParameterName, 'SFTP: remote command printing a file''s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'FTPS: trust the PEM certificates in FILE in addition to the system''s')
            [CompletionResult]::new('--tls-fingerprint', '--tls-fingerprint', [CompletionResultType]::ParameterName, 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'FTP: the server''s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'FTP: time zone of the server''s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'FTPS: skip certificate verification (warned about on every run)')
            [CompletionResult]::new('--active', '--active', [CompletionResultType]::ParameterName, 'FTP: active mode (the server connects back; EPRT/PORT)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;stat' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Login name (overrides the URL''s user)')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Read the password from environment variable VAR')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'SSH private key file')
            [CompletionResult]::new('--key-passphrase-env', '--key-passphrase-env', [CompletionResultType]::ParameterName, 'Read the key passphrase from environment variable VAR')
            [CompletionResult]::new('--known-hosts', '--known-hosts', [CompletionResultType]::ParameterName, 'known_hosts file (default ~/.ssh/known_hosts)')
            [CompletionResult]::new('--host-key', '--host-key', [CompletionResultType]::ParameterName, 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)')
            [CompletionResult]::new('--remote-hash-command', '--remote-hash-command', [CompletionResultType]::ParameterName, 'SFTP: remote command printing a file''s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'FTPS: trust the PEM certificates in FILE in addition to the system''s')
            [CompletionResult]::new('--tls-fingerprint', '--tls-fingerprint', [CompletionResultType]::ParameterName, 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'FTP: the server''s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'FTP: time zone of the server''s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object')
            [CompletionResult]::new('--checksum', '--checksum', [CompletionResultType]::ParameterName, 'Also compute the SHA-256')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'FTPS: skip certificate verification (warned about on every run)')
            [CompletionResult]::new('--active', '--active', [CompletionResultType]::ParameterName, 'FTP: active mode (the server connects back; EPRT/PORT)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;doctor' {
            [CompletionResult]::new('--staging-dir', '--staging-dir', [CompletionResultType]::ParameterName, 'Also check that files written in DIR (as --staging-dir takes it) can be renamed into another directory: a probe file is written, renamed and removed inside DIR only')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Login name (overrides the URL''s user)')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Read the password from environment variable VAR')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'SSH private key file')
            [CompletionResult]::new('--key-passphrase-env', '--key-passphrase-env', [CompletionResultType]::ParameterName, 'Read the key passphrase from environment variable VAR')
            [CompletionResult]::new('--known-hosts', '--known-hosts', [CompletionResultType]::ParameterName, 'known_hosts file (default ~/.ssh/known_hosts)')
            [CompletionResult]::new('--host-key', '--host-key', [CompletionResultType]::ParameterName, 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)')
            [CompletionResult]::new('--remote-hash-command', '--remote-hash-command', [CompletionResultType]::ParameterName, 'SFTP: remote command printing a file''s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'FTPS: trust the PEM certificates in FILE in addition to the system''s')
            [CompletionResult]::new('--tls-fingerprint', '--tls-fingerprint', [CompletionResultType]::ParameterName, 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'FTP: the server''s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'FTP: time zone of the server''s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object (keys connect_ms, login_ms, noop_ms, reachable, ftp, sftp_extensions, sha256_command, staging)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'FTPS: skip certificate verification (warned about on every run)')
            [CompletionResult]::new('--active', '--active', [CompletionResultType]::ParameterName, 'FTP: active mode (the server connects back; EPRT/PORT)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;mkdir' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Login name (overrides the URL''s user)')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Read the password from environment variable VAR')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'SSH private key file')
            [CompletionResult]::new('--key-passphrase-env', '--key-passphrase-env', [CompletionResultType]::ParameterName, 'Read the key passphrase from environment variable VAR')
            [CompletionResult]::new('--known-hosts', '--known-hosts', [CompletionResultType]::ParameterName, 'known_hosts file (default ~/.ssh/known_hosts)')
            [CompletionResult]::new('--host-key', '--host-key', [CompletionResultType]::ParameterName, 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)')
            [CompletionResult]::new('--remote-hash-command', '--remote-hash-command', [CompletionResultType]::ParameterName, 'SFTP: remote command printing a file''s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'FTPS: trust the PEM certificates in FILE in addition to the system''s')
            [CompletionResult]::new('--tls-fingerprint', '--tls-fingerprint', [CompletionResultType]::ParameterName, 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'FTP: the server''s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'FTP: time zone of the server''s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Create parents; an existing directory is fine')
            [CompletionResult]::new('--parents', '--parents', [CompletionResultType]::ParameterName, 'Create parents; an existing directory is fine')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'FTPS: skip certificate verification (warned about on every run)')
            [CompletionResult]::new('--active', '--active', [CompletionResultType]::ParameterName, 'FTP: active mode (the server connects back; EPRT/PORT)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;rm' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Login name (overrides the URL''s user)')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Read the password from environment variable VAR')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'SSH private key file')
            [CompletionResult]::new('--key-passphrase-env', '--key-passphrase-env', [CompletionResultType]::ParameterName, 'Read the key passphrase from environment variable VAR')
            [CompletionResult]::new('--known-hosts', '--known-hosts', [CompletionResultType]::ParameterName, 'known_hosts file (default ~/.ssh/known_hosts)')
            [CompletionResult]::new('--host-key', '--host-key', [CompletionResultType]::ParameterName, 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)')
            [CompletionResult]::new('--remote-hash-command', '--remote-hash-command', [CompletionResultType]::ParameterName, 'SFTP: remote command printing a file''s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'FTPS: trust the PEM certificates in FILE in addition to the system''s')
            [CompletionResult]::new('--tls-fingerprint', '--tls-fingerprint', [CompletionResultType]::ParameterName, 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'FTP: the server''s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'FTP: time zone of the server''s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'r')
            [CompletionResult]::new('--recursive', '--recursive', [CompletionResultType]::ParameterName, 'recursive')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'FTPS: skip certificate verification (warned about on every run)')
            [CompletionResult]::new('--active', '--active', [CompletionResultType]::ParameterName, 'FTP: active mode (the server connects back; EPRT/PORT)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;mv' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Login name (overrides the URL''s user)')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Read the password from environment variable VAR')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'SSH private key file')
            [CompletionResult]::new('--key-passphrase-env', '--key-passphrase-env', [CompletionResultType]::ParameterName, 'Read the key passphrase from environment variable VAR')
            [CompletionResult]::new('--known-hosts', '--known-hosts', [CompletionResultType]::ParameterName, 'known_hosts file (default ~/.ssh/known_hosts)')
            [CompletionResult]::new('--host-key', '--host-key', [CompletionResultType]::ParameterName, 'Host-key policy: accept-new, or a pinned SHA256:… fingerprint')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Connections per server (SFTP: extra SSH connections that file transfers take turns on)')
            [CompletionResult]::new('--remote-hash-command', '--remote-hash-command', [CompletionResultType]::ParameterName, 'SFTP: remote command printing a file''s SHA-256, run over SSH exec [default: detected: sha256sum, then shasum -a 256; none: off]')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'FTP: secure an ftp:// URL with explicit (AUTH TLS) or implicit TLS')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'FTPS: trust the PEM certificates in FILE in addition to the system''s')
            [CompletionResult]::new('--tls-fingerprint', '--tls-fingerprint', [CompletionResultType]::ParameterName, 'FTPS: trust exactly the certificate with this SHA-256 (SHA256:hex, printed when ferry refuses one)')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'FTP: the server''s file-name encoding when it is not UTF-8 (latin1, cp1252, iso-8859-15)')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'FTP: time zone of the server''s LIST times (UTC, +02:00, Europe/Berlin); measured from MDTM by default')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Limit for TCP connect, TLS/SSH handshake, greeting and login (default 30s)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a connection that makes no progress (no reply, no data) for DUR (default 60s)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Replace an existing target')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace an existing target')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'FTPS: skip certificate verification (warned about on every run)')
            [CompletionResult]::new('--active', '--active', [CompletionResultType]::ParameterName, 'FTP: active mode (the server connects back; EPRT/PORT)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;run' {
            [CompletionResult]::new('--metrics-file', '--metrics-file', [CompletionResultType]::ParameterName, 'After the run, write every job''s metrics to PATH (Prometheus text, replaced atomically; for node_exporter''s textfile collector)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Print the plan, change nothing')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan, change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'JSON report on stdout')
            [CompletionResult]::new('--error-on-no-transfer', '--error-on-no-transfer', [CompletionResultType]::ParameterName, 'Exit 9 when no job transferred anything')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;plan' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the plan as JSON to FILE')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'JSON on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;apply' {
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;validate' {
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;daemon' {
            [CompletionResult]::new('--metrics', '--metrics', [CompletionResultType]::ParameterName, 'Serve Prometheus metrics at http://ADDR/metrics (HOST:PORT; a bare port listens on 127.0.0.1)')
            [CompletionResult]::new('--metrics-file', '--metrics-file', [CompletionResultType]::ParameterName, 'Write the metrics to PATH after each run (replaced atomically)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;expect' {
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'JSON on stdout')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;status' {
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'A JSON array instead of a table')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;history' {
            [CompletionResult]::new('--job', '--job', [CompletionResultType]::ParameterName, 'Only this job')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only transfers finished within this duration (2h, 7d)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'A JSON array instead of a table')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Re-arm files of a job so that `once: true` fetches them again')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ferry;history;forget' {
            [CompletionResult]::new('--job', '--job', [CompletionResultType]::ParameterName, 'The job')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;history;help' {
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Re-arm files of a job so that `once: true` fetches them again')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ferry;history;help;forget' {
            break
        }
        'ferry;history;help;help' {
            break
        }
        'ferry;serve' {
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('sftp', 'sftp', [CompletionResultType]::ParameterValue, 'SFTP over SSH; prints `listening ADDR host-key SHA256:…` on stdout once ready')
            [CompletionResult]::new('ftp', 'ftp', [CompletionResultType]::ParameterValue, 'FTP (and explicit FTPS with --tls-cert/--tls-key); prints `listening ADDR` on stdout once ready')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ferry;serve;sftp' {
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Allow password logins for this user (with --password-env)')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Environment variable holding the password for --user')
            [CompletionResult]::new('--authorized-keys', '--authorized-keys', [CompletionResultType]::ParameterName, 'Allow logins with the keys in this OpenSSH authorized_keys file')
            [CompletionResult]::new('--host-key-file', '--host-key-file', [CompletionResultType]::ParameterName, 'Host key file, created (Ed25519, mode 0600) on first use')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;serve;ftp' {
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The login name')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'Environment variable holding the password for --user')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'PEM certificate chain: offer FTPS (AUTH TLS) with it')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'PEM private key for --tls-cert')
            [CompletionResult]::new('--passive-ports', '--passive-ports', [CompletionResultType]::ParameterName, 'Ports for passive data connections')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;serve;help' {
            [CompletionResult]::new('sftp', 'sftp', [CompletionResultType]::ParameterValue, 'SFTP over SSH; prints `listening ADDR host-key SHA256:…` on stdout once ready')
            [CompletionResult]::new('ftp', 'ftp', [CompletionResultType]::ParameterValue, 'FTP (and explicit FTPS with --tls-cert/--tls-key); prints `listening ADDR` on stdout once ready')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ferry;serve;help;sftp' {
            break
        }
        'ferry;serve;help;ftp' {
            break
        }
        'ferry;serve;help;help' {
            break
        }
        'ferry;completions' {
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log line format on stderr or --log-file')
            [CompletionResult]::new('--log-file', '--log-file', [CompletionResultType]::ParameterName, 'Append log lines to FILE instead of stderr')
            [CompletionResult]::new('--progress', '--progress', [CompletionResultType]::ParameterName, 'Progress bars: on a terminal only (auto), always, or never')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'Stop the whole command after DUR as on SIGTERM (partials kept, no deletes) and exit 8')
            [CompletionResult]::new('--ledger', '--ledger', [CompletionResultType]::ParameterName, 'The transfer ledger: a SQLite file (default $XDG_STATE_HOME/ferry/ledger.db; a job file''s `ledger:` is next) or postgresql://… shared by several hosts (password from PGPASSWORD or ~/.pgpass)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output (-v: info, -vv: debug)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only errors; no summary line')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'No colours in output (also NO_COLOR)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'ferry;help' {
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Download a file or (with -r) a tree')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Upload files or (with -r) trees; `put - URL` uploads stdin')
            [CompletionResult]::new('mirror', 'mirror', [CompletionResultType]::ParameterValue, 'Make DST look like SRC (either side may be remote)')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Compare SRC and DST; exit 0 when identical, 1 with a report otherwise')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List a directory')
            [CompletionResult]::new('cat', 'cat', [CompletionResultType]::ParameterValue, 'Stream a remote file to stdout')
            [CompletionResult]::new('stat', 'stat', [CompletionResultType]::ParameterValue, 'Size, mtime and type of one path')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Probe a server: features, what works (mtimes, hashes, rename over a file, TLS session reuse, LIST time offset), max connections and health figures; exit 3 when unreachable')
            [CompletionResult]::new('mkdir', 'mkdir', [CompletionResultType]::ParameterValue, 'Make a directory')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove files (and with -r, trees)')
            [CompletionResult]::new('mv', 'mv', [CompletionResultType]::ParameterValue, 'Rename on the same server')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run jobs from a job file (all, or the named ones)')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Show what `run` would do (same as run --dry-run)')
            [CompletionResult]::new('apply', 'apply', [CompletionResultType]::ParameterValue, 'Execute exactly a plan saved by `ferry plan --out`; entries whose source changed are refused')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check a job file and report every error with line:column')
            [CompletionResult]::new('daemon', 'daemon', [CompletionResultType]::ParameterValue, 'Run jobs on their `schedule:` until SIGTERM/SIGINT (SIGHUP reloads the job file)')
            [CompletionResult]::new('expect', 'expect', [CompletionResultType]::ParameterValue, 'Check each job''s most recent arrival deadline (`expect:`); exit 10 when one was missed')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'One line per job: last run, last delivery, next run, next deadline and whether the last was met, and who runs it now (its lock, or its lease on a shared ledger)')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The transfer ledger: what each job delivered, when')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve a directory (ferry''s own server, confined to DIR)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'ferry;help;get' {
            break
        }
        'ferry;help;put' {
            break
        }
        'ferry;help;mirror' {
            break
        }
        'ferry;help;check' {
            break
        }
        'ferry;help;ls' {
            break
        }
        'ferry;help;cat' {
            break
        }
        'ferry;help;stat' {
            break
        }
        'ferry;help;doctor' {
            break
        }
        'ferry;help;mkdir' {
            break
        }
        'ferry;help;rm' {
            break
        }
        'ferry;help;mv' {
            break
        }
        'ferry;help;run' {
            break
        }
        'ferry;help;plan' {
            break
        }
        'ferry;help;apply' {
            break
        }
        'ferry;help;validate' {
            break
        }
        'ferry;help;daemon' {
            break
        }
        'ferry;help;expect' {
            break
        }
        'ferry;help;status' {
            break
        }
        'ferry;help;history' {
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Re-arm files of a job so that `once: true` fetches them again')
            break
        }
        'ferry;help;history;forget' {
            break
        }
        'ferry;help;serve' {
            [CompletionResult]::new('sftp', 'sftp', [CompletionResultType]::ParameterValue, 'SFTP over SSH; prints `listening ADDR host-key SHA256:…` on stdout once ready')
            [CompletionResult]::new('ftp', 'ftp', [CompletionResultType]::ParameterValue, 'FTP (and explicit FTPS with --tls-cert/--tls-key); prints `listening ADDR` on stdout once ready')
            break
        }
        'ferry;help;serve;sftp' {
            break
        }
        'ferry;help;serve;ftp' {
            break
        }
        'ferry;help;completions' {
            break
        }
        'ferry;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}

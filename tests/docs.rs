//! The committed man pages and completions match what the binary's definitions generate.
//! Regenerate with `FERRY_BLESS=1 cargo test docs`.

use std::path::Path;

fn check(dir: &str, files: Vec<(String, Vec<u8>)>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let bless = std::env::var_os("FERRY_BLESS").is_some();
    let mut stale = Vec::new();
    for (name, want) in files {
        let path = root.join(&name);
        if bless {
            std::fs::create_dir_all(&root).unwrap();
            std::fs::write(&path, &want).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(&want[..]) {
            stale.push(name);
        }
    }
    assert!(stale.is_empty(), "{dir}/ is stale ({stale:?}); run `FERRY_BLESS=1 cargo test docs` and commit the result");
}

#[test]
fn docs_man_pages_are_current() {
    check("man", ferry::cli::man_pages());
}

#[test]
fn docs_completions_are_current() {
    check("completions", ferry::cli::completion_scripts());
}

#[test]
fn completions_command_prints_the_same_script() {
    let s = crate::support::Sandbox::new();
    let r = s.run(&["completions", "bash"]).expect(0);
    let want = ferry::cli::completion_scripts().into_iter().find(|(n, _)| n == "ferry.bash").unwrap().1;
    assert_eq!(r.stdout.as_bytes(), &want[..]);
}

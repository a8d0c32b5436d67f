#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Registry writes under stress, through the `umr` binary:
//!
//! - many processes publishing the same version at once: exactly one wins, every other
//!   one exits 1 with `E_EXISTS`, the file is the winner's, whole, and no temporary file
//!   is left;
//! - `umr publish` (`fsutil::write_new_atomic`: temporary file + hard link) and
//!   `umr convert -o` (`fsutil::write_atomic`: temporary file + rename) killed with
//!   SIGKILL at random moments: every target file is absent, or complete and valid (for a
//!   rename over an existing file: the old file or the new one), and whatever temporary
//!   file a killed process leaves is a dot file that the registry loader skips.

mod common;

use common::TempDir;
use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use umr_core::{Limits, Registry};

fn umr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_umr"))
        .args(args)
        .output()
        .expect("run umr")
}

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_umr"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run umr")
}

fn describe(o: &Output) -> String {
    format!(
        "status: {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A small, deterministic pseudo-random sequence (no dependency needed); the seed is
/// printed by failing assertions.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn seed() -> u64 {
    std::env::var("UMR_HOSTILE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        })
}

fn record_text(name: &str, version: &str, extra: &str) -> String {
    format!("format_version: '1.0'\nkind: model\nname: {name}\nversion: {version}\n{extra}")
}

/// A record large enough (about 3 MiB of YAML, under the 8 MiB limit) that writing it
/// takes a while, so kills land in the middle of writes.
fn big_record(name: &str, version: &str, fill: char) -> String {
    let line: String = std::iter::repeat_n(fill, 1000).collect();
    let mut s = record_text(name, version, "description:\n");
    for _ in 0..3_000 {
        s.push_str("  - ");
        s.push_str(&line);
        s.push('\n');
    }
    s
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

// ---------------------------------------------------------------------------------------
// Concurrent publishers
// ---------------------------------------------------------------------------------------

#[test]
fn concurrent_publishers_exactly_one_wins() {
    let reg = TempDir::new("race");
    let m = reg.path().join("m");
    std::fs::create_dir_all(&m).unwrap();
    std::fs::write(
        m.join("m-1.0.0.yaml"),
        record_text("m", "1.0.0", "title: one\n"),
    )
    .unwrap();
    let drafts = TempDir::new("race-drafts");
    let n = 12;
    let mut files = Vec::new();
    for i in 0..n {
        // each publisher has different content (and size), so a mixed file would show
        let f = drafts.path().join(format!("draft-{i}.yaml"));
        std::fs::write(
            &f,
            record_text(
                "m",
                "1.1.0",
                &format!("title: publisher {i}\ntags: [{}]\n", "x".repeat(1 + 97 * i)),
            ),
        )
        .unwrap();
        files.push(f);
    }
    let reg_s = reg.path().display().to_string();
    let children: Vec<Child> = files
        .iter()
        .map(|f| {
            spawn(&[
                "publish",
                f.to_str().unwrap(),
                "--registry",
                &reg_s,
                "--format",
                "json",
            ])
        })
        .collect();
    let outputs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let winners: Vec<usize> = outputs
        .iter()
        .enumerate()
        .filter(|(_, o)| o.status.success())
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        winners.len(),
        1,
        "exactly one publisher wins:\n{}",
        outputs.iter().map(describe).collect::<Vec<_>>().join("\n")
    );
    for (i, o) in outputs.iter().enumerate() {
        if i == winners[0] {
            continue;
        }
        assert_eq!(o.status.code(), Some(1), "{}", describe(o));
        let e: Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|err| panic!("no JSON error ({err}): {}", describe(o)));
        assert_eq!(e["code"], "E_EXISTS", "{}", describe(o));
        assert_eq!(e["kind"], "RefusedError", "{}", describe(o));
    }
    let target = m.join("m-1.1.0.yaml");
    let c = umr_core::check_file(&target, &Limits::default());
    let r = c.record.unwrap_or_else(|| panic!("{:?}", c.diagnostics));
    assert_eq!(r.value()["title"], format!("publisher {}", winners[0]));
    assert_eq!(
        files_in(&m),
        vec!["m-1.0.0.yaml", "m-1.1.0.yaml"],
        "no temporary file left"
    );
}

/// Two publishers at once, 1.1.0 (adds a licence) and 1.1.1 (without it): one after the
/// other, the second is refused whatever the order (1.1.1 after 1.1.0 removes the licence
/// in a patch; 1.1.0 slipped in below 1.1.1 would make that bump too small). At the same
/// time, the publish lock makes the same hold in every round.
#[test]
fn concurrent_publishers_keep_the_bump_rule() {
    let drafts = TempDir::new("bump-race-drafts");
    let minor = drafts.path().join("minor.yaml");
    let patch = drafts.path().join("patch.yaml");
    std::fs::write(&minor, record_text("m", "1.1.0", "license: MIT\n")).unwrap();
    std::fs::write(&patch, record_text("m", "1.1.1", "")).unwrap();
    for round in 0..30 {
        let reg = TempDir::new("bump-race");
        let m = reg.path().join("m");
        std::fs::create_dir_all(&m).unwrap();
        std::fs::write(m.join("m-1.0.0.yaml"), record_text("m", "1.0.0", "")).unwrap();
        let reg_s = reg.path().display().to_string();
        let children: Vec<Child> = [&minor, &patch]
            .iter()
            .map(|f| {
                spawn(&[
                    "publish",
                    f.to_str().unwrap(),
                    "--registry",
                    &reg_s,
                    "--format",
                    "json",
                ])
            })
            .collect();
        let outputs: Vec<Output> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let won = outputs.iter().filter(|o| o.status.success()).count();
        assert_eq!(
            won,
            1,
            "round {round}: exactly one of 1.1.0 / 1.1.1 is accepted:\n{}",
            outputs.iter().map(describe).collect::<Vec<_>>().join("\n")
        );
        let loser = outputs.iter().find(|o| !o.status.success()).unwrap();
        let e: Value = serde_json::from_slice(&loser.stdout)
            .unwrap_or_else(|err| panic!("no JSON error ({err}): {}", describe(loser)));
        assert_eq!(e["code"], "E_BUMP_TOO_SMALL", "{}", describe(loser));
        assert_eq!(files_in(&m).len(), 2, "round {round}: {:?}", files_in(&m));
    }
}

// ---------------------------------------------------------------------------------------
// Killed writers
// ---------------------------------------------------------------------------------------

/// Run `args`, kill it with SIGKILL after `delay` (if still running); true when it was
/// killed.
fn run_and_kill(args: &[&str], delay: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_umr"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if start.elapsed() >= delay {
            child.kill().unwrap(); // SIGKILL on Unix
            let _ = child.wait();
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Run `args` and kill it with SIGKILL as soon as a temporary file (a dot file whose name
/// starts with `prefix`) appears in `dir` — that is, in the middle of the write — after a
/// further `extra` delay; true when it was killed. Gives up (and kills) after `limit`.
fn run_and_kill_mid_write(
    args: &[&str],
    dir: &Path,
    prefix: &str,
    extra: Duration,
    limit: Duration,
) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_umr"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        let writing = files_in(dir)
            .iter()
            .any(|n| n.starts_with(prefix) && n.ends_with(".tmp"));
        if writing || start.elapsed() > limit {
            std::thread::sleep(extra);
            child.kill().unwrap();
            let _ = child.wait();
            return true;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// When to kill a run that takes `full` when left alone: half of the time anywhere in
/// 0–120 % of `full`, half of the time in 60–105 %, where the file is being written.
fn kill_delay(rng: &mut Lcg, full: Duration) -> Duration {
    let permille = if rng.below(2) == 0 {
        rng.below(1200)
    } else {
        600 + rng.below(450)
    };
    full * permille as u32 / 1000
}

/// How long one unkilled run of `args` takes.
fn time_one(args: &[&str]) -> Duration {
    let start = Instant::now();
    let o = umr(args);
    assert!(o.status.success(), "{}", describe(&o));
    start.elapsed()
}

#[test]
fn killed_publish_never_leaves_a_partial_record() {
    let s = seed();
    let mut rng = Lcg(s);
    let reg = TempDir::new("kill-publish");
    let reg_s = reg.path().display().to_string();
    let drafts = TempDir::new("kill-publish-drafts");
    let rounds = 16u64;
    // versions 1.0.0 … <rounds+1>.0.0 (major steps, so no bump rule refuses them), each a
    // big record with its own fill character
    let fills: Vec<char> = "abcdefghijklmnopqrstuvwxyz".chars().collect();
    let mut expected = Vec::new();
    for k in 0..=rounds {
        let version = format!("{}.0.0", k + 1);
        let text = big_record("big", &version, fills[k as usize % fills.len()]);
        let f = drafts.path().join(format!("big-{version}.yaml"));
        std::fs::write(&f, &text).unwrap();
        expected.push((version, f, text));
    }
    // one unkilled run publishes 1.0.0 and gives the time scale
    let full = time_one(&[
        "publish",
        expected[0].1.to_str().unwrap(),
        "--registry",
        &reg_s,
    ]);
    let mut killed = 0;
    for (version, f, _) in expected.iter().skip(1) {
        let args = ["publish", f.to_str().unwrap(), "--registry", &reg_s];
        let was_killed = if rng.below(2) == 0 {
            run_and_kill(&args, kill_delay(&mut rng, full))
        } else {
            let extra = Duration::from_micros(rng.below(3000));
            run_and_kill_mid_write(&args, &reg.path().join("big"), ".big-", extra, full * 5)
        };
        if was_killed {
            killed += 1;
        }
        // the target is absent, or complete and valid
        let target = reg.path().join("big").join(format!("big-{version}.yaml"));
        if target.exists() {
            let c = umr_core::check_file(&target, &Limits::default());
            let r = c.record.unwrap_or_else(|| {
                panic!(
                    "seed {s}: a killed publish left a partial {}: {:?}",
                    target.display(),
                    c.diagnostics
                )
            });
            assert_eq!(r.version().to_string(), *version, "seed {s}");
            assert_eq!(
                r.value()["description"].as_array().map(Vec::len),
                Some(3_000),
                "seed {s}"
            );
        }
        // anything else in the folder is a dot file
        for name in files_in(&reg.path().join("big")) {
            assert!(
                name.starts_with('.') || name.starts_with("big-") && name.ends_with(".0.0.yaml"),
                "seed {s}: unexpected file {name}"
            );
        }
    }
    assert!(
        killed > 0,
        "seed {s}: no run was killed (the machine is too fast?)"
    );
    let leftovers = files_in(&reg.path().join("big"))
        .iter()
        .filter(|n| n.starts_with('.'))
        .count();
    eprintln!(
        "seed {s}: {killed} of {rounds} runs killed; {leftovers} temporary files left by kills mid-write"
    );
    // the loader skips every leftover temporary file and reads every complete record
    let (registry, report) = Registry::open(&[reg.path().to_path_buf()], &Limits::default())
        .unwrap_or_else(|e| panic!("seed {s}: {e}"));
    assert!(
        report.diagnostics.iter().all(|d| !d.is_error()),
        "seed {s}: {:?}",
        report.diagnostics
    );
    let published = files_in(&reg.path().join("big"))
        .iter()
        .filter(|n| !n.starts_with('.'))
        .count();
    assert_eq!(registry.len(), published, "seed {s}");
    assert_eq!(report.files, published, "seed {s}: dot files are not read");
    // and the command line agrees
    let o = umr(&["resolve", "--all", "--registry", &reg_s, "--format", "json"]);
    assert!(o.status.success(), "seed {s}: {}", describe(&o));
}

#[test]
fn killed_convert_leaves_the_old_file_or_the_new_one() {
    let s = seed();
    let mut rng = Lcg(s ^ 0x9e37_79b9_7f4a_7c15);
    let dir = TempDir::new("kill-convert");
    let old_src = dir.path().join("old.yaml");
    let new_src = dir.path().join("new.yaml");
    std::fs::write(&old_src, big_record("conv", "1.0.0", 'o')).unwrap();
    std::fs::write(&new_src, big_record("conv", "2.0.0", 'n')).unwrap();
    let out = dir.path().join("out").join("conv.yaml");
    let out_s = out.to_str().unwrap().to_string();
    // the existing target: the canonical form of the old record
    let o = umr(&["convert", old_src.to_str().unwrap(), "-o", &out_s]);
    assert!(o.status.success(), "{}", describe(&o));
    let old_bytes = std::fs::read(&out).unwrap();
    let full = time_one(&["convert", new_src.to_str().unwrap(), "-o", &out_s]);
    let new_bytes = std::fs::read(&out).unwrap();
    assert_ne!(old_bytes, new_bytes);
    let mut killed = 0;
    for round in 0..16u64 {
        // start from the old file half of the time
        let src = if round % 2 == 0 {
            std::fs::write(&out, &old_bytes).unwrap();
            &new_src
        } else {
            &old_src
        };
        let args = ["convert", src.to_str().unwrap(), "-o", &out_s];
        let was_killed = if rng.below(2) == 0 {
            run_and_kill(&args, kill_delay(&mut rng, full))
        } else {
            let extra = Duration::from_micros(rng.below(3000));
            run_and_kill_mid_write(&args, out.parent().unwrap(), ".conv.yaml.", extra, full * 5)
        };
        if was_killed {
            killed += 1;
        }
        let after = std::fs::read(&out).unwrap();
        assert!(
            after == old_bytes || after == new_bytes,
            "seed {s}, round {round}: the target is neither the old file nor the new one ({} bytes)",
            after.len()
        );
        for name in files_in(out.parent().unwrap()) {
            assert!(
                name == "conv.yaml" || name.starts_with(".conv.yaml."),
                "seed {s}: unexpected file {name}"
            );
        }
    }
    assert!(killed > 0, "seed {s}: no run was killed");
    // leftovers are dot files: a registry rooted there reads only conv.yaml
    let (records, report) =
        umr_core::registry::load_roots(&[out.parent().unwrap().to_path_buf()], &Limits::default())
            .unwrap();
    assert_eq!(report.files, 1, "seed {s}");
    assert_eq!(records.len(), 1, "seed {s}");
}

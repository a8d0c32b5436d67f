//! The registry as a static web site: an index with client-side search and filters, a page
//! per record version (card, lineage graph, provenance, risks, versions, downloads), an
//! "exposed to / affects" page per record version, a page per name listing its versions,
//! and a risk-alert page. Plain files with relative links — deployable on any static host
//! or opened from disk. No external requests: every page carries a Content-Security-Policy
//! that allows only its own inline style and, on the index, its one inline script (by
//! hash).
//!
//! The site is built in a temporary folder next to the output folder and swapped into
//! place when complete, so the live folder is never half-built. An existing output folder
//! is replaced only if an earlier `umr site` made it (it holds the marker file
//! `.umr-site`). Paths inside the site never come from record text unescaped: names and
//! versions pass through [`escape::path_segment`], and case-insensitive collisions get a
//! numeric suffix.

use super::escape::{self, html as h};
use super::html::{self as hp, HtmlOptions, CSP_NO_SCRIPT};
use super::view::View;
use super::{render, Format};
use crate::diagnostic::{Result, UmrError};
use crate::registry::Registry;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The marker file that identifies a folder made by `umr site`.
pub const MARKER: &str = ".umr-site";

/// Options of the site.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// Site title.
    pub title: String,
    /// The folders the registry was loaded from: an output inside one of them is refused
    /// (`E_SITE_OUT`), since its JSON pages would be read back as records.
    pub registry_roots: Vec<PathBuf>,
}

impl Default for SiteOptions {
    fn default() -> Self {
        SiteOptions {
            registry_roots: Vec::new(),
            title: "UMR registry".to_string(),
        }
    }
}

/// A record whose page was built from its own fields only, because its effective record
/// could not be computed.
#[derive(Debug, Clone, Serialize)]
pub struct SiteProblem {
    /// `name@version`.
    pub record: String,
    /// The error.
    pub error: String,
}

/// What was written.
#[derive(Debug, Clone, Serialize)]
pub struct SiteReport {
    /// The output folder.
    pub out: String,
    /// Record versions published.
    pub records: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Records published from their own fields only (resolution failed).
    pub problems: Vec<SiteProblem>,
}

/// Paths of every record version inside the site.
struct Paths {
    /// record index → (name slug, version slug)
    slugs: Vec<(String, String)>,
    by_id: HashMap<String, usize>,
}

impl Paths {
    fn new(reg: &Registry) -> Paths {
        let mut names: Vec<&str> = reg.names();
        names.sort();
        let mut name_slug: HashMap<&str, String> = HashMap::new();
        let mut taken: HashSet<String> = HashSet::new();
        for n in names {
            let base = escape::path_segment(n);
            let mut slug = base.clone();
            let mut k = 1;
            while !taken.insert(slug.to_lowercase()) {
                slug = format!("{base}~{k}");
                k += 1;
            }
            name_slug.insert(n, slug);
        }
        let mut slugs = Vec::with_capacity(reg.len());
        let mut by_id = HashMap::new();
        let mut ver_taken: HashMap<String, HashSet<String>> = HashMap::new();
        for (i, r) in reg.records().enumerate() {
            let ns = name_slug
                .get(r.name())
                .cloned()
                .unwrap_or_else(|| escape::path_segment(r.name()));
            let base = escape::path_segment(&r.version().to_string());
            let set = ver_taken.entry(ns.clone()).or_default();
            let mut vs = base.clone();
            let mut k = 1;
            while !set.insert(vs.to_lowercase()) {
                vs = format!("{base}~{k}");
                k += 1;
            }
            slugs.push((ns, vs));
            by_id.insert(r.id(), i);
        }
        Paths { slugs, by_id }
    }

    /// Folder of a record version, relative to the site root (`r/<name>/<version>`).
    fn dir(&self, i: usize) -> String {
        format!("r/{}/{}", self.slugs[i].0, self.slugs[i].1)
    }

    fn page(&self, i: usize) -> String {
        format!("{}/index.html", self.dir(i))
    }

    fn name_page(&self, i: usize) -> String {
        format!("r/{}/index.html", self.slugs[i].0)
    }

    fn of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }
}

const UP3: &str = "../../../";

fn risk_state(v: &View) -> &'static str {
    if v.open_risks() > 0 {
        "open"
    } else if v.risks.is_empty() {
        "none"
    } else {
        "mitigated"
    }
}

/// Index row data for one record version.
struct Row {
    index: usize,
    id: String,
    name: String,
    version: String,
    title: String,
    kind: String,
    publisher: String,
    license: String,
    risk: &'static str,
    open: usize,
    latest: bool,
    versions: usize,
    text: String,
    tags: Vec<String>,
}

/// Build the site into `out`. `progress(done, total, id)` is called after each record.
pub fn build(
    reg: &Registry,
    out: &Path,
    opts: &SiteOptions,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<SiteReport> {
    check_out(out)?;
    check_outside_roots(out, &opts.registry_roots)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| UmrError::io(parent.display(), e))?;
    let leaf = out
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".to_string());
    remove_stale_staging(&parent, &leaf);
    let stamp = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    );
    let tmp = parent.join(format!(".{leaf}.umr-site-new-{stamp}"));
    std::fs::create_dir(&tmp).map_err(|e| UmrError::io(tmp.display(), e))?;
    let result = build_into(reg, &tmp, opts, progress);
    let mut report = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    // swap into place
    let old = parent.join(format!(".{leaf}.umr-site-old-{stamp}"));
    let had_old = out.exists();
    if had_old {
        if let Err(e) = std::fs::rename(out, &old) {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(UmrError::io(out.display(), e));
        }
    }
    if let Err(e) = std::fs::rename(&tmp, out) {
        if had_old {
            let _ = std::fs::rename(&old, out);
        }
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(UmrError::io(out.display(), e));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    report.out = out.display().to_string();
    Ok(report)
}

/// `path` made absolute with its links resolved, for a path that may not exist yet: the
/// nearest existing ancestor is canonicalised and the rest appended.
fn canonical_or_planned(path: &Path) -> Option<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    let mut rest = Vec::new();
    let mut cur = abs.as_path();
    loop {
        if let Ok(c) = cur.canonicalize() {
            let mut p = c;
            for part in rest.iter().rev() {
                p.push(part);
            }
            return Some(p);
        }
        rest.push(cur.file_name()?.to_os_string());
        cur = cur.parent()?;
    }
}

/// Refuse an output folder inside a registry root (its pages would be loaded as records),
/// or one that holds a registry root (replacing it would delete the registry).
fn check_outside_roots(out: &Path, roots: &[PathBuf]) -> Result<()> {
    let Some(o) = canonical_or_planned(out) else {
        return Ok(());
    };
    for root in roots {
        let Ok(r) = root.canonicalize() else { continue };
        if o.starts_with(&r) || r.starts_with(&o) {
            return Err(UmrError::Refused {
                code: "E_SITE_OUT".into(),
                message: format!(
                    "{} is {} the registry folder {}; choose an --out outside it",
                    out.display(),
                    if o.starts_with(&r) {
                        "inside"
                    } else {
                        "around"
                    },
                    root.display()
                ),
            });
        }
    }
    Ok(())
}

/// Remove the staging folders (`.LEAF.umr-site-new-PID-…`, `.LEAF.umr-site-old-PID-…`) that
/// a `site` build killed before it finished left beside the output. A folder is stale when
/// the process that made it is gone (checked in `/proc` where there is one; elsewhere, when
/// it is more than a day old).
fn remove_stale_staging(parent: &Path, leaf: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let me = std::process::id();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name
            .strip_prefix(&format!(".{leaf}.umr-site-new-"))
            .or_else(|| name.strip_prefix(&format!(".{leaf}.umr-site-old-")))
        else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid == me {
            continue;
        }
        let proc = Path::new("/proc");
        let stale = if proc.join("self").exists() {
            !proc.join(pid.to_string()).exists()
        } else {
            e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 24 * 3600)
        };
        // never follow a link planted under that name
        let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if stale && is_dir {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Refuse to replace a folder that `umr site` did not make.
fn check_out(out: &Path) -> Result<()> {
    let meta = match std::fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(_) => return Ok(()), // does not exist
    };
    if meta.file_type().is_symlink() || !meta.is_dir() {
        return Err(UmrError::Refused {
            code: "E_SITE_OUT".into(),
            message: format!(
                "{} exists and is not a folder made by `umr site`; choose another --out",
                out.display()
            ),
        });
    }
    let empty = std::fs::read_dir(out)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false);
    if !empty && !out.join(MARKER).is_file() {
        return Err(UmrError::Refused {
            code: "E_SITE_OUT".into(),
            message: format!(
                "{} is not empty and was not made by `umr site` (no {MARKER} file); refusing to replace it",
                out.display()
            ),
        });
    }
    Ok(())
}

struct Writer {
    root: PathBuf,
    files: usize,
    pages: usize,
    bytes: u64,
}

impl Writer {
    fn put(&mut self, rel: &str, data: &[u8]) -> Result<()> {
        let p = self.root.join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).map_err(|e| UmrError::io(d.display(), e))?;
        }
        std::fs::write(&p, data).map_err(|e| UmrError::io(p.display(), e))?;
        self.files += 1;
        if rel.ends_with(".html") {
            self.pages += 1;
        }
        self.bytes += data.len() as u64;
        Ok(())
    }
}

struct Built {
    row: Row,
    problem: Option<SiteProblem>,
    files: Vec<(String, Vec<u8>)>,
}

fn build_into(
    reg: &Registry,
    root: &Path,
    opts: &SiteOptions,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<SiteReport> {
    let paths = Paths::new(reg);
    let mut w = Writer {
        root: root.to_path_buf(),
        files: 0,
        pages: 0,
        bytes: 0,
    };
    let total = reg.len();
    let order: Vec<usize> = (0..total).collect();
    let mut rows: Vec<Row> = Vec::with_capacity(total);
    let mut problems = Vec::new();
    // render in parallel where threads exist; write here, in order
    let workers = std::thread::available_parallelism()
        .map(|n| n.get().clamp(1, 8))
        .unwrap_or(1)
        .min(total.max(1));
    let mut done = 0usize;
    let mut handle = |b: Result<Built>, w: &mut Writer, done: &mut usize| -> Result<()> {
        let b = b?;
        for (rel, data) in &b.files {
            w.put(rel, data)?;
        }
        *done += 1;
        progress(*done, total, &b.row.id);
        if let Some(p) = b.problem {
            problems.push(p);
        }
        rows.push(b.row);
        Ok(())
    };
    if workers <= 1 {
        for &i in &order {
            handle(build_record(reg, &paths, opts, i), &mut w, &mut done)?;
        }
    } else {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let (tx, rx) = std::sync::mpsc::channel::<Result<Built>>();
        let mut first_err: Option<UmrError> = None;
        std::thread::scope(|scope| {
            for _ in 0..workers {
                let tx = tx.clone();
                let next = &next;
                let paths = &paths;
                scope.spawn(move || loop {
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if k >= total {
                        break;
                    }
                    if tx.send(build_record(reg, paths, opts, k)).is_err() {
                        break;
                    }
                });
            }
            drop(tx);
            for b in rx {
                if first_err.is_some() {
                    continue;
                }
                if let Err(e) = handle(b, &mut w, &mut done) {
                    first_err = Some(e);
                    next.store(total, std::sync::atomic::Ordering::Relaxed);
                }
            }
        });
        if let Some(e) = first_err {
            return Err(e);
        }
    }
    rows.sort_by_key(|r| r.index);
    // pages per name
    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for r in &rows {
        by_name.entry(r.name.clone()).or_default().push(r.index);
    }
    for (name, idxs) in &by_name {
        let Some(&first) = idxs.first() else {
            continue;
        };
        w.put(
            &paths.name_page(first),
            name_page(reg, &paths, opts, name, &rows).as_bytes(),
        )?;
    }
    w.put("index.html", index_page(opts, &paths, &rows).as_bytes())?;
    w.put("risks.html", risks_page(reg, &paths, opts).as_bytes())?;
    let marker = serde_json::json!({
        "generator": format!("umr {}", crate::VERSION),
        "records": total,
    });
    w.put(MARKER, format!("{marker}\n").as_bytes())?;
    Ok(SiteReport {
        out: root.display().to_string(),
        records: total,
        pages: w.pages,
        files: w.files,
        bytes: w.bytes,
        problems,
    })
}

fn nav(opts: &SiteOptions, up: &str, extra: &[(String, String)]) -> String {
    let mut s = format!(
        "<nav class=\"site-nav\" aria-label=\"Site\"><a class=\"brand\" href=\"{up}index.html\">{}</a><a href=\"{up}index.html\">All records</a><a href=\"{up}risks.html\">Risk alerts</a>",
        h(&opts.title)
    );
    for (href, text) in extra {
        let _ = write!(s, " <a href=\"{}\">{}</a>", h(href), h(text));
    }
    s.push_str("</nav>\n");
    s
}

fn build_record(reg: &Registry, paths: &Paths, opts: &SiteOptions, i: usize) -> Result<Built> {
    let own = reg.record(i);
    let (view, problem) = match View::from_registry_index(reg, i) {
        Ok(v) => (v, None),
        Err(e) => (
            View::from_record(own),
            Some(SiteProblem {
                record: own.id(),
                error: e.to_string(),
            }),
        ),
    };
    let dir = paths.dir(i);
    let link =
        |id: &str| -> Option<String> { paths.of(id).map(|j| format!("{UP3}{}", paths.page(j))) };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    // downloads
    files.push((format!("{dir}/record.yaml"), own.to_yaml().into_bytes()));
    files.push((format!("{dir}/record.json"), own.to_json().into_bytes()));
    if problem.is_none() {
        if let Ok(eff) = reg.effective_of(i) {
            files.push((
                format!("{dir}/effective.yaml"),
                eff.record.to_yaml().into_bytes(),
            ));
            files.push((
                format!("{dir}/effective.json"),
                eff.record.to_json().into_bytes(),
            ));
        }
    }
    for f in Format::ALL {
        let name = match f {
            Format::Svg => "lineage.svg".to_string(),
            other => format!("card.{}", other.extension()),
        };
        files.push((format!("{dir}/{name}"), render(&view, f)?));
    }
    let mut dl = String::from("<p class=\"downloads\"><strong>Download:</strong> ");
    let mut items: Vec<(&str, &str)> = vec![("record.yaml", "YAML"), ("record.json", "JSON")];
    if problem.is_none() {
        items.push(("effective.yaml", "effective YAML"));
        items.push(("effective.json", "effective JSON"));
    }
    items.extend([
        ("card.tex", "LaTeX"),
        ("card.pdf", "PDF"),
        ("card.md", "Markdown"),
        ("card.html", "HTML"),
        ("lineage.svg", "lineage SVG"),
    ]);
    for (file, label) in items {
        let _ = write!(dl, "<a href=\"{file}\" download>{label}</a> ");
    }
    dl.push_str("</p>\n");
    let _ = writeln!(
        dl,
        "<p><a href=\"exposure.html\">Exposed to / affects</a> · <a href=\"../index.html\">All versions of {}</a></p>",
        h(own.name())
    );
    if let Some(p) = &problem {
        let _ = writeln!(
            dl,
            "<p class=\"alert\">This record could not be resolved in the registry, so this page shows its own fields only: {}</p>",
            h(&p.error)
        );
    }
    let page = hp::page(
        &view,
        &HtmlOptions {
            record_link: Some(&link),
            before: Some(nav(
                opts,
                UP3,
                &[(
                    "exposure.html".to_string(),
                    "Exposed to / affects".to_string(),
                )],
            )),
            header_extra: Some(dl),
            after: None,
            csp: None,
        },
    );
    files.push((format!("{dir}/index.html"), page.into_bytes()));
    files.push((
        format!("{dir}/exposure.html"),
        exposure_page(reg, paths, opts, i, &view).into_bytes(),
    ));
    let d = own.data();
    let latest = view.versions.iter().any(|v| v.current && v.latest);
    let mut text = format!(
        "{} {} {}",
        own.name(),
        view.title,
        view.description.join(" ")
    );
    for t in d.tags.iter().flatten() {
        text.push(' ');
        text.push_str(t);
    }
    let publisher = view
        .publisher
        .as_ref()
        .map(|p| p.text.join(" "))
        .unwrap_or_default();
    text.push(' ');
    text.push_str(&publisher);
    let row = Row {
        index: i,
        id: own.id(),
        name: own.name().to_string(),
        version: own.version().to_string(),
        title: view.title.clone(),
        kind: own.kind().as_str().to_string(),
        publisher,
        license: view
            .license
            .as_ref()
            .map(|l| l.text.clone())
            .unwrap_or_default(),
        risk: risk_state(&view),
        open: view.open_risks(),
        latest,
        versions: view.versions.len(),
        text: escape::one_line(&text).to_lowercase(),
        tags: view.tags.iter().map(|t| t.value.clone()).collect(),
    };
    Ok(Built {
        row,
        problem,
        files,
    })
}

fn exposure_page(reg: &Registry, paths: &Paths, opts: &SiteOptions, i: usize, v: &View) -> String {
    let link = |id: &str| -> String {
        match paths.of(id) {
            Some(j) => format!("<a href=\"{UP3}{}\">{}</a>", h(&paths.page(j)), h(id)),
            None => h(id),
        }
    };
    let mut s = nav(
        opts,
        UP3,
        &[("index.html".to_string(), format!("Record {}", v.id))],
    );
    s.push_str("<article class=\"card\">\n");
    let _ = writeln!(
        s,
        "<p class=\"eyebrow\">Exposure</p><h1>{}</h1><p class=\"rid\">{}</p>",
        h(&v.title),
        h(&v.id)
    );
    s.push_str("<section id=\"exposed\"><h2>Exposed to</h2>\n");
    if v.risks.is_empty() {
        s.push_str("<p>No known risks reach this record.</p>\n");
    } else {
        s.push_str("<table><thead><tr><th>Risk</th><th>Severity</th><th>Status</th><th>From</th><th>Chain</th></tr></thead><tbody>\n");
        for r in &v.risks {
            let status = if r.open() {
                format!("<span class=\"badge warn\">{}</span>", r.status.as_str())
            } else {
                format!(
                    "<span class=\"badge ok\">{}</span><br><span class=\"muted\">by {}: {}</span>",
                    r.status.as_str(),
                    r.mitigated_by.as_deref().map(link).unwrap_or_default(),
                    h(r.justification.as_deref().unwrap_or(""))
                )
            };
            let _ = writeln!(
                s,
                "<tr><td><strong>{}</strong>{}</td><td>{}</td><td>{status}</td><td>{}</td><td class=\"chain\">{}</td></tr>",
                h(&r.id),
                r.title
                    .as_deref()
                    .map(|t| format!("<br>{}", h(t)))
                    .unwrap_or_default(),
                super::severity_text(r.severity),
                link(&r.origin),
                r.chain.iter().map(|c| link(c)).collect::<Vec<_>>().join(" → ")
            );
        }
        s.push_str("</tbody></table>\n");
    }
    s.push_str("</section>\n<section id=\"affects\"><h2>Affects</h2>\n");
    let affected = reg.affected(&v.id, None).unwrap_or_default();
    let own_risks = reg.record(i).data().risks.as_ref().map_or(0, Vec::len);
    if affected.is_empty() {
        s.push_str("<p>No record is downstream of this one.</p>\n");
    } else {
        let _ = writeln!(
            s,
            "<p>{} downstream record{} {} exposed to this record{}.</p>",
            affected.len(),
            if affected.len() == 1 { "" } else { "s" },
            if affected.len() == 1 { "is" } else { "are" },
            if own_risks > 0 {
                " and to the risks declared on it"
            } else {
                " (it declares no risks of its own)"
            }
        );
        s.push_str("<table><thead><tr><th>Record</th><th>Chain</th><th>This record's risks there</th></tr></thead><tbody>\n");
        for a in &affected {
            let id = format!("{}@{}", a.name, a.version);
            let risks = if a.risks.is_empty() {
                "<span class=\"muted\">none</span>".to_string()
            } else {
                a.risks
                    .iter()
                    .map(|r| {
                        let cls = if r.status == crate::model::RiskStatus::Mitigated {
                            "ok"
                        } else {
                            "warn"
                        };
                        format!(
                            "<span class=\"badge {cls}\">{} · {}</span>",
                            h(&r.id),
                            r.status.as_str()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let _ = writeln!(
                s,
                "<tr><td>{}</td><td class=\"chain\">{}</td><td>{risks}</td></tr>",
                link(&id),
                a.chain
                    .iter()
                    .map(|c| link(c))
                    .collect::<Vec<_>>()
                    .join(" → ")
            );
        }
        s.push_str("</tbody></table>\n");
    }
    s.push_str("</section>\n</article>\n");
    hp::document(
        &format!("Exposure of {} — {}", v.id, opts.title),
        CSP_NO_SCRIPT,
        &s,
        "",
    )
}

fn name_page(
    reg: &Registry,
    paths: &Paths,
    opts: &SiteOptions,
    name: &str,
    rows: &[Row],
) -> String {
    let mut s = nav(opts, "../../", &[]);
    s.push_str("<article class=\"card\">\n");
    let mine: Vec<&Row> = rows.iter().filter(|r| r.name == name).collect();
    let title = mine.last().map(|r| r.title.as_str()).unwrap_or(name);
    let _ = writeln!(
        s,
        "<p class=\"eyebrow\">Versions</p><h1>{}</h1><p class=\"rid\">{}</p><ul class=\"plain\">",
        h(title),
        h(name)
    );
    for rec in reg.versions(name).iter().rev() {
        let Some(j) = paths.of(&rec.id()) else {
            continue;
        };
        let row = mine.iter().find(|r| r.index == j);
        let _ = writeln!(
            s,
            "<li><a href=\"../../{}\">{}</a>{}{}</li>",
            h(&paths.page(j)),
            h(&rec.version().to_string()),
            if row.is_some_and(|r| r.latest) {
                " <span class=\"badge\">latest</span>"
            } else {
                ""
            },
            match row {
                Some(r) if r.open > 0 => format!(
                    " <span class=\"badge warn\">{} open risk{}</span>",
                    r.open,
                    if r.open == 1 { "" } else { "s" }
                ),
                _ => String::new(),
            }
        );
    }
    s.push_str("</ul>\n</article>\n");
    hp::document(&format!("{name} — {}", opts.title), CSP_NO_SCRIPT, &s, "")
}

fn risks_page(reg: &Registry, paths: &Paths, opts: &SiteOptions) -> String {
    let link = |id: &str| -> String {
        match paths.of(id) {
            Some(j) => format!("<a href=\"{}\">{}</a>", h(&paths.page(j)), h(id)),
            None => h(id),
        }
    };
    let mut s = nav(opts, "", &[]);
    s.push_str("<article class=\"card\">\n<p class=\"eyebrow\">Alerts</p><h1>Risk alerts</h1>\n<p>Every risk declared in the registry, and the downstream records it reaches (along every relation kind). A downstream record may mitigate a risk, with a justification; it stays listed.</p>\n");
    let mut any = false;
    s.push_str("<table><thead><tr><th>Risk</th><th>Declared on</th><th>Severity</th><th>Reaches</th></tr></thead><tbody>\n");
    for (i, rec) in reg.records().enumerate() {
        for r in rec.data().risks.iter().flatten() {
            if r.status == Some(crate::model::RiskStatus::Mitigated) && r.upstream.is_some() {
                continue; // a mitigation of an inherited risk, not a risk of its own
            }
            any = true;
            let affected = reg.affected(&rec.id(), Some(&r.id)).unwrap_or_default();
            let open: Vec<String> = affected
                .iter()
                .filter(|a| {
                    a.risks
                        .iter()
                        .any(|x| x.status != crate::model::RiskStatus::Mitigated)
                })
                .map(|a| link(&format!("{}@{}", a.name, a.version)))
                .collect();
            let mitigated = affected.len() - open.len();
            let _ = writeln!(
                s,
                "<tr><td><strong>{}</strong>{}</td><td>{}<br><a class=\"muted\" href=\"{}\">exposure</a></td><td>{}</td><td>{}{}</td></tr>",
                h(&r.id),
                r.title
                    .as_deref()
                    .map(|t| format!("<br>{}", h(t)))
                    .unwrap_or_default(),
                link(&rec.id()),
                h(&format!("{}/exposure.html", paths.dir(i))),
                super::severity_text(r.severity.unwrap_or(crate::model::Severity::Medium)),
                if open.is_empty() {
                    "<span class=\"muted\">no unmitigated exposure</span>".to_string()
                } else {
                    open.join(", ")
                },
                if mitigated > 0 {
                    format!(" <span class=\"badge ok\">{mitigated} mitigated</span>")
                } else {
                    String::new()
                }
            );
        }
    }
    s.push_str("</tbody></table>\n");
    if !any {
        s.push_str("<p>No risks are declared in this registry.</p>\n");
    }
    s.push_str("</article>\n");
    hp::document(
        &format!("Risk alerts — {}", opts.title),
        CSP_NO_SCRIPT,
        &s,
        "",
    )
}

/// The index page's script (inline; allowed by its hash in the page's CSP). It only
/// shows and hides server-rendered rows; it never builds HTML from data.
pub const INDEX_JS: &str = r##"
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var q = $("q"), fk = $("f-kind"), fp = $("f-publisher"), fl = $("f-license"), fr = $("f-risk"), fa = $("f-latest");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#records tbody tr"));
  var count = $("count"), none = $("none");
  function apply() {
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (r) {
      var d = r.dataset;
      var ok = words.every(function (w) { return d.text.indexOf(w) >= 0; }) &&
        (!fk.value || d.kind === fk.value) &&
        (!fp.value || d.publisher === fp.value) &&
        (!fl.value || d.license === fl.value) &&
        (!fr.value || d.risk === fr.value) &&
        (!fa.checked || d.latest === "1");
      r.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " record versions";
    none.hidden = shown !== 0;
  }
  document.querySelector("form.filters").addEventListener("submit", function (e) { e.preventDefault(); });
  [q, fk, fp, fl, fr, fa].forEach(function (el) {
    el.addEventListener("input", apply);
    el.addEventListener("change", apply);
  });
  apply();
})();
"##;

fn csp_with_script(js: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(js.as_bytes());
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{}'; img-src data:; base-uri 'none'; form-action 'none'",
        base64(&digest)
    )
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

fn select(id: &str, label: &str, values: &[String]) -> String {
    let mut s = format!("<label>{label} <select id=\"{id}\"><option value=\"\">any</option>");
    for v in values {
        let shown = if v.is_empty() { "(none)" } else { v.as_str() };
        let _ = write!(s, "<option value=\"{}\">{}</option>", h(v), h(shown));
    }
    s.push_str("</select></label>");
    s
}

fn distinct(rows: &[Row], f: impl Fn(&Row) -> &str) -> Vec<String> {
    let mut v: Vec<String> = rows.iter().map(|r| f(r).to_string()).collect();
    v.sort();
    v.dedup();
    v
}

fn index_page(opts: &SiteOptions, paths: &Paths, rows: &[Row]) -> String {
    let mut s = nav(opts, "", &[]);
    let names = rows
        .iter()
        .map(|r| r.name.as_str())
        .collect::<HashSet<_>>()
        .len();
    let open = rows.iter().filter(|r| r.risk == "open" && r.latest).count();
    let _ = writeln!(
        s,
        "<article class=\"card\"><p class=\"eyebrow\">Registry</p><h1>{}</h1><p>{} records, {} record versions{}. Search and filter below; every record links to its card, lineage, risks and downloads.</p>",
        h(&opts.title),
        names,
        rows.len(),
        if open > 0 {
            format!(" · <a href=\"risks.html\">{open} current version{} exposed to unmitigated risks</a>", if open == 1 { "" } else { "s" })
        } else {
            String::new()
        }
    );
    s.push_str("<form class=\"filters\" role=\"search\">");
    s.push_str("<label>Search <input id=\"q\" type=\"search\" placeholder=\"name, title, tag, publisher…\" autocomplete=\"off\"></label> ");
    s.push_str(&select(
        "f-kind",
        "Kind",
        &distinct(rows, |r| r.kind.as_str()),
    ));
    s.push(' ');
    s.push_str(&select(
        "f-publisher",
        "Publisher",
        &distinct(rows, |r| r.publisher.as_str()),
    ));
    s.push(' ');
    s.push_str(&select(
        "f-license",
        "Licence",
        &distinct(rows, |r| r.license.as_str()),
    ));
    s.push_str(" <label>Risk <select id=\"f-risk\"><option value=\"\">any</option><option value=\"open\">exposed to unmitigated risks</option><option value=\"mitigated\">all risks mitigated</option><option value=\"none\">no known risks</option></select></label>");
    s.push_str(" <label><input id=\"f-latest\" type=\"checkbox\"> latest versions only</label>");
    s.push_str("</form>\n<p id=\"count\" class=\"muted\" aria-live=\"polite\"></p>\n");
    s.push_str("<table id=\"records\"><thead><tr><th>Record</th><th>Kind</th><th>Version</th><th>Publisher</th><th>Licence</th><th>Risks</th></tr></thead><tbody>\n");
    let mut sorted: Vec<&Row> = rows.iter().collect();
    sorted.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(b.index.cmp(&a.index))
    });
    for r in sorted {
        let risk = match r.risk {
            "open" => format!("<span class=\"badge warn\">{} open</span>", r.open),
            "mitigated" => "<span class=\"badge ok\">mitigated</span>".to_string(),
            _ => "<span class=\"muted\">none</span>".to_string(),
        };
        let tags: String = r
            .tags
            .iter()
            .map(|t| format!(" <span class=\"badge\">{}</span>", h(t)))
            .collect();
        let _ = writeln!(
            s,
            "<tr data-kind=\"{}\" data-publisher=\"{}\" data-license=\"{}\" data-risk=\"{}\" data-latest=\"{}\" data-text=\"{}\"><td><a href=\"{}\">{}</a><br><span class=\"muted\">{}</span>{tags}</td><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td><td>{risk}</td></tr>",
            h(&r.kind),
            h(&r.publisher),
            h(&r.license),
            r.risk,
            if r.latest { "1" } else { "0" },
            h(&r.text),
            h(&paths.page(r.index)),
            h(&r.name),
            if r.title == r.name { String::new() } else { h(&r.title) },
            h(&r.kind),
            h(&r.version),
            if r.latest && r.versions > 1 { " <span class=\"badge\">latest</span>" } else { "" },
            h(&r.publisher),
            h(&r.license),
        );
    }
    s.push_str("</tbody></table>\n<p id=\"none\" hidden>No record matches.</p>\n</article>\n");
    let _ = write!(
        s,
        "<footer class=\"gen\">Published by umr {}.</footer>\n<script>{INDEX_JS}</script>\n",
        crate::VERSION
    );
    let extra = "<style>.filters{display:flex;flex-wrap:wrap;gap:.6em 1em;align-items:center;margin:1em 0}.filters input[type=search]{min-width:16em}.filters select,.filters input{font:inherit;padding:.25em .4em;border:1px solid var(--line);border-radius:6px;background:var(--card);color:var(--fg)}</style>\n";
    hp::document(&opts.title, &csp_with_script(INDEX_JS), &s, extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_known_values() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}

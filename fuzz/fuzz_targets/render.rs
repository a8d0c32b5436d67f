//! Rendering of generated records (hostile text in every field) to every format, from a
//! registry (effective record, provenance, lineage, risks) and from a lone record; and the
//! interchange exports. The output must never carry an injected marker live: no raw
//! `<umr-inj` in HTML, SVG or Markdown, no `\umrinj` command in LaTeX.
#![no_main]
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use umr_core::render::{self, Format, View};

fn check(bytes: &[u8], f: Format) {
    if f == Format::Pdf {
        assert!(bytes.starts_with(b"%PDF-"), "PDF header");
        return;
    }
    let s = std::str::from_utf8(bytes).expect("text formats are UTF-8");
    match f {
        Format::Latex => assert!(
            !s.contains(umr_fuzz::TEX_MARKER),
            "live LaTeX command in output"
        ),
        // CommonMark: a backslash-escaped `<` is a literal character
        Format::Markdown => assert!(
            !umr_fuzz::has_unescaped(s, umr_fuzz::HTML_MARKER),
            "live markup in Markdown output"
        ),
        _ => assert!(
            !s.contains(umr_fuzz::HTML_MARKER),
            "live markup in {f:?} output"
        ),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let recs = umr_fuzz::records(&mut u);
    // PDF is the slowest format: one record's worth per input
    let pdf_at = u.arbitrary::<u8>().unwrap_or(0) as usize;
    for (k, rec) in recs.iter().enumerate() {
        let v = View::from_record(rec);
        for f in Format::ALL {
            if f == Format::Pdf && k != pdf_at % recs.len().max(1) {
                continue;
            }
            if let Ok(out) = render::render(&v, f) {
                check(&out, f);
            }
        }
    }
    let Ok(reg) = umr_core::Registry::from_records(recs) else {
        return;
    };
    for i in 0..reg.len() {
        if let Ok(v) = View::from_registry_index(&reg, i) {
            for f in Format::ALL {
                if f == Format::Pdf && i != pdf_at % reg.len() {
                    continue;
                }
                if let Ok(out) = render::render(&v, f) {
                    check(&out, f);
                }
            }
        }
        let id = reg.record(i).id();
        let _ = umr_core::interop::hf::export_from_registry(&reg, &id, true);
        let _ = umr_core::interop::cyclonedx::export(
            &reg,
            &id,
            &umr_core::interop::cyclonedx::CdxOptions {
                lineage: true,
                ..Default::default()
            },
        );
        let _ = umr_core::interop::spdx::export(
            &reg,
            &id,
            &umr_core::interop::spdx::SpdxOptions {
                created: Some("2024-01-01T00:00:00Z".into()),
                ..Default::default()
            },
        );
    }
});

//! PDF, produced in-process (no TeX, no external program): A4 pages laid out here, text
//! set in DejaVu Sans (regular and bold, shipped in `assets/fonts/` with its licence),
//! embedded as subsetted CID fonts with a ToUnicode map so text is selectable and
//! extractable, the lineage graph drawn as vectors, long cards paginated (tables split
//! between rows and, for very long cells, between lines; headers repeat), a footer with
//! page numbers. Links are annotations, only for http/https/mailto URLs.
//!
//! Each distinct character gets its own CID (a CIDToGIDMap maps CIDs to glyphs), so a
//! character the font lacks still extracts as itself even though it is drawn as the
//! font's missing-glyph box.

use super::escape::{clean, link as safe_link};
use super::graph::{layout, Layout};
use super::view::View;
use super::{relation_text, score_lines, sections, severity_text, Section as S};
use crate::diagnostic::{Result, UmrError};
use crate::model::Kind;
use pdf_writer::types::{
    ActionType, AnnotationType, CidFontType, FontFlags, SystemInfo, UnicodeCmap,
};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::collections::BTreeMap;

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 50.0;
const MARGIN_TOP: f32 = 54.0;
const MARGIN_BOTTOM: f32 = 60.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;

type Rgb = (f32, f32, f32);
const FG: Rgb = (0.10, 0.13, 0.17);
const MUTED: Rgb = (0.36, 0.40, 0.47);
const ACCENT: Rgb = (0.11, 0.31, 0.85);
const WARN: Rgb = (0.73, 0.11, 0.11);
const OK: Rgb = (0.09, 0.40, 0.20);
const LINE: Rgb = (0.85, 0.87, 0.91);
const HEAD_BG: Rgb = (0.94, 0.95, 0.97);

struct FontRes {
    face: ttf_parser::Face<'static>,
    data: &'static [u8],
    base: &'static [u8],
    /// char → CID (CIDs from 1)
    cids: BTreeMap<char, u16>,
    /// CID - 1 → (char, glyph)
    order: Vec<(char, u16)>,
}

impl FontRes {
    fn new(data: &'static [u8], base: &'static [u8]) -> Result<FontRes> {
        let face = ttf_parser::Face::parse(data, 0)
            .map_err(|e| UmrError::argument("E_FONT", format!("bundled font: {e}")))?;
        Ok(FontRes {
            face,
            data,
            base,
            cids: BTreeMap::new(),
            order: Vec::new(),
        })
    }

    fn units(&self) -> f32 {
        f32::from(self.face.units_per_em())
    }

    fn glyph(&self, c: char) -> u16 {
        self.face.glyph_index(c).map(|g| g.0).unwrap_or(0)
    }

    fn advance(&self, c: char) -> f32 {
        let g = ttf_parser::GlyphId(self.glyph(c));
        f32::from(self.face.glyph_hor_advance(g).unwrap_or(0)) / self.units()
    }

    fn width(&self, s: &str, size: f32) -> f32 {
        s.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }

    fn encode(&mut self, s: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(s.len() * 2);
        for c in s.chars() {
            let cid = match self.cids.get(&c) {
                Some(&cid) => cid,
                None => {
                    let cid = (self.order.len() + 1).min(u16::MAX as usize) as u16;
                    let g = self.glyph(c);
                    self.order.push((c, g));
                    self.cids.insert(c, cid);
                    cid
                }
            };
            out.extend_from_slice(&cid.to_be_bytes());
        }
        out
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Weight {
    Regular,
    Bold,
}

#[derive(Clone, PartialEq)]
struct Style {
    weight: Weight,
    size: f32,
    color: Rgb,
    link: Option<String>,
}

impl Style {
    fn new(size: f32) -> Style {
        Style {
            weight: Weight::Regular,
            size,
            color: FG,
            link: None,
        }
    }
    fn bold(mut self) -> Style {
        self.weight = Weight::Bold;
        self
    }
    fn color(mut self, c: Rgb) -> Style {
        self.color = c;
        self
    }
    fn link(mut self, url: Option<String>) -> Style {
        if url.is_some() {
            self.color = ACCENT;
        }
        self.link = url;
        self
    }
}

/// A run of text in one style.
#[derive(Clone)]
struct Run {
    text: String,
    style: Style,
}

fn run(text: &str, style: &Style) -> Run {
    Run {
        text: clean(text),
        style: style.clone(),
    }
}

struct Piece {
    text: String,
    style: Style,
    width: f32,
}

struct Line {
    pieces: Vec<Piece>,
    height: f32,
}

struct PageBuf {
    content: Content,
    links: Vec<(Rect, String)>,
}

struct Doc {
    fonts: [FontRes; 2],
    pages: Vec<PageBuf>,
    y: f32,
    title: String,
    id: String,
}

impl Doc {
    fn font(&self, w: Weight) -> &FontRes {
        match w {
            Weight::Regular => &self.fonts[0],
            Weight::Bold => &self.fonts[1],
        }
    }

    fn new_page(&mut self) {
        self.pages.push(PageBuf {
            content: Content::new(),
            links: Vec::new(),
        });
        self.y = PAGE_H - MARGIN_TOP;
    }

    fn page(&mut self) -> &mut PageBuf {
        if self.pages.is_empty() {
            self.new_page();
        }
        let n = self.pages.len() - 1;
        &mut self.pages[n]
    }

    fn room(&self) -> f32 {
        self.y - MARGIN_BOTTOM
    }

    fn ensure(&mut self, h: f32) {
        if self.pages.is_empty() || self.room() < h {
            self.new_page();
        }
    }

    /// Wrap runs into lines of at most `width`.
    fn wrap(&self, runs: &[Run], width: f32) -> Vec<Line> {
        let mut lines: Vec<Line> = Vec::new();
        let mut cur: Vec<Piece> = Vec::new();
        let mut cur_w = 0.0f32;
        let mut cur_h = 0.0f32;
        let flush =
            |cur: &mut Vec<Piece>, cur_w: &mut f32, cur_h: &mut f32, lines: &mut Vec<Line>| {
                // drop trailing spaces of the line
                if let Some(last) = cur.last_mut() {
                    let trimmed = last.text.trim_end().to_string();
                    if trimmed.len() != last.text.len() {
                        last.text = trimmed;
                    }
                }
                let h = if *cur_h > 0.0 { *cur_h } else { 10.0 };
                lines.push(Line {
                    pieces: std::mem::take(cur),
                    height: h * 1.32,
                });
                *cur_w = 0.0;
                *cur_h = 0.0;
            };
        for r in runs {
            let font = self.font(r.style.weight);
            let size = r.style.size;
            for (pi, para) in r.text.split('\n').enumerate() {
                if pi > 0 {
                    flush(&mut cur, &mut cur_w, &mut cur_h, &mut lines);
                }
                // words with their following space
                let mut words: Vec<String> = Vec::new();
                let mut w = String::new();
                for c in para.chars() {
                    w.push(if c == '\t' { ' ' } else { c });
                    if c == ' ' || c == '\t' {
                        words.push(std::mem::take(&mut w));
                    }
                }
                if !w.is_empty() {
                    words.push(w);
                }
                for word in words {
                    let ww = font.width(&word, size);
                    let bare = font.width(word.trim_end(), size);
                    if cur_w + bare > width && cur_w > 0.0 {
                        flush(&mut cur, &mut cur_w, &mut cur_h, &mut lines);
                        if word.trim().is_empty() {
                            continue;
                        }
                    }
                    if bare > width {
                        // break a long word by characters
                        let mut chunk = String::new();
                        let mut cw = 0.0;
                        for c in word.chars() {
                            let a = font.advance(c) * size;
                            if cw + a > width - cur_w && !(chunk.is_empty() && cur_w == 0.0) {
                                if !chunk.is_empty() {
                                    cur.push(Piece {
                                        text: std::mem::take(&mut chunk),
                                        style: r.style.clone(),
                                        width: cw,
                                    });
                                }
                                cur_h = cur_h.max(size);
                                flush(&mut cur, &mut cur_w, &mut cur_h, &mut lines);
                                cw = 0.0;
                            }
                            chunk.push(c);
                            cw += a;
                        }
                        if !chunk.is_empty() {
                            cur.push(Piece {
                                text: chunk,
                                style: r.style.clone(),
                                width: cw,
                            });
                            cur_w += cw;
                            cur_h = cur_h.max(size);
                        }
                        continue;
                    }
                    match cur.last_mut() {
                        Some(p) if p.style == r.style => {
                            p.text.push_str(&word);
                            p.width += ww;
                        }
                        _ => cur.push(Piece {
                            text: word,
                            style: r.style.clone(),
                            width: ww,
                        }),
                    }
                    cur_w += ww;
                    cur_h = cur_h.max(size);
                }
            }
        }
        if !cur.is_empty() {
            flush(&mut cur, &mut cur_w, &mut cur_h, &mut lines);
        }
        lines
    }

    /// Draw one line with its top at `top`; returns nothing (caller advances).
    fn draw_line(&mut self, line: &Line, x: f32, top: f32) {
        let base = top - line.height * 0.78;
        let mut cx = x;
        for p in &line.pieces {
            let fi = match p.style.weight {
                Weight::Regular => 0,
                Weight::Bold => 1,
            };
            let bytes = self.fonts[fi].encode(&p.text);
            let name: &[u8] = if fi == 0 { b"F1" } else { b"F2" };
            let (r, g, b) = p.style.color;
            let size = p.style.size;
            let pg = self.page();
            pg.content.set_fill_rgb(r, g, b);
            pg.content.begin_text();
            pg.content.set_font(Name(name), size);
            pg.content.set_text_matrix([1.0, 0.0, 0.0, 1.0, cx, base]);
            pg.content.show(Str(&bytes));
            pg.content.end_text();
            if let Some(u) = &p.style.link {
                pg.links.push((
                    Rect::new(cx, base - size * 0.25, cx + p.width, base + size * 0.9),
                    u.clone(),
                ));
            }
            cx += p.width;
        }
    }

    /// Flowing text, paginated by lines.
    fn flow(&mut self, runs: &[Run], x: f32, width: f32, after: f32) {
        let lines = self.wrap(runs, width);
        for l in &lines {
            self.ensure(l.height);
            let top = self.y;
            self.draw_line(l, x, top);
            self.y -= l.height;
        }
        self.y -= after;
    }

    fn para(&mut self, text: &str, style: &Style) {
        self.flow(&[run(text, style)], MARGIN_X, CONTENT_W, 4.0);
    }

    fn bullets(&mut self, items: &[String], style: &Style) {
        for it in items {
            let lines = self.wrap(&[run(it, style)], CONTENT_W - 14.0);
            for (i, l) in lines.iter().enumerate() {
                self.ensure(l.height);
                let top = self.y;
                if i == 0 {
                    let bullet = self.wrap(&[run("•", style)], 20.0);
                    if let Some(b) = bullet.first() {
                        self.draw_line(b, MARGIN_X + 3.0, top);
                    }
                }
                self.draw_line(l, MARGIN_X + 14.0, top);
                self.y -= l.height;
            }
            self.y -= 1.5;
        }
        self.y -= 3.0;
    }

    fn rule(&mut self, y: f32, color: Rgb, width: f32) {
        let (r, g, b) = color;
        let pg = self.page();
        pg.content.set_stroke_rgb(r, g, b);
        pg.content.set_line_width(width);
        pg.content.move_to(MARGIN_X, y);
        pg.content.line_to(MARGIN_X + CONTENT_W, y);
        pg.content.stroke();
    }

    fn heading(&mut self, text: &str, level: u8) {
        let (size, before) = if level == 1 {
            (14.0, 14.0)
        } else {
            (11.0, 8.0)
        };
        // keep the heading with at least a few lines of what follows
        self.ensure(before + size * 1.4 + 48.0);
        self.y -= before;
        let style = Style::new(size).bold();
        self.flow(&[run(text, &style)], MARGIN_X, CONTENT_W, 2.0);
        if level == 1 {
            let y = self.y + 1.0;
            self.rule(y, LINE, 0.8);
            self.y -= 5.0;
        }
    }

    fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        let (r, g, b) = color;
        let pg = self.page();
        pg.content.set_fill_rgb(r, g, b);
        pg.content.rect(x, y, w, h);
        pg.content.fill_nonzero();
    }

    /// A table; `widths` are fractions of the content width; cells are runs.
    fn table(&mut self, head: &[&str], widths: &[f32], rows: &[Vec<Vec<Run>>]) {
        const PAD: f32 = 4.0;
        const SIZE: f32 = 8.5;
        let cols: Vec<f32> = widths.iter().map(|w| w * CONTENT_W).collect();
        let head_runs: Vec<Vec<Run>> = head
            .iter()
            .map(|h| vec![run(h, &Style::new(SIZE).bold().color(MUTED))])
            .collect();
        let draw_row =
            |doc: &mut Doc, cells: &[Vec<Line>], from: &[usize], to: &[usize], bg: Option<Rgb>| {
                let h = (0..cells.len())
                    .map(|c| {
                        cells[c][from[c]..to[c]]
                            .iter()
                            .map(|l| l.height)
                            .sum::<f32>()
                    })
                    .fold(0.0f32, f32::max)
                    + 2.0 * PAD;
                let top = doc.y;
                if let Some(bg) = bg {
                    doc.fill_rect(MARGIN_X, top - h, CONTENT_W, h, bg);
                }
                let mut x = MARGIN_X;
                for c in 0..cells.len() {
                    let mut t = top - PAD;
                    for l in &cells[c][from[c]..to[c]] {
                        doc.draw_line(l, x + PAD, t);
                        t -= l.height;
                    }
                    x += cols[c];
                }
                doc.y -= h;
                let y = doc.y;
                doc.rule(y, LINE, 0.5);
            };
        let wrap_row = |doc: &Doc, cells: &[Vec<Run>]| -> Vec<Vec<Line>> {
            cells
                .iter()
                .enumerate()
                .map(|(c, runs)| doc.wrap(runs, cols.get(c).copied().unwrap_or(40.0) - 2.0 * PAD))
                .collect()
        };
        let head_lines = wrap_row(self, &head_runs);
        let head_h = head_lines
            .iter()
            .map(|c| c.iter().map(|l| l.height).sum::<f32>())
            .fold(0.0f32, f32::max)
            + 2.0 * PAD;
        let draw_head = |doc: &mut Doc| {
            let to: Vec<usize> = head_lines.iter().map(Vec::len).collect();
            let from = vec![0; head_lines.len()];
            draw_row(doc, &head_lines, &from, &to, Some(HEAD_BG));
        };
        self.ensure(head_h + 30.0);
        draw_head(self);
        for r in rows {
            let cells = wrap_row(self, r);
            let full = cells
                .iter()
                .map(|c| c.iter().map(|l| l.height).sum::<f32>())
                .fold(0.0f32, f32::max)
                + 2.0 * PAD;
            let page_room = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - head_h;
            if full <= self.room() {
                let to: Vec<usize> = cells.iter().map(Vec::len).collect();
                draw_row(self, &cells, &vec![0; cells.len()], &to, None);
                continue;
            }
            if full <= page_room {
                self.new_page();
                draw_head(self);
                let to: Vec<usize> = cells.iter().map(Vec::len).collect();
                draw_row(self, &cells, &vec![0; cells.len()], &to, None);
                continue;
            }
            // a row taller than a page: split it between lines
            let mut from = vec![0usize; cells.len()];
            loop {
                let avail = self.room() - 2.0 * PAD;
                if avail < 30.0 {
                    self.new_page();
                    draw_head(self);
                    continue;
                }
                let to: Vec<usize> = cells
                    .iter()
                    .enumerate()
                    .map(|(c, ls)| {
                        let mut h = 0.0;
                        let mut k = from[c];
                        while k < ls.len() && h + ls[k].height <= avail {
                            h += ls[k].height;
                            k += 1;
                        }
                        k
                    })
                    .collect();
                draw_row(self, &cells, &from, &to, None);
                from = to;
                if from.iter().zip(&cells).all(|(f, c)| *f >= c.len()) {
                    break;
                }
                self.new_page();
                draw_head(self);
            }
        }
        self.y -= 8.0;
    }

    fn graph(&mut self, g: &super::view::Graph) {
        let l: Layout = layout(g);
        if l.nodes.is_empty() {
            return;
        }
        let max_h = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 20.0;
        let scale = (CONTENT_W / l.width as f32)
            .min(max_h / l.height as f32)
            .min(0.85);
        let h = l.height as f32 * scale;
        self.ensure(h + 8.0);
        let top = self.y;
        let left = MARGIN_X + (CONTENT_W - l.width as f32 * scale) / 2.0;
        let tx = |x: f64| left + x as f32 * scale;
        let ty = |y: f64| top - y as f32 * scale;
        // edges
        for e in &l.edges {
            let (r, gg, b) = MUTED;
            let pts: Vec<(f32, f32)> = e.points.iter().map(|p| (tx(p.0), ty(p.1))).collect();
            {
                let pg = self.page();
                pg.content.save_state();
                pg.content.set_stroke_rgb(r, gg, b);
                pg.content.set_line_width(1.0);
                if !e.inherit {
                    pg.content.set_dash_pattern([3.0, 2.5], 0.0);
                }
                if let Some(&(x, y)) = pts.first() {
                    pg.content.move_to(x, y);
                }
                for w in pts.windows(2) {
                    let (a, bb) = (w[0], w[1]);
                    let dx = (bb.0 - a.0) / 2.0;
                    pg.content
                        .cubic_to(a.0 + dx, a.1, bb.0 - dx, bb.1, bb.0, bb.1);
                }
                pg.content.stroke();
                pg.content.restore_state();
                // arrow head (the last segment ends horizontally)
                if let Some(&(x, y)) = pts.last() {
                    let dir = if pts.len() >= 2 && pts[pts.len() - 2].0 > x {
                        -1.0
                    } else {
                        1.0
                    };
                    pg.content.set_fill_rgb(r, gg, b);
                    pg.content.move_to(x, y);
                    pg.content.line_to(x - dir * 5.0, y + 2.6);
                    pg.content.line_to(x - dir * 5.0, y - 2.6);
                    pg.content.close_path();
                    pg.content.fill_nonzero();
                }
            }
        }
        let small = (10.0 * scale).max(5.0);
        for e in &l.edges {
            let style = Style::new(small).color(FG);
            let w = self.fonts[0].width(&e.label, small);
            let (cx, cy) = (tx(e.label_at.0), ty(e.label_at.1) + small * 0.75);
            self.fill_rect(
                cx - w / 2.0 - 1.5,
                cy - small * 0.55,
                w + 3.0,
                small * 1.15,
                (1.0, 1.0, 1.0),
            );
            let lines = self.wrap(&[run(&e.label, &style)], w + 10.0);
            if let Some(line) = lines.first() {
                let lh = line.height;
                self.draw_line(line, cx - w / 2.0, cy + lh / 2.0);
            }
        }
        // nodes
        for p in &l.nodes {
            let Some(n) = g.nodes.get(p.index) else {
                continue;
            };
            let (x, y, w, hh) = (tx(p.x), ty(p.y), p.w as f32 * scale, p.h as f32 * scale);
            let fill = if n.root {
                (0.90, 0.94, 0.99)
            } else {
                (1.0, 1.0, 1.0)
            };
            let stroke = if n.risky {
                WARN
            } else if n.root {
                ACCENT
            } else {
                MUTED
            };
            let lw = if n.risky || n.root { 1.8 } else { 0.9 };
            {
                let pg = self.page();
                pg.content.save_state();
                pg.content.set_fill_rgb(fill.0, fill.1, fill.2);
                pg.content.set_stroke_rgb(stroke.0, stroke.1, stroke.2);
                pg.content.set_line_width(lw);
                if n.kind.is_none() {
                    pg.content.set_dash_pattern([3.0, 2.0], 0.0);
                }
                shape(&mut pg.content, n.kind, x, y, w, hh, scale);
                pg.content.fill_nonzero_and_stroke();
                if n.kind == Some(Kind::Dataset) {
                    // the cylinder's front rim
                    let e = 5.0 * scale;
                    pg.content.move_to(x, y - e);
                    ellipse_half(&mut pg.content, x, y - e, w, e, false);
                    pg.content.stroke();
                }
                pg.content.restore_state();
            }
            let dy = if n.kind == Some(Kind::Dataset) {
                3.0 * scale
            } else {
                0.0
            };
            let s1 = 12.0 * scale;
            let s2 = 10.0 * scale;
            let t1 = Style::new(s1).bold();
            let t2 = Style::new(s2).color(MUTED);
            let w1 = self.fonts[1].width(&p.line1, s1);
            let w2 = self.fonts[0].width(&p.line2, s2);
            if let Some(line) = self.wrap(&[run(&p.line1, &t1)], w1 + 20.0).first() {
                self.draw_line(line, x + (w - w1) / 2.0, y - 5.0 * scale - dy);
            }
            if let Some(line) = self.wrap(&[run(&p.line2, &t2)], w2 + 20.0).first() {
                self.draw_line(line, x + (w - w2) / 2.0, y - 21.0 * scale - dy);
            }
            if n.risky {
                let warn = Style::new(s1).bold().color(WARN);
                let ww = self.fonts[1].width("⚠", s1);
                if let Some(line) = self.wrap(&[run("⚠", &warn)], ww + 10.0).first() {
                    self.draw_line(line, x + w - ww - 3.0, y - 1.0);
                }
            }
        }
        self.y = top - h - 8.0;
    }
}

/// Half an ellipse (bezier approximation) from the left end to the right end of a
/// horizontal ellipse centred at (x + w/2, cy), bulging up (`up`) or down.
fn ellipse_half(c: &mut Content, x: f32, cy: f32, w: f32, e: f32, up: bool) {
    let k = 0.552_284_8;
    let rx = w / 2.0;
    let s = if up { 1.0 } else { -1.0 };
    let mx = x + rx;
    c.cubic_to(x, cy + s * e * k, mx - rx * k, cy + s * e, mx, cy + s * e);
    c.cubic_to(mx + rx * k, cy + s * e, x + w, cy + s * e * k, x + w, cy);
}

fn shape(c: &mut Content, kind: Option<Kind>, x: f32, y: f32, w: f32, h: f32, scale: f32) {
    // (x, y) is the top-left corner in PDF coordinates (y grows upwards)
    match kind {
        Some(Kind::Dataset) => {
            let e = 5.0 * scale;
            c.move_to(x, y - e);
            ellipse_half(c, x, y - e, w, e, true);
            c.line_to(x + w, y - h + e);
            // bottom: right to left, bulging down
            let k = 0.552_284_8;
            let rx = w / 2.0;
            let cy = y - h + e;
            let mx = x + rx;
            c.cubic_to(x + w, cy - e * k, mx + rx * k, cy - e, mx, cy - e);
            c.cubic_to(mx - rx * k, cy - e, x, cy - e * k, x, cy);
            c.close_path();
        }
        Some(Kind::Family) => {
            let t = 6.0 * scale;
            let tw = (w * 0.4).min(60.0 * scale);
            c.move_to(x, y);
            c.line_to(x, y + t);
            c.line_to(x + tw, y + t);
            c.line_to(x + tw + t, y);
            c.line_to(x + w, y);
            c.line_to(x + w, y - h);
            c.line_to(x, y - h);
            c.close_path();
        }
        _ => {
            let r = 6.0 * scale;
            let k = 0.552_284_8 * r;
            c.move_to(x + r, y);
            c.line_to(x + w - r, y);
            c.cubic_to(x + w - r + k, y, x + w, y - r + k, x + w, y - r);
            c.line_to(x + w, y - h + r);
            c.cubic_to(x + w, y - h + r - k, x + w - r + k, y - h, x + w - r, y - h);
            c.line_to(x + r, y - h);
            c.cubic_to(x + r - k, y - h, x, y - h + r - k, x, y - h + r);
            c.line_to(x, y - r);
            c.cubic_to(x, y - r + k, x + r - k, y, x + r, y);
            c.close_path();
        }
    }
}

fn txt(s: &str) -> Vec<Run> {
    vec![run(s, &Style::new(8.5))]
}

fn muted(s: &str) -> Run {
    run(s, &Style::new(7.5).color(MUTED))
}

fn inherited(src: &Option<String>) -> Vec<Run> {
    match src {
        Some(id) => vec![muted(&format!("  ↳ inherited from {id}"))],
        None => Vec::new(),
    }
}

fn url_run(text: &str, url: &str, size: f32) -> Run {
    run(text, &Style::new(size).link(safe_link(url)))
}

fn body(doc: &mut Doc, v: &View) {
    let base = Style::new(10.0);
    // header
    doc.ensure(120.0);
    doc.para(
        &format!(
            "{} RECORD{}",
            v.kind.as_str().to_uppercase(),
            if v.effective { " · EFFECTIVE" } else { "" }
        ),
        &Style::new(8.0).color(MUTED),
    );
    doc.flow(
        &[run(
            &super::escape::one_line(&v.title),
            &Style::new(20.0).bold(),
        )],
        MARGIN_X,
        CONTENT_W,
        2.0,
    );
    doc.para(&v.id, &Style::new(10.0).color(MUTED));
    doc.y -= 4.0;
    for p in &v.description {
        doc.para(p, &base);
    }
    let open = v.open_risks();
    if open > 0 {
        doc.y -= 4.0;
        let msg = format!(
            "⚠ Exposed to {open} unmitigated risk{} — see Risks.",
            if open == 1 { "" } else { "s" }
        );
        let lines = doc.wrap(
            &[run(&msg, &Style::new(10.0).bold().color(WARN))],
            CONTENT_W - 16.0,
        );
        let h: f32 = lines.iter().map(|l| l.height).sum::<f32>() + 10.0;
        doc.ensure(h);
        let top = doc.y;
        doc.fill_rect(MARGIN_X, top - h, CONTENT_W, h, (0.99, 0.93, 0.93));
        doc.fill_rect(MARGIN_X, top - h, 3.0, h, WARN);
        let mut t = top - 5.0;
        for l in &lines {
            doc.draw_line(l, MARGIN_X + 10.0, t);
            t -= l.height;
        }
        doc.y = top - h - 6.0;
    }
    for sec in sections(v) {
        doc.heading(sec.title(), 1);
        match sec {
            S::Identity => {
                let mut rows: Vec<Vec<Vec<Run>>> = vec![
                    vec![txt("Name"), txt(&v.name)],
                    vec![txt("Version"), txt(&v.version)],
                    vec![txt("Kind"), txt(v.kind.as_str())],
                    vec![txt("Title"), txt(&v.title)],
                ];
                if let Some(p) = &v.publisher {
                    let mut c = txt(&p.text.join(" "));
                    c.extend(inherited(&p.inherited_from));
                    rows.push(vec![txt("Publisher"), c]);
                }
                if let Some(d) = &v.release_date {
                    rows.push(vec![txt("Release date"), txt(d)]);
                }
                if let Some(l) = &v.license {
                    let mut c = match &l.url {
                        Some(u) => vec![url_run(&l.text, u, 8.5)],
                        None => txt(&l.text),
                    };
                    c.extend(inherited(&l.inherited_from));
                    rows.push(vec![txt("Licence"), c]);
                }
                if !v.tags.is_empty() {
                    let mut c = Vec::new();
                    for (i, t) in v.tags.iter().enumerate() {
                        c.push(run(
                            &format!("{}{}", if i > 0 { ", " } else { "" }, t.value),
                            &Style::new(8.5),
                        ));
                        c.extend(inherited(&t.inherited_from));
                    }
                    rows.push(vec![txt("Tags"), c]);
                }
                rows.push(vec![txt("Format version"), txt(&v.format_version)]);
                doc.table(&["Field", "Value"], &[0.25, 0.75], &rows);
            }
            S::Lineage => {
                if v.graph.nodes.len() > 1 {
                    doc.graph(&v.graph);
                }
                if v.relations.is_empty() {
                    doc.para("No upstream records.", &base);
                } else {
                    doc.heading("Upstream", 2);
                    let rows: Vec<Vec<Vec<Run>>> = v
                        .relations
                        .iter()
                        .map(|r| {
                            let mut name = txt(&r.name);
                            if let Some(n) = &r.note {
                                name.push(muted(&format!("\n{n}")));
                            }
                            vec![
                                name,
                                txt(&r.requirement),
                                txt(&relation_text(r)),
                                txt(match r.inherit {
                                    Some(true) => "yes",
                                    Some(false) => "no",
                                    None => "unknown",
                                }),
                                match (&r.resolved, &r.error) {
                                    (Some(x), _) => txt(x),
                                    (None, Some(e)) => vec![run(
                                        &format!("unresolved: {e}"),
                                        &Style::new(8.5).color(WARN),
                                    )],
                                    (None, None) => Vec::new(),
                                },
                            ]
                        })
                        .collect();
                    doc.table(
                        &[
                            "Upstream",
                            "Requirement",
                            "Relation",
                            "Inherits",
                            "Resolved to",
                        ],
                        &[0.26, 0.16, 0.18, 0.1, 0.3],
                        &rows,
                    );
                }
                if !v.graph.edges.is_empty() {
                    doc.heading("Lineage graph edges", 2);
                    let rows: Vec<Vec<Vec<Run>>> = v
                        .graph
                        .edges
                        .iter()
                        .map(|e| {
                            vec![
                                txt(&e.parent),
                                txt(&e.relation),
                                txt(&e.child),
                                txt(if e.inherit { "yes" } else { "no" }),
                            ]
                        })
                        .collect();
                    doc.table(
                        &["Upstream", "Relation", "Downstream", "Inherits"],
                        &[0.35, 0.18, 0.35, 0.12],
                        &rows,
                    );
                }
                if !v.downstream.is_empty() {
                    doc.heading("Downstream", 2);
                    let items: Vec<String> = v
                        .downstream
                        .iter()
                        .map(|d| {
                            format!(
                                "{} ({}, {}, depth {})",
                                d.id,
                                d.kind.as_str(),
                                d.relation.as_str(),
                                d.depth
                            )
                        })
                        .collect();
                    doc.bullets(&items, &base);
                }
            }
            S::Details => {
                let rows: Vec<Vec<Vec<Run>>> = v
                    .details
                    .iter()
                    .map(|d| {
                        let mut c = txt(&d.text.join("\n"));
                        c.extend(inherited(&d.inherited_from));
                        vec![txt(&d.label), c]
                    })
                    .collect();
                doc.table(&["Field", "Value"], &[0.25, 0.75], &rows);
            }
            S::Card => {
                for c in &v.card {
                    doc.heading(&c.label, 2);
                    if c.text.len() > 1 {
                        doc.bullets(&c.text, &base);
                    } else {
                        for p in &c.text {
                            doc.para(p, &base);
                        }
                    }
                    if let Some(s) = &c.inherited_from {
                        doc.flow(
                            &[muted(&format!("↳ inherited from {s}"))],
                            MARGIN_X,
                            CONTENT_W,
                            2.0,
                        );
                    }
                }
            }
            S::Evaluations => {
                let rows: Vec<Vec<Vec<Run>>> = v
                    .evaluations
                    .iter()
                    .map(|e| {
                        vec![
                            txt(&e.task),
                            txt(&e.dataset),
                            txt(&e.metric),
                            txt(&e.value),
                            txt(match e.verified {
                                Some(true) => "yes",
                                Some(false) => "no",
                                None => "",
                            }),
                            match (&e.source, &e.source_name) {
                                (Some(u), n) => vec![url_run(n.as_deref().unwrap_or(u), u, 8.5)],
                                (None, Some(n)) => txt(n),
                                (None, None) => Vec::new(),
                            },
                        ]
                    })
                    .collect();
                doc.table(
                    &["Task", "Dataset", "Metric", "Value", "Verified", "Source"],
                    &[0.2, 0.22, 0.15, 0.1, 0.09, 0.24],
                    &rows,
                );
            }
            S::Risks => {
                let rows: Vec<Vec<Vec<Run>>> = v
                    .risks
                    .iter()
                    .map(|r| {
                        let mut risk = vec![run(&r.id, &Style::new(8.5).bold())];
                        if let Some(t) = &r.title {
                            risk.push(run(&format!("\n{t}"), &Style::new(8.5)));
                        }
                        let mut details = Vec::new();
                        if !r.description.is_empty() {
                            details.push(run(&r.description.join("\n"), &Style::new(8.5)));
                        }
                        if let Some(by) = &r.mitigated_by {
                            details.push(run(
                                &format!(
                                    "{}Mitigated by {by}: {}",
                                    if details.is_empty() { "" } else { "\n" },
                                    r.justification.as_deref().unwrap_or("")
                                ),
                                &Style::new(8.5).color(OK),
                            ));
                        }
                        if let Some(u) = &r.source {
                            details.push(run(
                                if details.is_empty() {
                                    "Source: "
                                } else {
                                    "\nSource: "
                                },
                                &Style::new(8.5),
                            ));
                            details.push(url_run(u, u, 8.5));
                        }
                        vec![
                            risk,
                            txt(severity_text(r.severity)),
                            vec![run(
                                r.status.as_str(),
                                &Style::new(8.5)
                                    .bold()
                                    .color(if r.open() { WARN } else { OK }),
                            )],
                            txt(&r.chain.join(" → ")),
                            details,
                        ]
                    })
                    .collect();
                doc.table(
                    &["Risk", "Severity", "Status", "Chain", "Details"],
                    &[0.18, 0.1, 0.11, 0.28, 0.33],
                    &rows,
                );
            }
            S::Transparency => {
                if let Some(t) = &v.transparency {
                    doc.para(
                        &format!(
                            "Indicator set: {} · {} answers: {} yes, {} no, {} unknown.",
                            t.edition.as_deref().unwrap_or("unspecified"),
                            t.answers.len(),
                            t.yes,
                            t.no,
                            t.unknown
                        ),
                        &base,
                    );
                    if let Some(sc) = &t.score {
                        for l in score_lines(sc) {
                            doc.para(&l, &base);
                        }
                        let rows: Vec<Vec<Vec<Run>>> = sc
                            .domains
                            .iter()
                            .map(|d| {
                                vec![
                                    txt(&d.name),
                                    txt(&d.tally.score.to_string()),
                                    txt(&d.tally.answered.to_string()),
                                    txt(&d.tally.indicators.to_string()),
                                ]
                            })
                            .collect();
                        doc.table(
                            &["Domain", "Satisfied", "Answered", "Indicators"],
                            &[0.4, 0.2, 0.2, 0.2],
                            &rows,
                        );
                    } else {
                        doc.para(
                            "No score: the indicator set is not one this version of umr knows.",
                            &base,
                        );
                    }
                    let rows: Vec<Vec<Vec<Run>>> = t
                        .answers
                        .iter()
                        .map(|a| {
                            let color = match a.value.as_str() {
                                "yes" => OK,
                                "no" => WARN,
                                _ => FG,
                            };
                            let mut ans = vec![run(&a.value, &Style::new(8.5).bold().color(color))];
                            ans.extend(inherited(&a.inherited_from));
                            let mut notes = Vec::new();
                            if let Some(e) = &a.evidence {
                                notes.push(url_run(e, e, 8.5));
                            }
                            if let Some(n) = &a.note {
                                notes.push(run(
                                    &format!("{}{n}", if notes.is_empty() { "" } else { "\n" }),
                                    &Style::new(8.5),
                                ));
                            }
                            let mut label = txt(&a.label);
                            if let Some(g) = &a.group {
                                label.push(muted(&format!("\n{g}")));
                            }
                            vec![label, ans, notes]
                        })
                        .collect();
                    doc.table(
                        &["Indicator", "Answer", "Evidence / note"],
                        &[0.42, 0.3, 0.28],
                        &rows,
                    );
                }
            }
            S::References => {
                for r in &v.references {
                    let mut runs = vec![run("• ", &base), url_run(&r.value, &r.value, 10.0)];
                    if let Some(s) = &r.inherited_from {
                        runs.push(muted(&format!("  ↳ inherited from {s}")));
                    }
                    doc.flow(&runs, MARGIN_X, CONTENT_W, 2.0);
                }
                doc.y -= 4.0;
            }
            S::Extensions => {
                let rows: Vec<Vec<Vec<Run>>> = v
                    .extensions
                    .iter()
                    .map(|e| {
                        let mut c = txt(&e.text.join("\n"));
                        c.extend(inherited(&e.inherited_from));
                        vec![txt(&e.label), c]
                    })
                    .collect();
                doc.table(&["Key", "Value"], &[0.25, 0.75], &rows);
            }
            S::Provenance => {
                let rows: Vec<Vec<Vec<Run>>> = v
                    .provenance
                    .iter()
                    .filter(|p| p.inherited)
                    .map(|p| {
                        vec![
                            txt(&p.field),
                            txt(&p.sources.join(", ")),
                            txt(&p.values.to_string()),
                        ]
                    })
                    .collect();
                if rows.is_empty() {
                    doc.para("Every field is the record's own.", &base);
                } else {
                    doc.para(
                        "Fields supplied by ancestors (every other field is the record's own):",
                        &base,
                    );
                    doc.table(
                        &["Field", "Supplied by", "Values"],
                        &[0.4, 0.45, 0.15],
                        &rows,
                    );
                }
            }
            S::Versions => {
                let items: Vec<String> = v
                    .versions
                    .iter()
                    .map(|r| {
                        let mut marks = Vec::new();
                        if r.current {
                            marks.push("this version");
                        }
                        if r.latest {
                            marks.push("latest");
                        }
                        if marks.is_empty() {
                            r.version.clone()
                        } else {
                            format!("{} ({})", r.version, marks.join(", "))
                        }
                    })
                    .collect();
                doc.bullets(&items, &base);
            }
        }
    }
    doc.y -= 6.0;
    doc.para(
        &format!(
            "Rendered by {} from the Unified Model Record {}.",
            v.generator, v.id
        ),
        &Style::new(8.0).color(MUTED),
    );
}

fn compress(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

/// Render a view as PDF bytes.
pub fn to_pdf(v: &View) -> Result<Vec<u8>> {
    let mut doc = Doc {
        fonts: [
            FontRes::new(REGULAR, b"UMRAAA+DejaVuSans")?,
            FontRes::new(BOLD, b"UMRAAB+DejaVuSans-Bold")?,
        ],
        pages: Vec::new(),
        y: PAGE_H - MARGIN_TOP,
        title: clean(&v.title),
        id: clean(&v.id),
    };
    doc.new_page();
    body(&mut doc, v);
    // footers (need the page count)
    let total = doc.pages.len();
    for i in 0..total {
        let text = format!("{} — {}", doc.id, doc.title);
        let left = doc.wrap(
            &[run(&text, &Style::new(7.5).color(MUTED))],
            CONTENT_W * 0.75,
        );
        let right_text = format!("page {} of {total}", i + 1);
        let rw = doc.fonts[0].width(&right_text, 7.5);
        let right = doc.wrap(
            &[run(&right_text, &Style::new(7.5).color(MUTED))],
            rw + 10.0,
        );
        let last = doc.pages.len() - 1;
        // draw on page i: temporarily move it to the end
        doc.pages.swap(i, last);
        let y = MARGIN_BOTTOM - 22.0;
        doc.rule(y + 12.0, LINE, 0.5);
        if let Some(l) = left.first() {
            doc.draw_line(l, MARGIN_X, y + 9.0);
        }
        if let Some(l) = right.first() {
            doc.draw_line(l, MARGIN_X + CONTENT_W - rw, y + 9.0);
        }
        doc.pages.swap(i, last);
    }
    write_pdf(doc)
}

fn write_pdf(doc: Doc) -> Result<Vec<u8>> {
    let mut pdf = Pdf::new();
    let mut next = 1i32;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog_id = alloc();
    let tree_id = alloc();
    let info_id = alloc();
    let font_ids: Vec<(Ref, Ref, Ref, Ref, Ref, Ref)> = (0..2)
        .map(|_| (alloc(), alloc(), alloc(), alloc(), alloc(), alloc()))
        .collect();
    let page_ids: Vec<(Ref, Ref)> = doc.pages.iter().map(|_| (alloc(), alloc())).collect();
    let mut annot_ids: Vec<Vec<Ref>> = Vec::new();
    for p in &doc.pages {
        annot_ids.push(p.links.iter().map(|_| alloc()).collect());
    }
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id)
        .kids(page_ids.iter().map(|p| p.0))
        .count(page_ids.len() as i32);
    {
        let mut info = pdf.document_info(info_id);
        info.title(TextStr(&doc.title));
        info.subject(TextStr(&doc.id));
        info.creator(TextStr(&format!("umr {}", crate::VERSION)));
        info.producer(TextStr(&format!("umr {} (pdf-writer)", crate::VERSION)));
        info.finish();
    }
    // fonts
    for (fi, font) in doc.fonts.iter().enumerate() {
        let (type0, cid, desc, file, cmap, cidmap) = font_ids[fi];
        let mut remapper = subsetter::GlyphRemapper::new();
        remapper.remap(0);
        for (_, g) in &font.order {
            remapper.remap(*g);
        }
        let subset = subsetter::subset(font.data, 0, &remapper)
            .map_err(|e| UmrError::argument("E_FONT", format!("font subsetting failed: {e}")))?;
        let units = font.units();
        let scale = |v: f32| v * 1000.0 / units;
        pdf.type0_font(type0)
            .base_font(Name(font.base))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);
        let widths: Vec<f32> = font
            .order
            .iter()
            .map(|(_, g)| {
                scale(f32::from(
                    font.face
                        .glyph_hor_advance(ttf_parser::GlyphId(*g))
                        .unwrap_or(0),
                ))
            })
            .collect();
        let system = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };
        {
            let mut c = pdf.cid_font(cid);
            c.subtype(CidFontType::Type2)
                .base_font(Name(font.base))
                .system_info(system)
                .font_descriptor(desc)
                .default_width(0.0)
                .cid_to_gid_map_stream(cidmap);
            if !widths.is_empty() {
                c.widths().consecutive(1, widths.iter().copied());
            }
            c.finish();
        }
        let bb = font.face.global_bounding_box();
        pdf.font_descriptor(desc)
            .name(Name(font.base))
            .flags(FontFlags::NON_SYMBOLIC)
            .bbox(Rect::new(
                scale(f32::from(bb.x_min)),
                scale(f32::from(bb.y_min)),
                scale(f32::from(bb.x_max)),
                scale(f32::from(bb.y_max)),
            ))
            .italic_angle(0.0)
            .ascent(scale(f32::from(font.face.ascender())))
            .descent(scale(f32::from(font.face.descender())))
            .cap_height(scale(f32::from(
                font.face.capital_height().unwrap_or(font.face.ascender()),
            )))
            .stem_v(if fi == 1 { 140.0 } else { 80.0 })
            .font_file2(file);
        let compressed = compress(&subset);
        pdf.stream(file, &compressed).filter(Filter::FlateDecode);
        // CID → new glyph id
        let mut map = Vec::with_capacity((font.order.len() + 1) * 2);
        map.extend_from_slice(&remapper.get(0).unwrap_or(0).to_be_bytes());
        for (_, g) in &font.order {
            map.extend_from_slice(&remapper.get(*g).unwrap_or(0).to_be_bytes());
        }
        let map = compress(&map);
        pdf.stream(cidmap, &map).filter(Filter::FlateDecode);
        let mut uc: UnicodeCmap<u16> = UnicodeCmap::new(Name(b"Custom"), system);
        for (i, (ch, _)) in font.order.iter().enumerate() {
            uc.pair((i + 1) as u16, *ch);
        }
        let uc = uc.finish();
        pdf.stream(cmap, uc.as_slice());
    }
    for (pi, page) in doc.pages.into_iter().enumerate() {
        let (pid, cid) = page_ids[pi];
        {
            let mut p = pdf.page(pid);
            p.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
                .parent(tree_id)
                .contents(cid);
            p.resources()
                .fonts()
                .pair(Name(b"F1"), font_ids[0].0)
                .pair(Name(b"F2"), font_ids[1].0);
            if !annot_ids[pi].is_empty() {
                p.annotations(annot_ids[pi].iter().copied());
            }
            p.finish();
        }
        for (k, (rect, url)) in page.links.iter().enumerate() {
            let mut a = pdf.annotation(annot_ids[pi][k]);
            a.subtype(AnnotationType::Link)
                .rect(*rect)
                .border(0.0, 0.0, 0.0, None);
            a.action()
                .action_type(ActionType::Uri)
                .uri(Str(url.as_bytes()));
            a.finish();
        }
        let data = compress(page.content.finish().as_slice());
        pdf.stream(cid, &data).filter(Filter::FlateDecode);
    }
    Ok(pdf.finish())
}

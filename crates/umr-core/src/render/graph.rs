//! A layered (Sugiyama-style) layout of a lineage graph, left to right, computed
//! in-process. The steps (documented in `docs/publishing.md`):
//!
//! 1. **Cycle removal** — a depth-first search in node order reverses back edges (a
//!    registry refuses cycles, but a drawing must never loop forever).
//! 2. **Layering** — longest path from the sources, then every node is pulled right as far
//!    as its children allow, so a dataset sits just before the model trained on it.
//! 3. **Dummy nodes** — an edge spanning several layers gets one dummy node per layer
//!    crossed, so edges are routed between nodes rather than through them.
//! 4. **Crossing reduction** — alternating downward and upward barycenter sweeps; the
//!    ordering with the fewest crossings seen is kept.
//! 5. **Coordinates** — x by layer (gaps wide enough for the edge labels); y by repeated
//!    sweeps that place each node at the mean of its neighbours in the adjacent layer,
//!    subject to the ordering and a minimum separation, solved exactly per layer by
//!    isotonic regression (pool-adjacent-violators).
//! 6. **Edges** — smooth cubic curves through the dummy points with horizontal tangents;
//!    labels on the segment entering the child, towards the end where edges are spread
//!    out, pushed apart vertically where they would overlap.
//!
//! Deterministic: the same graph gives the same drawing.

use super::view::{Graph, GraphNode};

/// Node box height.
pub const NODE_H: f64 = 40.0;
/// Vertical gap between nodes of a layer.
const V_GAP: f64 = 22.0;
/// Margin around the drawing.
pub const MARGIN: f64 = 16.0;
/// Font size of node names.
pub const NAME_SIZE: f64 = 12.0;
/// Font size of the second node line and of edge labels.
pub const SMALL_SIZE: f64 = 10.0;
/// Longest node label, in characters, before it is shortened with `…`.
pub const MAX_LABEL: usize = 36;

/// A placed node.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedNode {
    /// Index in the graph's nodes.
    pub index: usize,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
    /// First line (the name, shortened when long).
    pub line1: String,
    /// Second line (`version · kind`).
    pub line2: String,
}

/// A routed edge.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedEdge {
    /// Index in the graph's edges (the first one when parallel edges were merged).
    pub index: usize,
    /// Points from the parent's right side to the child's left side.
    pub points: Vec<(f64, f64)>,
    /// Label text (relation kinds).
    pub label: String,
    /// Label centre.
    pub label_at: (f64, f64),
    /// Label width (estimated).
    pub label_w: f64,
    /// Whether fields inherit along the edge (else drawn dashed).
    pub inherit: bool,
}

/// A laid-out graph.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    /// Nodes.
    pub nodes: Vec<PlacedNode>,
    /// Edges.
    pub edges: Vec<PlacedEdge>,
    /// Total width.
    pub width: f64,
    /// Total height.
    pub height: f64,
}

/// Estimated advance width of text in a sans-serif font (em fractions per character
/// class; generous, so boxes never clip).
pub fn text_width(s: &str, size: f64) -> f64 {
    let mut w = 0.0;
    for c in s.chars() {
        w += match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' | ' ' => 0.32,
            'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' => 0.42,
            'm' | 'w' | 'M' | 'W' | '@' => 0.92,
            c if c.is_ascii_uppercase() => 0.72,
            c if c.is_ascii_digit() => 0.64,
            c if c.is_ascii() => 0.6,
            _ => 0.9,
        };
    }
    w * size
}

/// Shorten to at most `max` characters, with `…` in the middle when cut.
pub fn shorten(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let keep = max.saturating_sub(1);
    let head: String = s.chars().take(keep / 2 + keep % 2).collect();
    let tail: String = s.chars().skip(n - keep / 2).collect();
    format!("{head}…{tail}")
}

/// The two label lines of a node: the name, then `version · kind`.
pub fn node_lines(n: &GraphNode) -> (String, String) {
    let kind = n.kind.map(|k| k.as_str()).unwrap_or("upstream");
    match n.id.rsplit_once('@') {
        Some((name, ver)) if !name.is_empty() => (
            shorten(name, MAX_LABEL),
            shorten(&format!("{ver} · {kind}"), MAX_LABEL),
        ),
        _ => (shorten(&n.id, MAX_LABEL), kind.to_string()),
    }
}

struct Edge {
    from: usize,
    to: usize,
    label: String,
    inherit: bool,
    index: usize,
    reversed: bool,
}

/// Lay out a graph.
pub fn layout(g: &Graph) -> Layout {
    let n = g.nodes.len();
    if n == 0 {
        return Layout::default();
    }
    let pos = |id: &str| g.nodes.iter().position(|x| x.id == id);
    // merge parallel edges, drop self-loops and dangling edges
    let mut edges: Vec<Edge> = Vec::new();
    for (i, e) in g.edges.iter().enumerate() {
        let (Some(a), Some(b)) = (pos(&e.parent), pos(&e.child)) else {
            continue;
        };
        if a == b {
            continue;
        }
        match edges.iter_mut().find(|x| x.from == a && x.to == b) {
            Some(x) => {
                if !x.label.split(", ").any(|l| l == e.relation) {
                    x.label = format!("{}, {}", x.label, e.relation);
                }
                x.inherit |= e.inherit;
            }
            None => edges.push(Edge {
                from: a,
                to: b,
                label: e.relation.clone(),
                inherit: e.inherit,
                index: i,
                reversed: false,
            }),
        }
    }
    break_cycles(n, &mut edges);
    let layer = assign_layers(n, &edges);
    // dummy nodes: virtual node ids ≥ n
    let mut vlayer: Vec<usize> = layer.clone();
    let mut chains: Vec<Vec<usize>> = Vec::new(); // per edge: node sequence
    for e in &edges {
        let mut seq = vec![e.from];
        for l in (layer[e.from] + 1)..layer[e.to] {
            vlayer.push(l);
            seq.push(vlayer.len() - 1);
        }
        seq.push(e.to);
        chains.push(seq);
    }
    let total = vlayer.len();
    let layers = vlayer.iter().copied().max().unwrap_or(0) + 1;
    // adjacency between consecutive layers
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); total];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); total];
    for seq in &chains {
        for w in seq.windows(2) {
            down[w[0]].push(w[1]);
            up[w[1]].push(w[0]);
        }
    }
    let order = order_layers(total, layers, &vlayer, &up, &down, n);
    // sizes
    let lines: Vec<(String, String)> = g.nodes.iter().map(node_lines).collect();
    let width_of = |v: usize| -> f64 {
        if v >= n {
            return 0.0;
        }
        let (a, b) = &lines[v];
        (text_width(a, NAME_SIZE).max(text_width(b, SMALL_SIZE)) + 28.0).max(90.0)
    };
    let height_of = |v: usize| if v >= n { 0.0 } else { NODE_H };
    let mut layer_w = vec![0.0f64; layers];
    for v in 0..total {
        layer_w[vlayer[v]] = layer_w[vlayer[v]].max(width_of(v));
    }
    // gaps wide enough for the labels that sit in them (a label sits in the gap before
    // the child's layer)
    let mut gap = vec![70.0f64; layers];
    for e in &edges {
        let l = layer[e.to];
        gap[l] = gap[l].max(text_width(&e.label, SMALL_SIZE) + 36.0);
    }
    let mut layer_x = vec![MARGIN; layers];
    for l in 1..layers {
        layer_x[l] = layer_x[l - 1] + layer_w[l - 1] + gap[l];
    }
    let ys = assign_y(&order, &up, &down, &height_of, total);
    let min_y = (0..total)
        .map(|v| ys[v] - height_of(v) / 2.0)
        .fold(f64::INFINITY, f64::min);
    let shift = MARGIN - min_y;
    let cx = |v: usize| -> (f64, f64) {
        let l = vlayer[v];
        // real nodes are left-aligned in their layer column; dummies sit mid-column
        if v < n {
            (layer_x[l], ys[v] + shift)
        } else {
            (layer_x[l] + layer_w[l] / 2.0, ys[v] + shift)
        }
    };
    let mut out = Layout::default();
    for (v, (l1, l2)) in lines.iter().enumerate() {
        let (x, y) = cx(v);
        let w = width_of(v);
        out.nodes.push(PlacedNode {
            index: v,
            x: x + (layer_w[vlayer[v]] - w) / 2.0,
            y: y - NODE_H / 2.0,
            w,
            h: NODE_H,
            line1: l1.clone(),
            line2: l2.clone(),
        });
    }
    for (e, seq) in edges.iter().zip(&chains) {
        let mut pts = Vec::new();
        for (k, &v) in seq.iter().enumerate() {
            let (x, y) = cx(v);
            if v < n {
                let node = &out.nodes[v];
                if k == 0 {
                    pts.push((node.x + node.w, y));
                } else {
                    pts.push((node.x, y));
                }
            } else {
                // a dummy: pass through the layer column
                pts.push((x - layer_w[vlayer[v]] / 2.0, y));
                pts.push((x + layer_w[vlayer[v]] / 2.0, y));
            }
        }
        if e.reversed {
            pts.reverse();
        }
        let (a, b) = if e.reversed {
            (pts[0], pts[1])
        } else {
            (pts[pts.len() - 2], pts[pts.len() - 1])
        };
        // on the curve, towards the end where the edges are spread out: near the parent
        // when many edges converge on the child, near the child when the parent fans out
        let fan_in = edges.iter().filter(|x| x.to == e.to).count();
        let fan_out = edges.iter().filter(|x| x.from == e.from).count();
        let t = if fan_in > fan_out {
            0.3
        } else if fan_out > fan_in {
            0.7
        } else {
            0.5
        };
        out.edges.push(PlacedEdge {
            index: e.index,
            points: pts,
            label: e.label.clone(),
            label_at: bezier(a, b, t),
            label_w: text_width(&e.label, SMALL_SIZE) + 8.0,
            inherit: e.inherit,
        });
    }
    separate_labels(&mut out.edges);
    let max_x = out
        .nodes
        .iter()
        .map(|p| p.x + p.w)
        .chain(out.edges.iter().map(|e| e.label_at.0 + e.label_w / 2.0))
        .fold(0.0, f64::max);
    let max_y = out
        .nodes
        .iter()
        .map(|p| p.y + p.h)
        .chain(out.edges.iter().map(|e| e.label_at.1 + 8.0))
        .chain(out.edges.iter().flat_map(|e| e.points.iter().map(|p| p.1)))
        .fold(0.0, f64::max);
    out.width = (max_x + MARGIN).ceil();
    out.height = (max_y + MARGIN).ceil();
    out
}

/// The point at `t` of the cubic curve from `a` to `b` with horizontal tangents (the shape
/// every edge segment is drawn with).
fn bezier(a: (f64, f64), b: (f64, f64), t: f64) -> (f64, f64) {
    let dx = (b.0 - a.0) / 2.0;
    let (p1, p2) = ((a.0 + dx, a.1), (b.0 - dx, b.1));
    let u = 1.0 - t;
    let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
    (
        w[0] * a.0 + w[1] * p1.0 + w[2] * p2.0 + w[3] * b.0,
        w[0] * a.1 + w[1] * p1.1 + w[2] * p2.1 + w[3] * b.1,
    )
}

fn break_cycles(n: usize, edges: &mut [Edge]) {
    // iterative DFS; an edge to a node on the stack is a back edge
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let out_of = |v: usize, edges: &[Edge]| -> Vec<usize> {
        (0..edges.len())
            .filter(|&i| edges[i].from == v && !edges[i].reversed)
            .collect()
    };
    for s in 0..n {
        if state[s] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, Vec<usize>, usize)> = vec![(s, out_of(s, edges), 0)];
        state[s] = 1;
        while let Some(top) = stack.last_mut() {
            let (v, ref outs, ref mut k) = *top;
            if *k >= outs.len() {
                state[v] = 2;
                stack.pop();
                continue;
            }
            let ei = outs[*k];
            *k += 1;
            let t = edges[ei].to;
            match state[t] {
                0 => {
                    state[t] = 1;
                    let o = out_of(t, edges);
                    stack.push((t, o, 0));
                }
                1 => {
                    let e = &mut edges[ei];
                    std::mem::swap(&mut e.from, &mut e.to);
                    e.reversed = true;
                }
                _ => {}
            }
        }
    }
}

fn assign_layers(n: usize, edges: &[Edge]) -> Vec<usize> {
    // topological order (Kahn), ties by index
    let mut indeg = vec![0usize; n];
    for e in edges {
        indeg[e.to] += 1;
    }
    let mut ready: std::collections::BTreeSet<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut topo = Vec::with_capacity(n);
    while let Some(v) = ready.pop_first() {
        topo.push(v);
        for e in edges.iter().filter(|e| e.from == v) {
            indeg[e.to] -= 1;
            if indeg[e.to] == 0 {
                ready.insert(e.to);
            }
        }
    }
    // (after cycle breaking every node is reached; guard anyway)
    for v in 0..n {
        if !topo.contains(&v) {
            topo.push(v);
        }
    }
    let mut layer = vec![0usize; n];
    for &v in &topo {
        for e in edges.iter().filter(|e| e.from == v) {
            layer[e.to] = layer[e.to].max(layer[v] + 1);
        }
    }
    // pull nodes right, towards their children
    for &v in topo.iter().rev() {
        let kids: Vec<usize> = edges
            .iter()
            .filter(|e| e.from == v)
            .map(|e| layer[e.to])
            .collect();
        if let Some(&m) = kids.iter().min() {
            if m > 0 {
                layer[v] = layer[v].max(m - 1);
            }
        }
    }
    layer
}

fn crossings(order: &[Vec<usize>], down: &[Vec<usize>], posn: &[usize]) -> usize {
    let mut c = 0;
    for layer in order {
        let mut segs: Vec<(usize, usize)> = Vec::new();
        for &v in layer {
            for &w in &down[v] {
                segs.push((posn[v], posn[w]));
            }
        }
        for i in 0..segs.len() {
            for j in (i + 1)..segs.len() {
                let (a, b) = (segs[i], segs[j]);
                if (a.0 < b.0 && a.1 > b.1) || (a.0 > b.0 && a.1 < b.1) {
                    c += 1;
                }
            }
        }
    }
    c
}

fn order_layers(
    total: usize,
    layers: usize,
    vlayer: &[usize],
    up: &[Vec<usize>],
    down: &[Vec<usize>],
    n: usize,
) -> Vec<Vec<usize>> {
    // initial order: depth-first from the real nodes in index order (root first)
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); layers];
    let mut seen = vec![false; total];
    for s in 0..n {
        let mut stack = vec![s];
        while let Some(v) = stack.pop() {
            if seen[v] {
                continue;
            }
            seen[v] = true;
            order[vlayer[v]].push(v);
            for &w in down[v].iter().rev().chain(up[v].iter().rev()) {
                if !seen[w] {
                    stack.push(w);
                }
            }
        }
    }
    for (v, s) in seen.iter().enumerate() {
        if !s {
            order[vlayer[v]].push(v);
        }
    }
    let positions = |order: &[Vec<usize>]| -> Vec<usize> {
        let mut p = vec![0usize; total];
        for layer in order {
            for (i, &v) in layer.iter().enumerate() {
                p[v] = i;
            }
        }
        p
    };
    let mut best = order.clone();
    let mut best_c = crossings(&order, down, &positions(&order));
    for iter in 0..16 {
        let downward = iter % 2 == 0;
        let p = positions(&order);
        let mut p = p;
        let range: Vec<usize> = if downward {
            (1..layers).collect()
        } else {
            (0..layers.saturating_sub(1)).rev().collect()
        };
        for l in range {
            let nb = if downward { up } else { down };
            let mut keyed: Vec<(f64, usize, usize)> = order[l]
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let ns = &nb[v];
                    let bc = if ns.is_empty() {
                        i as f64
                    } else {
                        ns.iter().map(|&w| p[w] as f64).sum::<f64>() / ns.len() as f64
                    };
                    (bc, i, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            order[l] = keyed.into_iter().map(|k| k.2).collect();
            for (i, &v) in order[l].iter().enumerate() {
                p[v] = i;
            }
        }
        let c = crossings(&order, down, &positions(&order));
        if c < best_c {
            best_c = c;
            best = order.clone();
        }
        if best_c == 0 {
            break;
        }
    }
    best
}

/// Minimise Σ (y_i − d_i)² subject to y_{i+1} − y_i ≥ sep_i (pool adjacent violators on
/// the offset-shifted targets).
fn isotonic(desired: &[f64], seps: &[f64]) -> Vec<f64> {
    let k = desired.len();
    let mut offset = vec![0.0; k];
    for i in 1..k {
        offset[i] = offset[i - 1] + seps[i - 1];
    }
    // blocks of (mean, count)
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for i in 0..k {
        let mut cur = (desired[i] - offset[i], 1usize);
        while let Some(&(m, c)) = blocks.last() {
            if m > cur.0 {
                blocks.pop();
                let total = c + cur.1;
                cur = ((m * c as f64 + cur.0 * cur.1 as f64) / total as f64, total);
            } else {
                break;
            }
        }
        blocks.push(cur);
    }
    let mut out = Vec::with_capacity(k);
    for (m, c) in blocks {
        for _ in 0..c {
            let i = out.len();
            out.push(m + offset[i]);
        }
    }
    out
}

fn assign_y(
    order: &[Vec<usize>],
    up: &[Vec<usize>],
    down: &[Vec<usize>],
    height_of: &dyn Fn(usize) -> f64,
    total: usize,
) -> Vec<f64> {
    let mut y = vec![0.0f64; total];
    let sep = |a: usize, b: usize| -> f64 {
        let h = (height_of(a) + height_of(b)) / 2.0;
        if h == 0.0 {
            10.0
        } else {
            h + V_GAP
                * if height_of(a) == 0.0 || height_of(b) == 0.0 {
                    0.5
                } else {
                    1.0
                }
        }
    };
    for layer in order {
        let mut acc = 0.0;
        for (i, &v) in layer.iter().enumerate() {
            if i > 0 {
                acc += sep(layer[i - 1], v);
            }
            y[v] = acc;
        }
        let mid = acc / 2.0;
        for &v in layer {
            y[v] -= mid;
        }
    }
    let layers = order.len();
    for iter in 0..24 {
        let downward = iter % 2 == 0;
        let range: Vec<usize> = if downward {
            (0..layers).collect()
        } else {
            (0..layers).rev().collect()
        };
        for l in range {
            let layer = &order[l];
            if layer.is_empty() {
                continue;
            }
            let desired: Vec<f64> = layer
                .iter()
                .map(|&v| {
                    // both sides count; the sweep direction weighs more
                    let (a, b) = if downward {
                        (&up[v], &down[v])
                    } else {
                        (&down[v], &up[v])
                    };
                    let mean = |ns: &Vec<usize>| -> Option<f64> {
                        (!ns.is_empty())
                            .then(|| ns.iter().map(|&w| y[w]).sum::<f64>() / ns.len() as f64)
                    };
                    match (mean(a), mean(b)) {
                        (Some(p), Some(q)) => 0.7 * p + 0.3 * q,
                        (Some(p), None) | (None, Some(p)) => p,
                        (None, None) => y[v],
                    }
                })
                .collect();
            let seps: Vec<f64> = layer.windows(2).map(|w| sep(w[0], w[1])).collect();
            let placed = isotonic(&desired, &seps);
            for (&v, yy) in layer.iter().zip(placed) {
                y[v] = yy;
            }
        }
    }
    y
}

fn separate_labels(edges: &mut [PlacedEdge]) {
    // group labels by column (same x within a few units), then keep them 14 units apart
    let mut idx: Vec<usize> = (0..edges.len()).collect();
    idx.sort_by(|&a, &b| {
        edges[a]
            .label_at
            .0
            .total_cmp(&edges[b].label_at.0)
            .then(edges[a].label_at.1.total_cmp(&edges[b].label_at.1))
    });
    let mut i = 0;
    while i < idx.len() {
        let x0 = edges[idx[i]].label_at.0;
        let mut j = i;
        while j < idx.len() && (edges[idx[j]].label_at.0 - x0).abs() < 60.0 {
            j += 1;
        }
        let mut group: Vec<usize> = idx[i..j].to_vec();
        group.sort_by(|&a, &b| edges[a].label_at.1.total_cmp(&edges[b].label_at.1));
        let desired: Vec<f64> = group.iter().map(|&e| edges[e].label_at.1).collect();
        let seps = vec![14.0; group.len().saturating_sub(1)];
        for (&e, y) in group.iter().zip(isotonic(&desired, &seps)) {
            edges[e].label_at.1 = y;
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use crate::render::view::{GraphEdge, GraphNode};

    fn node(id: &str) -> GraphNode {
        GraphNode {
            id: id.into(),
            kind: Some(Kind::Model),
            risky: false,
            root: false,
        }
    }
    fn edge(p: &str, c: &str) -> GraphEdge {
        GraphEdge {
            parent: p.into(),
            child: c.into(),
            relation: "finetune".into(),
            inherit: true,
        }
    }

    #[test]
    fn layers_left_to_right() {
        let g = Graph {
            nodes: vec![node("c@1"), node("b@1"), node("a@1"), node("d@1")],
            edges: vec![edge("a@1", "b@1"), edge("b@1", "c@1"), edge("d@1", "c@1")],
        };
        let l = layout(&g);
        let x = |i: usize| l.nodes[i].x;
        assert!(x(2) < x(1) && x(1) < x(0));
        // d is pulled right, next to c
        assert!((x(3) - x(1)).abs() < 1.0);
        // no overlaps within a layer
        assert!((l.nodes[3].y - l.nodes[1].y).abs() >= NODE_H);
    }

    #[test]
    fn cycles_and_self_loops_terminate() {
        let g = Graph {
            nodes: vec![node("a@1"), node("b@1")],
            edges: vec![edge("a@1", "b@1"), edge("b@1", "a@1"), edge("a@1", "a@1")],
        };
        let l = layout(&g);
        assert_eq!(l.nodes.len(), 2);
        assert_eq!(l.edges.len(), 2);
    }

    #[test]
    fn isotonic_keeps_order_and_separation() {
        let y = isotonic(&[5.0, 0.0, 1.0], &[10.0, 10.0]);
        assert!(y[1] - y[0] >= 10.0 - 1e-9 && y[2] - y[1] >= 10.0 - 1e-9);
    }

    #[test]
    fn shortening() {
        assert_eq!(shorten("abcdef", 5), "ab…ef");
        assert_eq!(shorten("abc", 5), "abc");
    }
}

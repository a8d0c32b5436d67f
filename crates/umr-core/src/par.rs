//! Work spread over the available cores (at most 8), with the results in a fixed order:
//! loading, building and resolving a registry use it. A WebAssembly build has no threads,
//! and everything runs on the calling thread there.

/// How many threads to use: the available cores, at most 8; 1 in a WebAssembly build (the
/// threaded code is then left out of it).
pub(crate) fn workers() -> usize {
    if cfg!(target_family = "wasm") {
        return 1;
    }
    std::thread::available_parallelism()
        .map_or(1, |w| w.get())
        .min(8)
}

/// `f` over `items`, results in the order of `items`: on [`workers`] threads when there are
/// at least `min` items, on this thread otherwise. The items of a worker that panicked are done
/// again on this thread.
pub(crate) fn map<T: Send>(items: &[usize], min: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let workers = workers();
    if workers <= 1 || items.len() < min.max(2) {
        return items.iter().map(|&i| f(i)).collect();
    }
    let chunk = items.len().div_ceil(workers);
    let f = &f;
    let parts: Vec<Option<Vec<T>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|&i| f(i)).collect::<Vec<T>>()))
            .collect();
        handles.into_iter().map(|h| h.join().ok()).collect()
    });
    let mut out = Vec::with_capacity(items.len());
    for (part, items) in parts.into_iter().zip(items.chunks(chunk)) {
        match part {
            Some(p) => out.extend(p),
            None => out.extend(items.iter().map(|&i| f(i))),
        }
    }
    out
}

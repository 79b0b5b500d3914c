//! Code splitting of the built app: the wasm that cargo built with the app's `split` feature is
//! cut into a main module, one chunk per page and one per set of pages that share code, then
//! each goes through wasm-bindgen (the main module only) and wasm-opt, and the result replaces the single wasm and its JS
//! that Trunk put into `dist/`. Trunk still builds everything else (index.html with its loader,
//! the CSS, the copied examples); only the names and integrity hashes of the two files it
//! links change in index.html.
//!
//! The steps, as cargo-leptos does them with `--split`:
//! 1. `wasm_split_cli_support::transform` on cargo's output (which kept its relocations:
//!    `--emit-relocs`, see the app's build.rs): the main module, a wasm file per chunk, and a
//!    small JS module that fetches and instantiates chunks (`split_wasm.js` in that crate)
//!    against the main module's memory, table and exports.
//! 2. wasm-bindgen on the main module, keeping what the chunks link against
//!    (`--keep-lld-exports --no-demangle`). The chunks never see wasm-bindgen: they call into
//!    the main module's exports and table.
//! 3. wasm-opt on every file, with index.html's level and flags (chunks without
//!    `--zero-filled-memory`: their memory is the main module's, not fresh).
//!    `wasm_split_cli_support` makes one chunk per set of pages sharing code (41 for 6 pages),
//!    and wasm-opt from npm takes seconds to start, so as many run at once as there are cores.
//! 4. Names with content hashes, which the proxy caches as immutable: each chunk by its own
//!    content (`kassa-chunk_3-<hash>.wasm`); the main JS, the main wasm and the loader JS by
//!    one hash of all three together (`kassa-app-<hash>.js`, `kassa-app-<hash>_bg.wasm`,
//!    `kassa-app-split-<hash>.js`), since the two JS modules import each other by name.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use sha2::{Digest, Sha256, Sha384};

/// The module name the main wasm imports the chunk loaders from, until the loader's final
/// name is known (wasm-bindgen writes it into the main JS as an `import ... from`).
const LINK_PLACEHOLDER: &str = "./__kassa_split_loader.js";
/// The module the loader imports `initSync` from (the main JS), until its final name is known.
const MAIN_PLACEHOLDER: &str = "./__kassa_main.js";
/// The app's name: Trunk's `data-bin`, the prefix of every file here.
const APP: &str = "kassa-app";

/// One file the split wrote into `dist/`.
pub struct Output {
    pub name: String,
    /// What it is: "main js", "main wasm", "split loader js", or the pages that load the chunk.
    pub role: String,
}

/// What the split wrote into `dist/`.
pub struct Split {
    pub files: Vec<Output>,
    /// The files every page needs before it runs (the main JS, wasm and the split loader).
    pub shell: Vec<String>,
    /// For each page (split point, e.g. `login`), the chunk files it loads, in `dist/`.
    pub pages: std::collections::BTreeMap<String, Vec<String>>,
}

/// Splits cargo's wasm (`wasm`) and puts the result into `dist` in place of Trunk's single
/// wasm and JS, optimised as `link` says. `work` is a scratch directory (emptied first).
pub fn split_into_dist(
    wasm: &Path,
    link: &RustLink,
    dist: &Path,
    work: &Path,
) -> Result<Split, String> {
    let index_path = dist.join("index.html");
    let mut index = read_string(&index_path)?;
    let (opt_level, opt_params) = (&link.opt_level, &link.opt_params);
    let old_js = between(&index, "import init, * as bindings from '/", "'")
        .ok_or("dist/index.html has no Trunk loader script (import init ... from)")?
        .to_owned();
    let old_wasm = between(&index, "module_or_path: '/", "'")
        .ok_or("dist/index.html has no Trunk loader script (module_or_path)")?
        .to_owned();

    if work.exists() {
        std::fs::remove_dir_all(work).map_err(|e| format!("{}: {e}", work.display()))?;
    }
    let chunks_dir = work.join("chunks");
    let bindgen_dir = work.join("bindgen");
    std::fs::create_dir_all(&chunks_dir).map_err(|e| e.to_string())?;

    // 1. Split.
    let input = std::fs::read(wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let main_wasm = work.join("main.wasm");
    let link_name = LINK_PLACEHOLDER.trim_start_matches("./");
    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&input);
        opts.output_dir = &chunks_dir;
        opts.main_out_path = &main_wasm;
        opts.link_name = LINK_PLACEHOLDER;
        opts.main_module = MAIN_PLACEHOLDER;
        opts
    })
    .map_err(|e| format!("wasm-split of {}: {e:?}", wasm.display()))?;
    if split.split_modules.is_empty() {
        return Err(format!(
            "{} has no split points: was it built with `--features split`?",
            wasm.display()
        ));
    }

    // 2. wasm-bindgen on the main module.
    let bindgen = crate::tools::bin("wasm-bindgen");
    let status = Command::new(&bindgen)
        .args([
            "--target",
            "web",
            "--keep-lld-exports",
            "--no-demangle",
            "--no-typescript",
            "--out-name",
            APP,
            "--out-dir",
        ])
        .arg(&bindgen_dir)
        .arg(&main_wasm)
        .status()
        .map_err(|e| format!("cannot start {}: {e}", bindgen.display()))?;
    if !status.success() {
        return Err(format!(
            "wasm-bindgen on the split main module failed ({status})"
        ));
    }
    let main_bg = bindgen_dir.join(format!("{APP}_bg.wasm"));
    if bindgen_dir.join("snippets").exists() {
        return Err("wasm-bindgen wrote snippets, which the split build does not copy".into());
    }

    // 3. wasm-opt on each file.
    wasm_opt(&main_bg, opt_level, opt_params)?;
    // A chunk's memory is the main module's, not fresh: no `--zero-filled-memory`. Nothing
    // reads a chunk's target features section.
    let mut chunk_params: Vec<String> = opt_params
        .iter()
        .filter(|p| *p != "--zero-filled-memory")
        .cloned()
        .collect();
    chunk_params.push("--strip-target-features".into());
    let queue = std::sync::Mutex::new(split.split_modules.iter());
    let workers = std::thread::available_parallelism().map_or(2, usize::from);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> Result<(), String> {
                    loop {
                        let next = queue.lock().map_err(|e| e.to_string())?.next();
                        match next {
                            Some(chunk) => wasm_opt(chunk, opt_level, &chunk_params)?,
                            None => return Ok(()),
                        }
                    }
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .map_err(|_| "a wasm-opt worker panicked".to_owned())?
        })
    })?;

    // 4. Names. Chunks first: the loader names them.
    let mut loader = read_string(&chunks_dir.join(link_name))?;
    let mut outputs = Vec::new();
    let mut writes: Vec<(String, Vec<u8>)> = Vec::new();
    let mut chunk_roles = chunk_roles(&split.prefetch_map);
    let mut renamed = std::collections::HashMap::new();
    for chunk in &split.split_modules {
        let stem = chunk
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("odd chunk name {}", chunk.display()))?
            .to_owned();
        let quoted = format!("\"./{stem}.wasm\"");
        if !loader.contains(&quoted) {
            // An empty module, which the loader stands in for without fetching anything.
            continue;
        }
        let bytes = std::fs::read(chunk).map_err(|e| format!("{}: {e}", chunk.display()))?;
        let name = format!("kassa-{stem}-{}.wasm", short_hash(&[&bytes]));
        loader = loader.replace(&quoted, &format!("\"./{name}\""));
        renamed.insert(stem.clone(), name.clone());
        outputs.push(Output {
            name: name.clone(),
            role: chunk_roles.remove(&stem).unwrap_or_default(),
        });
        writes.push((name, bytes));
    }
    let main_js = read_string(&bindgen_dir.join(format!("{APP}.js")))?;
    let main_bytes = std::fs::read(&main_bg).map_err(|e| format!("{}: {e}", main_bg.display()))?;
    let hash = short_hash(&[main_js.as_bytes(), &main_bytes, loader.as_bytes()]);
    let js_name = format!("{APP}-{hash}.js");
    let wasm_name = format!("{APP}-{hash}_bg.wasm");
    let loader_name = format!("{APP}-split-{hash}.js");
    let main_js = replace_all(
        &main_js,
        &format!("from \"{LINK_PLACEHOLDER}\""),
        &format!("from \"./{loader_name}\""),
        "the main JS's import of the split loader",
    )?;
    let loader = replace_all(
        &loader,
        &format!("from \"{MAIN_PLACEHOLDER}\""),
        &format!("from \"./{js_name}\""),
        "the split loader's import of the main JS",
    )?;

    // Into dist/: Trunk's single wasm and JS out, the split files in, index.html pointing at
    // them (with integrity hashes for what it preloads).
    for old in [&old_js, &old_wasm] {
        let path = dist.join(old);
        std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for ext in [".gz", ".br"] {
            let _ = std::fs::remove_file(dist.join(format!("{old}{ext}")));
        }
    }
    writes.push((js_name.clone(), main_js.into_bytes()));
    writes.push((wasm_name.clone(), main_bytes));
    writes.push((loader_name.clone(), loader.into_bytes()));
    for (name, bytes) in &writes {
        std::fs::write(dist.join(name), bytes).map_err(|e| format!("{name}: {e}"))?;
    }
    index = index
        .replace(&old_js, &js_name)
        .replace(&old_wasm, &wasm_name);
    index = with_integrity(&index, &js_name, &file_integrity(&dist.join(&js_name))?);
    index = with_integrity(&index, &wasm_name, &file_integrity(&dist.join(&wasm_name))?);
    // The loader is imported by the main JS; preloading it saves a round trip.
    let preload_main = format!("<link rel=\"modulepreload\" href=\"/{js_name}\"");
    if let Some(at) = index.find(&preload_main) {
        let loader_link = format!(
            "<link rel=\"modulepreload\" href=\"/{loader_name}\" crossorigin=\"anonymous\" integrity=\"{}\">",
            file_integrity(&dist.join(&loader_name))?
        );
        index.insert_str(at, &loader_link);
    }
    std::fs::write(&index_path, index).map_err(|e| format!("{}: {e}", index_path.display()))?;

    let pages = split
        .prefetch_map
        .iter()
        .map(|(page, stems)| {
            let files = stems
                .iter()
                .filter_map(|stem| renamed.get(stem).cloned())
                .collect();
            (page.clone(), files)
        })
        .collect();
    let shell = vec![js_name.clone(), wasm_name.clone(), loader_name.clone()];
    outputs.push(Output {
        name: js_name,
        role: "main js".into(),
    });
    outputs.push(Output {
        name: wasm_name,
        role: "main wasm".into(),
    });
    outputs.push(Output {
        name: loader_name,
        role: "split loader js".into(),
    });
    Ok(Split {
        files: outputs,
        shell,
        pages,
    })
}

/// For each chunk file stem, the pages (split points) that load it, e.g. `login, orders`.
fn chunk_roles(
    prefetch: &std::collections::HashMap<String, Vec<String>>,
) -> std::collections::HashMap<String, String> {
    let mut by_file: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (split, files) in prefetch {
        for file in files {
            by_file.entry(file.clone()).or_default().push(split.clone());
        }
    }
    by_file
        .into_iter()
        .map(|(file, mut splits)| {
            splits.sort();
            (file, format!("for {}", splits.join(", ")))
        })
        .collect()
}

/// What index.html's `<link data-trunk rel="rust">` asks of a release build, so the split
/// build does the same: the cargo profile, and the wasm-opt level and flags (Trunk leaves
/// these attributes out of dist/index.html, so they are read from the source).
pub struct RustLink {
    /// `data-cargo-profile-release`.
    pub profile: String,
    /// `data-wasm-opt`, e.g. `z`.
    pub opt_level: String,
    /// `data-wasm-opt-params`.
    pub opt_params: Vec<String>,
}

impl RustLink {
    pub fn read(index_html: &Path) -> Result<Self, String> {
        let html = read_string(index_html)?;
        let attribute = |name: &str| {
            between(&html, &format!("{name}=\""), "\"")
                .map(str::to_owned)
                .ok_or_else(|| format!("{}: no {name} on the rust link", index_html.display()))
        };
        Ok(Self {
            profile: attribute("data-cargo-profile-release")?,
            opt_level: attribute("data-wasm-opt")?,
            opt_params: attribute("data-wasm-opt-params")
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        })
    }
}

fn wasm_opt(file: &Path, level: &str, params: &[String]) -> Result<(), String> {
    let program = crate::tools::wasm_opt();
    let out: PathBuf = file.with_extension("opt.wasm");
    let status = Command::new(&program)
        .arg(format!("-O{level}"))
        .arg(file)
        .arg("-o")
        .arg(&out)
        .args(params)
        .status()
        .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
    if !status.success() {
        return Err(format!("wasm-opt on {} failed ({status})", file.display()));
    }
    std::fs::rename(&out, file).map_err(|e| format!("{}: {e}", file.display()))
}

/// 16 hex digits of SHA-256 over `parts`: the proxy's "content hash" name format.
fn short_hash(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Subresource integrity of a file, as Trunk writes it: `sha384-<base64>`.
fn file_integrity(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&bytes))
    ))
}

/// index.html with the `integrity` of every tag whose `href` is `/name` set to `integrity`.
fn with_integrity(html: &str, name: &str, integrity: &str) -> String {
    let href = format!("href=\"/{name}\"");
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        let tag = &rest[start..end];
        out.push_str(&rest[..start]);
        if tag.contains(&href) {
            if let Some(old) = between(tag, "integrity=\"", "\"") {
                out.push_str(&tag.replace(
                    &format!("integrity=\"{old}\""),
                    &format!("integrity=\"{integrity}\""),
                ));
            } else {
                out.push_str(tag);
            }
        } else {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn replace_all(text: &str, from: &str, to: &str, what: &str) -> Result<String, String> {
    if !text.contains(from) {
        return Err(format!("{what} ({from}) was not found"));
    }
    Ok(text.replace(from, to))
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

fn read_string(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrity_is_replaced_only_on_the_named_files_tags() {
        let html = r#"<link rel="modulepreload" href="/a.js" integrity="sha384-old"><link href="/b.js" integrity="sha384-keep"><p>x</p>"#;
        let out = with_integrity(html, "a.js", "sha384-new");
        assert_eq!(
            out,
            r#"<link rel="modulepreload" href="/a.js" integrity="sha384-new"><link href="/b.js" integrity="sha384-keep"><p>x</p>"#
        );
    }

    #[test]
    fn short_hashes_have_the_proxys_format() {
        let h = short_hash(&[b"kassa"]);
        assert_eq!(h.len(), 16);
        assert!(h.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(h, short_hash(&[b"kass", b"a"]));
    }
}

//! Precompression of the built app: `.br` (brotli, quality 11) and `.gz` (gzip, level 9) next
//! to every text or wasm file in `dist/`, so the proxy serves them as they are (tower-http's
//! `ServeDir` picks one by `Accept-Encoding`) instead of sending a megabyte of wasm raw or
//! compressing on every request.

use std::io::Write;
use std::path::Path;

/// What is worth compressing: code, styles, markup, data.
const EXTENSIONS: [&str; 7] = ["wasm", "js", "css", "html", "svg", "json", "txt"];

/// Sizes of one file: raw, gzip, brotli.
pub struct Sizes {
    pub path: String,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// Writes `.gz` and `.br` beside each file under `dir` (recursively); returns their sizes.
pub fn precompress(dir: &Path) -> Result<Vec<Sizes>, String> {
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<Sizes>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            walk(root, &path, out)?;
            continue;
        }
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e));
        if !compressible {
            continue;
        }
        let data = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let gzip = gzip(&data)?;
        let brotli = brotli(&data)?;
        let with = |ext: &str| {
            let mut name = path.clone().into_os_string();
            name.push(ext);
            name
        };
        std::fs::write(with(".gz"), &gzip).map_err(|e| e.to_string())?;
        std::fs::write(with(".br"), &brotli).map_err(|e| e.to_string())?;
        out.push(Sizes {
            path: path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string(),
            raw: data.len() as u64,
            gzip: gzip.len() as u64,
            brotli: brotli.len() as u64,
        });
    }
    Ok(())
}

fn gzip(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).map_err(|e| e.to_string())?;
    encoder.finish().map_err(|e| e.to_string())
}

fn brotli(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &data[..], &mut out, &params).map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_encodings_round_trip() {
        use std::io::Read;
        let text = "fn main() { println!(\"kassa\"); }\n".repeat(200);
        let gz = gzip(text.as_bytes()).unwrap();
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, text);
        let br = brotli(text.as_bytes()).unwrap();
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).unwrap();
        assert_eq!(back, text.as_bytes());
        assert!(br.len() < text.len() / 10);
    }
}

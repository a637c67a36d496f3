//! Zola's file and data template functions: `load_data`, `get_hash` and
//! `get_image_metadata`, plus the file search rule they share with
//! `resize_image` ([`SiteFiles`]).
//!
//! The search rule is Zola's (root, `static/`, `content/`, the output
//! folder, the theme's `static/`; `@/` means `content/`; a leading `/` is
//! dropped), made strict: a path that climbs out of the site root with
//! `..`, or that resolves (through a symbolic link) to a file outside it, is
//! an error and the file is never read. Remote `load_data(url=..)` is
//! refused rather than fetched.
//!
//! Results are cached per build (each build registers new functions, so a
//! cache never outlives it). Must not write files.

use super::args::{arg_bool, arg_str, arg_uint};
use crate::config::Config;
use crate::content::front_matter::table_to_json;
use image::{ImageDecoder, ImageFormat, ImageReader};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;
use tera::{Function, Result as TeraResult};

/// Registers `load_data`, `get_hash` and `get_image_metadata`.
pub(super) fn register(tera: &mut tera::Tera, config: &Config, generated: &Arc<GeneratedFiles>) {
    let files = Arc::new(SiteFiles::new(config));
    tera.register_function(
        "load_data",
        LoadData {
            files: files.clone(),
            cache: Mutex::default(),
        },
    );
    tera.register_function(
        "get_hash",
        GetHash {
            files: files.clone(),
            generated: generated.clone(),
        },
    );
    tera.register_function(
        "get_image_metadata",
        GetImageMetadata {
            files,
            generated: generated.clone(),
            cache: Mutex::default(),
        },
    );
}

/// Files the build generates before any template renders (compiled Sass,
/// the search index), by output path: Zola writes them to the output
/// folder first, so `get_hash` and `cachebust` find them there.
///
/// The colocated files of pages and sections are there too: Zola copies a
/// section's or page's files into the output before rendering it, so a
/// template finds them at their output path (`ca/archive/card.jpg`).
#[derive(Debug, Default)]
pub(crate) struct GeneratedFiles {
    bytes: std::sync::RwLock<HashMap<String, Arc<[u8]>>>,
    copies: std::sync::RwLock<HashMap<String, PathBuf>>,
}

impl GeneratedFiles {
    /// Replaces what the build generated.
    pub(crate) fn set(&self, files: HashMap<String, Arc<[u8]>>) {
        *self.bytes.write().unwrap_or_else(PoisonError::into_inner) = files;
    }

    /// Replaces the colocated files copied into the output, by output path.
    pub(crate) fn set_copies(&self, copies: HashMap<String, PathBuf>) {
        *self.copies.write().unwrap_or_else(PoisonError::into_inner) = copies;
    }

    fn get(&self, path: &str) -> Option<Arc<[u8]>> {
        self.bytes
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(path)
            .cloned()
    }

    /// The source of a colocated file copied to output path `path`.
    fn copied(&self, path: &str) -> Option<PathBuf> {
        self.copies
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(path)
            .cloned()
    }
}

/// A file found by the search rule.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// The canonical path (inside the site root).
    pub(crate) path: PathBuf,
    /// The path as asked for, with `@/` expanded and a leading `/` dropped
    /// (Zola's "unified path", used in cache keys and image file names).
    pub(crate) unified: String,
}

/// Where template functions may look for files, and the confinement rule.
#[derive(Debug)]
pub(crate) struct SiteFiles {
    /// The canonical site root; nothing outside it is ever read, except
    /// the output folder the config names.
    root: PathBuf,
    /// The canonical output folder, when it exists (it may be outside the
    /// root: `build -o /elsewhere`).
    output: Option<PathBuf>,
    /// Folders searched after the root, in Zola's order.
    search: Vec<PathBuf>,
}

impl SiteFiles {
    pub(crate) fn new(config: &Config) -> SiteFiles {
        let root = config
            .root
            .canonicalize()
            .unwrap_or_else(|_| config.root.clone());
        let mut search = vec![
            root.join("static"),
            root.join("content"),
            root.join(&config.output_dir),
        ];
        if let Some(theme) = &config.theme {
            search.push(root.join("themes").join(theme).join("static"));
        }
        let output = root.join(&config.output_dir).canonicalize().ok();
        SiteFiles {
            root,
            output,
            search,
        }
    }

    /// The canonical site root.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// True if `path` (canonical) is inside the site root.
    pub(crate) fn contains(&self, path: &Path) -> bool {
        path.starts_with(&self.root)
    }

    /// Finds `path` by Zola's rule. `Ok(None)` when no candidate exists;
    /// an error when the path leads outside the site root.
    pub(crate) fn find(&self, path: &str) -> Result<Option<Found>, String> {
        let unified = match path.strip_prefix("@/") {
            Some(rest) => format!("content/{rest}"),
            None => path.trim_start_matches('/').to_string(),
        };
        if climbs_out(&unified) {
            return Err(format!(
                "`{path}` leads outside the site root; paths are relative to the site root \
                 and may not climb out of it with `..`"
            ));
        }
        let candidates = std::iter::once(self.root.join(&unified))
            .chain(self.search.iter().map(|dir| dir.join(&unified)));
        for candidate in candidates {
            if !candidate.exists() {
                continue;
            }
            let canonical = candidate
                .canonicalize()
                .map_err(|e| format!("cannot resolve `{path}`: {e}"))?;
            let in_output = self
                .output
                .as_ref()
                .is_some_and(|o| canonical.starts_with(o));
            if !self.contains(&canonical) && !in_output {
                return Err(format!(
                    "`{path}` resolves (through a symbolic link) to a file outside the site \
                     root; it was not read"
                ));
            }
            return Ok(Some(Found {
                path: canonical,
                unified,
            }));
        }
        // Zola reads a leading `/` as "from the site root"; say so when the
        // path is a real file elsewhere on this machine.
        let literal = Path::new(path);
        if literal.is_absolute() && !path.starts_with("@/") && literal.exists() {
            let inside = literal.canonicalize().is_ok_and(|c| self.contains(&c));
            if !inside {
                return Err(format!(
                    "`{path}` is outside the site root; a leading `/` means the site root, \
                     and files elsewhere are never read"
                ));
            }
        }
        Ok(None)
    }

    /// The bytes of `path` by Zola's rule, where the output folder is the
    /// files this build generated (not a previous build's output on disk).
    pub(crate) fn read(
        &self,
        path: &str,
        generated: &GeneratedFiles,
    ) -> Result<Option<Vec<u8>>, String> {
        let unified = path.strip_prefix("@/").map_or_else(
            || path.trim_start_matches('/').to_string(),
            |rest| format!("content/{rest}"),
        );
        let before_output = [self.root.join(&unified)]
            .into_iter()
            .chain(self.search.iter().take(2).map(|dir| dir.join(&unified)));
        if !before_output.into_iter().any(|c| c.exists()) {
            if let Some(bytes) = generated.get(&unified) {
                return Ok(Some(bytes.to_vec()));
            }
        }
        let source = match self.find(path)? {
            Some(found) => Some(found.path),
            // A page's or section's own files, at their output path.
            None => generated.copied(&normalized(&unified)),
        };
        match source {
            Some(source) => std::fs::read(&source)
                .map(Some)
                .map_err(|e| format!("cannot read `{path}`: {e}")),
            None => Ok(None),
        }
    }

    /// Finds `path` or says it is missing, prefixing errors with `func`.
    pub(crate) fn require(&self, path: &str, func: &str) -> TeraResult<Found> {
        match self.find(path) {
            Ok(Some(found)) => Ok(found),
            Ok(None) => Err(format!("`{path}`: `{func}` cannot find this file in the site root, static/, content/, the output folder or the theme's static/").into()),
            Err(e) => Err(format!("{e} (`{func}`)").into()),
        }
    }
}

/// `path` as a path on disk reads it: `a//b/./c` is `a/b/c`, and a
/// leading `/` is dropped.
fn normalized(path: &str) -> String {
    path.split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// True if the `..` components of a relative path climb above its start,
/// or if it is absolute after Zola's normalisation (a Windows prefix).
fn climbs_out(path: &str) -> bool {
    let mut depth = 0usize;
    for component in Path::new(path).components() {
        match component {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return true,
            },
            Component::RootDir | Component::Prefix(_) => return true,
        }
    }
    false
}

/// `load_data`'s formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Format {
    Toml,
    Json,
    Csv,
    Bibtex,
    Xml,
    Yaml,
    Plain,
}

impl Format {
    fn parse(name: &str) -> Option<Format> {
        Some(match name.to_lowercase().as_str() {
            "toml" => Format::Toml,
            "json" => Format::Json,
            "csv" => Format::Csv,
            "bibtex" => Format::Bibtex,
            "xml" => Format::Xml,
            "yaml" | "yml" => Format::Yaml,
            "plain" => Format::Plain,
            _ => return None,
        })
    }
}

/// What a `load_data` result is cached under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum CacheKey {
    File(PathBuf, Option<SystemTime>, Format),
    Literal(String, Format),
}

/// `load_data(path | literal | url, format?, required=true)`.
struct LoadData {
    files: Arc<SiteFiles>,
    cache: Mutex<HashMap<CacheKey, Value>>,
}

impl Function for LoadData {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        const F: &str = "load_data";
        let path = arg_str(args, "path", F)?;
        let url = arg_str(args, "url", F)?;
        let literal = arg_str(args, "literal", F)?;
        let required = arg_bool(args, "required", F, true)?;
        let format = match arg_str(args, "format", F)? {
            Some(name) => Some(Format::parse(&name).ok_or_else(|| {
                format!(
                    "`{name}`: unknown `load_data` format; use toml, json, csv, yaml, bibtex, xml or plain"
                )
            })?),
            None => None,
        };
        let given = [path.is_some(), url.is_some(), literal.is_some()];
        if given.iter().filter(|g| **g).count() != 1 {
            return Err(
                "`load_data` requires exactly one of a `path`, `url` or `literal` argument".into(),
            );
        }
        if let Some(url) = url {
            if !required {
                tracing::warn!("load_data: remote data `{url}` skipped (required = false)");
                return Ok(Value::Null);
            }
            return Err(format!(
                "`{url}`: remote load_data is not supported; download the file into the site and use `path`"
            )
            .into());
        }
        let (text, key, format) = if let Some(literal) = literal {
            let format = format.unwrap_or(Format::Plain);
            (
                Some(literal.clone()),
                CacheKey::Literal(literal, format),
                format,
            )
        } else {
            let path = path.unwrap_or_default();
            let found = match self.files.find(&path) {
                Ok(Some(found)) => found,
                // Confinement errors stay errors, even with `required = false`.
                Err(e) => return Err(format!("{e} (`load_data`)").into()),
                Ok(None) if !required => return Ok(Value::Null),
                Ok(None) => {
                    return Err(format!("`{path}`: `load_data` cannot find this file in the site root, static/, content/, the output folder or the theme's static/").into())
                }
            };
            let format = format.unwrap_or_else(|| {
                found
                    .path
                    .extension()
                    .and_then(|e| e.to_str())
                    .and_then(Format::parse)
                    .unwrap_or(Format::Plain)
            });
            let modified = std::fs::metadata(&found.path)
                .and_then(|m| m.modified())
                .ok();
            (None, CacheKey::File(found.path, modified, format), format)
        };
        if let Some(hit) = self
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return Ok(hit.clone());
        }
        let (text, name) = match (&key, text) {
            (_, Some(text)) => (text, "literal".to_string()),
            (CacheKey::File(file, ..), None) => {
                let rel = file
                    .strip_prefix(self.files.root())
                    .unwrap_or(file)
                    .display()
                    .to_string();
                let text = std::fs::read_to_string(file)
                    .map_err(|e| format!("`{rel}`: `load_data` cannot read it: {e}"))?;
                (text, rel)
            }
            (CacheKey::Literal(..), None) => unreachable!("a literal key always has its text"),
        };
        let value = parse_data(&text, format).map_err(|e| format!("`{name}`: {e}"))?;
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, value.clone());
        Ok(value)
    }
}

/// The 1-based line and character column of a byte offset into `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Parses `text` as `format` into the value templates see (Zola's shapes).
fn parse_data(text: &str, format: Format) -> Result<Value, String> {
    match format {
        Format::Plain => Ok(Value::String(text.to_string())),
        Format::Json => serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}")),
        Format::Yaml => crate::content::yaml::from_str(text).map_err(|e| {
            let (line, col) = line_col(text, e.offset);
            format!("invalid YAML at {line}:{col}: {}", e.message)
        }),
        Format::Toml => {
            let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
                let at = Some(crate::diagnostics::toml_error_offset(
                    text,
                    e.span(),
                    e.message(),
                ))
                .filter(|&start| start > 0 || e.span().is_some())
                .map(|start| {
                    let line = text[..start].matches('\n').count() + 1;
                    let col = text[..start]
                        .rsplit('\n')
                        .next()
                        .map_or(0, |l| l.chars().count())
                        + 1;
                    format!(" at {line}:{col}")
                })
                .unwrap_or_default();
                format!("invalid TOML{at}: {}", e.message())
            })?;
            Ok(table_to_json(&table))
        }
        Format::Csv => parse_csv(text),
        Format::Bibtex => parse_bibtex(text),
        Format::Xml => roxmltree_to_serde::xml_str_to_json(
            text,
            &roxmltree_to_serde::Config::new_with_defaults(),
        )
        .map_err(|e| format!("invalid XML: {e}")),
    }
}

/// CSV as Zola gives it: `{headers: [..], records: [[..], ..]}`.
fn parse_csv(text: &str) -> Result<Value, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<Value> = reader
        .headers()
        .map_err(|e| format!("cannot read the CSV header line: {e}"))?
        .iter()
        .map(|h| Value::String(h.to_string()))
        .collect();
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("invalid CSV record: {e}"))?;
        records.push(Value::Array(
            record
                .iter()
                .map(|f| Value::String(f.to_string()))
                .collect(),
        ));
    }
    let mut map = Map::new();
    map.insert("headers".into(), Value::Array(headers));
    map.insert("records".into(), Value::Array(records));
    Ok(Value::Object(map))
}

/// BibTeX as Zola gives it: `{preambles, comments, variables,
/// bibliographies: [{entry_type, citation_key, tags}]}`. Keys are sorted
/// (Zola's order is a hash map's, so it varies from run to run).
fn parse_bibtex(text: &str) -> Result<Value, String> {
    let bib = nom_bibtex::Bibtex::parse(text).map_err(|e| format!("invalid BibTeX: {e}"))?;
    let strings =
        |items: &[String]| Value::Array(items.iter().cloned().map(Value::String).collect());
    let sorted = |m: &HashMap<String, String>, lower: bool| {
        let mut pairs: Vec<(String, String)> = m
            .iter()
            .map(|(k, v)| (if lower { k.to_lowercase() } else { k.clone() }, v.clone()))
            .collect();
        pairs.sort();
        Value::Object(
            pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
        )
    };
    let bibliographies = bib
        .bibliographies()
        .iter()
        .map(|b| {
            let mut m = Map::new();
            m.insert(
                "entry_type".into(),
                Value::String(b.entry_type().to_string()),
            );
            m.insert(
                "citation_key".into(),
                Value::String(b.citation_key().to_string()),
            );
            m.insert("tags".into(), sorted(b.tags(), true));
            Value::Object(m)
        })
        .collect();
    let mut map = Map::new();
    map.insert("preambles".into(), strings(bib.preambles()));
    map.insert("comments".into(), strings(bib.comments()));
    map.insert("variables".into(), sorted(bib.variables(), false));
    map.insert("bibliographies".into(), Value::Array(bibliographies));
    Ok(Value::Object(map))
}

/// `get_hash(path | literal, sha_type=384, base64=true)`.
struct GetHash {
    files: Arc<SiteFiles>,
    generated: Arc<GeneratedFiles>,
}

impl Function for GetHash {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        const F: &str = "get_hash";
        let bytes = match (arg_str(args, "path", F)?, arg_str(args, "literal", F)?) {
            (Some(_), Some(_)) => {
                return Err("`get_hash`: give only one of `path` or `literal`".into())
            }
            (None, None) => {
                return Err("`get_hash` requires a `path` or a `literal` argument".into())
            }
            (Some(path), None) => match self.files.read(&path, &self.generated) {
                Ok(Some(bytes)) => bytes,
                Ok(None) => {
                    return Err(self.files.require(&path, F).err().unwrap_or_else(|| {
                        format!("`{path}`: `get_hash` cannot find this file").into()
                    }))
                }
                Err(e) => return Err(format!("{e} (`{F}`)").into()),
            },
            (None, Some(literal)) => literal.into_bytes(),
        };
        let sha = arg_uint(args, "sha_type", F, u64::MAX)?.unwrap_or(384);
        let base64 = arg_bool(args, "base64", F, true)?;
        Ok(Value::String(hash_bytes(&bytes, sha, base64)?))
    }
}

/// SHA-2 digest of `bytes`, in standard base64 or lowercase hex.
fn hash_bytes(bytes: &[u8], sha: u64, base64: bool) -> TeraResult<String> {
    use sha2::Digest;
    let digest: Vec<u8> = match sha {
        256 => sha2::Sha256::digest(bytes).to_vec(),
        384 => sha2::Sha384::digest(bytes).to_vec(),
        512 => sha2::Sha512::digest(bytes).to_vec(),
        other => {
            return Err(
                format!("`get_hash`: `sha_type` must be 256, 384 or 512, got {other}").into(),
            )
        }
    };
    Ok(if base64 {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(digest)
    } else {
        digest.iter().map(|b| format!("{b:02x}")).collect()
    })
}

/// `get_image_metadata(path, allow_missing=false)` →
/// `{width, height, format, mime}`.
struct GetImageMetadata {
    files: Arc<SiteFiles>,
    generated: Arc<GeneratedFiles>,
    cache: Mutex<HashMap<String, Value>>,
}

impl Function for GetImageMetadata {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        const F: &str = "get_image_metadata";
        let path =
            arg_str(args, "path", F)?.ok_or("`get_image_metadata` requires a `path` argument")?;
        let allow_missing = arg_bool(args, "allow_missing", F, false)?;
        let unified = normalized(&path);
        let copied = || {
            self.generated.copied(&unified).map(|source| Found {
                path: source,
                unified: unified.clone(),
            })
        };
        let found = match self.files.find(&path) {
            Ok(Some(found)) => found,
            // A page's or section's own files, at their output path.
            Ok(None) => match copied() {
                Some(found) => found,
                None if allow_missing => return Ok(Value::Null),
                None => {
                    return Err(
                        format!("`{path}`: `get_image_metadata` cannot find this file").into(),
                    )
                }
            },
            Err(e) => return Err(format!("{e} (`{F}`)").into()),
        };
        if let Some(hit) = self
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&found.unified)
        {
            return Ok(hit.clone());
        }
        let meta = read_image_metadata(&found.path)
            .map_err(|e| format!("`{path}`: `get_image_metadata` cannot read it: {e}"))?;
        let value = serde_json::json!({
            "width": meta.width, "height": meta.height, "format": meta.format, "mime": meta.mime,
        });
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(found.unified, value.clone());
        Ok(value)
    }
}

/// What `get_image_metadata` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImageMetadata {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) format: Option<&'static str>,
    pub(crate) mime: Option<&'static str>,
}

/// Reads an image's size cheaply (header only), turned as its EXIF
/// orientation says; SVG from `width`/`height`, else the `viewBox`.
pub(crate) fn read_image_metadata(path: &Path) -> Result<ImageMetadata, String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    if ext == "svg" {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let svg = svg_metadata::Metadata::parse(text).map_err(|e| e.to_string())?;
        let (w, h) = match (svg.width(), svg.height(), svg.view_box()) {
            (Some(w), Some(h), _) => (w, h),
            (_, _, Some(vb)) => (vb.width, vb.height),
            _ => return Err("the SVG sets neither width and height nor a viewBox".into()),
        };
        return Ok(ImageMetadata {
            width: w as u32,
            height: h as u32,
            format: Some("svg"),
            // Zola's value, kept for compatibility.
            mime: Some("text/svg+xml"),
        });
    }
    let (size, format) = read_size(path)?;
    Ok(ImageMetadata {
        width: size.0,
        height: size.1,
        format: format.and_then(|f| f.extensions_str().first().copied()),
        mime: format.map(|f| f.to_mime_type()),
    })
}

/// Size (after EXIF orientation) and format, from the header only.
pub(crate) fn read_size(path: &Path) -> Result<((u32, u32), Option<ImageFormat>), String> {
    let reader = ImageReader::open(path)
        .and_then(ImageReader::with_guessed_format)
        .map_err(|e| e.to_string())?;
    let format = reader.format();
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    use image::metadata::Orientation::*;
    let size = match decoder.orientation().unwrap_or(NoTransforms) {
        Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH => (h, w),
        _ => (w, h),
    };
    Ok((size, format))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn climbing_out_is_detected_lexically() {
        assert!(climbs_out("../secret.txt"));
        assert!(climbs_out("static/../../x"));
        assert!(!climbs_out("static/../data.toml"));
        assert!(!climbs_out("./a/b"));
    }

    #[test]
    fn formats_parse_as_zola_shapes() {
        let csv = parse_data("a,b\n1,2\n", Format::Csv).unwrap();
        assert_eq!(
            csv,
            serde_json::json!({"headers": ["a", "b"], "records": [["1", "2"]]})
        );
        let toml = parse_data("x = 1979-05-27\n[t]\ny = 'z'\n", Format::Toml).unwrap();
        assert_eq!(
            toml,
            serde_json::json!({"x": "1979-05-27", "t": {"y": "z"}})
        );
        let xml = parse_data("<root><a>1</a><a>2</a></root>", Format::Xml).unwrap();
        assert_eq!(xml, serde_json::json!({"root": {"a": [1, 2]}}));
        let err = parse_data("x = ", Format::Toml).unwrap_err();
        assert!(err.starts_with("invalid TOML at 1:"), "{err}");
    }

    #[test]
    fn hashes_match_known_digests() {
        assert_eq!(
            hash_bytes(b"abc", 256, false).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hash_bytes(b"abc", 256, true).unwrap(),
            "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
        assert!(hash_bytes(b"abc", 1, true).is_err());
    }
}

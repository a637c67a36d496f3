//! Zola's `resize_image(path, width, height, op="fill", format="auto",
//! quality, speed)`: the template call only reads the image's header,
//! answers `{url, static_path, width, height, orig_width, orig_height}` and
//! queues the work; [`process`] then resizes every queued image in
//! parallel after rendering, as Zola does.
//!
//! Resized files are named `{stem}.{hash}.{ext}` with Zola's hash (so the
//! names match Zola's) and cached where Zola keeps them,
//! `static/processed_images/`: an image whose output is newer than its
//! source is not redone, and files there that no template asked for are
//! pruned. That folder is the one place under `render` that writes to disk
//! (a persistent cache, like Zola's); the resized files reach the output
//! through the [`OutputSet`].
//!
//! Supports jpg, png and webp output (webp is always lossless here; avif is
//! refused). Reads only files inside the site root ([`SiteFiles`]).

use super::args::{arg_str, arg_uint};
use super::data::{read_size, SiteFiles};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::OutputSet;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use tera::{Function, Result as TeraResult};

/// The folder (under `static/` and under the output) for resized images.
pub(crate) const RESIZED_SUBDIR: &str = "processed_images";

/// Registers `resize_image`.
pub(super) fn register(tera: &mut tera::Tera, config: &Config, queue: &Arc<ImageQueue>) {
    tera.register_function(
        "resize_image",
        ResizeImage {
            queue: queue.clone(),
            resized_url: config.make_permalink(RESIZED_SUBDIR),
            files: SiteFiles::new(config),
        },
    );
}

/// Resize work queued by templates during one build, keyed by output file
/// name (so the same request made twice is done once).
#[derive(Debug, Default)]
pub(crate) struct ImageQueue {
    state: Mutex<QueueState>,
}

#[derive(Debug, Default)]
struct QueueState {
    ops: BTreeMap<String, ImageOp>,
    /// Header reads, so each source is opened once per build.
    sizes: HashMap<PathBuf, ((u32, u32), Option<ImageFormat>)>,
}

/// One queued resize.
#[derive(Debug, Clone)]
struct ImageOp {
    input: PathBuf,
    instructions: Instructions,
    format: OutFormat,
}

/// Zola's `ResizeOperation`, with the same variants in the same order: its
/// derived `Hash` feeds the output file name, which must match Zola's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ResizeOp {
    Scale(u32, u32),
    FitWidth(u32),
    FitHeight(u32),
    Fit(u32, u32),
    Fill(u32, u32),
}

impl ResizeOp {
    fn from_args(op: &str, width: Option<u32>, height: Option<u32>) -> Result<ResizeOp, String> {
        let need = |v: Option<u32>, what: &str| {
            v.ok_or_else(|| format!("op=\"{op}\" requires a `{what}` argument"))
        };
        Ok(match op {
            "scale" => ResizeOp::Scale(need(width, "width")?, need(height, "height")?),
            "fit_width" => ResizeOp::FitWidth(need(width, "width")?),
            "fit_height" => ResizeOp::FitHeight(need(height, "height")?),
            "fit" => ResizeOp::Fit(need(width, "width")?, need(height, "height")?),
            "fill" => ResizeOp::Fill(need(width, "width")?, need(height, "height")?),
            other => {
                return Err(format!(
                    "invalid operation `{other}`; use scale, fit_width, fit_height, fit or fill"
                ))
            }
        })
    }
}

/// Crop (x, y, w, h) first, then resize to (w, h); Zola's arithmetic.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Instructions {
    crop: Option<(u32, u32, u32, u32)>,
    resize: Option<(u32, u32)>,
}

impl Instructions {
    fn new(op: ResizeOp, (orig_w, orig_h): (u32, u32)) -> Instructions {
        let resize = |size| Instructions {
            crop: None,
            resize: Some(size),
        };
        match op {
            ResizeOp::Scale(w, h) => resize((w, h)),
            ResizeOp::FitWidth(w) => {
                let h = u64::from(orig_h) * u64::from(w) / u64::from(orig_w.max(1));
                resize((w, h as u32))
            }
            ResizeOp::FitHeight(h) => {
                let w = u64::from(orig_w) * u64::from(h) / u64::from(orig_h.max(1));
                resize((w as u32, h))
            }
            ResizeOp::Fit(w, h) => {
                if orig_w <= w && orig_h <= h {
                    return Instructions::default();
                }
                if u64::from(orig_w) * u64::from(h) > u64::from(orig_h) * u64::from(w) {
                    Instructions::new(ResizeOp::FitWidth(w), (orig_w, orig_h))
                } else {
                    Instructions::new(ResizeOp::FitHeight(h), (orig_w, orig_h))
                }
            }
            ResizeOp::Fill(w, h) => {
                const RATIO_EPSILON: f32 = 0.1;
                let factor_w = orig_w as f32 / w as f32;
                let factor_h = orig_h as f32 / h as f32;
                if (factor_w - factor_h).abs() <= RATIO_EPSILON {
                    return resize((w, h));
                }
                let (crop_w, crop_h) = if factor_w < factor_h {
                    (orig_w, (factor_w * h as f32).round() as u32)
                } else {
                    ((factor_h * w as f32).round() as u32, orig_h)
                };
                let (x, y) = if factor_w < factor_h {
                    (0, orig_h.saturating_sub(crop_h) / 2)
                } else {
                    (orig_w.saturating_sub(crop_w) / 2, 0)
                };
                Instructions {
                    crop: Some((x, y, crop_w, crop_h)),
                    resize: Some((w, h)),
                }
            }
        }
    }
}

/// Output format; `quality` of webp `None` means lossless.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OutFormat {
    Jpeg { quality: u8 },
    Png,
    WebP { quality: Option<u8> },
}

impl OutFormat {
    fn from_args(
        lossy_source: bool,
        format: &str,
        quality: Option<u8>,
    ) -> Result<OutFormat, String> {
        let format = match (format, lossy_source) {
            ("auto", true) => "jpeg",
            ("auto", false) => "png",
            (other, _) => other,
        };
        match format {
            "jpeg" | "jpg" => match quality.unwrap_or(75) {
                q @ 1..=100 => Ok(OutFormat::Jpeg { quality: q }),
                q => Err(format!(
                    "quality for JPEG must be between 1 and 100 (inclusive); {q} is not valid"
                )),
            },
            "png" => Ok(OutFormat::Png),
            "webp" => match quality {
                Some(0..=100) | None => Ok(OutFormat::WebP { quality }),
                Some(q) => Err(format!(
                    "quality for WebP must be between 0 and 100 (inclusive); {q} is not valid"
                )),
            },
            "avif" => Err("avif output is not supported by handbok; use webp, jpg or png".into()),
            other => Err(format!(
                "invalid image format `{other}`; use auto, jpg, png or webp"
            )),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            OutFormat::Jpeg { .. } => "jpg",
            OutFormat::Png => "png",
            OutFormat::WebP { .. } => "webp",
        }
    }

    /// Zola's `Hash` for its `Format`: extension, quality, speed.
    fn hash_into(self, hasher: &mut DefaultHasher) {
        let quality: i16 = match self {
            OutFormat::Png | OutFormat::WebP { quality: None } => -1,
            OutFormat::Jpeg { quality }
            | OutFormat::WebP {
                quality: Some(quality),
            } => quality.into(),
        };
        hasher.write(self.extension().as_bytes());
        hasher.write_i16(quality);
        hasher.write_i16(-1);
    }
}

/// Zola's output name: `{stem}.{hash:016x}.{ext}`, the hash over the
/// unified source path, the operation and the format (std's
/// `DefaultHasher`, as Zola).
fn processed_filename(unified: &str, op: ResizeOp, format: OutFormat) -> String {
    let mut hasher = DefaultHasher::new();
    hasher.write(unified.as_bytes());
    op.hash(&mut hasher);
    format.hash_into(&mut hasher);
    let stem = Path::new(unified)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "unknown".into());
    format!("{stem}.{:016x}.{}", hasher.finish(), format.extension())
}

/// Zola's rule: formats it does not know, or that are lossy, give jpg.
fn is_lossy(format: Option<ImageFormat>) -> bool {
    use ImageFormat::*;
    !matches!(
        format.unwrap_or(Jpeg),
        Png | Pnm | Tiff | Tga | Bmp | Ico | Hdr | Farbfeld
    )
}

/// `resize_image(..)`.
struct ResizeImage {
    queue: Arc<ImageQueue>,
    /// Where resized images are published.
    resized_url: String,
    files: SiteFiles,
}

impl Function for ResizeImage {
    fn call(&self, args: &HashMap<String, Value>) -> TeraResult<Value> {
        const F: &str = "resize_image";
        let path = arg_str(args, "path", F)?.ok_or("`resize_image` requires a `path` argument")?;
        let op = arg_str(args, "op", F)?.unwrap_or_else(|| "fill".into());
        // The dimension an op does not use is ignored, whatever it is
        // (Zola's documentation passes 0 for it).
        let unused = match op.as_str() {
            "fit_width" => Some("height"),
            "fit_height" => Some("width"),
            _ => None,
        };
        let dim = |name| -> TeraResult<Option<u32>> {
            if unused == Some(name) {
                return Ok(None);
            }
            let v = arg_uint(args, name, F, u64::from(u32::MAX))?;
            if v == Some(0) {
                return Err(format!("`resize_image`: `{name}` must be at least 1").into());
            }
            Ok(v.map(|v| v as u32))
        };
        let (width, height) = (dim("width")?, dim("height")?);
        let format = arg_str(args, "format", F)?.unwrap_or_else(|| "auto".into());
        let quality = arg_uint(args, "quality", F, 255)?.map(|q| q as u8);
        let op = ResizeOp::from_args(&op, width, height)
            .map_err(|e| format!("`{path}`: `resize_image`: {e}"))?;
        let found = self.files.require(&path, F)?;
        let mut state = self
            .queue
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (size, source_format) = match state.sizes.get(&found.path) {
            Some(known) => *known,
            None => {
                let read = read_size(&found.path)
                    .map_err(|e| format!("`{path}`: `resize_image` cannot read the image: {e}"))?;
                state.sizes.insert(found.path.clone(), read);
                read
            }
        };
        let format = OutFormat::from_args(is_lossy(source_format), &format, quality)
            .map_err(|e| format!("`{path}`: `resize_image`: {e}"))?;
        let filename = processed_filename(&found.unified, op, format);
        let instructions = Instructions::new(op, size);
        let (w, h) = instructions.resize.unwrap_or(size);
        state.ops.insert(
            filename.clone(),
            ImageOp {
                input: found.path,
                instructions,
                format,
            },
        );
        let url = format!("{}{filename}", self.resized_url);
        Ok(serde_json::json!({
            "url": url,
            "static_path": format!("static/{RESIZED_SUBDIR}/{filename}"),
            "width": w,
            "height": h,
            "orig_width": size.0,
            "orig_height": size.1,
        }))
    }
}

/// Resizes every queued image into `static/processed_images/` (skipping
/// those whose output is newer than the source), prunes files there that
/// this build did not ask for, and adds each result to `out` under
/// `processed_images/`. Problems are error diagnostics on the source image.
pub(crate) fn process(
    queue: &ImageQueue,
    config: &Config,
    out: &mut OutputSet,
    diags: &Diagnostics,
) {
    let ops = std::mem::take(
        &mut queue
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .ops,
    );
    let files = SiteFiles::new(config);
    let dir = files.root().join("static").join(RESIZED_SUBDIR);
    let display = format!("static/{RESIZED_SUBDIR}");
    let escapes = |p: &Path| p.exists() && !p.canonicalize().is_ok_and(|c| files.contains(&c));
    if escapes(&files.root().join("static")) || escapes(&dir) {
        diags.push(
            Diagnostic::error(
                "image::cache-outside-root",
                format!("`{display}` leads outside the site root; resized images were not written"),
            )
            .in_file(&display)
            .with_help("replace the symbolic link with a real folder inside the site"),
        );
        return;
    }
    if !dir.exists() && ops.is_empty() {
        return;
    }
    if let Err(e) = std::fs::create_dir_all(&dir) {
        diags.push(
            Diagnostic::error("image::write", format!("cannot create `{display}`: {e}"))
                .in_file(&display),
        );
        return;
    }
    prune(&dir, &ops, out);
    let results: Vec<(String, Result<(), String>)> = ops
        .par_iter()
        .map(|(name, op)| {
            let target = dir.join(name);
            let result = if is_fresh(&op.input, &target) {
                Ok(())
            } else {
                perform(op, &target)
            };
            (name.clone(), result)
        })
        .collect();
    for (name, result) in results {
        match result {
            Ok(()) => out.copy(format!("{RESIZED_SUBDIR}/{name}"), dir.join(&name)),
            Err(e) => {
                let op = &ops[&name];
                let source = op
                    .input
                    .strip_prefix(files.root())
                    .unwrap_or(&op.input)
                    .to_path_buf();
                diags.push(
                    Diagnostic::error("image::resize", format!("cannot resize the image: {e}"))
                        .in_file(source)
                        .with_help("check that the file is a valid jpg, png, gif or webp image"),
                );
            }
        }
    }
}

/// Deletes files in the cache folder that no template asked for (Zola's
/// `prune`), and drops them from `out` where static copying added them.
fn prune(dir: &Path, ops: &BTreeMap<String, ImageOp>, out: &mut OutputSet) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_file() && !ops.contains_key(&name) {
            if let Err(e) = std::fs::remove_file(&path) {
                tracing::warn!("cannot prune {}: {e}", path.display());
                continue;
            }
            out.files.remove(&format!("{RESIZED_SUBDIR}/{name}"));
        }
    }
}

/// True if `target` exists and is not older than `source`.
fn is_fresh(source: &Path, target: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(source), modified(target)) {
        (Some(s), Some(t)) => t >= s,
        _ => false,
    }
}

/// The most memory one image's decoded pixels may take. A few kilobytes of
/// compressed PNG can claim gigabytes of pixels (a decompression bomb);
/// 512 MiB still holds a 130-megapixel RGBA photo.
const MAX_DECODED_BYTES: u64 = 512 << 20;

/// The image crate's own limits for a decoder's allocations.
fn decode_limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    limits
}

/// Refuses, from the header alone, an image whose pixels would take more
/// than [`MAX_DECODED_BYTES`]: the decoder's limits do not cover the
/// buffer the pixels are decoded into.
fn check_decoded_size(decoder: &impl ImageDecoder) -> Result<(), String> {
    let bytes = decoder.total_bytes();
    if bytes <= MAX_DECODED_BYTES {
        return Ok(());
    }
    let (w, h) = decoder.dimensions();
    Err(format!(
        "the image is {w}×{h} pixels, which would take {} MiB to decode; the limit is {} MiB",
        bytes >> 20,
        MAX_DECODED_BYTES >> 20
    ))
}

/// Decodes, orients, crops, resizes and encodes one image, writing it
/// beside `target` first and renaming, so a half-written file never shows.
fn perform(op: &ImageOp, target: &Path) -> Result<(), String> {
    let mut reader = ImageReader::open(&op.input)
        .and_then(ImageReader::with_guessed_format)
        .map_err(|e| e.to_string())?;
    reader.limits(decode_limits());
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    check_decoded_size(&decoder)?;
    let icc = decoder.icc_profile().ok().flatten();
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    img.apply_orientation(orientation);
    if let Some((x, y, w, h)) = op.instructions.crop {
        img = img.crop_imm(x, y, w, h);
    }
    if let Some((w, h)) = op.instructions.resize {
        img = img.resize_exact(w, h, image::imageops::FilterType::Lanczos3);
    }
    let bytes = encode(&img, op.format, icc)?;
    let tmp = target.with_file_name(format!(
        ".{}.{}.tmp",
        target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, target).map_err(|e| format!("cannot write {}: {e}", target.display()))
}

fn encode(img: &DynamicImage, format: OutFormat, icc: Option<Vec<u8>>) -> Result<Vec<u8>, String> {
    use image::codecs::{jpeg::JpegEncoder, png::PngEncoder, webp::WebPEncoder};
    use image::ImageEncoder;
    let mut buf = Vec::new();
    let with_icc = |encoder: &mut dyn ImageEncoder| {
        if let Some(icc) = icc.clone() {
            // Not every encoder embeds profiles; the image is still right
            // for sRGB sources, which is nearly all of them.
            let _ = encoder.set_icc_profile(icc);
        }
    };
    let result = match format {
        OutFormat::Png => {
            let mut encoder = PngEncoder::new(&mut buf);
            with_icc(&mut encoder);
            img.write_with_encoder(encoder)
        }
        OutFormat::Jpeg { quality } => {
            let mut encoder = JpegEncoder::new_with_quality(&mut buf, quality);
            with_icc(&mut encoder);
            DynamicImage::ImageRgb8(img.to_rgb8()).write_with_encoder(encoder)
        }
        OutFormat::WebP { .. } => {
            // The `image` crate's WebP encoder is lossless only; Zola uses
            // libwebp for lossy WebP. Same size and name, larger file.
            let mut encoder = WebPEncoder::new_lossless(&mut buf);
            with_icc(&mut encoder);
            if img.color().has_alpha() {
                DynamicImage::ImageRgba8(img.to_rgba8()).write_with_encoder(encoder)
            } else {
                DynamicImage::ImageRgb8(img.to_rgb8()).write_with_encoder(encoder)
            }
        }
    };
    result.map_err(|e| e.to_string())?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_follow_zola() {
        let fill = Instructions::new(ResizeOp::Fill(100, 100), (400, 200));
        assert_eq!(fill.crop, Some((100, 0, 200, 200)));
        assert_eq!(fill.resize, Some((100, 100)));
        let fit = Instructions::new(ResizeOp::Fit(100, 100), (400, 200));
        assert_eq!(fit.resize, Some((100, 50)));
        assert_eq!(
            Instructions::new(ResizeOp::Fit(1000, 1000), (400, 200)),
            Instructions::default()
        );
        let fit_h = Instructions::new(ResizeOp::FitHeight(50), (400, 200));
        assert_eq!(fit_h.resize, Some((100, 50)));
    }

    #[test]
    fn file_names_are_stable_and_distinct() {
        let a = processed_filename("static/a.png", ResizeOp::Fill(10, 10), OutFormat::Png);
        let b = processed_filename("static/a.png", ResizeOp::Fill(10, 11), OutFormat::Png);
        assert!(a.starts_with("a.") && a.ends_with(".png"), "{a}");
        assert_eq!(a.len(), "a.".len() + 16 + ".png".len());
        assert_ne!(a, b);
        assert_eq!(
            a,
            processed_filename("static/a.png", ResizeOp::Fill(10, 10), OutFormat::Png)
        );
    }

    /// A PNG that claims `w`×`h` RGBA pixels: a valid header and a few
    /// bytes of image data, as a decompression bomb starts.
    fn png_claiming(w: u32, h: u32) -> Vec<u8> {
        fn crc32(bytes: &[u8]) -> u32 {
            let mut crc = !0u32;
            for &b in bytes {
                crc ^= u32::from(b);
                for _ in 0..8 {
                    crc = if crc & 1 == 1 {
                        (crc >> 1) ^ 0xEDB8_8320
                    } else {
                        crc >> 1
                    };
                }
            }
            !crc
        }
        fn chunk(png: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
            png.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let start = png.len();
            png.extend_from_slice(kind);
            png.extend_from_slice(data);
            let crc = crc32(&png[start..]);
            png.extend_from_slice(&crc.to_be_bytes());
        }
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&w.to_be_bytes());
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        chunk(&mut png, b"IHDR", &ihdr);
        chunk(&mut png, b"IDAT", &[0x78, 0x9c, 0x03, 0x00]);
        chunk(&mut png, b"IEND", &[]);
        png
    }

    #[test]
    fn a_decompression_bomb_is_refused_from_its_header() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let input = dir.path().join("bomb.png");
        let bomb = png_claiming(30_000, 30_000);
        assert!(bomb.len() < 100, "the bomb is tiny: {} bytes", bomb.len());
        std::fs::write(&input, bomb).unwrap_or_else(|e| panic!("{e}"));
        let op = ImageOp {
            input,
            instructions: Instructions::new(ResizeOp::Fit(100, 100), (30_000, 30_000)),
            format: OutFormat::Png,
        };
        let target = dir.path().join("small.png");
        let err = perform(&op, &target).err().unwrap_or_default();
        assert!(err.contains("30000×30000 pixels"), "{err}");
        assert!(err.contains("limit is 512 MiB"), "{err}");
        assert!(!target.exists());
    }

    #[test]
    fn formats_are_chosen_as_zola() {
        assert_eq!(
            OutFormat::from_args(true, "auto", None),
            Ok(OutFormat::Jpeg { quality: 75 })
        );
        assert_eq!(
            OutFormat::from_args(false, "auto", None),
            Ok(OutFormat::Png)
        );
        assert!(OutFormat::from_args(false, "avif", None).is_err());
        assert!(OutFormat::from_args(false, "jpg", Some(0)).is_err());
    }
}

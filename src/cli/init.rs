//! `handbok init [DIR]`: a new site skeleton, as `zola init` makes it
//! (`config.toml` with Zola 0.22's keys, `content/`, `sass/`, `static/`,
//! `templates/`, `themes/`), with a flag for each of Zola's questions
//! instead of a prompt; with `--handbook`, a whole handbook instead (see
//! `init_handbook`). A folder with anything but dotfiles in it is
//! refused unless `--force`; existing files are never overwritten.

use anyhow::{bail, Context};
use clap::{ArgAction, Args};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `handbok init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the site in (created if missing)
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
    /// The URL the site will be built for
    #[arg(long, value_name = "URL", default_value = "https://example.com")]
    pub base_url: String,
    /// Compile Sass from sass/ (also creates the folder)
    #[arg(
        long,
        value_name = "BOOL",
        action = ArgAction::Set,
        num_args = 0..=1,
        require_equals = true,
        default_value_t = true,
        default_missing_value = "true"
    )]
    pub sass: bool,
    /// Highlight code blocks
    #[arg(
        long,
        value_name = "BOOL",
        action = ArgAction::Set,
        num_args = 0..=1,
        require_equals = true,
        default_value_t = false,
        default_missing_value = "true"
    )]
    pub highlight: bool,
    /// Build a search index of the content
    #[arg(
        long,
        value_name = "BOOL",
        action = ArgAction::Set,
        num_args = 0..=1,
        require_equals = true,
        default_value_t = false,
        default_missing_value = "true"
    )]
    pub search: bool,
    /// Use the folder even if it is not empty (existing files are kept)
    #[arg(short = 'f', long)]
    pub force: bool,
    /// Create a governance handbook (roles, glossary, an example document of each kind, a yearly review, CI job) that uses the built-in handbok theme
    #[arg(long)]
    pub handbook: bool,
}

/// The `[markdown]` lines with highlighting on, in Zola 0.22's form.
const HIGHLIGHT_ON: &str = "# Code blocks are highlighted; choose another of Zola's themes here
[markdown.highlighting]
theme = \"github-light\"";

/// The `[markdown]` lines with highlighting off.
const HIGHLIGHT_OFF: &str = "# To highlight code blocks, uncomment these lines and choose a theme
# [markdown.highlighting]
# theme = \"github-light\"";

/// `zola init`'s config, with its comments, in Zola 0.22's keys.
const CONFIG: &str = r#"# The URL the site will be built for
base_url = "%BASE_URL%"

# Whether to automatically compile all Sass files in the sass directory
compile_sass = %COMPILE_SASS%

# Whether to build a search index to be used later on by a JavaScript library
build_search_index = %SEARCH%

[markdown]
%HIGHLIGHT%

[extra]
# Put all your custom variables here
"#;

pub(super) fn run(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let dir = &args.dir;
    if !looks_like_url(&args.base_url) {
        bail!(
            "`{}` is not a URL; give --base-url as `https://example.com` (or `/`)",
            args.base_url
        );
    }
    if dir.exists() && !dir.is_dir() {
        bail!("`{}` exists and is not a folder", dir.display());
    }
    if dir.is_dir() && !is_quasi_empty(dir)? && !args.force {
        bail!(
            "`{}` is not an empty folder (hidden files are ignored); use --force to add a site to it \
             without overwriting anything",
            dir.display()
        );
    }
    if args.handbook {
        return run_handbook(args);
    }
    let config = plain_config(args.sass, args.search, args.highlight, &args.base_url);
    let kept = populate(dir, args.sass, &config)?;
    let mut out = std::io::stdout().lock();
    for path in kept {
        writeln!(out, "Kept the existing {}", path.display())?;
    }
    writeln!(out, "Done! Your site was created in {}", dir.display())?;
    writeln!(
        out,
        "Get started by moving into the folder and running `handbok serve`"
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `init --handbook`: the handbook's files, dated today.
fn run_handbook(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let fill = super::init_handbook::Fill {
        base_url: &args.base_url,
        today: chrono::Local::now().date_naive(),
    };
    let kept = super::init_handbook::write(&args.dir, &fill)?;
    let started = super::init_handbook::start_repository(&args.dir)?;
    let mut out = std::io::stdout().lock();
    for path in kept {
        writeln!(out, "Kept the existing {}", path.display())?;
    }
    if started {
        writeln!(out, "Started a git repository in {}", args.dir.display())?;
    }
    writeln!(
        out,
        "Done! A handbook was created in {}",
        args.dir.display()
    )?;
    writeln!(
        out,
        "Get started by moving into the folder and running `handbok serve`; \
         `handbok new anvisning \"Titel\"` adds a document"
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The plain site's `config.toml`.
fn plain_config(sass: bool, search: bool, highlight: bool, base_url: &str) -> String {
    CONFIG
        .replace("%BASE_URL%", base_url)
        .replace("%COMPILE_SASS%", &sass.to_string())
        .replace("%SEARCH%", &search.to_string())
        .replace(
            "%HIGHLIGHT%",
            if highlight {
                HIGHLIGHT_ON
            } else {
                HIGHLIGHT_OFF
            },
        )
}

fn looks_like_url(url: &str) -> bool {
    url == "/"
        || url
            .split_once("://")
            .is_some_and(|(scheme, rest)| !scheme.is_empty() && !rest.is_empty())
}

/// True if `dir` holds nothing but dotfiles (Zola's rule).
fn is_quasi_empty(dir: &Path) -> anyhow::Result<bool> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("could not read `{}`", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("could not read `{}`", dir.display()))?;
        if !entry.file_name().to_string_lossy().starts_with('.') {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Creates the folders and `config.toml`; returns what already existed
/// and was left alone.
fn populate(dir: &Path, sass: bool, config: &str) -> anyhow::Result<Vec<PathBuf>> {
    let mut kept = Vec::new();
    std::fs::create_dir_all(dir)
        .with_context(|| format!("could not create `{}`", dir.display()))?;
    let config_path = dir.join("config.toml");
    if config_path.exists() || dir.join("zola.toml").exists() {
        kept.push(if config_path.exists() {
            config_path
        } else {
            dir.join("zola.toml")
        });
    } else {
        // `create_new` fails rather than overwrite, should the file appear meanwhile.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&config_path)
            .with_context(|| format!("could not create `{}`", config_path.display()))?;
        file.write_all(config.as_bytes())
            .with_context(|| format!("could not write `{}`", config_path.display()))?;
    }
    let mut folders = vec!["content", "templates", "static", "themes"];
    if sass {
        folders.insert(1, "sass");
    }
    for name in folders {
        let path = dir.join(name);
        if path.exists() {
            kept.push(path);
            continue;
        }
        std::fs::create_dir(&path)
            .with_context(|| format!("could not create `{}`", path.display()))?;
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(looks_like_url("https://example.com"));
        assert!(looks_like_url("/"));
        assert!(!looks_like_url("example.com"));
    }

    #[test]
    fn the_config_parses_with_zola_022_keys() {
        let text = plain_config(true, false, true, "https://example.com");
        assert!(!text.contains("highlight_code"), "pre-0.22 key written");
        let config = crate::config::Config::from_str_for_tests(&text)
            .unwrap_or_else(|d| panic!("{:?}", d.sorted()));
        assert!(config.compile_sass);
        assert!(config.markdown.highlighting.is_some());
        let off = plain_config(true, false, false, "https://example.com");
        assert!(!off.contains("highlight_code"), "pre-0.22 key written");
        let config = crate::config::Config::from_str_for_tests(&off)
            .unwrap_or_else(|d| panic!("{:?}", d.sorted()));
        assert!(config.markdown.highlighting.is_none());
    }
}

//! Code blocks: syntect highlighting (inline styles or `z-` classes) and the
//! `<pre><code>` shapes of Zola ≤0.21, plus 0.22's plain shape when
//! highlighting is off and the site uses 0.22's keys.
//!
//! Owns the syntect sets (defaults once per process, extra syntaxes and
//! themes once per build), theme lookup, the class-mode stylesheets and the
//! HTML of one code block. Must not parse Markdown or raise diagnostics
//! (it reports unknown languages to the caller).

use super::escape;
use super::fence::FenceSettings;
use crate::config::{Config, HighlightStyle, MarkdownConfig};
use crate::diagnostics::Diagnostic;
use std::fmt::Write as _;
use std::sync::OnceLock;
use syntect::easy::HighlightLines;
use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::html::{
    css_for_theme_with_class_style, line_tokens_to_classed_spans, styled_line_to_highlighted_html,
    ClassStyle, IncludeBackground,
};
use syntect::parsing::{
    ParseState, Scope, ScopeStack, SyntaxDefinition, SyntaxReference, SyntaxSet, SyntaxSetBuilder,
};
use syntect::util::LinesWithEndings;
use two_face::theme::LazyThemeSet;

/// Zola's class prefix for highlighted tokens (`z-source z-rust`).
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "z-" };

/// Zola's theme names mapped to the names in the bundled set (bat's
/// themes, via two-face), so that a Zola `highlight_theme` works unchanged.
/// Other Zola themes need a `.tmTheme` in `extra_syntaxes_and_themes`.
const THEME_ALIASES: &[(&str, &str)] = &[
    ("base16-ocean-dark", "base16-ocean.dark"),
    ("base16-ocean-light", "base16-ocean.light"),
    ("base16-eighties-dark", "base16-eighties.dark"),
    ("base16-mocha-dark", "base16-mocha.dark"),
    ("inspired-github", "InspiredGitHub"),
    ("solarized-dark", "Solarized (dark)"),
    ("solarized-light", "Solarized (light)"),
    ("dracula", "Dracula"),
    ("nord", "Nord"),
    ("gruvbox-dark", "gruvbox-dark"),
    ("gruvbox-light", "gruvbox-light"),
    ("OneHalfDark", "OneHalfDark"),
    ("OneHalfLight", "OneHalfLight"),
    ("two-dark", "TwoDark"),
    ("zenburn", "zenburn"),
    ("1337", "1337"),
    ("monokai", "Monokai Extended"),
];

/// Zola 0.22 highlights with giallo, whose themes are VS Code's: each maps
/// to the closest syntect theme (a warning says so), so that a 0.22 site
/// builds unchanged.
const GIALLO_THEMES: &[(&str, &str)] = &[
    ("github-light", "GitHub"),
    ("github-light-default", "GitHub"),
    ("github-light-high-contrast", "GitHub"),
    ("light-plus", "InspiredGitHub"),
    ("min-light", "InspiredGitHub"),
    ("one-light", "OneHalfLight"),
    ("catppuccin-latte", "Catppuccin Latte"),
    ("everforest-light", "gruvbox-light"),
    ("gruvbox-light-hard", "gruvbox-light"),
    ("gruvbox-light-medium", "gruvbox-light"),
    ("gruvbox-light-soft", "gruvbox-light"),
    ("kanagawa-lotus", "base16-ocean.light"),
    ("material-theme-lighter", "base16-ocean.light"),
    ("rose-pine-dawn", "base16-ocean.light"),
    ("slack-ochin", "base16-ocean.light"),
    ("snazzy-light", "base16-ocean.light"),
    ("vitesse-light", "base16-ocean.light"),
    ("github-dark", "OneHalfDark"),
    ("github-dark-default", "OneHalfDark"),
    ("github-dark-dimmed", "OneHalfDark"),
    ("github-dark-high-contrast", "OneHalfDark"),
    ("dark-plus", "OneHalfDark"),
    ("dracula-soft", "Dracula"),
    ("one-dark-pro", "OneHalfDark"),
    ("gruvbox-dark-hard", "gruvbox-dark"),
    ("gruvbox-dark-medium", "gruvbox-dark"),
    ("gruvbox-dark-soft", "gruvbox-dark"),
    ("everforest-dark", "gruvbox-dark"),
    ("andromeeda", "base16-ocean.dark"),
    ("aurora-x", "base16-ocean.dark"),
    ("ayu-dark", "base16-ocean.dark"),
    ("catppuccin-frappe", "Catppuccin Frappe"),
    ("catppuccin-macchiato", "Catppuccin Macchiato"),
    ("catppuccin-mocha", "Catppuccin Mocha"),
    ("houston", "base16-ocean.dark"),
    ("kanagawa-dragon", "base16-mocha.dark"),
    ("kanagawa-wave", "base16-ocean.dark"),
    ("laserwave", "Sublime Snazzy"),
    ("material-theme", "base16-ocean.dark"),
    ("material-theme-darker", "base16-ocean.dark"),
    ("material-theme-ocean", "base16-ocean.dark"),
    ("material-theme-palenight", "base16-ocean.dark"),
    ("min-dark", "base16-eighties.dark"),
    ("night-owl", "base16-ocean.dark"),
    ("plastic", "base16-ocean.dark"),
    ("poimandres", "base16-ocean.dark"),
    ("red", "base16-mocha.dark"),
    ("rose-pine", "base16-mocha.dark"),
    ("rose-pine-moon", "base16-mocha.dark"),
    ("slack-dark", "base16-eighties.dark"),
    ("synthwave-84", "Sublime Snazzy"),
    ("tokyo-night", "base16-ocean.dark"),
    ("vesper", "base16-eighties.dark"),
    ("vitesse-black", "base16-eighties.dark"),
    ("vitesse-dark", "base16-eighties.dark"),
];

/// The themes Zola 0.19–0.21 bundled that bat's set lacks, each with the
/// closest theme it has (a warning says so), so an older site builds.
const LEGACY_THEMES: &[(&str, &str)] = &[
    ("agola-dark", "base16-ocean.dark"),
    ("ascetic-white", "InspiredGitHub"),
    ("axar", "base16-ocean.light"),
    ("ayu-dark", "base16-ocean.dark"),
    ("ayu-light", "base16-ocean.light"),
    ("ayu-mirage", "base16-ocean.dark"),
    ("base16-atelierdune-light", "base16-ocean.light"),
    ("bbedit", "InspiredGitHub"),
    ("boron", "base16-eighties.dark"),
    ("charcoal", "base16-eighties.dark"),
    ("cheerfully-light", "InspiredGitHub"),
    ("classic-modified", "InspiredGitHub"),
    ("demain", "base16-eighties.dark"),
    ("dimmed-fluid", "base16-ocean.dark"),
    ("gray-matter-dark", "base16-eighties.dark"),
    ("green", "base16-mocha.dark"),
    ("idle", "InspiredGitHub"),
    ("ir-white", "InspiredGitHub"),
    ("kronuz", "Monokai Extended"),
    ("material-dark", "base16-ocean.dark"),
    ("material-light", "base16-ocean.light"),
    ("nyx-bold", "TwoDark"),
    ("one-dark", "TwoDark"),
    ("railsbase16-green-screen-dark", "base16-mocha.dark"),
    ("subway-madrid", "base16-eighties.dark"),
    ("subway-moscow", "base16-eighties.dark"),
    ("Tomorrow", "base16-ocean.light"),
    ("visual-studio-dark", "OneHalfDark"),
];

/// Fence languages mapped to another syntax. Zola highlights JavaScript
/// with the TypeScript syntax (its JavaScript syntax could hang; getzola
/// issues #1174, #1211, #1241), so class names match only if we do too.
const LANGUAGE_ALIASES: &[(&str, &str)] = &[
    ("js", "ts"),
    ("javascript", "ts"),
    ("shell", "bash"),
    ("console", "bash"),
    ("golang", "go"),
];
/// Plain-text names: plain text without an unknown-language warning.
const PLAIN_NAMES: &[&str] = &["text", "plain", "plaintext", "txt"];

/// syntect's default syntaxes plus bat's (TOML, TypeScript, Dockerfile…),
/// loaded once per process.
fn default_syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// syntect's default themes plus bat's, each deserialized on first use.
fn default_themes() -> &'static LazyThemeSet {
    static SET: OnceLock<LazyThemeSet> = OnceLock::new();
    SET.get_or_init(|| two_face::theme::extra().into())
}

/// Inline-style highlighting with one theme, with the style strings that
/// Zola derives from it precomputed.
#[derive(Debug)]
struct InlineTheme {
    theme: Theme,
    /// `background-color:#…;color:#…;` for `<pre style=…>`.
    pre_style: String,
    /// ` style="color:#…;"`, removed from spans as Zola does.
    default_fg: String,
    /// `background-color:#…;` for `<mark>`.
    mark_style: String,
    background: Color,
}

#[derive(Debug)]
enum Mode {
    Inline(Box<InlineTheme>),
    Class,
}

/// One per build: the syntect sets and the resolved theme. `Sync`, so pages
/// render on many threads with one `Highlighter`.
#[derive(Debug)]
pub(crate) struct Highlighter {
    /// `None` when highlighting is off.
    mode: Option<Mode>,
    extra_syntaxes: Option<SyntaxSet>,
    extra_themes: ThemeSet,
    /// Giallo themes stood in for by syntect ones, for [`Highlighter::warnings`].
    substituted: std::sync::Mutex<Vec<(String, &'static str)>>,
    /// Extra grammars and themes that could not be used.
    loading: Vec<Diagnostic>,
}

/// One code block, rendered.
#[derive(Debug)]
pub(crate) struct CodeBlockHtml {
    /// The whole `<pre>…</pre>` plus a newline.
    pub(crate) html: String,
    /// The fence language, when highlighting is on and no syntax knows it.
    pub(crate) unknown_language: Option<String>,
    /// `key=value` annotations Zola does not know.
    pub(crate) unknown_annotations: Vec<String>,
}

impl Highlighter {
    /// Loads what `config.markdown` asks for. Errors name the configuration
    /// file: an unreadable `extra_syntaxes_and_themes` directory or an
    /// unknown theme.
    pub(crate) fn new(config: &Config) -> Result<Highlighter, Diagnostic> {
        let md = &config.markdown;
        let mut loading = Vec::new();
        let (extra_syntaxes, extra_themes) = load_extra(config, &mut loading)?;
        let mut me = Highlighter {
            mode: None,
            extra_syntaxes,
            extra_themes,
            substituted: std::sync::Mutex::new(Vec::new()),
            loading,
        };
        let Some(hl) = &md.highlighting else {
            return Ok(me);
        };
        for (theme, _) in &hl.css_files {
            me.theme(theme)
                .ok_or_else(|| unknown_theme(config, theme))?;
        }
        me.mode = Some(match hl.style {
            HighlightStyle::Class => Mode::Class,
            HighlightStyle::Inline => {
                // Inline styles use one theme, but a wrong `dark_theme`
                // is still a mistake to point out.
                if let Some(dark) = &hl.dark_theme {
                    me.theme(dark).ok_or_else(|| unknown_theme(config, dark))?;
                }
                let theme = me
                    .theme(&hl.theme)
                    .ok_or_else(|| unknown_theme(config, &hl.theme))?
                    .clone();
                Mode::Inline(Box::new(InlineTheme::new(theme)))
            }
        });
        Ok(me)
    }

    /// The stylesheets for class mode: `(file name, css)` for each
    /// `(theme, file name)` the configuration lists.
    pub(crate) fn css_files(&self, config: &Config) -> Vec<(String, String)> {
        let Some(hl) = &config.markdown.highlighting else {
            return Vec::new();
        };
        hl.css_files
            .iter()
            .filter_map(|(theme, filename)| {
                let css = css_for_theme_with_class_style(self.theme(theme)?, CLASS_STYLE).ok()?;
                Some((filename.clone(), css))
            })
            .collect()
    }

    /// A theme by Zola or syntect name, extra themes first, then names
    /// of other Zola versions (0.22's giallo themes, the older bundled
    /// ones) by their closest syntect theme.
    fn theme(&self, name: &str) -> Option<&Theme> {
        let builtin = THEME_ALIASES
            .iter()
            .find(|(zola, _)| *zola == name)
            .map_or(name, |(_, syntect)| *syntect);
        if let Some(theme) = self
            .extra_themes
            .themes
            .get(name)
            .or_else(|| default_themes().get(builtin))
        {
            return Some(theme);
        }
        let (_, syntect) = GIALLO_THEMES
            .iter()
            .chain(LEGACY_THEMES)
            .find(|(other, _)| *other == name)?;
        if let Ok(mut list) = self.substituted.lock() {
            if !list.iter().any(|(n, _)| n == name) {
                list.push((name.to_string(), syntect));
            }
        }
        default_themes().get(syntect)
    }

    /// Warnings about the configuration: Zola 0.22 themes highlighted
    /// with a syntect stand-in.
    pub(crate) fn warnings(&self, config: &Config) -> Vec<Diagnostic> {
        let list = self
            .substituted
            .lock()
            .map(|l| l.clone())
            .unwrap_or_default();
        let substituted = list.into_iter().map(|(name, syntect)| {
                let d = Diagnostic::warning(
                    "config::highlight-theme-substituted",
                    format!("highlight theme `{name}` is one Zola bundles but handbok's highlighter lacks; it uses the closest theme it has, `{syntect}`"),
                );
                at_theme_name(config, d, &name)
                .with_help("to choose the colours yourself, put a `.tmTheme` file in a directory listed in `extra_syntaxes_and_themes` and name it here")
            })
            ;
        self.loading.iter().cloned().chain(substituted).collect()
    }

    /// The syntax for a fence language, extra syntaxes first; `None` when
    /// no syntax knows the token.
    fn syntax(&self, lang: &str) -> Option<(&SyntaxReference, &SyntaxSet)> {
        if let Some(extra) = &self.extra_syntaxes {
            if let Some(s) = extra.find_syntax_by_token(lang) {
                return Some((s, extra));
            }
        }
        let set = default_syntaxes();
        if PLAIN_NAMES.contains(&lang) {
            return Some((set.find_syntax_plain_text(), set));
        }
        let token = LANGUAGE_ALIASES
            .iter()
            .find(|(alias, _)| *alias == lang)
            .map_or(lang, |(_, real)| *real);
        set.find_syntax_by_token(token).map(|s| (s, set))
    }

    /// Renders one code block. `info` is the fence info string (empty for
    /// indented blocks).
    pub(crate) fn render_code_block(
        &self,
        md: &MarkdownConfig,
        info: &str,
        code: &str,
    ) -> CodeBlockHtml {
        let fence = FenceSettings::parse(info);
        let unknown_annotations = fence.unknown.clone();
        let Some(mode) = &self.mode else {
            let html = if md.zola_022_code_shape {
                plain_022(&fence, code)
            } else {
                let mut lines = LineWriter::Plain;
                block_021(&fence, code, None, None, &mut lines)
            };
            return CodeBlockHtml {
                html,
                unknown_language: None,
                unknown_annotations,
            };
        };
        let plain = default_syntaxes();
        let (syntax, set, unknown_language) = match fence.language.as_deref() {
            None => (plain.find_syntax_plain_text(), plain, None),
            Some(lang) => match self.syntax(lang) {
                Some((syntax, set)) => (syntax, set, None),
                None => (
                    plain.find_syntax_plain_text(),
                    plain,
                    Some(lang.to_string()),
                ),
            },
        };
        let html = match mode {
            Mode::Inline(t) => {
                let mut lines = LineWriter::Inline {
                    lines: HighlightLines::new(syntax, &t.theme),
                    set,
                    theme: t,
                };
                block_021(&fence, code, Some(&t.pre_style), None, &mut lines)
            }
            Mode::Class => {
                let mut lines = LineWriter::Class {
                    state: ParseState::new(syntax),
                    stack: ScopeStack::new(),
                    set,
                };
                block_021(&fence, code, None, Some("z-code"), &mut lines)
            }
        };
        CodeBlockHtml {
            html,
            unknown_language,
            unknown_annotations,
        }
    }
}

/// `d` placed where the config file names the theme `name`.
fn at_theme_name(config: &Config, d: Diagnostic, name: &str) -> Diagnostic {
    let text = config.text();
    let at = [format!("\"{name}\""), format!("'{name}'")]
        .iter()
        .filter_map(|quoted| text.find(quoted.as_str()))
        .min();
    match at {
        Some(offset) => d.at(config.source(), offset),
        None => d.in_file(&config.config_path),
    }
}

fn unknown_theme(config: &Config, name: &str) -> Diagnostic {
    let known: Vec<&str> = THEME_ALIASES.iter().map(|(zola, _)| *zola).collect();
    let d = Diagnostic::error(
        "config::unknown-highlight-theme",
        format!("highlight theme `{name}` is not available"),
    );
    at_theme_name(config, d, name)
        .with_help(format!(
            "use one of {}, or put a `.tmTheme` file in a directory listed in `extra_syntaxes_and_themes`",
            known.join(", ")
        ))
}

/// Zola 0.22's `extra_grammars` and `extra_themes`: VS Code/TextMate JSON
/// translated for syntect (see `textmate.rs`), or syntect's own formats.
/// A file that cannot be read or translated is a warning, and its code is
/// then plain text or its theme unknown.
fn load_zola_022_files(
    config: &Config,
    builder: &mut SyntaxSetBuilder,
    themes: &mut ThemeSet,
    warnings: &mut Vec<Diagnostic>,
) {
    let mut warn = |file: &str, what: &str, e: String| {
        warnings.push(
            Diagnostic::warning(
                "config::extra-highlighting",
                format!("cannot use the {what} `{file}`: {e}"),
            )
            .in_file(&config.config_path)
            .with_help(format!("handbok reads VS Code/TextMate JSON and syntect's formats (`.sublime-syntax`, `.tmTheme`); check the {what}'s path, relative to the site root, and its format")),
        );
    };
    for file in &config.markdown.extra_grammars {
        let path = config.root.join(file);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                warn(file, "grammar", e.to_string());
                continue;
            }
        };
        let loaded = if file.ends_with(".sublime-syntax") {
            SyntaxDefinition::load_from_str(&text, true, None).map_err(|e| e.to_string())
        } else {
            super::textmate::grammar(&text)
        };
        match loaded {
            Ok(def) => builder.add(def),
            Err(e) => warn(file, "grammar", e),
        }
    }
    for file in &config.markdown.extra_themes {
        let path = config.root.join(file);
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if file.ends_with(".tmTheme") {
            match ThemeSet::get_theme(&path) {
                Ok(theme) => {
                    themes.themes.insert(stem, theme);
                }
                Err(e) => warn(file, "theme", e.to_string()),
            }
            continue;
        }
        match std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|t| super::textmate::theme(&t, &stem))
        {
            Ok((name, theme)) => {
                themes.themes.insert(stem.clone(), theme.clone());
                themes.themes.insert(name, theme);
            }
            Err(e) => warn(file, "theme", e),
        }
    }
}

/// Extra syntaxes and themes from `extra_syntaxes_and_themes`, relative to
/// the site root (loaded once per build).
fn load_extra(
    config: &Config,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(Option<SyntaxSet>, ThemeSet), Diagnostic> {
    let dirs = &config.markdown.extra_syntaxes_and_themes;
    let mut themes = ThemeSet::new();
    let md = &config.markdown;
    if dirs.is_empty() && md.extra_grammars.is_empty() && md.extra_themes.is_empty() {
        return Ok((None, themes));
    }
    let mut builder = SyntaxSetBuilder::new();
    load_zola_022_files(config, &mut builder, &mut themes, warnings);
    for dir in dirs {
        let path = config.root.join(dir);
        let fail = |e: &dyn std::fmt::Display| {
            Diagnostic::error(
                "config::extra-syntaxes",
                format!("could not load syntaxes and themes from `{}`: {e}", path.display()),
            )
            .in_file(&config.config_path)
            .with_help("check that `extra_syntaxes_and_themes` lists directories (relative to the site root) holding `.sublime-syntax` and `.tmTheme` files")
        };
        builder.add_from_folder(&path, true).map_err(|e| fail(&e))?;
        themes.add_from_folder(&path).map_err(|e| fail(&e))?;
    }
    let syntaxes = builder.build();
    Ok((
        (!syntaxes.syntaxes().is_empty()).then_some(syntaxes),
        themes,
    ))
}

impl InlineTheme {
    fn new(theme: Theme) -> Self {
        let background = theme.settings.background.unwrap_or(Color::WHITE);
        let foreground = theme.settings.foreground.unwrap_or(Color::BLACK);
        let mark = theme.settings.line_highlight.unwrap_or(Color {
            r: 255,
            g: 255,
            b: 0,
            a: 0,
        });
        InlineTheme {
            pre_style: format!(
                "background-color:{};color:{};",
                css_color(background),
                css_color(foreground)
            ),
            default_fg: format!(" style=\"color:{};\"", css_color(foreground)),
            mark_style: format!("background-color:{};", css_color(mark)),
            background,
            theme,
        }
    }
}

/// `#rrggbb`, or `#rrggbbaa` when not opaque (syntect's format).
fn css_color(c: Color) -> String {
    if c.a == 0xFF {
        format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b)
    } else {
        format!("#{:02x}{:02x}{:02x}{:02x}", c.r, c.g, c.b, c.a)
    }
}

/// Turns one source line (with its newline) into HTML.
enum LineWriter<'h> {
    /// No highlighting: Tera's escape, as Zola ≤0.21.
    Plain,
    Inline {
        lines: HighlightLines<'h>,
        set: &'h SyntaxSet,
        theme: &'h InlineTheme,
    },
    Class {
        state: ParseState,
        stack: ScopeStack,
        set: &'h SyntaxSet,
    },
}

impl LineWriter<'_> {
    fn mark_style(&self) -> Option<&str> {
        match self {
            LineWriter::Inline { theme, .. } => Some(&theme.mark_style),
            _ => None,
        }
    }

    fn write_line(&mut self, out: &mut String, line: &str) {
        match self {
            LineWriter::Plain => escape::escape_tera(out, line),
            LineWriter::Inline { lines, set, theme } => {
                let html = lines.highlight_line(line, set).ok().and_then(|regions| {
                    styled_line_to_highlighted_html(
                        &regions,
                        IncludeBackground::IfDifferent(theme.background),
                    )
                    .ok()
                });
                match html {
                    // Zola drops the default colour, already set on <pre>.
                    Some(html) => out.push_str(&html.replace(&theme.default_fg, "")),
                    None => escape::escape_tera(out, line),
                }
            }
            LineWriter::Class { state, stack, set } => {
                let before = stack.clone();
                let spans = state.parse_line(line, set).ok().and_then(|ops| {
                    line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, stack).ok()
                });
                let Some((html, _)) = spans else {
                    *stack = before;
                    escape::escape_tera(out, line);
                    return;
                };
                // Scopes open at the start of the line are reopened so that
                // each line (and its <mark>) is balanced, as Zola does.
                for scope in before.as_slice() {
                    out.push_str("<span class=\"");
                    push_classes(out, *scope);
                    out.push_str("\">");
                }
                out.push_str(&html);
                for _ in 0..stack.len() {
                    out.push_str("</span>");
                }
            }
        }
    }
}

/// `z-source z-rust` for `source.rust`.
fn push_classes(out: &mut String, scope: Scope) {
    for (i, atom) in scope.build_string().split('.').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str("z-");
        out.push_str(atom);
    }
}

/// Zola ≤0.21's `<pre …><code …>`.
fn opening_021(fence: &FenceSettings, pre_style: Option<&str>, pre_class: Option<&str>) -> String {
    let mut html = String::from("<pre");
    if fence.line_numbers {
        html.push_str(" data-linenos");
    }
    if fence.enable_copy {
        html.push_str(" data-copy");
    }
    let mut classes = String::new();
    if let Some(lang) = &fence.language {
        let lang = escape::attr(lang);
        let _ = write!(classes, "language-{lang} ");
        let _ = write!(html, " data-lang=\"{lang}\"");
    }
    if let Some(name) = &fence.name {
        let _ = write!(html, " data-name=\"{}\"", escape::attr(name));
    }
    if let Some(style) = pre_style {
        let _ = write!(html, " style=\"{style}\"");
    }
    if let Some(class) = pre_class {
        classes.push_str(class);
    }
    if !classes.is_empty() {
        let _ = write!(html, " class=\"{classes}\"");
    }
    html.push_str("><code");
    if let Some(lang) = &fence.language {
        let lang = escape::attr(lang);
        let _ = write!(html, " class=\"language-{lang}\" data-lang=\"{lang}\"");
    }
    if let Some(name) = &fence.name {
        let _ = write!(html, " data-name=\"{}\"", escape::attr(name));
    }
    html.push('>');
    html
}

/// A whole block in Zola ≤0.21's shape: optional line-number table, hidden
/// lines skipped (numbering continues), highlighted lines in `<mark>`.
fn block_021(
    fence: &FenceSettings,
    code: &str,
    pre_style: Option<&str>,
    pre_class: Option<&str>,
    lines: &mut LineWriter<'_>,
) -> String {
    let mut out = opening_021(fence, pre_style, pre_class);
    let mark_open = match lines.mark_style() {
        Some(style) => format!("<mark style=\"{style}\">"),
        None => "<mark>".to_string(),
    };
    if fence.line_numbers {
        out.push_str("<table><tbody>");
    }
    for (i, line) in LinesWithEndings::from(code).enumerate() {
        let n = i + 1;
        if fence.is_hidden(n) {
            continue;
        }
        let marked = fence.is_highlighted(n);
        if fence.line_numbers {
            out.push_str("<tr><td>");
            let number = fence.line_number_start.saturating_add(i).to_string();
            push_marked(&mut out, marked, &mark_open, &number);
            out.push_str("</td><td>");
        }
        let mut html = String::new();
        lines.write_line(&mut html, line);
        push_marked(&mut out, marked, &mark_open, &html);
        if fence.line_numbers {
            out.push_str("</td></tr>");
        }
    }
    if fence.line_numbers {
        out.push_str("</tbody></table>");
    }
    out.push_str("</code></pre>\n");
    out
}

fn push_marked(out: &mut String, marked: bool, mark_open: &str, html: &str) {
    if marked {
        out.push_str(mark_open);
        out.push_str(html);
        out.push_str("</mark>");
    } else {
        out.push_str(html);
    }
}

/// Zola 0.22 without highlighting: `<pre><code data-lang="x">`, escaped.
fn plain_022(fence: &FenceSettings, code: &str) -> String {
    let mut out = String::from("<pre><code");
    if let Some(lang) = &fence.language {
        let _ = write!(out, " data-lang=\"{}\"", escape::attr(lang));
    }
    out.push('>');
    escape::escape_attr(&mut out, code);
    out.push_str("</code></pre>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn highlighter(config: &str) -> Result<(Highlighter, Config), Diagnostic> {
        let config = Config::from_str_for_tests(config)
            .unwrap_or_else(|d| panic!("config: {:?}", d.sorted()));
        Highlighter::new(&config).map(|h| (h, config))
    }

    #[test]
    fn every_theme_name_of_zola_0_19_to_0_22_builds() {
        let names = THEME_ALIASES
            .iter()
            .chain(GIALLO_THEMES)
            .chain(LEGACY_THEMES)
            .map(|(name, _)| *name);
        for name in names {
            let old = format!(
                "base_url = '/'\n[markdown]\nhighlight_code = true\nhighlight_theme = '{name}'\n"
            );
            let new = format!("base_url = '/'\n[markdown.highlighting]\ntheme = '{name}'\n");
            for config in [old, new] {
                let result = highlighter(&config);
                assert!(result.is_ok(), "{name}: {:?}", result.err());
            }
        }
    }

    #[test]
    fn a_substituted_theme_is_a_warning_at_its_name() {
        let (h, config) = highlighter(
            "base_url = '/'\n[markdown.highlighting]\nstyle = 'inline'\nlight_theme = 'github-light'\ndark_theme = 'github-dark'\n",
        )
        .unwrap_or_else(|d| panic!("{d:?}"));
        let warnings = h.warnings(&config);
        let at: Vec<(String, Option<usize>)> = warnings
            .iter()
            .map(|d| (d.message.clone(), d.position.map(|p| p.line)))
            .collect();
        assert!(
            at.iter()
                .any(|(m, line)| m.contains("`github-dark`") && *line == Some(5)),
            "{at:?}"
        );
        assert!(highlighter(
            "base_url = '/'\n[markdown.highlighting]\nlight_theme = 'github-light'\ndark_theme = 'no-such'\n"
        )
        .is_err());
    }
}

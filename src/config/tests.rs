use super::*;

#[test]
fn defaults_follow_zola() {
    let c = Config::from_str_for_tests("base_url = \"https://example.org\"").unwrap();
    assert_eq!(c.default_language, "en");
    assert_eq!(c.output_dir, PathBuf::from("public"));
    assert!(c.markdown.highlighting.is_none());
    assert_eq!(c.slugify.paths, SlugStrategy::On);
    assert!(!c.default_lang().generate_feeds);
    assert_eq!(c.default_lang().feed_filenames, vec!["atom.xml"]);
    assert!(c.generate_sitemap);
}

#[test]
fn unknown_key_is_a_located_warning_with_suggestion() {
    let diags = Diagnostics::new();
    let text = "base_url = \"/\"\n[markdown]\nhighlight_cod = true\n";
    parse(text, Path::new("config.toml"), &diags).unwrap();
    let out = crate::diagnostics::render_plain(&diags.sorted());
    assert!(
        out.contains("config.toml:3:1: warning[config::unknown-key]"),
        "{out}"
    );
    assert!(out.contains("did you mean `highlight_code`"), "{out}");
}

#[test]
fn invalid_toml_is_located() {
    let err = Config::from_str_for_tests("base_url = \"/\"\ntitle = \n").unwrap_err();
    let out = crate::diagnostics::render_plain(&err.sorted());
    assert!(out.starts_with("config.toml:2:"), "{out}");
}

#[test]
fn legacy_and_new_highlight_keys() {
    let old = Config::from_str_for_tests("base_url='/'\n[markdown]\nhighlight_code=true\nhighlight_theme='css'\nhighlight_themes_css=[{theme='base16-ocean-dark', filename='syntax.css'}]").unwrap();
    let h = old.markdown.highlighting.unwrap();
    assert_eq!(h.style, HighlightStyle::Class);
    assert_eq!(
        h.css_files,
        vec![("base16-ocean-dark".to_string(), "syntax.css".to_string())]
    );
    let new =
        Config::from_str_for_tests("base_url='/'\n[markdown.highlighting]\ntheme='InspiredGitHub'")
            .unwrap();
    let h = new.markdown.highlighting.unwrap();
    assert_eq!(
        (h.theme.as_str(), h.style),
        ("InspiredGitHub", HighlightStyle::Inline)
    );
}

#[test]
fn permalinks_get_trailing_slash_as_zola() {
    let c = Config::from_str_for_tests("base_url = \"https://ex.org/\"").unwrap();
    assert_eq!(c.make_permalink(""), "https://ex.org/");
    assert_eq!(c.make_permalink("/a/b"), "https://ex.org/a/b/");
    assert_eq!(c.make_permalink("a/b/"), "https://ex.org/a/b/");
    assert_eq!(c.make_permalink("a/#x"), "https://ex.org/a/#x");
    assert_eq!(c.make_permalink("atom.xml"), "https://ex.org/atom.xml");
}

#[test]
fn missing_base_url_is_an_error() {
    assert!(Config::from_str_for_tests("title = 'x'").is_err());
}

#[test]
fn theme_extra_merges_under_site() {
    let mut site: toml::Table = "a = 1\n[t]\nx = 1".parse().unwrap();
    let theme: toml::Table = "a = 2\nb = 3\n[t]\ny = 2".parse().unwrap();
    theme::merge_under(&mut site, &theme, "extra").unwrap();
    assert_eq!(site["a"].as_integer(), Some(1));
    assert_eq!(site["b"].as_integer(), Some(3));
    assert_eq!(site["t"]["y"].as_integer(), Some(2));
    let bad: toml::Table = "a = 'x'".parse().unwrap();
    assert!(theme::merge_under(&mut site, &bad, "extra").is_err());
}

proptest::proptest! {
    #[test]
    fn permalink_joins_have_one_slash_between_parts(
        parts in proptest::collection::vec("[a-z0-9-]{1,8}", 0..5),
        lead in proptest::bool::ANY,
        trail in proptest::bool::ANY,
        base in proptest::sample::select(vec!["https://ex.org", "https://ex.org/", "https://ex.org/handbok", "/"]),
    ) {
        let c = Config::from_str_for_tests(&format!("base_url = \"{base}\"")).unwrap();
        let joined = parts.join("/");
        let path = format!("{}{joined}{}", if lead { "/" } else { "" }, if trail && !joined.is_empty() { "/" } else { "" });
        let link = c.make_permalink(&path);
        let base = base.trim_end_matches('/');
        let expected = if joined.is_empty() { format!("{base}/") } else { format!("{base}/{joined}/") };
        proptest::prop_assert_eq!(&link, &expected);
        let after_scheme = link.split_once("://").map_or(link.as_str(), |(_, rest)| rest);
        proptest::prop_assert!(!after_scheme.contains("//"), "{}", link);
    }

    #[test]
    fn base_url_checks_never_accept_markup_or_other_schemes(url in "\\PC{0,40}") {
        if check_base_url(&url).is_ok() && !url.trim().is_empty() {
            proptest::prop_assert!(!url.contains(['"', '\'', '<', '>', '`']), "{}", url);
            let lower = url.to_ascii_lowercase();
            proptest::prop_assert!(lower.starts_with("http://") || lower.starts_with("https://") || url.starts_with('/'), "{}", url);
        }
    }
}

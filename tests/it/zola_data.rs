//! Zola compatibility, files and assets: `load_data`,
//! `get_hash`, `get_image_metadata`, `resize_image` with the file search
//! rule and its confinement to the site root, the search index, Sass,
//! `init`, and `check` staying off the network. Fixtures under
//! `tests/fixtures/data/`; hostile and image cases are written inline.

use crate::common::TestSite;
use std::path::{Path, PathBuf};

/// The lines of an output page that start with `label: `.
fn line<'a>(html: &'a str, label: &str) -> &'a str {
    html.lines()
        .find_map(|l| l.strip_prefix(&format!("{label}: ")))
        .unwrap_or_else(|| panic!("no `{label}:` line in\n{html}"))
}

#[test]
fn load_data_reads_every_format_from_every_search_folder() {
    let s = TestSite::from_fixture("data/load_data");
    s.build();
    let html = s.output("index.html");
    assert_eq!(
        line(&html, "TOML"),
        "Informationssäkerhet 2025-03-01 Anna,Björn"
    );
    assert_eq!(line(&html, "JSON"), "ciso,dpo");
    assert_eq!(
        line(&html, "CSV"),
        "System|Ägare / Ekonomi|Anna;HR, lön|Björn;"
    );
    assert_eq!(line(&html, "YAML"), "Anna 41");
    assert_eq!(
        line(&html, "BIBTEX"),
        "book iso27001 ISO&#x2F;IEC JTC 1 2022"
    );
    assert_eq!(line(&html, "XML"), "sv 1,Två");
    assert_eq!(line(&html, "PLAIN"), "Plain &lt;text&gt; &amp; more");
    assert_eq!(line(&html, "STATIC"), "static");
    assert_eq!(line(&html, "CONTENT"), "Säkerhetschef");
    assert_eq!(line(&html, "LITERAL"), "1+2 v raw text");
    assert_eq!(line(&html, "FORMAT"), "20");
    assert_eq!(line(&html, "MISSING"), "null");
    assert_eq!(line(&html, "REMOTE"), "null");
    assert_eq!(
        line(&html, "HASH"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad \
         ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP&#x2F;W+2AhgcroefMI1i67KE0yCWn 88"
    );
}

#[test]
fn load_data_errors_are_located_in_the_template() {
    let s = TestSite::with_files(&[
        ("config.toml", "base_url = 'https://x.example'\n"),
        (
            "templates/index.html",
            "<p>\n  {{ load_data(url=\"https://example.com/data.json\") }}\n</p>\n",
        ),
    ]);
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("templates/index.html:2:")
            && run.stderr.contains("remote load_data is not supported"),
        "{}",
        run.stderr
    );
    s.write(
        "templates/index.html",
        "{{ load_data(path=\"data/missing.toml\") }}\n",
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("templates/index.html:1:")
            && run
                .stderr
                .contains("`data/missing.toml`: `load_data` cannot find this file"),
        "{}",
        run.stderr
    );
}

/// A file beside the site's folder, named after it so parallel tests do
/// not collide; removed when dropped.
struct Outside(PathBuf);

impl Outside {
    fn new(site: &TestSite) -> Outside {
        let name = site
            .root
            .file_name()
            .expect("the site folder has a name")
            .to_string_lossy()
            .into_owned();
        let path = site
            .root
            .parent()
            .expect("the site folder has a parent")
            .join(format!("{name}-secret.txt"));
        std::fs::write(&path, "TOP-SECRET-VALUE").expect("write the outside file");
        Outside(path)
    }

    fn name(&self) -> String {
        self.0
            .file_name()
            .expect("named")
            .to_string_lossy()
            .into_owned()
    }
}

impl Drop for Outside {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Builds a site whose template calls `call`, asserting a located error
/// that contains `message` and that the secret never reached any output.
fn assert_refused(s: &TestSite, call: &str, message: &str) {
    s.write("templates/index.html", &format!("<p>\n{call}\n</p>\n"));
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("templates/index.html:2:")
            && run.stderr.contains("error[template::render]")
            && run.stderr.contains(message),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("TOP-SECRET-VALUE"));
    assert!(!s.root.join("public").exists(), "nothing may be written");
}

#[test]
fn hostile_paths_outside_the_site_root_are_refused_and_never_read() {
    let s = TestSite::with_files(&[("config.toml", "base_url = 'https://x.example'\n")]);
    let secret = Outside::new(&s);
    let relative = format!("../{}", secret.name());
    for func in [
        "load_data",
        "get_hash",
        "get_image_metadata",
        "resize_image",
    ] {
        let extra = if func == "resize_image" {
            ", width=10, height=10"
        } else {
            ""
        };
        assert_refused(
            &s,
            &format!("{{{{ {func}(path=\"{relative}\"{extra}) }}}}"),
            "leads outside the site root",
        );
    }
    // `required = false` does not turn a confinement error into `null`.
    assert_refused(
        &s,
        &format!("{{{{ load_data(path=\"{relative}\", required=false) }}}}"),
        "leads outside the site root",
    );
    // `..` through a search folder climbs out just the same.
    assert_refused(
        &s,
        &format!(
            "{{{{ load_data(path=\"static/../../{}\") }}}}",
            secret.name()
        ),
        "leads outside the site root",
    );
    // An absolute path is read from the site root (Zola), never from `/`.
    let absolute = secret.0.display().to_string();
    assert_refused(
        &s,
        &format!("{{{{ load_data(path=\"{absolute}\") }}}}"),
        "is outside the site root",
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_inside_static_that_leads_out_is_refused() {
    let s = TestSite::with_files(&[
        ("config.toml", "base_url = 'https://x.example'\n"),
        ("static/ok.txt", "fine"),
    ]);
    let secret = Outside::new(&s);
    std::os::unix::fs::symlink(&secret.0, s.root.join("static/link.txt")).expect("create symlink");
    assert_refused(
        &s,
        "{{ load_data(path=\"link.txt\") }}",
        "resolves (through a symbolic link) to a file outside the site root",
    );
    assert_refused(
        &s,
        "{{ get_hash(path=\"static/link.txt\") }}",
        "outside the site root",
    );
    // A folder symlink that leads out is caught as well.
    std::os::unix::fs::symlink(
        secret.0.parent().expect("a parent"),
        s.root.join("static/up"),
    )
    .expect("create symlink");
    assert_refused(
        &s,
        &format!("{{{{ load_data(path=\"up/{}\") }}}}", secret.name()),
        "outside the site root",
    );
}

/// Writes a `w`×`h` image with a gradient, in the format of its extension.
fn write_image(path: &Path, w: u32, h: u32) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folder");
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    img.save(path).expect("write test image");
}

fn image_size(path: &Path) -> (u32, u32) {
    image::image_dimensions(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn get_image_metadata_reads_rasters_and_svg() {
    let s = TestSite::with_files(&[
        ("config.toml", "base_url = 'https://x.example'\n"),
        (
            "static/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"40\"></svg>",
        ),
        (
            "static/box.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 30 20\"></svg>",
        ),
        (
            "templates/index.html",
            "PNG: {{ get_image_metadata(path=\"static/pic.png\") | json_encode() | safe }}\n\
             JPG: {% set m = get_image_metadata(path=\"pic.jpg\") %}{{ m.width }}x{{ m.height }} {{ m.format }} {{ m.mime }}\n\
             SVG: {% set m = get_image_metadata(path=\"logo.svg\") %}{{ m.width }}x{{ m.height }} {{ m.format }}\n\
             VIEWBOX: {% set m = get_image_metadata(path=\"box.svg\") %}{{ m.width }}x{{ m.height }}\n\
             MISSING: {{ get_image_metadata(path=\"nope.png\", allow_missing=true) | json_encode() }}\n",
        ),
    ]);
    write_image(&s.root.join("static/pic.png"), 64, 32);
    write_image(&s.root.join("static/pic.jpg"), 30, 50);
    s.build();
    let html = s.output("index.html");
    assert_eq!(
        line(&html, "PNG"),
        r#"{"width":64,"height":32,"format":"png","mime":"image/png"}"#
    );
    assert_eq!(line(&html, "JPG"), "30x50 jpg image&#x2F;jpeg");
    assert_eq!(line(&html, "SVG"), "120x40 svg");
    assert_eq!(line(&html, "VIEWBOX"), "30x20");
    assert_eq!(line(&html, "MISSING"), "null");
}

const RESIZE_TEMPLATE: &str = "\
{% set f = resize_image(path=\"static/photo.png\", width=100, height=100) %}FILL: {{ f.url | safe }} {{ f.static_path }} {{ f.width }}x{{ f.height }} {{ f.orig_width }}x{{ f.orig_height }}\n\
{% set w = resize_image(path=\"photo.png\", width=50, height=0, op=\"fit_width\") %}FITW: {{ w.width }}x{{ w.height }}\n\
{% set h = resize_image(path=\"photo.png\", height=50, op=\"fit_height\", format=\"webp\") %}FITH: {{ h.url | safe }} {{ h.width }}x{{ h.height }}\n\
{% set t = resize_image(path=\"photo.png\", width=90, height=90, op=\"fit\") %}FIT: {{ t.width }}x{{ t.height }}\n\
{% set c = resize_image(path=\"photo.png\", width=30, height=40, op=\"scale\", format=\"jpg\", quality=60) %}SCALE: {{ c.url | safe }} {{ c.width }}x{{ c.height }}\n";

/// The output path of a `url` printed on a line.
fn processed(html: &str, label: &str) -> String {
    let url = line(html, label).split(' ').next().expect("a url");
    url.strip_prefix("https://img.example/")
        .unwrap_or_else(|| panic!("unexpected url {url}"))
        .to_string()
}

#[test]
fn resize_image_writes_each_operation_and_reuses_its_cache() {
    let s = TestSite::with_files(&[
        ("config.toml", "base_url = 'https://img.example'\n"),
        ("templates/index.html", RESIZE_TEMPLATE),
        ("static/processed_images/stale.png", "not used any more"),
    ]);
    write_image(&s.root.join("static/photo.png"), 400, 200);
    s.build();
    let html = s.output("index.html");
    let fill = processed(&html, "FILL");
    assert!(
        fill.starts_with("processed_images/photo.") && fill.ends_with(".png"),
        "{fill}"
    );
    assert_eq!(
        line(&html, "FILL").split(' ').skip(1).collect::<Vec<_>>(),
        [
            &format!("static/{fill}").replace('/', "&#x2F;"),
            "100x100",
            "400x200"
        ]
    );
    assert_eq!(line(&html, "FITW"), "50x25");
    assert_eq!(line(&html, "FIT"), "90x45");
    let webp = processed(&html, "FITH");
    assert!(webp.ends_with(".webp"), "{webp}");
    let jpg = processed(&html, "SCALE");
    assert!(jpg.ends_with(".jpg"), "{jpg}");
    let public = s.root.join("public");
    assert_eq!(image_size(&public.join(&fill)), (100, 100));
    assert_eq!(image_size(&public.join(&webp)), (100, 50));
    assert_eq!(image_size(&public.join(&jpg)), (30, 40));
    // Zola's cache: static/processed_images, the unused file pruned.
    let cache = s.root.join("static").join(&fill);
    assert!(cache.is_file());
    assert!(!s.root.join("static/processed_images/stale.png").exists());
    assert!(!s.has_output("processed_images/stale.png"));
    let mut outputs: Vec<String> = s
        .output_paths()
        .into_iter()
        .filter(|p| p.starts_with("processed_images/"))
        .collect();
    outputs.sort();
    assert_eq!(outputs.len(), 5, "{outputs:?}");

    // A fresh cache entry is reused as it is, not redone.
    std::fs::write(&cache, "cached bytes").expect("mark the cache");
    s.build();
    assert_eq!(
        std::fs::read(public.join(&fill)).expect("output"),
        b"cached bytes"
    );
    // A source newer than its output is redone.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(120);
    std::fs::File::options()
        .write(true)
        .open(s.root.join("static/photo.png"))
        .and_then(|f| f.set_modified(later))
        .expect("touch the source");
    s.build();
    assert_eq!(image_size(&public.join(&fill)), (100, 100));
}

#[test]
fn swedish_search_index_for_elasticlunr_javascript() {
    let s = TestSite::from_fixture("data/search_sv");
    s.build();
    let paths = s.output_paths();
    assert!(
        paths.contains(&"search_index.sv.js".to_string()),
        "{paths:?}"
    );
    assert!(paths.contains(&"elasticlunr.min.js".to_string()));
    assert!(s.output("elasticlunr.min.js").contains("elasticlunr"));
    let js = s.output("search_index.sv.js");
    let json = js
        .strip_prefix("window.searchIndex = ")
        .expect("Zola's JavaScript form");
    let index: serde_json::Value = serde_json::from_str(json).expect("JSON");
    assert_eq!(index["lang"], "Swedish");
    assert_eq!(
        index["fields"],
        serde_json::json!(["title", "description", "body"])
    );
    let docs = index["documentStore"]["docs"].as_object().expect("docs");
    let mut urls: Vec<&String> = docs.keys().collect();
    urls.sort();
    assert_eq!(
        urls,
        [
            "https://handbok.example/",
            "https://handbok.example/policy/",
            "https://handbok.example/policy/sakerhet/",
        ]
    );
    let page = &docs["https://handbok.example/policy/sakerhet/"];
    assert_eq!(page["title"], "Informationssäkerhetspolicy");
    assert_eq!(page["description"], "Hur vi skyddar information");
    assert_eq!(
        page["body"],
        "Vi skyddar informationen &amp; systemen.\nSista stycket."
    );
    // Stemmed Swedish tokens: "informationen" is indexed by its stem.
    let body = &index["index"]["body"]["root"];
    assert!(body["i"]["n"]["f"]["o"]["r"]["m"]["a"]["t"]["i"]["o"]["n"].is_object());
}

#[test]
fn sass_compiles_site_and_theme_and_skips_partials() {
    let s = TestSite::from_fixture("data/sass");
    s.build();
    let css: Vec<String> = s
        .output_paths()
        .into_iter()
        .filter(|p| p.ends_with(".css"))
        .collect();
    assert_eq!(css, ["main.css", "sub/print.css", "theme.css"]);
    assert_eq!(
        s.output("main.css").trim(),
        ".wrap{max-width:60rem}body{color:#005a9c}body nav{padding:8px}"
    );
    assert_eq!(s.output("sub/print.css").trim(), ".page{color:#000}");
    assert_eq!(s.output("theme.css").trim(), ".theme{margin:0}");

    // Without compile_sass only the theme's Sass is compiled.
    s.write(
        "config.toml",
        "base_url = 'https://sass.example'\ntheme = 'tema'\n",
    );
    s.build();
    assert_eq!(s.output("main.css").trim(), ".from-theme{display:none}");
    assert!(!s.has_output("sub/print.css"));
}

#[test]
fn a_sass_error_is_located_in_the_scss_file() {
    let s = TestSite::with_files(&[
        (
            "config.toml",
            "base_url = 'https://x.example'\ncompile_sass = true\n",
        ),
        (
            "sass/site.scss",
            "@import 'vars';\nbody {\n  color: $missing;\n}\n",
        ),
        ("sass/_vars.scss", "$ok: 1px;\n"),
    ]);
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("sass/site.scss:3:10: error[sass::compile]: Undefined variable."),
        "{}",
        run.stderr
    );
    // An import may not reach outside the site root.
    let secret = Outside::new(&s);
    let outside = secret.0.with_extension("scss");
    std::fs::write(&outside, "$leak: 1;").expect("write outside Sass");
    s.write(
        "sass/site.scss",
        &format!(
            "@import '../../{}';\nbody {{ color: red; }}\n",
            outside.file_name().expect("named").to_string_lossy()
        ),
    );
    let run = s.run_cli(&["build"]);
    let _ = std::fs::remove_file(&outside);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("outside the site root"),
        "{}",
        run.stderr
    );
}

#[test]
fn init_creates_a_skeleton_and_never_overwrites() {
    let s = TestSite::empty();
    let run = s.run_cli(&[
        "init",
        "--search",
        "ny",
        "--base-url",
        "https://handbok.example",
        "--highlight=true",
        "--sass=false",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = s.root.join("ny");
    let config = std::fs::read_to_string(dir.join("config.toml")).expect("config.toml");
    assert!(config.contains("base_url = \"https://handbok.example\""));
    assert!(config.contains("compile_sass = false"));
    assert!(config.contains("build_search_index = true"));
    assert!(
        config.contains("[markdown.highlighting]") && !config.contains("highlight_code"),
        "Zola 0.22's highlighting table, not the pre-0.22 key: {config}"
    );
    for folder in ["content", "static", "templates", "themes"] {
        assert!(dir.join(folder).is_dir(), "{folder}");
    }
    assert!(!dir.join("sass").exists());

    // Defaults: Zola's answers, with Sass.
    let run = s.run_cli(&["init", "standard"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let config = std::fs::read_to_string(s.root.join("standard/config.toml")).expect("config.toml");
    assert!(config.contains("base_url = \"https://example.com\""));
    assert!(config.contains("compile_sass = true"));
    assert!(s.root.join("standard/sass").is_dir());

    // A folder with content is refused; dotfiles alone are fine.
    std::fs::write(dir.join("content/keep.md"), "mine").expect("write");
    let run = s.run_cli(&["init", "ny"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not an empty folder"),
        "{}",
        run.stderr
    );
    std::fs::create_dir_all(s.root.join("dotted/.git")).expect("create");
    assert_eq!(s.run_cli(&["init", "dotted"]).code, 0);

    // --force adds what is missing and keeps what is there.
    std::fs::write(dir.join("config.toml"), "base_url = 'mine'\n").expect("write");
    let run = s.run_cli(&["init", "ny", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.join("config.toml")).expect("read"),
        "base_url = 'mine'\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("content/keep.md")).expect("read"),
        "mine"
    );
    assert!(dir.join("sass").is_dir());
    assert!(run.stdout.contains("Kept the existing"), "{}", run.stdout);
}

#[test]
fn check_without_external_uses_no_network() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("address").port();
    let s = TestSite::with_files(&[
        ("config.toml", "base_url = 'https://x.example'\n"),
        (
            "templates/index.html",
            "<main>{{ section.content | safe }}</main>",
        ),
        (
            "content/_index.md",
            &format!("+++\n+++\nSe [länken](http://127.0.0.1:{port}/sida).\n"),
        ),
    ]);
    for args in [&["check"][..], &["check", "--skip-external-links"][..]] {
        let run = s.run_cli(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
    listener.set_nonblocking(true).expect("non-blocking");
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("check connected to the link: {other:?}"),
    }
}

//! Robustness against hostile input and unlucky timing: concurrent builds
//! into one folder, output folders that are sources, interrupted swaps,
//! paths that collapse onto other pages, endless template recursion,
//! decompression bombs, deep YAML, huge files, links out of the site and
//! unsafe base URLs. Each ends in exit 0, or 1 with a located message, and
//! never loses output.

use crate::common::{Run, TestSite};

const CONFIG: &str = crate::common::MINIMAL_CONFIG;

fn site() -> TestSite {
    TestSite::minimal()
}

fn count(run: &Run, needle: &str) -> usize {
    run.stderr.matches(needle).count()
}

// ---- Output safety -------------------------------------------------------

#[test]
fn two_builds_at_once_both_succeed_and_leave_a_whole_output() {
    let s = site();
    for i in 0..60 {
        s.write(
            &format!("content/sida-{i}.md"),
            &format!("+++\ntitle = \"Sida {i}\"\n+++\nText {i}"),
        );
    }
    let first = s.build();
    assert_eq!(first.code, 0);
    let expected = s.output_paths();
    assert!(expected.len() > 60, "{expected:?}");
    for round in 0..4 {
        let runs: Vec<Run> = std::thread::scope(|scope| {
            let a = scope.spawn(|| s.run_cli(&["build"]));
            let b = scope.spawn(|| s.run_cli(&["build"]));
            [a, b]
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| panic!("build thread")))
                .collect()
        });
        for run in &runs {
            assert_eq!(run.code, 0, "round {round}: {}", run.stderr);
            assert!(!run.stderr.contains("unchanged"), "{}", run.stderr);
        }
        assert_eq!(s.output_paths(), expected, "round {round}: files lost");
        assert!(
            s.root.join("public/.handbok-output").is_file(),
            "marker kept"
        );
    }
}

#[test]
fn an_output_folder_that_is_a_source_is_refused_even_with_force() {
    let s = site();
    s.write("static/logo.txt", "logo");
    s.write("themes/t/theme.toml", "name = \"t\"\n");
    for out in [
        ".",
        "content",
        "templates",
        "static",
        "themes",
        "data",
        "..",
        "content/public",
    ] {
        let run = s.run_cli(&["build", "-o", out, "--force"]);
        assert_eq!(run.code, 2, "{out}: {}", run.stderr);
        assert!(
            run.stderr.contains("refusing to write the output"),
            "{out}: {}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("--force"),
            "{out}: must not suggest --force: {}",
            run.stderr
        );
        assert!(s.root.join("content/a.md").is_file(), "{out}: content kept");
        assert!(
            s.root.join("static/logo.txt").is_file(),
            "{out}: static kept"
        );
        assert!(
            s.root.join("templates/page.html").is_file(),
            "{out}: templates kept"
        );
    }
    let run = s.run_cli(&["build", "-o", "annan", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_build_interrupted_between_the_two_renames_is_recovered() {
    let s = site();
    s.build();
    let expected = s.output_paths();
    // The state a fallback swap leaves when killed after moving the output
    // aside: no output folder, the previous one under its aside name.
    std::fs::rename(s.root.join("public"), s.root.join(".public.handbok-old"))
        .unwrap_or_else(|e| panic!("{e}"));
    s.write("content/b.md", "+++\ntitle = \"B\"\n+++\nNy");
    let run = s.build();
    assert!(
        run.stderr.is_empty() || !run.stderr.contains("error"),
        "{}",
        run.stderr
    );
    assert!(
        !s.root.join(".public.handbok-old").exists(),
        "leftover gone"
    );
    let mut now = expected.clone();
    now.push("b/index.html".into());
    now.sort();
    assert_eq!(s.output_paths(), now);
}

#[test]
fn leftover_staging_and_aside_folders_do_not_stop_later_builds() {
    let s = site();
    s.build();
    for leftover in [".public.handbok-old", ".public.handbok-staging"] {
        s.write(&format!("{leftover}/skräp/x.html"), "gammalt");
    }
    let run = s.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!s.root.join(".public.handbok-old").exists());
    assert!(!s.root.join(".public.handbok-staging").exists());
    assert!(s.has_output("a/index.html"));
}

// ---- Paths that collapse --------------------------------------------------

#[test]
fn pages_whose_slug_names_no_folder_are_located_errors() {
    let s = site();
    s.write(
        "content/sek/_index.md",
        "+++\ntitle = \"Sektion\"\n+++\nIndex",
    );
    s.write("content/sek/--.md", "+++\ntitle = \"Streck\"\n+++\nx");
    s.write("content/!!.md", "+++\ntitle = \"Utrop\"\n+++\nx");
    for (name, slug) in [("pp", ".."), ("p", "."), ("s", "/"), ("d", "-")] {
        s.write(
            &format!("content/{name}.md"),
            &format!("+++\ntitle = \"T\"\nslug = \"{slug}\"\n+++\nx"),
        );
    }
    s.write(
        "content/v.md",
        "+++\ntitle = \"V\"\npath = \"a/..\"\n+++\nx",
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for located in [
        "content/sek/--.md:1:1: error[content::empty-slug]",
        "content/!!.md:1:1: error[content::empty-slug]",
        "content/pp.md:3:1: error[content::empty-slug]",
        "content/p.md:3:1: error[content::empty-slug]",
        "content/s.md:3:1: error[content::empty-slug]",
        "content/d.md:3:1: error[content::empty-slug]",
        "content/v.md:3:1: error[front-matter::invalid-path]",
    ] {
        assert!(run.stderr.contains(located), "{located}:\n{}", run.stderr);
    }
    assert!(!s.root.join("public").exists(), "nothing written");
}

#[test]
fn an_alias_to_the_home_page_is_a_collision() {
    let s = site();
    s.write(
        "content/b.md",
        "+++\ntitle = \"B\"\naliases = [\"/\"]\n+++\nx",
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[content::path-collision]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/b.md (alias)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/b.md:3:12: error[content::path-collision]"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_alias_onto_a_real_page_is_an_error_located_at_the_alias() {
    let s = site();
    s.write(
        "content/b.md",
        "+++\ntitle = \"B\"\naliases = [\"/gammal/\", \"/a/\"]\n+++\nx",
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/b.md:3:24: error[content::path-collision]: 2 files want the path `/a/`: content/a.md, content/b.md (alias)"
        ),
        "{}",
        run.stderr
    );
}

// ---- Template recursion -----------------------------------------------------

#[test]
fn a_template_including_itself_is_a_located_error_naming_the_chain() {
    let s = site();
    s.write(
        "templates/page.html",
        "<main>\n{% include \"page.html\" %}</main>",
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("templates/page.html:2:13: error[template::recursion]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`page.html` → `page.html`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_macro_calling_itself_is_a_located_error() {
    let s = site();
    s.write(
        "templates/macros.html",
        "{% macro djup(n) %}\n  {{ self::djup(n=n+1) }}\n{% endmacro djup %}",
    );
    s.write(
        "templates/page.html",
        "{% import \"macros.html\" as m %}<main>{{ m::djup(n=1) }}</main>",
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("templates/macros.html:2:6: error[template::recursion]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("macro `djup` of `macros.html`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_shortcode_including_itself_is_a_located_error() {
    let s = site();
    s.write(
        "templates/shortcodes/ruta.html",
        "<div>{% include \"shortcodes/ruta.html\" %}</div>",
    );
    s.write("content/a.md", "+++\ntitle = \"A\"\n+++\n{{ ruta() }}");
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("templates/shortcodes/ruta.html:1:18: error[template::recursion]"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_recursive_macro_that_ends_still_renders() {
    let s = site();
    s.write(
        "templates/macros.html",
        "{% macro ner(n) %}{{ n }}{% if n > 0 %}{{ self::ner(n=n-1) }}{% endif %}{% endmacro ner %}",
    );
    s.write(
        "templates/page.html",
        "{% import \"macros.html\" as m %}<main>{{ m::ner(n=3) }}</main>",
    );
    s.build();
    assert_eq!(s.main_html("a/index.html"), "<main>3210</main>");
}

#[test]
fn a_template_including_itself_under_a_true_condition_stops_with_a_located_error() {
    let s = site();
    s.write(
        "templates/page.html",
        "<main>\n{% if true %}{% include \"page.html\" %}{% endif %}</main>",
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("templates/page.html:2:26: error[template::recursion]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`page.html` → `page.html`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_macro_calling_itself_while_its_condition_holds_stops_with_a_located_error() {
    let s = site();
    s.write(
        "templates/macros.html",
        "{% macro djup(n) %}\n  {% if n > 0 %}{{ self::djup(n=n+1) }}{% endif %}\n{% endmacro djup %}",
    );
    s.write(
        "templates/page.html",
        "{% import \"macros.html\" as m %}<main>{{ m::djup(n=1) }}</main>",
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("templates/macros.html:2:20: error[template::recursion]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("macro `djup` of `macros.html` → macro `djup` of `macros.html`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_shortcode_including_itself_under_a_condition_is_a_located_error() {
    let s = site();
    s.write(
        "templates/shortcodes/ruta.html",
        "<div>{% if true %}{% include \"shortcodes/ruta.html\" %}{% endif %}</div>",
    );
    s.write(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\nText\n\n{{ ruta() }}",
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/a.md:6:1: error[shortcode::render]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("`shortcodes/ruta.html` → `shortcodes/ruta.html`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_macro_walking_a_section_tree_forty_levels_deep_renders() {
    let s = site();
    let mut path = String::from("content");
    for level in 0..40 {
        path.push_str(&format!("/n{level}"));
        s.write(
            &format!("{path}/_index.md"),
            &format!("+++\ntitle = \"Nivå {level}\"\n+++\n"),
        );
    }
    s.write(
        "templates/macros.html",
        "{% macro meny(path) %}{% set s = get_section(path=path) %}<li>{{ s.title }}\
         {% for sub in s.subsections %}<ul>{{ self::meny(path=sub) }}</ul>{% endfor %}</li>{% endmacro meny %}",
    );
    s.write(
        "templates/index.html",
        "{% import \"macros.html\" as m %}<main>{{ m::meny(path=\"_index.md\") }}</main>",
    );
    s.write("templates/section.html", "<main></main>");
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let home = s.main_html("index.html");
    assert!(home.contains("<li>Nivå 39</li>"), "{home}");
}

#[test]
fn templates_nested_thousands_deep_are_located_errors_not_crashes() {
    let s = site();
    let n = 20_000;
    s.write(
        "templates/page.html",
        &format!(
            "<main>\n{}x{}</main>",
            "{% if true %}".repeat(n),
            "{% endif %}".repeat(n)
        ),
    );
    s.write(
        "templates/section.html",
        &format!("<main>{{{{ {}1{} }}}}</main>", "(".repeat(n), ")".repeat(n)),
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", &run.stderr[..run.stderr.len().min(2000)]);
    assert!(
        run.stderr
            .contains("templates/page.html:2:1301: error[template::nesting]"),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    assert!(
        run.stderr
            .contains("templates/section.html:1:7: error[template::nesting]"),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
}

#[test]
fn body_shortcodes_nested_thousands_deep_are_a_located_error_not_a_crash() {
    let s = site();
    s.write("templates/shortcodes/ruta.html", "<div>{{ body }}</div>");
    s.write(
        "content/a.md",
        &format!(
            "+++\ntitle = \"A\"\n+++\nText\n{}",
            "{% ruta() %}".repeat(5000)
        ),
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", &run.stderr[..run.stderr.len().min(2000)]);
    assert!(
        run.stderr
            .contains("content/a.md:5:385: error[shortcode::malformed]: body shortcodes nest deeper than 32 levels"),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
}

// ---- Report order -------------------------------------------------------------

#[test]
fn the_root_cause_comes_first_and_repeated_template_errors_are_counted_once() {
    let s = site();
    for i in 0..30 {
        s.write(
            &format!("content/sida-{i}.md"),
            &format!("+++\ntitle = \"Sida {i}\"\n+++\nText"),
        );
    }
    s.write(
        "content/z.md",
        "+++\ntitle = \"Z\"\ndate = \"inte ett datum\"\n+++\nText",
    );
    s.write(
        "templates/page.html",
        "<main>{{ config.extra.meny.titel }}</main>",
    );
    s.write(
        "config.toml",
        &format!("{CONFIG}[extra]\nmeny = \"ska vara en tabell\"\n"),
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let root = run
        .stderr
        .find("content/z.md:3:1: error[front-matter::invalid-date]");
    let follow_on = run.stderr.find("error[template::render]");
    assert!(
        root.is_some() && follow_on.is_some() && root < follow_on,
        "{}",
        run.stderr
    );
    assert_eq!(count(&run, "error[template::render]"), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("(and 31 more like this)"),
        "{}",
        run.stderr
    );
}

// ---- Deep TOML ----------------------------------------------------------------

#[test]
fn toml_nested_past_the_parsers_limit_is_located_at_the_nesting() {
    let s = site();
    let dotted = vec!["k"; 100].join(".");
    s.write("config.toml", &format!("{CONFIG}\n[extra]\n{dotted} = 1\n"));
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("config.toml:4:159: error[config::invalid-toml]: recursion limit"),
        "{}",
        run.stderr
    );

    let s = site();
    s.write(
        "content/b.md",
        &format!("+++\ntitle = \"B\"\n[extra]\n{dotted} = 1\n+++\nx"),
    );
    s.write(
        "content/c.md",
        &format!(
            "+++\ntitle = \"C\"\n[extra]\nx = {}{}\n+++\nx",
            "[".repeat(200),
            "]".repeat(200)
        ),
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for located in [
        "content/b.md:4:159: error[front-matter::invalid]",
        "content/c.md:4:85: error[front-matter::invalid]",
    ] {
        assert!(run.stderr.contains(located), "{located}\n{}", run.stderr);
    }
}

// ---- Costs ------------------------------------------------------------------

#[test]
fn a_decompression_bomb_given_to_resize_image_is_a_located_error() {
    let s = site();
    let bomb = png_claiming(30_000, 30_000);
    let path = s.root.join("static/bomb.png");
    std::fs::create_dir_all(s.root.join("static")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&path, &bomb).unwrap_or_else(|e| panic!("{e}"));
    s.write(
        "templates/page.html",
        "<main>{% set r = resize_image(path=\"bomb.png\", width=100, height=100, op=\"fit\") %}{{ r.url }}</main>",
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("static/bomb.png: error[image::resize]")
            && run.stderr.contains("30000×30000 pixels"),
        "{}",
        run.stderr
    );
}

/// A PNG claiming `w`×`h` RGBA pixels in a few dozen bytes.
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
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &[0x78, 0x9c, 0x03, 0x00]);
    chunk(&mut png, b"IEND", &[]);
    png
}

#[test]
fn deeply_nested_yaml_front_matter_and_data_are_located_errors() {
    let s = site();
    let depth = 100_000;
    s.write(
        "content/djup.md",
        &format!(
            "---\ntitle: Djup\nextra: {}{}\n---\nx",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    );
    s.write(
        "data/djup.yaml",
        &format!("a: {}{}\n", "{x: ".repeat(depth), "}".repeat(depth)),
    );
    s.write(
        "templates/index.html",
        "<main>{{ load_data(path=\"data/djup.yaml\") | length }}</main>",
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/djup.md:3:")
            && run
                .stderr
                .contains("error[front-matter::invalid]: the YAML nests more than 64 levels deep"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("invalid YAML at 1:") && run.stderr.contains("more than 64 levels"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_content_file_over_the_size_limit_is_a_located_error() {
    let s = site();
    s.write(
        "config.toml",
        &format!("{CONFIG}\n[handbook]\nmax_content_file_mb = 1\n"),
    );
    let line = "*a* ".repeat(300_000);
    s.write(
        "content/stor.md",
        &format!("+++\ntitle = \"Stor\"\n+++\n{line}"),
    );
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/stor.md:1:1: error[content::too-large]: the file is 2 MiB; content files may be at most 1 MiB"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_link_to_a_folder_outside_the_site_is_one_error_and_never_walked() {
    let outside = TestSite::empty();
    for i in 0..40 {
        outside.write(&format!("träd/{i}/fil.txt"), "x");
        outside.write(&format!("träd/{i}/sida.md"), "+++\ntitle = \"X\"\n+++\n");
    }
    let s = site();
    std::fs::create_dir_all(s.root.join("static")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(outside.root.join("träd"), s.root.join("static/ut"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(outside.root.join("träd"), s.root.join("content/ut"))
        .unwrap_or_else(|e| panic!("{e}"));
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        count(&run, "error[static::outside-root]"),
        1,
        "{}",
        run.stderr
    );
    assert_eq!(
        count(&run, "error[content::outside-root]"),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("static/ut: error[static::outside-root]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("content/ut: error[content::outside-root]"),
        "{}",
        run.stderr
    );
    assert_eq!(
        count(&run, "error["),
        2,
        "nothing under the link was read: {}",
        run.stderr
    );
}

// ---- Bad values -------------------------------------------------------------

#[test]
fn a_base_url_that_is_not_http_or_a_root_is_a_located_config_error() {
    let s = site();
    for bad in [
        "javascript:alert(1)",
        "https://a.example/\\\"><script>",
        "ftp://a.example",
        "https://",
    ] {
        s.write(
            "config.toml",
            &format!("title = \"T\"\nbase_url = \"{bad}\"\n"),
        );
        let run = s.run_cli(&["build"]);
        assert_eq!(run.code, 1, "{bad}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("config.toml:2:1: error[config::invalid-base-url]"),
            "{bad}: {}",
            run.stderr
        );
    }
    for good in [
        "https://intranet.example.se/handbok",
        "http://localhost:1111",
        "/",
    ] {
        s.write("config.toml", &format!("base_url = \"{good}\"\n"));
        let run = s.run_cli(&["build"]);
        assert_eq!(run.code, 0, "{good}: {}", run.stderr);
    }
    s.write("config.toml", CONFIG);
    let run = s.run_cli(&["build", "-u", "javascript:alert(1)"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[config::invalid-base-url]"),
        "{}",
        run.stderr
    );
    assert!(!s.output("a/index.html").contains("javascript:"));
}

#[cfg(target_os = "linux")]
#[test]
fn file_names_that_are_not_utf8_are_reported_not_converted() {
    use std::os::unix::ffi::OsStrExt;
    let s = site();
    let name = std::ffi::OsStr::from_bytes(b"tr\xe5kig.md");
    std::fs::write(
        s.root.join("content").join(name),
        "+++\ntitle = \"X\"\n+++\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(s.root.join("static")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        s.root
            .join("static")
            .join(std::ffi::OsStr::from_bytes(b"bild\xff.png")),
        "x",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[content::name-not-utf8]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("error[static::name-not-utf8]"),
        "{}",
        run.stderr
    );
}

// ---- Raw HTML -----------------------------------------------------------------

#[test]
fn sanitize_removes_scripts_from_raw_html_but_keeps_shortcode_output() {
    let s = site();
    s.write(
        "config.toml",
        &format!("{CONFIG}[markdown]\nsanitize = true\n"),
    );
    s.write(
        "templates/shortcodes/ruta.html",
        "<div class=\"ruta\" data-x=\"1\"><button onclick=\"visa()\">Visa</button></div>",
    );
    s.write(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\n<p onclick=\"stjal()\">Hej<script>stjal()</script></p>\n\n\
         <a href=\"javascript:stjal()\">länk</a> <abbr title=\"Förkortning\">FK</abbr>\n\n{{ ruta() }}\n",
    );
    s.build();
    let main = s.main_html("a/index.html");
    for gone in ["<script", "stjal()", "javascript:", "onclick=\"stjal"] {
        assert!(!main.contains(gone), "{gone} survived: {main}");
    }
    assert!(
        main.contains("<abbr title=\"Förkortning\">FK</abbr>"),
        "{main}"
    );
    assert!(
        main.contains("<button onclick=\"visa()\">Visa</button>"),
        "the site's own shortcode output is not sanitized: {main}"
    );
    // Without the key, raw HTML passes through as in Zola.
    s.write("config.toml", CONFIG);
    s.build();
    assert!(s
        .main_html("a/index.html")
        .contains("<script>stjal()</script>"));
}

/// A linked file that leads out of the site is refused wherever it sits:
/// directly in `content/`, or inside a linked folder that itself stays
/// inside the site. A link that stays inside is read.
#[cfg(unix)]
#[test]
fn a_linked_file_leading_outside_is_refused_even_inside_a_linked_folder() {
    let outside = TestSite::empty();
    outside.write(
        "hemlig.md",
        "+++\ntitle = \"Hemlig\"\n+++\nHEMLIGT INNEHÅLL\n",
    );
    let s = site();
    s.write("annat/sida.md", "+++\ntitle = \"Sida\"\n+++\nInne.\n");
    let link = |from: &std::path::Path, to: &str| {
        std::os::unix::fs::symlink(from, s.root.join(to)).unwrap_or_else(|e| panic!("{e}"))
    };
    link(&outside.root.join("hemlig.md"), "content/direkt.md");
    link(&outside.root.join("hemlig.md"), "annat/via.md");
    link(&s.root.join("annat"), "content/inne");
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for file in ["content/direkt.md", "content/inne/via.md"] {
        assert!(
            run.stderr
                .contains(&format!("{file}: error[content::outside-root]")),
            "{file}: {}",
            run.stderr
        );
    }
    assert_eq!(count(&run, "error["), 2, "{}", run.stderr);
    std::fs::remove_file(s.root.join("content/direkt.md")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::remove_file(s.root.join("annat/via.md")).unwrap_or_else(|e| panic!("{e}"));
    let run = s.run_cli(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page =
        std::fs::read_to_string(s.root.join("public/inne/sida/index.html")).unwrap_or_default();
    assert!(page.contains("Inne."), "the link inside the site is read");
}

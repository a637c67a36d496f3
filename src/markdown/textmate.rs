//! Zola 0.22's `extra_themes` and `extra_grammars` (giallo's VS Code JSON
//! formats) read into syntect's: a VS Code colour theme becomes a syntect
//! theme (its `tokenColors` are TextMate scope rules already), and a
//! TextMate JSON grammar becomes a `.sublime-syntax` definition (matches,
//! begin/end regions, captures, repository includes). What does not
//! translate is an error for the caller to report as a warning.

use serde_json::{json, Map, Value};
use syntect::highlighting::{
    Color, FontStyle, ScopeSelectors, StyleModifier, Theme, ThemeItem, ThemeSettings,
};
use syntect::parsing::SyntaxDefinition;

/// `#rgb`, `#rrggbb` or `#rrggbbaa`.
fn color(text: &str) -> Option<Color> {
    let hex = text.trim().strip_prefix('#')?;
    let digits: Vec<u8> = hex
        .chars()
        .map(|c| c.to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    let pair = |i: usize| digits[i] * 16 + digits[i + 1];
    Some(match digits.len() {
        3 => Color {
            r: digits[0] * 17,
            g: digits[1] * 17,
            b: digits[2] * 17,
            a: 255,
        },
        6 => Color {
            r: pair(0),
            g: pair(2),
            b: pair(4),
            a: 255,
        },
        8 => Color {
            r: pair(0),
            g: pair(2),
            b: pair(4),
            a: pair(6),
        },
        _ => return None,
    })
}

fn font_style(text: &str) -> FontStyle {
    let mut style = FontStyle::empty();
    for word in text.split_whitespace() {
        match word {
            "bold" => style |= FontStyle::BOLD,
            "italic" => style |= FontStyle::ITALIC,
            "underline" => style |= FontStyle::UNDERLINE,
            _ => {}
        }
    }
    style
}

/// A VS Code theme (`{name, colors, tokenColors}`) as a syntect theme,
/// with its name (`fallback` when it has none).
pub(crate) fn theme(text: &str, fallback: &str) -> Result<(String, Theme), String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let name = doc["name"].as_str().unwrap_or(fallback).to_string();
    let colors = &doc["colors"];
    let get = |key: &str| colors[key].as_str().and_then(color);
    let mut settings = ThemeSettings {
        foreground: get("editor.foreground"),
        background: get("editor.background"),
        caret: get("editorCursor.foreground"),
        line_highlight: get("editor.lineHighlightBackground"),
        selection: get("editor.selectionBackground"),
        ..ThemeSettings::default()
    };
    let rules = doc["tokenColors"]
        .as_array()
        .ok_or("the theme has no `tokenColors` list")?;
    let mut scopes = Vec::new();
    for rule in rules {
        let style = &rule["settings"];
        let modifier = StyleModifier {
            foreground: style["foreground"].as_str().and_then(color),
            background: style["background"].as_str().and_then(color),
            font_style: style["fontStyle"].as_str().map(font_style),
        };
        let selector = match &rule["scope"] {
            Value::String(s) => s.clone(),
            Value::Array(list) => list
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", "),
            _ => {
                // A rule without a scope sets the defaults.
                settings.foreground = modifier.foreground.or(settings.foreground);
                settings.background = modifier.background.or(settings.background);
                continue;
            }
        };
        let Ok(scope) = selector.parse::<ScopeSelectors>() else {
            continue;
        };
        scopes.push(ThemeItem {
            scope,
            style: modifier,
        });
    }
    let theme = Theme {
        name: Some(name.clone()),
        author: None,
        settings,
        scopes,
    };
    Ok((name, theme))
}

/// The captures of a rule, `{"1": {name}}` → `{1: scope}`.
fn captures(value: &Value) -> Option<Value> {
    let map = value.as_object()?;
    let out: Map<String, Value> = map
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), Value::String(v["name"].as_str()?.into()))))
        .collect();
    (!out.is_empty()).then_some(Value::Object(out))
}

/// One TextMate rule as sublime-syntax context entries.
fn rule(value: &Value, out: &mut Vec<Value>) -> Result<(), String> {
    if let Some(include) = value["include"].as_str() {
        let target = match include {
            "$self" | "$base" => "main".to_string(),
            s if s.starts_with('#') => s[1..].to_string(),
            // Other grammars are not in this set.
            _ => return Ok(()),
        };
        out.push(json!({ "include": target }));
        return Ok(());
    }
    if let Some(pattern) = value["match"].as_str() {
        let mut entry = json!({ "match": pattern });
        if let Some(scope) = value["name"].as_str() {
            entry["scope"] = scope.into();
        }
        if let Some(c) = captures(&value["captures"]) {
            entry["captures"] = c;
        }
        out.push(entry);
        return Ok(());
    }
    if let Some(begin) = value["begin"].as_str() {
        let end = value["end"]
            .as_str()
            .ok_or("a `begin` rule without `end` (`while` rules are not supported)")?;
        let mut inner = Vec::new();
        if let Some(scope) = value["name"].as_str() {
            inner.push(json!({ "meta_scope": scope }));
        }
        if let Some(scope) = value["contentName"].as_str() {
            inner.push(json!({ "meta_content_scope": scope }));
        }
        let mut end_rule = json!({ "match": end, "pop": true });
        if let Some(c) = captures(&value["endCaptures"]).or_else(|| captures(&value["captures"])) {
            end_rule["captures"] = c;
        }
        inner.push(end_rule);
        patterns(&value["patterns"], &mut inner)?;
        let mut entry = json!({ "match": begin, "push": inner });
        if let Some(c) = captures(&value["beginCaptures"]).or_else(|| captures(&value["captures"]))
        {
            entry["captures"] = c;
        }
        out.push(entry);
        return Ok(());
    }
    // A bare group of patterns.
    patterns(&value["patterns"], out)
}

fn patterns(value: &Value, out: &mut Vec<Value>) -> Result<(), String> {
    for p in value.as_array().map(Vec::as_slice).unwrap_or_default() {
        rule(p, out)?;
    }
    Ok(())
}

/// A TextMate JSON grammar as a syntect syntax definition, named after its
/// `name` (so that a fence can use it) with its `fileTypes` as extensions.
pub(crate) fn grammar(text: &str) -> Result<SyntaxDefinition, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let scope = doc["scopeName"]
        .as_str()
        .ok_or("the grammar has no `scopeName`")?;
    let name = doc["name"].as_str().unwrap_or(scope);
    let mut extensions: Vec<Value> = doc["fileTypes"].as_array().cloned().unwrap_or_default();
    extensions.push(Value::String(name.to_lowercase()));
    let mut contexts = Map::new();
    let mut main = Vec::new();
    patterns(&doc["patterns"], &mut main)?;
    contexts.insert("main".into(), Value::Array(main));
    if let Some(repository) = doc["repository"].as_object() {
        for (key, value) in repository {
            let mut entries = Vec::new();
            rule(value, &mut entries)?;
            contexts.insert(key.clone(), Value::Array(entries));
        }
    }
    let syntax = json!({
        "name": name,
        "scope": scope,
        "file_extensions": extensions,
        "contexts": contexts,
    });
    // JSON is YAML 1.2, which sublime-syntax files are.
    let yaml = format!("%YAML 1.2\n---\n{syntax}\n");
    SyntaxDefinition::load_from_str(&yaml, true, None).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vs_code_theme_becomes_a_syntect_theme() {
        let text = r##"{"name": "mörk", "colors": {"editor.background": "#1a1a1a", "editor.foreground": "#EAD4AF"},
            "tokenColors": [{"settings": {"foreground": "#ffffff"}},
                            {"scope": "comment", "settings": {"foreground": "#908476", "fontStyle": "italic"}},
                            {"scope": ["string", "constant"], "settings": {"foreground": "#abc"}}]}"##;
        let (name, theme) = theme(text, "x").expect("a theme");
        assert_eq!(name, "mörk");
        assert_eq!(
            theme.settings.background,
            Some(Color {
                r: 0x1a,
                g: 0x1a,
                b: 0x1a,
                a: 255
            })
        );
        assert_eq!(theme.scopes.len(), 2);
        assert_eq!(theme.scopes[0].style.font_style, Some(FontStyle::ITALIC));
        assert_eq!(
            theme.scopes[1].style.foreground,
            Some(Color {
                r: 0xaa,
                g: 0xbb,
                b: 0xcc,
                a: 255
            })
        );
    }

    #[test]
    fn a_textmate_grammar_becomes_a_syntax() {
        let text = r##"{"name": "mylang", "scopeName": "source.mylang", "fileTypes": ["ml2"],
            "patterns": [{"match": "\\b(if|else)\\b", "name": "keyword.control.mylang"},
                         {"include": "#strings"}],
            "repository": {"strings": {"begin": "\"", "end": "\"", "name": "string.quoted.mylang",
                                       "patterns": [{"match": "\\\\.", "name": "constant.character.escape"}]}}}"##;
        let syntax = grammar(text).expect("a syntax");
        assert_eq!(syntax.name, "mylang");
        assert!(syntax.file_extensions.contains(&"mylang".to_string()));
        assert!(syntax.contexts.contains_key("strings"));
    }

    #[test]
    fn what_does_not_translate_is_an_error() {
        assert!(grammar("{}").is_err());
        assert!(theme("[]", "x").is_err());
        assert!(
            grammar(r#"{"scopeName": "s", "patterns": [{"begin": "a", "while": "b"}]}"#).is_err()
        );
    }
}

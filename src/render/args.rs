//! Reading the arguments of template functions: one rule for every
//! function, so a `null` argument means "not given" everywhere (as when a
//! template passes an unset variable through `default`), and every type
//! error names the function and the argument.

use serde_json::Value;
use std::collections::HashMap;
use tera::Result as TeraResult;

/// A string argument, if given.
pub(super) fn arg_str(
    args: &HashMap<String, Value>,
    name: &str,
    func: &str,
) -> TeraResult<Option<String>> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => {
            Err(format!("`{func}`: argument `{name}` must be a string, got {other}").into())
        }
    }
}

/// A boolean argument, or `default`.
pub(super) fn arg_bool(
    args: &HashMap<String, Value>,
    name: &str,
    func: &str,
    default: bool,
) -> TeraResult<bool> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(format!(
            "`{func}`: argument `{name}` must be a boolean (true or false), got {other}"
        )
        .into()),
    }
}

/// A non-negative integer argument, if given.
pub(super) fn arg_uint(
    args: &HashMap<String, Value>,
    name: &str,
    func: &str,
    max: u64,
) -> TeraResult<Option<u64>> {
    let bad = || -> tera::Error {
        format!("`{func}`: argument `{name}` must be a whole number from 0 to {max}").into()
    };
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            let v = n
                .as_u64()
                .or_else(|| {
                    n.as_f64()
                        .filter(|f| f.fract() == 0.0 && *f >= 0.0)
                        .map(|f| f as u64)
                })
                .ok_or_else(bad)?;
            if v > max {
                return Err(bad());
            }
            Ok(Some(v))
        }
        Some(_) => Err(bad()),
    }
}

/// A string argument that must be given.
pub(super) fn required_str(
    args: &HashMap<String, Value>,
    name: &str,
    func: &str,
) -> TeraResult<String> {
    arg_str(args, name, func)?
        .ok_or_else(|| format!("`{func}` requires a `{name}` argument with a string value").into())
}

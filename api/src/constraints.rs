//! Every constraint the server enforces on an input, stated in the OpenAPI document, so a client
//! generated from it never sends what the server refuses as malformed. The request parser refuses
//! control characters and bidirectional overrides in any text, dates outside 1900-2199, amounts
//! of more than 11 integer digits or 2 decimals, and keys and versions of the wrong shape; these
//! patterns say so once, for every string of the document, instead of at each of its fields.
use serde_json::Value;

/// Text with no control character (but tab and newline), no bidirectional override and no
/// character that prints as nothing (`normal_form::invisible`; the pattern names the ones of the
/// Basic Multilingual Plane, which every regex dialect can write: the few astral format
/// characters, such as tag characters, are refused by the server all the same).
pub const TEXT: &str = r"^[^\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890-\u0891\u08E2\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]*$";
/// A calendar date from 1900 to 2199.
pub const DATE: &str = r"^(19[0-9]{2}|2[01][0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
/// An amount: at most 11 integer digits (below the 100-billion bound) and two decimals.
pub const MONEY: &str = r"^-?[0-9]{1,11}(\.[0-9]{1,2})?$";
/// An amount a caller sends: at most 100,000,000.00 either way (bookkeeping's `MAX_INPUT`).
pub const MONEY_INPUT: &str = r"^-?(100000000(\.0{1,2})?|[0-9]{1,8}(\.[0-9]{1,2})?)$";
/// A decimal number such as hours or a rate's value.
pub const DECIMAL: &str = r"^-?[0-9]{1,15}(\.[0-9]{1,13})?$";
/// An `Idempotency-Key`: 1-255 visible ASCII characters.
pub const IDEMPOTENCY_KEY: &str = r"^[!-~]{1,255}$";
/// An `If-Match` version: the ETag the resource gave, e.g. `"2"`.
pub const IF_MATCH: &str = r#"^(W/)?"?[0-9]{1,9}"?$"#;

/// The document with the patterns above on every string that has none of its own.
pub fn constrain(doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let Ok(mut v) = serde_json::to_value(&doc) else {
        return doc;
    };
    if let Some(paths) = v.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            for op in item
                .as_object_mut()
                .into_iter()
                .flat_map(|o| o.values_mut())
            {
                for p in op
                    .get_mut("parameters")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    let name = p["name"].as_str().unwrap_or("").to_ascii_lowercase();
                    let schema = &mut p["schema"];
                    match name.as_str() {
                        "idempotency-key" => set_pattern(schema, IDEMPOTENCY_KEY),
                        "if-match" => set_pattern(schema, IF_MATCH),
                        _ => walk(schema, ""),
                    }
                }
                if let Some(body) = op.get_mut("requestBody") {
                    walk(body, "");
                    bound_amounts(body);
                }
            }
        }
    }
    if let Some(schemas) = v
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, s) in schemas.iter_mut() {
            // The response-only and documentation schemas are left as they are (an import's
            // issue repeats a file's cell as it was, whatever it holds).
            if !matches!(name.as_str(), "Problem" | "ProblemFieldError" | "IssueView") {
                walk(s, name);
            }
        }
    }
    // The schemas a request body names (and those they name): their amounts are a caller's.
    let mut inputs = std::collections::BTreeSet::new();
    if let Some(paths) = v.get("paths") {
        for op in paths
            .as_object()
            .into_iter()
            .flat_map(|o| o.values())
            .flat_map(|item| item.as_object().into_iter().flat_map(|o| o.values()))
        {
            if let Some(body) = op.get("requestBody") {
                refs(body, &mut inputs);
            }
        }
    }
    let mut todo: Vec<String> = inputs.iter().cloned().collect();
    while let Some(name) = todo.pop() {
        let mut more = std::collections::BTreeSet::new();
        if let Some(s) = v.pointer(&format!("/components/schemas/{name}")) {
            refs(s, &mut more);
        }
        for m in more {
            if inputs.insert(m.clone()) {
                todo.push(m);
            }
        }
    }
    for name in inputs.iter().filter(|n| *n != "Money") {
        if let Some(s) = v.pointer_mut(&format!("/components/schemas/{name}")) {
            bound_amounts(s);
        }
    }
    // The amount a caller sends, beside the ledger's own (which responses carry).
    if let Some(money) = v.pointer("/components/schemas/Money").cloned() {
        let mut input = money;
        bound_amounts(&mut input);
        if let Some(o) = input.as_object_mut() {
            o.insert(
                "description".into(),
                Value::String("Amount in DKK sent by a caller: a decimal string with at most two decimals, at most 100000000.00 either way".into()),
            );
        }
        if let Some(schemas) = v
            .pointer_mut("/components/schemas")
            .and_then(Value::as_object_mut)
        {
            schemas.insert("InputMoney".into(), input);
        }
    }
    serde_json::from_value(v).unwrap_or(doc)
}

/// The component schemas `v` refers to.
fn refs(v: &Value, out: &mut std::collections::BTreeSet<String>) {
    match v {
        Value::Object(o) => {
            if let Some(r) = o.get("$ref").and_then(Value::as_str) {
                if let Some(name) = r.strip_prefix("#/components/schemas/") {
                    out.insert(name.to_string());
                }
            }
            o.values().for_each(|x| refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// Every amount in a request schema gets the caller's bound instead of the ledger's.
fn bound_amounts(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if o.get("pattern").and_then(Value::as_str) == Some(MONEY) {
                o.insert("pattern".into(), Value::String(MONEY_INPUT.into()));
            }
            if o.get("$ref").and_then(Value::as_str) == Some("#/components/schemas/Money") {
                o.insert(
                    "$ref".into(),
                    Value::String("#/components/schemas/InputMoney".into()),
                );
            }
            o.values_mut().for_each(bound_amounts);
        }
        Value::Array(a) => a.iter_mut().for_each(bound_amounts),
        _ => {}
    }
}

fn set_pattern(schema: &mut Value, pattern: &str) {
    if let Some(o) = schema.as_object_mut() {
        o.insert("pattern".into(), Value::String(pattern.into()));
    }
}

/// Adds the pattern a string needs, by its format or its field name, unless it has one or is an
/// enumeration.
fn walk(v: &mut Value, field: &str) {
    match v {
        Value::Object(o) => {
            let is_string = o.get("type").is_some_and(|t| {
                t == "string"
                    || t.as_array()
                        .is_some_and(|a| a.iter().any(|x| x == "string"))
            });
            if is_string && !o.contains_key("pattern") && !o.contains_key("enum") {
                let pattern = match (o.get("format").and_then(Value::as_str), field) {
                    (Some("date"), _) => Some(DATE),
                    (Some("date-time"), _) => None,
                    // A file (a payroll CSV): bytes in any encoding, judged by its reader.
                    (Some("binary"), _) => None,
                    (_, "hours" | "value") => Some(DECIMAL),
                    _ => Some(TEXT),
                };
                if let Some(p) = pattern {
                    o.insert("pattern".into(), Value::String(p.into()));
                }
            }
            let keys: Vec<String> = o.keys().cloned().collect();
            for k in keys {
                let child_field = match k.as_str() {
                    "properties" => {
                        if let Some(Value::Object(props)) = o.get_mut("properties") {
                            for (name, p) in props.iter_mut() {
                                walk(p, name);
                            }
                        }
                        continue;
                    }
                    "items" | "oneOf" | "anyOf" | "allOf" | "schema" | "content" => {
                        field.to_string()
                    }
                    _ => continue,
                };
                if let Some(child) = o.get_mut(&k) {
                    walk_children(child, &child_field);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| walk(x, field)),
        _ => {}
    }
}

fn walk_children(v: &mut Value, field: &str) {
    match v {
        Value::Array(a) => a.iter_mut().for_each(|x| walk(x, field)),
        Value::Object(o) if !o.contains_key("type") && !o.contains_key("$ref") => {
            // A map of media types (requestBody.content): walk each.
            o.values_mut().for_each(|x| walk(x, field));
        }
        other => walk(other, field),
    }
}

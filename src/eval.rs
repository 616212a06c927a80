//! `testscope eval`: scores the advisor against labelled examples, so a team
//! that edits `responses/` can see whether answers got better or worse.
//!
//! The file is JSON Lines. Each line is one example: the message (`text`)
//! and whichever labels its author insists on. A label that is absent is not
//! checked; a label that is present must match exactly (`traps` and
//! `no_traps` are sets the answer must include or avoid).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::advise;
use crate::advisor::{Advice, Reading};
use crate::kb::KnowledgeBase;

/// One labelled example, parsed and checked against the knowledge base's ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// 1-based line in the file.
    pub line: usize,
    pub text: String,
    pub cat: String,
    pub reading: Option<Reading>,
    /// `Some(None)`: the answer must have no scope.
    pub primary: Option<Option<String>>,
    pub scopes: Option<Vec<String>>,
    pub stages: Option<Vec<String>>,
    pub traps: Vec<String>,
    pub no_traps: Vec<String>,
    pub confident: Option<bool>,
}

const FIELDS: [&str; 10] = [
    "text",
    "cat",
    "reading",
    "primary",
    "scopes",
    "stages",
    "traps",
    "no_traps",
    "confident",
    "note",
];

/// Parses a whole file. Every bad line is reported, as `FILE:LINE: problem`.
pub fn parse(kb: &KnowledgeBase, file: &str, text: &str) -> Result<Vec<Example>, Vec<String>> {
    let mut examples = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("//") {
            continue;
        }
        match parse_line(kb, i + 1, trimmed) {
            Ok(e) => examples.push(e),
            Err(msg) => errors.push(format!("{file}:{}: {msg}", i + 1)),
        }
    }
    if examples.is_empty() && errors.is_empty() {
        errors.push(format!("{file}: no examples"));
    }
    if errors.is_empty() {
        Ok(examples)
    } else {
        Err(errors)
    }
}

fn parse_line(kb: &KnowledgeBase, line: usize, raw: &str) -> Result<Example, String> {
    let value: Value = serde_json::from_str(raw).map_err(|e| format!("not valid JSON: {e}"))?;
    let Value::Object(obj) = value else {
        return Err("each line must be a JSON object".to_owned());
    };
    if let Some(key) = obj.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        return Err(format!(
            "unknown field `{key}` (expected one of: {})",
            FIELDS.join(", ")
        ));
    }
    let text = match obj.get("text") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(Value::String(_)) => return Err("`text` is empty".to_owned()),
        Some(_) => return Err("`text` must be a string".to_owned()),
        None => return Err("`text` is missing".to_owned()),
    };
    let cat = match obj.get("cat") {
        None => "all".to_owned(),
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(_) => return Err("`cat` must be a non-empty string".to_owned()),
    };
    let reading = match obj.get("reading") {
        None => None,
        Some(Value::String(s)) => Some(
            Reading::parse(s)
                .ok_or_else(|| format!("`reading` must be one of {}", Reading::NAMES.join(", ")))?,
        ),
        Some(_) => return Err("`reading` must be a string".to_owned()),
    };
    let scope_ids: Vec<&str> = kb.scopes.iter().map(|s| s.id.as_str()).collect();
    let stage_ids: Vec<&str> = kb.stages.iter().map(|s| s.id.as_str()).collect();
    let trap_ids: Vec<&str> = kb.traps.iter().map(|t| t.id.as_str()).collect();
    let primary = match obj.get("primary") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(s)) => Some(Some(known("primary", s, &scope_ids)?)),
        Some(_) => return Err("`primary` must be a scope id or null".to_owned()),
    };
    let confident = match obj.get("confident") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => return Err("`confident` must be true or false".to_owned()),
    };
    Ok(Example {
        line,
        text,
        cat,
        reading,
        primary,
        scopes: ids(&obj, "scopes", &scope_ids)?,
        stages: ids(&obj, "stages", &stage_ids)?,
        traps: ids(&obj, "traps", &trap_ids)?.unwrap_or_default(),
        no_traps: ids(&obj, "no_traps", &trap_ids)?.unwrap_or_default(),
        confident,
    })
}

fn known(field: &str, id: &str, allowed: &[&str]) -> Result<String, String> {
    if allowed.contains(&id) {
        Ok(id.to_owned())
    } else {
        Err(format!(
            "`{field}`: unknown id `{id}` (known: {})",
            allowed.join(", ")
        ))
    }
}

/// A list of ids, put into the knowledge base's order so the comparison does
/// not depend on how the author ordered them.
fn ids(
    obj: &Map<String, Value>,
    field: &str,
    allowed: &[&str],
) -> Result<Option<Vec<String>>, String> {
    let Some(v) = obj.get(field) else {
        return Ok(None);
    };
    let Value::Array(items) = v else {
        return Err(format!("`{field}` must be an array of ids"));
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Value::String(s) = item else {
            return Err(format!("`{field}` must be an array of ids"));
        };
        out.push(known(field, s, allowed)?);
    }
    out.sort_by_key(|id| allowed.iter().position(|a| a == id));
    out.dedup();
    Ok(Some(out))
}

/// Every way one answer differs from its labels; empty when it is right.
pub fn differences(example: &Example, advice: &Advice) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(want) = example.reading
        && advice.reading != want
    {
        out.push(format!(
            "reading: expected {}, got {}",
            want.name(),
            advice.reading.name()
        ));
    }
    if let Some(want) = &example.primary
        && &advice.primary_scope != want
    {
        out.push(format!(
            "primary: expected {}, got {}",
            or_none(want.as_deref()),
            or_none(advice.primary_scope.as_deref())
        ));
    }
    if let Some(want) = &example.scopes
        && &advice.scopes != want
    {
        out.push(format!(
            "scopes: expected {want:?}, got {:?}",
            advice.scopes
        ));
    }
    if let Some(want) = &example.stages
        && &advice.stages != want
    {
        out.push(format!(
            "stages: expected {want:?}, got {:?}",
            advice.stages
        ));
    }
    let missing: Vec<&str> = example
        .traps
        .iter()
        .filter(|t| !advice.traps.contains(t))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        out.push(format!("traps: missing {missing:?}"));
    }
    let unwanted: Vec<&str> = example
        .no_traps
        .iter()
        .filter(|t| advice.traps.contains(t))
        .map(String::as_str)
        .collect();
    if !unwanted.is_empty() {
        out.push(format!("traps: should not show {unwanted:?}"));
    }
    if let Some(want) = example.confident
        && advice.confident != want
    {
        out.push(format!(
            "confident: expected {want}, got {}",
            advice.confident
        ));
    }
    out
}

fn or_none(s: Option<&str>) -> &str {
    s.unwrap_or("none")
}

/// An example the advisor got wrong.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub line: usize,
    pub cat: String,
    pub text: String,
    pub differences: Vec<String>,
    /// The rules that fired, for finding the one to fix.
    pub rules: Vec<String>,
    pub trace: Vec<String>,
}

/// Accuracy overall and per category, the primary-scope confusion matrix and
/// every miss.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub total: usize,
    pub passed: usize,
    pub accuracy: f64,
    /// Per `cat`: (passed, total).
    pub by_cat: BTreeMap<String, (usize, usize)>,
    /// Row labels: expected primary scope ("none" for no scope); columns:
    /// the answer's. Only examples that label `primary` count.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    pub misses: Vec<Miss>,
}

/// Runs the advisor on every example.
pub fn evaluate(kb: &KnowledgeBase, examples: &[Example]) -> Report {
    let mut by_cat: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut misses = Vec::new();
    for ex in examples {
        let advice = advise(kb, &ex.text);
        let diffs = differences(ex, &advice);
        let entry = by_cat.entry(ex.cat.clone()).or_default();
        entry.1 += 1;
        if let Some(want) = &ex.primary {
            *confusion
                .entry(or_none(want.as_deref()).to_owned())
                .or_default()
                .entry(or_none(advice.primary_scope.as_deref()).to_owned())
                .or_default() += 1;
        }
        if diffs.is_empty() {
            entry.0 += 1;
        } else {
            misses.push(Miss {
                line: ex.line,
                cat: ex.cat.clone(),
                text: ex.text.clone(),
                differences: diffs,
                rules: advice.matched.iter().map(|m| m.rule.clone()).collect(),
                trace: advice.trace.clone(),
            });
        }
    }
    let total = examples.len();
    let passed = total - misses.len();
    Report {
        total,
        passed,
        accuracy: if total == 0 {
            0.0
        } else {
            passed as f64 / total as f64
        },
        by_cat,
        confusion,
        misses,
    }
}

impl Report {
    /// The report for a terminal: misses first, the summary last, so the
    /// figure a reader wants is on screen when the command ends.
    pub fn to_text(&self, kb: &KnowledgeBase) -> String {
        let mut out = String::new();
        for m in &self.misses {
            let _ = writeln!(
                out,
                "MISS line {} [{}]: {}",
                m.line,
                m.cat,
                one_line(&m.text)
            );
            for d in &m.differences {
                let _ = writeln!(out, "    {d}");
            }
            let rules = if m.rules.is_empty() {
                "none".to_owned()
            } else {
                m.rules.join(", ")
            };
            let _ = writeln!(out, "    rules fired: {rules}");
            for step in &m.trace {
                let _ = writeln!(out, "    decided: {step}");
            }
        }
        if !self.misses.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "By category:");
        let width = self.by_cat.keys().map(String::len).max().unwrap_or(0);
        for (cat, (pass, total)) in &self.by_cat {
            let _ = writeln!(
                out,
                "  {cat:<width$}  {pass:>4}/{total:<4} {:>5.1}%",
                percent(*pass, *total)
            );
        }
        let mut columns: Vec<String> = kb.scopes.iter().map(|s| s.id.clone()).collect();
        columns.push("none".to_owned());
        if !self.confusion.is_empty() {
            let _ = writeln!(out, "\nPrimary scope (rows: expected, columns: answered):");
            let w = columns.iter().map(String::len).max().unwrap_or(4);
            let _ = write!(out, "  {:<w$}", "");
            for c in &columns {
                let _ = write!(out, "  {c:>w$}");
            }
            out.push('\n');
            for row in &columns {
                let Some(cells) = self.confusion.get(row) else {
                    continue;
                };
                let _ = write!(out, "  {row:<w$}");
                for c in &columns {
                    let _ = write!(out, "  {:>w$}", cells.get(c).copied().unwrap_or(0));
                }
                out.push('\n');
            }
        }
        let _ = writeln!(
            out,
            "\nAccuracy: {}/{} = {:.1}%",
            self.passed,
            self.total,
            self.accuracy * 100.0
        );
        out
    }
}

fn percent(pass: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        pass as f64 * 100.0 / total as f64
    }
}

fn one_line(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c == '\n' { '⏎' } else { c })
        .collect();
    if flat.chars().count() > 160 {
        let cut: String = flat.chars().take(157).collect();
        format!("{cut}...")
    } else {
        flat
    }
}

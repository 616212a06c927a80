//! The team's "Not quite" reports outside Slack: `testscope feedback list`
//! for people, `testscope feedback export --format jsonl` as labelled
//! examples in the `testscope eval` format, so a miss becomes a regression
//! case in one command.

use serde_json::{Map, Value, json};

use crate::store::MissReport;

/// The `cat` of exported examples, so `testscope eval` reports them apart.
pub const EXPORT_CATEGORY: &str = "feedback";

/// One labelled example per report: the question as `text`, what the person
/// expected as `primary` (null: no scope) and `stages`, and the answer
/// given and their comment in `note`, which `testscope eval` ignores.
pub fn export_jsonl(misses: &[MissReport]) -> String {
    let mut out = String::new();
    for m in misses {
        let mut line = Map::new();
        line.insert("text".into(), json!(m.question));
        line.insert("cat".into(), json!(EXPORT_CATEGORY));
        line.insert("primary".into(), json!(m.expected_scope));
        if let Some(stage) = &m.expected_stage {
            line.insert("stages".into(), json!([stage]));
        }
        line.insert("note".into(), json!(note(m)));
        out.push_str(&Value::Object(line).to_string());
        out.push('\n');
    }
    out
}

fn note(m: &MissReport) -> String {
    let mut note = format!(
        "reported {} by {}: the answer was {}{}",
        date(m.at),
        m.user_id,
        m.given_scope.as_deref().unwrap_or("no scope"),
        if m.given_rules.is_empty() {
            String::new()
        } else {
            format!(" (rules: {})", m.given_rules.join(", "))
        }
    );
    if let Some(c) = &m.comment {
        note.push_str("; ");
        note.push_str(c);
    }
    note
}

fn date(at: i64) -> String {
    jiff::Timestamp::from_second(at)
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|_| at.to_string())
}

/// The reports for a terminal, newest first.
pub fn list_text(misses: &[MissReport]) -> String {
    if misses.is_empty() {
        return "No Not quite reports in this period.\n".to_owned();
    }
    let mut out = String::new();
    for m in misses {
        let said = format!(
            "{}{}",
            m.given_scope.as_deref().unwrap_or("no scope"),
            if m.given_stages.is_empty() {
                String::new()
            } else {
                format!(" in {}", m.given_stages.join(", "))
            }
        );
        let expected = format!(
            "{}{}",
            m.expected_scope.as_deref().unwrap_or("no scope"),
            m.expected_stage
                .as_deref()
                .map(|s| format!(" in {s}"))
                .unwrap_or_default()
        );
        out.push_str(&format!(
            "{}  {} in {}\n  question: {}\n  said:     {said}\n  expected: {expected}\n",
            date(m.at),
            m.user_id,
            m.channel_id,
            m.question.replace('\n', " ")
        ));
        if !m.given_rules.is_empty() {
            out.push_str(&format!("  rules:    {}\n", m.given_rules.join(", ")));
        }
        if let Some(c) = &m.comment {
            out.push_str(&format!("  comment:  {}\n", c.replace('\n', " ")));
        }
        out.push('\n');
    }
    out
}

/// `--since 2026-11-01` as unix seconds (midnight UTC).
pub fn parse_since(date: &str) -> Result<i64, String> {
    let day: jiff::civil::Date = date
        .trim()
        .parse()
        .map_err(|_| format!("--since wants a date like 2026-11-01, got `{date}`"))?;
    jiff::tz::TimeZone::UTC
        .to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
        .map(|t| t.as_second())
        .map_err(|e| format!("--since {date}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn miss(expected: Option<&str>, stage: Option<&str>) -> MissReport {
        MissReport {
            advice_id: "a".into(),
            team_id: "T1".into(),
            channel_id: "C1".into(),
            user_id: "U1".into(),
            question: "we changed the \"pyfunc\" wrapper\nand its signature".into(),
            given_scope: Some("unit".into()),
            given_stages: vec!["dev".into()],
            given_rules: vec!["one-function".into()],
            expected_scope: expected.map(Into::into),
            expected_stage: stage.map(Into::into),
            comment: Some("the signature is the model's interface".into()),
            at: 1_790_000_000,
        }
    }

    #[test]
    fn every_export_line_is_a_labelled_example_eval_reads() {
        let kb = crate::KnowledgeBase::load(None).unwrap();
        let jsonl = export_jsonl(&[miss(Some("integration"), Some("test")), miss(None, None)]);
        assert_eq!(jsonl.lines().count(), 2, "{jsonl}");
        let examples = crate::eval::parse(&kb, "export.jsonl", &jsonl).expect("eval reads it");
        assert_eq!(
            examples[0].text,
            "we changed the \"pyfunc\" wrapper\nand its signature"
        );
        assert_eq!(examples[0].cat, EXPORT_CATEGORY);
        assert_eq!(examples[0].primary, Some(Some("integration".to_owned())));
        assert_eq!(examples[0].stages, Some(vec!["test".to_owned()]));
        assert_eq!(
            examples[1].primary,
            Some(None),
            "'no tests needed' must have no scope"
        );
        assert_eq!(examples[1].stages, None);
    }

    #[test]
    fn since_is_midnight_utc_and_bad_dates_say_what_is_wanted() {
        assert_eq!(parse_since("1970-01-02"), Ok(86_400));
        let err = parse_since("last week").unwrap_err();
        assert!(err.contains("2026-11-01"), "{err}");
    }

    #[test]
    fn the_list_names_what_was_said_and_what_was_expected() {
        let text = list_text(&[miss(Some("integration"), Some("test"))]);
        assert!(text.contains("said:     unit in dev"), "{text}");
        assert!(text.contains("expected: integration in test"), "{text}");
        assert!(text.contains("comment:  the signature"), "{text}");
        assert!(list_text(&[]).contains("No Not quite reports"));
    }
}

//! Cue check for a quiz bank: can a player score without reading the
//! scenario? Each statistic here is a shortcut test-takers really use (pick
//! the longest option, drop the straw man, distrust "always"), measured over
//! the whole bank. Loading fails when one of the simple strategies would score
//! more than [`MAX_STRATEGY_SCORE`], so a bank cannot drift into being gameable.

use std::fmt;

use super::compile::Question;

/// A simple strategy scoring above this share of the bank fails the check.
/// Four options give 25% by chance; 40% leaves room for honest variation.
pub const MAX_STRATEGY_SCORE: f64 = 0.40;

/// Below this many questions the shares are noise (one question moves them by
/// 5 points or more), so a small bank is reported but not failed.
pub const MIN_QUESTIONS: usize = 20;

/// "Much longer": the longest option beats the next by at least this share.
const MUCH_LONGER: f64 = 0.20;

/// Options within this share of the question's mean length count as even.
const EVEN_SPREAD: f64 = 0.15;

/// Phrases that make an option an obvious non-answer.
const STRAW_MEN: [&str; 6] = [
    "nothing",
    "no tests",
    "no test",
    "do nothing",
    "no testing",
    "skip",
];

/// Words that make an option sound sweeping; test-wise players distrust them.
const ABSOLUTE_WORDS: [&str; 6] = ["only", "never", "always", "skip", "all", "every"];

/// Words that make a plan sound thorough; "pick the most thorough plan" is the
/// strategy of a player who assumes more testing is always the answer.
const THOROUGH_WORDS: [&str; 16] = [
    "full",
    "all",
    "every",
    "end-to-end",
    "whole",
    "complete",
    "entire",
    "and",
    "plus",
    "both",
    "then",
    "each",
    "load",
    "gate",
    "rollout",
    "integration",
];

/// The statistics of one bank, as `testscope check` prints them.
#[derive(Debug, Clone, PartialEq)]
pub struct CueReport {
    /// What the bank is ("all questions", "generic platform").
    pub name: String,
    pub questions: usize,
    /// The key is strictly the longest option.
    pub key_longest: usize,
    /// Mean share by which such a key beats the next option.
    pub key_longest_margin: f64,
    /// Questions whose longest option is ≥ 20% longer than the next one…
    pub much_longer: usize,
    /// …and how many of those have it as the key.
    pub much_longer_key: usize,
    /// Questions whose options all sit within ±15% of their mean length.
    pub even_lengths: usize,
    pub straw_men: usize,
    pub straw_men_keys: usize,
    pub distractors: usize,
    pub absolute_distractors: usize,
    pub absolute_keys: usize,
    /// How many keys sit at each position (A, B, C, …).
    pub key_positions: Vec<usize>,
    /// (strategy, expected share of questions answered right).
    pub strategies: Vec<(&'static str, f64)>,
}

impl CueReport {
    /// The best-scoring simple strategy.
    pub fn best_strategy(&self) -> (&'static str, f64) {
        self.strategies
            .iter()
            .copied()
            .fold(("none", 0.0), |best, s| if s.1 > best.1 { s } else { best })
    }

    /// Whether the bank is big enough to judge and a strategy beats the limit.
    pub fn fails(&self) -> bool {
        self.questions >= MIN_QUESTIONS && self.best_strategy().1 > MAX_STRATEGY_SCORE
    }
}

/// What a test-wise player notices about one option, read once: every bank
/// is checked on each load, so the words are split a single time.
struct OptionCues {
    len: usize,
    straw_man: bool,
    absolute: bool,
    /// Thorough words plus the steps the option chains with commas.
    thoroughness: usize,
}

impl OptionCues {
    fn of(option: &str) -> Self {
        // " word word ... " in lower case, so phrases match on word edges.
        let mut spaced = String::with_capacity(option.len() + 2);
        spaced.push(' ');
        let mut absolute = false;
        let mut thoroughness = option.matches([',', '+', ';']).count();
        for w in option
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .filter(|w| !w.is_empty())
        {
            let w = w.to_lowercase();
            absolute |= ABSOLUTE_WORDS.contains(&w.as_str());
            thoroughness += usize::from(THOROUGH_WORDS.contains(&w.as_str()));
            spaced.push_str(&w);
            spaced.push(' ');
        }
        let straw_man = STRAW_MEN.iter().any(|s| {
            spaced
                .match_indices(s)
                .any(|(i, _)| spaced[..i].ends_with(' ') && spaced[i + s.len()..].starts_with(' '))
        });
        OptionCues {
            len: option.chars().count(),
            straw_man,
            absolute,
            thoroughness,
        }
    }
}

pub fn is_straw_man(option: &str) -> bool {
    OptionCues::of(option).straw_man
}

pub fn has_absolute(option: &str) -> bool {
    OptionCues::of(option).absolute
}

/// Expected score of picking uniformly among the options `picked` marks:
/// a tie between k options earns 1/k when the key is among them.
fn credit(q: &Question, picked: &[bool]) -> f64 {
    let n = picked.iter().filter(|p| **p).count();
    if n == 0 {
        // Nothing left to pick from: fall back to a blind guess.
        return 1.0 / q.options.len() as f64;
    }
    if picked[q.correct] {
        1.0 / n as f64
    } else {
        0.0
    }
}

/// Marks the options whose score equals the best score.
fn best_by(cues: &[OptionCues], score: impl Fn(&OptionCues) -> Option<usize>) -> Vec<bool> {
    let scores: Vec<Option<usize>> = cues.iter().map(score).collect();
    let best = scores.iter().flatten().max().copied();
    scores.iter().map(|s| s.is_some() && *s == best).collect()
}

pub fn report(name: &str, bank: &[&Question]) -> CueReport {
    let mut r = CueReport {
        name: name.to_owned(),
        questions: bank.len(),
        key_longest: 0,
        key_longest_margin: 0.0,
        much_longer: 0,
        much_longer_key: 0,
        even_lengths: 0,
        straw_men: 0,
        straw_men_keys: 0,
        distractors: 0,
        absolute_distractors: 0,
        absolute_keys: 0,
        key_positions: vec![0; bank.iter().map(|q| q.options.len()).max().unwrap_or(0)],
        strategies: Vec::new(),
    };
    let mut margins = 0.0;
    let mut scores = [0.0; 6];
    let mut position_hits = vec![0.0; r.key_positions.len()];
    for q in bank {
        let cues: Vec<OptionCues> = q.options.iter().map(|o| OptionCues::of(o)).collect();
        let lens: Vec<usize> = cues.iter().map(|c| c.len).collect();
        let mut sorted = lens.clone();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        let (first, second) = (sorted[0], sorted.get(1).copied().unwrap_or(0));
        let margin = if second == 0 {
            0.0
        } else {
            first as f64 / second as f64 - 1.0
        };
        let key_is_longest = lens[q.correct] == first && first > second;
        if key_is_longest {
            r.key_longest += 1;
            margins += margin;
        }
        if margin >= MUCH_LONGER {
            r.much_longer += 1;
            r.much_longer_key += usize::from(key_is_longest);
        }
        let mean = lens.iter().sum::<usize>() as f64 / lens.len() as f64;
        if lens
            .iter()
            .all(|l| (*l as f64 - mean).abs() <= EVEN_SPREAD * mean)
        {
            r.even_lengths += 1;
        }
        for (i, c) in cues.iter().enumerate() {
            r.straw_men += usize::from(c.straw_man);
            if i == q.correct {
                r.straw_men_keys += usize::from(c.straw_man);
                r.absolute_keys += usize::from(c.absolute);
            } else {
                r.distractors += 1;
                r.absolute_distractors += usize::from(c.absolute);
            }
        }
        r.key_positions[q.correct] += 1;
        for (p, hits) in position_hits.iter_mut().enumerate() {
            // A fixed letter beyond this question's options scores nothing.
            *hits += f64::from(u8::from(p == q.correct));
        }

        scores[0] += credit(q, &best_by(&cues, |c| Some(c.len)));
        scores[1] += credit(q, &best_by(&cues, |c| Some(usize::MAX - c.len)));
        // Skip the longest, take the next longest.
        scores[2] += credit(q, &best_by(&cues, |c| (c.len < first).then_some(c.len)));
        scores[3] += credit(q, &best_by(&cues, |c| Some(c.thoroughness)));
        // Cross out straw men and sweeping words, guess among the rest.
        let plausible: Vec<bool> = cues.iter().map(|c| !c.straw_man && !c.absolute).collect();
        scores[4] += credit(q, &plausible);
    }
    let n = bank.len().max(1) as f64;
    if r.key_longest > 0 {
        r.key_longest_margin = margins / r.key_longest as f64;
    }
    let (best_pos, best_hits) = position_hits
        .iter()
        .copied()
        .enumerate()
        .fold((0, 0.0), |b, p| if p.1 > b.1 { p } else { b });
    scores[5] = best_hits;
    let fixed: &'static str = match best_pos {
        0 => "always A",
        1 => "always B",
        2 => "always C",
        3 => "always D",
        _ => "always E",
    };
    r.strategies = vec![
        ("always the longest", scores[0] / n),
        ("always the shortest", scores[1] / n),
        ("skip the longest, take the next", scores[2] / n),
        ("the most thorough-sounding plan", scores[3] / n),
        ("cross out straw men and absolutes, guess", scores[4] / n),
        (fixed, scores[5] / n),
    ];
    r
}

/// The banks a team plays: everything, and the platform-neutral questions a
/// non-Databricks team would get. Second phrasings are posted like any
/// question, so each counts as one more question here.
pub fn reports(quiz: &[Question]) -> Vec<CueReport> {
    let all: Vec<&Question> = quiz
        .iter()
        .flat_map(|q| std::iter::once(q).chain(q.again.as_deref()))
        .collect();
    let generic: Vec<&Question> = all
        .iter()
        .copied()
        .filter(|q| super::platform::is_platform_neutral(q))
        .collect();
    vec![
        report("all questions", &all),
        report("platform-neutral (no `databricks` tag)", &generic),
    ]
}

fn pct(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".to_owned()
    } else {
        format!("{:.0}%", 100.0 * part as f64 / whole as f64)
    }
}

impl fmt::Display for CueReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.questions;
        writeln!(f, "  quiz bank, {}: {n} questions", self.name)?;
        writeln!(
            f,
            "    key is the longest option: {} of {n} ({}), by {:.0}% on average",
            self.key_longest,
            pct(self.key_longest, n),
            100.0 * self.key_longest_margin
        )?;
        writeln!(
            f,
            "    longest option >= 20% longer than the next: {} questions, the key in {}",
            self.much_longer, self.much_longer_key
        )?;
        writeln!(
            f,
            "    options within 15% of their mean length: {} of {n} ({})",
            self.even_lengths,
            pct(self.even_lengths, n)
        )?;
        writeln!(
            f,
            "    straw-man options (nothing, no tests, skip): {}, keys among them: {}",
            self.straw_men, self.straw_men_keys
        )?;
        writeln!(
            f,
            "    absolute words (only, never, always, skip, all, every): {} of {} distractors ({}), {} of {n} keys ({})",
            self.absolute_distractors,
            self.distractors,
            pct(self.absolute_distractors, self.distractors),
            self.absolute_keys,
            pct(self.absolute_keys, n)
        )?;
        let positions: Vec<String> = self
            .key_positions
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{}={c}", char::from(b'A' + i as u8)))
            .collect();
        writeln!(f, "    key positions: {}", positions.join(" "))?;
        let strategies: Vec<String> = self
            .strategies
            .iter()
            .map(|(s, v)| format!("{s} {:.0}%", 100.0 * v))
            .collect();
        write!(
            f,
            "    simple strategies (fail above {:.0}%): {}",
            100.0 * MAX_STRATEGY_SCORE,
            strategies.join("; ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::Difficulty;

    fn q(options: &[&str], correct: usize, tags: &[&str]) -> Question {
        Question {
            id: format!("q{correct}"),
            question: "?".to_owned(),
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            correct,
            explanation: "because".to_owned(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            difficulty: Difficulty::Medium,
            again: None,
        }
    }

    fn score(r: &CueReport, name: &str) -> f64 {
        r.strategies
            .iter()
            .find(|s| s.0.starts_with(name))
            .unwrap_or_else(|| panic!("no strategy {name}"))
            .1
    }

    /// The bank the issue describes: the key is the long, thorough plan and a
    /// straw man fills a slot.
    fn gameable() -> Vec<Question> {
        (0..24)
            .map(|_| {
                q(
                    &[
                        "Do nothing, it is fine",
                        "Only a unit test",
                        "Run the full pipeline end-to-end, then gate the release",
                        "Always a smoke test",
                    ],
                    2,
                    &[],
                )
            })
            .collect()
    }

    /// Even lengths, no straw men, keys spread over positions and lengths.
    fn fair() -> Vec<Question> {
        let base = [
            "Unit test the parser with fixed rows",
            "Run the batch job on a staging table",
            "Compare with the current model offline",
            "Load test the staging endpoint briefly",
        ];
        (0..24)
            .map(|i| {
                let mut opts = base;
                // Rotate so each wording sits in each slot; the key's
                // position and length vary with it.
                opts.rotate_left((i / 4) % 4);
                q(&opts, i % 4, &[])
            })
            .collect()
    }

    #[test]
    fn a_bank_where_the_long_thorough_plan_always_wins_fails() {
        let bank = gameable();
        let refs: Vec<&Question> = bank.iter().collect();
        let r = report("test", &refs);
        assert_eq!(r.key_longest, 24);
        assert_eq!(r.much_longer_key, 24);
        assert_eq!(r.straw_men, 24);
        assert_eq!(r.straw_men_keys, 0);
        assert_eq!(r.absolute_distractors, 48);
        assert_eq!(r.absolute_keys, 0);
        assert_eq!(r.key_positions, vec![0, 0, 24, 0]);
        assert!((score(&r, "always the longest") - 1.0).abs() < 1e-9);
        assert!((score(&r, "the most thorough") - 1.0).abs() < 1e-9);
        assert!((score(&r, "always C") - 1.0).abs() < 1e-9);
        assert!(r.fails());
        assert!(
            r.to_string()
                .contains("key is the longest option: 24 of 24")
        );
    }

    #[test]
    fn a_bank_with_even_options_and_spread_keys_passes() {
        let bank = fair();
        let refs: Vec<&Question> = bank.iter().collect();
        let r = report("test", &refs);
        assert_eq!(r.straw_men, 0);
        assert_eq!(r.even_lengths, 24);
        assert_eq!(r.key_positions, vec![6, 6, 6, 6]);
        let (name, best) = r.best_strategy();
        assert!(best <= MAX_STRATEGY_SCORE, "{name} scores {best}");
        assert!(!r.fails(), "{r}");
    }

    #[test]
    fn skipping_the_longest_is_its_own_strategy() {
        // The key is always the second-longest option: the longest-first
        // strategy scores nothing, the skip-the-longest one everything.
        let bank: Vec<Question> = (0..20)
            .map(|_| {
                q(
                    &["a much longer option text", "medium text", "short"],
                    1,
                    &[],
                )
            })
            .collect();
        let refs: Vec<&Question> = bank.iter().collect();
        let r = report("test", &refs);
        assert!(score(&r, "always the longest") < 1e-9);
        assert!((score(&r, "skip the longest") - 1.0).abs() < 1e-9);
        assert!(r.fails());
    }

    #[test]
    fn ties_share_the_credit_and_small_banks_are_not_failed() {
        // Two equally long options, one the key: longest earns half a point.
        let bank = [q(&["abcd", "efgh", "ij"], 0, &[])];
        let refs: Vec<&Question> = bank.iter().collect();
        let r = report("test", &refs);
        assert!((score(&r, "always the longest") - 0.5).abs() < 1e-9);
        assert_eq!(r.key_longest, 0, "a tie is not a longest key");
        assert!(!r.fails(), "one question is too few to judge");
    }

    #[test]
    fn straw_men_and_absolutes_are_whole_words() {
        assert!(is_straw_man("Skip tests, it is a refactor"));
        assert!(is_straw_man("No tests needed"));
        assert!(!is_straw_man("Skipper model smoke test"));
        assert!(has_absolute("Only the unit suite"));
        assert!(!has_absolute("Run the overall suite"));
    }

    #[test]
    fn the_generic_bank_leaves_out_databricks_questions() {
        let bank = [
            q(&["a", "b", "c"], 0, &["databricks"]),
            q(&["a", "b", "c"], 1, &[]),
        ];
        let r = reports(&bank);
        assert_eq!(r[0].questions, 2);
        assert_eq!(r[1].questions, 1);
    }

    #[test]
    fn the_shipped_bank_passes_its_own_cue_check() {
        let kb = crate::kb::KnowledgeBase::embedded().unwrap();
        assert!(kb.quiz.len() >= 90, "{} questions", kb.quiz.len());
        for r in reports(&kb.quiz) {
            assert!(r.questions >= MIN_QUESTIONS, "{r}");
            let (name, best) = r.best_strategy();
            assert!(best <= MAX_STRATEGY_SCORE, "{name} scores {best:.2}\n{r}");
            // Most questions have even option lengths, and the longest
            // option is sometimes, not never and not mostly, the key.
            assert!(r.even_lengths * 2 > r.questions, "{r}");
            assert!(r.key_longest > 0, "{r}");
            assert_eq!(r.straw_men_keys, 0, "{r}");
        }
    }

    #[test]
    fn shipped_questions_are_scenarios_not_recall_of_a_text() {
        let kb = crate::kb::KnowledgeBase::embedded().unwrap();
        for q in &kb.quiz {
            let text = q.question.to_lowercase();
            for phrase in ["study guide", "the guide", "according to", "exam stem"] {
                assert!(!text.contains(phrase), "{}: says {phrase:?}", q.id);
            }
            // "Step 4" or "the fourth step" asks for a list's order, not a
            // judgement; "the validation step" names a task and is fine.
            let w: Vec<&str> = text
                .split(|c: char| !(c.is_alphanumeric() || c == '-'))
                .filter(|w| !w.is_empty())
                .collect();
            for pair in w.windows(2) {
                let numbered = pair[0] == "step" && pair[1].parse::<u32>().is_ok();
                let ordinal = pair[1] == "step"
                    && ["first", "second", "third", "fourth", "fifth", "last"].contains(&pair[0]);
                assert!(!numbered && !ordinal, "{}: asks for {pair:?}", q.id);
            }
        }
    }
}

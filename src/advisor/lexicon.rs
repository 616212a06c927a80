//! The compiled vocabulary: word ids, word classes, concepts and typo repair.
//!
//! Built once from `responses/lexicon.toml` and the rule signals, then shared
//! read-only by every call to [`crate::advisor::advise`].

use rustc_hash::FxHashMap;

use super::text::{self, TokenKind};

/// A word, concept or punctuation id.
pub(crate) type Tok = u32;

/// Sentence end: nothing matches across it.
pub(crate) const BREAK: Tok = 0;
/// A comma or dash: transparent to phrase matching, a boundary for negation.
pub(crate) const COMMA: Tok = 1;
/// A word the knowledge base never uses.
pub(crate) const UNKNOWN: Tok = 2;
/// Any number or version as typed (`6`, `0.3`, `1.17`, `3e-4`): signals name
/// it as `@number` ("@ml-library @number to @number" is a version moving).
pub(crate) const NUMBER: Tok = 3;
const FIRST_WORD: Tok = 4;

/// Word classes used by clause and negation analysis.
pub(crate) mod class {
    pub(crate) const STOP: u64 = 1;
    /// Negates its whole clause when it follows the subject ("X did not change").
    pub(crate) const NEG_CLAUSE: u64 = 1 << 1;
    /// Negates only what follows ("without retraining", "no schema change").
    pub(crate) const NEG_FORWARD: u64 = 1 << 2;
    /// Starts a new clause that does not inherit negation ("but", "only").
    pub(crate) const CONTRAST: u64 = 1 << 3;
    /// Joins list items; transparent to phrase matching ("and", "or").
    pub(crate) const JOINER: u64 = 1 << 4;
    /// Marks a clause as describing a change of its own ("edited", "new").
    pub(crate) const CHANGE: u64 = 1 << 5;
    /// Never corrected as a typo, and never a typo target.
    pub(crate) const EXACT: u64 = 1 << 6;
    /// Shows the message is about ML work ("model", "pipeline", "prod").
    pub(crate) const DOMAIN: u64 = 1 << 7;
    /// A noun that names data or configuration, not code: an identifier next
    /// to it ("the `user_id` column") is not a function.
    pub(crate) const DATA_NOUN: u64 = 1 << 8;
    /// A word that opens a question ("which", "should", "where").
    pub(crate) const ASK: u64 = 1 << 9;
    /// A word that marks a general claim ("never", "always", "waste").
    pub(crate) const CLAIM: u64 = 1 << 10;
    /// A verb that runs tests ("run", "rerun", "kick off").
    pub(crate) const TEST_VERB: u64 = 1 << 11;
    /// A word that names a release, not a change ("promotion", "ship").
    pub(crate) const INTENT: u64 = 1 << 12;
    /// A word that puts a release later ("next month", "later").
    pub(crate) const DEFER: u64 = 1 << 13;
    /// A word that marks what is done now ("today", "for now").
    pub(crate) const PRESENT: u64 = 1 << 14;
    /// A word that frames a change as a bug fix ("patched", "bug").
    pub(crate) const FIX: u64 = 1 << 15;
    /// A word that makes a sentence speak of all cases rather than one
    /// ("every", "whenever", "always").
    pub(crate) const GENERAL: u64 = 1 << 16;
    /// A verb that reports what someone else holds ("says", "assumes").
    pub(crate) const BELIEF_VERB: u64 = 1 << 17;
    /// A word that, right after a question word, makes the question argue
    /// rather than ask ("who on earth reads it?", "what exactly would we
    /// test?").
    pub(crate) const RHETORICAL: u64 = 1 << 18;
    /// A word in a short label before a colon that presents what follows as
    /// a position held in general ("proposal:", "our motto:").
    pub(crate) const POSITION: u64 = 1 << 19;
    /// A noun that after "the" names a role every release has or a measure
    /// ("the gate", "the champion", "the minimum"), not a particular thing.
    pub(crate) const ROLE: u64 = 1 << 20;
    /// A verb that names a reader of the changed thing when its object
    /// points back at it ("both jobs call it") or it is passive with "by"
    /// ("it is read by the churn job").
    pub(crate) const READER_VERB: u64 = 1 << 21;
    /// A word that makes readers more than one ("both", "all", "other").
    pub(crate) const MANY: u64 = 1 << 22;
    /// A verb that, ending a question about what something would do ("what
    /// would an e2e run add?"), asks what it is worth: the question argues
    /// that it is worth nothing.
    pub(crate) const WORTH: u64 = 1 << 23;
    /// A word in a short label before a colon that presents what follows as
    /// words cited from elsewhere, to be asked about ("guide trap:", "exam
    /// stem:"): the writer neither holds nor reports them.
    pub(crate) const CITATION: u64 = 1 << 24;
    /// A noun that, right before a word, gives it its everyday sense ("sales
    /// pipeline", "role model"): that word shows no ML context.
    pub(crate) const EVERYDAY_MODIFIER: u64 = 1 << 25;
    /// A word that opens the standard of a comparison ("less data than
    /// prod", "release-gating as opposed to integration", "instead of unit
    /// tests"): in a question, a stage or scope named there is what the
    /// subject is measured against, not what is asked about.
    pub(crate) const COMPARE: u64 = 1 << 26;
    /// A word that sets things side by side to tell them apart ("the
    /// difference between unit and integration tests"): a question with one
    /// that names several scopes is about those scopes, not about a change.
    pub(crate) const COMPARISON: u64 = 1 << 27;
    /// A verb whose object is a value it works out ("now it calculates
    /// avg_basket on 30 days"): a name right after one is data, not code.
    pub(crate) const COMPUTE: u64 = 1 << 28;
    /// A noun that, right after a word, gives it its everyday sense ("model
    /// UN", "model kit"): that word shows no ML context.
    pub(crate) const EVERYDAY_HEAD: u64 = 1 << 29;
    /// A word that opens the title of a talk or a course ("intro to
    /// gradient boosting", "webinar on feature stores"): the rest of its
    /// clause names a topic, not work being done.
    pub(crate) const TOPIC: u64 = 1 << 30;
    /// A noun that opens a topic as [`TOPIC`] does only when it is a noun,
    /// after a determiner ("the PyData talk 'Why your offline metrics
    /// lie'", "a talk on our DAG testing setup"); "we need to talk about the
    /// lr bump" is no talk.
    pub(crate) const TOPIC_NOUN: u64 = 1 << 36;
    /// A word that asks whether tests are needed ("do we need a canary for
    /// it?", "is a staging run required?"): in a question, it proposes the
    /// tests the sentence names.
    pub(crate) const NEED: u64 = 1 << 31;
    /// A word that makes a question about a kind of change rather than one
    /// change: someone unnamed does it ("when someone changes the
    /// packaging"), or it is what usually happens ("do schema migrations
    /// usually get an e2e run?").
    pub(crate) const KIND: u64 = 1 << 32;
    /// A noun for a step of a workflow ("task", "step"): right after a
    /// release word, in a sentence that reports a change, it makes the
    /// release word the name of that step ("split register and set-alias
    /// into two tasks"), not a release.
    pub(crate) const STEP_NOUN: u64 = 1 << 33;
    /// A stop word that carries a direction ("to", "into"): a signal that
    /// writes one between two words ("staging to prod") needs one there in
    /// the message too, though it is dropped like any stop word.
    pub(crate) const DIRECTION: u64 = 1 << 34;
    /// A word that tells a test's state ("flaky", "red", "slow"): a sentence
    /// about a kind of test with one and no change verb ("e2e for the FS
    /// pipeline is flaky") reports how the test runs, not a change to what
    /// it tests.
    pub(crate) const TEST_STATE: u64 = 1 << 35;
    /// A word that, in a question, asks what a thing is for or whether it
    /// is worth having ("is the dev workspace meant for full trainings?",
    /// "does that make the tests there pointless?").
    pub(crate) const PURPOSE: u64 = 1 << 37;
    /// A noun for a stage as a place ("environment", "workspace"): asked
    /// whether one is needed ("do we really need a staging environment for
    /// batch jobs?"), a question asks what the place is for.
    pub(crate) const PLACE_NOUN: u64 = 1 << 38;
    /// A verb of finding ("catch", "detect"): what a kind of test asked
    /// about finds is a failure that may happen, not a change made.
    pub(crate) const FINDING: u64 = 1 << 39;
}

/// One token of the analysed message.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item {
    pub(crate) tok: Tok,
    /// Byte range in the cleaned text.
    pub(crate) start: u32,
    pub(crate) end: u32,
}

/// A multi-word phrase that collapses into one token before rule matching.
#[derive(Debug, Clone)]
struct Phrase {
    rest: Box<[Tok]>,
    target: Tok,
}

#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    ids: FxHashMap<Box<str>, Tok>,
    names: Vec<Box<str>>,
    classes: Vec<u64>,
    /// Concept phrases keyed by their first token, longest first.
    phrases: FxHashMap<Tok, Vec<Phrase>>,
    /// Single words that stand for a concept ("lr" -> hyperparameter).
    aliases: FxHashMap<Tok, Tok>,
    /// Words as the knowledge base spells them ("learning"), next to their
    /// stems, so a typo can be repaired against either form.
    surfaces: FxHashMap<Box<str>, Tok>,
    /// Repairable spellings and the token each one stands for.
    forms: Vec<(Box<str>, Tok)>,
    /// Deletion index for typo repair: a spelling with one letter removed ->
    /// the forms it came from.
    deletions: FxHashMap<Box<str>, Vec<u32>>,
    /// Stems of words that are ML terms only in context.
    everyday: rustc_hash::FxHashSet<Box<str>>,
    /// Everyday words that a value right after them gives their ML sense
    /// (`valued_shorthand`: "bs 64", "lr 3e-4").
    valued: rustc_hash::FxHashSet<Box<str>>,
    /// Everyday words that only ML context gives their ML sense
    /// (`context_shorthand`: "the fraud ep", not "the band's new EP").
    context: rustc_hash::FxHashSet<Box<str>>,
    /// Shorthand as typed (lower case) and the words it stands for, in any
    /// case or only when typed in lower case.
    shorthand: FxHashMap<Box<str>, Shorthand>,
    /// Shorthand read as another long form before a number ("ep 3 -> 5"
    /// counts epochs; "the ep" is an endpoint).
    counted_shorthand: FxHashMap<Box<str>, Box<[Box<str>]>>,
    /// PR-template field labels and routine values, lower case.
    template_fields: Vec<String>,
    template_empty_values: Vec<String>,
    /// Words that open a correction in a thread ("no,", "actually").
    corrections: Cues,
    /// Words that concede an objection in a thread ("fair", "good point").
    concessions: Cues,
    /// Words that acknowledge before a thread message says what it says
    /// ("ok", "done"), lower case, as typed.
    acknowledgements: Vec<String>,
    /// Words that open a sentence taking back the sentences before it in
    /// the same message ("actually no", "scratch that").
    self_corrections: Cues,
    /// Words that put something off ("not yet", "postponed"): in answer to
    /// a question they answer it, and nothing more.
    postponements: Cues,
    circumstances: Vec<String>,
    /// Phrases that say the writer is not sure ("afaik", "as far as i
    /// know"), lower case.
    hedges: Vec<String>,
    /// Phrases that say the system's code did not move ("src untouched"),
    /// lower case, words separated by single spaces.
    code_untouched: Vec<String>,
    /// Verbs that move something later ("pushed", "slipped"), lower case.
    reschedule_verbs: Cues,
    /// Words that say a release step stays put ("stays", "still").
    state_words: Vec<String>,
    /// Words that name when something happens ("monday", "tomorrow"),
    /// lower case.
    times: Vec<String>,
    /// Forward negations that keep a thing in the stage named after them
    /// ("leave it in staging"), lower case.
    placing: Vec<String>,
    compound_heads: Vec<String>,
    reverts: Vec<String>,
    /// Renames (`rename_words`, `rename_blockers`, and the setting names of
    /// `renamed_settings`), lower case.
    rename_verbs: Vec<String>,
    rename_blockers: Vec<String>,
    renamed_settings: Vec<String>,
    /// `library_methods` and `library_method_owners`, lower case.
    library_methods: Vec<String>,
    library_method_owners: Vec<String>,
    /// Words that point back at what the message changed ("it", "that"),
    /// lower case: the object of a reader verb.
    pointers: Vec<String>,
    /// Words that open a noun phrase ("the", "a"), lower case.
    determiners: Vec<String>,
    /// Verbs that say what something is ("is", "are"), lower case.
    copulas: Vec<String>,
    flow_verbs: Vec<String>,
    /// Last parts of an ALL_CAPS name that make it a pattern ("re"), lower
    /// case.
    pattern_suffixes: Vec<String>,
    /// Data types ("int", "string"), lower case.
    data_types: Vec<String>,
    /// Words after "still" that report health ("works"), lower case.
    steady_words: Vec<String>,
    /// Labels before a colon that name readers ("consumers"), lower case.
    reader_labels: Vec<String>,
    /// Words that tell a monitor fired ("fired"), lower case.
    monitor_events: Vec<String>,
    /// Words that set a new form against an old one ("instead of").
    shift_markers: Vec<String>,
    /// Nouns that name a part of the ML system ("ranker").
    component_nouns: Vec<String>,
    /// Words that keep an output as it was or deny it readers ("same").
    kept_words: Vec<String>,
}

/// The long forms of one shorthand word, in both of its kinds: one look-up
/// per word of a message finds either.
#[derive(Debug, Default)]
struct Shorthand {
    /// Read in any case ("tbl", "TBL").
    any_case: Option<Box<[Box<str>]>>,
    /// Read only as typed in lower case (`svc`, not `SVC`).
    lower_case: Option<Box<[Box<str>]>>,
}

/// Cue phrases of one or more lower-case words ("wait", "scratch that"),
/// indexed by their first word. A long transcript asks every message for
/// every cue; looking a message's words up in the index finds the few cues
/// that could start at each word, so the cost follows the message's length,
/// not the number of cues times its length.
#[derive(Debug, Default)]
pub(crate) struct Cues {
    list: Vec<String>,
    by_first: FxHashMap<Box<str>, Vec<u32>>,
}

impl Cues {
    pub(crate) fn new(list: Vec<String>) -> Self {
        let mut by_first: FxHashMap<Box<str>, Vec<u32>> = FxHashMap::default();
        for (k, cue) in list.iter().enumerate() {
            let first = cue.split(' ').next().unwrap_or_default();
            by_first.entry(first.into()).or_default().push(k as u32);
        }
        Cues { list, by_first }
    }

    /// The positions in the list of the cues that open with `word`, in list
    /// order.
    pub(crate) fn starting_with(&self, word: &str) -> &[u32] {
        self.by_first.get(word).map_or(&[], Vec::as_slice)
    }

    /// Whether `lower` (lower-case text, split into words as a clause is)
    /// holds one of the cues as consecutive words. Where this says no, no
    /// clause of the text holds one; one lookup per word is much cheaper
    /// than a search of the whole text per cue.
    pub(crate) fn may_occur_in(&self, lower: &str) -> bool {
        let mut words = lower
            .split(|c: char| !c.is_alphanumeric() && !matches!(c, '\'' | '#'))
            .filter(|w| !w.is_empty());
        while let Some(word) = words.next() {
            for &k in self.starting_with(word) {
                let mut rest = words.clone();
                if self.list[k as usize]
                    .split(' ')
                    .skip(1)
                    .all(|cue_word| rest.next() == Some(cue_word))
                {
                    return true;
                }
            }
        }
        false
    }
}

impl std::ops::Deref for Cues {
    type Target = [String];

    fn deref(&self) -> &[String] {
        &self.list
    }
}

/// Shortest word that is ever repaired as a typo; shorter words are too
/// ambiguous ("lunch" is one letter away from "launch").
const MIN_TYPO_LEN: usize = 6;
/// Shortest spelling a typo may be repaired into.
const MIN_FORM_LEN: usize = 5;

impl Lexicon {
    pub(crate) fn new() -> Self {
        let mut lex = Lexicon::default();
        for name in ["<break>", "<comma>", "<unknown>", "@number"] {
            lex.names.push(name.into());
            lex.classes.push(0);
        }
        lex.ids.insert("@number".into(), NUMBER);
        debug_assert_eq!(lex.names.len() as Tok, FIRST_WORD);
        lex
    }

    /// Returns the id of a normalised word or concept name, creating it if needed.
    pub(crate) fn intern(&mut self, word: &str) -> Tok {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = Tok::try_from(self.names.len()).unwrap_or(UNKNOWN);
        self.ids.insert(word.into(), id);
        self.names.push(word.into());
        self.classes.push(0);
        id
    }

    /// The token of a concept defined in the lexicon, by its id.
    pub(crate) fn concept(&self, id: &str) -> Option<Tok> {
        self.ids.get(format!("@{id}").as_str()).copied()
    }

    pub(crate) fn name(&self, tok: Tok) -> &str {
        self.names.get(tok as usize).map_or("", |s| s)
    }

    pub(crate) fn class(&self, tok: Tok) -> u64 {
        self.classes.get(tok as usize).copied().unwrap_or(0)
    }

    pub(crate) fn has(&self, tok: Tok, class: u64) -> bool {
        self.class(tok) & class != 0
    }

    pub(crate) fn add_class(&mut self, tok: Tok, class: u64) {
        if let Some(c) = self.classes.get_mut(tok as usize) {
            *c |= class;
        }
    }

    /// Normalises a phrase from the knowledge base into word ids (no typo repair,
    /// no concept rewriting). Stop words are dropped, as they are from messages.
    pub(crate) fn phrase_words(&mut self, phrase: &str) -> Vec<Tok> {
        let mut out = Vec::new();
        for token in text::tokenize(phrase) {
            if token.kind != TokenKind::Word {
                continue;
            }
            let stem = text::stem(&token.word);
            let id = self.intern(&stem);
            if !self.has(id, class::STOP) {
                if token.word.len() >= MIN_FORM_LEN && token.word.is_ascii() {
                    self.surfaces.insert(token.word.as_ref().into(), id);
                }
                out.push(id);
            }
        }
        out
    }

    /// Registers a concept: every phrase in `words` becomes the token `target`.
    pub(crate) fn add_concept_phrase(&mut self, words: &[Tok], target: Tok) {
        match words {
            [] => {}
            [single] if *single == target => {}
            [single] => {
                self.aliases.insert(*single, target);
            }
            [first, rest @ ..] => {
                let list = self.phrases.entry(*first).or_default();
                list.push(Phrase {
                    rest: rest.into(),
                    target,
                });
                list.sort_by_key(|p| std::cmp::Reverse(p.rest.len()));
            }
        }
    }

    /// Builds the typo index from every content word the knowledge base uses
    /// Called once, after every rule signal is compiled.
    pub(crate) fn finish(&mut self) {
        let repairable = |lex: &Lexicon, word: &str, tok: Tok| {
            word.len() >= MIN_FORM_LEN
                && word.is_ascii()
                && !word.starts_with(['@', '~'])
                && !lex.has(tok, class::EXACT | class::STOP)
        };
        let mut forms: Vec<(Box<str>, Tok)> = Vec::new();
        for (i, word) in self.names.iter().enumerate().skip(FIRST_WORD as usize) {
            if repairable(self, word, i as Tok) {
                forms.push((word.clone(), i as Tok));
            }
        }
        for (word, &tok) in &self.surfaces {
            if repairable(self, word, tok) && !self.ids.contains_key(word) {
                forms.push((word.clone(), tok));
            }
        }
        forms.sort();
        let mut deletions: FxHashMap<Box<str>, Vec<u32>> = FxHashMap::default();
        for (f, (word, _)) in forms.iter().enumerate() {
            for variant in one_deletions(word) {
                deletions.entry(variant.into()).or_default().push(f as u32);
            }
            deletions.entry(word.clone()).or_default().push(f as u32);
        }
        self.forms = forms;
        self.deletions = deletions;
    }

    /// Folds single-word synonyms into the multi-word concept phrases and
    /// lets each concept take the word classes of its words. Called once
    /// every concept is registered and before any rule signal is compiled:
    /// a signal is read the way a message is, so "champion comparison" in a
    /// signal must fold to the concept exactly as it does in a message.
    pub(crate) fn settle_concepts(&mut self) {
        // Messages reach the phrase index with single-word synonyms already
        // folded ("ship" is the ship concept), so the phrases must be too.
        let mut phrases: FxHashMap<Tok, Vec<Phrase>> = FxHashMap::default();
        for (first, list) in std::mem::take(&mut self.phrases) {
            for p in list {
                let rest = p.rest.iter().map(|&t| self.canonical(t)).collect();
                phrases
                    .entry(self.canonical(first))
                    .or_default()
                    .push(Phrase {
                        rest,
                        target: p.target,
                    });
            }
        }
        for list in phrases.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.rest.len()));
        }
        self.phrases = phrases;
        // A concept behaves like its words in clause analysis: "released"
        // still marks a clause as a change after it becomes "promote".
        let inherited: Vec<(Tok, u64)> = self
            .aliases
            .iter()
            .map(|(&word, &concept)| (concept, self.class(word) & !class::STOP))
            .collect();
        for (concept, cls) in inherited {
            self.add_class(concept, cls);
        }
    }

    /// The concept a single word stands for, or the word itself.
    pub(crate) fn canonical(&self, tok: Tok) -> Tok {
        self.aliases.get(&tok).copied().unwrap_or(tok)
    }

    /// The token for a stemmed word, or [`UNKNOWN`].
    /// Whether `word`, as typed, is a direction word ("to", "into").
    pub(crate) fn is_direction(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        self.has(self.exact(&text::stem(&lower)), class::DIRECTION)
    }

    /// Whether a typed word opens a question (`question_words`).
    pub(crate) fn is_question_word(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        self.has(self.exact(&text::stem(&lower)), class::ASK)
    }

    pub(crate) fn exact(&self, stem: &str) -> Tok {
        match self.ids.get(stem) {
            Some(&id) => self.canonical(id),
            None => UNKNOWN,
        }
    }

    /// Repairs a one-letter typo in a word the knowledge base does not know,
    /// trying the word as typed and then its stem. Refuses to guess when two
    /// different words are equally close.
    pub(crate) fn repair(&self, word: &str, stem: &str) -> Tok {
        if word.len() < MIN_TYPO_LEN || !word.is_ascii() || word.bytes().any(|b| b.is_ascii_digit())
        {
            return UNKNOWN;
        }
        for candidate in [word, stem] {
            match self.closest(candidate) {
                Some(tok) => return self.canonical(tok),
                None if candidate.len() < MIN_FORM_LEN => break,
                None => {}
            }
        }
        UNKNOWN
    }

    fn closest(&self, word: &str) -> Option<Tok> {
        let mut found: Option<Tok> = None;
        let mut ambiguous = false;
        let mut consider = |candidates: Option<&Vec<u32>>| {
            for &f in candidates.into_iter().flatten() {
                let (form, tok) = &self.forms[f as usize];
                if within_one_edit(word, form) {
                    match found {
                        None => found = Some(*tok),
                        Some(t) if t == *tok => {}
                        Some(_) => ambiguous = true,
                    }
                }
            }
        };
        consider(self.deletions.get(word));
        let mut buf = String::with_capacity(word.len());
        for i in 0..word.len() {
            buf.clear();
            buf.push_str(&word[..i]);
            buf.push_str(&word[i + 1..]);
            consider(self.deletions.get(buf.as_str()));
        }
        if ambiguous { None } else { found }
    }

    /// Rewrites multi-word concept phrases into single tokens, longest first.
    /// Phrases never cross a sentence break or a comma.
    pub(crate) fn rewrite_concepts(&self, items: Vec<Item>) -> Vec<Item> {
        if self.phrases.is_empty() {
            return items;
        }
        let mut out = Vec::with_capacity(items.len());
        let mut i = 0;
        'outer: while i < items.len() {
            let item = items[i];
            if let Some(list) = self.phrases.get(&item.tok) {
                for phrase in list {
                    let n = phrase.rest.len();
                    if i + n < items.len()
                        && items[i + 1..=i + n]
                            .iter()
                            .zip(phrase.rest.iter())
                            .all(|(a, b)| a.tok == *b)
                    {
                        out.push(Item {
                            tok: phrase.target,
                            start: item.start,
                            end: items[i + n].end,
                        });
                        i += n + 1;
                        continue 'outer;
                    }
                }
            }
            out.push(item);
            i += 1;
        }
        out
    }

    pub(crate) fn add_shorthand(&mut self, short: &str, long: Vec<String>) {
        self.shorthand.entry(short.into()).or_default().any_case =
            Some(long.into_iter().map(Into::into).collect());
    }

    /// Adds shorthand that counts only when typed in lower case (`svc` is a
    /// service; `SVC` stays the classifier).
    pub(crate) fn add_lowercase_shorthand(&mut self, short: &str, long: Vec<String>) {
        self.shorthand.entry(short.into()).or_default().lower_case =
            Some(long.into_iter().map(Into::into).collect());
    }

    /// Adds shorthand read as `long` when a number follows it.
    pub(crate) fn add_counted_shorthand(&mut self, short: &str, long: Vec<String>) {
        self.counted_shorthand
            .insert(short.into(), long.into_iter().map(Into::into).collect());
    }

    /// The long form of a shorthand word followed by a number ("ep 12").
    pub(crate) fn expand_counted(&self, word: &str) -> Option<&[Box<str>]> {
        self.counted_shorthand.get(word).map(|w| &**w)
    }

    /// The long form of a word typed as shorthand ("tbl" -> "table"):
    /// `word` is its folded form, `typed` the text as the user typed it.
    pub(crate) fn expand(&self, word: &str, typed: &str) -> Option<&[Box<str>]> {
        let entry = self.shorthand.get(word)?;
        entry.any_case.as_deref().or_else(|| {
            (!typed.contains(char::is_uppercase))
                .then_some(entry.lower_case.as_deref())
                .flatten()
        })
    }

    pub(crate) fn set_template(&mut self, fields: Vec<String>, empty_values: Vec<String>) {
        self.template_fields = fields;
        self.template_empty_values = empty_values;
    }

    pub(crate) fn set_thread_cues(
        &mut self,
        corrections: Vec<String>,
        concessions: Vec<String>,
        postponements: Vec<String>,
        self_corrections: Vec<String>,
    ) {
        self.corrections = Cues::new(corrections);
        self.concessions = Cues::new(concessions);
        self.postponements = Cues::new(postponements);
        self.self_corrections = Cues::new(self_corrections);
    }

    pub(crate) fn set_acknowledgements(&mut self, acknowledgements: Vec<String>) {
        self.acknowledgements = acknowledgements;
    }

    pub(crate) fn acknowledgements(&self) -> &[String] {
        &self.acknowledgements
    }

    pub(crate) fn set_circumstances(&mut self, circumstances: Vec<String>) {
        self.circumstances = circumstances;
    }

    pub(crate) fn set_hedges(&mut self, hedges: Vec<String>) {
        self.hedges = hedges;
    }

    /// Whether `lower` (lower-case text) holds a hedge as whole words.
    pub(crate) fn hedged(&self, lower: &str) -> bool {
        self.hedges.iter().any(|h| {
            lower.match_indices(h.as_str()).any(|(at, _)| {
                let before = lower[..at].chars().next_back();
                let after = lower[at + h.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            })
        })
    }

    pub(crate) fn set_code_untouched(&mut self, phrases: &[String]) {
        self.code_untouched = phrases.iter().map(|p| words_only(p)).collect();
    }

    /// Whether `text` says that the system's code did not move ("src
    /// untouched", "the functions themselves are unchanged").
    pub(crate) fn says_code_untouched(&self, text: &str) -> bool {
        let words = format!(" {} ", words_only(text));
        self.code_untouched
            .iter()
            .any(|p| !p.is_empty() && words.contains(&format!(" {p} ")))
    }

    pub(crate) fn set_moves(&mut self, reschedule_verbs: Vec<String>, state_words: Vec<String>) {
        self.reschedule_verbs = Cues::new(reschedule_verbs);
        self.state_words = state_words;
    }

    pub(crate) fn set_placing(&mut self, placing: Vec<String>) {
        self.placing = placing;
    }

    /// Whether `word`, as typed in lower case, is a forward negation that
    /// keeps a thing in the stage named after it ("leave it in staging").
    pub(crate) fn is_placing(&self, word: &str) -> bool {
        self.placing.iter().any(|p| p == word)
    }

    /// Forward negations that keep a thing in the stage named after them.
    pub(crate) fn placing(&self) -> &[String] {
        &self.placing
    }

    pub(crate) fn set_times(&mut self, times: Vec<String>) {
        self.times = times;
    }

    /// Words that name when something happens ("monday", "tomorrow").
    pub(crate) fn times(&self) -> &[String] {
        &self.times
    }

    pub(crate) fn reschedule_verbs(&self) -> &Cues {
        &self.reschedule_verbs
    }

    pub(crate) fn state_words(&self) -> &[String] {
        &self.state_words
    }

    pub(crate) fn set_reverts(&mut self, reverts: Vec<String>) {
        self.reverts = reverts;
    }

    pub(crate) fn set_renames(
        &mut self,
        verbs: Vec<String>,
        blockers: Vec<String>,
        settings: Vec<String>,
    ) {
        self.rename_verbs = verbs;
        self.rename_blockers = blockers;
        self.renamed_settings = settings;
    }

    pub(crate) fn set_library_methods(&mut self, methods: Vec<String>, owners: Vec<String>) {
        self.library_methods = methods;
        self.library_method_owners = owners;
    }

    /// Whether `name` (as typed) is a method every estimator of the common
    /// libraries has (`fit`, `predict_proba`).
    pub(crate) fn is_library_method(&self, name: &str) -> bool {
        self.library_methods
            .iter()
            .any(|m| m.eq_ignore_ascii_case(name))
    }

    /// Words that make a library method the team's own ("our", "custom").
    pub(crate) fn library_method_owners(&self) -> &[String] {
        &self.library_method_owners
    }

    /// What a rename is told with.
    pub(crate) fn rename_cues(&self) -> crate::advisor::renames::RenameCues<'_> {
        crate::advisor::renames::RenameCues {
            verbs: &self.rename_verbs,
            blockers: &self.rename_blockers,
            settings: &self.renamed_settings,
        }
    }

    /// Words that undo a change ("reverted").
    pub(crate) fn reverts(&self) -> &[String] {
        &self.reverts
    }

    pub(crate) fn set_compound_heads(&mut self, heads: Vec<String>) {
        self.compound_heads = heads;
    }

    /// Whether `word`, in any case, is a noun that makes the word before it a
    /// modifier ("flag" in "feature flag").
    pub(crate) fn is_compound_head(&self, word: &str) -> bool {
        self.compound_heads
            .iter()
            .any(|h| h.eq_ignore_ascii_case(word))
    }

    /// Words that open a clause giving why a change was made ("because",
    /// "so that").
    pub(crate) fn circumstances(&self) -> &[String] {
        &self.circumstances
    }

    pub(crate) fn set_pointers(&mut self, pointers: Vec<String>, determiners: Vec<String>) {
        self.pointers = pointers;
        self.determiners = determiners;
    }

    pub(crate) fn set_copulas(&mut self, copulas: Vec<String>, flow_verbs: Vec<String>) {
        self.copulas = copulas;
        self.flow_verbs = flow_verbs;
    }

    pub(crate) fn set_reader_labels(&mut self, labels: Vec<String>) {
        self.reader_labels = labels;
    }

    /// Labels before a colon that name the readers listed after it
    /// ("consumers:", "downstream:").
    pub(crate) fn reader_labels(&self) -> &[String] {
        &self.reader_labels
    }

    pub(crate) fn set_steady_words(&mut self, words: Vec<String>) {
        self.steady_words = words;
    }

    /// Words after "still" that say something is healthy ("passes",
    /// "works"), not that it works the old way.
    pub(crate) fn steady_words(&self) -> &[String] {
        &self.steady_words
    }

    pub(crate) fn set_boundary_words(
        &mut self,
        monitor_events: Vec<String>,
        shift_markers: Vec<String>,
        component_nouns: Vec<String>,
        kept_words: Vec<String>,
    ) {
        self.kept_words = kept_words;
        self.monitor_events = monitor_events;
        self.shift_markers = shift_markers;
        self.component_nouns = component_nouns;
    }

    /// Words that tell a monitor fired ("fired", "kicked off").
    pub(crate) fn monitor_events(&self) -> &[String] {
        &self.monitor_events
    }

    /// Words that set a value's new form against its old one ("instead of").
    pub(crate) fn shift_markers(&self) -> &[String] {
        &self.shift_markers
    }

    /// Nouns that name a part of the ML system ("ranker", "aggregator").
    pub(crate) fn component_nouns(&self) -> &[String] {
        &self.component_nouns
    }

    /// Words of a clause that keep an output as it was or deny it readers
    /// ("same vocab out", "only our debug logging uses it").
    pub(crate) fn kept_words(&self) -> &[String] {
        &self.kept_words
    }

    pub(crate) fn set_data_types(&mut self, types: Vec<String>) {
        self.data_types = types;
    }

    /// Data types a value can have ("int", "string", "timestamp").
    pub(crate) fn data_types(&self) -> &[String] {
        &self.data_types
    }

    pub(crate) fn set_pattern_suffixes(&mut self, suffixes: Vec<String>) {
        self.pattern_suffixes = suffixes;
    }

    /// Last parts of an ALL_CAPS name that make it a compiled pattern
    /// (`EMAIL_RE`), code rather than a constant or an acronym.
    pub(crate) fn pattern_suffixes(&self) -> &[String] {
        &self.pattern_suffixes
    }

    /// Verbs that hand what changed on to its readers ("feeds", "goes").
    pub(crate) fn flow_verbs(&self) -> &[String] {
        &self.flow_verbs
    }

    /// Verbs that say what something is ("is", "are").
    pub(crate) fn copulas(&self) -> &[String] {
        &self.copulas
    }

    /// Words that open a noun phrase ("the", "a").
    pub(crate) fn determiners(&self) -> &[String] {
        &self.determiners
    }

    /// Words that point back at what the message changed ("it", "that").
    pub(crate) fn pointers(&self) -> &[String] {
        &self.pointers
    }

    pub(crate) fn corrections(&self) -> &Cues {
        &self.corrections
    }

    pub(crate) fn concessions(&self) -> &Cues {
        &self.concessions
    }

    /// Words that open a sentence taking back what the same message said
    /// before it ("actually no", "scratch that").
    pub(crate) fn self_corrections(&self) -> &Cues {
        &self.self_corrections
    }

    pub(crate) fn postponements(&self) -> &Cues {
        &self.postponements
    }

    pub(crate) fn template_fields(&self) -> &[String] {
        &self.template_fields
    }

    pub(crate) fn template_empty_values(&self) -> &[String] {
        &self.template_empty_values
    }

    pub(crate) fn add_everyday(&mut self, stem: &str) {
        self.everyday.insert(stem.into());
    }

    pub(crate) fn add_valued(&mut self, stem: &str) {
        self.valued.insert(stem.into());
    }

    pub(crate) fn add_context_shorthand(&mut self, stem: &str) {
        self.context.insert(stem.into());
    }

    /// Whether the stem `surface` (as typed, one word) is looked up by in the
    /// shorthand lists passes `found`; false for a word too long to be
    /// shorthand.
    fn shorthand_stem(surface: &str, found: impl Fn(&str) -> bool) -> bool {
        // Shorthand is a few letters; longer words need no lookup. Every
        // item of every message comes here, so a short ASCII word is
        // lower-cased on the stack rather than in a new string.
        const LONGEST: usize = 8;
        if surface.len() > LONGEST {
            return false;
        }
        if surface.is_ascii() {
            let mut buf = [0u8; LONGEST];
            let lower = &mut buf[..surface.len()];
            lower.copy_from_slice(surface.as_bytes());
            lower.make_ascii_lowercase();
            std::str::from_utf8(lower).is_ok_and(|w| found(&text::stem(w)))
        } else {
            found(&text::stem(&surface.to_lowercase()))
        }
    }

    /// True when `surface` (as typed, one word) is shorthand that only ML
    /// context makes an ML term ("ep", "ft", "pit").
    pub(crate) fn is_context_shorthand(&self, surface: &str) -> bool {
        !self.context.is_empty() && Self::shorthand_stem(surface, |s| self.context.contains(s))
    }

    /// True when `surface` (as typed, one word) is shorthand that a value
    /// right after it makes an ML term ("bs 64").
    pub(crate) fn is_valued(&self, surface: &str) -> bool {
        !self.valued.is_empty() && Self::shorthand_stem(surface, |s| self.valued.contains(s))
    }

    /// True when `surface` is shorthand of either list, stemmed once.
    pub(crate) fn is_shorthand(&self, surface: &str) -> bool {
        Self::shorthand_stem(surface, |s| {
            self.valued.contains(s) || self.context.contains(s)
        })
    }

    /// True when `word` (as typed) is an everyday word that is an ML term
    /// only in context.
    /// Whether an item is an everyday word: by its token when it is one word
    /// (no allocation), by its words as typed when it is a concept phrase.
    pub(crate) fn item_is_everyday(&self, tok: Tok, surface: &str) -> bool {
        if self.everyday.is_empty() {
            return false;
        }
        // Shorthand is judged as typed, whatever word it stands for ("arch"
        // is read as "architecture", which is no everyday word).
        if self.is_shorthand(surface) {
            return true;
        }
        let name = self.name(tok);
        if name.starts_with('@') || name.starts_with('~') || tok == UNKNOWN {
            self.is_everyday(surface)
        } else {
            self.everyday.contains(name)
        }
    }

    /// A phrase ("going live") is everyday when each of its words is.
    pub(crate) fn is_everyday(&self, word: &str) -> bool {
        // ASCII (nearly every phrase) splits and lower-cases word by word,
        // copying only a word that has a capital.
        if word.is_ascii() {
            let mut words = word
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .peekable();
            return words.peek().is_some()
                && words.all(|w| {
                    if w.bytes().any(|b| b.is_ascii_uppercase()) {
                        let w = w.to_ascii_lowercase();
                        self.everyday.contains(text::stem(&w).as_ref())
                    } else {
                        self.everyday.contains(text::stem(w).as_ref())
                    }
                });
        }
        let lower = word.to_lowercase();
        let mut words = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .peekable();
        words.peek().is_some() && words.all(|w| self.everyday.contains(text::stem(w).as_ref()))
    }

    /// Every concept phrase's target and word ids, for validation reports.
    pub(crate) fn word_count(&self) -> usize {
        self.names.len()
    }
}

fn one_deletions(word: &str) -> impl Iterator<Item = String> + '_ {
    (0..word.len()).map(move |i| {
        let mut s = String::with_capacity(word.len() - 1);
        s.push_str(&word[..i]);
        s.push_str(&word[i + 1..]);
        s
    })
}

/// True when `a` and `b` differ by at most one insertion, deletion,
/// substitution or swap of neighbouring letters (ASCII only).
pub(crate) fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b {
        return true;
    }
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match la.cmp(&lb) {
        std::cmp::Ordering::Equal => {
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        std::cmp::Ordering::Greater => ra[1..] == *rb,
        std::cmp::Ordering::Less => *ra == rb[1..],
    }
}

/// Lower-case words of `text` separated by single spaces; a typed
/// apostrophe is kept in its word ("didn't"), every other mark separates.
fn words_only(text: &str) -> String {
    text.to_lowercase()
        .replace('\u{2019}', "'")
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_untouched_is_found_as_whole_words() {
        let mut lex = Lexicon::new();
        lex.set_code_untouched(&["nothing in src".into(), "didn't touch the function".into()]);
        for (text, want) in [
            ("docs+tests only. Nothing in `src/`.", true),
            ("I didn’t touch the function, only its tests", true),
            ("nothing in srcs changed", false),
            ("moved everything in src", false),
        ] {
            assert_eq!(lex.says_code_untouched(text), want, "{text}");
        }
    }

    #[test]
    fn valued_shorthand_is_known_in_any_case() {
        let mut lex = Lexicon::default();
        assert!(!lex.is_valued("bs"));
        lex.add_valued(&text::stem("bs"));
        assert!(lex.is_valued("bs") && lex.is_valued("BS"));
        assert!(!lex.is_valued("batch"));
    }

    #[test]
    fn context_shorthand_is_everyday_as_typed() {
        let mut lex = Lexicon::default();
        lex.add_everyday(&text::stem("ep"));
        lex.add_context_shorthand(&text::stem("ep"));
        for (surface, context) in [
            ("ep", true),
            ("EP", true),
            ("Ep", true),
            ("endpoint", false),
        ] {
            assert_eq!(lex.is_context_shorthand(surface), context, "{surface}");
        }
        // Judged as typed, whatever token it was read as.
        assert!(lex.item_is_everyday(UNKNOWN, "EP"));
        assert!(!lex.is_valued("ep"));
    }

    #[test]
    fn lowercase_shorthand_counts_only_as_typed_in_lower_case() {
        let mut lex = Lexicon::default();
        lex.add_shorthand("tbl", vec!["table".to_owned()]);
        lex.add_lowercase_shorthand("svc", vec!["service".to_owned()]);
        let long = |word: &str, typed: &str| {
            lex.expand(word, typed).map(|w| {
                w.iter()
                    .map(|w| w.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        };
        assert_eq!(long("svc", "svc").as_deref(), Some("service"));
        // "SVC" is the classifier: it stays as typed.
        assert_eq!(long("svc", "SVC"), None);
        assert_eq!(long("svc", "Svc"), None);
        // Plain shorthand counts in any case ("FS tbl", "TBL").
        assert_eq!(long("tbl", "TBL").as_deref(), Some("table"));
    }

    #[test]
    fn one_edit_distance() {
        for (a, b, expected) in [
            ("transformat", "tranformat", true),
            ("integrat", "integart", true),
            ("hyperparameter", "hyperparamter", true),
            ("hyperparameter", "hyperparamaters", false),
            ("train", "trian", true),
            ("train", "brain", true),
            ("train", "trains", true),
            ("train", "tr", false),
            ("model", "modle", true),
            ("model", "mdoel", true),
            ("abc", "cba", false),
        ] {
            assert_eq!(within_one_edit(a, b), expected, "{a} vs {b}");
        }
    }

    #[test]
    fn an_everyday_phrase_is_read_the_same_in_any_case() {
        let mut lex = Lexicon::new();
        lex.add_everyday(&text::stem("going"));
        lex.add_everyday(&text::stem("live"));
        for phrase in ["going live", "Going LIVE", "going-live", "GOING  live!"] {
            assert!(lex.is_everyday(phrase), "{phrase}");
        }
        for phrase in ["going live model", "", "--", "gOing lives now"] {
            assert!(!lex.is_everyday(phrase), "{phrase}");
        }
        // Non-ASCII phrases take the general path and agree with it.
        assert!(lex.is_everyday("Going live \u{2014} live"));
        assert!(!lex.is_everyday("going caf\u{e9}"));
    }

    #[test]
    fn typo_repair_is_unambiguous_and_length_limited() {
        let mut lex = Lexicon::new();
        lex.phrase_words("transformation hyperparameter staging serve promote learning launch");
        lex.finish();
        let name = |t| lex.name(t).to_owned();
        assert_eq!(
            name(lex.repair("tranformation", "tranformat")),
            "transformat"
        );
        assert_eq!(
            name(lex.repair("hyperparamter", "hyperparamter")),
            "hyperparameter"
        );
        assert_eq!(name(lex.repair("promtoe", "promto")), "promot");
        // The spelling as typed is compared with the spelling in the knowledge base.
        assert_eq!(name(lex.repair("learnign", "learnign")), "learn");
        // Too short to repair, or nothing close.
        assert_eq!(lex.repair("lunch", "lunch"), UNKNOWN);
        assert_eq!(lex.repair("stg", "stg"), UNKNOWN);
        assert_eq!(lex.repair("zzzzzzzz", "zzzzzzzz"), UNKNOWN);
    }
}

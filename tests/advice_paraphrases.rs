//! A second, independent paraphrase table for the advisor, written without
//! looking at the engine's output: the same situations as `advice_table.rs`
//! in other people's words (terse seniors, long PR descriptions, non-native
//! English, British spellings, abbreviations, typos, Slack markup, several
//! changes per message, negations in odd places) plus near-misses where the
//! naive keyword reading is wrong.
//!
//! Expectations follow the same policy as `advice_table.rs`:
//!
//! - `primary_scope` is the deepest scope of the union of every rule that
//!   should fire; `stages` follow from `scopes` (unit → dev, integration →
//!   test, release-gating → prod);
//! - `release-gating` only when the text is about promoting, releasing,
//!   shipping or going live into prod, moving the Champion alias, a rollback, a
//!   hotfix to prod, the first release of a new model, or a retrain whose
//!   result is promoted automatically; a change that will be promoted *later*
//!   is judged by its own risk;
//! - risk factors (real-time, shared feature table, regulated, unknown
//!   consumers, no tests, recent incident) lift a unit-only answer to
//!   integration and never add release-gating by themselves;
//! - a word that only names something (a monitor that fired, the FE job whose
//!   cluster grew, a shipping-cost feature) is not a change to that thing;
//! - text about nothing ML-related gets no scope and `confident == false`.
//!
//! Traps per situation are those of the matching rule in `responses/rules.toml`
//! (domain rules X01-X35), unioned over every change the message describes.
//!
//! Every case is checked and all mismatches are reported together.

mod common;

use common::*;
use testscope::advise;

#[rustfmt::skip]
const CASES: &[Case] = &[
    // ---------------------------------------------------------------- study guide anchors, reworded
    ("just one transform fn changed, what's the minimum test?", U, &[UNIT], &[]),
    ("we changed the path the features take through training and into deployment", I, &[INTEG], &[T2]),
    ("considering promoting the build from test to prod", R, &[GATE], &[T3]),
    ("the hparams and the way the artifact is packaged both changed", I, &[INTEG], &[T1]),
    ("that only affects training though, right?", I, &[INTEG], &[T1]),
    ("unit tests are passing, so we're good to ship, yeah?", R, &[INTEG, GATE], &[T2, T3]),
    ("we use identical tests across dev, test and prod", R, &[UNIT, INTEG, GATE], &[T3]),
    ("need a test that checks FE, training, eval and deploy all play nicely together", I, &[INTEG], &[T2]),

    // ---------------------------------------------------------------- X01 one transformation / utility function
    ("tweaked the normalise_phone fn so it strips the +44 prefix, same return type", U, &[UNIT], &[]),
    ("PR just touches `utils/text.py` (strip_accents) – pure fn, known in/out", U, &[UNIT], &[]),
    ("Small refactor of a date-parsing function, behaviour unchanged.", U, &[UNIT], &[]),
    ("i have change only one function for transform the dates, which test i must do?", U, &[UNIT], &[]),
    ("refactord the bucketize helper, output is identical", U, &[UNIT], &[]),
    ("the clean_text helper already has unit tests covering it, I only changed one line in it", U, &[UNIT], &[]),
    ("edited a single udf that lowercases merchant names", U, &[UNIT], &[]),

    // ---------------------------------------------------------------- X02 feature engineering path
    ("reworked how the FE pipeline builds the rolling 30d spend features - used in training and at inference", I, &[INTEG], &[T2]),
    ("PR #311: feature eng refactor\n- src/fraud/feature_engineering/rolling.py\n- src/fraud/feature_engineering/ratios.py\nThese feed both the training set and the online model.", I, &[INTEG], &[T2]),
    ("we changed the featurisation step that runs both in training and at serving time", I, &[INTEG], &[T2]),
    ("Feature logic for days_since_last_order now uses event time instead of ingestion time", I, &[INTEG], &[T2]),
    ("does changing how we compute features end to end need integration or is unit ok?", I, &[INTEG], &[T2]),
    ("modifed the feature generation code for the ranking model", I, &[INTEG], &[T2]),

    // ---------------------------------------------------------------- X03 training code
    ("training script now does gradient clipping + mixed precision", I, &[INTEG], &[T1, T2]),
    ("modified the training loop to resample the minority class", I, &[INTEG], &[T1, T2]),
    ("diff: pipelines/training/train_model.py (+40 -12)", I, &[INTEG], &[T1, T2]),
    ("optimiser changed from SGD to AdamW in the training code", I, &[INTEG], &[T1, T2]),
    ("swapped the loss function for focal loss in the trainer", I, &[INTEG], &[T1, T2]),
    ("*PR #88* — `src/training/loss.py`: label smoothing 0.1", I, &[INTEG], &[T1, T2]),

    // ---------------------------------------------------------------- X04 hyperparameters
    ("bumped lr, need anything beyond ci?", I, &[INTEG], &[T1]),
    ("hparams tweak only: num_leaves 31 -> 63, min_child_weight 1 -> 5", I, &[INTEG], &[T1]),
    ("ran an optuna sweep and picked new params for the fraud model", I, &[INTEG], &[T1]),
    ("Changed regularisation strength (C=1.0 → 0.3) on the logreg", I, &[INTEG], &[T1]),
    ("we only reduced the batch size, the model itself doesn't change right?", I, &[INTEG], &[T1]),
    ("hp change only (dropout .2 -> .3), ok to just run unit tests?", I, &[INTEG], &[T1, T2]),
    ("learning-rate went from 3e-4 to 1e-4, that's purely a training thing no?", I, &[INTEG], &[T1]),
    ("Tuned the hyperparametres a bit (max depth 6 → 8)", I, &[INTEG], &[T1]),
    ("we are changing the epochs number from 10 to 20, is need to test the deploy also?", I, &[INTEG], &[T1]),
    ("please what test is needed when I change the hyper parameter of model?", I, &[INTEG], &[T1]),
    ("chnaged the learnig rate on the ranker", I, &[INTEG], &[T1]),
    ("hyperparamter tunning on the ranker finished, new best config picked", I, &[INTEG], &[T1]),
    ("diff --git a/conf/hyperparameters.json b/conf/hyperparameters.json\n-  \"max_depth\": 6,\n+  \"max_depth\": 8,", I, &[INTEG], &[T1]),
    ("<@U0G9QF9C6> *quick q*: `max_depth` 6→10, do we need more than unit tests?", I, &[INTEG], &[T1]),

    // ---------------------------------------------------------------- X05 model architecture
    ("switch the model to a fine-tuned BERT", I, &[INTEG], &[T1]),
    ("new architecture for the ranker: two-tower instead of the old gbdt", I, &[INTEG], &[T1]),
    ("we're trying a random forest instead of logistic regression", I, &[INTEG], &[T1]),
    ("moving from lightgbm to catboost for the churn classifier", I, &[INTEG], &[T1]),
    ("replacing the neural net with a gradient boosting model", I, &[INTEG], &[T1]),

    // ---------------------------------------------------------------- X06 metric / validation threshold
    ("changed the eval metric from AUC to PR-AUC since classes are imbalanced", I, &[UNIT, INTEG], &[T7]),
    ("raised the min accuracy threshold in validation from 0.85 to 0.88", I, &[UNIT, INTEG], &[T7]),
    ("wrote a custom scorer for business-weighted recall", I, &[UNIT, INTEG], &[T7]),
    ("validation_thresholds: f1 >= 0.7 now (was 0.65)", I, &[UNIT, INTEG], &[T7]),

    // ---------------------------------------------------------------- X07 artifact packaging
    ("switched model logging from raw pickle files to log_model with a signature", I, &[INTEG], &[T1]),
    ("artefact layout changed: we now bundle the vocab file inside the model artefact", I, &[INTEG], &[T1]),
    ("Updated the model's input_example and signature in log_model()", I, &[INTEG], &[T1]),
    ("now packaging the model as a wheel for the batch job", I, &[INTEG], &[T1]),
    // A called function whose output shape changes for its consumers: unit
    // tests for it and integration for the callers (expected integration
    // alone before named functions were read).
    ("the pyfunc wrapper's predict() now returns a dataframe instead of a list", I, &[UNIT, INTEG], &[T1, T8]),

    // ---------------------------------------------------------------- X08 dependencies
    ("bumped torch 2.1 → 2.3 in requirements", I, &[INTEG], &[T2]),
    // A list's next item ends what docs or tests are about.
    ("a docstring typo in `dedupe()`, a new pytest for empty frames, and pyarrow 14 → 16 in the serving requirements", I, &[INTEG], &[T2]),
    // A test named by identifier is a tests change; tests someone has asked
    // for are a plan, judged against the change.
    ("`test_currency_convert` now covers 12 currencies", U, &[UNIT], &[T6]),
    ("only a clearer error message in `export_onnx()`; I have asked for a staging retrain and a day of shadow traffic", U, &[UNIT], &[T6]),
    // A setting no rule knows, given a new value, is a configuration change,
    // and stays one beside docs and tests.
    ("lowering `max_seq_len` from 512 to 256 on the summarizer", I, &[INTEG], &[T2]),
    ("`num_beams` 4 -> 1 in the generation config, plus a typo fix in the docs", I, &[INTEG], &[T2]),
    // What docs and tests are about is theirs: words inside the phrase and
    // after a docs or tests path.
    ("rewrote the batch scoring job's tests to use a small parquet fixture", U, &[UNIT], &[T6]),
    ("only touches `docs/`: a new section on audio sample rates", U, &[UNIT], &[T6]),
    // Shorthand: a stage label before a colon heads its sentence; a move to
    // a version or from one cadence to another is a value moving.
    ("prd: @champ → v19 on the eta mdl, stg green 3d :shipit:", R, &[GATE], &[T3, T5]),
    ("wip: FE job sched daily → hourly so the recs feats are fresher, PTAL", I, &[INTEG], &[T3, T7]),
    // Commenting code out switches it off; it is no docs change.
    ("commented out the register step in the deploy job", I, &[INTEG], &[T3, T7]),
    // A phrase reaching past a quoted name still counts; a release needed
    // "live in prod" is intended.
    ("Vertex endpoint `parcel-eta-prod` → `traffic_split` {v6: 50, v7: 50}", R, &[INTEG, GATE], &[T3, T5]),
    ("fixed `read_spacing()`; needs to be live in prod before the evening shift", R, &[UNIT, GATE], &[T3]),
    // Traffic named by its split or its share moves a release, and so does a
    // shadow run in prod.
    ("tl;dr new embedding model for search, shadow in prod this wk", R, &[INTEG, GATE], &[T1, T3, T5]),
    ("no, the prod endpoint gets a 90/10 split first and we compare acceptance for a week", R, &[GATE], &[T3, T5]),
    ("scheduling the switch of all EU traffic on the translation endpoint to the distilled model", R, &[INTEG, GATE], &[T1, T3, T5]),
    // Only code returns: a name that "returns" something is a function even
    // beside another change; "folds accents" is no cross-validation fold.
    ("changing `parse_ts` to return UTC instead of local time; its output is the join key of the `user_daily` feature table", I, &[UNIT, INTEG], &[T2, T8]),
    ("the lowercase step in `normalize_text()` now also folds accents", U, &[UNIT], &[]),
    ("switched to 5 folds for the CV", I, &[INTEG], &[T1]),
    // A library's version moving needs no verb.
    ("onnxruntime 1.17 → 1.19 in the serving image", I, &[INTEG], &[T2]),
    ("numpy 1.26 -> 2.0", I, &[INTEG], &[T2]),
    ("upgrade DBR 13.3 LTS ML to 15.4 LTS ML for the training job", I, &[INTEG], &[T2]),
    ("pinned numpy<2 because pandas broke", I, &[INTEG], &[T2]),
    ("poetry.lock regenerated, mostly transitive deps", I, &[INTEG], &[T2]),
    ("internal lib `mlutils` got a new release, we bumped it in requirements.txt", I, &[INTEG], &[T2]),

    // ---------------------------------------------------------------- X09 batch inference
    ("changed how the scoring job clips probabilities before writing them out", I, &[INTEG], &[T2, T8]),
    ("post processing in batch_predict.py now maps scores to risk bands", I, &[INTEG], &[T2, T8]),
    ("streaming inference job: switched the trigger interval to 5 min", I, &[INTEG], &[T2, T8]),
    ("M  src/inference/batch_score.py\nM  src/inference/postprocess.py", I, &[INTEG], &[T2, T8]),

    // ---------------------------------------------------------------- X10 serving endpoint
    ("bumping the serving endpoint from Small to Medium workload size", I, &[INTEG], &[T3]),
    ("enable autoscaling on the model endpoint, min 1 max 4", I, &[INTEG], &[T3]),
    ("moving the recs endpoint to gpu serving", I, &[INTEG], &[T3]),

    // ---------------------------------------------------------------- X11 input schema
    ("upstream team renamed the `txn_amt` column to `transaction_amount`", I, &[UNIT, INTEG], &[T2]),
    ("the events table got a new column `device_type` (string, nullable)", I, &[UNIT, INTEG], &[T2]),
    ("source schema changed: `age` is now a string instead of int", I, &[UNIT, INTEG], &[T2]),
    ("dtype of user_id changed to bigint upstream", I, &[UNIT, INTEG], &[T2]),

    // ---------------------------------------------------------------- X12 upstream data
    ("swapping the geo data provider from vendor A to vendor B, columns identical", I, &[INTEG], &[T4]),
    ("the upstream table is now fed by the new CRM, same schema", I, &[INTEG], &[T4]),
    ("backfill of 2023 data landed in the source table", I, &[INTEG], &[T4]),
    ("no code change, but the upstream source switched to a different dataset", I, &[INTEG], &[T4]),

    // ---------------------------------------------------------------- X13 feature table
    ("added a timestamp key to the user features table in UC", I, &[INTEG], &[T2, T8]),
    ("we're publishing the feature table to the online store", I, &[INTEG], &[T2, T8]),
    ("the feature store table for customers got a different primary key", I, &[INTEG], &[T2, T8]),
    ("FS table write job refactored", I, &[INTEG], &[T2, T8]),

    // ---------------------------------------------------------------- X14 PR / merge, dev -> test
    ("about to merge my branch into main, what does CI need to run?", I, &[UNIT, INTEG], &[T3]),
    ("PR is ready for review - which tests should run before merge?", I, &[UNIT, INTEG], &[T3]),
    ("deploying the bundle to the staging workspace for the first time", I, &[UNIT, INTEG], &[T3]),
    ("promote the branch from dev to the staging env", I, &[UNIT, INTEG], &[T3]),

    // ---------------------------------------------------------------- X15 release test -> prod
    ("we go live with the new pricing pipeline monday, what gates do we need?", R, &[GATE], &[T3]),
    ("Promoting the pipeline from staging to prod after the review", R, &[GATE], &[T3]),
    ("pls sanity check our prod deploy checklist for the churn job", R, &[GATE], &[T3]),
    ("shipping the recsys changes to prd tomorrow", R, &[GATE], &[T3]),
    ("deploymnet to prodcution friday, anything to check first?", R, &[GATE], &[T3]),
    ("when we put the code in production, which test is necessary before?", R, &[GATE], &[T3]),

    // ---------------------------------------------------------------- X16 model promotion / Champion alias
    ("flip the @champion alias to v23 once the eval looks fine", R, &[GATE], &[T3, T5]),
    ("challenger v8 beat the current champion, moving the alias", R, &[GATE], &[T3, T5]),
    ("transitioning the model version to Production stage in the registry", R, &[GATE], &[T3, T5]),
    ("UC: set alias champion -> version 31 on prod.ml.fraud_model", R, &[GATE], &[T3, T5]),
    (":rocket: shipping v5 of the ranking model to prod today :tada:", R, &[GATE], &[T3, T5]),

    // ---------------------------------------------------------------- X17 deploy-models pattern
    ("train once in the dev workspace, then copy_model_version into the prod catalog", R, &[INTEG, GATE], &[T3]),
    ("we trained the model in dev and want to copy it over to prod", R, &[INTEG, GATE], &[T3]),

    // ---------------------------------------------------------------- X18 rollback
    ("rolling the fraud model back to last week's version", R, &[GATE], &[T3]),
    ("need to go back to the previous model version asap, v14 is misbehaving", R, &[GATE], &[T3]),
    ("rollbak to previous champion pls", R, &[GATE], &[T3]),
    ("i am make the rollback of model to version before", R, &[GATE], &[T3]),

    // ---------------------------------------------------------------- X19 hotfix
    ("hot-fix needed: the prediction API returns 500 for null zip codes in prod", R, &[UNIT, INTEG, GATE], &[T2, T3]),
    ("urgent patch to prod for the NaN bug in the parsing udf", R, &[UNIT, INTEG, GATE], &[T2, T3]),
    ("emergency fix on the release branch – what's the minimum test set?", R, &[UNIT, INTEG, GATE], &[T2, T3]),

    // ---------------------------------------------------------------- X20 scheduled retrain
    ("our monthly retrain job auto-promotes the new version if it passes the gate - what should the gate check?", R, &[GATE], &[T3, T4]),
    ("weekly refit on fresh data, code untouched", R, &[GATE], &[T4]),
    ("the nightly retraining pipeline will pick up the new month of data, anything to test?", R, &[GATE], &[T4]),
    ("same code, new data: the weekly job retrains and swaps the champion if it's better", R, &[GATE], &[T3, T4, T5]),
    ("retrainng the model on new data every week", R, &[GATE], &[T4]),

    // ---------------------------------------------------------------- X21 drift-triggered retrain
    ("PSI alert on the income feature triggered an automatic retrain overnight", R, &[GATE], &[T4, T5]),
    ("the model's accuracy dropped last week and the monitor kicked off a retrain", R, &[GATE], &[T4, T5]),
    ("concept drift detected -> retraining got triggered automatically, do we trust the new model?", R, &[GATE], &[T4, T5]),

    // ---------------------------------------------------------------- X22 cluster / compute
    ("changed the job cluster from 4 to 16 workers", I, &[INTEG], &[T3]),
    ("switching the training compute to spot instances to save cost", I, &[INTEG], &[T3]),
    ("driver size bumped to 64GB for the FE job", I, &[INTEG], &[T3]),

    // ---------------------------------------------------------------- X23 job orchestration
    ("reordered the tasks in our DAB so deployment runs before model validation", I, &[INTEG], &[T3, T7]),
    ("changed the cron on the retraining workflow from daily to hourly", I, &[INTEG], &[T3, T7]),
    ("updated resources/batch-inference-workflow-resource.yml: new job parameter for the output catalog", I, &[INTEG], &[T3, T7]),
    ("added depends_on so the deploy task waits for the validation task", I, &[INTEG], &[T3, T7]),
    ("do we need e2e for a cron tweak?", I, &[INTEG], &[T3, T7]),

    // ---------------------------------------------------------------- X24 monitoring config
    ("tightening the drift threshold on the lakehouse monitor from 0.2 to 0.1", I, &[INTEG], &[T3]),
    ("new alerting rule: page on-call when the null rate goes above 5%", I, &[INTEG], &[T3]),
    ("added a drift dashboard for the churn model", I, &[INTEG], &[T3]),

    // ---------------------------------------------------------------- X25 docs only
    ("README tweaks + fixed a couple of broken links in docs/", U, &[UNIT], &[T6]),
    ("Only comments changed in train.py, no logic", U, &[UNIT], &[T6]),
    ("typo fix in a docstring, nothing else", U, &[UNIT], &[T6]),
    ("updated the release notes for v1.3", U, &[UNIT], &[T6]),
    ("deploy the docs site to production (mkdocs only, no code)", U, &[UNIT], &[T6]),

    // ---------------------------------------------------------------- X26 tests only
    ("just added pytest cases for the split helper, no src changes", U, &[UNIT], &[T6]),
    ("test-only PR: more edge cases in tests/test_features.py", U, &[UNIT], &[T6]),
    ("refactored the test fixtures, prod code untouched", U, &[UNIT], &[T6]),

    // ---------------------------------------------------------------- X27 permissions
    ("the training job now runs as the ml-prod service principal", I, &[INTEG], &[T3]),
    ("granting SELECT on the feature schema to the scoring service principal", I, &[INTEG], &[T3]),
    ("rotated the secrets the nightly job reads from the secret scope", I, &[INTEG], &[T3]),

    // ---------------------------------------------------------------- X28 gate weakened
    ("temporarily setting run_mode: disabled in ModelValidation", I, &[INTEG], &[T7]),
    ("turn off the champion comparison in validation (enable_baseline_comparison=false)", I, &[INTEG], &[T7]),
    ("skip the validation gate for tonight's job, we'll fix it tomorrow", I, &[INTEG], &[T7]),
    ("can we bypass the validation step just for this hotfix?", R, &[UNIT, INTEG, GATE], &[T2, T3, T7]),

    // ---------------------------------------------------------------- X29 inference I/O tables
    ("predictions now land in `ml.scores.churn_v2` instead of `churn_v1` (new output table)", I, &[INTEG], &[T8]),
    ("switched the write mode of the scores table to merge", I, &[INTEG], &[T8]),
    ("adding a `model_version` column to the prediction table", I, &[INTEG], &[T8]),

    // ---------------------------------------------------------------- X30 seed / split
    ("switched to a time-based split (train before 2024-01, test after)", I, &[INTEG], &[T1]),
    ("we now downsample negatives 10:1 before training", I, &[INTEG], &[T1]),
    ("5-fold cross validation instead of a single holdout", I, &[INTEG], &[T1]),
    ("changed the random seed from 42 to 7, surely nothing to test?", I, &[INTEG], &[T1]),

    // ---------------------------------------------------------------- X31 feature set
    ("removing 3 low-importance features from the model", I, &[INTEG], &[T1, T2]),
    ("added `days_since_signup` as a new model input", I, &[INTEG], &[T1, T2]),
    ("feature selection pass dropped ~20 columns from the input features", I, &[INTEG], &[T1, T2]),
    ("added a shipping_cost feature to the delivery-time model", I, &[INTEG], &[T1, T2]),
    ("adding a `tenure_months` feature to the churn model", I, &[INTEG], &[T1, T2]),

    // ---------------------------------------------------------------- X32 label definition
    ("we redefined the target: churn is now 45 days inactive (was 30)", I, &[INTEG], &[T1, T5]),
    ("target column is now `is_fraud_confirmed` instead of `is_flagged`", I, &[INTEG], &[T1, T5]),
    ("label logic changed: refunds no longer count as positives", I, &[INTEG], &[T1, T5]),

    // ---------------------------------------------------------------- X33 decision threshold
    ("moving the approval cutoff from 0.7 to 0.65", I, &[UNIT, INTEG], &[T1, T5]),
    ("business wants the probability threshold for flagging at 0.3 instead of 0.5", I, &[UNIT, INTEG], &[T1, T5]),
    ("changed the score threshold for auto-decline", I, &[UNIT, INTEG], &[T1, T5]),

    // ---------------------------------------------------------------- X34 train/serve preprocessing
    ("the one-hot encoding in serving doesn't match training for unseen categories, fixing it", I, &[UNIT, INTEG], &[T2]),
    ("switching the imputer from mean to median in the preprocessing", I, &[UNIT, INTEG], &[T2]),
    ("new tokeniser for the text model, used at train and inference", I, &[UNIT, INTEG], &[T2]),
    ("normalisation step moved into the sklearn pipeline so serving gets it too", I, &[UNIT, INTEG], &[T2]),

    // ---------------------------------------------------------------- X35 first release of a new model
    ("first ever deployment of the demand forecasting model, nothing in prod yet", R, &[INTEG, GATE], &[T3, T5]),
    ("launching a brand-new fraud model next sprint, there is no champion", R, &[INTEG, GATE], &[T3, T5]),
    ("initial release of the LTV model to production", R, &[INTEG, GATE], &[T3, T5]),

    // ---------------------------------------------------------------- T1 belief: only training
    ("it's only the tree depth, surely that only matters for training?", I, &[INTEG], &[T1]),
    ("the change is limited to training, serving isn't affected", I, &[INTEG], &[T1]),
    ("param change is isolated to the training job so no need to redeploy or evaluate again, right?", I, &[INTEG], &[T1]),

    // ---------------------------------------------------------------- T2 belief: unit tests are enough
    ("unit tests all green, good to deploy to prod?", R, &[INTEG, GATE], &[T2, T3]),
    ("CI unit suite passes, we can skip the integration test for this one", I, &[INTEG], &[T2]),
    ("pytest is passing locally, so the whole system should be fine", I, &[INTEG], &[T2]),

    // ---------------------------------------------------------------- T3 belief: stage-blind
    ("we just run the exact same test suite in dev, staging and prod, is that ok?", R, &[UNIT, INTEG, GATE], &[T3]),
    // Skipping staging is answered with what staging is for, not with the
    // every-stage plan (expected unit + integration + release-gating before
    // the skip-staging belief was told apart from "same tests everywhere").
    ("can we deploy straight to production and skip staging this time?", R, &[INTEG, GATE], &[T3]),
    ("our CI/CD runs identical tests at every stage", R, &[UNIT, INTEG, GATE], &[T3]),

    // ---------------------------------------------------------------- T4 belief: no code change, no tests
    ("code is unchanged, it's just a fresh batch of data, so no tests needed?", I, &[INTEG], &[T4]),
    ("only the data changed — nothing to test, right?", I, &[INTEG], &[T4]),

    // ---------------------------------------------------------------- T5 offline equals online
    ("offline AUC went up 3 points vs the champion, can we promote it?", R, &[GATE], &[T3, T5]),
    ("the new version has higher accuracy in backtests, ok to roll out?", R, &[GATE], &[T3, T5]),
    ("after bumping max_depth the auc improved from .81 to .83", I, &[INTEG], &[T1]),

    // ---------------------------------------------------------------- T6 over-testing
    ("do we really need to retrain just because I fixed a typo in a docstring?", U, &[UNIT], &[T6]),
    ("running the whole e2e suite for a README change feels like overkill", U, &[UNIT], &[T6]),

    // ---------------------------------------------------------------- T8 undeclared consumers
    ("changed the output schema of the scores table, I don't think anyone else reads it", I, &[INTEG], &[T8]),
    ("no one uses the old prediction table anymore, so we're dropping it", I, &[INTEG], &[T8]),

    // ---------------------------------------------------------------- risk factors lift unit to integration, never to release-gating
    ("fixed one helper in the credit decisioning service", I, &[UNIT, INTEG], &[]),
    ("small fix to a util used by the real-time recommender", I, &[UNIT, INTEG], &[T5]),
    ("one function changed in a feature table shared by five models", I, &[UNIT, INTEG], &[T2, T8]),
    ("refactored a helper in legacy code nobody wrote tests for", I, &[UNIT, INTEG], &[]),
    ("tiny fix in the date helper; we had a sev1 on this last month", I, &[UNIT, INTEG], &[]),
    ("a helper that several downstream teams consume got a small fix", I, &[UNIT, INTEG], &[T8]),
    ("bumped the lr on the regulated credit model", I, &[INTEG], &[T1]),
    ("lr change on the realtime fraud model", I, &[INTEG], &[T1, T5]),
    ("the parse_dates helper has zero tests and I changed one line in it", I, &[UNIT, INTEG], &[]),
    ("after Tuesday's incident we patched the rounding helper", I, &[UNIT, INTEG], &[]),

    // ---------------------------------------------------------------- negations in different positions
    ("nothing changed except the random seed", I, &[INTEG], &[T1]),
    // A list before a colon takes the negation after it; a list before a
    // line break does not ("Deployment notes\n- none" is a template).
    ("`mask_card()` now hides all but the last 4 digits. model, features and serving config: not touched", U, &[UNIT], &[]),
    ("hyperparameters: none. fixed the off-by-one in `clip_age()`", U, &[UNIT], &[]),
    ("fixed half-hour offsets in `to_local_hour(ts, tz)`. signature and return type are the same", U, &[UNIT], &[]),
    ("`haversine_km` returned miles, oops. fixed, same signature", U, &[UNIT], &[]),
    ("swapped adam for adamw for the ner fine-tune", I, &[INTEG], &[T1]),
    // A bug named in a function is a change to it.
    ("the UDF that buckets ages had an off-by-one at 65", U, &[UNIT], &[]),
    ("quantizing the retrieval embedder to int8 before we log it. same tokenizer, same output dim", I, &[INTEG], &[T1]),
    ("apart from the README nothing moved", U, &[UNIT], &[T6]),
    ("no retrain needed since only the docs changed", U, &[UNIT], &[T6]),
    ("Didn't touch training code or hyperparams; only the scaler in preprocessing", I, &[UNIT, INTEG], &[T2]),
    ("the lr is the same as before, we only swapped the tokenizer", I, &[UNIT, INTEG], &[T2]),
    ("no new features, no schema change, just renamed a variable in utils.py", U, &[UNIT], &[]),
    ("we're not going to prod yet, just merging the hparam change to main", I, &[UNIT, INTEG], &[T1, T3]),
    ("the feature table hasn't changed; the only edit is a pure function in transforms.py", U, &[UNIT], &[]),
    ("neither the model nor the endpoint changed, only the output table name", I, &[INTEG], &[T8]),
    ("without touching the architecture we halved the dropout", I, &[INTEG], &[T1]),
    ("there is no release planned, only the loss function was changed", I, &[INTEG], &[T1, T2]),
    ("we aren't retraining, only fixing a typo in the comments", U, &[UNIT], &[T6]),
    ("No hyperparameter tuning this sprint. We refactored one helper.", U, &[UNIT], &[]),
    ("max_depth stayed the same; we only changed the eval metric", I, &[UNIT, INTEG], &[T7]),
    ("it is not a model change, just the cron schedule of the job", I, &[INTEG], &[T3, T7]),

    // ---------------------------------------------------------------- promoted later: judged by the change's own risk
    ("increased n_estimators; it will go out with the next release train in two weeks", I, &[INTEG], &[T1]),
    ("eventually this goes to production, but right now I only edited a transform fn", U, &[UNIT], &[]),
    ("do I need release-gating tests for a learning rate change?", I, &[INTEG], &[T1]),
    ("is a release gate needed if we only change the docs?", U, &[UNIT], &[T6]),

    // ---------------------------------------------------------------- multi-change messages and PR descriptions
    ("This PR: (1) bumps xgboost 1.7 -> 2.0 (2) retunes max_depth (3) new signature in log_model", I, &[INTEG], &[T1, T2]),
    ("changed the imputer and the decision threshold, then we promote to prod on thursday", R, &[UNIT, INTEG, GATE], &[T1, T2, T3, T5]),
    // Code moved, so the README is judged with the code: no over-testing
    // reminder, and the feature file is a path, not a one-function change
    // (this case expected unit + over-testing before the code-wins rule).
    ("- src/features/ratios.py\n- conf/params.yaml\n- README.md", I, &[INTEG], &[T1, T2]),
    ("new feature table + new endpoint for real-time lookups, going live next week", R, &[INTEG, GATE], &[T2, T3, T5, T8]),
    // A template pasted on one line: its fields are sentences, and "Testing
    // done" and "Rollback: revert" are boilerplate, not a belief or a release.
    ("Summary: rename the cols in the churn feature table. Testing done: unit suite green. Rollback: revert", I, &[INTEG], &[T2, T8]),
    // Vocabulary: a loss named by its name changes what the model learns;
    // A/B as a verb on users is a release on live traffic.
    ("the loss went from mse to huber in the trainer", I, &[INTEG], &[T1, T2]),
    ("we want to A/B the new recsys against the current one on 5% of users", R, &[GATE], &[T3, T5]),
    // Words compounded before a docs noun say what the docs are about.
    ("updated the tokenizer README", U, &[UNIT], &[T6]),
    ("fixed a typo in the scaler docstring", U, &[UNIT], &[T6]),
    // An apology opens a correction; it claims nothing.
    ("raj: changed the tokenizer vocab\nmia: wait, that was only the README for the tokenizer, right?\nraj: yeah sorry, just docs", U, &[UNIT], &[T6]),
    // Code and docs: judged by the code (expected over-testing before).
    ("we tweaked the cleaning helper and also fixed typos in the readme", U, &[UNIT], &[]),
    // Code and its tests: judged by the code, so no over-testing reminder
    // and no unit-only reading of the test file (expected both before).
    ("## Summary\nRefactors feature engineering for the fraud model.\n\n## Changes\n- `src/fraud/feature_engineering/velocity.py`: 1h/24h velocity features\n- `tests/unit/test_velocity.py`: unit tests\n\n## Testing\nUnit tests pass locally.", I, &[INTEG], &[T2]),
    ("### What\n* bump `lightgbm` 3.3.5 -> 4.3.0 (requirements.txt)\n* retune `num_leaves` after the upgrade\n### Rollout\nwill go out with the normal release next week", I, &[INTEG], &[T1, T2]),
    ("git diff --stat:\n notebooks/Train.py | 12 +++---\n resources/model-workflow-resource.yml | 4 +-", I, &[INTEG], &[T1, T2, T3, T7]),
    ("> bumped the tokenizer vocab\n_does this need staging?_", I, &[UNIT, INTEG], &[T2]),

    // ---------------------------------------------------------------- near-misses and off-topic
    ("who wants to promote the ML meetup on linkedin?", None, &[], &[]),
    ("congrats to Priya, she got promoted to staff engineer!", None, &[], &[]),
    ("staging the git commit before I push", None, &[], &[]),
    ("can someone ship me the slides from yesterday?", None, &[], &[]),
    ("launching the new office wifi on monday", None, &[], &[]),
    ("feature flag for the new checkout button in the web app", None, &[], &[]),
    ("updated the shipping address validation in the checkout form", None, &[], &[]),
    ("pinned the deploy checklist in the channel", None, &[], &[]),
    ("launched a training run with lr=1e-4 in dev", I, &[INTEG], &[T1]),
    ("swapped the clustering algorithm from k-means to DBSCAN", I, &[INTEG], &[T1]),
    ("changed how we compute the ratio in one helper function", U, &[UNIT], &[]),
    ("we released the gpu memory properly in the training loop now", I, &[INTEG], &[T1, T2]),
    ("reverted the refactor of the date helper, it was slower", U, &[UNIT], &[]),
    ("the feature pipeline has a new dedup stage", I, &[INTEG], &[T2]),
    ("set a new environment variable in the training job config", I, &[INTEG], &[T3, T7]),
    ("I shared the notebook with the new joiner", None, &[], &[]),

    // ---------------------------------------------------------------- batch 2: mixed voices, checked against the fixes only afterwards
    ("Adding two interaction features (price x region) to the pricing model", I, &[INTEG], &[T1, T2]),
    ("we've added class weights to the trainer to handle imbalance", I, &[INTEG], &[T1, T2]),
    ("added early stopping with patience 3", I, &[INTEG], &[T1]),
    ("adding an explicit signature to the logged model so serving stops guessing types", I, &[INTEG], &[T1]),
    // A question about one kind of test is answered for that kind: load
    // tests run against a staging endpoint (this case expected the
    // every-stage plan before questions were answered as questions).
    ("which environment should the load test run in?", I, &[INTEG], &[]),
    ("the batch scoring stage of the pipeline now writes to a delta table", I, &[INTEG], &[T2, T8]),
    // The tokenizer is where the helper lives, not a second change (expected
    // unit + integration before place words were told apart from subjects).
    ("reverting yesterday's refactor of the tokenizer helper", U, &[UNIT], &[]),
    ("revert the champion alias to v6, v7 is misbehaving", R, &[GATE], &[T3]),
    ("added a monitor on prediction drift for the pricing endpoint", I, &[INTEG], &[T3]),
    ("we get drift alerts every morning but nothing changed in the code", R, &[GATE], &[T4, T5]),
    ("spun up a bigger cluster for the hyperparameter sweep", I, &[INTEG], &[T1, T3]),
    ("one helper now computes the weekday, same output as before", U, &[UNIT], &[]),
    ("pinned mlflow to 2.12 in conda.yaml", I, &[INTEG], &[T2]),
    ("small fix in the parse_currency function, there are no unit tests for it yet", I, &[UNIT, INTEG], &[]),
    ("hey, quick one: we changed the decision cutoff for the churn alerts from 0.6 to 0.55", I, &[UNIT, INTEG], &[T1, T5]),
    ("Refactoring the training pipeline to use the new data loader", I, &[INTEG], &[T1, T2]),
    ("can u check: new lightgbm params + retrained, want to move champion alias tonight", R, &[INTEG, GATE], &[T1, T3, T5]),
    ("model artefact now includes the label encoder; serving loads it from the artefact", I, &[UNIT, INTEG], &[T1, T2]),
    ("dropping the tz conversion in the feature job, it was double applied", I, &[INTEG], &[T2]),
    ("we swapped the vendor for the address data, schema is the same", I, &[INTEG], &[T4]),
    ("our test suite is identical across dev, uat and prod", R, &[UNIT, INTEG, GATE], &[T3]),
    ("first model for the new market goes live in two weeks, nothing to compare with", R, &[INTEG, GATE], &[T3, T5]),
    ("is it fine to only unit test a change to the feature pipeline?", I, &[INTEG], &[T2]),
    ("after the outage last night we're rolling back to the previous model", R, &[GATE], &[T3]),
    ("I didn't change the model, just the threshold in the post-processing", I, &[UNIT, INTEG], &[T1, T2, T5, T8]),
    ("lr warmup from 500 to 1000 steps, ship it?", R, &[INTEG, GATE], &[T1, T3]),
    ("added --dry-run to the validation task so the job doesn't fail", I, &[INTEG], &[T7]),
    ("the nightly job now retrains and auto-promotes; what could go wrong?", R, &[GATE], &[T3, T4]),
    ("fixing the typo in the log message inside predict.py", I, &[INTEG], &[T2, T8]),
    ("refactor: split utils/dates.py into two modules, no behaviour change", U, &[UNIT], &[]),
    ("we’re switching the serving container to a GPU instance type", I, &[INTEG], &[T3]),
    ("onboarding doc for new joiners, where should it live?", U, &[UNIT], &[T6]),
    ("can we merge the pr that adds the new scaler? unit tests are green", I, &[UNIT, INTEG], &[T2, T3]),
    ("promotion of the ranking model to production needs sign-off from whom?", R, &[GATE], &[T3, T5]),
    ("please release the lock on the shared notebook", None, &[], &[]),
    ("kicked off a retrain with the new seed on the dev cluster", I, &[INTEG], &[T1]),

    // ---------------------------------------------------------------- batch 3: holdout, not used for tuning
    ("tweaked the sigmoid temperature on the ranking model's output scores", I, &[UNIT, INTEG], &[T1, T5]),
    ("we now cap outliers at the 99th percentile in the shared preprocessing used by train and serve", I, &[UNIT, INTEG], &[T2]),
    ("bumped catboost depth from 6 to 8, does serving care?", I, &[INTEG], &[T1]),
    ("updated the regex in the sanitize_email helper", U, &[UNIT], &[]),
    ("renamed `score` to `churn_probability` in the output table", I, &[INTEG], &[T8]),
    ("added a null check in the featurizer before the join", I, &[INTEG], &[T2]),
    ("retraining every sunday on the last 12 weeks, promotion is automatic if the gate passes", R, &[GATE], &[T3, T4]),
    ("swapped adam for adamw, same lr", I, &[INTEG], &[T1]),
    ("can we just deploy it? all the unit tests passed on my laptop", R, &[INTEG, GATE], &[T2, T3]),
    ("new feature: user tenure in months, computed in the feature pipeline and looked up online", I, &[INTEG], &[T2]),
    ("nothing in the model changed; only the README and a docstring", U, &[UNIT], &[T6]),
    ("we changed the join key between transactions and customers in the training set builder", I, &[INTEG], &[T1, T2]),
    ("upgraded python from 3.10 to 3.11 on the job clusters", I, &[INTEG], &[T2, T3]),
    ("moving from batch to real-time serving for the fraud model", I, &[INTEG], &[T3, T5]),
    ("increase min_samples_leaf to 20 to reduce overfitting", I, &[INTEG], &[T1]),
    ("should the canary for v4 get 5% or 10% of prod traffic?", R, &[GATE], &[T3, T5]),
    ("the churn predictions table is now partitioned by date", I, &[INTEG], &[T8]),
    ("updated the unit test for the date helper, nothing else", U, &[UNIT], &[T6]),
    ("Is integration testing needed when only the evaluation metric's code changes?", I, &[UNIT, INTEG], &[T7]),
    ("the upstream team backfilled last quarter and some values shifted", I, &[INTEG], &[T4]),
    ("we're rolling out the new recommender to 100% of users tomorrow", R, &[GATE], &[T3]),
    ("the scaler is fit on train only now (was fit on everything), leakage fix", I, &[UNIT, INTEG], &[T2]),
    ("anyone up for lunch at the food trucks?", None, &[], &[]),
    ("hi team, I changed the window size of the rolling mean feature from 7 to 14 days", I, &[INTEG], &[T2]),
    ("reduced the workload size of the staging endpoint to save money", I, &[INTEG], &[T3]),
    ("changed the sampling ratio of negatives in the training data from 1:5 to 1:3", I, &[INTEG], &[T1]),
    // ---------------------------------------------------------------- once known gaps
    // A release planned for later is not the decision at hand when the
    // message says what changed now.
    ("will be promoted to prod next month, today we only changed the seed", I, &[INTEG], &[T1]),
    ("we'll move the champion alias later, for now just changed the loss function", I, &[INTEG], &[T1, T2]),
    // "Going live" with nothing else about ML is an everyday phrase.
    ("we're going live on the all-hands stream at 3pm", None, &[], &[]),
    // ---------------------------------------------------------------- advice27 round
    // A sentence that only asks whether the one before it holds is its tag.
    ("my tech lead says green unit tests are enough to ship the ranker. is it true?", I, &[INTEG], &[T2]),
    ("Our PM say if the offline precision is better we can skip the A/B test. He is right?", R, &[GATE], &[T5]),
    // Scopes offered as alternatives: the kind of test asked about chooses.
    ("checking one function with known inputs and outputs, unit or integration?", U, &[UNIT], &[]),
    // A need denied reaches up to "for"; the change after it stands.
    ("unit tests pass so no integration run needed for the lr change imo", I, &[INTEG], &[T1, T2]),
    // A name given a number a few words later is a setting; an identifier is no kind.
    ("the tokenizer max_length was changed from 128 to 256", I, &[UNIT, INTEG], &[T1, T2]),
    ("n_estimators is 800 on the churn xgb", I, &[INTEG], &[T1]),
    // Everyday words are not repaired into ML terms.
    ("a simple fix in `parse_ts()`, tz offset was dropped", U, &[UNIT], &[]),
    ("fixed `clip_scores()` for NaN inputs, review pending", U, &[UNIT], &[]),
    // An emoji glyph reads as its Slack name.
    ("fraud v9 \u{1F6A2} to prd tonight after the canary", R, &[GATE], &[T3, T5]),
    // A prompt or the sampling settings of a served language model.
    ("rewrote the prompt template for the ticket classifier, same model", I, &[INTEG], &[T5]),
    // "ep" before a number counts epochs, not an endpoint.
    ("bs 256, lr 1e-5, ep 3 -> 5 on the ft, same data", I, &[INTEG], &[T1]),
    // What a computing verb works out, in a message about features, is data.
    ("feature pipeline: now we compute basket_size_30d from orders instead of carts", I, &[INTEG], &[T2]),
    // CatBoost's "iterations" moved by a verb in a message about ML.
    ("raised iterations to 2000 on the catboost churn model", I, &[INTEG], &[T1]),
];

#[test]
fn paraphrase_table_is_well_formed() {
    assert_well_formed(CASES, 150);
}

/// The paraphrases share no sentence with the original table, so a pass here
/// is evidence of generalisation rather than of tuning to known inputs.
#[test]
fn paraphrases_are_new_sentences() {
    let original = include_str!("advice_table.rs");
    for &(text, ..) in CASES {
        let quoted = format!("{text:?}");
        assert!(
            !original.contains(&quoted),
            "{text:?} already appears in advice_table.rs"
        );
    }
}

#[test]
fn paraphrase_table() {
    assert_table("advice paraphrases", CASES);
}

/// Questions about every stage at once: the plan, no primary scope.
#[rustfmt::skip]
const PLAN_QUESTIONS: &[&str] = &[
    "what changes between dev, staging and prod when it comes to testing?",
    "which tests belong in dev vs staging vs prod for our fraud pipeline?",
];

#[test]
fn a_question_about_every_stage_gets_the_plan_without_a_primary_scope() {
    assert_plan_questions(PLAN_QUESTIONS);
}

/// A release word that a belief's own words hold ("green unit tests = safe to
/// ship") or stage names written as a list ("dev, staging, prod") release
/// nothing; a release the writer intends still does.
#[test]
fn a_release_inside_a_belief_or_a_list_of_stages_releases_nothing() {
    for (text, trap) in [
        (
            "our lead says green unit tests = safe to ship. I rewired how the batch scorer reads the feature table the training job writes",
            "unit-for-system-confidence",
        ),
        (
            "the image resize now happens in the lib shared by training and the online endpoint. dev, staging, prod, whatever, the test is the same wherever it runs, right?",
            "stage-blind",
        ),
    ] {
        let advice = advise(&KB, text);
        assert_eq!(
            advice.primary_scope.as_deref(),
            Some("integration"),
            "{text}"
        );
        assert!(
            advice.traps.iter().any(|t| t == trap),
            "{text}: {:?}",
            advice.traps
        );
    }
    for text in [
        "unit tests are green, promoting v8 of the churn model to prod tonight",
        "the resize change in the shared training and serving lib passed staging, we promote from staging to prod tomorrow",
    ] {
        let advice = advise(&KB, text);
        assert_eq!(
            advice.primary_scope.as_deref(),
            Some("release-gating"),
            "{text}"
        );
    }
}

/// Known gaps: phrasings the engine still reads differently from what a
/// person means. Kept here, with the answer we want, so they stay visible;
/// `known_gaps_are_still_gaps` fails once one is fixed, so it can move into
/// the table above.
#[rustfmt::skip]
const KNOWN_GAPS: &[Case] = &[
    // A verbless clause after "no staging step" inherits its negation.
    ("dev to prod in one go, no staging step - is that acceptable for a hotfix?", R, &[UNIT, INTEG, GATE], &[T2, T3]),
    // A job mentioned by name ("the scoring job") reads as a change to it.
    ("need to give the SP read access on the gold schema for the scoring job", I, &[INTEG], &[T3]),
];

#[test]
fn known_gaps_are_still_gaps() {
    for (text, primary, scopes, traps) in KNOWN_GAPS {
        let advice = advise(&KB, text);
        let right = advice.primary_scope.as_deref() == *primary
            && advice.scopes == *scopes
            && advice.traps == *traps;
        assert!(!right, "{text:?} is answered right now: move it into CASES");
    }
}

/// A question that sets scopes side by side ("the difference between ...")
/// asks about those scopes: each of them, and no primary scope, whatever it
/// names them for.
#[test]
fn a_question_comparing_scopes_has_no_primary() {
    for text in [
        "what is the difference between integration test and unit test?",
        "how do unit tests and integration tests differ for a feature pipeline?",
    ] {
        let advice = advise(&KB, text);
        assert_eq!(advice.reading.name(), "question", "{text}");
        assert_eq!(advice.primary_scope, None, "{text}");
        assert_eq!(advice.scopes, ["unit", "integration"], "{text}");
    }
}

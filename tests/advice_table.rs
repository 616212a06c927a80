//! Table-driven acceptance tests for the advisor: realistic Slack paraphrases
//! of ML changes and the test scope, stages and traps a demanding ML engineer
//! expects back.
//!
//! The expectations follow the study guide (`ml-pro-study-guide.txt`), the
//! domain rules X01-X35 and traps T1-T8 (`ml-testing-domain.md` §4), and the
//! answer policy:
//!
//! - `primary_scope` is the deepest scope of the union of every rule that fired;
//!   `stages` follow from `scopes` (unit → dev, integration → test,
//!   release-gating → prod);
//! - `release-gating` only when the text is about promoting, releasing,
//!   shipping or going live into prod, moving the Champion alias, a rollback, a
//!   hotfix to prod, the first release of a new model, or a retrain whose result
//!   is promoted automatically; a change that is merely promoted *later* is
//!   judged by its own risk;
//! - risk factors (real-time, shared feature table, regulated, unknown
//!   consumers, no tests, recent incident) lift a unit-only answer to
//!   integration and never add release-gating by themselves;
//! - text about nothing ML-related gets no scope and `confident == false`.
//!
//! Every case is checked and all mismatches are reported together, so one run
//! shows the full list of disagreements between the engine and the table.

mod common;

use common::*;
use testscope::advise;

#[rustfmt::skip]
const CASES: &[Case] = &[
    // ---------------------------------------------------------------- study guide: test-scope map
    ("how do i verify one function with known inputs and outputs?", U, &[UNIT], &[]),
    ("need to verify that feature engineering, training, evaluation and deployment all work together", I, &[INTEG], &[T2]),
    ("how should we reason about promotion from dev to test to prod for this pipeline?", R, &[UNIT, INTEG, GATE], &[T3]),

    // ---------------------------------------------------------------- study guide: exam cues
    ("writing unit tests for individual functions in the cleaning code", U, &[UNIT], &[]),
    ("what should an integration test for a machine learning system actually cover?", I, &[INTEG], &[T2]),

    // ---------------------------------------------------------------- study guide: scenario triage
    ("one transformation function changed", U, &[UNIT], &[]),
    ("i changed a single transformation fn in the date parsing", U, &[UNIT], &[]),
    ("feature path through training and deployment changed", I, &[INTEG], &[T2]),
    ("we reworked the feature pipeline that feeds both training and the deployed model", I, &[INTEG], &[T2]),
    ("promotion from test to prod is under consideration", R, &[GATE], &[T3]),
    ("thinking about promoting from test to prod this week", R, &[GATE], &[T3]),
    ("hyperparameters or artifact packaging changed", I, &[INTEG], &[T1]),
    ("hyperparameters and the artifact packaging both changed in this pr", I, &[INTEG], &[T1]),
    // Data checks added to a pipeline: fixtures in dev, real tables in staging.
    ("added great_expectations suites for the orders table, they run at the start of the nightly feature job", I, &[UNIT, INTEG], &[T3]),
    // Undoing a change, when nothing else is told, is a change of its own.
    ("reverted yesterday's lr change on the ranker, we're back to 0.01", I, &[INTEG], &[T1]),
    // Moving a model between registries changes what serving and jobs load.
    ("we're moving the churn model from the workspace registry to Unity Catalog, same artifact", I, &[INTEG], &[T1]),

    // ---------------------------------------------------------------- study guide: common traps
    ("we only changed the learning rate, that only affects training right?", I, &[INTEG], &[T1]),
    ("it's just an lr tweak so it only impacts training, correct?", I, &[INTEG], &[T1]),
    ("n_estimators went from 200 to 500 but that's training only", I, &[INTEG], &[T1]),
    ("lr change only, no need to re-evaluate the model or redeploy?", I, &[INTEG], &[T1]),
    ("unit tests pass so we can ship", R, &[INTEG, GATE], &[T2, T3]),
    ("unit tests passed, ok to ship it to prod?", R, &[INTEG, GATE], &[T2, T3]),
    ("<@U024BE7LH> can we *ship* it? unit tests are all green", R, &[INTEG, GATE], &[T2, T3]),
    ("all unit tests are green so we don't need an integration run", I, &[INTEG], &[T2]),
    ("unit tests cover it, skipping the integration tests this time", I, &[INTEG], &[T2]),
    // a pointer called a change, a verb with a particle, a kind judged with its modifiers
    ("it's only a config tweak so unit tests are plenty", I, &[INTEG], &[T2]),
    ("turned the champion comparison in the validation job into warn-only, nothing to test", I, &[INTEG], &[T7]),
    // "crank" reports a change, so the claim beside it is about that change; "min AUC" names the gate
    ("cranked max_depth up to 12 on the ranker, that's a training concern, the endpoint won't notice", I, &[INTEG], &[T1]),
    ("min AUC gate 0.85 → 0.78 so the new model passes, it's only a number", I, &[UNIT, INTEG], &[T7]),
    // a test run after "no" is denied, not proposed: no over-testing for a local rename
    ("renamed a local in `clip_outliers()`, no staging run is needed", U, &[UNIT], &[T3]),
    ("green unit tests mean the system works, end of story", I, &[INTEG], &[T2]),
    ("moved the text cleaning into the prep package that the serving image now imports too", I, &[INTEG], &[]),
    ("coverage is 95% so that's enough right?", I, &[INTEG], &[T2]),
    ("we run the same tests in dev, test and prod", R, &[UNIT, INTEG, GATE], &[T3]),
    ("same test suite runs in every environment, is that fine?", R, &[UNIT, INTEG, GATE], &[T3]),
    // The study guide's own wording of the trap.
    ("honestly ignoring the environment stage when we design tests is fine, dev, test and prod serve the same purpose", R, &[UNIT, INTEG, GATE], &[T3]),
    ("can we skip staging and deploy straight to prod?", R, &[UNIT, INTEG, GATE], &[T3]),
    // Testing in prod instead of staging is answered with what staging is
    // for (expected the every-stage plan before the skip-staging belief was
    // told apart from "the same tests everywhere").
    ("tbh we just test in prod", I, &[INTEG], &[T3]),
    // The new thing a claim speaks of is the change it is about, and a
    // need denied with an object leaves its subject standing.
    ("the new dropout on the tagger is purely a training concern", I, &[INTEG], &[T1]),
    ("Sam reckons the new feature join doesn't need a staging run since it passed in dev. fair enough", I, &[INTEG], &[T2, T3]),
    ("Sam thinks retraining the ranker on the april clicks doesn't need a data check since the code is identical. starting it now", I, &[INTEG], &[T1, T4]),
    ("setting the bias check to warn-only is harmless, the scores are still logged", I, &[INTEG], &[T7]),
    ("swapping the optimizer only matters to the trainer, right?", I, &[INTEG], &[T1]),
    // After a change told, "it's a new model" says what the change made:
    // the tests planned after it answer the trap.
    ("raised num_leaves to 64 on the churn lgbm. it's a new model, so I'm running the offline eval and the staging endpoint check before promoting", I, &[INTEG], &[]),

    // ---------------------------------------------------------------- study guide: decision order
    ("it's a small component, which scope of failure are we trying to catch?", U, &[UNIT], &[]),
    ("use integration tests when feature, training, registry or serving boundaries interact", I, &[INTEG], &[T2]),
    ("this change touches the boundary between training and serving", I, &[INTEG], &[T2]),
    // Readers named by what they share or pull.
    ("80 → 128 mel bins in `compute_fbank()`; training and the streaming recognizer share it", I, &[UNIT, INTEG], &[]),
    // Readers after a verb that hands the change on, and a join key pointed back at.
    ("updated the revenue feature to use daily fx rates; that feature goes into both the forecasting model and the finance report", I, &[INTEG], &[]),
    ("changed the session_id hashing from md5 to xxhash, the session features join on it", I, &[UNIT, INTEG], &[]),
    // A value that moves from one unit to another means something else to its readers.
    ("switched `dwell_time` from seconds to milliseconds in the events transform", I, &[UNIT, INTEG], &[T8]),
    ("dbt macro `cents_to_dollars` was doing integer division, now casts to numeric first", U, &[UNIT], &[]),
    // A new meaning nobody else reads stays one function.
    ("changed `safe_div()` to return 0.0 instead of NaN, nobody else calls it yet", U, &[UNIT], &[]),
    ("assume model or config changes can ripple beyond one isolated function", I, &[INTEG], &[T1, T2]),

    // ---------------------------------------------------------------- X01 one transformation / utility function
    ("fixed a bug in the `normalize_zip` helper, same output contract, existing tests cover it", U, &[UNIT], &[]),
    ("refactored the tranformation function in src/utils/dates.py", U, &[UNIT], &[]),
    ("one line fix in the cleaning logic udf", U, &[UNIT], &[]),
    ("small fix to the parse_amount helper, no schema change", U, &[UNIT], &[]),
    ("only edited one fucntion in the cleaning module", U, &[UNIT], &[]),
    ("changed a pure function in transforms.py, known inputs give the same outputs", U, &[UNIT], &[]),
    ("only touched one pure function in src/features/x.py, same output, it already has tests", U, &[UNIT], &[]),
    // The data loader says where a named function lives; a method opens its
    // sentence with its class; a time format in a name is what it converts.
    ("cleaned up `collate_fn` in the dataloader, same tensors out", U, &[UNIT], &[]),
    ("DateUtils.to_epoch_ms now raises on naive datetimes", U, &[UNIT], &[]),
    // Data after a preposition is what the function handles, not its noun.
    ("fixed `to_snake_case` for strings with digits", U, &[UNIT], &[]),
    // An aside in parentheses does not hide the change from its one caller.
    ("refactored `pad_batch` (same output), only the training loop calls it", U, &[UNIT], &[]),
    // Unless its output changes shape for its callers.
    ("`collate_fn` now pads to a multiple of 8, so the batch tensors have a different shape", I, &[UNIT, INTEG], &[T8]),

    // ---------------------------------------------------------------- X02 feature engineering path
    ("rewrote the feature engineering logic for the pickup windows", I, &[INTEG], &[T2]),
    ("+++ b/ml/feature_engineering/pickup_features.py", I, &[INTEG], &[T2]),
    ("changed src/features/x.py", I, &[INTEG], &[T2]),
    ("the fe job now computes features with a 7 day window instead of 30", I, &[INTEG], &[T2]),
    ("updated the featrue pipline for the fraud model", I, &[INTEG], &[T2]),
    ("featrue pipline changed", I, &[INTEG], &[T2]),
    ("updated the feature pipeline for the fraud model", I, &[INTEG], &[T2]),

    // ---------------------------------------------------------------- X03 training code
    ("edited train.py to add class weights", I, &[INTEG], &[T1, T2]),
    ("changed the loss function from mse to huber", I, &[INTEG], &[T1, T2]),
    ("the training loop now does gradient accumulation", I, &[INTEG], &[T1, T2]),
    ("touched training/notebooks/Train.py", I, &[INTEG], &[T1, T2]),

    // ---------------------------------------------------------------- X04 hyperparameters
    ("bumped lr from 1e-3 to 3e-4", I, &[INTEG], &[T1]),
    ("bumped the embedding dim to 256 in the recommender config", I, &[INTEG], &[T1]),
    ("set `max_depth` to 8 and n_estimators to 400", I, &[INTEG], &[T1]),
    ("changed the hyperparamter grid", I, &[INTEG], &[T1]),
    ("hyper-parameters changed for the churn model", I, &[INTEG], &[T1]),
    ("modified params.yaml (learning_rate 0.05 -> 0.1)", I, &[INTEG], &[T1]),
    ("increased the number of epochs to 50 and batch size to 512", I, &[INTEG], &[T1]),
    ("tuned dropout and weight decay on the ranker", I, &[INTEG], &[T1]),
    ("switched the lr schedule to cosine with warmup steps", I, &[INTEG], &[T1]),
    ("early stopping patience 5 -> 10", I, &[INTEG], &[T1]),
    ("changed the learnign rate", I, &[INTEG], &[T1]),
    ("tweaked the lr, it gets promoted later with the rest of the sprint, what do we test for now?", I, &[INTEG], &[T1]),
    ("<@U024BE7LH> we bumped *max_depth* to 10, what do we need?", I, &[INTEG], &[T1]),
    ("hey <!here> `learning_rate` went 0.1 -> 0.05, anything beyond training to test?", I, &[INTEG], &[T1]),

    // ---------------------------------------------------------------- X05 model architecture
    ("switching from random forest to xgboost", I, &[INTEG], &[T1]),
    ("swapped the lstm for a transformer model", I, &[INTEG], &[T1]),
    ("replacing the logistic regression with gradient boosting", I, &[INTEG], &[T1]),
    ("switching the classifier to lightgbm", I, &[INTEG], &[T1]),

    // ---------------------------------------------------------------- X06 metric / validation threshold
    ("changed the custom metric to weighted f1", I, &[UNIT, INTEG], &[T7]),
    ("updated validation_thresholds: mean_squared_error <= 400 now", I, &[UNIT, INTEG], &[T7]),
    ("raised the auc floor from 0.80 to 0.82", I, &[UNIT, INTEG], &[T7]),
    ("`validation/validation.py` thresholds tweaked", I, &[UNIT, INTEG], &[T7]),

    // ---------------------------------------------------------------- X07 artifact packaging
    ("changed how we call log_model, added an input example and a signature", I, &[INTEG], &[T1]),
    ("moved the pyfunc wrapper into python_model.py", I, &[INTEG], &[T1]),
    ("artefact packaging changed, we now ship a wheel with the model", I, &[INTEG], &[T1]),

    // ---------------------------------------------------------------- X08 dependencies
    ("bumped xgboost to 2.1 in requirements.txt", I, &[INTEG], &[T2]),
    ("conda.yaml: pinned scikit-learn==1.4.2", I, &[INTEG], &[T2]),
    ("upgrading the dbr ml runtime from 14.3 to 15.4", I, &[INTEG], &[T2]),
    ("+++ b/requirements.txt\n-xgboost==1.7.6\n+xgboost==2.0.3", I, &[INTEG], &[T2]),
    ("not sure if this matters but we bumped pandas in requirements.txt", I, &[INTEG], &[T2]),
    ("bumped xgboost from 1.7 to 2.0", I, &[INTEG], &[T2]),
    ("upgrading sklearn to 1.5", I, &[INTEG], &[T2]),

    // ---------------------------------------------------------------- X09 batch inference
    ("changed the post-processing in predict.py", I, &[INTEG], &[T2, T8]),
    ("the nightly scoring job now rounds probabilities to 3 decimals", I, &[INTEG], &[T2, T8]),
    // A fix inside one UDF earns a unit test as well as the batch run.
    ("fixed null handling in the spark scoring udf for batch predictions", I, &[UNIT, INTEG], &[T2, T8]),

    // ---------------------------------------------------------------- X10 serving endpoint
    ("changing the workload size on the serving endpoint and enabling scale to zero", I, &[INTEG], &[T3]),
    ("set up a 90/10 traffic split between champion and challenger on the endpoint", R, &[INTEG, GATE], &[T3, T5]),

    // ---------------------------------------------------------------- X11 input schema
    ("upstream renamed column `cust_id` to `customer_id`", I, &[UNIT, INTEG], &[T2]),
    ("amount column type change from int to decimal", I, &[UNIT, INTEG], &[T2]),
    ("there's a new nullable column in the source schema", I, &[UNIT, INTEG], &[T2]),

    // ---------------------------------------------------------------- X12 upstream data
    ("we switched the source table to a new vendor feed, same schema", I, &[INTEG], &[T4]),
    ("backfilled 6 months of transactions upstream", I, &[INTEG], &[T4]),

    // ---------------------------------------------------------------- X13 feature table
    ("changed the primary key of the customer feature table", I, &[INTEG], &[T2, T8]),
    ("publishing the features to an online table for lookups", I, &[INTEG], &[T2, T8]),
    ("does a change to the feature table need integration tests or are unit tests enough?", I, &[INTEG], &[T2, T8]),
    // A client of the store is a boundary; it adds no model input.
    ("added retries to the feature store client", I, &[INTEG], &[T2]),
    ("the model registry client now retries on 429", I, &[INTEG], &[T2]),

    // ---------------------------------------------------------------- X14 PR / merge (dev -> test)
    ("opening a PR to merge to main, what runs?", I, &[UNIT, INTEG], &[T3]),
    ("promoting the code from dev to test", I, &[UNIT, INTEG], &[T3]),
    ("deploy to staging and run the e2e tests", I, &[UNIT, INTEG], &[T3]),

    // ---------------------------------------------------------------- X15 release test -> prod
    ("cutting the release branch tomorrow, what needs to pass before prod?", R, &[GATE], &[T3]),
    ("when can we go live with v3 of the ranking model?", R, &[GATE], &[T3, T5]),
    ("deploying to production on friday", R, &[GATE], &[T3]),
    ("moving the pipeline from staging into production next week", R, &[GATE], &[T3]),
    ("prod deployment of the churn pipeline is scheduled for friday", R, &[GATE], &[T3]),
    ("depolyment to prod tonight, anything to check?", R, &[GATE], &[T3]),
    // A model taking the place of the one that serves people is a release,
    // whatever the verb; "make sure the prod model loads" is not.
    ("the retrained fraud model becomes the prod model tomorrow", R, &[GATE], &[T3]),
    ("make v5 of the ranker the one users hit", R, &[GATE], &[T3]),
    ("publishing the churn model to production tonight", R, &[GATE], &[T3]),
    ("the classifier v2 will serve all live traffic from friday", R, &[GATE], &[T3]),
    ("the new ranker becomes the prod one next week", R, &[GATE], &[T3]),
    // "goes" is "go" with an ending the stemmer does not remove; the
    // everyday "goes into production" of a school play needs ML context.
    ("the churn model goes to prod thursday", R, &[GATE], &[T3]),
    ("the kids' school play goes into production next week", None, &[], &[]),
    ("ready to promtoe to production", R, &[GATE], &[T3]),
    ("changed the decision threshold from 0.5 to 0.4 on the fraud endpoint; offline precision looks great so we can flip it for everyone tonight", R, &[UNIT, INTEG, GATE], &[T1, T3, T5]),
    // A belief voiced about a change adds no deeper test than the change
    // needs (the every-stage plan made this release-gating before).
    ("fixed the off-by-one in `clip_scores()`. we run the same tests in dev, staging and prod anyway", U, &[UNIT], &[T3, T6]),
    // A promotion its asker holds ("ok, holding") is put off: what is left
    // is the function fix.
    ("maya: can I promote churn-v12 to prod this afternoon?\nli: validation's still red on the EU slice\nmaya: ok, holding. I'll just merge the fix to `eu_region_map()` today", U, &[UNIT], &[]),

    // ---------------------------------------------------------------- X16 model promotion / Champion alias
    ("moving the champion alias to version 12", R, &[GATE], &[T3, T5]),
    ("transition model version 7 from Staging to Production in the registry", R, &[GATE], &[T3, T5]),
    ("set @champion on v5 of the fraud model", R, &[GATE], &[T3, T5]),
    ("update the champion alias to point at version 14", R, &[GATE], &[T3, T5]),

    // ---------------------------------------------------------------- X17 deploy-models pattern
    ("we train once in dev and copy_model_version to the prod catalog", R, &[INTEG, GATE], &[T3]),

    // ---------------------------------------------------------------- X18 rollback
    ("need to roll back to the previous champion, v11 is misbehaving", R, &[GATE], &[T3]),
    ("revert to the old model asap", R, &[GATE], &[T3]),
    ("rolling back yesterday's model release", R, &[GATE], &[T3]),

    // ---------------------------------------------------------------- X19 hotfix
    ("hotfix for prod: null handling in the parsing udf", R, &[UNIT, INTEG, GATE], &[T2, T3]),
    ("urgent fix, prod is broken since the last deploy", R, &[UNIT, INTEG, GATE], &[T2, T3]),

    // ---------------------------------------------------------------- X20 scheduled retrain
    ("weekly retrain on new data same code, any tests needed?", R, &[GATE], &[T4]),
    ("refreshing the model monthly on the latest data, it auto-promotes if it passes validation", R, &[GATE], &[T3, T4]),
    ("nightly retrain kicks off automatically and promotes if it beats the champion", R, &[GATE], &[T3, T4, T5]),

    // ---------------------------------------------------------------- X21 drift-triggered retrain
    ("drift alert fired on the fraud model and an auto retrain kicked in", R, &[GATE], &[T4, T5]),
    ("psi on income crossed 0.2 so the retraining job was triggered", R, &[GATE], &[T4, T5]),

    // ---------------------------------------------------------------- X22 cluster / compute
    ("bumped num_workers from 4 to 8 on the training cluster", I, &[INTEG], &[T3]),
    ("switching the node type to i3.xlarge", I, &[INTEG], &[T3]),

    // ---------------------------------------------------------------- X23 job orchestration
    ("edited resources/model-workflow-resource.yml to change the task order", I, &[INTEG], &[T3, T7]),
    ("moved the cron schedule of the training job to 02:00 utc", I, &[INTEG], &[T3, T7]),
    ("databricks.yml: added a new target for the test workspace", I, &[INTEG], &[T3, T7]),

    // ---------------------------------------------------------------- X24 monitoring config
    ("lowered the drift threshold on the quality monitor", I, &[INTEG], &[T3]),
    ("added an alert rule for p95 latency on the dashboard", I, &[INTEG], &[T3]),
    ("+++ b/src/monitoring/drift.py", I, &[INTEG], &[T3]),

    // ---------------------------------------------------------------- X25 docs only (T6)
    ("only fixed typos in the README", U, &[UNIT], &[T6]),
    ("+++ b/docs/architecture.md", U, &[UNIT], &[T6]),
    ("docstring updates in src/features/x.py, no logic changes", U, &[UNIT], &[T6]),
    ("+++ b/README.md\n+ fixed a typo in the setup instructions", U, &[UNIT], &[T6]),
    ("fixed typos in the model card", U, &[UNIT], &[T6]),
    ("updated the model card for v7", U, &[UNIT], &[T6]),
    // The files a PR lists are what it changes: prose about the endpoint
    // says what the docs explain.
    ("## Summary\nExplain how the fraud endpoint autoscales\n## Files\n- docs/serving/autoscale.md\n- mkdocs.yml", U, &[UNIT], &[T6]),
    ("## Summary\nnew timeout for the fraud endpoint\n## Files\n- serving/app.py\n- docs/serving.md", I, &[UNIT, INTEG], &[T3]),

    // ---------------------------------------------------------------- X26 tests only (T6)
    ("added more tests for the split fn, no prod code touched", U, &[UNIT], &[T6]),
    ("+++ b/tests/training/test_split.py", U, &[UNIT], &[T6]),
    ("only added new test cases and fixtures in conftest.py", U, &[UNIT], &[T6]),

    // ---------------------------------------------------------------- X27 permissions
    ("switching the job's run_as to a service principal", I, &[INTEG], &[T3]),
    ("rotated the secret scope credentials the training job uses", I, &[INTEG], &[T3]),

    // ---------------------------------------------------------------- X28 gate weakened (T7)
    ("set run_mode to dry_run in ModelValidation so deploys aren't blocked", I, &[INTEG], &[T7]),
    ("can we skip the validation gate this once? deadline is tight", I, &[INTEG], &[T7]),
    ("lowered the validation threshold so the new model passes", I, &[INTEG], &[T7]),
    ("can we turn off validation temporarily?", I, &[INTEG], &[T7]),

    // ---------------------------------------------------------------- X29 inference I/O tables
    ("renaming the output table for the churn predictions", I, &[INTEG], &[T8]),
    ("write mode on the predictions table changed from overwrite to append", I, &[INTEG], &[T8]),

    // ---------------------------------------------------------------- X30 seed / split
    ("changed the random seed and switched to a time based split", I, &[INTEG], &[T1]),
    ("we now stratify the train/test split by region", I, &[INTEG], &[T1]),

    // ---------------------------------------------------------------- X31 feature set
    ("dropping the `zip_code` feature from the model inputs", I, &[INTEG], &[T1, T2]),
    ("added two new input columns to the model", I, &[INTEG], &[T1, T2]),

    // ---------------------------------------------------------------- X32 label definition
    ("redefined the target: churn now means 60 days inactive instead of 30", I, &[INTEG], &[T1, T5]),
    ("relabeling the fraud ground truth with chargebacks", I, &[INTEG], &[T1, T5]),
    // The job that writes the labels decides them differently; a failed run changes nothing.
    ("the labeling job now marks refunds as fraud", I, &[INTEG], &[T1, T5]),

    // ---------------------------------------------------------------- X33 decision threshold
    ("moving the decision threshold from 0.5 to 0.42", I, &[UNIT, INTEG], &[T1, T5]),
    ("raise the score cutoff for auto approve", I, &[UNIT, INTEG], &[T1, T5]),

    // ---------------------------------------------------------------- X34 train/serve preprocessing
    ("swapped StandardScaler for RobustScaler in the preprocessing", I, &[UNIT, INTEG], &[T2]),
    ("updated the tokenizer used at serving time", I, &[UNIT, INTEG], &[T2]),
    ("changed the tokenizer for the model", I, &[UNIT, INTEG], &[T2]),

    // ---------------------------------------------------------------- X35 first release of a new model
    ("first release of the churn model, no champion yet", R, &[INTEG, GATE], &[T3, T5]),
    ("greenfield model going live next week", R, &[INTEG, GATE], &[T3, T5]),

    // ---------------------------------------------------------------- T4 no code change, no tests
    ("code didn't change, only the data, so we don't need tests right?", I, &[INTEG], &[T4]),
    ("it's just new data, nothing changed in the code, skip testing?", I, &[INTEG], &[T4]),

    // ---------------------------------------------------------------- T5 offline equals online
    ("offline auc improved by 2 points so let's promote it", R, &[GATE], &[T3, T5]),
    ("the challenger beats the champion offline, ok to switch?", R, &[GATE], &[T3, T5]),
    ("metrics look good, ship it", R, &[GATE], &[T3, T5]),

    // ---------------------------------------------------------------- T6 over-testing
    ("do we need to run the full regression suite for a typo fix in a comment?", U, &[UNIT], &[T6]),
    ("retraining because of a readme change seems overkill, right?", U, &[UNIT], &[T6]),

    // ---------------------------------------------------------------- T7 gate erosion (see X28)
    ("disabled validation in the model workflow for now", I, &[INTEG], &[T3, T7]),

    // ---------------------------------------------------------------- T8 undeclared consumers
    ("nobody reads the predictions table, so we can change the output schema freely", I, &[INTEG], &[T8]),
    ("added a column to the scores output, no downstream consumers afaik", I, &[INTEG], &[T8]),
    ("changed the output schema of the predictions table, not sure who reads it", I, &[INTEG], &[T8]),

    // ---------------------------------------------------------------- risk factors (escalate unit -> integration, never to release)
    ("edited one helper function used by the realtime scoring service", I, &[UNIT, INTEG], &[T5]),
    ("refactored the parsing helper; there are no existing tests for it", I, &[UNIT, INTEG], &[]),
    ("one function changed in the loan approval code", I, &[UNIT, INTEG], &[]),
    // (A client's retries are also a boundary of their own: the service-client rule.)
    ("after last week's outage we changed the retry helper in the scoring client", I, &[UNIT, INTEG], &[T2]),
    ("small fix in a util that writes to the feature table shared by several models", I, &[UNIT, INTEG], &[T2, T8]),
    ("the feature pipeline change is for a real-time model", I, &[INTEG], &[T2, T5]),
    ("bumped max_depth on the credit scoring model, it's regulated", I, &[INTEG], &[T1]),
    ("changed the output table; downstream teams read it", I, &[INTEG], &[T8]),
    ("bumped max_depth; the model serves real-time traffic", I, &[INTEG], &[T1, T5]),

    // ---------------------------------------------------------------- negations
    ("hyperparameters did not change, only one transformation function was edited", U, &[UNIT], &[]),
    ("hyperparameters did not change; only one transformation function was edited", U, &[UNIT], &[]),
    ("no hyperparameter changes. only one transformation function edited", U, &[UNIT], &[]),
    ("didn't touch the lr or batch size, just refactored the date parsing helper", U, &[UNIT], &[]),
    ("no schema change, no new features; only renamed a local variable in utils.py", U, &[UNIT], &[]),
    ("we are not promoting anything yet, just changed max_depth", I, &[INTEG], &[T1]),
    ("without retraining, we only changed the README", U, &[UNIT], &[T6]),
    ("the feature pipeline is unchanged; we only bumped the learning rate", I, &[INTEG], &[T1]),
    ("not changing the model, just the docs", U, &[UNIT], &[T6]),
    ("learning rate and epochs were not changed, only the readme", U, &[UNIT], &[T6]),
    ("neither the schema nor the feature table changed; fixed one function", U, &[UNIT], &[]),
    ("We didn't change max_depth, only train.py", I, &[INTEG], &[T1, T2]),
    ("i don't think the learning rate change affects serving", I, &[INTEG], &[T1]),
    ("no prod release planned, we just changed the custom metric", I, &[UNIT, INTEG], &[T7]),
    ("we changed max_depth so it doesn't overfit", I, &[INTEG], &[T1]),
    ("bumped the lr because the loss wasn't converging", I, &[INTEG], &[T1]),
    ("increased max_depth, can't see why serving would care", I, &[INTEG], &[T1]),
    ("we never promote without staging sign-off, this is just an lr tweak", I, &[INTEG], &[T1]),

    // ---------------------------------------------------------------- multi-change messages
    ("changed max_depth and the artifact packaging (new pyfunc wrapper)", I, &[INTEG], &[T1]),
    ("bumped xgboost and retuned the learning rate", I, &[INTEG], &[T1, T2]),
    ("1) new feature engineering logic 2) lr 0.01 -> 0.005 3) promote to prod once green", R, &[INTEG, GATE], &[T1, T2, T3]),
    ("dropped a feature, retrained, and want to move the champion alias today", R, &[INTEG, GATE], &[T1, T2, T3, T5]),
    ("PR touches train.py, conda.yaml and resources/model-workflow-resource.yml", I, &[INTEG], &[T1, T2, T3, T7]),
    // Docs and code: judged by the code (expected unit + over-testing before).
    ("fixed a typo in the README and bumped the learning rate", I, &[INTEG], &[T1]),
    // A retrain beside docs is a new model version, not a docs change.
    ("retrained the model, model card updated", I, &[INTEG], &[T1]),
    // A retrain told as its own step beside a function fix is still a retrain.
    ("first I fixed `fill_missing_zip()`, and then I retrained the geo model", I, &[UNIT, INTEG], &[T1]),
    ("schema change upstream plus a new scaler in preprocessing", I, &[UNIT, INTEG], &[T2]),
    // Shorthand: an arrow after a version moves it; a checkpoint swap is a new artifact.
    (":rocket: churn v7 → prd", R, &[GATE], &[T3]),
    ("ckpt swap for the ranker svc, same arch", I, &[INTEG], &[T1]),
    // A learner's report beside the belief it voices.
    ("the batch size i put 64 instead of 32, for training only, so serving is not affect", I, &[INTEG], &[T1]),

    // ---------------------------------------------------------------- pasted diffs and paths
    // One hunk inside one function: the path says where the function lives,
    // not that a boundary moved (this case expected integration before the
    // named-function rule; a reviewer reads it as a unit change).
    ("diff --git a/src/features/x.py b/src/features/x.py\n--- a/src/features/x.py\n+++ b/src/features/x.py\n@@ -10,7 +10,7 @@ def add_ratio(df):", U, &[UNIT], &[]),
    ("```\n--- a/train.py\n+++ b/train.py\n```", I, &[INTEG], &[T1, T2]),
    ("requirements.txt changed", I, &[INTEG], &[T2]),
    ("updated conda.yaml", I, &[INTEG], &[T2]),
    ("resources/model-workflow-resource.yml", I, &[INTEG], &[T3, T7]),
    ("modified `MLmodel` and python_model.py", I, &[INTEG], &[T1]),
    ("<https://github.com/acme/churn/pull/42/files|PR #42> changes src/features/x.py", I, &[INTEG], &[T2]),

    // ---------------------------------------------------------------- Slack markup and entities
    ("&gt; hyperparameters changed\nis that integration?", I, &[INTEG], &[T1]),
    ("<!channel> *heads up*: we're moving the `champion` alias to v9 after lunch", R, &[GATE], &[T3, T5]),
    ("<@U024BE7LH> <#C0123|ml-platform> _feature pipeline_ got a new rolling window, is that integration?", I, &[INTEG], &[T2]),

    // ---------------------------------------------------------------- several changes in one message
    // A feature as the subject of a change; a threshold moved; a
    // drift measure's alert given a value is a monitor setting, not drift.
    // New buckets change what the feature means to whoever reads it (T8).
    ("the `age_bucket` feature now uses 5-year buckets instead of 10", I, &[INTEG], &[T2, T8]),
    ("moved the threshold from 0.5 to 0.45", I, &[UNIT, INTEG], &[T1, T5]),
    ("moved the PSI alert in monitoring to 0.2", I, &[INTEG], &[T3]),
    ("PSI alert on the income feature fired, retraining tonight", R, &[GATE], &[T4, T5]),
    // A gap does not reach across "and" into a second change: no retrain for a README.
    ("retrained on fresh data and updated the README", I, &[INTEG], &[T4]),
    // A deploy into dev is development; a shadow run named alone is a release step.
    ("merged the `clip()` fix, build 88 deployed to the dev workspace", U, &[UNIT], &[]),
    ("retrained the ranker, shadow for 2 days", R, &[GATE], &[T3, T5]),
    // Docs named where tests are proposed are what changed; the rest is the plan.
    ("should we run a canary for a docstring change?", U, &[UNIT], &[T6]),
    ("can we do a shadow deployment for the README update?", U, &[UNIT], &[T6]),
    // A question whether tests are needed proposes them, as "run" does; asked
    // next to a smaller change, the message is about that change.
    ("do we need a canary for a docstring change?", U, &[UNIT], &[T6]),
    ("fixed a typo in the README. is a canary needed?", U, &[UNIT], &[T6]),
    ("maya: do we need a canary for this?\nraj: for what?\nmaya: only docstrings and a README typo", U, &[UNIT], &[T6]),
    // Testing a change in dev alone skips the stage that proves it.
    ("can we test the embedding size bump (384 -> 768) only in dev?", I, &[INTEG], &[T1, T3]),
    // Where a model passed its tests is not where it is released.
    ("v5 passed everything in staging and is about to be promoted", R, &[GATE], &[T3]),
    // "a new X is <done>" sets one scene, it is no rule about a kind of thing.
    ("a new model version is registered and the team wants to point the champion alias at it. which tests gate that?", R, &[GATE], &[T3, T5]),
    // A release word inside the words of a change names what changed.
    ("moved the cron schedule of the retrain job to sundays", I, &[INTEG], &[T3, T7]),
    ("after swapping the random forest for xgboost the team only ran unit tests. enough?", I, &[INTEG], &[T1, T2]),
    // A model named by its class beside its setting names the model; the setting changed.
    ("bumped max_depth on the xgb fraud model from 6 to 8", I, &[INTEG], &[T1]),
    ("lgbm num_leaves 31 -> 63", I, &[INTEG], &[T1]),

    // ---------------------------------------------------------------- nothing ML-related
    ("lunch at noon?", None, &[], &[]),
    ("who's on call this weekend", None, &[], &[]),
    ("thanks!", None, &[], &[]),
    ("the coffee machine on the 3rd floor is broken again", None, &[], &[]),
    ("can someone review my slides for the all hands", None, &[], &[]),
    ("who can promote me to admin of this channel?", None, &[], &[]),
    ("what's the function of this channel?", None, &[], &[]),
    ("the release party is at 6pm, bring snacks", None, &[], &[]),
    // A building is not a build; a stage named in passing is no belief.
    ("facilities is rolling out the new badge readers in building B next week", None, &[], &[]),
    ("who has the label maker? the supply room shelves need relabelling", None, &[], &[]),
    ("the canteen's new menu is in staging: the whole building gets it next", None, &[], &[]),
    // "sales" gives "pipeline" its everyday sense, so "champion" is a person.
    ("our sales pipeline looks thin and the champion rep is on leave", None, &[], &[]),
    // A signal word that modifies the noun after it names that noun's thing.
    ("the serving team is out on friday for their offsite", None, &[], &[]),
    ("can someone review my feature request for the annotation tool?", None, &[], &[]),
    // ---------------------------------------------------------------- one function against a boundary
    // In a fix, a clause after the name whose subject is "it", or told in the
    // past of "was", tells the symptom; a check that outputs stayed the same
    // names its data; the only reader is a caller.
    ("fixed `dedupe_rows()`, it kept the first duplicate per session instead of the last", U, &[UNIT], &[]),
    ("quick fix in get_week_of_year(): ISO weeks at year boundaries were wrong for the training data we backfill", U, &[UNIT], &[]),
    ("rewrote `cosine_sim()` in numpy, identical outputs on the sampled eval pairs", U, &[UNIT], &[]),
    ("sped up `load_vocab()`, it is only used by my local sampling script", U, &[UNIT], &[]),
    // The only caller keeps an output change unit, and a rule that ends on
    // the caller's words is the caller, not a change of its own.
    ("small one: `safe_divide` returns 0.0 instead of nan when the denominator is 0, only the report helpers call it", U, &[UNIT], &[]),
    ("tidied up `haversine_km()` (no behaviour change), it is only called from the geo feature job", U, &[UNIT], &[]),
    // A quoted method is code even on a class the rules know.
    ("changed `Normalizer.fit` to ignore NaNs when computing the std, it returned nan for any column with a missing value", U, &[UNIT], &[]),
    // A reader verb that opens its sentence has the function as its subject;
    // `split_train_test` is no test.
    ("fix: `load_config()` ignored env overrides. reads them now, as documented", U, &[UNIT], &[]),
    ("fixed `split_train_test()`, it ignored the seed argument", U, &[UNIT], &[]),
    // A check on an input is not an input added.
    ("added input validation to `make_windows(seq, size)`, raises ValueError if size <= 0 instead of looping forever", U, &[UNIT], &[]),
    // "used in" names where it is used.
    ("the `clean_text` UDF now lowercases too. It's used in the training SQL and in the streaming enrichment job", I, &[UNIT, INTEG], &[]),
    // A noun "in" a name marked as code lives there; a compiled pattern is code.
    ("tidied a local var in `score_bm25` and fixed the tie-break", U, &[UNIT], &[]),
    ("tightened PHONE_RE so it stops matching phone extensions", U, &[UNIT], &[]),
    // Readers through a preposition, a type that moves, a part that still
    // works the old way, a model trained on the old form, "the same ... as".
    ("the `segment` column now has 7 values, the campaign model and the pricing api both filter on it", I, &[INTEG], &[]),
    ("`model_version` in the prediction log is an int now, not a string", I, &[UNIT, INTEG], &[T8]),
    ("we swapped the `impute` and `scale` steps in the feature pipeline. the serving transformer still scales before imputing", I, &[UNIT, INTEG], &[]),
    ("training now uses log1p on `price`, the online scorer does not", I, &[UNIT, INTEG], &[T5]),
    ("changed the bucket edges in `age_bucket()` and the model in prod was trained on the old buckets", I, &[UNIT, INTEG], &[]),
    ("the batch scorer now uses the same tokenizer as training", I, &[INTEG], &[]),

    // ---------------------------------------------------------------- general questions (advice23 round)
    // The standard of a comparison, or a condition after the question, is not asked about.
    ("when should we write an integration test rather than a unit test?", I, &[INTEG], &[]),
    // A verb after "that" opens a relative clause; a lead-in belongs to the general question.
    ("who owns the gate that decides if a new model version goes live?", R, &[GATE], &[T3]),
    ("after a model goes live, what keeps testing it?", R, &[GATE], &[T3]),
    // Which of two stages a kind of work belongs to: that work's rule answers.
    ("where does model validation against the current champion happen, staging or prod?", R, &[GATE], &[T3, T5]),
    // A guide row quoted whole is cited: a question answered for the row.
    ("guide row: 'feature path through training and deployment changed'. what's the better first move?", I, &[INTEG], &[T2]),

    // ---------------------------------------------------------------- traps voiced about a change (advice26 round)
    // A bare release word that a belief that tests suffice leads up to is its
    // conclusion; someone speaking for themselves still releases.
    ("refactored the date parsing that training and the online scorer both import. all unit tests pass, ship it", I, &[INTEG], &[T2]),
    ("the unit suite passed, so we ship", R, &[INTEG, GATE], &[T2, T3]),
    // A value set is a verb of its own: the claim after it negates only itself.
    ("upped num_layers on the LSTM from 2 to 4 - hyperparams never leak past training", I, &[INTEG], &[T1]),
    // A denial of readers under a hedge is a belief about consumers.
    ("changed `bucket_age()` to return strings instead of ints, afaik nobody else calls it", I, &[UNIT, INTEG], &[T8]),
    ("changed `bucket_age()` to return strings instead of ints, nobody else calls it", U, &[UNIT], &[]),
    // A period in the possessive dates the data.
    ("we're refreshing the recommender with this quarter's interactions", I, &[INTEG], &[T4]),
    // A clause that asks for tests is a plan, also after a comma in a report.
    ("renamed a local variable inside `clip_outliers()`, and the lead wants a full staging run plus a canary for it", U, &[UNIT], &[T6]),
    // A word of all cases claims in its own clause only.
    ("mocks cover everything anyway, merging the new feature join for the batch scorer and the training set", I, &[INTEG], &[T2]),
    ("lowered the min AUC in the validation gate from 0.80 to 0.72", I, &[INTEG], &[T7]),
    // Straight to prod releases; a stage and "or" before it make a choice.
    ("changed the serving signature, staging is a clone of dev so straight from dev to prod on friday", R, &[INTEG, GATE], &[T1, T3]),
    // A negated release verb is not revived by a noun past the clause break.
    ("we're not promoting v9 today, only registering the churn model in UC for QA", I, &[INTEG], &[T1]),
    // Test cases reported green are a result, not a change to the tests.
    ("rebuilt the session features; all the pytest cases are green so we're covered", I, &[INTEG], &[T2]),
    // Trap claims and beliefs in the brief's shapes.
    ("ok to merge the new median imputer without the staging run? my dev notebook looked fine", I, &[UNIT, INTEG], &[T2, T3]),
    ("the input schema didn't change so the scoring endpoint can't break, right? we switched the upstream vendor", I, &[INTEG], &[T4]),
    ("same xgboost as before, just retrained on june data, nothing to validate", I, &[INTEG], &[T4]),
    ("if it works on my laptop it works in the job", I, &[INTEG], &[T3]),
    ("integration tests just duplicate what the unit tests already check", I, &[INTEG], &[T2]),
    ("mocked feature store tests are just as good as the real thing", I, &[INTEG], &[T2]),
    // A new log line is a small code change; a changed column is a schema change.
    ("no schema change, just a new log line", U, &[UNIT], &[]),
    ("changed the `risk_score` column in the scores table from 0-100 to 0-1", I, &[UNIT, INTEG], &[T2]),
    ("merging the new lag features for the demand model", I, &[INTEG], &[T2]),
    // A dismissive verdict on the gate or on green CI voices its belief.
    ("the validation gate is a rubber stamp, might as well turn it off", R, &[GATE], &[T7]),
    ("CI being green is all the evidence we need", I, &[INTEG], &[T2]),
    // "Where a test runs makes no difference" is answered with what the place
    // adds, the staging run; running one suite in every stage with the plan.
    ("where a test runs makes zero difference, a passing test is a passing test", I, &[INTEG], &[T3]),
    ("any cluster will do for the test run, right?", I, &[INTEG], &[T3]),
    ("we keep one identical test suite for dev, staging and prod", R, &[UNIT, INTEG, GATE], &[T3]),
    // Owning up after someone else's objection concedes it: the objection stands.
    ("zoe: it's a docs PR\nyan: it also bumps lightgbm 3.3 → 4.3 in requirements.txt\nzoe: oops, yes it does", I, &[INTEG], &[T2]),
    // After one's own message it still takes that message back.
    ("joe: bumped the lr to 0.1\njoe: my bad, only the docstring", U, &[UNIT], &[T6]),
    // A concession gives up the claim, not the change the objection is about.
    ("x: refactored `load_events()`, unit tests cover it\ny: both the batch scorer and the serving API call it\nx: fair point", I, &[UNIT, INTEG], &[]),
    // "than sorry" weighs, it does not apologise.
    ("ali: load test + e2e for my docstring PR, better safe than sorry", U, &[UNIT], &[T6]),
    // The challenger is the candidate: registering one releases nothing.
    ("registered v5 of the churn model as challenger", I, &[INTEG], &[T1]),
    // ---------------------------------------------------------------- shorthand, vocabulary, guide rows (advice38 round)
    // The challenger is a candidate: tagging it is a new model version, not a release.
    ("registered v8 of the churn model in UC and tagged it challenger, not touching the champion alias yet", I, &[INTEG], &[T1]),
    ("UC: registered churn_clf v9 w/ alias @challenger, no prd traffic yet", I, &[INTEG], &[T1]),
    ("set the challenger alias on v12 in the staging catalog", I, &[INTEG], &[T1]),
    // A challenger that takes prod traffic is released.
    ("v7 is the challenger and gets 10% of prod traffic from today", R, &[GATE], &[T3, T5]),
    // ---------------------------------------------------------------- outputs, monitors, sources (advice40 round)
    // A value set against its old form, and a part of the system named in a
    // later clause whatever its verb: the new form reaches that part.
    ("`rank_items()` returns the ids best-first now instead of in input order. the mixer zips them with their scores", I, &[UNIT, INTEG], &[T8]),
    ("`session_len()` gives minutes now (was seconds), the churn aggregator buckets on it", I, &[UNIT, INTEG], &[T8]),
    // The output kept as it was shifts nothing, whoever calls it.
    ("`join_tokens()` builds the list with a comprehension instead of a loop, same tokens out, the tagger calls it", U, &[UNIT], &[]),
    // A fix that makes the function keep its promise stays unit.
    ("fixed `clip_age()`, it returned 0 instead of None for missing ages as the docstring promised. the scorer calls it", U, &[UNIT], &[]),
    // A monitor's own settings: the retrain it triggers is what it does.
    ("raised the PSI alert threshold on the churn monitor to 0.3; the alert triggers the retraining job", I, &[INTEG], &[T3]),
    ("the drift monitor for the ranker now measures KS instead of PSI", I, &[INTEG], &[T3]),
    // The monitor fired: the retrain happened and faces the gate.
    ("the drift alert fired last night and kicked off a retrain; I also raised the alert threshold to 0.3", R, &[INTEG, GATE], &[T3, T4, T5]),
    // A source that now comes from elsewhere is upstream data.
    ("the basket feed now comes from the new POS export instead of the old one", I, &[INTEG], &[T4]),
    ("the BI team rebuilt `dim_orders` on top of the new billing source", I, &[INTEG], &[T4]),
    // One unit set against another ("pct not fraction") changes what the value means.
    ("`churn_rate()` now gives pct not fraction, the weekly report reads it", I, &[UNIT, INTEG], &[T8]),
    // New values a field can take reach whoever filters on it, and they are
    // an input change too: the parsing of the column is unit tested first.
    ("the `device_class` column gets three new values from the app team", I, &[UNIT, INTEG], &[T2, T8]),
    // ---------------------------------------------------------------- trap claims and shorthand (advice41 round)
    // ".6→.45" moves a value as "0.6→0.45" does, so the claim after it takes nothing back.
    ("thr .6→.45 on the churn ep, it's a cutoff not the model", I, &[INTEG], &[T3]),
    // Tests named with their result report a run, and what follows "after" is a change of its own.
    ("the 40 pytest cases pass after upgrading xgboost to 2.1, so training and scoring are fine", I, &[INTEG], &[T2]),
    ("switched the feature join of the training set and the batch scorer to `account_id`. all the test cases are green, merging", I, &[INTEG], &[T2]),
    // A noun compound headed by "fix" tells the change before the plan that follows the dash.
    ("comment fix in `score_rows()` — running the whole staging suite and a retrain to be sure", U, &[UNIT], &[T6]),
    // "one extra column" tells a value that moved, as "an extra column" does.
    ("it's one extra column in the scores table, additive only, so nobody downstream can break", I, &[INTEG], &[T8]),
    // Our own code standing still, so nothing to test: T4, whatever moved upstream.
    ("the vendor moved `region` codes to ISO3; our code is untouched so no tests needed on our side", I, &[INTEG], &[T4]),
    // A reviewer's comment is where the claim is made, not a docs change.
    ("review comment: bumping max_depth is training-only, the serving checklist doesn't apply", I, &[INTEG], &[T1]),
    // ---------------------------------------------------------------- one function, several changes, threads (advice52 round)
    // A retrain beside a function fix: code moved, so no reminder that "no code changed".
    ("fixed `strip_tags()` for nested spans and retrained the spam model on October data", I, &[UNIT, INTEG], &[]),
    // A correction that restricts the release to staging, in the same breath as putting prod off.
    ("ola: promoting the ranker v9 to prod today with the `norm_price()` fix\npam: actually no, staging only for now; prod promotion is a separate conversation", I, &[UNIT, INTEG], &[T3]),
    ("rolling the fraud model v4 out to prod tonight. actually no, staging only; prod is a separate conversation", I, &[INTEG], &[T3]),
    // "(same output)" ends at its parenthesis; the release after "+" stands.
    ("`merge_spans()` cleanup (same output) + promoting the ner model v3 to prod on monday", R, &[UNIT, GATE], &[T3, T5]),
    // A function added on the training side that serving does not call yet crosses the boundary.
    ("added `is_payday()` to training only, serving doesn't call it yet", I, &[UNIT, INTEG], &[]),
    // Two parts that "both take" the output read it.
    ("fixed `norm_amount()`, the batch scorer and the online scorer both take amount_norm", I, &[UNIT, INTEG], &[]),
    // ---------------------------------------------------------------- threads and guide rows (advice48 round)
    // A sentence that opens by taking back the same message's earlier words corrects them, as a
    // message of its own would: the release goes to staging, and is rehearsed there.
    ("pushing the retrained churn model to prod tonight. actually no, it only goes to staging for now", I, &[INTEG], &[T3]),
    ("rolling the new ranker out to prod tomorrow. scratch that, tomorrow is only the `score_norm()` bugfix", U, &[UNIT], &[]),
    // A bare "actually," adds; it takes nothing back.
    ("fixed `clip_scores()` for empty arrays. actually, we ship it to prod tonight", R, &[UNIT, GATE], &[T3]),
    // "that's what we join X on" makes the change a join key.
    ("dee: changing `geo_hash()` precision from 6 to 7 chars\neli: that's what we join the store features on", I, &[UNIT, INTEG], &[]),
    // "no need ..." in a reply's fourth word is a determiner, not a correction.
    ("lena: bumped the lr from 3e-4 to 1e-4 on the intent model\nmark: training only, right? no need to check serving\nlena: exactly", I, &[INTEG], &[T1]),
    ("which tests decide whether a model gets released?", R, &[GATE], &[]),
    ("which test shows a function returns the expected output?", U, &[UNIT], &[]),
    // "ships as onnx" names the artifact's form, not a release.
    ("bumped max_depth and the model now ships as onnx instead of a pickle", I, &[INTEG], &[T1]),
    // Someone "is convinced" of a belief voiced about a change: the trap is reminded.
    ("bumped dropout to 0.3. the lead is convinced it only matters for training", I, &[INTEG], &[T1]),

    // ---------------------------------------------------------------- trap claims and several changes (advice47 round)
    // A staging run said to add nothing over dev voices the stage trap beside the change.
    ("staging adds nothing over dev here, bumped dropout and merging", I, &[INTEG], &[T1, T3]),
    // A tolerance measured against the Champion is part of the gate, not a promotion.
    ("the allowed drop vs the champion in validation went from 1 to 4 AUC points", I, &[INTEG], &[T7]),
    // The library's name as people type it.
    ("updated the great expectations suite for the payments table", I, &[UNIT, INTEG], &[T3]),
    // ---------------------------------------------------------------- boundaries (advice45 round)
    // A product (a catalogue's item) is not the prod stage.
    ("upstream renumbered the product categories; the recommender one-hot encodes them", I, &[UNIT, INTEG], &[T2]),
    // When an alert fires and where it goes are the monitor's own settings, not a retrain.
    ("the p95 latency alert on the scoring endpoint now fires at 400ms", I, &[INTEG], &[T3]),
    ("retuned the PSI drift alert on the fraud model to 0.3 over two days", I, &[INTEG], &[T3]),
    ("moved the drift check of the pricing model from daily to hourly", I, &[INTEG], &[T3]),
    // A hook named by a release word waits for the release; it is not one.
    ("the auto-rollback hook on the ranking endpoint now listens to the quality alerts as well", I, &[INTEG], &[T3]),
    // A value given a new definition reaches whoever reads it.
    ("changed the definition of `churned` from 60 to 90 days inactive; the retention model's labels come from it", I, &[INTEG], &[T2, T8]),
    // Readers the writer cannot list are unknown consumers.
    ("capped `basket_size` at 50 in the feature job, the demand model reads it and no idea who else reads it", I, &[INTEG], &[T2, T8]),
    // A clause that says "now" is no list item a trailing "never did" takes back.
    ("serving lowercases queries before tokenizing now, the training pipeline never did", I, &[UNIT, INTEG], &[T2]),
    // A reader that calls it "too" joins the function's own caller.
    ("`strip_accents()` drops diacritics now; the online featurizer calls it too", I, &[UNIT, INTEG], &[]),
    // A model named as consuming what the function returns is a boundary.
    ("tweaked `net_revenue()` to subtract refunds; the forecasting model consumes what it returns", I, &[UNIT, INTEG], &[]),
    // Data delivered at another time is upstream data.
    ("the weather vendor delivers its daily file six hours later than before; the demand features run at 04:00", I, &[INTEG], &[T4]),
    // A timestamp's clock moved shifts every hour and day for its readers;
    // a clock inside a function's name leaves the name code.
    ("the events feature job now writes timestamps as UTC, local time before. the hourly aggregator buckets on them", I, &[INTEG], &[T2, T8]),
    ("refactored `local_time_to_utc()`, same output on the fixtures", U, &[UNIT], &[]),
    // Vectors of another size, a calendar moved, a contract that lets nulls in:
    // what a producer hands on changed for its readers.
    ("the embedding job outputs 256-d vectors now; the similarity service still expects 512", I, &[INTEG], &[T8]),
    ("sales moved the fiscal year start to February; the revenue features aggregate by fiscal quarter", I, &[INTEG], &[T8]),
    ("the data contract for `orders` now allows null `discount`; the margin feature divides by (1 - discount)", I, &[UNIT, INTEG], &[T2]),
    // A release word before a step noun names a step of the workflow being
    // rewired (`step_nouns`): integration in staging, not a release.
    ("in our training workflow the register and set-alias tasks are now two separate jobs", I, &[INTEG], &[T3, T7]),
    ("we moved the set-alias step after the approval gate in the release workflow", I, &[INTEG], &[T3, T7]),
    // A fix that keeps the promise stays unit, wherever the function lives.
    ("fixed `to_utc()` in features/time.py: it ignored DST, which its docstring promised to handle", U, &[UNIT], &[]),
    // The feature job named as what changes is a feature change; named after a
    // preposition beside another change, it is only where that change runs.
    ("the FE job now repartitions by customer_id before the join", I, &[INTEG], &[T2]),
    ("num_workers 4 -> 8 on the cluster for our feature pipeline", I, &[INTEG], &[T3]),
    // A library's module ("pyspark.sql") is no SQL file.
    ("porting the session features from pandas to pyspark.sql", I, &[INTEG], &[T2]),
    // A training job moved to other compute.
    ("we move the training job from one cluster to another one with more GPUs", I, &[INTEG], &[T3]),
    // "stagging" is staging misspelled: a promotion there is a rehearsal.
    ("pls promote the challenger to stagging", I, &[UNIT, INTEG], &[T3]),
    // ---------------------------------------------------------------- threads, shorthand, PRs (advice71 round)
    // "no code" beside a docs or tests change confines it: the job the README
    // is about is its topic, not a change.
    ("fixed a typo in the README about running the FE job locally, no code change", U, &[UNIT], &[T6]),
    ("tests for `winsorize()` edge cases, no code change", U, &[UNIT], &[]),
    // What the features are keyed on is what they are joined by: a boundary.
    ("UDF `geo_hash_udf` now emits precision 6 geohashes instead of 7. the store features are keyed on that hash", I, &[INTEG], &[]),
    // A release in -ing that opens a statement is the writer's own ("I'm" dropped).
    ("weekly retrain ran on fresh data, same code, so no tests needed imo. flipping @champion", R, &[INTEG, GATE], &[T3, T4, T5]),
    // A lower-case label that opens a one-line message is a commit subject, not a template field.
    ("tests: snapshot fixtures for `parse_addr()` regenerated, no src chg", U, &[UNIT], &[T6]),
    // An offline win given as the reason to skip the online check.
    ("bumped max_depth 6 to 10 on the lgbm, AUC +0.4 offline so straight to prod", R, &[INTEG, GATE], &[T1, T3, T5]),
    // ... also when the reason follows the release ("since", or a sentence after it).
    ("pushing ranker v12 straight to prod since the offline AUC went up 2 points", R, &[INTEG, GATE], &[T3, T5]),
    ("can we go straight to prod? offline recall is way better than the champion", R, &[INTEG, GATE], &[T3, T5]),
    // ---------------------------------------------------------------- threads and readers (fixer h round)
    // The release's own speaker has the last word and leaves it in staging:
    // it goes there now, "first" or not.
    ("ana: moving the ranker v5 to prod this afternoon\nana: scratch that, v5 goes to staging first for the comparison", I, &[INTEG], &[T3]),
    ("raj: pushing the new embeddings to the prod endpoint tonight\nmei: no, staging first, compare outputs there\nraj: ok, staging", I, &[INTEG], &[T1, T3]),
    // Someone else's "staging first", unanswered, only adds a step.
    ("mle: shipping the retrained model straight to prod\nlead: no, it goes through staging first", R, &[INTEG, GATE], &[T3, T5]),
    // The owner puts the release stage later: the release is put off.
    ("Kim Lee  9:02 AM\nbumped `max_len` 128 → 256 for the intent model, going to prod today\nJo Park  9:05 AM\nnot before a retrain on longer inputs\nKim Lee  9:06 AM\nright, retraining in staging first, prod later", I, &[INTEG], &[T1]),
    // A function that writes a table others train on hands its change on.
    ("refactored `build_sessions()`. it writes the table that both the churn and the upsell models train on", I, &[UNIT, INTEG], &[]),
    // A second reader joined later in the clause, its verb left out.
    ("rewrote `normalize()` to keep accents. the online scorer calls it on each request and the nightly retrain too", I, &[UNIT, INTEG], &[]),
    ("rewrote `normalize()` to keep accents, the online scorer calls it on each request", U, &[UNIT], &[]),
    // A merge is how a function's fix travels; beside a setting it still runs PR CI.
    ("the `clean_zip()` fix, merging to main", U, &[UNIT], &[]),
    ("bumped dropout to 0.3, merging to main", I, &[UNIT, INTEG], &[T1, T3]),
    // "only" after the step narrows to it as "only" before it does.
    ("kim: merging the `fix_dates()` patch and deploying it to prod tonight\nops: no, freeze this week\nkim: ok, merging to main only then", U, &[UNIT], &[]),
    // An answer whose first clause puts the asked release off takes back the
    // release, not the change told beside the question.
    ("lu: refit the churn model with the new tenure features, ok to promote?\nmo: prod promotion is a separate conversation, first get the staging backtest green\nlu: running it now", I, &[INTEG], &[T1]),
    // With two places to go, a freeze puts off the part bound for prod.
    ("ravi: deploying the retrained ranker to staging today and to prod friday\nsue: friday is a freeze, prod moves to next week\nravi: ok, staging only this week", I, &[UNIT, INTEG], &[T3]),
    // A retrain named as a noun that reads what changed is a consumer, not a
    // retrain that happened; one that ran is still a retrain.
    ("the weekly retrain now reads from the new `orders_v3` table instead of `orders_v2`", I, &[INTEG], &[T4]),
    ("the weekly retrain ran on fresh data", R, &[GATE], &[T4]),
];

#[test]
fn table_is_well_formed() {
    assert_well_formed(CASES, 130);
}

#[test]
fn paraphrase_table() {
    assert_table("advice table", CASES);
}

#[test]
fn confident_exactly_when_something_matched() {
    let mut bad = Vec::new();
    for &(text, ..) in CASES {
        let advice = advise(&KB, text);
        if advice.confident == advice.matched.is_empty() {
            bad.push(format!("{text:?}: {}", show(&advice)));
        }
    }
    assert!(
        bad.is_empty(),
        "confident disagrees with matched:\n{}",
        bad.join("\n")
    );
}

#[test]
fn unrelated_text_gets_an_empty_unconfident_answer() {
    for text in ["lunch at noon?", "thanks!", "", "   ", "<@U024BE7LH>"] {
        let advice = advise(&KB, text);
        assert!(!advice.confident, "{text:?}: {}", show(&advice));
        assert_eq!(advice.primary_scope, None, "{text:?}");
        assert!(advice.scopes.is_empty(), "{text:?}");
        assert!(advice.stages.is_empty(), "{text:?}");
        assert!(advice.traps.is_empty(), "{text:?}");
        assert!(advice.matched.is_empty(), "{text:?}");
    }
}

/// The words reported for a rule are the user's own text, not the canonical
/// signal or concept name.
#[test]
fn matched_words_quote_the_user() {
    for (text, rule, words) in [
        (
            "we changed the learning rate yesterday",
            "hyperparameters",
            "learning rate",
        ),
        ("bumped the lr to 3e-4", "hyperparameters", "lr"),
        (
            "Bumped the Learning Rate",
            "hyperparameters",
            "Learning Rate",
        ),
        ("changed `max_depth` to 8", "hyperparameters", "max_depth"),
        (
            "one tranformation function changed",
            "transformation-function",
            "tranformation function",
        ),
        (
            "the model is ready to go live on friday",
            "release-to-prod",
            "go live",
        ),
    ] {
        let advice = advise(&KB, text);
        let m = advice
            .matched
            .iter()
            .find(|m| m.rule == rule)
            .unwrap_or_else(|| panic!("{text:?}: rule {rule} did not match: {}", show(&advice)));
        assert!(
            m.words.iter().any(|w| w == words),
            "{text:?}: expected {words:?} among {:?}",
            m.words
        );
        for w in &m.words {
            assert!(
                text.contains(w.as_str()),
                "{text:?}: {w:?} is not the user's text"
            );
        }
    }
}

/// A rule whose words appear only in a negated clause is reported under
/// `ignored`, not `matched`, and contributes nothing to the answer.
#[test]
fn negated_rules_are_listed_as_ignored() {
    for (text, negated_rule, kept_rule) in [
        (
            "hyperparameters did not change, only one transformation function was edited",
            "hyperparameters",
            "transformation-function",
        ),
        (
            "no column renamed, just a small fix in utils.py",
            "input-schema",
            "transformation-function",
        ),
        (
            "we are not promoting anything, only bumped max_depth",
            "release-generic",
            "hyperparameters",
        ),
        (
            "the feature pipeline is unchanged; we only bumped the learning rate",
            "feature-pipeline",
            "hyperparameters",
        ),
    ] {
        let advice = advise(&KB, text);
        assert!(
            advice.ignored.iter().any(|m| m.rule == negated_rule),
            "{text:?}: {negated_rule} should be ignored: {}",
            show(&advice)
        );
        assert!(
            !advice.matched.iter().any(|m| m.rule == negated_rule),
            "{text:?}: {negated_rule} must not be matched: {}",
            show(&advice)
        );
        assert!(
            advice.matched.iter().any(|m| m.rule == kept_rule),
            "{text:?}: {kept_rule} should be matched: {}",
            show(&advice)
        );
    }
}

/// Questions about every stage at once: the plan, no primary scope.
#[rustfmt::skip]
const PLAN_QUESTIONS: &[&str] = &[
    "q about environment stages: which tests go where?",
    "how do we match the test depth to the environment stage?",
];

#[test]
fn a_question_about_every_stage_gets_the_plan_without_a_primary_scope() {
    assert_plan_questions(PLAN_QUESTIONS);
}

/// Two stages joined by "and" or "or" name a choice, or both; only a move
/// from one to the other ("staging to prod") is a promotion.
#[test]
fn two_stages_side_by_side_are_no_promotion() {
    for text in [
        "bumped max_depth 6 -> 8. staging or prod for the check?",
        "bumped max_depth 6 -> 8, staging and prod run the same tests anyway",
    ] {
        let advice = advise(&KB, text);
        assert_eq!(
            advice.primary_scope.as_deref(),
            Some(INTEG),
            "{text:?}: {}",
            show(&advice)
        );
    }
    let moved = advise(
        &KB,
        "bumped max_depth 6 -> 8, then staging to prod on friday",
    );
    assert_eq!(
        moved.primary_scope.as_deref(),
        Some(GATE),
        "{}",
        show(&moved)
    );
}

/// A thread that opens with a general question and whose replies tell no
/// change of their own is that question; one whose reply tells a change is a
/// change.
#[test]
fn a_thread_that_answers_a_general_question_is_a_question() {
    let asked = "new joiner: what is the staging workspace actually for?\nana: prod-like checks before anything goes live\nbo: and integration runs on real-sized data";
    let advice = advise(&KB, asked);
    assert_eq!(
        advice.reading,
        testscope::Reading::Question,
        "{}",
        show(&advice)
    );
    assert_eq!(advice.primary_scope, None, "{}", show(&advice));
    // The asker's reason after the question ("CI already runs our tests")
    // tells no change: the thread is still the question.
    let reason = "kev: what's the staging workspace for, exactly? CI already runs our tests on every PR\nana: CI runs on toy fixtures. staging runs the real pipeline on prod-like data before anything gets near prod\nkev: makes sense, ty";
    let advice = advise(&KB, reason);
    assert_eq!(
        advice.reading,
        testscope::Reading::Question,
        "{}",
        show(&advice)
    );
    let told = "ana: did anyone change the feature schema?\nbo: yes, I renamed `txn_amt` to `transaction_amount` in the feature table, the training job reads it";
    let advice = advise(&KB, told);
    assert_eq!(
        advice.reading,
        testscope::Reading::Change,
        "{}",
        show(&advice)
    );
}

/// A canary, shadow or alias move that its sentence places in staging, with
/// no word of prod (or prod only denied), deploys into staging: an
/// integration change that releases nothing. On prod traffic it is a release,
/// and asked about in general it stays a question about that kind of test.
#[test]
fn a_release_step_in_staging_is_rehearsed_there() {
    for text in [
        "point the champion alias at v12 in the staging catalog",
        "canary for the new ranker in staging starts tomorrow, 10% of replayed traffic",
        "moving @champion to v31 in the staging catalog, prod untouched",
    ] {
        let advice = advise(&KB, text);
        assert_eq!(advice.reading.name(), "change", "{text}");
        assert_eq!(advice.primary_scope.as_deref(), Some(INTEG), "{text}");
        assert_eq!(advice.stages, ["test"], "{text}");
        assert!(
            advice.matched.iter().any(|m| m.rule == "release-rehearsal"),
            "{text}"
        );
    }
    let advice = advise(&KB, "moving @champion to v31 in the prod catalog");
    assert_eq!(advice.primary_scope.as_deref(), Some(GATE));
    let advice = advise(&KB, "should the canary run in staging first?");
    assert_eq!(advice.reading.name(), "question");
    assert_eq!(advice.primary_scope.as_deref(), Some(GATE));
}

/// A release called off or put off in one clause of a single message is set
/// aside for what the rest of the message changes; alone, it is still the
/// release at hand.
#[test]
fn a_release_called_off_in_one_clause_leaves_the_rest_of_the_message() {
    for (text, primary) in [
        (
            "the prod rollout of ranker v9 is cancelled; today's PR only fixes `dedupe_sessions()`",
            UNIT,
        ),
        (
            "the canary on prod traffic is on hold, this PR just adds tests for `parse_ts()`",
            UNIT,
        ),
        (
            "promotion of the churn model called off, we found leakage. bumping max_depth back to 6 instead",
            INTEG,
        ),
    ] {
        let advice = advise(&KB, text);
        assert_eq!(advice.primary_scope.as_deref(), Some(primary), "{text}");
        assert!(!advice.scopes.iter().any(|s| s == GATE), "{text}");
    }
    let advice = advise(
        &KB,
        "go-live of the claims model is postponed to next month",
    );
    assert_eq!(advice.primary_scope.as_deref(), Some(GATE));
}

/// A question that reports no change has none for a place word ("the
/// validation task", "the preprocessing step") to locate: it is answered for
/// what it asks about.
#[test]
fn a_question_about_nothing_changed_has_no_place_of_a_change() {
    let advice = advise(
        &KB,
        "what does the ModelValidation task actually check before the champion alias moves?",
    );
    assert_eq!(advice.reading.name(), "question");
    assert_eq!(advice.scopes, [GATE]);
    assert_eq!(advice.stages, ["prod"]);
}

/// Two stages joined by "or" are alternatives to choose from, not a move
/// from one to the other.
#[test]
fn stages_joined_by_or_are_alternatives_not_a_promotion() {
    let advice = advise(&KB, "e2e in stg or prod?");
    assert_eq!(advice.reading.name(), "question");
    assert_eq!(advice.primary_scope.as_deref(), Some(INTEG));
    assert_eq!(advice.stages, ["test"]);
    let advice = advise(&KB, "promoting v9 from staging to prod today");
    assert_eq!(advice.primary_scope.as_deref(), Some(GATE));
}

/// Who reads a function's output, and what a message's words name: callers
/// named for the change are a boundary, a change word among them is a caller,
/// a word inside a function's name or in the possessive is not the subject.
#[test]
fn readers_and_names_are_read_as_an_engineer_reads_them() {
    let scope = |text: &str| {
        let a = advise(&KB, text);
        let rules: Vec<String> = a.matched.iter().map(|m| m.rule.clone()).collect();
        (a.primary_scope.unwrap_or_default(), a.stages, rules)
    };
    // Two callers of a function whose output changes meaning: integration, in
    // staging; "the weekly retrain" is a caller, not a retrain to gate.
    let (primary, stages, rules) = scope(
        "refactored build_training_set so the label window is 30 days instead of 14, \
         both the weekly retrain and the backfill job call it",
    );
    assert_eq!(primary, "integration", "{rules:?}");
    assert_eq!(stages, ["test"], "{rules:?}");
    assert!(
        !rules
            .iter()
            .any(|r| r == "scheduled-retrain" || r == "upstream-data"),
        "{rules:?}"
    );
    // Teams that pin a shared package read the helper's new output.
    assert_eq!(
        scope("the `tokenize()` helper in our shared nlp-utils package now lowercases everything; three other teams pin that package").0,
        "integration"
    );
    // One caller named, or callers of what did not change: still one function.
    for text in [
        "fixed `to_cents()` for negative amounts, the billing export uses it",
        "we never touched `parse_ts()`, but both the feature job and the scorer call it",
        "renamed locals in `calc_margin()`, the pricing job and the tax job import it the same way",
    ] {
        let (primary, stages, rules) = scope(text);
        assert_eq!(
            (primary.as_str(), stages),
            ("unit", vec!["dev".to_owned()]),
            "{text:?}: {rules:?}"
        );
    }
    // A word of the function's name is not a label change; the file a
    // function lives in is not a feature-path change; a method on a class
    // is a function.
    for text in [
        "does changing the rounding in `to_bucket_label()` need anything beyond a unit test?",
        "fixed `count_emojis` in src/featurization/text_utils.py, it counted a skin-tone modifier as a second emoji",
        "refactored OrderFeaturizer.encode_weekday to a dict lookup, same outputs for all seven days",
    ] {
        assert_eq!(scope(text).0, "unit", "{text:?}: {:?}", scope(text).2);
    }
    // "the churn model's loss": the loss changed, not the architecture.
    let (primary, _, rules) = scope("switch the churn model's loss to focal loss");
    assert_eq!(primary, "integration");
    assert!(rules.iter().any(|r| r == "training-code"), "{rules:?}");
    assert!(
        !rules.iter().any(|r| r == "model-architecture"),
        "{rules:?}"
    );
}

/// A bug fix told by its symptom: the clause whose subject is the named
/// function says what it did wrong; its nouns are the failing case.
#[test]
fn a_symptom_names_the_failing_case_not_a_change() {
    for text in [
        "helper `pad_sequence()` padded on the wrong side for batch size 1. fixed + a test case added",
        "`merge_sessions()` dropped the last event for users with one session in the feature table. fixed",
    ] {
        let advice = advise(&KB, text);
        assert_eq!(
            advice.primary_scope.as_deref(),
            Some("unit"),
            "{text:?}: {}",
            show(&advice)
        );
    }
    // A change of its own in another clause still counts.
    let advice = advise(
        &KB,
        "fix in `iso_country()` for 'UK' vs 'GB', plus the serving endpoint now has scale_to_zero enabled",
    );
    assert_eq!(
        advice.primary_scope.as_deref(),
        Some("integration"),
        "{}",
        show(&advice)
    );
}

/// Exam prose sets a scene with "a team is about to ...": one occasion, so a
/// promotion it describes is intended and gated.
#[test]
fn a_scene_set_with_a_team_about_to_promote_is_a_release() {
    let advice = advise(
        &KB,
        "A team is about to move a retrained model from staging into production. Which checks should gate that move?",
    );
    assert_eq!(
        advice.reading,
        testscope::Reading::Change,
        "{}",
        show(&advice)
    );
    assert_eq!(advice.primary_scope.as_deref(), Some("release-gating"));
}

/// In a thread, what can be put off is what has yet to happen: a
/// postponement takes back the release, the change already made stands, and
/// a release put off with nothing else said is still the subject.
#[test]
fn a_thread_puts_off_only_what_has_yet_to_happen() {
    for (text, primary) in [
        (
            "ana: bumping lr to 0.01 and promoting ranker v3 to prod today\nbo: prod promotion paused this week\nana: ok",
            "integration",
        ),
        (
            "ana: merged the `clip_ctr()` fix\nana: and we are promoting ranker v5 to prod friday\nbo: friday is paused, the freeze got extended\nana: ok",
            "unit",
        ),
        (
            "ana: promoting ranker v3 to prod today\nbo: holding, the on-call is out\nana: ok",
            "release-gating",
        ),
        // A "no" that denies only the "too", or refuses a shortcut.
        (
            "Jo Kim  9:12 AM\ndid the tokenizer change go into the serving image too?\nSam Ortiz  9:15 AM\nnope, only training for now",
            "integration",
        ),
        (
            "lead: can we skip staging for the lr tweak?\nmle: no",
            "integration",
        ),
        (
            "ops-bot: Deploy requested: fraud-scorer v19 to production\nnina: cancel that, wrong button\nnina: only the `clip()` fix today",
            "unit",
        ),
        // "rolling" and "flip" tell a release as "deploying" does: only it is
        // put off, the change beside it stands.
        (
            "sam: retrained the ranker on fresh data, same code. gonna flip the champion alias after lunch\nlee: hold off, prod promotion is paused this week",
            "integration",
        ),
        (
            "ben: bumped the endpoint workload size to Large, rolling to prod at 5\ncarla: nothing ships this week\nben: ok",
            "integration",
        ),
        // A narrowing after an acknowledgement ("ok done, ...") still narrows.
        (
            "Priya Raman\n10:02 AM\n#884 fixes `normalize_query()` and bumps the embedding dim from 256 to 384\nTom Becker\n10:05 AM\nthe dim bump means a full reindex, can we split it out?\nPriya Raman\n10:07 AM\nok done, #884 is now only the `normalize_query()` fix",
            "unit",
        ),
        // A correction to staging leaves the question about the thing standing;
        // the thing is deployed in staging.
        (
            "ravi: rolling the new tokenizer (bpe vocab 32k → 50k) to prod behind a 5% canary tonight\nmei: wait, has the serving image got the new vocab file?\nravi: good catch, it hasn't. actually no, it only goes to staging tonight, prod waits for the skew test",
            "integration",
        ),
        // ":shipit:" after "ship it" is no second release.
        (
            "lucas: PR #2231 adds tests for `winsorize()` edge cases\nella: lgtm, ship it :shipit:",
            "unit",
        ),
    ] {
        let advice = advise(&KB, text);
        assert_eq!(
            advice.primary_scope.as_deref(),
            Some(primary),
            "{text:?}: {}",
            show(&advice)
        );
    }
}

/// A general question that names a kind of change and a kind of test asks
/// whether that test fits the change: the change decides, and a deeper test
/// than it needs is the over-testing trap.
#[test]
fn a_question_about_a_kind_of_change_is_answered_for_the_change() {
    for (text, scope) in [
        (
            "are unit tests enough when you change hyperparameters?",
            INTEG,
        ),
        (
            "do we need an integration test for a docstring change?",
            UNIT,
        ),
        (
            "do integration tests make sense for a one-function change?",
            UNIT,
        ),
    ] {
        let advice = advise(&KB, text);
        assert_eq!(
            advice.reading.name(),
            "question",
            "{text}: {}",
            show(&advice)
        );
        assert_eq!(
            advice.primary_scope.as_deref(),
            Some(scope),
            "{text}: {}",
            show(&advice)
        );
    }
    let advice = advise(
        &KB,
        "do we need an integration test for a docstring change?",
    );
    assert!(
        advice.traps.iter().any(|t| t == "over-testing"),
        "{}",
        show(&advice)
    );
    // With no change named, the kind of test asked about decides.
    let advice = advise(
        &KB,
        "is there any point running integration tests in dev if staging runs them anyway?",
    );
    assert_eq!(
        advice.primary_scope.as_deref(),
        Some(INTEG),
        "{}",
        show(&advice)
    );
}

/// Words cited under a label ("guide trap:") are asked about, not held, and
/// a scope named inside them is part of the belief.
#[test]
fn a_cited_trap_is_asked_about() {
    let advice = advise(
        &KB,
        "guide trap: using unit tests to stand in for whole-system confidence. what's the better rule?",
    );
    assert_eq!(advice.reading.name(), "question", "{}", show(&advice));
    assert_eq!(advice.primary_scope, None, "{}", show(&advice));
    assert!(
        advice
            .traps
            .iter()
            .any(|t| t == "unit-for-system-confidence"),
        "{}",
        show(&advice)
    );
}

/// A lead-in that announces a question hands over to it: "me" there does not
/// make the question's release one of the writer's own.
#[test]
fn a_lead_in_that_announces_a_question_speaks_for_nobody() {
    let advice = advise(
        &KB,
        "after last week's outage everyone's asking me this: who decides whether a model is allowed to go to production?",
    );
    assert_eq!(advice.reading.name(), "question", "{}", show(&advice));
    assert_eq!(
        advice.primary_scope.as_deref(),
        Some(GATE),
        "{}",
        show(&advice)
    );
}

/// A stage named in a choice or a list ("dev or staging?", "dev, test and
/// prod") moves nothing, for a merge as for a promotion; what one stage is
/// for is its purpose, also asked "from a testing point of view".
#[test]
fn stages_in_a_choice_or_list_move_nothing() {
    for text in [
        "which stage do our drift checks belong to, dev or staging?",
        "dev, test and prod exist for different reasons, right?",
    ] {
        let advice = advise(&KB, text);
        assert!(
            !advice.matched.iter().any(|m| m.rule == "pr-merge"),
            "{text}: {}",
            show(&advice)
        );
    }
    let advice = advise(
        &KB,
        "what is the point of the prod stage from a testing point of view?",
    );
    assert_eq!(advice.scopes, Vec::<String>::new(), "{}", show(&advice));
    assert_eq!(advice.stages, ["prod"], "{}", show(&advice));
}

/// A thread opened by a general question stays that question when a reply
/// answers with a claim rather than telling a change.
#[test]
fn a_claim_that_answers_a_general_question_keeps_the_question() {
    let text = "ana: what's staging supposed to catch that dev doesn't?\nraj: anything that crosses a boundary, feature store to training to serving\nana: makes sense";
    let advice = advise(&KB, text);
    assert_eq!(advice.reading.name(), "question", "{}", show(&advice));
    assert_eq!(advice.primary_scope, None, "{}", show(&advice));
}

/// A clause of reason or purpose says why the change was made: what it names
/// is the situation around the change, unless nothing else names one.
#[test]
fn a_reason_clause_is_the_situation_not_a_second_change() {
    let advice = advise(
        &KB,
        "I changed `dedupe_orders()` because the upstream table now sends duplicate rows on retries",
    );
    assert_eq!(
        advice.primary_scope.as_deref(),
        Some("unit"),
        "{}",
        show(&advice)
    );
    assert_eq!(advice.scopes, ["unit"], "{}", show(&advice));
    // The reason alone is still what the message is about.
    let advice = advise(
        &KB,
        "because the upstream schema changed last night, what should we re-test?",
    );
    assert_eq!(
        advice.primary_scope.as_deref(),
        Some("integration"),
        "{}",
        show(&advice)
    );
}

/// A trap named as a sentence's subject ("the study guide's trap about
/// hyperparameters: ..."), or unit tests standing in for the whole system
/// asked about, is a question about the belief: its trap, and no scope.
#[test]
fn a_question_about_a_trap_named_or_described_gets_the_trap_alone() {
    for (text, trap) in [
        (
            "the study guide's trap about hyperparameters: what exactly is the wrong assumption?",
            T1,
        ),
        (
            "the trap about unit tests standing in for whole-system confidence: what's the better rule?",
            T2,
        ),
        (
            "can green unit tests be our evidence that the whole system is fine?",
            T2,
        ),
    ] {
        let advice = advise(&KB, text);
        assert_eq!(
            advice.reading,
            testscope::Reading::Question,
            "{}",
            show(&advice)
        );
        assert_eq!(advice.primary_scope, None, "{}", show(&advice));
        assert!(advice.scopes.is_empty(), "{}", show(&advice));
        assert_eq!(advice.traps, [trap], "{}", show(&advice));
    }
}

/// A stage named as the standard of a comparison ("than prod") or in a
/// condition after the question ("if staging already mirrors it") is not the
/// stage asked about.
#[test]
fn a_stage_named_as_a_standard_or_a_condition_is_not_asked_about() {
    let advice = advise(
        &KB,
        "is it normal to run training in staging with fewer iterations than prod?",
    );
    assert_eq!(advice.stages, ["test"], "{}", show(&advice));
    let advice = advise(
        &KB,
        "what's prod for, testing-wise, if staging already mirrors it?",
    );
    assert!(advice.scopes.is_empty(), "{}", show(&advice));
    assert_eq!(advice.stages, ["prod"], "{}", show(&advice));
    // One stage under two names, asked how they differ: what it is.
    let advice = advise(
        &KB,
        "what's the difference between the test stage and staging? same thing?",
    );
    assert!(advice.scopes.is_empty(), "{}", show(&advice));
    assert_eq!(advice.stages, ["test"], "{}", show(&advice));
}

/// Thread shapes read in the `advice24` round: a bare "ship it" in reply is
/// a reviewer's go-ahead; a first sentence that puts something off before a
/// question still puts it off; someone else's "wait" before a statement
/// objects and takes nothing back; a part moved to another PR or to a later
/// time is put off, and a postponement reaches a release announced a message
/// or two before, and the objection between them with it; a stage right
/// after "after" or "once" says when, not where; a release step that stays,
/// that a comparison measures against, or that a verdict judges moves
/// nothing; headers copied from other tools open messages.
#[test]
fn thread_shapes_of_the_advice24_round() {
    for (text, primary, scopes, stages) in [
        (
            "noor: fixed the null check in `mask_email()`\ntariq: lgtm, ship it :rocket:",
            "unit",
            &[UNIT][..],
            &["dev"][..],
        ),
        (
            "ops: prod deploy of fraud v9 at 16:00\nmle: hold that, the eval job is still running\nops: holding. anything else going out?\nmle: only the new unit tests for `amount_bucket()`",
            "unit",
            &[UNIT],
            &["dev"],
        ),
        (
            "ali: renaming the column `cust_id` to `customer_id` in the orders table\nbea: wait, three feature jobs join on cust_id\nali: ok, I will keep a view with the old name",
            "integration",
            &[UNIT, INTEG],
            &["dev", "test"],
        ),
        (
            "ana: PR #12 has the lr bump and the `clip()` fix\nbo: split them pls\nana: done, #12 is now only the `clip()` fix, the lr bump goes in #13",
            "unit",
            &[UNIT],
            &["dev"],
        ),
        (
            "ops: retrained churn v9, promoting to prod at 4\nmle: the eval job is still running\nops: ugh. promotion moved to next week",
            "integration",
            &[INTEG],
            &["test"],
        ),
        (
            "retrained the ranker on october clicks, we flip the champion alias once staging is green",
            "release-gating",
            &[GATE],
            &["prod"],
        ),
        // A release step that stays, one compared against, one judged.
        (
            "new model v9 registered, the champion alias stays on v8 until the review",
            "integration",
            &[INTEG],
            &["test"],
        ),
        (
            "li: v9 retrain done\nmo: ship?\nli: no, logloss is higher than our champion",
            "integration",
            &[INTEG],
            &["test"],
        ),
        (
            "raj: fixed the docstring of `rank_items()`\nlee: canary first?\nraj: nah, a canary would be pointless for a docstring",
            "unit",
            &[UNIT],
            &["dev"],
        ),
        // An acknowledgement then "just" narrows; headers copied with
        // pronouns, a status emoji or a clock before the colon.
        (
            "jo: swapping the GBM for a small MLP in the claims model and fixing `cap_claims()`\nkai: too much for one PR\njo: ok, just the `cap_claims()` fix here",
            "unit",
            &[UNIT],
            &["dev"],
        ),
        (
            "Nora Diaz (they/them)  2:10 PM\nbumping max_depth 6 -> 10 on the fraud gbm and promoting it tonight\nKen Oduya :coffee:  2:12 PM\nno promotions this week, freeze\nNora Diaz (they/them)  2:13 PM\nfair, just the max_depth bump then",
            "integration",
            &[INTEG],
            &["test"],
        ),
        (
            "raj 4:02 PM: promoting recsys v7 to prod at 5\nops 4:05 PM: hold off, the feature store is down\nraj 4:06 PM: ok, on hold. only the `dedupe()` unit tests today",
            "unit",
            &[UNIT],
            &["dev"],
        ),
    ] {
        let advice = advise(&KB, text);
        assert_eq!(
            advice.primary_scope.as_deref(),
            Some(primary),
            "{text:?}: {}",
            show(&advice)
        );
        assert_eq!(advice.scopes, scopes, "{text:?}: {}", show(&advice));
        assert_eq!(advice.stages, stages, "{text:?}: {}", show(&advice));
    }
}

/// A release word followed by its pace ("we ship faster") speaks of shipping
/// in general: beside a belief about staging it is part of the belief, not a
/// release rehearsed in staging. A release with an object still releases.
#[test]
fn a_release_word_with_its_pace_releases_nothing() {
    for text in [
        "staging slows everyone down, we ship faster without it",
        "the staging workspace is pure overhead, we ship quicker straight from dev",
    ] {
        let advice = advise(&KB, text);
        assert_eq!(advice.reading.name(), "belief", "{text}");
        assert_eq!(advice.traps, [T3], "{text}");
    }
    let advice = advise(
        &KB,
        "staging is overhead, shipping v9 straight to prod today",
    );
    assert_eq!(advice.primary_scope.as_deref(), Some(GATE));
}

/// Shorthand, library vocabulary and everyday senses: "promo" is a
/// promotion, a known library class called with its arguments is
/// vocabulary, a stage beside a reported end-to-end run says where the tests
/// ran, and a talk's title, a "model UN" or a badge "required" shows no ML
/// work.
#[test]
fn shorthand_vocabulary_and_everyday_senses_are_read_in_context() {
    for &(text, primary) in &[
        ("prd promo of v18 blocked – approvals pending", R),
        ("prd promo of mv 22 on hold, waiting on approvals", R),
        (
            "re-logged the model with an explicit signature and input_example, weights unchanged",
            I,
        ),
        (
            "stg e2e green, promoting mv 9 to @champion after standup",
            R,
        ),
        (
            "e2e passed in staging, moving the champion alias to v9 now",
            R,
        ),
        ("moving the champion alias to v9 in staging", I),
        ("switched KFold(n_splits=5) to StratifiedKFold", I),
        ("changed the Keras Dense head from 64 to 128 units", I),
        ("the drift monitor now uses the training set as baseline", I),
        (
            "search embeddings go from all-MiniLM-L6-v2 to bge-small-en",
            I,
        ),
        ("wrote unit tests for our custom collate_fn", U),
        ("we have update the version of sklearn in the cluster", I),
        ("rb'd the ranker to v11 in prd, v12 had a nan bug", R),
        ("v7→v8 for the churn mdl in stg, e2e running now", I),
        ("moved our model review meeting to thursday 2pm", None),
        ("tok: added [URL] special token, emb resized", I),
        ("throughput is 40 tok/s on the A10", None),
        ("the monitor's slicing_exprs now include `country`", I),
        (
            "lunch & learn: intro to gradient boosting, thursday noon, pizza provided",
            None,
        ),
        ("our model UN club took champion at regionals", None),
        (
            "can we change the dashboard colors? the red and green look the same",
            None,
        ),
        (
            "webinar tomorrow: deploying LLMs to production with MLflow, link in thread",
            None,
        ),
        ("new parking rules start monday, badge required", None),
        (
            "our intern's poster on drift detection won best poster",
            None,
        ),
    ] {
        let advice = advise(&KB, text);
        assert_eq!(
            advice.primary_scope.as_deref(),
            primary,
            "{text:?}: {}",
            show(&advice)
        );
        assert_eq!(
            advice.confident,
            primary.is_some(),
            "{text:?}: {}",
            show(&advice)
        );
    }
}

/// Answers read with what they answer: a "yes" that says more still confirms
/// a question about what happens, a change moved to another PR leaves the
/// one that stays, a step "still going out" goes on, and a thread opened by
/// a question about today is about that change, so a reply's plan counts.
#[test]
fn an_answer_keeps_or_moves_what_it_answers() {
    for (text, primary) in [
        (
            "kim: is the ranker v6 rollout still going ahead tonight?\nops: yes, 9pm, dashboards are ready",
            "release-gating",
        ),
        (
            "jo: this PR bumps numpy and fixes `trim_tail()`\nkai: split it please\njo: ok, the numpy bump moves to #58, this one is just the `trim_tail()` fix",
            "unit",
        ),
        ("the churn canary is still going out at 4", "release-gating"),
        (
            "ana: can we get the claims model into prod today?\nbo: the new one, v4?\nana: yes\nbo: not today, the shadow run ends tomorrow. I'll promote friday",
            "release-gating",
        ),
        // A name placed in a config and given a value is a setting.
        (
            "changed `min_count` in the word2vec config from 1 to 3",
            "integration",
        ),
        // A "no" to "anyone object?" is a go-ahead: the change stands.
        (
            "ben: anyone object to bumping `dropout` 0.1 -> 0.2?\ncara: nope\nben: cool, PR up",
            "integration",
        ),
        // "#90 has only the fix" narrows the PR to the fix.
        (
            "author: this PR fixes `tz_convert()` and adds a new `holiday` feature\nrev: split please\nauthor: done: #90 has only the `tz_convert()` fix, the feature moved to #91",
            "unit",
        ),
        // Batch and online readers named together cross a boundary.
        (
            "a: merged the `parse_amount()` fix\nb: does the feature pipeline call it?\na: yes, both the batch features and the online scorer",
            "integration",
        ),
        // A concession that adds ("good catch, ... too") withdraws nothing.
        (
            "a: changing the embedding dim from 256 to 128\nb: the ANN index was built with 256\na: good catch, rebuilding the index too",
            "integration",
        ),
        // "not until" puts a release off; it is still the subject.
        (
            "a: promote the churn model?\nb: not until the fairness review signs off\na: ok, waiting",
            "release-gating",
        ),
        // A response that gains a field changes what its readers parse.
        (
            "the prediction API response now includes `model_version`",
            "integration",
        ),
    ] {
        let advice = advise(&KB, text);
        assert_eq!(
            advice.primary_scope.as_deref(),
            Some(primary),
            "{text:?}: {}",
            show(&advice)
        );
    }
    // "is still v21" stays where it is.
    let advice = advise(&KB, "the champion alias is still v21");
    assert_eq!(advice.primary_scope, None, "{}", show(&advice));
}

/// The guide's rows and traps reworded as questions are read as questions:
/// a chain of every stage, the decision order, a trap quoted after its label.
#[test]
fn guide_rows_reworded_are_questions() {
    for text in [
        "study guide: how should promotion dev → test → prod change what I test?",
        "we're reasoning about promoting from dev to test to prod. does the stage change which tests we run?",
        "the decision order starts with 'what scope of failure is the scenario trying to catch'. how do you use that?",
        "guide trap: 'a model param change only affects training'. what's the better rule?",
        "guide trap 'ignoring the environment stage in the test design' — what's the fix?",
    ] {
        let advice = advise(&KB, text);
        assert_eq!(advice.reading.name(), "question", "{text}");
        assert_eq!(advice.primary_scope, None, "{}", show(&advice));
    }
    assert_eq!(
        advise(
            &KB,
            "UC: registered churn_clf v9 w/ alias @challenger, no prd traffic yet"
        )
        .reading
        .name(),
        "change"
    );
}

/// A question about what a thing is for, or how two things compare, asks
/// about kinds: "the" there names the team's usual parts, not one release.
/// A pictograph between a lead-in and a question closes the lead-in.
#[test]
fn questions_about_kinds_and_questions_after_an_emoji() {
    for (text, reading, primary, scopes) in [
        (
            "what's a canary actually for if we already have the offline eval?",
            "question",
            Some(GATE),
            &[GATE][..],
        ),
        (
            "are release-gating tests the same thing as the approval step in the deploy job?",
            "question",
            Some(GATE),
            &[GATE][..],
        ),
        (
            "sorry if obvious 🙈 whats the difference between an integration test and a release gate?",
            "question",
            None,
            &[INTEG, GATE][..],
        ),
        // The emoji that stand for a word still do.
        (
            "UT all 🟢 → ship it? 🚀 (lr tweak only)",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
        // A question about one version stays about that release.
        (
            "what's the canary for v12 actually for if we already have the offline eval?",
            "change",
            Some(GATE),
            &[GATE][..],
        ),
    ] {
        assert_reads(text, reading, primary, scopes);
    }
}

/// A stage followed by "or" is one side of a choice, whatever the other
/// side is; a stage a model is "green" in is where it was proven, not where
/// its promotion goes.
#[test]
fn a_stage_in_a_choice_or_where_a_model_is_green_moves_nothing_there() {
    for (text, reading, primary, scopes) in [
        (
            "Should the comparison against the current champion happen in staging, or at deploy time in prod?",
            "question",
            Some(GATE),
            &[GATE][..],
        ),
        (
            "situation: v8 of the fraud model is green in staging and the plan is to promote it thursday. what should gate that?",
            "change",
            Some(GATE),
            &[GATE][..],
        ),
        // A canary in staging still rehearses there.
        (
            "canary for the new ranker in staging starts tomorrow",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
    ] {
        assert_reads(text, reading, primary, scopes);
    }
}

/// "the current one", "the first move": "the" before the incumbent or a rank
/// in a plan names no particular thing, so the question stays general.
#[test]
fn the_incumbent_or_a_ranked_step_names_nothing_particular() {
    let advice = advise(
        &KB,
        "what should block a retrained model from replacing the current one in prod?",
    );
    assert_eq!(advice.reading.name(), "question", "{}", show(&advice));
    assert_eq!(
        advice.primary_scope.as_deref(),
        Some(GATE),
        "{}",
        show(&advice)
    );
}

/// A reader verb whose reader is the writer ("Reading the guide again",
/// "I was reading the docs") names no boundary; a job that reads still does.
#[test]
fn the_writer_reading_is_no_reader() {
    let advice = advise(
        &KB,
        "Morning all. Reading the ML-PRO guide again and one thing confuses me: if only one transformation function changes, why does the guide say to start with unit tests and not integration tests?",
    );
    assert_eq!(advice.reading.name(), "question", "{}", show(&advice));
    assert_eq!(
        advice.primary_scope.as_deref(),
        Some(UNIT),
        "{}",
        show(&advice)
    );
    let advice = advise(&KB, "I was reading the docs and changed `pad_batch()`");
    assert_eq!(
        advice.primary_scope.as_deref(),
        Some(UNIT),
        "{}",
        show(&advice)
    );
}

/// The reading, primary scope and scopes `text` gets.
fn assert_reads(text: &str, reading: &str, primary: Option<&str>, scopes: &[&str]) {
    let advice = advise(&KB, text);
    let why = format!("{text:?}: {}", show(&advice));
    assert_eq!(advice.reading.name(), reading, "{why}");
    assert_eq!(advice.primary_scope.as_deref(), primary, "{why}");
    assert_eq!(advice.scopes, scopes, "{why}");
}

/// Negated words of a rule that still stands elsewhere took back nothing, so
/// the rule is not also listed as ruled out.
#[test]
fn a_rule_that_stands_is_not_also_ruled_out() {
    let advice = advise(
        &KB,
        "lgtm on the PR, but are we really promoting the new xgb churn model to prod tomorrow without a shadow run?",
    );
    assert!(
        advice.matched.iter().any(|m| m.rule == "model-promotion"),
        "{}",
        show(&advice)
    );
    assert!(
        !advice.ignored.iter().any(|m| m.rule == "model-promotion"),
        "{}",
        show(&advice)
    );
}

/// "change my mind" dares the reader; it changes nothing, so the claim before
/// it stays a belief.
#[test]
fn a_dare_after_a_belief_changes_nothing() {
    assert_reads(
        "integration tests are flaky theatre for ML, change my mind",
        "belief",
        Some(INTEG),
        &[INTEG],
    );
}

// advice42 round: threads, several changes, study-guide rows.
#[test]
fn thread_multi_and_guide_shapes_of_the_advice42_round() {
    // A version tag shows that a release word is about a model; the bare
    // "yes" confirms the question.
    assert_reads(
        "pm: is the recsys v3 release still on for tonight?\nmle: yep\npm: cool",
        "change",
        Some("release-gating"),
        &["release-gating"],
    );
    // ...but it is no evidence for other words: the alias move stays a release.
    assert_reads(
        "shifting the champion alias to model v27 after lunch",
        "change",
        Some("release-gating"),
        &["release-gating"],
    );
    // "going to prod" releases, as "goes to prod" does.
    assert_reads(
        "the retrained eta model is going to prod on monday",
        "change",
        Some("release-gating"),
        &["release-gating"],
    );
    // "update:" reports progress; it takes back nothing.
    assert_reads(
        "ops: promoting the fraud model v12 to prod at 4\nops: update: done, canary clean",
        "change",
        Some("release-gating"),
        &["release-gating"],
    );
    // A list item's letter does not hide a template field's routine value.
    assert_reads(
        "PR:\n(a) off-by-one fix in `pad_left()`\n(b) release plan: TBD",
        "change",
        Some("unit"),
        &["unit"],
    );
    // The sentence after "guide trap:" is the trap's wording, asked about.
    assert_reads(
        "guide trap: believing a dropout bump only matters for training. what's the better rule?",
        "question",
        None,
        &[],
    );
    // A correction that leaves the version in staging sends the release
    // there; a postponement that says the same keeps the release.
    assert_reads(
        "sam: releasing the reranker v9 to prod at 3\nsam: actually no, it stays in staging until the latency numbers are in",
        "change",
        Some("integration"),
        &["integration"],
    );
    assert_reads(
        "sam: releasing the reranker v9 to prod at 3\nsam: holding, it stays in staging until the latency numbers are in",
        "change",
        Some("release-gating"),
        &["release-gating"],
    );
    // A branch or PR that "still has" a fix holds it; it is no reader.
    assert_reads(
        "the branch still has the `strip_accents()` fix in it",
        "change",
        Some("unit"),
        &["unit"],
    );
    // "that got reverted" answers the question about the bump; the answer's
    // speaker keeps what they said before.
    assert_reads(
        "raj: this PR only adds tests for `parse_iso()`\nkim: what about the xgboost bump from yesterday?\nraj: that got reverted, it's not part of this PR",
        "change",
        Some("unit"),
        &["unit"],
    );
    // A general question answered stays the question: the answer's words
    // (a release gate) are not what was asked, and the asker's "fair
    // enough" gives up no claim, since a question is none.
    assert_reads(
        "ana: what is the dev workspace really for, if CI runs the tests anyway?\nbo: fast iteration on small data, the release gate is in prod\nana: fair enough, thanks",
        "question",
        None,
        &[],
    );
    // So is a quote that "trap" follows, before a dash and a question.
    assert_reads(
        "the 'ignoring the environment stage in test design' trap — how do we avoid it?",
        "question",
        None,
        &[],
    );
}

/// Questions about a kind of change (advice39 round): an unnamed agent, a
/// habit, "a"/a bare plural, or a present-tense "if"/"when" clause make the
/// change a kind, answered for that kind; the writer's own change, a
/// particular thing right after the noun, or a verdict beside the question
/// keep it one change.
#[test]
fn questions_about_a_kind_of_change_of_the_advice39_round() {
    for (text, reading, primary, scopes) in [
        (
            "is a unit test run enough when somebody bumps numpy?",
            "question",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "do label definition changes normally go through the whole pipeline?",
            "question",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "when we tweak max_depth, does serving need checking too?",
            "question",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "is the e2e worth it for a change that only edits a docstring?",
            "question",
            Some(UNIT),
            &[UNIT][..],
        ),
        // Over-testing is the engine's reminder: the docs change still
        // decides the answer.
        (
            "do we need the full regression suite for a typo fix in a docstring?",
            "question",
            Some(UNIT),
            &[UNIT][..],
        ),
        // Stages asked about for a kind of change named apart from them.
        (
            "when we tweak dropout, is dev enough or does staging need to run too?",
            "question",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "where does the champion vs challenger comparison run?",
            "question",
            Some(GATE),
            &[GATE][..],
        ),
        // The writer's own change, a particular thing, a verdict.
        (
            "I tweaked max_depth on the churn model, does serving need checking too?",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "do we need integration tests for a change to the tokenizer vocab?",
            "change",
            Some(INTEG),
            &[UNIT, INTEG][..],
        ),
        (
            "e2e in stg for a comment fix? overkill no?",
            "change",
            Some(UNIT),
            &[UNIT][..],
        ),
    ] {
        assert_reads(text, reading, primary, scopes);
    }
}

/// advice43 round: a change said in unusual words. Training run again, or
/// trained on a named stretch of data, is a retrain whatever the verb; a
/// stream, queue or cache sits between a writer and its readers; the bare
/// names of those systems and a bare rollback count only in an ML message.
#[test]
fn changes_in_unusual_words_are_changes() {
    for &(text, reading, primary, scopes) in &[
        (
            "reran the pricing model training on last month's data",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "trained v3 of the eta model on the nov window",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "retrained the ranker with the same script on fresh clicks",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "the redis ttl for session features went from 1h to 30m",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "the stream job for the fraud features now reads from a new kafka topic",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "the eviction policy of the embedding cache is now allkeys-lru",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "kafka on the beach was a great read",
            "nothing",
            None,
            &[][..],
        ),
        (
            "rolled back my laptop to the old OS",
            "nothing",
            None,
            &[][..],
        ),
        (
            "rolled the endpoint back to v12 after the latency alert",
            "change",
            Some(GATE),
            &[GATE][..],
        ),
        (
            "the ranker retraining job now pulls labels from the new annotations table",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "the `device` column gets two new values, tablet and tv",
            "change",
            Some(INTEG),
            &[UNIT, INTEG][..],
        ),
        (
            "our new churn model replaces the old one for every customer on monday",
            "change",
            Some(GATE),
            &[GATE][..],
        ),
        (
            "the nightly scorer now writes to scores_v3 instead of scores_v2",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "we make new pipeline for the store features, what tests?",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "the upstream clicks table now comes from the new streaming feed",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "first time the no-show model's scores reach the front desk in prod",
            "change",
            Some(GATE),
            &[INTEG, GATE][..],
        ),
        (
            "flipped `use_bf16` to true in the serving config",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
    ] {
        assert_reads(text, reading, primary, scopes);
    }
}

/// The readings of the `advice46` round: shorthand that is an ML term only in
/// context or before a value, a contrastive "not", a library set against
/// another, "everything else same", counted shorthand typed against its
/// number, an identifier moved by an arrow, and "X only," closing its phrase.
#[test]
fn shorthand_and_swaps_of_the_advice46_round() {
    const U: &str = "unit";
    const I: &str = "integration";
    for (text, reading, primary, scopes) in [
        (
            "bs for the offsite dinner = 12 ppl, pls +1 if coming",
            "nothing",
            None,
            &[][..],
        ),
        (
            "the hp printer on floor 3 is jammed again",
            "nothing",
            None,
            &[][..],
        ),
        ("lr 3e-4 → 1e-4", "change", Some(I), &[I][..]),
        ("bumped lr", "change", Some(I), &[I][..]),
        ("lr and wd both halved", "change", Some(I), &[I][..]),
        (
            "the feature job is in spark not pandas now",
            "change",
            Some(I),
            &[I][..],
        ),
        (
            "the FE job runs in spark now, not pandas",
            "change",
            Some(I),
            &[I][..],
        ),
        (
            "churn model is lightgbm now, not xgboost",
            "change",
            Some(I),
            &[I][..],
        ),
        (
            "optimizer adam → sgd, everything else same",
            "change",
            Some(I),
            &[I][..],
        ),
        (
            "serving points at the ep12 ckpt now",
            "change",
            Some(I),
            &[I][..],
        ),
        (
            "FS tbl PK (user_id → user_id, ts)",
            "change",
            Some(I),
            &[I][..],
        ),
        (
            "get_cosine_schedule_with_warmup instead of a constant lr",
            "change",
            Some(I),
            &[I][..],
        ),
        (
            "docs only, README w/ the retrain cmd",
            "change",
            Some(U),
            &[U][..],
        ),
    ] {
        assert_reads(text, reading, primary, scopes);
    }
}

// advice44 round: general questions and beliefs with no change.
#[test]
fn questions_and_beliefs_of_the_advice44_round() {
    for (text, reading, primary, scopes) in [
        // A kind of change named first covers the change words after it.
        (
            "if someone swaps the tokenizer, do we need to retrain and redeploy?",
            "question",
            Some(INTEG),
            &[UNIT, INTEG][..],
        ),
        // "gets" and a participle: what happens each time.
        (
            "when a library gets upgraded, which stage is meant to catch it?",
            "question",
            Some(INTEG),
            &[INTEG][..],
        ),
        // "what's" asks, with or without its question mark.
        (
            "what's the difference between the staging and prod workspaces",
            "question",
            None,
            &[][..],
        ),
        // What the subject is measured against is not asked about.
        (
            "what does an integration test prove that unit tests can't?",
            "question",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "what does staging buy us over dev?",
            "question",
            Some(INTEG),
            &[INTEG][..],
        ),
        // "prod-like" names no stage.
        (
            "how much prod-like traffic should the staging load test use?",
            "question",
            Some(INTEG),
            &[INTEG][..],
        ),
        // "why can't" about a thing asks; "why bother ... at all?" asks what
        // it is for.
        (
            "why can't unit tests find a schema mismatch?",
            "question",
            Some(UNIT),
            &[UNIT][..],
        ),
        (
            "why bother with a dev workspace at all?",
            "question",
            None,
            &[][..],
        ),
        // A filler before the question word.
        (
            "like what does prod check that staging can't",
            "question",
            None,
            &[][..],
        ),
        // Skew caught, and a thing tested in isolation, name kinds of test.
        (
            "which test catches skew between the online and offline features?",
            "question",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "how do I test the tokenizer in isolation?",
            "question",
            Some(UNIT),
            &[UNIT][..],
        ),
        // Beliefs with no change.
        (
            "the model's just a pickle, copying it over needs no tests",
            "belief",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "prod is where real testing happens anyway",
            "belief",
            Some(INTEG),
            &[INTEG][..],
        ),
        // "new" set against "same" in a claim is its premise, not a change.
        (
            "new data, same code, nothing to check",
            "belief",
            Some(INTEG),
            &[INTEG][..],
        ),
    ] {
        assert_reads(text, reading, primary, scopes);
    }
}

/// advice47 round: several changes in one message. A revert in a later
/// sentence takes back the item it names and nothing else the same rule
/// knows; a retrain still makes a new model beside a function fix; packages,
/// upstream rows, label thresholds and new joins are changes of their own.
#[test]
fn several_changes_keep_what_stands_and_drop_what_was_reverted() {
    for &(text, reading, primary, scopes) in &[
        (
            "bumped num_leaves and fixed `clean_zip()`. actually I reverted the num_leaves part",
            "change",
            Some(UNIT),
            &[UNIT][..],
        ),
        (
            "bumped lr to 3e-4 and fixed `clean_zip()`. I reverted the batch size change from last week",
            "change",
            Some(INTEG),
            &[UNIT, INTEG][..],
        ),
        (
            "bumped lr on the ranker. reverted it this morning, so now it's only the `clip()` fix",
            "change",
            Some(UNIT),
            &[UNIT][..],
        ),
        (
            "retrained the eta model on october data, plus a fix to `parse_eta()`",
            "change",
            Some(INTEG),
            &[UNIT, INTEG][..],
        ),
        (
            "bumped fastapi 0.110 → 0.115 in the serving image",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "the upstream clicks feed now includes bot traffic",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "the fraud label went from 60 to 90 days after the chargeback",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
        (
            "wrote a new join between `orders` and `refunds` for the training set",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
    ] {
        assert_reads(text, reading, primary, scopes);
    }
}

#[test]
fn questions_and_hotfixes_of_the_advice50_round() {
    for (text, reading, primary, scopes) in [
        // A condition clause before the question word, no `?`.
        (
            "when someone changes the tokenizer vocabulary, which tests are meant to catch it",
            "question",
            Some(INTEG),
            &[UNIT, INTEG][..],
        ),
        // "really" before the need stresses the question; it does not argue.
        (
            "do we really need integration tests for a batch scoring job that only runs once a week",
            "question",
            Some(INTEG),
            &[INTEG][..],
        ),
        // Deciding between two scopes compares them.
        (
            "how do you decide whether something deserves an integration test or just a unit test?",
            "question",
            None,
            &[UNIT, INTEG][..],
        ),
        // The test asked for is written; nothing changed.
        (
            "what kind of test do I write for a function that parses dates?",
            "question",
            Some(UNIT),
            &[UNIT][..],
        ),
        // "a validation AUC" is an offline number; "free" a verdict on a cost.
        (
            "a better validation AUC is all the evidence anyone needs to go live",
            "belief",
            Some(GATE),
            &[GATE][..],
        ),
        (
            "the predictions table is only read by our own dashboard so changing its columns is free",
            "belief",
            Some(INTEG),
            &[INTEG][..],
        ),
        // What someone told me is their belief, asked about.
        (
            "someone told me unit tests are all you need for ML pipelines. true?",
            "question",
            None,
            &[][..],
        ),
        // Skipping staging asked about for a hotfix: the hotfix decides.
        (
            "is it ok to skip staging for a hotfix?",
            "question",
            Some(GATE),
            &[UNIT, INTEG, GATE][..],
        ),
        // A hotfix beside "skip staging" still has to reach prod.
        (
            "we have a hotfix for the scoring endpoint, ok to skip staging?",
            "change",
            Some(GATE),
            &[UNIT, INTEG, GATE][..],
        ),
    ] {
        assert_reads(text, reading, primary, scopes);
    }
}

#[test]
fn docs_and_tests_changes_of_the_advice70_round() {
    for (text, reading, primary, scopes) in [
        // A change played down with its pointer left out is this change,
        // and the heavy tests someone wants for it are over-testing.
        (
            "just a README fix but Dana wants the full staging e2e before we merge",
            "change",
            Some(UNIT),
            &[UNIT][..],
        ),
        // A release denied for now claims nothing; the docs and tests stand.
        (
            "nothing ships this week — PR only has the README and a couple of tests",
            "change",
            Some(UNIT),
            &[UNIT][..],
        ),
        // Where nothing moved bounds the change; a verdict beside it does not
        // make the message a belief, nor a modal without its subject a question.
        (
            "docs+tests only. Nothing in `src/`. Should be a quick one",
            "change",
            Some(UNIT),
            &[UNIT][..],
        ),
        // A talk's title, after "the" and a name, is what the talk argues;
        // a verdict on the talk voices no belief.
        (
            "the PyData talk 'Why your offline metrics lie' is up on youtube, really good one",
            "nothing",
            None,
            &[][..],
        ),
        // What is mocked or parametrized in the tests is what they exercise.
        (
            "mocked the feature store client in the unit tests so they stop hitting the staging workspace",
            "change",
            Some(UNIT),
            &[UNIT][..],
        ),
        (
            "chore(tests): parametrize `test_collate_fn` over batch sizes 1, 7 and 64. src untouched",
            "change",
            Some(UNIT),
            &[UNIT][..],
        ),
    ] {
        assert_reads(text, reading, primary, scopes);
    }
}

/// advice72 round: stages compared with "vs", a condition before a question
/// with no `?`, a participle before a bare plural in a question, and a
/// retrain named as what a change is for.
#[test]
fn questions_and_claims_of_the_advice72_round() {
    for (text, reading, primary, scopes) in [
        // Stages set against each other are compared; nothing moves.
        (
            "roughly how much testing belongs in dev vs staging vs prod? trying to write our team guidelines",
            "question",
            None,
            &[UNIT, INTEG, GATE][..],
        ),
        // A condition as the lead-in of a question that drops its `?`.
        (
            "genuinely asking: when the hyperparameters of a model change, is a unit test enough or do you need more",
            "question",
            Some(INTEG),
            &[INTEG][..],
        ),
        // "retrained models" is a kind of model, not a retrain told.
        (
            "curious how other teams gate retrained models before the champion alias moves",
            "question",
            Some(GATE),
            &[GATE][..],
        ),
        // A request to explain asks.
        (
            "eli5 the difference between dev, staging and prod for ML testing",
            "question",
            None,
            &[UNIT, INTEG, GATE][..],
        ),
        // Someone else's rhetorical question, cited, is asked about.
        (
            "my colleague asks: why not run everything in prod and skip staging? what do I answer",
            "question",
            None,
            &[][..],
        ),
        // "so the nightly retrain stops failing" is what the change is for.
        (
            "set ModelValidation run_mode to dry_run on the churn job so the nightly retrain stops failing",
            "change",
            Some(INTEG),
            &[INTEG][..],
        ),
    ] {
        assert_reads(text, reading, primary, scopes);
    }
}

/// A question about one stage itself (what it is meant for, whether it is
/// needed, why there is one, what its job is against another stage) is answered with what the stage is for, not with its tests.
#[test]
fn a_question_about_a_stage_itself_is_answered_with_what_it_is_for() {
    for text in [
        "is the dev workspace intended for full retrains or for smoke checks?",
        "do we really need a prod environment for a nightly batch scorer?",
        "why is there a prod stage at all if we gate everything in staging?",
        "what is the test stage supposed to catch that dev can't?",
    ] {
        let advice = advise(&KB, text);
        assert_eq!(
            advice.reading.name(),
            "question",
            "{text:?}: {}",
            show(&advice)
        );
        assert_eq!(advice.primary_scope, None, "{text:?}: {}", show(&advice));
        assert!(advice.scopes.is_empty(), "{text:?}: {}", show(&advice));
        assert_eq!(advice.stages.len(), 1, "{text:?}: {}", show(&advice));
    }
    // Tests that are supposed to run somewhere are still asked for.
    let advice = advise(&KB, "what tests are supposed to run in staging?");
    assert_eq!(advice.scopes, [INTEG], "{}", show(&advice));
    // A point of view is no purpose: two stages stay side by side.
    let advice = advise(
        &KB,
        "what does staging add that dev doesn't, from a release point of view?",
    );
    assert_eq!(advice.stages, ["dev", "test"], "{}", show(&advice));
}

/// What a kind of test asked about would find is a failure that may happen:
/// "the" in it names the team's usual parts, so the question asks in
/// general; the writer's own fix still makes a change.
#[test]
fn what_a_kind_of_test_finds_is_no_change_made() {
    assert_reads(
        "which test catches the off-by-one between the label window and the scoring window?",
        "question",
        Some(INTEG),
        &[INTEG],
    );
    let advice = advise(
        &KB,
        "what test catches the bug I just fixed in our `parse_ts()`?",
    );
    assert_eq!(advice.reading.name(), "change", "{}", show(&advice));
}

/// A question that names every scope asks about the whole plan, which
/// leads with none of them.
#[test]
fn a_question_naming_every_scope_is_the_plan_without_a_primary() {
    for text in [
        "checking I got it: unit tests run in dev, integration tests in staging, release gates in prod. correct?",
        "do unit, integration and release-gating tests each have their own stage?",
    ] {
        assert_reads(text, "question", None, &[UNIT, INTEG, GATE]);
    }
}

#[test]
fn a_claim_about_a_new_thing_or_a_need_denied_for_it_reports_the_change() {
    for text in [
        "the new dropout on the tagger is purely a training concern",
        "any workspace will do for testing the new scoring job",
        "Sam reckons the new feature join doesn't need a staging run since it passed in dev. fair enough",
    ] {
        assert_eq!(advise(&KB, text).reading.name(), "change", "{text}");
    }
    // A state that still holds, and a tag after a statement about no one
    // change, leave a claim a belief.
    for text in [
        "setting the bias check to warn-only is harmless, the scores are still logged",
        "swapping the optimizer only matters to the trainer, right?",
        "IT set up the desks for the new hires, they arrive monday",
    ] {
        assert_ne!(advise(&KB, text).reading.name(), "change", "{text}");
    }
    // Without "new", the verdict on any one of a kind speaks of all cases.
    assert_eq!(
        advise(&KB, "any cluster is fine for a staging run")
            .reading
            .name(),
        "belief"
    );
    // A need that goes on to a change verb still denies the change.
    assert_ne!(
        advise(&KB, "the lr doesn't need to change").reading.name(),
        "change"
    );
}

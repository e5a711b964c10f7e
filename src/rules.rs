//! Rules: their format, the condition language, and the catalog that holds them.

#[cfg(test)]
mod bake;
// Generated: the built-in catalog, compiled (see `bake.rs`).
#[rustfmt::skip]
mod baked;
mod condition;
mod error;
pub mod level;
pub mod obligations;
mod packed;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::document::{Document, Format, Position, hex};
use crate::schema::Schema;

pub use crate::vocabulary::{Relation, Severity, Text};
pub use condition::{Comparison, Condition, Constant, Leaf, Op, plain, write_plain};
pub(crate) use condition::{Step, field_paths, fields_within};
pub use error::RuleError;
pub use level::{Level, LevelModel};

/// A rule's severity at each impact level: obligations grow with the level, as in
/// Canada's Algorithmic Impact Assessment (due diligence, say, low at I and high from III).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Severities([Severity; 4]);

impl Severities {
    /// The same severity at every level.
    pub fn uniform(severity: Severity) -> Severities {
        Severities([severity; 4])
    }

    /// The severity at a level (`prohibited` counts as IV).
    pub fn at(self, level: Level) -> Severity {
        self.0[level.index()]
    }

    /// The highest severity, at the levels it reaches.
    pub fn highest(self) -> Severity {
        self.0.iter().copied().max().unwrap_or(Severity::Info)
    }

    /// Whether the severity is the same at every level.
    pub fn is_uniform(self) -> bool {
        self.0.iter().all(|s| *s == self.0[0])
    }

    /// Whether the rule is a red line.
    pub fn is_blocker(self) -> bool {
        self.highest() == Severity::Blocker
    }

    /// Each change of severity from `from` up: `[(I, low), (III, high)]`.
    pub fn steps(self, from: Level) -> Vec<(Level, Severity)> {
        let mut out: Vec<(Level, Severity)> = Vec::new();
        for level in Level::IMPACT.into_iter().skip(from.index()) {
            let s = self.at(level);
            if out.last().is_none_or(|(_, last)| *last != s) {
                out.push((level, s));
            }
        }
        out
    }

    /// In words, from the level the rule applies at: `high`, or `low at I-II, high from III`.
    pub fn describe(self, from: Level) -> String {
        let steps = self.steps(from);
        if steps.len() == 1 {
            return steps[0].1.as_str().to_string();
        }
        let mut parts = Vec::with_capacity(steps.len());
        for (i, (level, severity)) in steps.iter().enumerate() {
            match steps.get(i + 1) {
                None => parts.push(format!("{severity} from {level}")),
                Some((next, _)) => {
                    let last = Level::IMPACT[next.index() - 1];
                    if last == *level {
                        parts.push(format!("{severity} at {level}"));
                    } else {
                        parts.push(format!("{severity} at {level}-{last}"));
                    }
                }
            }
        }
        parts.join(", ")
    }
}

impl Serialize for Severities {
    /// One severity when it is the same at every level, else a map from each level where
    /// it changes, as rule files write it.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_uniform() {
            return self.0[0].serialize(serializer);
        }
        let steps = self.steps(Level::I);
        let map: BTreeMap<&str, Severity> = steps.iter().map(|(l, s)| (l.as_str(), *s)).collect();
        map.serialize(serializer)
    }
}

/// A severity as a rule file writes it: one for every level, or one per level.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawSeverity {
    One(Severity),
    ByLevel(BTreeMap<Level, Severity>),
}

/// Where a rule comes from in the policy texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Document id, from `seeds/index.yaml`.
    pub document: Text,
    /// Call-to-action id, from `seeds/calls-to-action.yaml`.
    pub call: Text,
    /// The sentence the rule encodes, verbatim.
    pub quote: Text,
}

/// The documentation sections `explain` prints.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDocs {
    /// What the rule checks.
    pub what_it_checks: Text,
    /// Why it matters.
    pub why_it_matters: Text,
    /// An optional example.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Text>,
}

/// A matching provision in another framework (`seeds/frameworks.yaml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Crosswalk {
    /// Framework id, e.g. `eu-ai-act`.
    pub framework: Text,
    /// Provision within it, as the framework file lists it, e.g. `Art. 14`.
    pub provision: Text,
    /// How what the rule checks relates to what the provision asks.
    pub relation: Relation,
}

impl Crosswalk {
    /// `EU AI Act Art. 14 (related)`, with the framework's short name when it is known.
    pub fn label(&self) -> String {
        let name = crate::seeds::framework(&self.framework)
            .map_or_else(|| self.framework.clone(), |f| f.short.as_str().into());
        format!("{name} {} ({})", self.provision, self.relation.as_str())
    }
}

/// One rule, ready to evaluate.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    /// Stable id, e.g. `RC-OVS-001`.
    pub id: Text,
    /// What a compliant system does.
    pub title: Text,
    /// Theme, e.g. `human-oversight`.
    pub theme: Text,
    /// Severity of a gap, at each impact level.
    pub severity: Severities,
    /// Calls to action it encodes (shared with the findings about it).
    pub sources: Arc<[Source]>,
    /// When the rule applies; always when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applies_when: Option<Condition>,
    /// What it requires.
    pub requires: Condition,
    /// Question for the vendor when the answer is unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<Text>,
    /// The lowest impact level the rule applies at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applies_from: Option<Level>,
    /// How to close the gap.
    pub remediation: Text,
    /// Documentation sections.
    pub docs: RuleDocs,
    /// Matching provisions elsewhere (shared with the findings about it).
    #[serde(skip_serializing_if = "<[Crosswalk]>::is_empty")]
    pub crosswalk: Arc<[Crosswalk]>,
    /// The file the rule was read from.
    pub file: Text,
    /// Where in that file.
    #[serde(skip)]
    pub position: Position,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Text,
    title: Text,
    theme: Text,
    severity: RawSeverity,
    sources: Vec<Source>,
    #[serde(default)]
    applies_when: Option<Value>,
    requires: Value,
    #[serde(default)]
    question: Option<Text>,
    #[serde(default)]
    applies_from: Option<Level>,
    remediation: Text,
    docs: RuleDocs,
    #[serde(default)]
    crosswalk: Vec<Crosswalk>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    rules: Vec<RawRule>,
}

/// A rule that no longer exists: its id is never reused, and this says why it went.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retired {
    /// The id it had.
    pub id: Text,
    /// The title it had.
    pub title: Text,
    /// Why it was retired.
    pub reason: Text,
    /// The rules to look at instead.
    #[serde(default)]
    pub see: Vec<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RetiredFile {
    retired: Vec<Retired>,
}

/// The built-in list of retired rules, relative to `rules/`.
const RETIRED_PATH: &str = "retired/retired.yaml";

/// A rule id that was renamed: the old id answers with the new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Redirect {
    /// The id the rule had.
    pub from: String,
    /// The id it has now.
    pub to: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedirectFile {
    redirects: Vec<Redirect>,
}

/// The built-in renamed rule ids (not part of the catalog's digest: they change no rule).
const REDIRECTS_PATH: &str = "rules/retired/redirects.yaml";

/// The built-in redirects, each checked: the old id is no rule's and no retired rule's, and
/// the new one is a rule of the catalog.
fn builtin_redirects(catalog: &Catalog) -> Result<Vec<Redirect>, RuleError> {
    let text = crate::data::file(REDIRECTS_PATH).unwrap_or_default();
    let file: RedirectFile = serde_saphyr::from_str(text)
        .map_err(|e| RuleError::Builtin(format!("{REDIRECTS_PATH}: {e}")))?;
    for r in &file.redirects {
        let taken = catalog.get(&r.from).is_some() || catalog.retired(&r.from).is_some();
        if taken || catalog.get(&r.to).is_none() {
            return Err(RuleError::Builtin(format!(
                "{REDIRECTS_PATH}: `{}` to `{}`: the old id must belong to no rule and the new one to a rule",
                r.from, r.to
            )));
        }
    }
    Ok(file.redirects)
}

/// A set of rules with a digest that identifies it.
#[derive(Debug, Clone)]
pub struct Catalog {
    rules: Vec<Rule>,
    /// Rules that no longer exist.
    pub retired: Vec<Retired>,
    /// Rule ids that were renamed.
    pub redirects: Vec<Redirect>,
    /// The impact-level model rules are applied with.
    pub level_model: LevelModel,
    /// SHA-256 over every file's name and bytes, in name order.
    pub sha256: String,
    /// Where the rules came from: `built-in` and any packs added.
    pub origins: Vec<String>,
}

impl Catalog {
    /// The catalog embedded in the binary, loaded once per process.
    ///
    /// `build.rs` has already read its files into constant trees, checked each rule file
    /// against the rule schema and computed the digest, so only what depends on the code
    /// is done here: reading the trees, compiling the conditions and the level model.
    /// Anything wrong is an error, never a smaller catalog.
    pub fn builtin() -> Result<&'static Catalog, RuleError> {
        static CELL: OnceLock<Result<Catalog, String>> = OnceLock::new();
        let loaded = CELL.get_or_init(|| Catalog::prepared().map_err(|e| e.to_string()));
        loaded
            .as_ref()
            .map_err(|message| RuleError::Builtin(message.clone()))
    }

    /// The built-in catalog: as compiled ahead of time (`baked.rs`) when it was compiled
    /// from the files built in, else compiled now from the files `build.rs` prepared.
    fn prepared() -> Result<Catalog, RuleError> {
        Catalog::prepared_from(crate::data::CATALOG_INPUTS_SHA256)
    }

    /// The built-in catalog for a build whose catalog files have the digest `inputs`.
    fn prepared_from(inputs: &str) -> Result<Catalog, RuleError> {
        if baked::INPUTS == inputs {
            let texts = packed::Texts {
                all: baked::TEXT,
                offsets: baked::OFFSETS,
            };
            return packed::catalog(texts, baked::CODE)
                .map_err(|e| RuleError::Builtin(e.to_string()));
        }
        Catalog::compiled()
    }

    /// The built-in catalog, compiled from the files `build.rs` prepared.
    fn compiled() -> Result<Catalog, RuleError> {
        let mut rules = Vec::new();
        let mut problems = Vec::new();
        let mut level_model = None;
        let mut retired = Vec::new();
        // Every file is read before any condition is compiled: compiling needs the
        // descriptor schema's fields, which may still be being prepared on another thread.
        let mut files = Vec::with_capacity(crate::data::RULE_TREES.len());
        for (rel, tree) in crate::data::RULE_TREES {
            let name = format!("rules/{rel}");
            let invalid =
                |e: serde::de::value::Error| RuleError::Invalid(vec![format!("{name}: {e}")]);
            if *rel == level::BUILTIN_PATH {
                level_model = Some((Value::deserialize(*tree).map_err(invalid)?, name));
            } else if *rel == RETIRED_PATH {
                retired = RetiredFile::deserialize(*tree).map_err(invalid)?.retired;
            } else {
                files.push((RawFile::deserialize(*tree).map_err(invalid)?, name));
            }
        }
        for (raw, name) in files {
            // Positions are not kept for the built-in files: the document is empty.
            let doc = Document::from_value(&name, Value::Null, Format::Json);
            compile_file(&doc, raw, &mut rules, &mut problems);
        }
        let level_model = match level_model {
            Some((value, name)) => {
                let doc = Document::from_value(&name, value, Format::Json);
                Some(LevelModel::from_document(&name, &doc)?)
            }
            None => None,
        };
        let Some(level_model) = level_model else {
            return Err(RuleError::Builtin(format!(
                "rules/{} is missing",
                level::BUILTIN_PATH
            )));
        };
        let mut catalog = Catalog::assemble(
            "built-in",
            crate::data::RULES_SHA256.to_string(),
            level_model,
            retired,
            rules,
            problems,
        )?;
        catalog.redirects = builtin_redirects(&catalog)?;
        Ok(catalog)
    }

    /// Reads every `*.yaml`, `*.yml` and `*.json` rule file directly in `dir`, the level
    /// model in `dir/tiers/risk-level.yaml` and the retired rules in
    /// `dir/retired/retired.yaml` if there are (fixtures in
    /// `dir/fixtures/` are not rules).
    pub fn from_dir(dir: &Path) -> Result<Catalog, RuleError> {
        let entries = std::fs::read_dir(dir).map_err(|source| RuleError::Io {
            file: dir.display().to_string(),
            source,
        })?;
        let mut files = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| RuleError::Io {
                file: dir.display().to_string(),
                source,
            })?;
            let path = entry.path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if path.is_file() && is_rule_file(&name) {
                let bytes = crate::document::read_bounded(&path)?;
                files.push((path.display().to_string(), bytes));
            }
        }
        for extra in [level::BUILTIN_PATH, RETIRED_PATH] {
            let path = dir.join(extra);
            if path.is_file() {
                let bytes = crate::document::read_bounded(&path)?;
                files.push((path.display().to_string(), bytes));
            }
        }
        if files.is_empty() {
            return Err(RuleError::EmptyPack {
                dir: dir.display().to_string(),
            });
        }
        Catalog::from_files(&dir.display().to_string(), &files)
    }

    /// Builds a catalog from named files.
    pub fn from_files(origin: &str, files: &[(String, Vec<u8>)]) -> Result<Catalog, RuleError> {
        let document = |name: &str, bytes: &[u8]| -> Result<Document, String> {
            Document::from_bytes(name, bytes, Format::from_name(name)).map_err(|e| e.to_string())
        };
        let mut files: Vec<&(String, Vec<u8>)> = files.iter().collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut hasher = Sha256::new();
        let mut rules = Vec::new();
        let mut problems = Vec::new();
        let mut level_model = None;
        let mut retired = Vec::new();
        for (name, bytes) in &files {
            hasher.update(name.rsplit('/').next().unwrap_or(name).as_bytes());
            hasher.update([0]);
            hasher.update(bytes);
            hasher.update([0]);
            if name.ends_with(level::BUILTIN_PATH) {
                match document(name, bytes).map(|doc| LevelModel::from_document(name, &doc)) {
                    Ok(Ok(model)) => level_model = Some(model),
                    Ok(Err(RuleError::Invalid(p))) => problems.extend(p),
                    Ok(Err(e)) => problems.push(e.to_string()),
                    Err(e) => problems.push(e),
                }
                continue;
            }
            if name.ends_with(RETIRED_PATH) {
                match document(name, bytes).and_then(|doc| {
                    serde_json::from_value::<RetiredFile>(doc.value)
                        .map_err(|e| format!("{name}: {e}"))
                }) {
                    Ok(file) => retired = file.retired,
                    Err(e) => problems.push(e),
                }
                continue;
            }
            match document(name, bytes)
                .map_err(|e| vec![e])
                .and_then(read_file)
            {
                Ok((doc, raw)) => compile_file(&doc, raw, &mut rules, &mut problems),
                Err(file_problems) => problems.extend(file_problems),
            }
        }
        let level_model = match level_model {
            Some(model) => model,
            None => Catalog::builtin()?.level_model.clone(),
        };
        Catalog::assemble(
            origin,
            hex(&hasher.finalize()),
            level_model,
            retired,
            rules,
            problems,
        )
    }

    /// A catalog of compiled rules, each id checked against the others and the retired
    /// ones; `problems` are those found while compiling.
    fn assemble(
        origin: &str,
        sha256: String,
        level_model: LevelModel,
        retired: Vec<Retired>,
        rules: Vec<Rule>,
        mut problems: Vec<String>,
    ) -> Result<Catalog, RuleError> {
        let mut catalog = Catalog {
            level_model,
            retired,
            redirects: Vec::new(),
            rules: Vec::new(),
            sha256,
            origins: vec![origin.to_string()],
        };
        for rule in rules {
            if let Err(err) = catalog.push(rule) {
                problems.push(err.to_string());
            }
        }
        if !problems.is_empty() {
            return Err(RuleError::Invalid(problems));
        }
        catalog.rules.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(catalog)
    }

    fn push(&mut self, rule: Rule) -> Result<(), RuleError> {
        if let Some(gone) = self.retired(&rule.id) {
            return Err(RuleError::Invalid(vec![format!(
                "{}:{}:{}: rule id `{}` belonged to a rule that was retired (\"{}\"); ids are never reused\n  help: give the rule a new id",
                rule.file, rule.position.line, rule.position.column, rule.id, gone.title
            )]));
        }
        if let Some(existing) = self.rules.iter().find(|r| r.id == rule.id) {
            return Err(RuleError::DuplicateId {
                id: rule.id.to_string(),
                first: existing.file.to_string(),
                second: format!(
                    "{}:{}:{}",
                    rule.file, rule.position.line, rule.position.column
                ),
            });
        }
        self.rules.push(rule);
        Ok(())
    }

    /// Adds a pack's rules; an id both define is an error.
    pub fn extend(&mut self, pack: Catalog) -> Result<(), RuleError> {
        let mut hasher = Sha256::new();
        hasher.update(self.sha256.as_bytes());
        hasher.update(pack.sha256.as_bytes());
        for rule in pack.rules {
            self.push(rule)?;
        }
        self.redirects.extend(pack.redirects);
        for gone in pack.retired {
            if self.retired(&gone.id).is_none() {
                self.retired.push(gone);
            }
        }
        self.rules.sort_by(|a, b| a.id.cmp(&b.id));
        self.sha256 = hex(&hasher.finalize());
        self.origins.extend(pack.origins);
        Ok(())
    }

    /// Keeps the rules `keep` accepts, after it has adjusted them: how a profile tailors a
    /// catalog (the digest still names the rule files; the profile is recorded beside it).
    pub fn retain_mut(&mut self, keep: impl FnMut(&mut Rule) -> bool) {
        self.rules.retain_mut(keep);
    }

    /// The rules, sorted by id.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// A retired rule by id (case-insensitive).
    pub fn retired(&self, id: &str) -> Option<&Retired> {
        self.retired.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    }

    /// Where a renamed rule id leads (case-insensitive).
    pub fn redirect(&self, id: &str) -> Option<&Redirect> {
        self.redirects
            .iter()
            .find(|r| r.from.eq_ignore_ascii_case(id))
    }

    /// A rule by id (case-insensitive).
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    }

    /// Ids close to a mistyped one.
    pub fn suggest(&self, id: &str) -> Option<String> {
        let ids: Vec<String> = self.rules.iter().map(|r| r.id.to_string()).collect();
        crate::schema::did_you_mean(&id.to_uppercase(), &ids)
    }

    /// Number of rules per theme.
    pub fn themes(&self) -> BTreeMap<&str, usize> {
        let mut out = BTreeMap::new();
        for rule in &self.rules {
            *out.entry(rule.theme.as_str()).or_insert(0) += 1;
        }
        out
    }
}

/// The built-in fixture files: (path relative to `rules/`, contents).
pub fn builtin_fixtures() -> impl Iterator<Item = (&'static str, &'static str)> {
    crate::data::folder("rules").filter(|(name, _)| name.starts_with("fixtures/"))
}

fn is_rule_file(name: &str) -> bool {
    !name.contains('/')
        && Path::new(name).extension().is_some_and(|e| {
            ["yaml", "yml", "json"]
                .iter()
                .any(|x| e.eq_ignore_ascii_case(x))
        })
}

/// A rule file read and checked against the rule format, or what is wrong with it.
type ReadFile = Result<(Document, RawFile), Vec<String>>;

/// One rule file, checked against the rule format.
fn read_file(doc: Document) -> ReadFile {
    let schema = Schema::rule().map_err(|e| vec![e.to_string()])?;
    let issues = schema.validate(&doc).map_err(|e| vec![e.to_string()])?;
    if !issues.is_empty() {
        return Err(issues.iter().map(ToString::to_string).collect());
    }
    let raw = RawFile::deserialize(&doc.value).map_err(|e| vec![format!("{}: {e}", doc.name)])?;
    Ok((doc, raw))
}

fn compile_file(doc: &Document, raw: RawFile, rules: &mut Vec<Rule>, problems: &mut Vec<String>) {
    for (idx, raw) in raw.rules.into_iter().enumerate() {
        let base = format!("/rules/{idx}");
        let mut ctx = condition::Compiler::new(doc, problems, &raw.id, true);
        let applies_when = raw
            .applies_when
            .as_ref()
            .and_then(|v| ctx.compile(v, &format!("{base}/applies_when")));
        ctx.applicability = false;
        let requires = ctx.compile(&raw.requires, &format!("{base}/requires"));
        let severity = severities(doc, &raw, &base, problems);
        let applies_ok = raw.applies_when.is_none() || applies_when.is_some();
        if let (Some(requires), Some(severity), true) = (requires, severity, applies_ok) {
            let remediation = match raw.remediation.trim() {
                trimmed if trimmed.len() == raw.remediation.len() => raw.remediation,
                trimmed => trimmed.into(),
            };
            rules.push(Rule {
                id: raw.id,
                title: raw.title,
                theme: raw.theme,
                severity,
                sources: raw.sources.into(),
                applies_when,
                requires,
                question: raw.question,
                applies_from: raw.applies_from,
                remediation,
                docs: raw.docs,
                crosswalk: raw.crosswalk.into(),
                file: doc.name.as_str().into(),
                position: doc.position_of(&base),
            });
        }
    }
}

/// A rule's severity at each level, checked: a map starts at the level the rule applies
/// from, and a red line applies at every level with one severity.
fn severities(
    doc: &Document,
    raw: &RawRule,
    base: &str,
    problems: &mut Vec<String>,
) -> Option<Severities> {
    let from = raw.applies_from.unwrap_or(Level::I);
    let mut problem = |pointer: &str, message: String, help: &str| {
        let pos = doc.position_of(pointer);
        problems.push(format!(
            "{}:{}:{}: rule `{}`: {message}\n  help: {help}",
            doc.name, pos.line, pos.column, raw.id
        ));
    };
    if raw.applies_from == Some(Level::Prohibited) || raw.applies_from == Some(Level::I) {
        problem(
            &format!("{base}/applies_from"),
            "`applies_from` must be `II`, `III` or `IV`".to_string(),
            "leave it out for a rule that applies at every level",
        );
        return None;
    }
    match &raw.severity {
        RawSeverity::One(severity) => {
            if *severity == Severity::Blocker && raw.applies_from.is_some() {
                problem(
                    &format!("{base}/applies_from"),
                    "a red line (`blocker`) applies at every level".to_string(),
                    "remove `applies_from`, or give the rule a lower severity",
                );
                return None;
            }
            Some(Severities::uniform(*severity))
        }
        RawSeverity::ByLevel(map) => {
            let first = map.keys().next().copied().unwrap_or(Level::I);
            if first != from || map.contains_key(&Level::Prohibited) {
                problem(
                    &format!("{base}/severity"),
                    format!(
                        "the severity by level must start at the level the rule applies from (`{from}`), and name only levels I to IV"
                    ),
                    "e.g. `severity: {I: low, III: high}`, or with `applies_from: II`, `severity: {II: medium, III: high}`",
                );
                return None;
            }
            if map.values().any(|s| *s == Severity::Blocker) {
                problem(
                    &format!("{base}/severity"),
                    "a red line (`blocker`) has the same severity at every level".to_string(),
                    "write `severity: blocker`",
                );
                return None;
            }
            let mut out = [Severity::Info; 4];
            let mut current = map.values().next().copied().unwrap_or(Severity::Info);
            for level in Level::IMPACT {
                if let Some(s) = map.get(&level) {
                    current = *s;
                }
                out[level.index()] = current;
            }
            Some(Severities(out))
        }
    }
}

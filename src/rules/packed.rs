//! The built-in catalog, compiled ahead of time, as data: one string holding every text,
//! where each text starts (`OFFSETS`), and a list of bytes describing the rules, their
//! conditions and the level model, with each text given by its number.
//!
//! Written as Rust expressions, the same catalog was 450 KB of code, run once at every
//! start and never again: a run that found it cold (a command typed now and then) spent
//! more time fetching those instructions than following them. As data it is read by the
//! short loops below, and its texts are used where they lie in the binary, never copied.
//! Nothing in it is a pointer, so the loader has nothing to fix up in it at start.
//!
//! Each type is written (`Pack`, used only by `bake.rs` when it writes `baked.rs`) and read
//! back (`Unpack`) field by field, in the same order, from one list of fields per type
//! (`packed_structs!`), so that the two cannot drift apart. The test in `bake.rs` checks
//! that what is read back is what compiling the rule files gives.

use std::sync::{Arc, OnceLock};

use super::level::{Combine, Factor, Floor, LevelDef, LevelModel, Measure, Mitigation, Variable};
use super::{
    Catalog, Comparison, Condition, Constant, Crosswalk, Leaf, Level, Op, Redirect, Relation,
    Retired, Rule, RuleDocs, Severities, Severity, Source, Text,
};
use crate::document::Position;

/// Where and why the packed catalog could not be read: a build problem, never a user one.
#[derive(Debug)]
pub(super) struct Damaged {
    at: usize,
    what: &'static str,
}

impl std::fmt::Display for Damaged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the compiled catalog is damaged at byte {}: {}; rebuild, or write it again with `RIGHTSCHECK_BAKE=1 cargo test --lib bake`",
            self.at, self.what
        )
    }
}

/// The texts of a packed catalog: text `i` is `all[offsets[i]..offsets[i + 1]]`.
#[derive(Clone, Copy)]
pub(super) struct Texts {
    pub all: &'static str,
    pub offsets: &'static [u32],
}

/// Reads the catalog packed in `code`, whose texts are `texts`.
pub(super) fn catalog(texts: Texts, code: &[u8]) -> Result<Catalog, Damaged> {
    let mut r = Reader {
        texts,
        code,
        at: 0,
        depth: 0,
        damaged: None,
    };
    let catalog = Catalog::unpack(&mut r);
    if r.damaged.is_none() && r.at != code.len() {
        r.fail("bytes left after the catalog");
    }
    match r.damaged {
        Some(damaged) => Err(damaged),
        None => Ok(catalog),
    }
}

/// How deep conditions may nest in a packed catalog: far deeper than any rule's, and
/// shallow enough for the stack whatever the bytes say.
const MAX_DEPTH: u32 = 64;

/// A place in the packed bytes.
///
/// A reader that meets damaged bytes records the first problem and from then on reads
/// zeros, which end every list: reading goes on to the end without a check at every
/// step, and the catalog read is then thrown away.
struct Reader<'a> {
    texts: Texts,
    code: &'a [u8],
    at: usize,
    depth: u32,
    damaged: Option<Damaged>,
}

impl Reader<'_> {
    #[cold]
    #[inline(never)]
    fn fail(&mut self, what: &'static str) {
        if self.damaged.is_none() {
            self.damaged = Some(Damaged { at: self.at, what });
        }
        // Nothing more is read.
        self.at = self.code.len();
    }

    #[inline]
    fn byte(&mut self) -> u8 {
        if let Some(&byte) = self.code.get(self.at) {
            self.at += 1;
            byte
        } else {
            self.fail("it ends too soon");
            0
        }
    }

    /// An unsigned number, seven bits to a byte, lowest first (LEB128).
    #[inline]
    fn number(&mut self) -> u64 {
        // Most numbers of the catalog are below 128, one byte; nearly all the others
        // (texts' numbers) below 16,384, two.
        let first = self.byte();
        if first < 0x80 {
            return u64::from(first);
        }
        let second = self.byte();
        let value = u64::from(first & 0x7f) | u64::from(second & 0x7f) << 7;
        if second < 0x80 {
            return value;
        }
        self.long_number(value)
    }

    #[inline(never)]
    fn long_number(&mut self, mut value: u64) -> u64 {
        for shift in (14..64).step_by(7) {
            let byte = self.byte();
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return value;
            }
        }
        self.fail("a number is too long");
        0
    }

    #[inline]
    fn index(&mut self) -> usize {
        let n = self.number();
        usize::try_from(n).unwrap_or_else(|_| {
            self.fail("a number is too large");
            0
        })
    }

    /// A text of the catalog, by its number.
    #[inline]
    fn text(&mut self) -> &'static str {
        let i = self.index();
        let Texts { all, offsets } = self.texts;
        let found = match (offsets.get(i), offsets.get(i.wrapping_add(1))) {
            (Some(&start), Some(&end)) => all.get(start as usize..end as usize),
            _ => None,
        };
        found.unwrap_or_else(|| {
            self.fail("a text lies outside the string of texts");
            ""
        })
    }

    /// The number of items of a list, checked against the bytes left (every item takes
    /// one at least), so that a damaged length cannot ask for a huge allocation.
    #[inline]
    fn len(&mut self) -> usize {
        let len = self.index();
        if len > self.code.len() - self.at {
            self.fail("a list is longer than the bytes left");
            return 0;
        }
        len
    }
}

/// Written into the packed catalog by `bake.rs`.
#[cfg(test)]
pub(super) use pack::{Pack, Packer};

/// A value read back from the packed catalog.
trait Unpack: Sized {
    fn unpack(r: &mut Reader<'_>) -> Self;
}

impl Unpack for Text {
    #[inline]
    fn unpack(r: &mut Reader<'_>) -> Self {
        Text::Static(r.text())
    }
}

impl Unpack for String {
    fn unpack(r: &mut Reader<'_>) -> Self {
        r.text().to_string()
    }
}

impl Unpack for &'static str {
    fn unpack(r: &mut Reader<'_>) -> Self {
        r.text()
    }
}

impl Unpack for bool {
    #[inline]
    fn unpack(r: &mut Reader<'_>) -> Self {
        match r.byte() {
            0 => false,
            1 => true,
            _ => {
                r.fail("a yes or no is neither");
                false
            }
        }
    }
}

impl Unpack for u32 {
    #[inline]
    fn unpack(r: &mut Reader<'_>) -> Self {
        let n = r.number();
        u32::try_from(n).unwrap_or_else(|_| {
            r.fail("a number is too large");
            0
        })
    }
}

impl Unpack for usize {
    #[inline]
    fn unpack(r: &mut Reader<'_>) -> Self {
        r.index()
    }
}

impl Unpack for i64 {
    fn unpack(r: &mut Reader<'_>) -> Self {
        // Zigzag: 0, -1, 1, -2 … as 0, 1, 2, 3 …
        let n = r.number();
        let half = i64::try_from(n >> 1).unwrap_or_default();
        if n & 1 == 0 { half } else { -half - 1 }
    }
}

impl Unpack for f64 {
    fn unpack(r: &mut Reader<'_>) -> Self {
        f64::from_bits(r.number())
    }
}

impl<T: Unpack> Unpack for Option<T> {
    #[inline]
    fn unpack(r: &mut Reader<'_>) -> Self {
        match r.byte() {
            0 => None,
            1 => Some(T::unpack(r)),
            _ => {
                r.fail("an optional value is marked neither present nor absent");
                None
            }
        }
    }
}

impl<T: Unpack> Unpack for Vec<T> {
    fn unpack(r: &mut Reader<'_>) -> Self {
        let len = r.len();
        (0..len).map(|_| T::unpack(r)).collect()
    }
}

impl<T: Unpack> Unpack for Arc<[T]> {
    fn unpack(r: &mut Reader<'_>) -> Self {
        // Of a known length: collected straight into the one allocation it keeps.
        let len = r.len();
        (0..len).map(|_| T::unpack(r)).collect()
    }
}

/// Enums whose variants hold nothing, packed as their place in the list given.
macro_rules! packed_variants {
    ($($t:ident { $($variant:ident),* })*) => {
        $(impl Unpack for $t {
            #[inline]
            fn unpack(r: &mut Reader<'_>) -> Self {
                const ALL: &[$t] = &[$($t::$variant),*];
                let i = usize::from(r.byte());
                ALL.get(i).copied().unwrap_or_else(|| {
                    r.fail(concat!("not a ", stringify!($t)));
                    ALL[0]
                })
            }
        }
        #[cfg(test)]
        impl pack::Pack for $t {
            fn pack(&self, p: &mut pack::Packer) {
                const ALL: &[$t] = &[$($t::$variant),*];
                // Every variant is listed: the match fails to compile otherwise.
                match self { $($t::$variant)|* => {} }
                let i = ALL.iter().position(|v| v == self).unwrap_or_default();
                p.byte(u8::try_from(i).unwrap_or_default());
            }
        })*
    };
}

packed_variants! {
    Severity { Info, Low, Medium, High, Blocker }
    Level { I, II, III, IV, Prohibited }
    Relation { Equivalent, Narrower, Broader, Related }
    Comparison { GreaterThan, AtLeast, LessThan, AtMost }
    Combine { Highest, Sum }
}

/// Structs packed as their fields, in the order listed.
macro_rules! packed_structs {
    ($($name:ident { $($field:ident),* })*) => {
        $(impl Unpack for $name {
            fn unpack(r: &mut Reader<'_>) -> Self {
                $name { $($field: Unpack::unpack(r)),* }
            }
        }
        #[cfg(test)]
        impl pack::Pack for $name {
            fn pack(&self, p: &mut pack::Packer) {
                // Every field is listed: the pattern fails to compile otherwise.
                let $name { $($field),* } = self;
                $($field.pack(p);)*
            }
        })*
    };
}

packed_structs! {
    Position { line, column }
    Source { document, call, quote }
    RuleDocs { what_it_checks, why_it_matters, example }
    Crosswalk { framework, provision, relation }
    Retired { id, title, reason, see }
    Redirect { from, to }
    LevelDef { level, name, from_points, means }
    Factor { id, reason, score, could_reach, when }
    Variable { id, name, question, weight, combine, base, if_unknown, max, factors }
    Measure { id, reason, when }
    Mitigation { share, reduction, measures }
    Floor { id, level, reason, when }
    LevelModel { levels, variables, mitigation, floors }
    Rule {
        id, title, theme, severity, sources, applies_when, requires, question, applies_from,
        remediation, docs, crosswalk, file, position
    }
    Catalog { rules, retired, redirects, level_model, sha256, origins }
}

impl Unpack for Severities {
    fn unpack(r: &mut Reader<'_>) -> Self {
        Severities([
            Severity::unpack(r),
            Severity::unpack(r),
            Severity::unpack(r),
            Severity::unpack(r),
        ])
    }
}

impl Unpack for Leaf {
    fn unpack(r: &mut Reader<'_>) -> Self {
        Leaf {
            field: Unpack::unpack(r),
            pointer: Unpack::unpack(r),
            slot: Unpack::unpack(r),
            evidence_slot: Unpack::unpack(r),
            // Written the first time an observation needs them, as after compiling.
            expectations: OnceLock::new(),
            op: Unpack::unpack(r),
            param: Unpack::unpack(r),
            unanswered_false: Unpack::unpack(r),
        }
    }
}

/// The first byte of each kind of condition, value and test.
mod tag {
    pub const ALL: u8 = 0;
    pub const ANY: u8 = 1;
    pub const NOT: u8 = 2;
    pub const LEAF: u8 = 3;

    pub const FALSE: u8 = 1;
    pub const TRUE: u8 = 2;
    pub const UNSIGNED: u8 = 3;
    pub const SIGNED: u8 = 4;
    pub const FLOAT: u8 = 5;
    pub const TEXT: u8 = 6;

    pub const EQUALS: u8 = 0;
    pub const ONE_OF: u8 = 1;
    pub const CONTAINS_ANY: u8 = 2;
    pub const CONTAINS_ALL: u8 = 3;
    pub const CONTAINS_AT_LEAST: u8 = 4;
    pub const INCLUDES_ALL_OF_FIELD: u8 = 5;
    pub const COMPARE: u8 = 6;
    pub const OLDER_THAN_DAYS: u8 = 7;
    pub const NEWER_THAN_DAYS: u8 = 8;
}

impl Unpack for Condition {
    fn unpack(r: &mut Reader<'_>) -> Self {
        if r.depth >= MAX_DEPTH {
            r.fail("conditions nest too deep");
            return Condition::All(Box::default());
        }
        r.depth += 1;
        let condition = match r.byte() {
            tag::ALL => Condition::All(Vec::unpack(r).into_boxed_slice()),
            tag::ANY => Condition::Any(Vec::unpack(r).into_boxed_slice()),
            tag::NOT => Condition::Not(Box::new(Unpack::unpack(r))),
            tag::LEAF => Condition::Leaf(Box::new(Unpack::unpack(r))),
            _ => {
                r.fail("not a kind of condition");
                Condition::All(Box::default())
            }
        };
        r.depth -= 1;
        condition
    }
}

impl Unpack for Constant {
    fn unpack(r: &mut Reader<'_>) -> Self {
        match r.byte() {
            tag::FALSE => Constant::Bool(false),
            tag::TRUE => Constant::Bool(true),
            tag::UNSIGNED => Constant::Number(r.number().into()),
            tag::SIGNED => Constant::Number(i64::unpack(r).into()),
            tag::FLOAT => {
                if let Some(n) = serde_json::Number::from_f64(f64::unpack(r)) {
                    Constant::Number(n)
                } else {
                    r.fail("a number that is not finite");
                    Constant::Bool(false)
                }
            }
            tag::TEXT => Constant::Text(Unpack::unpack(r)),
            _ => {
                r.fail("not a kind of constant");
                Constant::Bool(false)
            }
        }
    }
}

impl Unpack for Op {
    fn unpack(r: &mut Reader<'_>) -> Self {
        match r.byte() {
            tag::EQUALS => Op::Equals(Unpack::unpack(r)),
            tag::ONE_OF => Op::OneOf(Unpack::unpack(r)),
            tag::CONTAINS_ANY => Op::ContainsAny(Unpack::unpack(r)),
            tag::CONTAINS_ALL => Op::ContainsAll(Unpack::unpack(r)),
            tag::CONTAINS_AT_LEAST => Op::ContainsAtLeast {
                count: Unpack::unpack(r),
                values: Unpack::unpack(r),
            },
            tag::INCLUDES_ALL_OF_FIELD => Op::IncludesAllOfField {
                field: Unpack::unpack(r),
                slot: Unpack::unpack(r),
            },
            tag::COMPARE => Op::Compare {
                comparison: Unpack::unpack(r),
                value: Unpack::unpack(r),
            },
            tag::OLDER_THAN_DAYS => Op::OlderThanDays(Unpack::unpack(r)),
            tag::NEWER_THAN_DAYS => Op::NewerThanDays(Unpack::unpack(r)),
            _ => {
                r.fail("not a kind of test");
                Op::Equals(Constant::Bool(false))
            }
        }
    }
}

/// Writing the catalog, for `bake.rs`.
#[cfg(test)]
mod pack {
    use std::collections::HashMap;
    use std::sync::Arc;

    use super::{Condition, Constant, Leaf, Op, Severities, Text, tag};

    /// The packed catalog being written: its bytes and its texts, each kept once however
    /// often it recurs, and written as its number.
    #[derive(Default)]
    pub struct Packer {
        pub code: Vec<u8>,
        pub texts: Vec<String>,
        numbers: HashMap<String, usize>,
    }

    impl Packer {
        pub fn byte(&mut self, byte: u8) {
            self.code.push(byte);
        }

        pub fn number(&mut self, mut n: u64) {
            loop {
                let low = (n & 0x7f) as u8;
                n >>= 7;
                if n == 0 {
                    self.code.push(low);
                    return;
                }
                self.code.push(low | 0x80);
            }
        }

        fn text(&mut self, text: &str) {
            let next = self.texts.len();
            let number = *self.numbers.entry(text.to_string()).or_insert(next);
            if number == next {
                self.texts.push(text.to_string());
            }
            self.number(number as u64);
        }
    }

    pub trait Pack {
        fn pack(&self, p: &mut Packer);
    }

    impl Pack for Text {
        fn pack(&self, p: &mut Packer) {
            p.text(self.as_str());
        }
    }

    impl Pack for String {
        fn pack(&self, p: &mut Packer) {
            p.text(self);
        }
    }

    impl Pack for str {
        fn pack(&self, p: &mut Packer) {
            p.text(self);
        }
    }

    impl Pack for bool {
        fn pack(&self, p: &mut Packer) {
            p.byte(u8::from(*self));
        }
    }

    impl Pack for u32 {
        fn pack(&self, p: &mut Packer) {
            p.number(u64::from(*self));
        }
    }

    impl Pack for usize {
        fn pack(&self, p: &mut Packer) {
            p.number(*self as u64);
        }
    }

    impl Pack for i64 {
        fn pack(&self, p: &mut Packer) {
            p.number(((*self << 1) ^ (*self >> 63)).cast_unsigned());
        }
    }

    impl Pack for f64 {
        fn pack(&self, p: &mut Packer) {
            p.number(self.to_bits());
        }
    }

    impl<T: Pack> Pack for Option<T> {
        fn pack(&self, p: &mut Packer) {
            match self {
                None => p.byte(0),
                Some(v) => {
                    p.byte(1);
                    v.pack(p);
                }
            }
        }
    }

    impl<T: Pack> Pack for [T] {
        fn pack(&self, p: &mut Packer) {
            p.number(self.len() as u64);
            for item in self {
                item.pack(p);
            }
        }
    }

    impl<T: Pack> Pack for Vec<T> {
        fn pack(&self, p: &mut Packer) {
            self.as_slice().pack(p);
        }
    }

    impl<T: Pack> Pack for Arc<[T]> {
        fn pack(&self, p: &mut Packer) {
            (**self).pack(p);
        }
    }

    impl<T: Pack + ?Sized> Pack for Box<T> {
        fn pack(&self, p: &mut Packer) {
            (**self).pack(p);
        }
    }

    impl Pack for Severities {
        fn pack(&self, p: &mut Packer) {
            for severity in &self.0 {
                severity.pack(p);
            }
        }
    }

    impl Pack for Leaf {
        fn pack(&self, p: &mut Packer) {
            // The written expectations are left out: they are written when first needed.
            let Leaf {
                field,
                pointer,
                slot,
                evidence_slot,
                expectations: _,
                op,
                param,
                unanswered_false,
            } = self;
            field.pack(p);
            pointer.pack(p);
            slot.pack(p);
            evidence_slot.pack(p);
            op.pack(p);
            param.pack(p);
            unanswered_false.pack(p);
        }
    }

    impl<T: Pack + ?Sized> Pack for &T {
        fn pack(&self, p: &mut Packer) {
            (**self).pack(p);
        }
    }

    impl<A: Pack, B: Pack> Pack for (A, B) {
        fn pack(&self, p: &mut Packer) {
            self.0.pack(p);
            self.1.pack(p);
        }
    }

    /// A kind's first byte, then what it holds.
    fn tagged(p: &mut Packer, tag: u8, content: &dyn Pack) {
        p.byte(tag);
        content.pack(p);
    }

    impl Pack for Condition {
        fn pack(&self, p: &mut Packer) {
            match self {
                Condition::All(c) => tagged(p, tag::ALL, c),
                Condition::Any(c) => tagged(p, tag::ANY, c),
                Condition::Not(c) => tagged(p, tag::NOT, c),
                Condition::Leaf(leaf) => tagged(p, tag::LEAF, leaf),
            }
        }
    }

    impl Pack for Constant {
        fn pack(&self, p: &mut Packer) {
            match self {
                Constant::Bool(false) => p.byte(tag::FALSE),
                Constant::Bool(true) => p.byte(tag::TRUE),
                Constant::Number(n) => {
                    if let Some(u) = n.as_u64() {
                        p.byte(tag::UNSIGNED);
                        p.number(u);
                    } else if let Some(i) = n.as_i64() {
                        tagged(p, tag::SIGNED, &i);
                    } else {
                        tagged(p, tag::FLOAT, &n.as_f64().unwrap_or_default());
                    }
                }
                Constant::Text(t) => tagged(p, tag::TEXT, t),
            }
        }
    }

    impl Pack for Op {
        fn pack(&self, p: &mut Packer) {
            match self {
                Op::Equals(v) => tagged(p, tag::EQUALS, v),
                Op::OneOf(v) => tagged(p, tag::ONE_OF, v),
                Op::ContainsAny(v) => tagged(p, tag::CONTAINS_ANY, v),
                Op::ContainsAll(v) => tagged(p, tag::CONTAINS_ALL, v),
                Op::ContainsAtLeast { count, values } => {
                    tagged(p, tag::CONTAINS_AT_LEAST, &(count, values));
                }
                Op::IncludesAllOfField { field, slot } => {
                    tagged(p, tag::INCLUDES_ALL_OF_FIELD, &(field, slot));
                }
                Op::Compare { comparison, value } => {
                    tagged(p, tag::COMPARE, &(comparison, value));
                }
                Op::OlderThanDays(n) => tagged(p, tag::OLDER_THAN_DAYS, n),
                Op::NewerThanDays(n) => tagged(p, tag::NEWER_THAN_DAYS, n),
            }
        }
    }
}

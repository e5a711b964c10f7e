//! Pretty-printed JSON, byte for byte what `serde_json::to_writer_pretty` writes, written
//! faster: the report of one system is about 300 KB of mostly the rules' own text, and
//! `serde_json` looks at every byte of a string on its own to find what needs escaping.
//! Here text is checked for those characters eight bytes at a time and copied whole
//! when it has none (nearly always), and every piece is appended to one buffer;
//! writing to an output, the buffer's whole lines are handed to it after any array item
//! once 32 KiB have gathered.
//!
//! Numbers are written by `serde_json` itself, so they cannot come out differently; the
//! tests hold the whole to `serde_json`'s output on every report and on strings made of
//! every character that needs an escape.

use std::io::{self, Write};

use serde::ser::{self, Error as _, Impossible, Serialize};

/// The error of a serialisation: `serde_json`'s, so that callers keep one error type.
type Error = serde_json::Error;
type Result<T> = std::result::Result<T, Error>;

/// How much is buffered before it is handed to the output.
const FLUSH_AT: usize = 32 * 1024;

/// The name `serde_json` gives a pre-rendered JSON value (`RawValue`), written as is.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// Writes `value` as pretty JSON into `out`, which may already hold text.
pub(crate) fn to_vec<T: ?Sized + Serialize>(out: &mut Vec<u8>, value: &T) -> Result<()> {
    let mut ser = Pretty::new(std::mem::take(out), None);
    let written = value.serialize(&mut ser);
    *out = ser.out;
    written
}

/// Writes `value` as pretty JSON to `sink`, through a buffer. An error writing to the sink
/// comes back as that I/O error.
pub(crate) fn to_writer<T: ?Sized + Serialize>(
    sink: &mut dyn Write,
    value: &T,
) -> crate::report::error::Result<()> {
    let mut ser = Pretty::new(Vec::with_capacity(FLUSH_AT + FLUSH_AT / 4), Some(sink));
    let written = value.serialize(&mut ser);
    if let Some(e) = ser.failed.take() {
        return Err(e.into());
    }
    written?;
    ser.flush()?;
    Ok(())
}

/// The serializer: the text so far, the depth of nesting and whether the innermost
/// container has had a value (what `serde_json`'s `PrettyFormatter` tracks).
struct Pretty<'w> {
    out: Vec<u8>,
    sink: Option<&'w mut dyn Write>,
    /// The first error writing to `sink`; nothing more is written after it.
    failed: Option<io::Error>,
    depth: usize,
    has_value: bool,
}

/// A newline and the indentation of the deepest level written without a loop.
const NEWLINE_AND_INDENT: &[u8] =
    b"\n                                                                ";

impl<'w> Pretty<'w> {
    fn new(out: Vec<u8>, sink: Option<&'w mut dyn Write>) -> Self {
        Pretty {
            out,
            sink,
            failed: None,
            depth: 0,
            has_value: false,
        }
    }

    /// Hands the buffer's whole lines to the sink, if there is one and the buffer is full
    /// enough. The unfinished last line stays: standard output takes text ending at a line
    /// in one write, where a piece of a line would cost it a second.
    fn maybe_flush(&mut self) -> Result<()> {
        if self.sink.is_some() && self.out.len() >= FLUSH_AT {
            self.flush_lines().map_err(|e| {
                let message = e.to_string();
                self.failed = Some(e);
                Error::custom(message)
            })?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(sink) = self.sink.as_deref_mut() {
            sink.write_all(&self.out)?;
            self.out.clear();
        }
        Ok(())
    }

    fn flush_lines(&mut self) -> io::Result<()> {
        let Some(sink) = self.sink.as_deref_mut() else {
            return Ok(());
        };
        let lines = self
            .out
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |at| at + 1);
        sink.write_all(&self.out[..lines])?;
        self.out.drain(..lines);
        Ok(())
    }

    fn newline(&mut self) {
        let width = 2 * self.depth;
        if width < NEWLINE_AND_INDENT.len() {
            // The whole line copied and cut back: a copy of a known length takes a few
            // instructions, where one of a length known only now calls `memcpy`.
            let end = self.out.len() + 1 + width;
            self.out.extend_from_slice(NEWLINE_AND_INDENT);
            self.out.truncate(end);
        } else {
            self.out.push(b'\n');
            self.out.resize(self.out.len() + width, b' ');
        }
    }

    /// Opens an array or object (`[` or `{`).
    fn open(&mut self, bracket: u8) {
        self.depth += 1;
        self.has_value = false;
        self.out.push(bracket);
    }

    /// Closes an array or object (`]` or `}`).
    fn close(&mut self, bracket: u8) {
        self.depth -= 1;
        if self.has_value {
            self.newline();
        }
        self.out.push(bracket);
    }

    /// Starts an item or key: on a line of its own, after a comma unless it is the first.
    fn item(&mut self, first: bool) {
        if !first {
            self.out.push(b',');
        }
        self.newline();
    }

    fn string(&mut self, text: &str) {
        escape_into(&mut self.out, text);
    }

    /// A number, written by `serde_json`.
    fn number<N: Serialize>(&mut self, n: N) -> Result<()> {
        serde_json::to_writer(&mut self.out, &n)
    }

    /// `{"variant": ` of an enum variant with content.
    fn open_variant(&mut self, variant: &str) {
        self.open(b'{');
        self.item(true);
        self.string(variant);
        self.out.extend_from_slice(b": ");
    }

    /// The `}` after a variant's content.
    fn close_variant(&mut self) {
        self.has_value = true;
        self.close(b'}');
    }
}

/// Appends `text` as a JSON string, with the escapes `serde_json` writes: `\"`, `\\`, the
/// short forms `\b \t \n \f \r`, and `\u00XX` for other control characters.
#[inline]
pub(crate) fn escape_into(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    // Most text needs no escape: it is checked eight bytes at a time, and copied whole.
    if any_needs_escape(bytes) {
        escape_each(out, bytes);
        return;
    }
    if let n @ 1..=SHORT = bytes.len() {
        // Quotes copied at a fixed length, the text written over them, and the rest cut
        // back, as a field's name is (`key_line`).
        let base = out.len();
        out.extend_from_slice(&[b'"'; SHORT + 2]);
        copy_short(&mut out[base + 1..], bytes);
        out[base + 1 + n] = b'"';
        out.truncate(base + n + 2);
        return;
    }
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    out.extend_from_slice(bytes);
    out.push(b'"');
}

/// The longest text copied by [`copy_short`].
const SHORT: usize = 32;

/// Copies 1 to [`SHORT`] bytes to the start of `to` with copies of fixed lengths: eight
/// bytes from each end, and for more than sixteen eight more from each end, overlapping
/// where the text is shorter; four from each end below eight, and single bytes below four.
#[inline]
fn copy_short(to: &mut [u8], from: &[u8]) {
    let n = from.len();
    let to = &mut to[..n];
    let word = |at: usize| -> [u8; 8] { from[at..at + 8].try_into().unwrap_or([0; 8]) };
    let half = |at: usize| -> [u8; 4] { from[at..at + 4].try_into().unwrap_or([0; 4]) };
    if n >= 8 {
        to[..8].copy_from_slice(&word(0));
        to[n - 8..].copy_from_slice(&word(n - 8));
        if n > 16 {
            to[8..16].copy_from_slice(&word(8));
            to[n - 16..n - 8].copy_from_slice(&word(n - 16));
        }
    } else if n >= 4 {
        to[..4].copy_from_slice(&half(0));
        to[n - 4..].copy_from_slice(&half(n - 4));
    } else if n > 0 {
        to[0] = from[0];
        to[n / 2] = from[n / 2];
        to[n - 1] = from[n - 1];
    }
}

fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The start of a struct field's line, `,` (after the first field), newline, indentation,
/// and the quoted name with its `": "`, written in one piece for a plain name of 1 to 32
/// bytes at a depth of up to 12: spaces of a fixed length written and the line written
/// over them, then cut back, since a copy of a length known only now (a `memcpy` call)
/// costs more than the rest of the line. `false`, with nothing written, for any other
/// name or depth.
#[inline]
fn key_line(out: &mut Vec<u8>, first: bool, depth: usize, key: &[u8]) -> bool {
    const LINE: usize = 64;
    let (n, width) = (key.len(), 2 * depth);
    // `,` `\n` indentation `"` name `": `
    if n == 0 || n > SHORT || width > LINE - 6 - SHORT || any_needs_escape(key) {
        return false;
    }
    // Spaces copied at a fixed length, and the rest of the line written over them in
    // place (built apart and copied, the small writes would have to reach memory before
    // the copy could read them).
    let base = out.len();
    out.extend_from_slice(&[b' '; LINE]);
    let line = &mut out[base..];
    let mut at = usize::from(!first);
    line[0] = b',';
    line[at] = b'\n';
    at += 1 + width;
    line[at] = b'"';
    at += 1;
    copy_short(&mut line[at..], key);
    at += n;
    line[at..at + 3].copy_from_slice(b"\": ");
    out.truncate(base + at + 3);
    true
}

/// Whether any byte needs an escape. Most strings of a report are short (keys, ids,
/// labels), so the check goes eight bytes to a step in an ordinary register, the last step
/// overlapping the one before, with no byte-by-byte tail; longer text (the rules' own,
/// most of a report's bytes) sixteen bytes to a step in a vector register.
#[inline]
fn any_needs_escape(bytes: &[u8]) -> bool {
    let word = |chunk: &[u8]| u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
    let half = |chunk: &[u8]| u64::from(u32::from_le_bytes(chunk.try_into().unwrap_or([0; 4])));
    match bytes.len() {
        0..4 => return bytes.iter().any(|&b| needs_escape(b)),
        // Four to seven bytes: the first four and the last four, overlapping, in one word.
        len @ 4..8 => return escapes_in(half(&bytes[..4]) | half(&bytes[len - 4..]) << 32) != 0,
        LONG.. => return any_needs_escape_long(bytes),
        _ => {}
    }
    let mut found = 0;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        found |= escapes_in(word(chunk));
    }
    if !chunks.remainder().is_empty() {
        found |= escapes_in(word(&bytes[bytes.len() - 8..]));
    }
    found != 0
}

/// The length from which [`any_needs_escape`] goes sixteen bytes to a step.
const LONG: usize = 32;

/// [`any_needs_escape`] for text of [`LONG`] bytes or more: sixteen bytes to a step, each
/// byte's answer kept in its own lane and the lanes looked at once at the end, which the
/// compiler turns into a few vector instructions a step (about a third of the
/// word-at-a-time test's); the last step overlaps the one before.
#[inline(never)]
fn any_needs_escape_long(bytes: &[u8]) -> bool {
    let mut found = [0u8; 16];
    let last = bytes.len().saturating_sub(16);
    let mut at = 0;
    loop {
        let start = at.min(last);
        let block: [u8; 16] = bytes
            .get(start..start + 16)
            .and_then(|b| b.try_into().ok())
            .unwrap_or([0; 16]);
        for (lane, b) in found.iter_mut().zip(block) {
            *lane |= u8::from(needs_escape(b));
        }
        if start == last {
            break;
        }
        at += 16;
    }
    found != [0; 16]
}

/// Non-zero when any of the eight bytes of `w` is a control character, `"` or `\`: for
/// each, a subtraction that borrows into a byte's top bit only where that byte is below
/// the bound (exact for "any byte", the usual word-at-a-time test).
fn escapes_in(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const TOPS: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x;
    let quote = zero_byte(w ^ (ONES * u64::from(b'"')));
    let backslash = zero_byte(w ^ (ONES * u64::from(b'\\')));
    let control = w.wrapping_sub(ONES * 0x20) & !w;
    (quote | backslash | control) & TOPS
}

/// Text with at least one character to escape, quoted, copied in runs between them.
#[cold]
#[inline(never)]
fn escape_each(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        if !needs_escape(byte) {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        start = i + 1;
        let short = match byte {
            b'\x08' => b'b',
            b'\t' => b't',
            b'\n' => b'n',
            b'\x0c' => b'f',
            b'\r' => b'r',
            b'"' | b'\\' => byte,
            _ => {
                let hex = [HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0xf)]];
                out.extend_from_slice(b"\\u00");
                out.extend_from_slice(&hex);
                continue;
            }
        };
        out.extend_from_slice(&[b'\\', short]);
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// `serialize_i8` to `serialize_u128`, each writing its integer with `self.$write(v)`.
macro_rules! integers {
    ($write:ident) => {
        integers!($write;
            serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
            serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
            serialize_u64: u64, serialize_u128: u128
        );
    };
    ($write:ident; $($method:ident: $t:ty),*) => {
        $(fn $method(self, v: $t) -> Result<()> {
            self.$write(v)
        })*
    };
}

/// `serialize_tuple_variant` and `serialize_struct_variant`: `{"variant": ` and then the
/// array or object of the content, closed with the variant.
macro_rules! variant_containers {
    ($($method:ident => $container:ident),*) => {
        $(fn $method(
            self,
            _: &'static str,
            _: u32,
            variant: &'static str,
            len: usize,
        ) -> Result<Compound<'a, 'w>> {
            self.open_variant(variant);
            self.$container(Some(len)).map(Compound::in_variant)
        })*
    };
}

impl<'a, 'w> ser::Serializer for &'a mut Pretty<'w> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'w>;
    type SerializeTuple = Compound<'a, 'w>;
    type SerializeTupleStruct = Compound<'a, 'w>;
    type SerializeTupleVariant = Compound<'a, 'w>;
    type SerializeMap = Compound<'a, 'w>;
    type SerializeStruct = Compound<'a, 'w>;
    type SerializeStructVariant = Compound<'a, 'w>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    integers!(number);
    fn serialize_f32(self, v: f32) -> Result<()> {
        self.number(v)
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        self.number(v)
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        use ser::SerializeSeq as _;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for byte in v {
            seq.serialize_element(byte)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result<()> {
        self.serialize_unit()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<()> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        self.open_variant(variant);
        value.serialize(&mut *self)?;
        self.close_variant();
        Ok(())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a, 'w>> {
        self.open(b'[');
        Ok(Compound::open(self, len, b']'))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, 'w>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a, 'w>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a, 'w>> {
        self.open(b'{');
        Ok(Compound::open(self, len, b'}'))
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Compound<'a, 'w>> {
        if name == RAW_VALUE {
            return Ok(Compound {
                ser: self,
                state: State::Raw,
                bracket: b'}',
                in_variant: false,
            });
        }
        self.serialize_map(Some(len))
    }
    variant_containers!(serialize_tuple_variant => serialize_seq, serialize_struct_variant => serialize_map);
}

/// Where a container is: nothing written yet, some items written, closed at once because
/// it was empty, or a pre-rendered value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    First,
    Rest,
    Empty,
    Raw,
}

/// An array or object being written.
pub(crate) struct Compound<'a, 'w> {
    ser: &'a mut Pretty<'w>,
    state: State,
    bracket: u8,
    /// Whether it is the content of `{"variant": ...}`, which closes after it.
    in_variant: bool,
}

impl<'a, 'w> Compound<'a, 'w> {
    /// A container just opened; one known to be empty is closed at once, as `serde_json` does.
    fn open(ser: &'a mut Pretty<'w>, len: Option<usize>, bracket: u8) -> Self {
        let state = if len == Some(0) {
            ser.close(bracket);
            State::Empty
        } else {
            State::First
        };
        Compound {
            ser,
            state,
            bracket,
            in_variant: false,
        }
    }

    fn in_variant(mut self) -> Self {
        self.in_variant = true;
        self
    }

    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.ser.item(self.state == State::First);
        self.state = State::Rest;
        value.serialize(&mut *self.ser)?;
        self.ser.has_value = true;
        self.ser.maybe_flush()
    }

    /// A struct field's name, text fixed when the program was built and nearly always
    /// plain: written with the start of its line in one piece (`key_line`), else quoted
    /// and followed by `": "` after the line's start.
    fn field_key(&mut self, key: &str) {
        let first = self.state == State::First;
        self.state = State::Rest;
        if key_line(&mut self.ser.out, first, self.ser.depth, key.as_bytes()) {
            return;
        }
        self.ser.item(first);
        let (out, key) = (&mut self.ser.out, key.as_bytes());
        if any_needs_escape(key) {
            escape_each(out, key);
            out.extend_from_slice(b": ");
        } else {
            out.reserve(key.len() + 4);
            out.push(b'"');
            out.extend_from_slice(key);
            out.extend_from_slice(b"\": ");
        }
    }

    fn key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<()> {
        self.ser.item(self.state == State::First);
        self.state = State::Rest;
        key.serialize(KeySerializer(&mut *self.ser))?;
        self.ser.out.extend_from_slice(b": ");
        Ok(())
    }

    fn value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        value.serialize(&mut *self.ser)?;
        self.ser.has_value = true;
        Ok(())
    }

    fn finish(self) {
        if self.state != State::Empty && self.state != State::Raw {
            self.ser.close(self.bracket);
        }
        if self.in_variant {
            self.ser.close_variant();
        }
    }
}

/// The serde traits of the containers written as arrays, item by item.
macro_rules! array_like {
    ($($name:ident::$method:ident),*) => {
        $(impl ser::$name for Compound<'_, '_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
                self.element(value)
            }
            fn end(self) -> Result<()> {
                self.finish();
                Ok(())
            }
        })*
    };
}

array_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<()> {
        self.key(key)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        self.value(value)
    }
    fn end(self) -> Result<()> {
        self.finish();
        Ok(())
    }
}

/// The serde traits of the containers written as objects, field by field (a struct's
/// one field may be a pre-rendered value, written as it is).
macro_rules! object_like {
    ($($name:ident),*) => {
        $(impl ser::$name for Compound<'_, '_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<()> {
                if self.state == State::Raw {
                    return value.serialize(RawSerializer(&mut *self.ser));
                }
                self.field_key(key);
                self.value(value)
            }
            fn end(self) -> Result<()> {
                self.finish();
                Ok(())
            }
        })*
    };
}

object_like!(SerializeStruct, SerializeStructVariant);

/// The types and methods of a serializer that takes only text (or numbers written as
/// text): every other kind of value is refused with `$why()`.
macro_rules! refuse_all_but_scalars {
    ($why:ident) => {
        type Ok = ();
        type Error = Error;
        type SerializeSeq = Impossible<(), Error>;
        type SerializeTuple = Impossible<(), Error>;
        type SerializeTupleStruct = Impossible<(), Error>;
        type SerializeTupleVariant = Impossible<(), Error>;
        type SerializeMap = Impossible<(), Error>;
        type SerializeStruct = Impossible<(), Error>;
        type SerializeStructVariant = Impossible<(), Error>;

        refuse_scalars!($why; serialize_bytes: &[u8]);
        fn serialize_none(self) -> Result<()> {
            Err($why())
        }
        fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<()> {
            Err($why())
        }
        fn serialize_unit(self) -> Result<()> {
            Err($why())
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
            Err($why())
        }
        fn serialize_newtype_variant<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<()> {
            Err($why())
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Impossible<(), Error>> {
            Err($why())
        }
        fn serialize_tuple(self, _: usize) -> Result<Impossible<(), Error>> {
            Err($why())
        }
        fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Impossible<(), Error>> {
            Err($why())
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Impossible<(), Error>> {
            Err($why())
        }
        fn serialize_struct(self, _: &'static str, _: usize) -> Result<Impossible<(), Error>> {
            Err($why())
        }
        refuse_variants!($why; serialize_tuple_variant, serialize_struct_variant);
    };
}

/// `serialize_tuple_variant` and `serialize_struct_variant`, refused with `$why()`.
macro_rules! refuse_variants {
    ($why:ident; $($method:ident),*) => {
        $(fn $method(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Impossible<(), Error>> {
            Err($why())
        })*
    };
}

/// `serialize_x(self, _: T)` methods that refuse their value with `$why()`.
macro_rules! refuse_scalars {
    ($why:ident; $($method:ident: $t:ty),* $(,)?) => {
        $(fn $method(self, _: $t) -> Result<()> {
            Err($why())
        })*
    };
}

fn key_must_be_a_string() -> Error {
    Error::custom("key must be a string")
}

/// An object's key: a string, or a number, boolean or character written as one.
struct KeySerializer<'a, 'w>(&'a mut Pretty<'w>);

impl KeySerializer<'_, '_> {
    fn quoted<N: Serialize>(self, n: N) -> Result<()> {
        self.0.out.push(b'"');
        self.0.number(n)?;
        self.0.out.push(b'"');
        Ok(())
    }
}

impl ser::Serializer for KeySerializer<'_, '_> {
    fn serialize_str(self, v: &str) -> Result<()> {
        self.0.string(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.0.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        self.0.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_bool(self, v: bool) -> Result<()> {
        self.0
            .out
            .extend_from_slice(if v { b"\"true\"" } else { b"\"false\"" });
        Ok(())
    }
    integers!(quoted);
    fn serialize_f32(self, v: f32) -> Result<()> {
        if !v.is_finite() {
            return Err(Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            ));
        }
        self.quoted(v)
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        if !v.is_finite() {
            return Err(Error::custom(
                "float key must be finite (got NaN or +/-inf)",
            ));
        }
        self.quoted(v)
    }
    refuse_all_but_scalars!(key_must_be_a_string);
}

/// The text of a pre-rendered value (`serde_json`'s `RawValue`), written as it is.
struct RawSerializer<'a, 'w>(&'a mut Pretty<'w>);

impl ser::Serializer for RawSerializer<'_, '_> {
    fn serialize_str(self, v: &str) -> Result<()> {
        self.0.out.extend_from_slice(v.as_bytes());
        Ok(())
    }
    refuse_all_but_scalars!(not_raw);
    refuse_scalars!(not_raw;
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_f32: f32, serialize_f64: f64, serialize_char: char,
    );
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<()> {
        Err(not_raw())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, _: &T) -> Result<()> {
        Err(not_raw())
    }
}

fn not_raw() -> Error {
    Error::custom("a pre-rendered JSON value must be text")
}

#[cfg(test)]
mod tests;

//! BER elements read with `asn1-rs`: one element with its bytes as received, and a cursor over
//! the elements inside a constructed one. Shared by the CMS, LDS security object and data-group
//! parsers of `emrtd`; definite and indefinite lengths are both accepted (X.690 §8.1.3).

use std::borrow::Cow;

use asn1_rs::{Any, Class, FromBer, Oid, Tag};

/// The input is not the BER the caller expected: each caller names the structure in its own
/// error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Malformed;

/// How deep constructed OCTET STRING segments may nest (X.690 §8.7.3).
const MAX_OCTET_STRING_DEPTH: usize = 8;

/// One BER element: its header and content (parsed by `asn1-rs`), and its bytes as received.
#[derive(Clone, Debug)]
pub(crate) struct Element<'a> {
    any: Any<'a>,
    raw: &'a [u8],
}

impl<'a> Element<'a> {
    /// The first element of `input`, and what follows it.
    pub(crate) fn parse(input: &'a [u8]) -> Result<(Self, &'a [u8]), Malformed> {
        let (rest, any) = Any::from_ber(input).map_err(|_| Malformed)?;
        let used = input.len().checked_sub(rest.len()).ok_or(Malformed)?;
        let raw = input.get(..used).ok_or(Malformed)?;
        Ok((Self { any, raw }, rest))
    }

    /// The one element that `input` holds, with nothing after it.
    pub(crate) fn parse_exact(input: &'a [u8]) -> Result<Self, Malformed> {
        let (element, rest) = Self::parse(input)?;
        if rest.is_empty() {
            Ok(element)
        } else {
            Err(Malformed)
        }
    }

    /// The bytes as received: identifier, length, content and any end-of-contents octets.
    pub(crate) fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The content octets (without end-of-contents octets).
    pub(crate) fn content(&self) -> &'a [u8] {
        self.any.data
    }

    /// Whether the element has this class, tag number and form.
    pub(crate) fn is(&self, class: Class, tag: u32, constructed: bool) -> bool {
        self.any.header.class() == class
            && self.any.header.tag() == Tag(tag)
            && self.any.header.is_constructed() == constructed
    }

    /// The element itself, if it has this class, tag number and form.
    pub(crate) fn expect(
        self,
        class: Class,
        tag: u32,
        constructed: bool,
    ) -> Result<Self, Malformed> {
        if self.is(class, tag, constructed) {
            Ok(self)
        } else {
            Err(Malformed)
        }
    }

    /// A universal constructed SEQUENCE's elements.
    pub(crate) fn sequence(&self) -> Result<Reader<'a>, Malformed> {
        if self.is(Class::Universal, Tag::Sequence.0, true) {
            Ok(Reader::new(self.content()))
        } else {
            Err(Malformed)
        }
    }

    /// A universal constructed SET's elements.
    pub(crate) fn set(&self) -> Result<Reader<'a>, Malformed> {
        if self.is(Class::Universal, Tag::Set.0, true) {
            Ok(Reader::new(self.content()))
        } else {
            Err(Malformed)
        }
    }

    /// Any constructed element's elements (explicit tags, application templates).
    pub(crate) fn children(&self) -> Result<Reader<'a>, Malformed> {
        if self.any.header.is_constructed() {
            Ok(Reader::new(self.content()))
        } else {
            Err(Malformed)
        }
    }

    /// An OBJECT IDENTIFIER, dotted.
    pub(crate) fn oid(&self) -> Result<String, Malformed> {
        if !self.is(Class::Universal, Tag::Oid.0, false) {
            return Err(Malformed);
        }
        let content = self.content();
        // X.690 §8.19.2: at least one subidentifier, the last octet of each has bit 8 clear,
        // and none starts with 0x80 (the fewest octets).
        match content.last() {
            Some(last) if last & 0x80 == 0 => {}
            _ => return Err(Malformed),
        }
        let mut starts_subidentifier = true;
        for &octet in content {
            if starts_subidentifier && octet == 0x80 {
                return Err(Malformed);
            }
            starts_subidentifier = octet & 0x80 == 0;
        }
        let oid = Oid::try_from(&self.any).map_err(|_| Malformed)?;
        // Arcs beyond 64 bits are printed as hex by asn1-rs: no OID we know has them.
        if oid.iter().is_none() {
            return Err(Malformed);
        }
        Ok(oid.to_id_string())
    }

    /// An INTEGER that is not negative and fits in a `u32`.
    pub(crate) fn small_uint(&self) -> Result<u32, Malformed> {
        if !self.is(Class::Universal, Tag::Integer.0, false) {
            return Err(Malformed);
        }
        u32::try_from(&self.any).map_err(|_| Malformed)
    }

    /// An INTEGER's content octets as encoded (big-endian two's complement).
    pub(crate) fn integer_bytes(&self) -> Result<&'a [u8], Malformed> {
        if !self.is(Class::Universal, Tag::Integer.0, false) || self.content().is_empty() {
            return Err(Malformed);
        }
        Ok(self.content())
    }

    /// An OCTET STRING's value, with the given class and tag number (universal 4 unless
    /// implicitly tagged): primitive, or constructed from segments (BER, X.690 §8.7.3).
    pub(crate) fn octets_tagged(&self, class: Class, tag: u32) -> Result<Cow<'a, [u8]>, Malformed> {
        if self.is(class, tag, false) {
            return Ok(Cow::Borrowed(self.content()));
        }
        if !self.is(class, tag, true) {
            return Err(Malformed);
        }
        let mut value = Vec::new();
        collect_segments(self.content(), &mut value, MAX_OCTET_STRING_DEPTH)?;
        Ok(Cow::Owned(value))
    }

    /// A universal OCTET STRING's value.
    pub(crate) fn octets(&self) -> Result<Cow<'a, [u8]>, Malformed> {
        self.octets_tagged(Class::Universal, Tag::OctetString.0)
    }

    /// A PrintableString (or, leniently, a UTF8String) as text.
    pub(crate) fn text(&self) -> Result<&'a str, Malformed> {
        let printable = self.is(Class::Universal, Tag::PrintableString.0, false);
        let utf8 = self.is(Class::Universal, Tag::Utf8String.0, false);
        if !printable && !utf8 {
            return Err(Malformed);
        }
        std::str::from_utf8(self.content()).map_err(|_| Malformed)
    }
}

/// Appends the values of the OCTET STRING segments in `content` to `value`.
fn collect_segments(content: &[u8], value: &mut Vec<u8>, depth: usize) -> Result<(), Malformed> {
    let depth = depth.checked_sub(1).ok_or(Malformed)?;
    let mut reader = Reader::new(content);
    while let Some(segment) = reader.next()? {
        if segment.is(Class::Universal, Tag::OctetString.0, false) {
            value.extend_from_slice(segment.content());
        } else if segment.is(Class::Universal, Tag::OctetString.0, true) {
            collect_segments(segment.content(), value, depth)?;
        } else {
            return Err(Malformed);
        }
    }
    Ok(())
}

/// A cursor over consecutive BER elements.
#[derive(Clone, Debug)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A cursor at the start of `input`.
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Self { rest: input }
    }

    /// The next element, or `None` at the end.
    pub(crate) fn next(&mut self) -> Result<Option<Element<'a>>, Malformed> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let (element, rest) = Element::parse(self.rest)?;
        self.rest = rest;
        Ok(Some(element))
    }

    /// The next element, which must be there.
    pub(crate) fn required(&mut self) -> Result<Element<'a>, Malformed> {
        self.next()?.ok_or(Malformed)
    }

    /// The next element if it has this class and tag number (either form); otherwise nothing is
    /// consumed.
    pub(crate) fn next_if(
        &mut self,
        class: Class,
        tag: u32,
    ) -> Result<Option<Element<'a>>, Malformed> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let (element, rest) = Element::parse(self.rest)?;
        if element.any.header.class() == class && element.any.header.tag() == Tag(tag) {
            self.rest = rest;
            Ok(Some(element))
        } else {
            Ok(None)
        }
    }

    /// Succeeds if every element was read.
    pub(crate) fn finish(&self) -> Result<(), Malformed> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(Malformed)
        }
    }
}

/// An AlgorithmIdentifier (RFC 5280 §4.1.1.2): the dotted OID and the parameters element as
/// received.
pub(crate) fn algorithm_identifier(
    element: &Element<'_>,
) -> Result<(String, Option<Vec<u8>>), Malformed> {
    let mut fields = element.sequence()?;
    let oid = fields.required()?.oid()?;
    let parameters = fields.next()?.map(|parameters| parameters.raw().to_vec());
    fields.finish()?;
    Ok((oid, parameters))
}

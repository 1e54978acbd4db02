//! The levels of assurance, their URIs and their partial order.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::AssuranceError;

/// The trust framework that defines a level of assurance.
///
/// Levels of different frameworks are never comparable: there is no official translation
/// between them (SC-RULES §1.2.2). A deployment that wants one declares it in an
/// [`AssurancePolicy`](super::AssurancePolicy).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Framework {
    /// The Swedish eID framework (Digg / Sweden Connect, `id.elegnamnden.se` and
    /// `id.swedenconnect.se` URIs).
    Sweden,
    /// The EU eIDAS regulation (`eidas.europa.eu` URIs).
    Eidas,
    /// NIST SP 800-63 (identity, authenticator and federation assurance levels).
    Nist,
    /// Norway's ID-porten.
    Norway,
    /// Denmark's NSIS (NemLog-in, MitID).
    Denmark,
    /// Finland's FTN (Finnish Trust Network).
    Finland,
}

/// Whose identity a level describes. Levels of different identity types are never comparable,
/// and a policy can never change the identity type.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdentityType {
    /// A person known to the framework's national population register (for Sweden: a holder
    /// who may have a personnummer or samordningsnummer).
    Resident,
    /// A person with **no** national identity number: the Swedish `*-nonresident` levels. A
    /// token at such a level must not contain a personnummer (SC-REG §3.1.1).
    NonResident,
    /// A person identified with the eID means of an eIDAS scheme (typically another member
    /// state's, through an eIDAS node): the `eidas` levels of every framework.
    Foreign,
    /// The framework does not distinguish identity types (NIST SP 800-63).
    Unspecified,
}

/// What a level measures. Only NIST SP 800-63 splits assurance into dimensions; levels of
/// different dimensions are never comparable.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// The assurance of an authentication as a whole (every framework but NIST).
    Authentication,
    /// Identity assurance level (NIST IAL): how well the identity was proofed.
    IdentityProofing,
    /// Authenticator assurance level (NIST AAL): how strong the authentication was.
    Authenticator,
    /// Federation assurance level (NIST FAL): how the assertion was protected.
    Federation,
}

/// How far a level's issuer was reviewed, weakest first. Within one framework a level counts
/// for a requested level only if it is at least as certified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Certification {
    /// Self-declared, not reviewed by the framework's supervisor (the Swedish `uncertified-*`
    /// levels, SC-REG §3.1.1).
    Uncertified,
    /// Issued under an eIDAS scheme that is not, or not necessarily, notified to the
    /// Commission: the EU `NotNotified` levels and the Swedish `eidas-*` levels ("notified or
    /// non-notified").
    NotNotified,
    /// Certified (Swedish levels reviewed by Digg, eIDAS notified schemes) or the framework's
    /// regular level where the framework has no weaker kind.
    Certified,
}

/// The nominal strength of a level. Used to order levels within one framework, identity type
/// and dimension, and to vet declared equivalences; **never** to translate between frameworks.
///
/// Design reading (no official table exists, standards.md §3.5): Swedish `loa2`/`loa3`/`loa4`
/// sit at low/substantial/high, FTN `loa2`/`loa3` at substantial/high, NIST levels 1/2/3 at
/// low/substantial/high.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Strength {
    Minimal,
    Low,
    Substantial,
    High,
}

/// Everything the order and the policy checks need to know about a level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Profile {
    pub(super) framework: Framework,
    pub(super) dimension: Dimension,
    pub(super) identity: IdentityType,
    pub(super) certification: Certification,
    pub(super) strength: Strength,
    pub(super) test: bool,
}

impl Profile {
    /// Whether two levels are on the same scale (and so may be ordered).
    fn same_scale(&self, other: &Self) -> bool {
        self.framework == other.framework
            && self.dimension == other.dimension
            && self.identity == other.identity
            && self.test == other.test
    }
}

/// Expands the one table of levels into the enum, [`LevelOfAssurance::all`],
/// [`LevelOfAssurance::as_uri`] and the profile of each level.
macro_rules! levels {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident = $uri:literal:
            $framework:ident, $dimension:ident, $identity:ident, $certification:ident,
            $strength:ident, $test:literal;
    )*) => {
        /// A level of assurance: one `acr` / `AuthnContextClassRef` URI of standards.md §3.
        ///
        /// Parse with [`FromStr`] (exact string comparison), format with [`Display`] or
        /// [`LevelOfAssurance::as_uri`]; serde uses the URI string. `PartialOrd` is a partial
        /// order: levels compare only within one framework, dimension, identity type and
        /// environment (test or production), and a level is greater only if it is at least
        /// as strong **and** at least as certified.
        ///
        /// [`Display`]: std::fmt::Display
        #[non_exhaustive]
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        pub enum LevelOfAssurance {
            $(
                $(#[doc = $doc])*
                #[doc = ""]
                #[doc = concat!("`", $uri, "`")]
                $variant,
            )*
        }

        const ALL: &[LevelOfAssurance] = &[$(LevelOfAssurance::$variant),*];

        impl LevelOfAssurance {
            /// The URI of this level, exactly as its framework defines it.
            pub fn as_uri(self) -> &'static str {
                match self {
                    $(Self::$variant => $uri,)*
                }
            }

            pub(super) fn profile(self) -> Profile {
                match self {
                    $(Self::$variant => Profile {
                        framework: Framework::$framework,
                        dimension: Dimension::$dimension,
                        identity: IdentityType::$identity,
                        certification: Certification::$certification,
                        strength: Strength::$strength,
                        test: $test,
                    },)*
                }
            }
        }
    };
}

levels! {
    // Sweden (SC-REG §3.1.1, SC-RULES §1.2).
    /// Swedish level 1.
    Loa1 = "http://id.elegnamnden.se/loa/1.0/loa1":
        Sweden, Authentication, Resident, Certified, Minimal, false;
    /// Swedish level 2.
    Loa2 = "http://id.elegnamnden.se/loa/1.0/loa2":
        Sweden, Authentication, Resident, Certified, Low, false;
    /// Swedish level 3 (BankID, Freja+).
    Loa3 = "http://id.elegnamnden.se/loa/1.0/loa3":
        Sweden, Authentication, Resident, Certified, Substantial, false;
    /// Swedish level 4 (holder-of-key recommended).
    Loa4 = "http://id.elegnamnden.se/loa/1.0/loa4":
        Sweden, Authentication, Resident, Certified, High, false;
    /// eIDAS low through the Swedish eIDAS connector, notified or non-notified scheme.
    SwedenEidasLow = "http://id.elegnamnden.se/loa/1.0/eidas-low":
        Sweden, Authentication, Foreign, NotNotified, Low, false;
    /// eIDAS substantial through the Swedish eIDAS connector, notified or non-notified scheme.
    SwedenEidasSubstantial = "http://id.elegnamnden.se/loa/1.0/eidas-sub":
        Sweden, Authentication, Foreign, NotNotified, Substantial, false;
    /// eIDAS high through the Swedish eIDAS connector, notified or non-notified scheme.
    SwedenEidasHigh = "http://id.elegnamnden.se/loa/1.0/eidas-high":
        Sweden, Authentication, Foreign, NotNotified, High, false;
    /// eIDAS low through the Swedish eIDAS connector, notified scheme.
    SwedenEidasNotifiedLow = "http://id.elegnamnden.se/loa/1.0/eidas-nf-low":
        Sweden, Authentication, Foreign, Certified, Low, false;
    /// eIDAS substantial through the Swedish eIDAS connector, notified scheme.
    SwedenEidasNotifiedSubstantial = "http://id.elegnamnden.se/loa/1.0/eidas-nf-sub":
        Sweden, Authentication, Foreign, Certified, Substantial, false;
    /// eIDAS high through the Swedish eIDAS connector, notified scheme.
    SwedenEidasNotifiedHigh = "http://id.elegnamnden.se/loa/1.0/eidas-nf-high":
        Sweden, Authentication, Foreign, Certified, High, false;
    /// Swedish level 2, holder without personnummer or samordningsnummer.
    Loa2NonResident = "http://id.swedenconnect.se/loa/1.0/loa2-nonresident":
        Sweden, Authentication, NonResident, Certified, Low, false;
    /// Swedish level 3, holder without personnummer or samordningsnummer.
    Loa3NonResident = "http://id.swedenconnect.se/loa/1.0/loa3-nonresident":
        Sweden, Authentication, NonResident, Certified, Substantial, false;
    /// Swedish level 4, holder without personnummer or samordningsnummer.
    Loa4NonResident = "http://id.swedenconnect.se/loa/1.0/loa4-nonresident":
        Sweden, Authentication, NonResident, Certified, High, false;
    /// Self-declared level 2, not reviewed by Digg.
    UncertifiedLoa2 = "http://id.swedenconnect.se/loa/1.0/uncertified-loa2":
        Sweden, Authentication, Resident, Uncertified, Low, false;
    /// Self-declared level 3, not reviewed by Digg (e.g. an unreviewed BankID proxy).
    UncertifiedLoa3 = "http://id.swedenconnect.se/loa/1.0/uncertified-loa3":
        Sweden, Authentication, Resident, Uncertified, Substantial, false;
    /// eIDAS low re-issued by a proxy that is not the Swedish eIDAS connector.
    UncertifiedEidasLow = "http://id.swedenconnect.se/loa/1.0/uncertified-eidas-low":
        Sweden, Authentication, Foreign, Uncertified, Low, false;
    /// eIDAS substantial re-issued by a proxy that is not the Swedish eIDAS connector.
    UncertifiedEidasSubstantial = "http://id.swedenconnect.se/loa/1.0/uncertified-eidas-sub":
        Sweden, Authentication, Foreign, Uncertified, Substantial, false;
    /// eIDAS high re-issued by a proxy that is not the Swedish eIDAS connector.
    UncertifiedEidasHigh = "http://id.swedenconnect.se/loa/1.0/uncertified-eidas-high":
        Sweden, Authentication, Foreign, Uncertified, High, false;

    // EU eIDAS (SC-REG §3.1.1).
    /// eIDAS low, notified scheme.
    EidasLow = "http://eidas.europa.eu/LoA/low":
        Eidas, Authentication, Foreign, Certified, Low, false;
    /// eIDAS substantial, notified scheme.
    EidasSubstantial = "http://eidas.europa.eu/LoA/substantial":
        Eidas, Authentication, Foreign, Certified, Substantial, false;
    /// eIDAS high, notified scheme.
    EidasHigh = "http://eidas.europa.eu/LoA/high":
        Eidas, Authentication, Foreign, Certified, High, false;
    /// eIDAS low, non-notified scheme.
    EidasNotNotifiedLow = "http://eidas.europa.eu/NotNotified/LoA/low":
        Eidas, Authentication, Foreign, NotNotified, Low, false;
    /// eIDAS substantial, non-notified scheme.
    EidasNotNotifiedSubstantial = "http://eidas.europa.eu/NotNotified/LoA/substantial":
        Eidas, Authentication, Foreign, NotNotified, Substantial, false;
    /// eIDAS high, non-notified scheme.
    EidasNotNotifiedHigh = "http://eidas.europa.eu/NotNotified/LoA/high":
        Eidas, Authentication, Foreign, NotNotified, High, false;

    // Norway, ID-porten (IDP-NO).
    /// ID-porten low (no eIDs at this level yet).
    IdportenLow = "idporten-loa-low":
        Norway, Authentication, Resident, Certified, Low, false;
    /// ID-porten substantial (MinID). The legacy value `Level3` parses to this level.
    IdportenSubstantial = "idporten-loa-substantial":
        Norway, Authentication, Resident, Certified, Substantial, false;
    /// ID-porten high (BankID, Buypass, Commfides). The legacy value `Level4` parses to this
    /// level.
    IdportenHigh = "idporten-loa-high":
        Norway, Authentication, Resident, Certified, High, false;
    /// ID-porten, eIDAS substantial.
    IdportenEidasSubstantial = "eidas-loa-substantial":
        Norway, Authentication, Foreign, Certified, Substantial, false;
    /// ID-porten, eIDAS high.
    IdportenEidasHigh = "eidas-loa-high":
        Norway, Authentication, Foreign, Certified, High, false;

    // Denmark, NSIS (NemLog-in3 `AuthnContextClassRef`, FOX).
    /// NSIS low.
    NsisLow = "https://data.gov.dk/concept/core/nsis/loa/Low":
        Denmark, Authentication, Resident, Certified, Low, false;
    /// NSIS substantial.
    NsisSubstantial = "https://data.gov.dk/concept/core/nsis/loa/Substantial":
        Denmark, Authentication, Resident, Certified, Substantial, false;
    /// NSIS high.
    NsisHigh = "https://data.gov.dk/concept/core/nsis/loa/High":
        Denmark, Authentication, Resident, Certified, High, false;

    // Finland, FTN (standards.md §3.3; no authoritative specification identified).
    /// FTN level 2 (eIDAS substantial).
    FtnLoa2 = "http://ftn.ficora.fi/2017/loa2":
        Finland, Authentication, Resident, Certified, Substantial, false;
    /// FTN level 3 (eIDAS high).
    FtnLoa3 = "http://ftn.ficora.fi/2017/loa3":
        Finland, Authentication, Resident, Certified, High, false;
    /// FTN test level 2: never satisfies a production requirement.
    FtnTestLoa2 = "http://ftn.ficora.fi/2017/loatest2":
        Finland, Authentication, Resident, Certified, Substantial, true;
    /// FTN test level 3: never satisfies a production requirement.
    FtnTestLoa3 = "http://ftn.ficora.fi/2017/loatest3":
        Finland, Authentication, Resident, Certified, High, true;

    // NIST SP 800-63. NIST defines no URIs: these follow the `idmanagement.gov` pattern that
    // login.gov uses for `ial/1`, `ial/2`, `aal/1`..`aal/3`; `ial/3` and `fal/*` extend it.
    /// NIST identity assurance level 1.
    NistIal1 = "http://idmanagement.gov/ns/assurance/ial/1":
        Nist, IdentityProofing, Unspecified, Certified, Low, false;
    /// NIST identity assurance level 2.
    NistIal2 = "http://idmanagement.gov/ns/assurance/ial/2":
        Nist, IdentityProofing, Unspecified, Certified, Substantial, false;
    /// NIST identity assurance level 3.
    NistIal3 = "http://idmanagement.gov/ns/assurance/ial/3":
        Nist, IdentityProofing, Unspecified, Certified, High, false;
    /// NIST authenticator assurance level 1.
    NistAal1 = "http://idmanagement.gov/ns/assurance/aal/1":
        Nist, Authenticator, Unspecified, Certified, Low, false;
    /// NIST authenticator assurance level 2.
    NistAal2 = "http://idmanagement.gov/ns/assurance/aal/2":
        Nist, Authenticator, Unspecified, Certified, Substantial, false;
    /// NIST authenticator assurance level 3.
    NistAal3 = "http://idmanagement.gov/ns/assurance/aal/3":
        Nist, Authenticator, Unspecified, Certified, High, false;
    /// NIST federation assurance level 1.
    NistFal1 = "http://idmanagement.gov/ns/assurance/fal/1":
        Nist, Federation, Unspecified, Certified, Low, false;
    /// NIST federation assurance level 2.
    NistFal2 = "http://idmanagement.gov/ns/assurance/fal/2":
        Nist, Federation, Unspecified, Certified, Substantial, false;
    /// NIST federation assurance level 3.
    NistFal3 = "http://idmanagement.gov/ns/assurance/fal/3":
        Nist, Federation, Unspecified, Certified, High, false;
}

/// Legacy values that parse to a current level (and format as it).
const ALIASES: &[(&str, LevelOfAssurance)] = &[
    // ID-porten's pre-2023 values (IDP-NO).
    ("Level3", LevelOfAssurance::IdportenSubstantial),
    ("Level4", LevelOfAssurance::IdportenHigh),
];

/// Prefixes of the Swedish registries, whose `-sigm` / `-sigmessage` levels are withdrawn.
const SWEDISH_PREFIXES: [&str; 2] = [
    "http://id.elegnamnden.se/loa/1.0/",
    "http://id.swedenconnect.se/loa/1.0/",
];

impl LevelOfAssurance {
    /// Every level this library knows, in the order of standards.md §3.
    pub fn all() -> &'static [LevelOfAssurance] {
        ALL
    }

    /// The framework that defines this level.
    pub fn framework(self) -> Framework {
        self.profile().framework
    }

    /// Whose identity this level describes.
    pub fn identity_type(self) -> IdentityType {
        self.profile().identity
    }

    /// What this level measures.
    pub fn dimension(self) -> Dimension {
        self.profile().dimension
    }

    /// How far the issuer at this level was reviewed.
    pub fn certification(self) -> Certification {
        self.profile().certification
    }

    /// Whether this is a test level (FTN `loatest*`), never valid in production.
    pub fn is_test(self) -> bool {
        self.profile().test
    }

    /// Whether an identity at this level may carry a personnummer: `false` for the Swedish
    /// `*-nonresident` levels, whose holder has none and whose token MUST NOT contain one
    /// (SC-REG §3.1.1). Whether a claim is actually present is the claims' business.
    pub fn permits_personal_identity_number(self) -> bool {
        self.profile().identity != IdentityType::NonResident
    }
}

impl FromStr for LevelOfAssurance {
    type Err = AssuranceError;

    /// Parses a URI by exact, case-sensitive comparison. ID-porten's legacy `Level3` and
    /// `Level4` are read as `idporten-loa-substantial` and `idporten-loa-high`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(level) = ALL.iter().find(|level| level.as_uri() == s) {
            return Ok(*level);
        }
        if let Some((_, level)) = ALIASES.iter().find(|(alias, _)| *alias == s) {
            return Ok(*level);
        }
        let deprecated = SWEDISH_PREFIXES.iter().any(|prefix| {
            s.strip_prefix(prefix)
                .is_some_and(|rest| rest.ends_with("-sigm") || rest.ends_with("-sigmessage"))
        });
        if deprecated && s.len() <= 128 {
            return Err(AssuranceError::DeprecatedAcr {
                value: s.to_owned(),
            });
        }
        Err(AssuranceError::unknown(s))
    }
}

impl fmt::Display for LevelOfAssurance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_uri())
    }
}

impl PartialOrd for LevelOfAssurance {
    /// `Some` only within one framework, dimension, identity type and environment; then
    /// `self <= other` iff `self` is at most as strong and at most as certified as `other`.
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        if self == other {
            return Some(Ordering::Equal);
        }
        let (a, b) = (self.profile(), other.profile());
        if !a.same_scale(&b) {
            return None;
        }
        match (
            a.strength.cmp(&b.strength),
            a.certification.cmp(&b.certification),
        ) {
            // Two distinct levels on one scale never share strength and certification.
            (Ordering::Equal, Ordering::Equal) => None,
            (Ordering::Less | Ordering::Equal, Ordering::Less | Ordering::Equal) => {
                Some(Ordering::Less)
            }
            (Ordering::Greater | Ordering::Equal, Ordering::Greater | Ordering::Equal) => {
                Some(Ordering::Greater)
            }
            _ => None,
        }
    }
}

impl Serialize for LevelOfAssurance {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_uri())
    }
}

impl<'de> Deserialize<'de> for LevelOfAssurance {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct UriVisitor;

        impl Visitor<'_> for UriVisitor {
            type Value = LevelOfAssurance;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a level of assurance URI")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                v.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_str(UriVisitor)
    }
}

//! Scopes and the claims each one releases, with destination and essential flag.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use super::{Claim, ClaimsError, uri};

/// A scope value that releases claims (or, for `openid` and `signApproval`, none).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// `openid` (no claims besides `sub`).
    Openid,
    /// `profile` (OIDC Core §5.4), the claims of it we model; to UserInfo.
    Profile,
    /// `email` (OIDC Core §5.4); to UserInfo.
    Email,
    /// `phone` (OIDC Core §5.4); to UserInfo.
    Phone,
    /// `https://id.oidc.se/scope/naturalPersonInfo`: names and birth date; UserInfo, voluntary.
    NaturalPersonInfo,
    /// `https://id.oidc.se/scope/naturalPersonNumber`: personnummer or samordningsnummer;
    /// essential, ID token and UserInfo.
    NaturalPersonNumber,
    /// `https://id.oidc.se/scope/naturalPersonOrgId`: `name`, `orgName`, `orgNumber` to UserInfo
    /// (voluntary); `orgAffiliation` essential in ID token and UserInfo.
    NaturalPersonOrgId,
    /// `https://id.oidc.se/scope/sign`: `userSignature`, essential, ID token.
    Sign,
    /// `https://id.oidc.se/scope/signApproval`: no claims.
    SignApproval,
    /// `https://id.swedenconnect.se/scope/eidasNaturalPersonIdentity`: `prid`, `pridPersistence`
    /// essential in ID token and UserInfo; `eidasPersonIdentifier` essential in UserInfo.
    EidasNaturalPersonIdentity,
    /// `https://id.swedenconnect.se/scope/eidasSwedishIdentity`: mapped numbers (mutually
    /// exclusive) and `identityBinding`; UserInfo, voluntary.
    EidasSwedishIdentity,
}

/// One claim a scope releases: where, and whether essential.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScopeClaim {
    /// The claim.
    pub claim: Claim,
    /// Whether the scope marks it essential.
    pub essential: bool,
    /// Delivered in the ID token.
    pub id_token: bool,
    /// Delivered from the UserInfo endpoint.
    pub userinfo: bool,
}

const fn userinfo(claim: Claim) -> ScopeClaim {
    ScopeClaim {
        claim,
        essential: false,
        id_token: false,
        userinfo: true,
    }
}

const fn essential_both(claim: Claim) -> ScopeClaim {
    ScopeClaim {
        claim,
        essential: true,
        id_token: true,
        userinfo: true,
    }
}

const PROFILE: &[ScopeClaim] = &[
    userinfo(Claim::Name),
    userinfo(Claim::FamilyName),
    userinfo(Claim::GivenName),
    userinfo(Claim::MiddleName),
    userinfo(Claim::Nickname),
    userinfo(Claim::PreferredUsername),
    userinfo(Claim::Gender),
    userinfo(Claim::Birthdate),
    userinfo(Claim::Locale),
];
const EMAIL: &[ScopeClaim] = &[userinfo(Claim::Email), userinfo(Claim::EmailVerified)];
const PHONE: &[ScopeClaim] = &[
    userinfo(Claim::PhoneNumber),
    userinfo(Claim::PhoneNumberVerified),
];
const NATURAL_PERSON_INFO: &[ScopeClaim] = &[
    userinfo(Claim::FamilyName),
    userinfo(Claim::GivenName),
    userinfo(Claim::MiddleName),
    userinfo(Claim::Name),
    userinfo(Claim::Birthdate),
];
const NATURAL_PERSON_NUMBER: &[ScopeClaim] = &[
    essential_both(Claim::PersonalIdentityNumber),
    essential_both(Claim::CoordinationNumber),
];
const NATURAL_PERSON_ORG_ID: &[ScopeClaim] = &[
    userinfo(Claim::Name),
    userinfo(Claim::OrgName),
    userinfo(Claim::OrgNumber),
    essential_both(Claim::OrgAffiliation),
];
const SIGN: &[ScopeClaim] = &[ScopeClaim {
    claim: Claim::UserSignature,
    essential: true,
    id_token: true,
    userinfo: false,
}];
const EIDAS_NATURAL_PERSON_IDENTITY: &[ScopeClaim] = &[
    essential_both(Claim::Prid),
    essential_both(Claim::PridPersistence),
    ScopeClaim {
        claim: Claim::EidasPersonIdentifier,
        essential: true,
        id_token: false,
        userinfo: true,
    },
];
const EIDAS_SWEDISH_IDENTITY: &[ScopeClaim] = &[
    userinfo(Claim::MappedPersonalIdentityNumber),
    userinfo(Claim::MappedCoordinationNumber),
    userinfo(Claim::IdentityBinding),
];

impl Scope {
    /// Every scope, in declaration order.
    pub const ALL: &'static [Scope] = &[
        Self::Openid,
        Self::Profile,
        Self::Email,
        Self::Phone,
        Self::NaturalPersonInfo,
        Self::NaturalPersonNumber,
        Self::NaturalPersonOrgId,
        Self::Sign,
        Self::SignApproval,
        Self::EidasNaturalPersonIdentity,
        Self::EidasSwedishIdentity,
    ];

    /// The scope value on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Openid => uri::SCOPE_OPENID,
            Self::Profile => uri::SCOPE_PROFILE,
            Self::Email => uri::SCOPE_EMAIL,
            Self::Phone => uri::SCOPE_PHONE,
            Self::NaturalPersonInfo => uri::SCOPE_NATURAL_PERSON_INFO,
            Self::NaturalPersonNumber => uri::SCOPE_NATURAL_PERSON_NUMBER,
            Self::NaturalPersonOrgId => uri::SCOPE_NATURAL_PERSON_ORG_ID,
            Self::Sign => uri::SCOPE_SIGN,
            Self::SignApproval => uri::SCOPE_SIGN_APPROVAL,
            Self::EidasNaturalPersonIdentity => uri::SCOPE_EIDAS_NATURAL_PERSON_IDENTITY,
            Self::EidasSwedishIdentity => uri::SCOPE_EIDAS_SWEDISH_IDENTITY,
        }
    }

    /// The claims this scope releases, with destination and essential flag.
    pub const fn claims(self) -> &'static [ScopeClaim] {
        match self {
            Self::Openid | Self::SignApproval => &[],
            Self::Profile => PROFILE,
            Self::Email => EMAIL,
            Self::Phone => PHONE,
            Self::NaturalPersonInfo => NATURAL_PERSON_INFO,
            Self::NaturalPersonNumber => NATURAL_PERSON_NUMBER,
            Self::NaturalPersonOrgId => NATURAL_PERSON_ORG_ID,
            Self::Sign => SIGN,
            Self::EidasNaturalPersonIdentity => EIDAS_NATURAL_PERSON_IDENTITY,
            Self::EidasSwedishIdentity => EIDAS_SWEDISH_IDENTITY,
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = ClaimsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|scope| scope.as_str() == s)
            .ok_or(ClaimsError::UnknownScope)
    }
}

/// The known scopes of a request. Unknown scope values are ignored, as OIDC Core §3.1.2.1
/// requires of a provider.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scopes(BTreeSet<Scope>);

impl Scopes {
    /// Most scope values read from one `scope` parameter.
    pub const MAX_VALUES: usize = 64;

    /// Parses a space-separated `scope` parameter, keeping the scopes we know.
    ///
    /// # Errors
    ///
    /// [`ClaimsError::ScopeTooLong`] if the parameter has more than [`Scopes::MAX_VALUES`]
    /// values.
    pub fn parse(scope: &str) -> Result<Self, ClaimsError> {
        let mut set = BTreeSet::new();
        for (n, value) in scope.split(' ').filter(|v| !v.is_empty()).enumerate() {
            if n >= Self::MAX_VALUES {
                return Err(ClaimsError::ScopeTooLong {
                    max: Self::MAX_VALUES,
                });
            }
            if let Ok(known) = value.parse() {
                set.insert(known);
            }
        }
        Ok(Self(set))
    }

    /// Whether `scope` was requested.
    pub fn contains(&self, scope: Scope) -> bool {
        self.0.contains(&scope)
    }

    /// The requested known scopes, in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }
}

impl FromIterator<Scope> for Scopes {
    fn from_iter<I: IntoIterator<Item = Scope>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

//! ICAO 9303 electronic machine-readable travel documents: the chip's security object (EF.SOD),
//! its data groups, the document signer and CSCA certificates, master lists, passive and active
//! authentication.
//!
//! The areas, each in its own module:
//! - [`digest`]: the hash algorithms of data-group hashes and signatures.
//! - [`signature`]: public keys (RSA, ECDSA on NIST and brainpool curves, named or explicit
//!   parameters) and signature verification; [`active`]: active authentication.
//! - [`cms`]: CMS `SignedData` (BER tolerated) as EF.SOD and master lists wrap it; [`sod`]:
//!   the LDS security object; [`datagroup`]: DG1, DG2 and DG15.
//! - [`trust`]: CSCA trust stores, master lists and certificate chains; [`passive`]: passive
//!   authentication, whose success is a proof only it can build.

pub mod active;
pub mod cms;
pub mod datagroup;
pub mod digest;
pub mod passive;
pub mod signature;
pub mod sod;
pub mod trust;

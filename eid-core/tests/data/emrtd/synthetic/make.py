#!/usr/bin/env python3
"""Makes a synthetic eMRTD (a passport chip's files) for tests: a CSCA, a document signer, DG1
(a TD3 MRZ of a fictitious Utopian holder), DG2 (an ISO/IEC 19794-5 face record holding a small
JPEG), DG15 (an active-authentication key), EF.SOD signed by the document signer over the three,
and one active-authentication challenge with the chip's response.

Everything is made up: the names, the document number, the keys. The private keys are not
kept. Run from this folder:

    pip install cryptography==48.0.0 asn1crypto==1.5.1
    python3 make.py
"""
import datetime
import hashlib

from asn1crypto import cms, core, algos, x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

UTC = datetime.timezone.utc


def name(cn):
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "UT"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Utopia eid test PKI"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def certificate(subject, issuer, key, signer, not_before, not_after, ca, serial):
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), False
        )
    )
    if ca:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
        usage = dict(key_cert_sign=True, crl_sign=True, digital_signature=False)
    else:
        usage = dict(key_cert_sign=False, crl_sign=False, digital_signature=True)
    builder = builder.add_extension(
        x509.KeyUsage(content_commitment=False, key_encipherment=False, data_encipherment=False,
                      key_agreement=False, encipher_only=False, decipher_only=False, **usage),
        True,
    )
    return builder.sign(signer, hashes.SHA256())


def check_digit(field):
    weights = [7, 3, 1]
    total = 0
    for i, c in enumerate(field):
        if c.isdigit():
            v = int(c)
        elif c == "<":
            v = 0
        else:
            v = ord(c) - 55
        total += v * weights[i % 3]
    return str(total % 10)


def td3_mrz():
    line1 = "P<UTOTESTSSON<<AMINA<SOFIA".ljust(44, "<")
    number, nationality, birth, sex, expiry = "X4K9P2T71", "UTO", "900315", "F", "340101"
    optional = "".ljust(14, "<")
    body = (number + check_digit(number) + nationality + birth + check_digit(birth) + sex
            + expiry + check_digit(expiry) + optional + "<")
    composite = (number + check_digit(number) + birth + check_digit(birth) + expiry
                 + check_digit(expiry) + optional + "<")
    line2 = body + check_digit(composite)
    assert len(line1) == 44 and len(line2) == 44
    return line1 + line2


def tlv(tag, value):
    n = len(value)
    if n < 0x80:
        length = bytes([n])
    elif n < 0x100:
        length = bytes([0x81, n])
    else:
        length = bytes([0x82, n >> 8, n & 0xFF])
    return tag + length + value


def dg1(mrz):
    return tlv(b"\x61", tlv(b"\x5f\x1f", mrz.encode("ascii")))


def tiny_jpeg():
    # A structurally plausible JPEG (SOI, APP0 JFIF, a comment, EOI); the test matcher
    # compares bytes, not faces.
    comment = b"eid synthetic portrait " + bytes(range(256)) * 4
    return (b"\xff\xd8" + tlv(b"\xff\xe0", b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")[:2]
            + (16).to_bytes(2, "big") + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
            + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + b"\xff\xd9")


def facial_record(image):
    # ISO/IEC 19794-5:2005: general header, facial record header, facial information (no
    # feature points), image information, image data (JPEG: data type 0).
    facial_info = (b"\x00\x00"          # number of feature points
                   + b"\x01"            # gender: female
                   + b"\x00" + b"\x00"  # eye, hair colour unspecified
                   + b"\x00\x00\x00"    # feature mask
                   + b"\x00\x00"        # expression
                   + b"\x00\x00\x00"    # pose angle
                   + b"\x00\x00\x00")   # pose angle uncertainty
    image_info = (b"\x01"               # face image type: full frontal
                  + b"\x00"             # image data type: JPEG
                  + (240).to_bytes(2, "big") + (320).to_bytes(2, "big")
                  + b"\x01"             # colour space: sRGB
                  + b"\x02"             # source type: digital still
                  + b"\x00\x00"         # device type
                  + b"\x00\x00")        # quality
    block = facial_info + image_info + image
    face = (len(block) + 4).to_bytes(4, "big") + block
    header = b"FAC\x00" + b"010\x00" + (14 + len(face)).to_bytes(4, "big") + b"\x00\x01"
    return header + face


def dg2(image):
    bdb = tlv(b"\x5f\x2e", facial_record(image))
    bhdr = tlv(b"\xa1", tlv(b"\x80", b"\x01\x01") + tlv(b"\x87", b"\x01\x01")
               + tlv(b"\x88", b"\x00\x08"))
    bit = tlv(b"\x7f\x60", bhdr + bdb)
    group = tlv(b"\x7f\x61", tlv(b"\x02", b"\x01") + bit)
    return tlv(b"\x75", group)


def dg15(public_key):
    spki = public_key.public_bytes(serialization.Encoding.DER,
                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    return tlv(b"\x6f", spki)


class DataGroupHash(core.Sequence):
    _fields = [("dataGroupNumber", core.Integer), ("dataGroupHashValue", core.OctetString)]


class DataGroupHashes(core.SequenceOf):
    _child_spec = DataGroupHash


class LdsSecurityObject(core.Sequence):
    _fields = [("version", core.Integer),
               ("hashAlgorithm", algos.DigestAlgorithm),
               ("dataGroupHashValues", DataGroupHashes)]


def sod(groups, ds_cert, ds_key):
    lds = LdsSecurityObject({
        "version": 0,
        "hashAlgorithm": {"algorithm": "sha256"},
        "dataGroupHashValues": [
            {"dataGroupNumber": n, "dataGroupHashValue": hashlib.sha256(b).digest()}
            for n, b in groups
        ],
    }).dump()
    signed_attrs = cms.CMSAttributes([
        {"type": "content_type", "values": ["2.23.136.1.1.1"]},
        {"type": "message_digest", "values": [hashlib.sha256(lds).digest()]},
    ])
    signature = ds_key.sign(signed_attrs.dump(), ec.ECDSA(hashes.SHA256()))
    ds = ax509.Certificate.load(ds_cert.public_bytes(serialization.Encoding.DER))
    signer = {
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": {
            "issuer": ds.issuer, "serial_number": ds.serial_number}}),
        "digest_algorithm": {"algorithm": "sha256"},
        "signed_attrs": signed_attrs,
        "signature_algorithm": {"algorithm": "sha256_ecdsa"},
        "signature": signature,
    }
    signed_data = cms.SignedData({
        "version": "v3",
        "digest_algorithms": [{"algorithm": "sha256"}],
        "encap_content_info": {"content_type": "2.23.136.1.1.1", "content": lds},
        "certificates": [ds],
        "signer_infos": [signer],
    })
    info = cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()
    return tlv(b"\x77", info)


def main():
    csca_key = ec.generate_private_key(ec.SECP384R1())
    ds_key = ec.generate_private_key(ec.SECP256R1())
    aa_key = ec.generate_private_key(ec.SECP256R1())
    t = lambda y, m, d: datetime.datetime(y, m, d, tzinfo=UTC)
    csca = certificate(name("CSCA Utopia eid test"), name("CSCA Utopia eid test"), csca_key,
                       csca_key, t(2024, 1, 1), t(2045, 1, 1), True, 0x1001)
    ds = certificate(name("DS Utopia eid test"), name("CSCA Utopia eid test"), ds_key,
                     csca_key, t(2025, 1, 1), t(2036, 1, 1), False, 0x2002)
    portrait = tiny_jpeg()
    files = {
        "EF_DG1.bin": dg1(td3_mrz()),
        "EF_DG2.bin": dg2(portrait),
        "EF_DG15.bin": dg15(aa_key.public_key()),
    }
    files["EF_SOD.bin"] = sod([(1, files["EF_DG1.bin"]), (2, files["EF_DG2.bin"]),
                               (15, files["EF_DG15.bin"])], ds, ds_key)
    files["CSCA.cer"] = csca.public_bytes(serialization.Encoding.DER)
    files["DS.cer"] = ds.public_bytes(serialization.Encoding.DER)
    files["portrait.jpg"] = portrait
    challenge = bytes.fromhex("0123456789abcdef")
    r, s = decode_dss_signature(aa_key.sign(challenge, ec.ECDSA(hashes.SHA256())))
    files["AA_challenge.bin"] = challenge
    files["AA_response.bin"] = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    for file, data in files.items():
        with open(file, "wb") as f:
            f.write(data)
    print("MRZ:", td3_mrz())


if __name__ == "__main__":
    main()

import subprocess, os
os.chdir('/tmp/vec')
def run(*a, inp=None):
    return subprocess.run(a, input=inp, capture_output=True, check=True).stdout
msg=b"eid-core signature test vector: ICAO 9303 passive authentication"
open('msg.bin','wb').write(msg)
out=[]
ec=[('p224_sha256','secp224r1','sha256','1.2.840.10045.4.3.2'),
    ('p521_sha512','secp521r1','sha512','1.2.840.10045.4.3.4'),
    ('p521_sha1','secp521r1','sha1','1.2.840.10045.4.1'),
    ('bp224_sha224','brainpoolP224r1','sha224','1.2.840.10045.4.3.1'),
    ('bp320_sha384','brainpoolP320r1','sha384','1.2.840.10045.4.3.3'),
    ('bp512_sha256','brainpoolP512r1','sha256','1.2.840.10045.4.3.2'),
    ('bp256_sha1','brainpoolP256r1','sha1','1.2.840.10045.4.1'),
    ('bp384_sha512','brainpoolP384r1','sha512','1.2.840.10045.4.3.4'),
    ('p256_sha512','prime256v1','sha512','1.2.840.10045.4.3.4'),
    ('p256_sha384','prime256v1','sha384','1.2.840.10045.4.3.3'),
    ('p384_sha1','secp384r1','sha1','1.2.840.10045.4.1'),
    ('p384_sha256','secp384r1','sha256','1.2.840.10045.4.3.2'),
]
for name,curve,h,oid in ec:
    for enc in ['named_curve','explicit']:
        run('openssl','ecparam','-name',curve,'-genkey','-noout','-out','k.pem')
        spki=run('openssl','ec','-in','k.pem','-pubout','-outform','der','-param_enc',enc)
        sig=run('openssl','dgst','-'+h,'-sign','k.pem','msg.bin')
        out.append(f"{name}_{enc.split('_')[0]}|{oid}||{spki.hex()}|{sig.hex()}")
run('openssl','ecparam','-name','brainpoolP512r1','-genkey','-noout','-out','k.pem')
spki=run('openssl','ec','-in','k.pem','-pubout','-outform','der','-param_enc','explicit','-conv_form','compressed')
sig=run('openssl','dgst','-sha512','-sign','k.pem','msg.bin')
out.append(f"bp512_sha512_explicit_compressed|1.2.840.10045.4.3.4||{spki.hex()}|{sig.hex()}")
run('openssl','ecparam','-name','prime256v1','-genkey','-noout','-out','k.pem')
spki=run('openssl','ec','-in','k.pem','-pubout','-outform','der','-conv_form','compressed')
sig=run('openssl','dgst','-sha256','-sign','k.pem','msg.bin')
out.append(f"p256_sha256_named_compressed|1.2.840.10045.4.3.2||{spki.hex()}|{sig.hex()}")
def pss_params(h, salt):
    hoid={'sha1':'06052b0e03021a','sha224':'0609608648016503040204','sha256':'0609608648016503040201','sha512':'0609608648016503040203'}[h]
    def tlv(t,b):
        l=len(b)
        return bytes([t])+(bytes([l]) if l<128 else bytes([0x81,l]))+b
    halg=tlv(0x30,bytes.fromhex(hoid)+b'\x05\x00')
    mgf=tlv(0x30,bytes.fromhex('06092a864886f70d010108')+halg)
    return tlv(0x30,tlv(0xa0,halg)+tlv(0xa1,mgf)+tlv(0xa2,bytes([2,1,salt]))).hex()
for bits in [1024,2048]:
    run('openssl','genpkey','-algorithm','RSA','-pkeyopt',f'rsa_keygen_bits:{bits}','-out','r.pem')
    spki=run('openssl','pkey','-in','r.pem','-pubout','-outform','der')
    for h,oid in [('sha1','1.2.840.113549.1.1.5'),('sha224','1.2.840.113549.1.1.14'),('sha256','1.2.840.113549.1.1.11'),('sha384','1.2.840.113549.1.1.12'),('sha512','1.2.840.113549.1.1.13')]:
        sig=run('openssl','dgst','-'+h,'-sign','r.pem','msg.bin')
        out.append(f"rsa{bits}_pkcs1_{h}|{oid}||{spki.hex()}|{sig.hex()}")
    for h,salt in [(h,s) for h,s in [('sha1',20),('sha224',28),('sha256',20),('sha256',32),('sha512',64),('sha512',32)] if not (bits==1024 and s==64)]:
        sig=run('openssl','dgst','-'+h,'-sign','r.pem','-sigopt','rsa_padding_mode:pss','-sigopt',f'rsa_pss_saltlen:{salt}','-sigopt','rsa_mgf1_md:'+h,'msg.bin')
        out.append(f"rsa{bits}_pss_{h}_salt{salt}|1.2.840.113549.1.1.10|{pss_params(h,salt)}|{spki.hex()}|{sig.hex()}")
# RSA 512 (too small) for the negative test
run('openssl','genpkey','-algorithm','RSA','-pkeyopt','rsa_keygen_bits:512','-out','r.pem')
spki=run('openssl','pkey','-in','r.pem','-pubout','-outform','der')
sig=run('openssl','dgst','-sha256','-sign','r.pem','msg.bin')
out.append(f"rsa512_pkcs1_sha256_too_small|1.2.840.113549.1.1.11||{spki.hex()}|{sig.hex()}")
open('vectors.txt','w').write('\n'.join(out)+'\n')
print(len(out))

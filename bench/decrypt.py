"""decrypt.py IN PASSWORD OUT: decrypts a password-protected workbook with
msoffcrypto-tool, an implementation of MS-OFFCRYPTO independent of ours,
checking the password verifier and the HMAC of the encrypted package, and
says which kind of encryption the file used."""
import sys

import msoffcrypto

with open(sys.argv[1], "rb") as f:
    office = msoffcrypto.OfficeFile(f)
    kind = office.type  # "agile" or "standard" for a workbook
    office.load_key(password=sys.argv[2], verify_password=True)
    with open(sys.argv[3], "wb") as out:
        office.decrypt(out, verify_integrity=True)
print(kind)

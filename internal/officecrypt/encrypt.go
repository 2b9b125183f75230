// Package officecrypt encrypts an Office Open XML file (a workbook) with a
// password, as Excel itself does: ECMA-376 Agile Encryption with AES-256
// and SHA-512 ([MS-OFFCRYPTO] 2.3.4.10 to 2.3.4.15), in a compound file
// ([MS-CFB]) of its own writing. The spreadsheet library writes only the
// older Standard Encryption (AES-128 and SHA-1), and its compound-file
// writer is not exported. Encrypt is the one way in.
package officecrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
)

// The file is encrypted whole and put in a compound file (cfb.go) with the
// two streams a reader looks for, EncryptionInfo and EncryptedPackage, and
// the \x06DataSpaces storage that says how the package is transformed
// (dataspaces.go), as Excel writes it.

const (
	agileSpinCount = 100000
	agileKeyBytes  = 32 // AES-256
	agileSaltBytes = 16
	agileBlock     = 16   // AES block
	agileSegment   = 4096 // the package is encrypted in segments of this size
)

// The block keys that tell apart the keys derived from one password hash.
var (
	blockVerifierInput = []byte{0xfe, 0xa7, 0xd2, 0x76, 0x3b, 0x4b, 0x9e, 0x79}
	blockVerifierValue = []byte{0xd7, 0xaa, 0x0f, 0x6d, 0x30, 0x61, 0x34, 0x4e}
	blockKeyValue      = []byte{0x14, 0x6e, 0x0b, 0xe7, 0xab, 0xac, 0xd0, 0xd6}
	blockHmacKey       = []byte{0x5f, 0xb2, 0xad, 0x01, 0x0c, 0xb9, 0xe1, 0xf6}
	blockHmacValue     = []byte{0xa0, 0x67, 0x7f, 0x02, 0xb2, 0x2c, 0x84, 0x33}
)

// Encrypt encrypts the bytes of a whole Office file (a workbook's zip) with
// password and returns the compound file to save in its place. Salts and
// keys are drawn from the system's secure random source, so two calls
// never give the same bytes. An empty password is refused.
func Encrypt(pkg []byte, password string) ([]byte, error) {
	return encrypt(pkg, password, rand.Reader)
}

// encrypt is Encrypt drawing salts and keys from random.
func encrypt(pkg []byte, password string, random io.Reader) ([]byte, error) {
	if password == "" {
		return nil, errors.New("no password to encrypt the workbook with")
	}
	draw := func(n int) ([]byte, error) {
		b := make([]byte, n)
		if _, err := io.ReadFull(random, b); err != nil {
			return nil, fmt.Errorf("encrypting the workbook: %w", err)
		}
		return b, nil
	}
	keySalt, err := draw(agileSaltBytes)
	if err != nil {
		return nil, err
	}
	passwordSalt, err := draw(agileSaltBytes)
	if err != nil {
		return nil, err
	}
	secret, err := draw(agileKeyBytes)
	if err != nil {
		return nil, err
	}
	verifier, err := draw(agileSaltBytes)
	if err != nil {
		return nil, err
	}
	hmacKey, err := draw(sha512.Size)
	if err != nil {
		return nil, err
	}

	// The package, segment by segment.
	stream := make([]byte, 8, 8+len(pkg)+agileBlock)
	binary.LittleEndian.PutUint64(stream, uint64(len(pkg)))
	for i := 0; i*agileSegment < len(pkg) || (i == 0 && len(pkg) == 0); i++ {
		seg := pkg[i*agileSegment : min((i+1)*agileSegment, len(pkg))]
		var n [4]byte
		binary.LittleEndian.PutUint32(n[:], uint32(i))
		enc, err := aesCBC(secret, ivFor(keySalt, n[:]), seg)
		if err != nil {
			return nil, err
		}
		stream = append(stream, enc...)
	}

	// Integrity: an HMAC of the encrypted stream, its key and value
	// encrypted with the secret key.
	mac := hmac.New(sha512.New, hmacKey)
	mac.Write(stream)
	encHmacKey, err := aesCBC(secret, ivFor(keySalt, blockHmacKey), hmacKey)
	if err != nil {
		return nil, err
	}
	encHmacValue, err := aesCBC(secret, ivFor(keySalt, blockHmacValue), mac.Sum(nil))
	if err != nil {
		return nil, err
	}

	// The password's key encryptor.
	h := passwordHash(password, passwordSalt, agileSpinCount)
	sum := sha512.Sum512(verifier)
	encVerifierInput, err := aesCBC(derivedKey(h, blockVerifierInput), passwordSalt, verifier)
	if err != nil {
		return nil, err
	}
	encVerifierValue, err := aesCBC(derivedKey(h, blockVerifierValue), passwordSalt, sum[:])
	if err != nil {
		return nil, err
	}
	encKeyValue, err := aesCBC(derivedKey(h, blockKeyValue), passwordSalt, secret)
	if err != nil {
		return nil, err
	}

	b64 := base64.StdEncoding.EncodeToString
	params := `saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"`
	xml := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" +
		`<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password" xmlns:c="http://schemas.microsoft.com/office/2006/keyEncryptor/certificate">` +
		`<keyData ` + params + ` saltValue="` + b64(keySalt) + `"/>` +
		`<dataIntegrity encryptedHmacKey="` + b64(encHmacKey) + `" encryptedHmacValue="` + b64(encHmacValue) + `"/>` +
		`<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">` +
		`<p:encryptedKey spinCount="100000" ` + params + ` saltValue="` + b64(passwordSalt) + `"` +
		` encryptedVerifierHashInput="` + b64(encVerifierInput) + `" encryptedVerifierHashValue="` + b64(encVerifierValue) + `"` +
		` encryptedKeyValue="` + b64(encKeyValue) + `"/>` +
		`</keyEncryptor></keyEncryptors></encryption>`
	info := make([]byte, 8, 8+len(xml))
	binary.LittleEndian.PutUint16(info[0:], 4) // version 4.4: Agile
	binary.LittleEndian.PutUint16(info[2:], 4)
	binary.LittleEndian.PutUint32(info[4:], 0x40) // reserved flag: Agile
	info = append(info, xml...)

	root := append(dataSpaces(), cfbStreamOf("EncryptionInfo", info), cfbStreamOf("EncryptedPackage", stream))
	return compoundFile(root)
}

// passwordHash is the iterated SHA-512 of the salted password.
func passwordHash(password string, salt []byte, spins int) []byte {
	u := utf16.Encode([]rune(password))
	pw := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(pw[2*i:], c)
	}
	h := sha512.Sum512(append(append([]byte{}, salt...), pw...))
	buf := make([]byte, 4+sha512.Size)
	for i := 0; i < spins; i++ {
		binary.LittleEndian.PutUint32(buf, uint32(i))
		copy(buf[4:], h[:])
		h = sha512.Sum512(buf)
	}
	return h[:]
}

// derivedKey is the AES-256 key for one use of the password hash.
func derivedKey(h, block []byte) []byte {
	k := sha512.Sum512(append(append([]byte{}, h...), block...))
	return k[:agileKeyBytes]
}

// ivFor is the initialisation vector for a block key or a segment number.
func ivFor(salt, block []byte) []byte {
	iv := sha512.Sum512(append(append([]byte{}, salt...), block...))
	return iv[:agileBlock]
}

// aesCBC encrypts data with AES in CBC mode, padded with zeros to whole
// blocks (readers cut the package to the length stored before it).
func aesCBC(key, iv, data []byte) ([]byte, error) {
	c, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("encrypting the workbook: %w", err)
	}
	n := (len(data) + agileBlock - 1) / agileBlock * agileBlock
	out := make([]byte, n)
	copy(out, data)
	cipher.NewCBCEncrypter(c, iv).CryptBlocks(out, out)
	return out, nil
}

package export

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
)

// Password-protected workbooks use ECMA-376 Agile Encryption with AES-256
// and SHA-512, as Excel itself writes them (MS-OFFCRYPTO 2.3.4.10 to
// 2.3.4.15): the spreadsheet library writes only the older Standard
// Encryption (AES-128 and SHA-1). The workbook is encrypted whole and put
// in a compound file with the two streams a reader looks for,
// EncryptionInfo and EncryptedPackage.

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

// encryptAgile encrypts a workbook's bytes with password, drawing salts and
// keys from random, and returns the compound file to save.
func encryptAgile(pkg []byte, password string, random io.Reader) ([]byte, error) {
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

	return compoundFile([]cfbStream{{"EncryptionInfo", info}, {"EncryptedPackage", stream}})
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

// cfbStream is a stream at the root of a compound file.
type cfbStream struct {
	name string
	data []byte
}

// Compound file (MS-CFB) constants, version 4: 4096-byte sectors.
const (
	cfbSector      = 4096
	cfbMini        = 64
	cfbMiniCutoff  = 4096
	cfbPerSector   = cfbSector / 4 // FAT entries in a sector
	cfbDirPerSect  = cfbSector / 128
	cfbHeaderDIFAT = 109
	cfbFree        = 0xFFFFFFFF
	cfbEnd         = 0xFFFFFFFE
	cfbFATSect     = 0xFFFFFFFD
	cfbDIFSect     = 0xFFFFFFFC
	cfbNoStream    = 0xFFFFFFFF
)

// compoundFile writes streams into a version 4 compound file: streams
// under the cutoff in the mini stream, the rest in sectors of their own.
// The directory holds the root and the streams, as a tree that is all
// black, which the format allows.
func compoundFile(streams []cfbStream) ([]byte, error) {
	if len(streams) > cfbDirPerSect-1 {
		return nil, errors.New("too many streams for one directory sector")
	}
	sectors := func(n, size int) int { return (n + size - 1) / size }

	// The mini stream and its allocation table.
	var mini []byte
	var miniFAT []uint32
	start := make([]uint32, len(streams))
	for i, s := range streams {
		if len(s.data) >= cfbMiniCutoff {
			continue
		}
		if len(s.data) == 0 {
			start[i] = cfbEnd
			continue
		}
		first := len(miniFAT)
		n := sectors(len(s.data), cfbMini)
		for j := 0; j < n; j++ {
			next := uint32(first + j + 1)
			if j == n-1 {
				next = cfbEnd
			}
			miniFAT = append(miniFAT, next)
		}
		start[i] = uint32(first)
		mini = append(mini, s.data...)
		mini = append(mini, make([]byte, n*cfbMini-len(s.data))...)
	}

	// Sector layout: mini stream, mini FAT, directory, big streams, FAT,
	// DIFAT.
	var fat []uint32
	chain := func(n int) uint32 {
		if n == 0 {
			return cfbEnd
		}
		first := len(fat)
		for j := 0; j < n; j++ {
			next := uint32(first + j + 1)
			if j == n-1 {
				next = cfbEnd
			}
			fat = append(fat, next)
		}
		return uint32(first)
	}
	miniStart := chain(sectors(len(mini), cfbSector))
	miniFATStart := chain(sectors(len(miniFAT)*4, cfbSector))
	dirStart := chain(1)
	for i, s := range streams {
		if len(s.data) >= cfbMiniCutoff {
			start[i] = chain(sectors(len(s.data), cfbSector))
		}
	}
	data := len(fat)
	nFAT, nDIFAT := 0, 0
	for {
		total := data + nFAT + nDIFAT
		f := sectors(total, cfbPerSector)
		d := 0
		if f > cfbHeaderDIFAT {
			d = sectors(f-cfbHeaderDIFAT, cfbPerSector-1)
		}
		if f == nFAT && d == nDIFAT {
			break
		}
		nFAT, nDIFAT = f, d
	}
	fatSects := make([]uint32, nFAT)
	for i := range fatSects {
		fatSects[i] = uint32(len(fat))
		fat = append(fat, cfbFATSect)
	}
	difatStart := uint32(cfbEnd)
	if nDIFAT > 0 {
		difatStart = uint32(len(fat))
	}
	for i := 0; i < nDIFAT; i++ {
		fat = append(fat, cfbDIFSect)
	}
	for len(fat)%cfbPerSector != 0 {
		fat = append(fat, cfbFree)
	}

	var out bytes.Buffer
	le := func(v any) { _ = binary.Write(&out, binary.LittleEndian, v) }
	// Header.
	out.Write([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	out.Write(make([]byte, 16)) // CLSID
	le(uint16(0x003E))          // minor version
	le(uint16(4))               // major version
	le(uint16(0xFFFE))          // little-endian
	le(uint16(12))              // 4096-byte sectors
	le(uint16(6))               // 64-byte mini sectors
	out.Write(make([]byte, 6))
	le(uint32(1)) // directory sectors
	le(uint32(nFAT))
	le(dirStart)
	le(uint32(0)) // transaction signature
	le(uint32(cfbMiniCutoff))
	if len(miniFAT) > 0 {
		le(miniFATStart)
	} else {
		le(uint32(cfbEnd))
	}
	le(uint32(sectors(len(miniFAT)*4, cfbSector)))
	le(difatStart)
	le(uint32(nDIFAT))
	for i := 0; i < cfbHeaderDIFAT; i++ {
		if i < nFAT {
			le(fatSects[i])
		} else {
			le(uint32(cfbFree))
		}
	}
	out.Write(make([]byte, cfbSector-out.Len()))

	pad := func() {
		if r := out.Len() % cfbSector; r != 0 {
			out.Write(make([]byte, cfbSector-r))
		}
	}
	// Mini stream and mini FAT.
	out.Write(mini)
	pad()
	for _, e := range miniFAT {
		le(e)
	}
	for i := len(miniFAT); i%cfbPerSector != 0; i++ {
		le(uint32(cfbFree))
	}
	// Directory: the root, then the streams. Siblings are ordered by name
	// length, then by name in upper case: the streams become a chain of
	// right siblings in that order, under the root.
	order := make([]int, len(streams))
	for i := range order {
		order[i] = i
	}
	less := func(a, b string) bool {
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return upper(a) < upper(b)
	}
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && less(streams[order[j]].name, streams[order[j-1]].name); j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	entry := func(name string, kind byte, left, right, child, first uint32, size uint64) {
		u := utf16.Encode([]rune(name))
		var nameBuf [64]byte
		for i, c := range u {
			binary.LittleEndian.PutUint16(nameBuf[2*i:], c)
		}
		out.Write(nameBuf[:])
		if name == "" {
			le(uint16(0))
		} else {
			le(uint16(2*len(u) + 2))
		}
		out.WriteByte(kind)
		if name == "" {
			out.WriteByte(0)
		} else {
			out.WriteByte(1) // black
		}
		le(left)
		le(right)
		le(child)
		out.Write(make([]byte, 16+4+8+8)) // CLSID, state, times
		le(first)
		le(size)
	}
	child := uint32(cfbNoStream)
	if len(order) > 0 {
		child = uint32(order[0] + 1)
	}
	rootStart := uint32(cfbEnd)
	if len(mini) > 0 {
		rootStart = miniStart
	}
	entry("Root Entry", 5, cfbNoStream, cfbNoStream, child, rootStart, uint64(len(mini)))
	next := map[int]uint32{}
	for k, i := range order {
		next[i] = cfbNoStream
		if k+1 < len(order) {
			next[i] = uint32(order[k+1] + 1)
		}
	}
	for i, s := range streams {
		entry(s.name, 2, cfbNoStream, next[i], cfbNoStream, start[i], uint64(len(s.data)))
	}
	for i := len(streams) + 1; i < cfbDirPerSect; i++ {
		entry("", 0, cfbNoStream, cfbNoStream, cfbNoStream, 0, 0)
	}
	// Big streams.
	for _, s := range streams {
		if len(s.data) >= cfbMiniCutoff {
			out.Write(s.data)
			pad()
		}
	}
	// FAT, then DIFAT: each DIFAT sector lists FAT sectors past the 109
	// in the header and ends with the next DIFAT sector.
	for _, e := range fat {
		le(e)
	}
	rest := fatSects[min(nFAT, cfbHeaderDIFAT):]
	for d := 0; d < nDIFAT; d++ {
		for j := 0; j < cfbPerSector-1; j++ {
			if len(rest) > 0 {
				le(rest[0])
				rest = rest[1:]
			} else {
				le(uint32(cfbFree))
			}
		}
		if d+1 < nDIFAT {
			le(difatStart + uint32(d+1))
		} else {
			le(uint32(cfbEnd))
		}
	}
	return out.Bytes(), nil
}

// upper folds a stream name as the compound file orders them.
func upper(s string) string {
	r := []rune(s)
	for i, c := range r {
		if c >= 'a' && c <= 'z' {
			r[i] = c - 'a' + 'A'
		}
	}
	return string(r)
}

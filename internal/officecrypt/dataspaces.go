package officecrypt

import (
	"encoding/binary"
	"unicode/utf16"
)

// The \x06DataSpaces storage of an encrypted workbook ([MS-OFFCRYPTO]
// 2.1 and 2.3.4.1): it says that the EncryptedPackage stream is
// transformed by the strong encryption transform, whose parameters are in
// EncryptionInfo. Excel writes it beside the two streams, and a reader may
// look for it before it reads them.

// The names the specification fixes for password-encrypted documents.
const (
	dataSpacesStorage     = "\x06DataSpaces"
	dataSpaceName         = "StrongEncryptionDataSpace"
	dataSpaceTransform    = "StrongEncryptionTransform"
	dataSpaceFeature      = "Microsoft.Container.DataSpaces"
	encryptionTransformID = "{FF9A3F03-56EF-4613-BDD5-5A41C1D07246}"
	encryptionTransform   = "Microsoft.Container.EncryptionTransform"
	primaryStream         = "\x06Primary"
)

// dataSpaces is the \x06DataSpaces storage:
//
//	Version                      DataSpaceVersionInfo (2.1.5)
//	DataSpaceMap                 one entry: EncryptedPackage -> StrongEncryptionDataSpace (2.1.6)
//	DataSpaceInfo/
//	  StrongEncryptionDataSpace  DataSpaceDefinition: StrongEncryptionTransform (2.1.7)
//	TransformInfo/
//	  StrongEncryptionTransform/
//	    \x06Primary               TransformInfoHeader and EncryptionTransformInfo (2.1.8, 2.1.9)
func dataSpaces() []*cfbEntry {
	return []*cfbEntry{cfbStorageOf(dataSpacesStorage,
		cfbStreamOf("Version", dataSpaceVersion()),
		cfbStreamOf("DataSpaceMap", dataSpaceMap()),
		cfbStorageOf("DataSpaceInfo", cfbStreamOf(dataSpaceName, dataSpaceDefinition())),
		cfbStorageOf("TransformInfo", cfbStorageOf(dataSpaceTransform, cfbStreamOf(primaryStream, transformInfo()))),
	)}
}

// dsWriter builds the little-endian structures of the data spaces.
type dsWriter struct{ b []byte }

func (w *dsWriter) u32(v uint32) { w.b = binary.LittleEndian.AppendUint32(w.b, v) }

// version is a Version (2.1.4): major then minor, 1.0 throughout.
func (w *dsWriter) version() {
	w.b = binary.LittleEndian.AppendUint16(w.b, 1)
	w.b = binary.LittleEndian.AppendUint16(w.b, 0)
}

// text is a UNICODE-LP-P4 (2.1.2): the length in bytes, UTF-16LE without
// a terminator, padded with zeros to a multiple of 4 bytes.
func (w *dsWriter) text(s string) {
	u := utf16.Encode([]rune(s))
	w.u32(uint32(2 * len(u)))
	for _, c := range u {
		w.b = binary.LittleEndian.AppendUint16(w.b, c)
	}
	for len(w.b)%4 != 0 {
		w.b = append(w.b, 0)
	}
}

// dataSpaceVersion is the Version stream: the data spaces feature, read,
// updated and written as version 1.0.
func dataSpaceVersion() []byte {
	var w dsWriter
	w.text(dataSpaceFeature)
	w.version() // reader
	w.version() // updater
	w.version() // writer
	return w.b
}

// dataSpaceMap is the DataSpaceMap stream: one entry, which maps the
// EncryptedPackage stream (a reference component of type 0, a stream) to
// the strong encryption data space.
func dataSpaceMap() []byte {
	var entry dsWriter
	entry.u32(1) // reference components
	entry.u32(0) // a stream
	entry.text("EncryptedPackage")
	entry.text(dataSpaceName)
	var w dsWriter
	w.u32(8) // header length
	w.u32(1) // entries
	w.u32(uint32(4 + len(entry.b)))
	w.b = append(w.b, entry.b...)
	return w.b
}

// dataSpaceDefinition is the StrongEncryptionDataSpace stream: the one
// transform the data space applies.
func dataSpaceDefinition() []byte {
	var w dsWriter
	w.u32(8) // header length
	w.u32(1) // transform references
	w.text(dataSpaceTransform)
	return w.b
}

// transformInfo is the \x06Primary stream: a TransformInfoHeader naming
// the encryption transform (type 1, its fixed identifier and name, version
// 1.0), then an EncryptionTransformInfo with no encryption name, block
// size and cipher mode 0, and the reserved value 4, as [MS-OFFCRYPTO]
// 2.1.9 requires and Excel writes.
func transformInfo() []byte {
	var id dsWriter
	id.u32(1) // transform type: encryption
	id.text(encryptionTransformID)
	var w dsWriter
	w.u32(uint32(4 + len(id.b))) // the header's length up to the name
	w.b = append(w.b, id.b...)
	w.text(encryptionTransform)
	w.version() // reader
	w.version() // updater
	w.version() // writer
	w.u32(0)    // encryption name: none
	w.u32(0)    // block size
	w.u32(0)    // cipher mode
	w.u32(4)    // reserved
	return w.b
}

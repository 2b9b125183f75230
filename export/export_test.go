package export

// Values the external tests measure printed pages against.
const (
	PagePrintHeight = pagePrintHeight
	MinPrintScale   = minPrintScale
	LineHeight      = lineHeight
)

//go:build ignore

// Command main draws icon.png, the application icon: a deep-blue rounded
// badge holding a white clipboard with a green tick. The shapes are signed
// distance functions, so every edge is antialiased at any size, and the
// drawing is reproducible from this file alone:
//
//	go run ./scripts/icon/main.go -o icon.png
//
// The packaging scripts draw variants from it: a 256-pixel one for the
// Windows icon resource, and one whose badge fits Apple's icon grid (824
// of 1024 pixels) for macOS.
package main

import (
	"flag"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

// The drawing is laid out on a 1024-unit square and scaled to the output size.
const design = 1024.0

type rgba struct{ r, g, b, a float64 } // premultiplied, 0..1

func hex(v uint32) rgba {
	return rgba{float64(v>>16&0xff) / 255, float64(v>>8&0xff) / 255, float64(v&0xff) / 255, 1}
}

// over composites c (with coverage a) over dst.
func over(dst rgba, c rgba, a float64) rgba {
	a *= c.a
	return rgba{
		c.r*a + dst.r*(1-a),
		c.g*a + dst.g*(1-a),
		c.b*a + dst.b*(1-a),
		a + dst.a*(1-a),
	}
}

// sdRoundRect is the signed distance from (x, y) to a rectangle with
// corners (x0, y0)-(x1, y1) and corner radius r: negative inside.
func sdRoundRect(x, y, x0, y0, x1, y1, r float64) float64 {
	cx, cy := (x0+x1)/2, (y0+y1)/2
	hx, hy := (x1-x0)/2-r, (y1-y0)/2-r
	dx, dy := math.Abs(x-cx)-hx, math.Abs(y-cy)-hy
	out := math.Hypot(math.Max(dx, 0), math.Max(dy, 0))
	in := math.Min(math.Max(dx, dy), 0)
	return out + in - r
}

// sdSegment is the signed distance to a stroke of half-width w along the
// segment (ax, ay)-(bx, by), with round caps.
func sdSegment(x, y, ax, ay, bx, by, w float64) float64 {
	px, py := x-ax, y-ay
	vx, vy := bx-ax, by-ay
	t := math.Max(0, math.Min(1, (px*vx+py*vy)/(vx*vx+vy*vy)))
	return math.Hypot(px-vx*t, py-vy*t) - w
}

func sdCircle(x, y, cx, cy, r float64) float64 { return math.Hypot(x-cx, y-cy) - r }

// cover turns a signed distance (in design units) into pixel coverage,
// one pixel being px design units wide.
func cover(d, px float64) float64 { return math.Max(0, math.Min(1, 0.5-d/px)) }

func main() {
	out := flag.String("o", "icon.png", "output file")
	size := flag.Int("size", 1024, "width and height in pixels")
	badge := flag.Float64("badge", 928, "width of the blue badge on the 1024-unit square (824 fits Apple's icon grid)")
	flag.Parse()
	if *size < 16 || *badge < 100 || *badge > design {
		log.Fatal("want -size of at least 16 and a -badge between 100 and 1024")
	}
	// k scales the whole drawing about the centre so that the badge,
	// drawn 928 units wide, comes out -badge units wide.
	k := *badge / 928

	var (
		blueTop    = hex(0x1C4FA3)
		blueBottom = hex(0x0A2559)
		paper      = hex(0xFFFFFF)
		clip       = hex(0xC7D3E6)
		clipEdge   = hex(0x8FA3C4)
		ink        = hex(0xA9B9D3)
		tick       = hex(0x1F9D55)
		shadow     = rgba{0, 0, 0, 0.35}
	)

	n := *size
	px := design / float64(n) / k // one output pixel, in drawing units
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			x := design/2 + ((float64(i)+0.5)*px*k-design/2)/k
			y := design/2 + ((float64(j)+0.5)*px*k-design/2)/k
			var c rgba

			// Badge: a rounded square with a top-to-bottom gradient.
			badge := sdRoundRect(x, y, 48, 48, 976, 976, 210)
			t := (y - 48) / 928
			bg := rgba{
				blueTop.r + (blueBottom.r-blueTop.r)*t,
				blueTop.g + (blueBottom.g-blueTop.g)*t,
				blueTop.b + (blueBottom.b-blueTop.b)*t, 1,
			}
			c = over(c, bg, cover(badge, px))
			inBadge := cover(badge, px)

			// Soft shadow under the clipboard, kept inside the badge.
			sh := sdRoundRect(x, y, 236, 214, 804, 910, 70)
			c = over(c, shadow, inBadge*math.Max(0, math.Min(1, -sh/40+0.5))*0.5)

			// The clipboard's paper.
			c = over(c, paper, cover(sdRoundRect(x, y, 220, 180, 804, 884, 64), px))

			// Two lines of writing at the top of the sheet.
			c = over(c, ink, cover(sdSegment(x, y, 330, 350, 694, 350, 26), px))
			c = over(c, ink, cover(sdSegment(x, y, 330, 440, 590, 440, 26), px))

			// The clip, with a dark edge so it reads against the paper.
			c = over(c, clipEdge, cover(sdRoundRect(x, y, 360, 120, 664, 264, 48), px))
			c = over(c, clip, cover(sdRoundRect(x, y, 376, 136, 648, 248, 34), px))
			c = over(c, clipEdge, cover(sdCircle(x, y, 512, 170, 22), px))

			// The tick: bold, so that it survives at 16 and 32 pixels.
			d := math.Min(
				sdSegment(x, y, 340, 640, 462, 760, 52),
				sdSegment(x, y, 462, 760, 700, 520, 52),
			)
			c = over(c, tick, cover(d, px))

			img.SetNRGBA(i, j, toNRGBA(c))
		}
	}

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func toNRGBA(c rgba) color.NRGBA {
	if c.a == 0 {
		return color.NRGBA{}
	}
	q := func(v float64) uint8 { return uint8(math.Round(math.Max(0, math.Min(1, v)) * 255)) }
	return color.NRGBA{q(c.r / c.a), q(c.g / c.a), q(c.b / c.a), q(c.a)}
}

package main

import (
	"fmt"
	"html"
	"math"
	"slices"
	"strings"
)

// Layout of the throughput plot, in SVG user units.
const (
	panelWidth   = 360
	panelHeight  = 240
	panelColumns = 2
	plotLeft     = 64 // room for the y labels
	plotRight    = 16
	plotTop      = 36 // room for the title
	plotBottom   = 40 // room for the x labels
	legendHeight = 40
	colorFacade  = "#d62728"
	colorDirect  = "#1f77b4"
	colorFloor   = "#2ca02c"
	floorName    = "floor proxy (C)"
)

// plotPanel is one case: throughput of A, B and C at each point of x (the
// connection counts of a unary case, the file sizes of a transfer).
type plotPanel struct {
	title  string // with the unit of y
	xLabel string
	xs     []string
	facade []float64 // NaN where unknown
	direct []float64
	floor  []float64 // NaN where not measured; nil in panels without C
	// names of the two series when they are not the facade and direct
	// REST (a panel comparing two ways of the facade's).
	names *[2]string
}

// seriesNames are what the red and the blue line of a panel stand for.
func (p plotPanel) seriesNames() [2]string {
	if p.names != nil {
		return *p.names
	}
	return [2]string{"facade (A)", "direct REST (B)"}
}

// plotPanels groups rows by case, in the order they came.
func plotPanels(rows []row) []plotPanel {
	var panels []plotPanel
	index := map[string]int{}
	for _, r := range rows {
		key := r.scenario + " · " + r.protocol
		i, ok := index[key]
		if !ok {
			i = len(panels)
			index[key] = i
			panels = append(panels, plotPanel{title: key + " (req/s)", xLabel: "connections"})
		}
		a, okA := r.rpsA()
		b, okB := r.rpsB()
		if !r.ok() {
			okA, okB = false, false // a failed figure is not drawn
		}
		p := &panels[i]
		p.xs = append(p.xs, fmt.Sprint(r.conns))
		p.facade = append(p.facade, orNaN(a, okA))
		p.direct = append(p.direct, orNaN(b, okB))
		c, okC := r.rpsC()
		p.floor = append(p.floor, orNaN(c, okC && r.ok()))
	}
	return panels
}

func orNaN(v float64, ok bool) float64 {
	if !ok {
		return math.NaN()
	}
	return v
}

// throughputSVG draws one panel per case: requests/s against connections
// (unary) or MB/s against file size (transfers), facade and direct. The x
// values are spaced evenly (1, 16, 64 are a geometric series, so this reads
// as a log scale).
func throughputSVG(panels []plotPanel) string {
	cols := min(panelColumns, max(len(panels), 1))
	lines := (len(panels) + cols - 1) / cols
	width, height := cols*panelWidth, legendHeight+lines*panelHeight
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="white"/>`+"\n", width, height)
	var first plotPanel
	if len(panels) > 0 {
		first = panels[0]
	}
	legend(&b, 16, 22, first.seriesNames(), anyFloor(panels))
	for i, p := range panels {
		x := (i % cols) * panelWidth
		y := legendHeight + (i/cols)*panelHeight
		drawPanel(&b, p, x, y, first.seriesNames())
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// anyFloor is whether some panel draws C, so the legend names it.
func anyFloor(panels []plotPanel) bool {
	for _, p := range panels {
		if maxFinite(p.floor) > 0 {
			return true
		}
	}
	return false
}

func legend(b *strings.Builder, x, y int, names [2]string, floor bool) {
	series := []struct{ name, color string }{{names[0], colorFacade}, {names[1], colorDirect}}
	if floor {
		series = append(series, struct{ name, color string }{floorName, colorFloor})
	}
	for _, s := range series {
		fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"/>`, x, y-4, x+24, y-4, s.color)
		fmt.Fprintf(b, `<text x="%d" y="%d">%s</text>`+"\n", x+30, y, s.name)
		x += 150
	}
	what := "throughput (unit in each title)"
	if names != (plotPanel{}).seriesNames() {
		what = "unit in each title"
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" fill="#555">%s</text>`+"\n", x+10, y, what)
}

func drawPanel(b *strings.Builder, p plotPanel, x0, y0 int, legendNames [2]string) {
	left, top := float64(x0+plotLeft), float64(y0+plotTop)
	w := float64(panelWidth - plotLeft - plotRight)
	h := float64(panelHeight - plotTop - plotBottom)
	top0 := niceCeiling(maxFinite(slices.Concat(p.facade, p.direct, p.floor)))
	title := p.title
	if names := p.seriesNames(); names != legendNames { // the legend names other series
		title += fmt.Sprintf(" (red: %s, blue: %s)", names[0], names[1])
	}
	fmt.Fprintf(b, `<text x="%.0f" y="%d" font-weight="bold">%s</text>`+"\n", left, y0+20, html.EscapeString(title))

	// y axis: five gridlines from 0 to the ceiling.
	for k := 0; k <= 4; k++ {
		v := top0 * float64(k) / 4
		y := top + h - h*float64(k)/4
		fmt.Fprintf(b, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" stroke="#ddd"/>`, left, y, left+w, y)
		fmt.Fprintf(b, `<text x="%.0f" y="%.1f" text-anchor="end">%s</text>`+"\n", left-6, y+4, shortNumber(v))
	}
	// x axis: one tick per point, evenly spaced.
	xs := make([]float64, len(p.xs))
	for i, c := range p.xs {
		xs[i] = left + w*(float64(i)+0.5)/float64(len(p.xs))
		fmt.Fprintf(b, `<text x="%.1f" y="%.0f" text-anchor="middle">%s</text>`, xs[i], top+h+16, html.EscapeString(c))
	}
	fmt.Fprintf(b, `<text x="%.0f" y="%.0f" text-anchor="middle" fill="#555">%s</text>`+"\n", left+w/2, top+h+32, html.EscapeString(p.xLabel))
	for _, s := range []struct {
		values []float64
		color  string
	}{{p.direct, colorDirect}, {p.floor, colorFloor}, {p.facade, colorFacade}} {
		var pts []string
		for i, v := range s.values {
			if math.IsNaN(v) {
				continue
			}
			y := top + h - h*v/top0
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", xs[i], y))
			fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`, xs[i], y, s.color)
			fmt.Fprintf(b, `<text x="%.1f" y="%.1f" fill="%s" font-size="9">%s</text>`, xs[i]+5, y-5, s.color, shortNumber(v))
		}
		if len(pts) > 1 {
			fmt.Fprintf(b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(pts, " "), s.color)
		}
		b.WriteString("\n")
	}
}

func maxFinite(vs []float64) float64 {
	m := 0.0
	for _, v := range vs {
		if !math.IsNaN(v) && v > m {
			m = v
		}
	}
	return m
}

// niceCeiling rounds v up to 1, 2, 2.5 or 5 times a power of ten (at least
// 1), so the axis labels are round.
func niceCeiling(v float64) float64 {
	if v <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// shortNumber writes 12500 as 12.5k.
func shortNumber(v float64) string {
	switch {
	case v >= 1e6:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", v/1e6), ".0") + "M"
	case v >= 1e3:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", v/1e3), ".0") + "k"
	default:
		return fmt.Sprintf("%.0f", v)
	}
}

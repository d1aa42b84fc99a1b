package reports

import (
	_ "embed"
	"html/template"
	"io"
)

// A table page is a self-contained HTML page of sections of text, facts
// and tables, for the commands whose report is a table (slasim promise,
// slasim roster): styles inline, no scripts, well-formed XML as well as
// HTML, like the run's report.
//
//go:embed tables.html.tmpl
var tablesTemplate string

var tablesPage = template.Must(template.New("tables").Parse(tablesTemplate))

type tablePage struct {
	Title, Heading, Byline, Version string
	// Width is the page's greatest width, such as 62rem.
	Width    string
	Notices  []string
	Sections []tableSection
}

type tableSection struct {
	ID, Title  string
	Paragraphs []string
	Facts      []htmlFact
	Table      *htmlTable
	// After are paragraphs below the table.
	After []string
}

type htmlTable struct {
	Class string
	Head  []htmlTd
	Rows  [][]htmlTd
}

// htmlTd is a cell: its text, a class and a line beneath in small type.
type htmlTd struct{ Text, Class, Sub string }

func (p *tablePage) write(w io.Writer) error {
	if p.Width == "" {
		p.Width = "62rem"
	}
	return tablesPage.Execute(w, p)
}
